//! Helpers shared by the extractors: numbers next to a token, fact construction.

use crate::fact::{Fact, FactValue, Segment};
use crate::numbers::{is_number_word, parse_digits_hundredths, parse_words};
use crate::token::Token;

/// Longest run of number words taken together (e.g. "drieduizend vijfhonderd").
const MAX_NUMBER_WORDS: usize = 4;

/// A number (in hundredths) ending just before token `end`: returns its first token index.
pub fn number_before(tokens: &[Token<'_>], end: usize) -> Option<(usize, u64)> {
    let last = tokens.get(end.checked_sub(1)?)?;
    if last.is_numeric() {
        return parse_digits_hundredths(&last.raw.replace(' ', "")).map(|v| (end - 1, v));
    }
    let mut best = None;
    for len in 1..=MAX_NUMBER_WORDS.min(end) {
        let start = end - len;
        if !is_number_word(&tokens[start].lower) {
            break;
        }
        let words: Vec<&str> = tokens[start..end]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        if let Some(n) = parse_words(&words.join(" ")) {
            best = Some((start, n * 100));
        }
    }
    best
}

/// A number (in hundredths) starting at token `start`: returns the index after its last token.
pub fn number_at(tokens: &[Token<'_>], start: usize) -> Option<(usize, u64)> {
    let first = tokens.get(start)?;
    if first.is_numeric() {
        return parse_digits_hundredths(first.raw).map(|v| (start + 1, v));
    }
    let mut best = None;
    for end in start + 1..=(start + MAX_NUMBER_WORDS).min(tokens.len()) {
        if !is_number_word(&tokens[end - 1].lower) {
            break;
        }
        let words: Vec<&str> = tokens[start..end]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        if let Some(n) = parse_words(&words.join(" ")) {
            best = Some((end, n * 100));
        }
    }
    best
}

/// Whether tokens from `at` spell `words` (lowercase).
pub fn phrase_at(tokens: &[Token<'_>], at: usize, words: &[&str]) -> bool {
    words.len() <= tokens.len().saturating_sub(at)
        && words
            .iter()
            .enumerate()
            .all(|(i, w)| tokens[at + i].lower == *w)
}

/// Builds a fact whose evidence is tokens `first..=last` of `seg`.
pub fn fact(
    seg: &Segment,
    tokens: &[Token<'_>],
    first: usize,
    last: usize,
    value: FactValue,
) -> Fact {
    let span = tokens[first].start..tokens[last].end;
    Fact {
        value,
        sources: vec![seg.id],
        evidence: seg.text[span.clone()].to_owned(),
        span,
    }
}

/// Whether only spaces separate tokens `a` and `a + 1` (no punctuation between them).
pub fn adjacent(text: &str, tokens: &[Token<'_>], a: usize) -> bool {
    tokens.get(a + 1).is_some_and(|next| {
        text[tokens[a].end..next.start]
            .chars()
            .all(char::is_whitespace)
    })
}
