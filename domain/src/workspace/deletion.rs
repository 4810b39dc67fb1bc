//! Deleting a dossier with everything that belongs to it.

use std::collections::BTreeSet;

use super::{Change, Effect, Workspace, WorkspaceError};
use crate::RecordId;
use crate::Timestamp;
use crate::audit::AuditKind;
use crate::record::{Store, Write};

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
        if !self.dossiers.contains_key(&dossier) {
            return Err(WorkspaceError::DossierNotFound);
        }
        let contacts: BTreeSet<RecordId> = self
            .contacts
            .values()
            .filter(|c| c.value.dossier == dossier)
            .map(|c| c.value.id)
            .collect();
        let reports: Vec<RecordId> = self
            .reports
            .values()
            .filter(|r| r.value.dossier == dossier)
            .map(|r| r.value.id)
            .collect();
        let validated = self
            .reports
            .values()
            .filter(|r| r.value.dossier == dossier && r.value.validated.is_some())
            .count();
        let transcripts: Vec<RecordId> = self
            .transcripts
            .values()
            .filter(|t| contacts.contains(&t.value.contact))
            .map(|t| t.value.id)
            .collect();
        let audits = self
            .audits
            .values()
            .filter(|a| a.value.dossier == dossier)
            .map(|a| a.value.id);
        let mut remove: Vec<RecordId> = std::iter::once(dossier)
            .chain(contacts.iter().copied())
            .chain(reports.iter().copied())
            .chain(transcripts.iter().copied())
            .chain(audits)
            .collect();
        remove.sort();
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
