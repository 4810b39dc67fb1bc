//! Which notes and transcripts of a dossier may feed a draft or the overview.
//!
//! # Design
//! Consent is decided here through [`ProcessingPermit`] only: a contact's transcripts are an
//! input when [`Contact::processing_permit`] grants a permit (the client said "ja" and did not
//! revoke), never on the consent answer alone. Revocation normally destroys the transcripts
//! with the contact key, but the selection does not rely on that: a transcript that is still
//! present (a sync not yet applied, an older backup) of a revoked contact is left out all the
//! same. Every selected input carries the permit that let it in.

use domain::consent::{ConsentError, ProcessingPermit};
use domain::contact::Contact;
use domain::transcript::{Transcript, TranscriptOrigin};
use domain::workspace::Workspace;
use domain::{RecordId, Timestamp};
use extract::Date;

/// One transcript that may be processed, with the day it was said on.
#[derive(Debug, Clone)]
pub struct Input<'w> {
    /// The transcript.
    pub transcript: &'w Transcript,
    /// The calendar day of its contact (dates in the text are read against it).
    pub day: Date,
    /// The permit of its contact.
    pub permit: ProcessingPermit,
}

/// What a draft for one contact may read.
#[derive(Debug, Clone)]
pub struct DraftInputs<'w> {
    /// The permit of the contact being reported on.
    pub permit: ProcessingPermit,
    /// That contact's recorded transcripts, oldest first.
    pub recorded: Vec<Input<'w>>,
    /// The latest transcript of each earlier contact of the dossier that has a permit, newest
    /// contact first.
    pub earlier: Vec<Input<'w>>,
    /// The speech model of the contact's recordings, when any.
    pub transcription_model: Option<String>,
}

/// The inputs of a draft for `contact`: its recorded transcripts, and the latest transcript of
/// each earlier contact of the same dossier (started no later) whose client still consents.
/// `day` gives the calendar day of a moment (in the worker's time zone).
///
/// # Errors
/// [`ConsentError`] when `contact` itself has no permit (refused or revoked).
pub fn for_draft<'w>(
    ws: &'w Workspace,
    contact: &Contact,
    day: &impl Fn(Timestamp) -> Date,
) -> Result<DraftInputs<'w>, ConsentError> {
    let permit = contact.processing_permit()?;
    let recorded: Vec<Input<'w>> = ws
        .transcripts_of(contact.id)
        .into_iter()
        .rev()
        .filter(|t| matches!(t.origin, TranscriptOrigin::Recorded { .. }))
        .map(|transcript| Input {
            transcript,
            day: day(contact.started_at),
            permit: permit.clone(),
        })
        .collect();
    let transcription_model = recorded.iter().find_map(|i| match &i.transcript.origin {
        TranscriptOrigin::Recorded { model } => Some(model.clone()),
        TranscriptOrigin::Typed => None,
    });
    let earlier = ws
        .contacts_of(contact.dossier)
        .into_iter()
        .filter(|c| c.id != contact.id && c.started_at <= contact.started_at)
        .filter_map(|c| latest(ws, c, day))
        .collect();
    Ok(DraftInputs {
        permit,
        recorded,
        earlier,
        transcription_model,
    })
}

/// The latest transcript of every contact of `dossier` that has a permit, oldest contact first
/// (so contacts on the same day keep their order).
pub fn for_overview<'w>(
    ws: &'w Workspace,
    dossier: RecordId,
    day: &impl Fn(Timestamp) -> Date,
) -> Vec<Input<'w>> {
    ws.contacts_of(dossier)
        .into_iter()
        .rev()
        .filter_map(|c| latest(ws, c, day))
        .collect()
}

/// The latest transcript of `contact`, when its client consents.
fn latest<'w>(
    ws: &'w Workspace,
    contact: &Contact,
    day: &impl Fn(Timestamp) -> Date,
) -> Option<Input<'w>> {
    let permit = contact.processing_permit().ok()?;
    let transcript = ws.transcripts_of(contact.id).into_iter().next()?;
    Some(Input {
        transcript,
        day: day(contact.started_at),
        permit,
    })
}
