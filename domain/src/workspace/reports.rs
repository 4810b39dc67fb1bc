//! Reports in the workspace: reading them, starting one (with a permit when AI was used), and
//! changing a draft.

use super::{Change, Effect, Versioned, Workspace, WorkspaceError, newest_first};
use crate::RecordId;
use crate::audit::AuditKind;
use crate::consent::{ConsentError, ProcessingPermit};
use crate::record::Record;
use crate::report::{Report, ReportError};

impl Workspace {
    /// A contact's reports, newest first.
    pub fn reports_of(&self, contact: RecordId) -> Vec<&Report> {
        newest_first(
            &self.reports,
            |r| r.contact == contact,
            |r| (r.created_at, r.id),
        )
    }

    /// Every report, oldest first.
    pub fn all_reports(&self) -> Vec<&Report> {
        let mut all = newest_first(&self.reports, |_| true, |r| (r.created_at, r.id));
        all.reverse();
        all
    }

    /// One report.
    pub fn report(&self, id: RecordId) -> Option<&Report> {
        self.reports.get(&id).map(|v| &v.value)
    }

    /// Stages a new report. A report that used AI in any way (recording, transcription or a
    /// drafted proposal) needs a permit for its contact; a report written by hand does not.
    ///
    /// # Errors
    /// [`WorkspaceError::Consent`] without a fitting permit, [`WorkspaceError::ContactNotFound`].
    pub fn stage_new_report(
        &self,
        permit: Option<&ProcessingPermit>,
        report: Report,
    ) -> Result<Change, WorkspaceError> {
        if !self.contacts.contains_key(&report.contact) {
            return Err(WorkspaceError::ContactNotFound);
        }
        let used_ai = report.ai.recording
            || report.ai.transcription_model.is_some()
            || report.ai.drafting.is_some()
            || report.sentences.iter().any(|s| s.proposal.is_some());
        if used_ai {
            permit
                .ok_or(ConsentError::PermitMissing {
                    contact: report.contact,
                })?
                .covers(report.contact)?;
        }
        let (id, dossier, at) = (report.id, report.dossier, report.created_at);
        let kind = AuditKind::ReportStarted {
            report: id,
            template: format!("{}@{}", report.template.id, report.template.version),
            proposals: u32::try_from(
                report
                    .sentences
                    .iter()
                    .filter(|s| s.proposal.is_some())
                    .count(),
            )
            .unwrap_or(u32::MAX),
        };
        let change = self.stage_report_version(report, 1)?;
        self.audited(change, dossier, kind, at)
    }

    /// Stages a changed report. A validated report is never overwritten.
    ///
    /// # Errors
    /// [`WorkspaceError::ReportNotFound`], [`ReportError::Validated`] when the stored version
    /// is validated, or [`WorkspaceError::NotRelistened`] when `report` is validated while
    /// cited stretches wait in its "Herbeluisteren" list ([`Workspace::relisten`]).
    pub fn stage_report_update(&self, report: Report) -> Result<Change, WorkspaceError> {
        let stored = self
            .reports
            .get(&report.id)
            .ok_or(WorkspaceError::ReportNotFound)?;
        if stored.value.validated.is_some() {
            return Err(ReportError::Validated.into());
        }
        let validated_now = report.validated.as_ref().map(|v| v.at);
        if validated_now.is_some() {
            let left = self.cited_unsure(&report).len();
            if left > 0 {
                return Err(WorkspaceError::NotRelistened(left));
            }
        }
        let (id, dossier, version) = (report.id, report.dossier, report.version);
        let change = self.stage_report_version(report, stored.version + 1)?;
        match validated_now {
            Some(at) => self.audited(
                change,
                dossier,
                AuditKind::ReportValidated {
                    report: id,
                    version,
                },
                at,
            ),
            None => Ok(change),
        }
    }

    pub(super) fn stage_report_version(
        &self,
        report: Report,
        version: u64,
    ) -> Result<Change, WorkspaceError> {
        let writes = vec![self.sealed(&Record::Report(Box::new(report.clone())), version)?];
        Ok(Change {
            target: report.id,
            writes,
            audit: Vec::new(),
            effect: Effect::Report(Box::new(Versioned {
                version,
                value: report,
            })),
        })
    }
}
