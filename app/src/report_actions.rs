//! Creating and changing reports: the app's side of `domain::report`, through the session.

use domain::crypto::CryptoError;
use domain::report::{AiUse, Proposal, Report, ReportError, ReportSection, Source, TemplateRef};
use domain::transcript::{Transcript, TranscriptOrigin};
use domain::workspace::WorkspaceError;
use domain::{RecordId, Timestamp};
use templates::{Drafting, Template};

use crate::clock;
use crate::session::{SaveError, Session};

/// Version string of the drafting, for the disclosure.
pub const DRAFTING: &str = concat!("Zorgvuldig extractie ", env!("CARGO_PKG_VERSION"));

fn template_ref(t: &Template) -> TemplateRef {
    TemplateRef {
        id: t.id.clone(),
        version: t.version,
        sha256: t.sha256.clone(),
        title: t.title.clone(),
    }
}

fn sections(t: &Template) -> Vec<ReportSection> {
    t.sections
        .iter()
        .map(|s| ReportSection {
            id: s.id.clone(),
            title: s.title.clone(),
            worker_only: s.drafting == Drafting::Worker,
        })
        .collect()
}

/// A fresh random record id.
pub fn new_id() -> Result<RecordId, WorkspaceError> {
    RecordId::random().map_err(|e| WorkspaceError::Crypto(CryptoError::from(e)))
}

/// The alternative path: an empty report from `template`, written by hand. No AI.
///
/// # Errors
/// [`SaveError`] with a message for the worker.
pub async fn write_by_hand(
    session: Session,
    contact: RecordId,
    template: &Template,
) -> Result<RecordId, SaveError> {
    session
        .save(|ws| {
            let c = ws.contact(contact).ok_or(WorkspaceError::ContactNotFound)?;
            let report = Report::new(
                new_id()?,
                contact,
                c.dossier,
                template_ref(template),
                sections(template),
                Vec::new(),
                AiUse::default(),
                clock::now(),
            )?;
            ws.stage_new_report(None, report)
        })
        .await
}

/// "Verslag genereren": the contact's notes (if any) become a transcript (sealed with the
/// contact key); facts are extracted from it, from the contact's recorded transcripts, and from
/// the latest transcript of each earlier consented contact of the dossier (each against its own
/// date), and the template is drafted. Needs the client's "ja" for this contact.
///
/// # Errors
/// [`SaveError`]; a contact without consent yields a consent error and nothing is stored.
pub async fn generate(
    session: Session,
    contact: RecordId,
    template: &Template,
) -> Result<RecordId, SaveError> {
    let now = clock::now();
    let has_notes = session
        .with_untracked(|ws| {
            ws.contact(contact)
                .is_some_and(|c| !c.note.trim().is_empty())
        })
        .unwrap_or(false);
    let notes = if has_notes {
        Some(
            session
                .save(|ws| {
                    let c = ws.contact(contact).ok_or(WorkspaceError::ContactNotFound)?;
                    let permit = c.processing_permit()?;
                    let t = Transcript::from_notes(new_id()?, contact, &c.note, now);
                    ws.stage_transcript(&permit, t)
                })
                .await?,
        )
    } else {
        None
    };
    session
        .save(|ws| {
            let c = ws.contact(contact).ok_or(WorkspaceError::ContactNotFound)?;
            let permit = c.processing_permit()?;
            let day = |at: Timestamp| {
                clock::local_date(at).unwrap_or_else(|| {
                    extract::Date::from_days_since_epoch(at.millis().div_euclid(86_400_000))
                })
            };
            let recorded: Vec<&Transcript> = ws
                .transcripts_of(contact)
                .into_iter()
                .filter(|t| matches!(t.origin, TranscriptOrigin::Recorded { .. }))
                .collect();
            let transcription_model = recorded.iter().find_map(|t| match &t.origin {
                TranscriptOrigin::Recorded { model } => Some(model.clone()),
                TranscriptOrigin::Typed => None,
            });
            let mut inputs: Vec<(&Transcript, extract::Date)> = notes
                .and_then(|id| ws.transcript(id))
                .into_iter()
                .chain(recorded.iter().rev().copied())
                .map(|t| (t, day(c.started_at)))
                .collect();
            if inputs.is_empty() {
                return Err(WorkspaceError::TranscriptNotFound);
            }
            for earlier in ws.contacts_of(c.dossier) {
                if earlier.id != contact
                    && earlier.consent.is_given()
                    && earlier.started_at <= c.started_at
                    && let Some(t) = ws.transcripts_of(earlier.id).into_iter().next()
                {
                    inputs.push((t, day(earlier.started_at)));
                }
            }
            // Number all segments in one sequence for drafting; `origin` maps back.
            let gazetteer = extract::Gazetteer::default();
            let (mut segments, mut facts, mut origin) =
                (Vec::new(), Vec::new(), Vec::<Source>::new());
            for (t, date) in inputs {
                let renumbered: Vec<extract::Segment> = t
                    .segments
                    .iter()
                    .map(|s| {
                        origin.push(Source {
                            transcript: t.id,
                            segment: s.id,
                        });
                        extract::Segment {
                            id: u32::try_from(origin.len()).unwrap_or(u32::MAX),
                            ..s.clone()
                        }
                    })
                    .collect();
                facts.extend(extract::extract(&renumbered, date, &gazetteer));
                segments.extend(renumbered);
            }
            let draft = templates::fill::draft(template, &segments, &facts);
            let origin = &origin;
            let proposals = draft
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
                    })
                })
                .collect();
            let report = Report::new(
                new_id()?,
                contact,
                c.dossier,
                template_ref(template),
                sections(template),
                proposals,
                AiUse {
                    recording: transcription_model.is_some(),
                    transcription_model,
                    drafting: Some(DRAFTING.into()),
                },
                now,
            )?;
            ws.stage_new_report(Some(&permit), report)
        })
        .await
}

