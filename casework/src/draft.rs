//! "Verslag genereren": from a contact's notes and transcripts to a staged draft report.
//!
//! # Design
//! The pipeline, in one place:
//! 1. the contact's notes (when written) become a typed transcript, sealed with the contact key
//!    and stored with the report, so every drafted sentence points at a stored segment;
//! 2. the inputs are chosen by [`crate::inputs::for_draft`] (permits only);
//! 3. all segments are numbered in one sequence, facts are extracted from each input against
//!    its own contact day, and the template is filled;
//! 4. every proposal's source numbers are mapped back to (transcript, segment);
//! 5. the report is built once ([`new_report`]) and staged with the permit.
//!
//! The notes transcript and the report are one [`Change`]: both are written in one
//! transaction, or neither.

use domain::report::{AiUse, Proposal, Report, ReportSection, Source, TemplateRef};
use domain::transcript::{Transcript, TranscriptOrigin};
use domain::workspace::{Change, Workspace, WorkspaceError};
use domain::{RecordId, Timestamp};
use extract::{Date, Gazetteer, Segment, Speaker};
use templates::fill::Draft;
use templates::{Drafting, Template};

use crate::inputs;
use crate::new_id;

/// Version string of the drafting, for the disclosure.
pub const DRAFTING: &str = concat!("Zorgvuldig extractie ", env!("CARGO_PKG_VERSION"));

/// The report's reference to its template.
pub fn template_ref(t: &Template) -> TemplateRef {
    TemplateRef {
        id: t.id.clone(),
        version: t.version,
        sha256: t.sha256.clone(),
        title: t.title.clone(),
    }
}

/// The report's sections, from the template's.
pub fn sections(t: &Template) -> Vec<ReportSection> {
    t.sections
        .iter()
        .map(|s| ReportSection {
            id: s.id.clone(),
            title: s.title.clone(),
            worker_only: s.drafting == Drafting::Worker,
        })
        .collect()
}

/// A new draft report of `contact` from `template`: the one place a report is assembled.
///
/// # Errors
/// [`WorkspaceError::ContactNotFound`], or [`WorkspaceError::Report`] for a proposal that may
/// not be in a draft.
pub fn new_report(
    ws: &Workspace,
    contact: RecordId,
    template: &Template,
    proposals: Vec<Proposal>,
    ai: AiUse,
    now: Timestamp,
) -> Result<Report, WorkspaceError> {
    let c = ws.contact(contact).ok_or(WorkspaceError::ContactNotFound)?;
    Ok(Report::new(
        new_id()?,
        contact,
        c.dossier,
        template_ref(template),
        sections(template),
        proposals,
        ai,
        now,
    )?)
}

/// The alternative path: an empty report from `template`, written by hand. No AI, no permit.
///
/// # Errors
/// As [`new_report`] and [`Workspace::stage_new_report`].
pub fn by_hand(
    ws: &Workspace,
    contact: RecordId,
    template: &Template,
    now: Timestamp,
) -> Result<Change, WorkspaceError> {
    let report = new_report(ws, contact, template, Vec::new(), AiUse::default(), now)?;
    ws.stage_new_report(None, report)
}

/// Drafts `template` for `contact` and stages the report (with the notes transcript, when the
/// contact has notes). `day` gives the calendar day of a moment in the worker's time zone.
///
/// # Errors
/// [`WorkspaceError::ContactNotFound`]; [`WorkspaceError::Consent`] when the contact has no
/// permit (nothing is staged); [`WorkspaceError::TranscriptNotFound`] when there is nothing to
/// draft from (no notes, no recording).
pub fn generate(
    ws: &Workspace,
    contact: RecordId,
    template: &Template,
    now: Timestamp,
    day: impl Fn(Timestamp) -> Date,
) -> Result<Change, WorkspaceError> {
    let c = ws.contact(contact).ok_or(WorkspaceError::ContactNotFound)?;
    let found = inputs::for_draft(ws, c, &day)?;
    let notes = if c.note.trim().is_empty() {
        None
    } else {
        Some(Transcript::from_notes(new_id()?, contact, &c.note, now))
    };
    let own_day = day(c.started_at);
    let texts: Vec<(&Transcript, Date)> = notes
        .iter()
        .map(|t| (t, own_day))
        .chain(found.recorded.iter().map(|i| (i.transcript, i.day)))
        .chain(found.earlier.iter().map(|i| (i.transcript, i.day)))
        .collect();
    if notes.is_none() && found.recorded.is_empty() {
        return Err(WorkspaceError::TranscriptNotFound);
    }
    let proposals = propose(template, &texts);
    let ai = AiUse {
        recording: found.transcription_model.is_some(),
        transcription_model: found.transcription_model.clone(),
        drafting: Some(DRAFTING.into()),
    };
    let report = new_report(ws, contact, template, proposals, ai, now)?;
    let staged = ws.stage_new_report(Some(&found.permit), report)?;
    match notes {
        Some(t) => Ok(ws.stage_transcript(&found.permit, t)?.then(staged)),
        None => Ok(staged),
    }
}

