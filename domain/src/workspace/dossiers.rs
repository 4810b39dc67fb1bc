//! Dossiers in the workspace: reading, creating and changing them, and marking agreed actions
//! done.

use super::{Change, Effect, Versioned, Workspace, WorkspaceError};
use crate::audit::AuditKind;
use crate::crypto::CryptoError;
use crate::dossier::{Dossier, DossierDraft};
use crate::record::Record;
use crate::{RecordId, Timestamp, search};

impl Workspace {
    /// Dossiers whose name or reference matches `query`, ordered by name.
    pub fn dossiers(&self, query: &str) -> Vec<&Dossier> {
        let mut found: Vec<&Dossier> = self
            .dossiers
            .values()
            .map(|v| &v.value)
            .filter(|d| search::matches(query, &[&d.name, &d.reference]))
            .collect();
        extract::order::sort_by_cached_key(&mut found, |d| (search::fold(&d.name), d.id));
        found
    }

    /// One dossier.
    pub fn dossier(&self, id: RecordId) -> Option<&Dossier> {
        self.dossiers.get(&id).map(|v| &v.value)
    }

    /// Stages a new dossier.
    ///
    /// # Errors
    /// [`WorkspaceError::Dossier`] for an invalid form.
    pub fn stage_new_dossier(
        &self,
        draft: DossierDraft,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let id = RecordId::random().map_err(CryptoError::from)?;
        let dossier = draft.into_dossier(id, now, now)?;
        let change = self.stage_dossier(dossier, 1)?;
        self.audited(change, id, AuditKind::DossierCreated, now)
    }

    /// Stages an edit of a dossier.
    ///
    /// # Errors
    /// [`WorkspaceError::DossierNotFound`] or [`WorkspaceError::Dossier`].
    pub fn stage_dossier_update(
        &self,
        id: RecordId,
        draft: DossierDraft,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let current = self
            .dossiers
            .get(&id)
            .ok_or(WorkspaceError::DossierNotFound)?;
        let mut dossier = draft.into_dossier(id, current.value.created_at, now)?;
        dossier.done_actions.clone_from(&current.value.done_actions);
        self.stage_dossier(dossier, current.version + 1)
    }

    /// Marks an action of the dossier overview as handled, or open again.
    ///
    /// # Errors
    /// [`WorkspaceError::DossierNotFound`].
    pub fn stage_action_done(
        &self,
        id: RecordId,
        action: &str,
        done: bool,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let current = self
            .dossiers
            .get(&id)
            .ok_or(WorkspaceError::DossierNotFound)?;
        let mut dossier = current.value.clone();
        dossier.done_actions.retain(|a| a != action);
        if done {
            dossier.done_actions.push(action.to_owned());
        }
        dossier.updated_at = now;
        let change = self.stage_dossier(dossier, current.version + 1)?;
        self.audited(
            change,
            id,
            AuditKind::ActionHandled {
                action: action.to_owned(),
                done,
            },
            now,
        )
    }

    pub(super) fn stage_dossier(
        &self,
        dossier: Dossier,
        version: u64,
    ) -> Result<Change, WorkspaceError> {
        let writes = vec![self.sealed(&Record::Dossier(dossier.clone()), version)?];
        Ok(Change {
            target: dossier.id,
            writes,
            audit: Vec::new(),
            effect: Effect::Dossier(Versioned {
                version,
                value: dossier,
            }),
        })
    }
}
