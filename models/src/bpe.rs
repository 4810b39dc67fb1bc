//! Text to Whisper tokens: GPT-2's pre-tokenisation and byte-pair merging by rank.
//!
//! Whisper's tokenizer is a byte-level BPE whose merge order is the token id itself: of all
//! adjacent pairs in a piece, the one whose joined bytes have the lowest id is merged first,
//! until no joined pair is a token. The vocabulary list alone is therefore enough to encode;
//! no separate merges table is needed.

use std::collections::HashMap;

/// Splits `text` the way GPT-2's pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` does.
pub fn pieces(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let end = piece_end(&chars, i);
        out.push(&text[at(i)..at(end)]);
        i = end;
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Number,
    Other,
    Space,
}

fn class(c: char) -> Class {
    if c.is_alphabetic() {
        Class::Letter
    } else if c.is_numeric() {
        Class::Number
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Other
    }
}

/// The end (exclusive, in chars) of the piece starting at `i`.
fn piece_end(chars: &[(usize, char)], i: usize) -> usize {
    let c = chars[i].1;
    if c == '\'' {
        let rest: String = chars[i + 1..].iter().take(2).map(|&(_, c)| c).collect();
        for suffix in ["re", "ve", "ll", "s", "t", "m", "d"] {
            if rest.starts_with(suffix) {
                return i + 1 + suffix.chars().count();
            }
        }
    }
    // ` ?` before a letter, number or other run.
    let (start, lead) = match (c, chars.get(i + 1)) {
        (' ', Some(&(_, next))) if class(next) != Class::Space => (i + 1, class(next)),
        _ => (i, class(c)),
    };
    if lead != Class::Space {
        let mut end = start + 1;
        while end < chars.len() && class(chars[end].1) == lead {
            end += 1;
        }
        return end;
    }
    // A whitespace run; before a non-space its last character is left for the next piece
    // (`\s+(?!\S)`), unless the run is a single character (`\s+`).
    let mut end = i + 1;
    while end < chars.len() && chars[end].1.is_whitespace() {
        end += 1;
    }
    if end < chars.len() && end - i > 1 {
        end - 1
    } else {
        end
    }
}

/// Merges the bytes of one piece by rank and returns the token ids; `None` when some byte
/// has no token (never, for a complete byte-level vocabulary).
pub fn merge(piece: &[u8], ranks: &HashMap<Vec<u8>, u32>) -> Option<Vec<u32>> {
    if let Some(&id) = ranks.get(piece) {
        return Some(vec![id]);
    }
    // Boundaries of the current parts: part k is piece[bounds[k]..bounds[k + 1]].
    let mut bounds: Vec<usize> = (0..=piece.len()).collect();
    loop {
        let best = (0..bounds.len().saturating_sub(2))
            .filter_map(|k| {
                ranks
                    .get(&piece[bounds[k]..bounds[k + 2]])
                    .map(|&rank| (rank, k))
            })
            .min();
        match best {
            Some((_, k)) => {
                bounds.remove(k + 1);
            }
            None => break,
        }
    }
    bounds
        .windows(2)
        .map(|w| ranks.get(&piece[w[0]..w[1]]).copied())
        .collect()
}
