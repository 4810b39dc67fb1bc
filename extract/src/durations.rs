//! Durations ("drie maanden", "anderhalf jaar", "2 weken") and ages ("7 jaar oud", "ik ben 42
//! jaar", "mijn zoon Noah van 7 jaar"). A number of years is an age only when the words say so;
//! an age whose owner is not clear is left out.

use crate::fact::{Fact, FactValue, Segment, Speaker, TimeUnit};
use crate::numbers::parse_count_halves;
use crate::people::{name_after, relation_at, relation_name};
use crate::scan::{adjacent, fact, number_at};
use crate::token::Token;

fn unit_of(word: &str) -> Option<TimeUnit> {
    match word {
        "dag" | "dagen" => Some(TimeUnit::Day),
        "week" | "weken" => Some(TimeUnit::Week),
        "maand" | "maanden" => Some(TimeUnit::Month),
        "jaar" | "jaren" => Some(TimeUnit::Year),
        _ => None,
    }
}

/// The count before the unit at `unit_at`: (first token, halves).
fn count_before(tokens: &[Token<'_>], unit_at: usize) -> Option<(usize, u64)> {
    let one = tokens.get(unit_at.checked_sub(1)?)?;
    if unit_at >= 2 {
        let two = [tokens[unit_at - 2].lower.as_str(), one.lower.as_str()];
        if let Some(h) = parse_count_halves(&two).filter(|_| two[0] == "een") {
            return Some((unit_at - 2, h));
        }
    }
    parse_count_halves(&[one.lower.as_str()]).map(|h| (unit_at - 1, h))
}

/// Whose age: a relation (with name) just before, or the client saying "ik ben".
fn age_owner(seg: &Segment, tokens: &[Token<'_>], count_at: usize) -> Option<String> {
    let from = count_at.saturating_sub(6);
    for i in (from..count_at).rev() {
        if relation_at(tokens, i, seg.speaker) {
            return Some(match name_after(&seg.text, tokens, i) {
                Some(name) => format!("{} {name}", relation_name(tokens, i)),
                None => relation_name(tokens, i),
            });
        }
    }
    let before: Vec<&str> = tokens[count_at.saturating_sub(2)..count_at]
        .iter()
        .map(|t| t.lower.as_str())
        .collect();
    match seg.speaker {
        Speaker::Client if before.contains(&"ben") && before.contains(&"ik") => {
            Some("cliënt".into())
        }
        _ => None,
    }
}

/// Ages said without "jaar" ("mijn dochter Emma is vijftien", "mijn zoon is zes en …"): only
/// right after a relation, and only when the number ends the clause or "en" follows.
fn bare_ages(seg: &Segment, tokens: &[Token<'_>], found: &mut Vec<Fact>) {
    for i in 1..tokens.len() {
        if tokens[i].lower != "is" {
            continue;
        }
        let Some((end, hundredths)) = number_at(tokens, i + 1) else {
            continue;
        };
        let clause_ends = tokens.get(end).is_none_or(|next| next.lower == "en")
            || !adjacent(&seg.text, tokens, end - 1);
        let years = hundredths / 100;
        if !clause_ends || hundredths % 100 != 0 || !(1..=120).contains(&years) {
            continue;
        }
        let who = if i >= 2
            && relation_at(tokens, i - 2, seg.speaker)
            && name_after(&seg.text, tokens, i - 2).as_deref() == Some(tokens[i - 1].raw)
        {
            format!("{} {}", relation_name(tokens, i - 2), tokens[i - 1].raw)
        } else if relation_at(tokens, i - 1, seg.speaker) {
            relation_name(tokens, i - 1)
        } else {
            continue;
        };
        if let Ok(years) = u32::try_from(years) {
            found.push(fact(seg, tokens, i, end - 1, FactValue::Age { years, who }));
        }
    }
}

/// Finds durations and ages in one segment.
pub fn find(seg: &Segment, tokens: &[Token<'_>]) -> Vec<Fact> {
    let mut found = Vec::new();
    bare_ages(seg, tokens, &mut found);
    for (u, t) in tokens.iter().enumerate() {
        let Some(unit) = unit_of(&t.lower) else {
            continue;
        };
        let Some((first, halves)) = count_before(tokens, u) else {
            continue;
        };
        if halves == 0 {
            continue;
        }
        let followed_by_oud = tokens.get(u + 1).is_some_and(|n| n.lower == "oud");
        let age_words = first >= 1
            && matches!(
                tokens[first - 1].lower.as_str(),
                "ben" | "is" | "wordt" | "word" | "van"
            );
        if unit == TimeUnit::Year && (followed_by_oud || age_words) {
            // Whole years only, and only when it is clear whose age it is.
            if let (true, Some(who), Ok(years)) = (
                halves.is_multiple_of(2),
                age_owner(seg, tokens, first),
                u32::try_from(halves / 2),
            ) {
                let last = if followed_by_oud { u + 1 } else { u };
                found.push(fact(
                    seg,
                    tokens,
                    first,
                    last,
                    FactValue::Age { years, who },
                ));
            }
            continue;
        }
        found.push(fact(
            seg,
            tokens,
            first,
            u,
            FactValue::Duration { halves, unit },
        ));
    }
    found
}