/// Applies `change` to the stored report and saves it.
///
/// # Errors
/// [`SaveError`]; on any error the stored report is unchanged.
pub async fn update(
    session: Session,
    id: RecordId,
    change: impl FnOnce(&mut Report, Timestamp) -> Result<(), ReportError>,
) -> Result<RecordId, SaveError> {
    session
        .save(|ws| {
            let mut report = ws
                .report(id)
                .cloned()
                .ok_or(WorkspaceError::ReportNotFound)?;
            change(&mut report, clock::now())?;
            ws.stage_report_update(report)
        })
        .await
}

/// A correction of a validated report: a new draft version.
///
/// # Errors
/// [`SaveError`].
pub async fn correct(session: Session, id: RecordId) -> Result<RecordId, SaveError> {
    session
        .save(|ws| {
            let report = ws.report(id).ok_or(WorkspaceError::ReportNotFound)?;
            let correction = report.correction(new_id()?, clock::now())?;
            ws.stage_new_report(None, correction)
        })
        .await
}

/// The report as an export document: title, who and when, the sentences, the disclosure.
pub fn document(report: &Report, client: &str, contact_moment: Timestamp) -> export::Document {
    let status = match &report.validated {
        Some(_) => format!("Gevalideerd verslag, versie {}", report.version),
        None => format!("ONTWERP, versie {} – nog niet gevalideerd", report.version),
    };
    let sections = report
        .sections
        .iter()
        .map(|s| export::Section {
            heading: s.title.clone(),
            paragraphs: report
                .sentences
                .iter()
                // A sentence whose source was destroyed has no text until the worker writes it.
                .filter(|x| x.section == s.id && !x.text.is_empty())
                .map(|x| x.text.clone())
                .collect(),
        })
        .collect();
    export::Document::new(
        report.template.title.clone(),
        vec![
            format!("Cliënt: {client}"),
            format!("Contact: {}", clock::moment(contact_moment)),
            format!(
                "Sjabloon: {} versie {}",
                report.template.id, report.template.version
            ),
            status,
        ],
        sections,
        report.disclosure(clock::moment).lines,
    )
}
