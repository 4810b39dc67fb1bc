//! Tokens: words and numbers with their byte positions in the segment text.

/// One token of an utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The text as written.
    pub raw: &'a str,
    /// Lowercased, with `ë`/`é`/… kept (Dutch number words use `ë`).
    pub lower: String,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
}

impl Token<'_> {
    /// Whether the token starts with an uppercase letter.
    pub fn is_capitalised(&self) -> bool {
        self.raw.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the token is all ASCII digits (with `.`, `,`, `/` or `-` inside).
    pub fn is_numeric(&self) -> bool {
        self.raw.starts_with(|c: char| c.is_ascii_digit())
            && self
                .raw
                .chars()
                .all(|c| c.is_ascii_digit() || ".,/-".contains(c))
    }
}

/// Splits text into tokens. Letters (with `-` and `'` inside words) form words; digits with
/// `.`, `,`, `/` and `-` between them form one number token (`1.250,50`, `03/12/2026`); `€` is a
/// token of its own; everything else separates.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let kind = if c.is_alphabetic() {
            1
        } else if c.is_ascii_digit() {
            2
        } else if c == '€' {
            3
        } else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        if kind != 3 {
            while j < chars.len() {
                let c = chars[j].1;
                let next_ok =
                    |pred: fn(char) -> bool| chars.get(j + 1).is_some_and(|(_, n)| pred(*n));
                let continues = match kind {
                    1 => {
                        c.is_alphabetic()
                            || ((c == '-' || c == '\'') && next_ok(char::is_alphabetic))
                    }
                    _ => {
                        c.is_ascii_digit()
                            || (".,/-".contains(c) && next_ok(|n| n.is_ascii_digit()))
                    }
                };
                if !continues {
                    break;
                }
                j += 1;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        let raw = &text[start..end];
        tokens.push(Token {
            raw,
            lower: raw.to_lowercase(),
            start,
            end,
        });
        i = j;
    }
    tokens
}

/// Abbreviations of typed notes that stand before what they qualify, so their dot never ends a
/// sentence ("cl. bezorgt", "Vlg. afspraak", "ca. 95", "art. 60").
const PREFIXES: &[&str] = &[
    "afspr", "vlg", "vlgs", "vlgd", "cl", "mw", "dhr", "mevr", "hr", "ca", "nr", "tel", "ivm",
    "bijv", "bv", "gezondh", "priv", "ma", "di", "wo", "do", "vr", "za", "zo", "ong", "max", "min",
    "oa", "vnl", "art", "aanvr", "uitk", "alleenst", "bijz", "afd", "dr", "mr", "st",
];

/// Abbreviations that end a phrase ("780 p/m.", "3 mnd.", "enz."): their dot ends the sentence
/// when a capital follows.
const SUFFIXES: &[&str] = &[
    "wk", "mnd", "enz", "evt", "excl", "incl", "resp", "jr", "p", "m", "z", "s",
];

/// Whether the dot at byte `i` (next char at `next`) ends an abbreviation, not a sentence.
fn abbreviation_dot(text: &str, i: usize, next: usize) -> bool {
    let word: String = text[..i]
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let rest = text[next..].trim_start();
    if rest.is_empty() {
        return false;
    }
    let word = word.to_lowercase();
    let capital_next = rest.starts_with(|c: char| c.is_uppercase());
    let lowercase_next = rest.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit());
    PREFIXES.contains(&word.as_str())
        || (SUFFIXES.contains(&word.as_str()) && !capital_next)
        || lowercase_next
}

/// Byte ranges of the sentences of `text`.
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | ';') {
            let next = i + c.len_utf8();
            // Not inside a number ("1.250").
            let digit_around = text[..i].ends_with(|c: char| c.is_ascii_digit())
                && text[next..].starts_with(|c: char| c.is_ascii_digit());
            let continues = match c {
                '.' => abbreviation_dot(text, i, next),
                // "…per maand; mevrouw heeft …" goes on.
                ';' => text[next..]
                    .trim_start()
                    .starts_with(|c: char| c.is_lowercase()),
                _ => false,
            };
            if !digit_around && !continues {
                out.push(start..next);
                start = next;
            }
        }
    }
    if text[start..].trim().is_empty() {
        return out;
    }
    out.push(start..text.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|t| t.raw).collect()
    }

    #[test]
    fn splits_words_numbers_and_euro() {
        assert_eq!(
            words("Ik krijg €1.250,50 per maand, sinds 03/12/2026."),
            [
                "Ik",
                "krijg",
                "€",
                "1.250,50",
                "per",
                "maand",
                "sinds",
                "03/12/2026"
            ]
        );
        assert_eq!(
            words("m'n ex-partner, tweeëntwintig!"),
            ["m'n", "ex-partner", "tweeëntwintig"]
        );
        assert_eq!(words("750 euro. 12-"), ["750", "euro", "12"]);
    }

    #[test]
    fn positions_point_into_the_text() {
        let text = "Huur: 650 €";
        for t in tokenize(text) {
            assert_eq!(&text[t.start..t.end], t.raw);
        }
    }

    #[test]
    fn sentences_split_but_not_inside_numbers() {
        let text = "Dat is € 1.250. Ik bel morgen! Goed?";
        let parts: Vec<&str> = sentences(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(parts, ["Dat is € 1.250.", "Ik bel morgen!", "Goed?"]);
    }
}
