//! Sentence patterns: fixed Dutch text with named slots such as `{value}`.

use std::fmt;

/// A parsed sentence pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Slot(String),
}

/// A pattern that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The pattern is empty or only whitespace.
    #[error("pattern is empty")]
    Empty,
    /// A `{` without its `}` (or the other way round).
    #[error("unbalanced braces at character {0}")]
    Unbalanced(usize),
    /// A slot name that is empty or not lowercase letters and `_`.
    #[error("bad slot name {0:?}")]
    BadSlot(String),
    /// A slot this kind of field does not provide.
    #[error("slot {{{slot}}} is not available here; allowed: {allowed}")]
    UnknownSlot {
        /// The slot used.
        slot: String,
        /// The slots that are allowed, comma-separated.
        allowed: String,
    },
    /// A pattern with no slot at all would state a fact nobody said.
    #[error("pattern has no slot: it would state something without a source")]
    NoSlot,
}

impl Pattern {
    /// Parses `text`, accepting only the slots in `allowed`.
    ///
    /// # Errors
    /// [`PatternError`] naming the first problem.
    pub fn parse(text: &str, allowed: &[&str]) -> Result<Self, PatternError> {
        if text.trim().is_empty() {
            return Err(PatternError::Empty);
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for (_, c) in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        if c == '{' {
                            return Err(PatternError::Unbalanced(i));
                        }
                        name.push(c);
                    }
                    if !closed {
                        return Err(PatternError::Unbalanced(i));
                    }
                    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    {
                        return Err(PatternError::BadSlot(name));
                    }
                    if !allowed.contains(&name.as_str()) {
                        return Err(PatternError::UnknownSlot {
                            slot: name,
                            allowed: allowed.join(", "),
                        });
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Slot(name));
                }
                '}' => return Err(PatternError::Unbalanced(i)),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        if !parts.iter().any(|p| matches!(p, Part::Slot(_))) {
            return Err(PatternError::NoSlot);
        }
        Ok(Self {
            text: text.to_owned(),
            parts,
        })
    }

    /// The slots, in order.
    pub fn slots(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Slot(s) => Some(s.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Fills every slot from `value`; `None` if any slot has no value (then no sentence is
    /// made: a gap for the worker, never a guess).
    pub fn fill(&self, value: impl Fn(&str) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Slot(s) => out.push_str(&value(s)?),
            }
        }
        Some(out)
    }
}

/// Written as its text; read back only through [`Pattern::parse`] with the field's slots (see
/// [`crate::Field`]).
impl serde::Serialize for Pattern {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_all_slots_or_nothing() {
        let p = Pattern::parse("Inkomen: {value} {period}.", &["value", "period"]).unwrap();
        assert_eq!(p.slots().collect::<Vec<_>>(), ["value", "period"]);
        let filled = p.fill(|s| Some(if s == "value" { "€ 750" } else { "per maand" }.into()));
        assert_eq!(filled.as_deref(), Some("Inkomen: € 750 per maand."));
        assert_eq!(p.fill(|s| (s == "value").then(|| "x".into())), None);
    }

    #[test]
    fn broken_patterns_are_named() {
        let allowed = ["value"];
        assert_eq!(Pattern::parse(" ", &allowed), Err(PatternError::Empty));
        assert_eq!(
            Pattern::parse("a {value", &allowed),
            Err(PatternError::Unbalanced(2))
        );
        assert_eq!(
            Pattern::parse("a } b", &allowed),
            Err(PatternError::Unbalanced(2))
        );
        assert_eq!(
            Pattern::parse("a {{value}}", &allowed),
            Err(PatternError::Unbalanced(2))
        );
        assert_eq!(
            Pattern::parse("a {Waarde}", &allowed),
            Err(PatternError::BadSlot("Waarde".into()))
        );
        assert!(matches!(
            Pattern::parse("a {name}", &allowed),
            Err(PatternError::UnknownSlot { .. })
        ));
        assert_eq!(
            Pattern::parse("De cliënt heeft schulden.", &allowed),
            Err(PatternError::NoSlot)
        );
    }
}
