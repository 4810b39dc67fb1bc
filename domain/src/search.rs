//! Accent- and case-insensitive name search.

mod fold_table;

/// Whether `c` is a combining mark: the blocks of combining diacritical marks, the Cyrillic
/// ones, Hebrew points and Arabic vowel marks (as typed on a device that writes accents as
/// separate marks).
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36f}'
            | '\u{483}'..='\u{489}'
            | '\u{591}'..='\u{5c7}'
            | '\u{64b}'..='\u{65f}'
            | '\u{670}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe20}'..='\u{fe2f}'
    )
}

/// The base letter of `c` ("é" → "e", "Ş" → "S", "ạ" → "a", "ł" → "l"), or `c` itself.
pub fn base_letter(c: char) -> char {
    let find = |table: &[(char, char)]| {
        table
            .binary_search_by_key(&c, |&(letter, _)| letter)
            .ok()
            .map(|i| table[i].1)
    };
    find(fold_table::BASE)
        .or_else(|| find(fold_table::BEYOND))
        .unwrap_or(c)
}

/// What `c` decomposes to when that is several characters ("ĳ" → "ij", "ﬁ" → "fi").
pub fn expanded(c: char) -> Option<&'static str> {
    fold_table::EXPANDED
        .binary_search_by_key(&c, |&(letter, _)| letter)
        .ok()
        .map(|i| fold_table::EXPANDED[i].1)
}

/// Folds text for matching: drops accents, lowercases and collapses whitespace, so
/// "Céline  Van Damme" and "celine van damme" fold to the same text. Accented letters of
/// Latin, Greek and Cyrillic script fold to their base letters as Unicode's compatibility
/// decomposition (NFKD) has them, whether typed as one character or with combining marks;
/// ligatures ("ĳ", "ﬁ") are spelled out, and "ł", "ı", "ø", "đ" fold to "l", "i", "o", "d".
pub fn fold(text: &str) -> String {
    let mut stripped = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !is_combining_mark(*c)) {
        match expanded(c) {
            Some(several) => stripped.extend(several.chars().flat_map(char::to_lowercase)),
            None => stripped.extend(base_letter(c).to_lowercase()),
        }
    }
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
