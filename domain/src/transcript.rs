//! Transcripts: the segments a report's sources point to, recorded or typed.
//!
//! A transcript is sealed with its contact's key, so revoking consent can destroy it (with the
//! audio) by destroying that key, while reports keep their sentences.

use extract::{Segment, Speaker};
use serde::{Deserialize, Serialize};

use crate::{RecordId, Timestamp};

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
        }
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
}
