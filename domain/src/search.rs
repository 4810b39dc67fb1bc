//! Accent- and case-insensitive name search.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text for matching: decomposes, drops accents, lowercases and collapses whitespace, so
/// "Céline  Van Damme" and "celine van damme" fold to the same text.
pub fn fold(text: &str) -> String {
    let stripped: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether every word of `query` occurs in one of `fields` (after [`fold`]ing both).
/// An empty query matches everything.
pub fn matches(query: &str, fields: &[&str]) -> bool {
    let folded: Vec<String> = fields.iter().map(|f| fold(f)).collect();
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|word| folded.iter().any(|f| f.contains(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("  Céline\tVAN  Dämme "), "celine van damme");
    }

    #[test]
    fn every_query_word_must_match_some_field() {
        assert!(matches("van celine", &["Céline Van Damme", "D-2026-001"]));
        assert!(matches("2026-001", &["Céline Van Damme", "D-2026-001"]));
        assert!(!matches("celine peeters", &["Céline Van Damme", ""]));
        assert!(matches("", &["x"]));
    }
}
