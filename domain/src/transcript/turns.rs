//! Turns, not windows: the recogniser cuts a recording where it pauses, not where the speaker
//! changes, so a question and its answer without a pause between them come back as one
//! segment. Such a segment is cut where the voice changes, at the sentence boundary whose place
//! in the text matches the moment of the change; each piece then takes its own voice.
//!
//! Without word timings the place of a boundary in time is estimated from the share of the
//! segment's letters before it (speech runs at a roughly even rate of letters). A change with
//! no sentence boundary near it leaves the segment whole and uncertain: it is then never
//! quoted as anyone's words, and a wrong cut can only make a piece uncertain too, since every
//! piece must still be said almost entirely ([`super::CERTAIN_SHARE`]) by one voice to be
//! attributed.

use super::VoiceTurn;
use crate::speech::TimedText;

/// How far (ms) the estimated time of a sentence boundary may lie from a voice change to be
/// cut there, at least; see [`NEAR_SHARE`].
const NEAR_MS: u64 = 800;
/// … or this share of the segment's length, when that is more.
const NEAR_SHARE: f64 = 0.15;
/// A voice must hold at least this long a stretch inside a segment to count as a change.
const MIN_STRETCH_MS: u64 = 400;

/// The moments inside `start..end` where one voice hands over to another, from `turns`.
fn changes(start: u64, end: u64, turns: &[VoiceTurn]) -> Vec<u64> {
    let mut stretches: Vec<(u64, u64, u8)> = turns
        .iter()
        .filter_map(|t| {
            let (s, e) = (t.start_ms.max(start), t.end_ms.min(end));
            (e > s && e - s >= MIN_STRETCH_MS).then_some((s, e, t.voice))
        })
        .collect();
    crate::order::sort(&mut stretches);
    stretches
        .windows(2)
        .filter(|w| w[0].2 != w[1].2)
        .map(|w| (w[0].1 + w[1].0) / 2)
        .collect()
}

/// Byte offsets in `text` just after a sentence ends (`.`, `?` or `!` and a space), with the
/// share of the text's letters before each.
fn boundaries(text: &str) -> Vec<(usize, f64)> {
    let letters = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
    let mut out = Vec::new();
    let mut seen = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_whitespace() {
            seen += 1;
        }
        let next_is_space = chars.peek().is_some_and(|(_, n)| n.is_whitespace());
        if matches!(c, '.' | '?' | '!') && next_is_space && seen < letters {
            out.push((i + c.len_utf8(), seen as f64 / letters as f64));
        }
    }
    out
}

/// Cuts every segment of a recording in which speaker attribution's `turns` show the voice
/// changing, at the sentence boundary nearest that moment (see the module text). Unsure words
/// go with the piece they are in. Returns the segments, in order, and how many cuts were made.
pub fn cut_at_voice_changes(
    segments: Vec<TimedText>,
    turns: &[VoiceTurn],
) -> (Vec<TimedText>, usize) {
    let mut cuts = 0;
    let mut pieces: Vec<TimedText> = Vec::new();
    for seg in segments {
        let (start, end) = (seg.start_ms, seg.end_ms);
        let length = end.saturating_sub(start);
        let near = NEAR_MS.max((NEAR_SHARE * length as f64) as u64);
        let found = boundaries(&seg.text);
        let mut cut_at: Vec<(usize, u64)> = Vec::new();
        for change in changes(start, end, turns) {
            let best = found
                .iter()
                .filter(|(at, _)| cut_at.last().is_none_or(|(last, _)| at > last))
                .map(|&(at, share)| {
                    let estimate = start + (share * length as f64) as u64;
                    (at, estimate.abs_diff(change))
                })
                .min_by_key(|&(_, off)| off);
            if let Some((at, off)) = best
                && off <= near
            {
                cut_at.push((at, change));
            }
        }
        if cut_at.is_empty() {
            pieces.push(seg);
            continue;
        }
        cuts += cut_at.len();
        cut_at.push((seg.text.len(), end));
        let mut from = (0usize, start);
        for &(at, change) in &cut_at {
            let text = seg.text[from.0..at].trim().to_owned();
            if !text.is_empty() {
                let unsure = seg
                    .unsure
                    .iter()
                    .filter(|w| text.contains(w.as_str()))
                    .cloned()
                    .collect();
                pieces.push(TimedText {
                    start_ms: from.1,
                    end_ms: change,
                    text,
                    unsure,
                });
            }
            from = (at, change);
        }
    }
    (pieces, cuts)
}
