//! Transcripts: the segments a report's sources point to, recorded or typed.
//!
//! A transcript is sealed with its contact's key, so revoking consent can destroy it (with the
//! audio) by destroying that key, while reports keep their sentences.

/// Segments and their speakers, as drafting reads them.
pub use extract::{Segment, Speaker};
use serde::{Deserialize, Serialize};

use crate::{RecordId, Timestamp};

mod turns;
mod unsure;
mod voices;

pub use turns::cut_at_voice_changes;
pub use unsure::{HeardCheck, UnsureWords, split_unsure};
pub use voices::{CERTAIN_SHARE, SegmentVoice, SpeakerEdit, VoiceName, VoiceTurn};

/// The speaker of every segment of a recording: speech recognition does not say who spoke.
pub const RECOGNISED_SPEAKER: Speaker = Speaker::Unknown;

/// Where the segments came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TranscriptOrigin {
    /// Notes typed by the worker.
    Typed,
    /// A recording transcribed on the device.
    Recorded {
        /// Speech model and version.
        model: String,
    },
}

/// The recording a transcript was made from. The audio itself is sealed with the contact key
/// in the audio store, under the transcript's id, and read only when it is played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudioInfo {
    /// Samples per second.
    pub sample_rate: u32,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// Size of the stored audio (WAV) in bytes, before sealing.
    pub bytes: u64,
}

/// A worker's correction of one segment. The text before it is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentEdit {
    /// The segment.
    pub segment: u32,
    /// Its text before this correction.
    pub before: String,
    /// When.
    pub at: Timestamp,
}

/// Why a segment cannot be corrected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TranscriptError {
    /// No segment with that id.
    #[error("dit fragment bestaat niet")]
    SegmentNotFound,
    /// The correction is empty.
    #[error("een verbeterd fragment mag niet leeg zijn")]
    Empty,
    /// The correction is the current text.
    #[error("de tekst is niet gewijzigd")]
    Unchanged,
    /// No voice with that number in this recording.
    #[error("deze stem komt in de opname niet voor")]
    VoiceNotFound,
    /// A voice is a person in the conversation: the worker, the client or someone else.
    #[error("een stem is de werker, de cliënt of een andere spreker")]
    NotASpeaker,
    /// The segment has no unsure words left to confirm.
    #[error("in dit fragment is niets onzeker gehoord")]
    NothingUnsure,
}

/// The segments of one contact's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transcript {
    /// Record id.
    pub id: RecordId,
    /// The contact.
    pub contact: RecordId,
    /// Origin.
    pub origin: TranscriptOrigin,
    /// Segments, ids from 1.
    pub segments: Vec<Segment>,
    /// When it was made.
    pub created_at: Timestamp,
    /// The recording, when one is stored.
    #[serde(default)]
    pub audio: Option<AudioInfo>,
    /// Corrections, oldest first.
    #[serde(default)]
    pub edits: Vec<SegmentEdit>,
    /// Which voice said each segment of a recording (empty when none was told apart).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voices: Vec<SegmentVoice>,
    /// Who each voice is, as the worker said.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voice_names: Vec<VoiceName>,
    /// The worker's corrections of single segments' speakers, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speaker_edits: Vec<SpeakerEdit>,
    /// Words the recogniser was unsure of, per segment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsure: Vec<UnsureWords>,
    /// Segments whose unsure words the worker listened to again and kept as heard.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heard: Vec<HeardCheck>,
}

impl Transcript {
    /// A transcript of typed notes: one segment per sentence, in order.
    pub fn from_notes(id: RecordId, contact: RecordId, notes: &str, now: Timestamp) -> Self {
        let segments = notes
            .lines()
            .flat_map(|line| {
                extract::token::sentences(line)
                    .into_iter()
                    .map(move |r| line[r].trim().to_owned())
            })
            .filter(|s| !s.is_empty())
            .zip(1..)
            .map(|(text, id)| Segment {
                id,
                speaker: Speaker::Note,
                text,
                start_ms: None,
                end_ms: None,
            })
            .collect();
        Self {
            id,
            contact,
            origin: TranscriptOrigin::Typed,
            segments,
            created_at: now,
            audio: None,
            edits: Vec::new(),
            voices: Vec::new(),
            voice_names: Vec::new(),
            speaker_edits: Vec::new(),
            unsure: Vec::new(),
            heard: Vec::new(),
        }
    }

