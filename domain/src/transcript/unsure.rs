//! Words the recogniser was unsure of: marked in the transcript so the worker knows which
//! stretches to listen to again. A segment the worker corrected has none left: the worker's
//! text is what stands.

use serde::{Deserialize, Serialize};

use super::{Transcript, TranscriptError};
use crate::Timestamp;

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

    /// The unsure words of `segment`; none once the worker corrected its text or listened
    /// to it again and kept it as heard.
    pub fn unsure_in(&self, segment: u32) -> &[String] {
        if self.edits.iter().any(|e| e.segment == segment)
            || self.heard.iter().any(|h| h.segment == segment)
        {
            return &[];
        }
        self.unsure
            .iter()
            .find(|u| u.segment == segment)
            .map_or(&[], |u| u.words.as_slice())
    }
}

impl Transcript {
    /// The worker listened to `segment` again and keeps its text as heard: its unsure words
    /// are no longer marked. Correcting the text instead does the same.
    ///
    /// # Errors
    /// [`TranscriptError::SegmentNotFound`], or [`TranscriptError::NothingUnsure`] when the
    /// segment has no unsure words left.
    pub fn confirm_heard(&mut self, segment: u32, now: Timestamp) -> Result<(), TranscriptError> {
        if self.segment(segment).is_none() {
            return Err(TranscriptError::SegmentNotFound);
        }
        if self.unsure_in(segment).is_empty() {
            return Err(TranscriptError::NothingUnsure);
        }
        self.heard.push(HeardCheck { segment, at: now });
        Ok(())
    }
}

/// A segment the worker listened to again and kept as it was heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeardCheck {
    /// The segment.
    pub segment: u32,
    /// When the worker confirmed it.
    pub at: Timestamp,
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
