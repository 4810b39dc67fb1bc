//! Deleting a dossier with everything that belongs to it.

use super::{Change, Effect, Workspace, WorkspaceError};
use crate::archive::Scope;
use crate::audit::AuditKind;
use crate::record::{Record, Store, Write};
use crate::{RecordId, Timestamp};

impl Workspace {
    /// Stages the deletion of a dossier: the dossier, its contacts and their keys, its reports
    /// (validated ones too — the worker confirmed that), its transcripts and recordings and its
    /// audit log. One audit event stays behind, naming only the dossier's random id and what
    /// was deleted, so the workspace keeps a trace that a deletion happened.
    ///
    /// Share links of its reports live on the relay; the app revokes them before persisting this.
    ///
    /// # Errors
    /// [`WorkspaceError::DossierNotFound`] or a sealing failure.
    pub fn stage_dossier_deletion(
        &self,
        dossier: RecordId,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        // Exactly what an export of this dossier holds.
        let records = self.in_scope(Scope::Dossier { dossier })?;
        let ids = |keep: fn(&Record) -> bool| -> Vec<RecordId> {
            records
                .iter()
                .filter(|s| keep(&s.record))
                .map(|s| s.record.id())
                .collect()
        };
        let contacts = ids(|r| matches!(r, Record::Contact(_)));
        let transcripts = ids(|r| matches!(r, Record::Transcript(_)));
        let reports = ids(|r| matches!(r, Record::Report(_)));
        let validated = ids(|r| matches!(r, Record::Report(r) if r.validated.is_some())).len();
        let mut remove = ids(|_| true);
        extract::order::sort(&mut remove);
        let delete = |store, id: &RecordId| Write {
            store,
            key: id.to_string(),
            value: None,
        };
        let mut writes: Vec<Write> = remove.iter().map(|id| delete(Store::Records, id)).collect();
        writes.extend(contacts.iter().map(|id| delete(Store::Keys, id)));
        writes.extend(transcripts.iter().map(|id| delete(Store::Audio, id)));
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let change = Change {
            target: dossier,
            writes,
            effect: Effect::Bulk {
                put: Vec::new(),
                remove,
                keys: Vec::new(),
            },
            audit: Vec::new(),
        };
        self.audited(
            change,
            dossier,
            AuditKind::DossierDeleted {
                contacts: count(contacts.len()),
                reports: count(reports.len()),
                validated_reports: count(validated),
                transcripts: count(transcripts.len()),
            },
            now,
        )
    }

    /// Deletions of whole dossiers, newest first (their own logs went with them).
    pub fn deleted_dossiers(&self) -> Vec<&crate::audit::AuditEvent> {
        super::newest_first(
            &self.audits,
            |a| matches!(a.kind, AuditKind::DossierDeleted { .. }),
            |a| (a.at, a.id),
        )
    }
}
