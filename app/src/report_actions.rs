//! Creating and changing reports: the app's side of `domain::report`, through the session.

use domain::report::{Report, ReportError};
use domain::workspace::WorkspaceError;
use domain::{RecordId, Timestamp};
use templates::Template;

use crate::clock;
use crate::session::{SaveError, Session};

pub use casework::new_id;

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
        .save(|ws| casework::draft::by_hand(ws, contact, template, clock::now()))
        .await
}

/// "Verslag genereren" ([`casework::draft::generate`]): the notes and transcripts the contact's
/// permit allows become a draft, stored with the notes transcript in one transaction.
///
/// # Errors
/// [`SaveError`]; a contact without consent yields a consent error and nothing is stored.
pub async fn generate(
    session: Session,
    contact: RecordId,
    template: &Template,
) -> Result<RecordId, SaveError> {
    let now = clock::now();
    session
        .save(|ws| casework::draft::generate(ws, contact, template, now, clock::day))
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
    casework::document::document(report, client, contact_moment, clock::moment)
}

/// `report` as its client reads it through a share link, from `sender` (see
/// `Preferences::sender_line`).
pub fn for_client(
    report: &Report,
    client: &str,
    contact_moment: Timestamp,
    sender: Option<String>,
) -> domain::share::SharedReport {
    casework::document::for_client(report, client, contact_moment, sender, clock::moment)
}
