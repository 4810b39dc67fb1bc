//! Words the recogniser was unsure of: marked in the transcript so the worker knows which
//! stretches to listen to again. A segment the worker corrected has none left: the worker's
//! text is what stands.

use serde::{Deserialize, Serialize};

use super::Transcript;

/// The unsure words of one segment, in the order they appear in its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsureWords {
    /// The segment.
    pub segment: u32,
    /// The words, as they appear in the segment's text.
    pub words: Vec<String>,
}

impl Transcript {
    /// Records the unsure words of each segment, `per_segment[n]` for the `n`-th segment in
    /// order; words that do not occur in their segment's text are dropped.
    pub fn mark_unsure(&mut self, per_segment: impl IntoIterator<Item = Vec<String>>) {
        self.unsure = self
            .segments
            .iter()
            .zip(per_segment)
            .filter_map(|(seg, words)| {
                let words: Vec<String> = words
                    .into_iter()
                    .filter(|w| !w.is_empty() && seg.text.contains(w.as_str()))
                    .collect();
                (!words.is_empty()).then_some(UnsureWords {
                    segment: seg.id,
                    words,
                })
            })
            .collect();
    }

    /// The unsure words of `segment`; none once the worker corrected its text.
    pub fn unsure_in(&self, segment: u32) -> &[String] {
        if self.edits.iter().any(|e| e.segment == segment) {
            return &[];
        }
        self.unsure
            .iter()
            .find(|u| u.segment == segment)
            .map_or(&[], |u| u.words.as_slice())
    }
}

/// `text` cut into pieces, each marked unsure or not: the first not yet used occurrence of
/// each unsure word, as a whole word, is its own piece. Joining the pieces gives `text` back.
pub fn split_unsure(text: &str, unsure: &[String]) -> Vec<(String, bool)> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for word in unsure.iter().filter(|w| !w.is_empty()) {
        let mut from = 0;
        while let Some(found) = text[from..].find(word.as_str()) {
            let start = from + found;
            let end = start + word.len();
            let whole = !text[..start].ends_with(char::is_alphanumeric)
                && !text[end..].starts_with(char::is_alphanumeric);
            let free = marks.iter().all(|&(s, e)| end <= s || start >= e);
            if whole && free {
                marks.push((start, end));
                break;
            }
            from = end;
        }
    }
    extract::order::sort(&mut marks);
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, end) in marks {
        if start > at {
            pieces.push((text[at..start].to_owned(), false));
        }
        pieces.push((text[start..end].to_owned(), true));
        at = end;
    }
    if at < text.len() {
        pieces.push((text[at..].to_owned(), false));
    }
    pieces
}