/// A recorded segment in which the recogniser was unsure of more than this share of the words
/// (a third) is not drafted from: see [`heard_well`].
pub const MAX_UNSURE_SHARE: f32 = 0.34;

/// Whether segment `s` of `t` was heard well enough to draft from: typed text always; a
/// recorded segment when at most [`MAX_UNSURE_SHARE`] of its words were unsure (a corrected or
/// confirmed segment has none). Drafting from a badly heard stretch would put the recogniser's
/// errors into the report as facts or quotations: leaving it out costs recall, not
/// correctness, and once the worker corrects or confirms it in the transcript it is drafted
/// the next time.
pub fn heard_well(t: &Transcript, s: &Segment) -> bool {
    if !matches!(t.origin, TranscriptOrigin::Recorded { .. }) {
        return true;
    }
    let unsure = t.unsure_in(s.id).len();
    let words = s.text.split_whitespace().count().max(1);
    unsure == 0 || (unsure as f32 / words as f32) <= MAX_UNSURE_SHARE
}

/// The segments of `contact`'s recordings that a draft leaves out because they were heard too
/// badly ([`heard_well`]), oldest recording first: the worker corrects or confirms them, then
/// drafts again. None once the client revoked consent (nothing may be drafted then).
pub fn badly_heard(ws: &Workspace, contact: RecordId) -> Vec<Source> {
    if ws
        .contact(contact)
        .is_none_or(|c| c.processing_permit().is_err())
    {
        return Vec::new();
    }
    ws.transcripts_of(contact)
        .into_iter()
        .rev()
        .flat_map(|t| {
            t.segments
                .iter()
                .filter(|s| !heard_well(t, s))
                .map(|s| Source {
                    transcript: t.id,
                    segment: s.id,
                })
        })
        .collect()
}

/// The draft of `template` from `texts` (each with its contact day), with segments numbered in
/// one sequence: `origin[n - 1]` is where drafted segment `n` came from. The eval command runs
/// exactly this.
pub fn drafted(template: &Template, texts: &[(&Transcript, Date)]) -> (Draft, Vec<Source>) {
    let gazetteer = Gazetteer::default();
    let (mut segments, mut facts, mut frames, mut origin) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::<Source>::new());
    for (t, date) in texts {
        // Recordings stored before speakers were told apart name every voice `Other`: nobody
        // recognised it, so it drafts as unknown.
        let legacy = matches!(t.origin, TranscriptOrigin::Recorded { .. })
            && t.voices.is_empty()
            && t.segments.iter().all(|s| s.speaker == Speaker::Other);
        let renumbered: Vec<Segment> = t
            .segments
            .iter()
            .map(|s| {
                origin.push(Source {
                    transcript: t.id,
                    segment: s.id,
                });
                let speaker = match s.speaker {
                    Speaker::Other if legacy => Speaker::Unknown,
                    other => other,
                };
                let text = if heard_well(t, s) {
                    s.text.clone()
                } else {
                    String::new()
                };
                Segment {
                    id: u32::try_from(origin.len()).unwrap_or(u32::MAX),
                    speaker,
                    text,
                    ..s.clone()
                }
            })
            .collect();
        facts.extend(extract::extract(&renumbered, *date, &gazetteer));
        frames.extend(extract::frames::find(&renumbered, *date, &gazetteer));
        segments.extend(renumbered);
    }
    (
        templates::fill::draft(template, &segments, &facts, &frames),
        origin,
    )
}

/// Fills `template` from `texts` (each with its contact day) and maps every proposal's sources
/// back to (transcript, segment).
pub fn propose(template: &Template, texts: &[(&Transcript, Date)]) -> Vec<Proposal> {
    let (draft, origin) = drafted(template, texts);
    let origin = &origin;
    draft
        .sections
        .iter()
        .flat_map(|s| {
            s.sentences.iter().map(move |p| Proposal {
                section: s.id.clone(),
                text: p.text.clone(),
                sources: p
                    .sources
                    .iter()
                    .filter_map(|id| origin.get((*id as usize).checked_sub(1)?).copied())
                    .collect(),
                check: p.frame.as_ref().and_then(extract::Frame::check),
            })
        })
        .collect()
}