    /// A transcript of a recording: one segment per recognised stretch, with its times. Who
    /// spoke is not recognised, so every segment is [`RECOGNISED_SPEAKER`].
    pub fn recorded(
        id: RecordId,
        contact: RecordId,
        model: impl Into<String>,
        timed: impl IntoIterator<Item = (u64, u64, String)>,
        audio: Option<AudioInfo>,
        now: Timestamp,
    ) -> Self {
        let segments = timed
            .into_iter()
            .map(|(start, end, text)| (start, end, text.trim().to_owned()))
            .filter(|(_, _, text)| !text.is_empty())
            .zip(1..)
            .map(|((start, end, text), id)| Segment {
                id,
                speaker: RECOGNISED_SPEAKER,
                text,
                start_ms: Some(start),
                end_ms: Some(end),
            })
            .collect();
        Self {
            id,
            contact,
            origin: TranscriptOrigin::Recorded {
                model: model.into(),
            },
            segments,
            created_at: now,
            audio,
            edits: Vec::new(),
            voices: Vec::new(),
            voice_names: Vec::new(),
            speaker_edits: Vec::new(),
            unsure: Vec::new(),
            heard: Vec::new(),
        }
    }

    /// Replaces a segment's text with the worker's correction; the text before is kept in
    /// [`Transcript::edits`].
    ///
    /// # Errors
    /// [`TranscriptError`] for an unknown segment, an empty or unchanged text.
    pub fn correct(
        &mut self,
        segment: u32,
        text: &str,
        now: Timestamp,
    ) -> Result<(), TranscriptError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TranscriptError::Empty);
        }
        let seg = self
            .segments
            .iter_mut()
            .find(|s| s.id == segment)
            .ok_or(TranscriptError::SegmentNotFound)?;
        if seg.text == text {
            return Err(TranscriptError::Unchanged);
        }
        let before = std::mem::replace(&mut seg.text, text.to_owned());
        self.edits.push(SegmentEdit {
            segment,
            before,
            at: now,
        });
        Ok(())
    }

    /// The text a segment had before any correction (what the model or the notes said), when it
    /// was corrected.
    pub fn original(&self, segment: u32) -> Option<&str> {
        self.edits
            .iter()
            .find(|e| e.segment == segment)
            .map(|e| e.before.as_str())
    }

    /// A segment by id.
    pub fn segment(&self, id: u32) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_become_numbered_sentences() {
        let id = RecordId::random().unwrap();
        let t = Transcript::from_notes(
            id,
            id,
            "Huur € 1.250 per maand. MW belt CAW!\n\nCliënt brengt attest",
            Timestamp(1),
        );
        let texts: Vec<&str> = t.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Huur € 1.250 per maand.",
                "MW belt CAW!",
                "Cliënt brengt attest"
            ]
        );
        assert_eq!(t.segment(2).unwrap().speaker, Speaker::Note);
    }

    #[test]
    fn recorded_segments_keep_times_and_corrections_keep_the_original() {
        let id = RecordId::random().unwrap();
        let mut t = Transcript::recorded(
            id,
            id,
            "whisper-base-nl 1",
            [
                (0, 1500, " Goedemorgen. ".to_owned()),
                (1500, 1600, "  ".to_owned()),
                (2000, 4200, "Mijn huur is 700 euro.".to_owned()),
            ],
            None,
            Timestamp(1),
        );
        assert_eq!(t.segments.len(), 2, "empty stretches are dropped");
        assert_eq!(t.segments[1].id, 2);
        assert_eq!(t.segments[1].start_ms, Some(2000));
        assert_eq!(t.segments[1].speaker, Speaker::Unknown);
        assert_eq!(t.correct(2, "Mijn huur is 750 euro.", Timestamp(2)), Ok(()));
        assert_eq!(t.correct(2, "Mijn huur is 760 euro.", Timestamp(3)), Ok(()));
        assert_eq!(t.segment(2).unwrap().text, "Mijn huur is 760 euro.");
        assert_eq!(t.original(2), Some("Mijn huur is 700 euro."));
        assert_eq!(t.edits.len(), 2);
        assert_eq!(t.correct(2, " ", Timestamp(4)), Err(TranscriptError::Empty));
        assert_eq!(
            t.correct(2, "Mijn huur is 760 euro.", Timestamp(4)),
            Err(TranscriptError::Unchanged)
        );
        assert_eq!(
            t.correct(9, "x", Timestamp(4)),
            Err(TranscriptError::SegmentNotFound)
        );
        assert_eq!(t.original(1), None);
    }
}
