//! "Herbeluisteren": the stretches of a recording a report's sentences cite while the
//! recogniser was unsure of words in them. Before a report is validated the worker plays each
//! one and corrects or confirms it.

use super::{Change, Workspace, WorkspaceError};
use crate::consent::ProcessingPermit;
use crate::report::{Report, Source};
use crate::{RecordId, Timestamp};

/// One cited stretch the worker still has to listen to again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relisten {
    /// The cited segment.
    pub source: Source,
    /// The report's sentences that cite it, in report order.
    pub sentences: Vec<u32>,
    /// The segment's text.
    pub text: String,
    /// The words the recogniser was unsure of.
    pub words: Vec<String>,
    /// Where it lies in the recording, when the recording is kept.
    pub span_ms: Option<(u64, u64)>,
}

impl Workspace {
    /// The cited segments of `report` that still carry unsure words, in the order the report
    /// first cites them. Sentences whose source was removed after revocation cite nothing
    /// that can be played, and are left out; so are validated reports (they cannot change).
    pub fn relisten(&self, report: &Report) -> Vec<Relisten> {
        if report.validated.is_some() {
            return Vec::new();
        }
        self.cited_unsure(report)
    }

    /// The cited segments of `report` that carry unsure words, validated or not.
    pub(super) fn cited_unsure(&self, report: &Report) -> Vec<Relisten> {
        let mut list: Vec<Relisten> = Vec::new();
        for sentence in report.sentences.iter().filter(|s| !s.source_removed) {
            for &source in &sentence.sources {
                if let Some(item) = list.iter_mut().find(|r| r.source == source) {
                    item.sentences.push(sentence.id);
                    continue;
                }
                let Some(transcript) = self.transcript(source.transcript) else {
                    continue;
                };
                let words = transcript.unsure_in(source.segment);
                let Some(segment) = transcript.segment(source.segment) else {
                    continue;
                };
                if words.is_empty() {
                    continue;
                }
                let span_ms = transcript
                    .audio
                    .as_ref()
                    .and(segment.start_ms.zip(segment.end_ms));
                list.push(Relisten {
                    source,
                    sentences: vec![sentence.id],
                    text: segment.text.clone(),
                    words: words.to_vec(),
                    span_ms,
                });
            }
        }
        list
    }

    /// Stages the worker's word that `segment`, listened to again, was heard right: its unsure
    /// words are no longer marked and it leaves every report's "Herbeluisteren" list. Needs the
    /// contact's permit, like a correction.
    ///
    /// # Errors
    /// [`WorkspaceError::TranscriptNotFound`], [`WorkspaceError::Transcript`], or as
    /// [`Workspace::stage_transcript`].
    pub fn stage_heard_confirmation(
        &self,
        permit: &ProcessingPermit,
        transcript: RecordId,
        segment: u32,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        self.stage_edited_transcript(permit, transcript, |t| t.confirm_heard(segment, now))
    }
}
