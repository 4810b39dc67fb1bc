//! The audit log in the workspace: reading a dossier's events and adding one to a change.

use super::{Change, Effect, Workspace, WorkspaceError, newest_first};
use crate::audit::{AuditEvent, AuditKind};
use crate::crypto::CryptoError;
use crate::record::Record;
use crate::report::ReportError;
use crate::{RecordId, Timestamp};

impl Workspace {
    /// A dossier's audit log, newest first.
    pub fn audit_of(&self, dossier: RecordId) -> Vec<&AuditEvent> {
        newest_first(&self.audits, |a| a.dossier == dossier, |a| (a.at, a.id))
    }

    /// Adds an audit event to `change`, written in the same transaction.
    pub(super) fn audited(
        &self,
        mut change: Change,
        dossier: RecordId,
        kind: AuditKind,
        at: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let event = AuditEvent {
            id: RecordId::random().map_err(CryptoError::from)?,
            dossier,
            at,
            device: self.device.clone(),
            kind,
        };
        change
            .writes
            .push(self.sealed(&Record::Audit(event.clone()), 1)?);
        change.audit.push(event);
        Ok(change)
    }

    /// Stages only an audit event (for example an export, which changes no record).
    ///
    /// # Errors
    /// [`WorkspaceError::DossierNotFound`] or a sealing failure.
    pub fn stage_audit(
        &self,
        dossier: RecordId,
        kind: AuditKind,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        if !self.dossiers.contains_key(&dossier) {
            return Err(WorkspaceError::DossierNotFound);
        }
        let change = Change {
            target: dossier,
            writes: Vec::new(),
            effect: Effect::Nothing,
            audit: Vec::new(),
        };
        self.audited(change, dossier, kind, now)
    }

    /// Stages the worker's report of a problem with a drafted sentence ("meld een fout"): an
    /// audit event that the pilot figures count as an incident. The report keeps its text.
    ///
    /// # Errors
    /// [`WorkspaceError::ReportNotFound`], or [`WorkspaceError::Report`] when the sentence does
    /// not exist or was not drafted (a sentence the worker wrote is not an AI incident).
    pub fn stage_problem_report(
        &self,
        report: RecordId,
        sentence: u32,
        problem: crate::audit::Problem,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let r = self.report(report).ok_or(WorkspaceError::ReportNotFound)?;
        let s = r
            .sentences
            .iter()
            .find(|s| s.id == sentence)
            .ok_or(ReportError::NoSentence(sentence))?;
        if s.proposal.is_none() {
            return Err(ReportError::NotDrafted(sentence).into());
        }
        let change = Change {
            target: report,
            writes: Vec::new(),
            effect: Effect::Nothing,
            audit: Vec::new(),
        };
        self.audited(
            change,
            r.dossier,
            AuditKind::ProblemReported {
                report,
                sentence,
                problem,
            },
            now,
        )
    }
}
