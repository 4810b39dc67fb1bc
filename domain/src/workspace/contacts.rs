//! Contacts in the workspace: reading them, starting one (with its key when the client says
//! "ja"), its note, and revoking consent (which destroys the key and what it sealed).

use super::{
    Change, Effect, Versioned, Workspace, WorkspaceError, contact_key_context, newest_first,
};
use crate::audit::AuditKind;
use crate::consent::{Channel, ConsentChoice, Revocation};
use crate::contact::{Contact, ContactKind};
use crate::crypto::{CryptoError, SecretKey};
use crate::record::{Record, RecordError, Store, Write};
use crate::{RecordId, Timestamp};

impl Workspace {
    /// A dossier's contacts, newest first.
    pub fn contacts_of(&self, dossier: RecordId) -> Vec<&Contact> {
        newest_first(
            &self.contacts,
            |c| c.dossier == dossier,
            |c| (c.started_at, c.id),
        )
    }

    /// One contact.
    pub fn contact(&self, id: RecordId) -> Option<&Contact> {
        self.contacts.get(&id).map(|v| &v.value)
    }

    /// Whether the contact's key is present (it is for every consented contact until shredded).
    pub fn has_contact_key(&self, contact: RecordId) -> bool {
        self.contact_keys.contains_key(&contact)
    }

    /// A fresh key for `contact`'s audio and transcripts, and the write that stores it wrapped
    /// under the workspace key.
    pub(super) fn new_contact_key(
        &self,
        contact: RecordId,
    ) -> Result<(SecretKey, Write), WorkspaceError> {
        let key = SecretKey::generate()?;
        let wrapped = self.key.wrap(&key, &contact_key_context(contact))?;
        let json = serde_json::to_vec(&wrapped).map_err(|e| RecordError::Format(e.to_string()))?;
        let write = Write {
            store: Store::Keys,
            key: contact.to_string(),
            value: Some(json),
        };
        Ok((key, write))
    }

    /// Stages a new contact with the client's decision. With "ja" a fresh contact key is created
    /// (wrapped under the workspace key) for the audio and transcript to come.
    ///
    /// # Errors
    /// [`WorkspaceError::DossierNotFound`] or a key-generation failure.
    pub fn stage_new_contact(
        &self,
        dossier: RecordId,
        kind: ContactKind,
        choice: ConsentChoice,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        if !self.dossiers.contains_key(&dossier) {
            return Err(WorkspaceError::DossierNotFound);
        }
        let id = RecordId::random().map_err(CryptoError::from)?;
        let contact = Contact::start(id, dossier, kind, choice, now);
        let mut writes = Vec::with_capacity(2);
        let contact_key = match choice {
            ConsentChoice::Given => {
                let (key, write) = self.new_contact_key(id)?;
                writes.push(write);
                Some(key)
            }
            ConsentChoice::Refused => None,
        };
        writes.push(self.sealed(&Record::Contact(contact.clone()), 1)?);
        let change = Change {
            target: id,
            writes,
            audit: Vec::new(),
            effect: Effect::Contact(
                Versioned {
                    version: 1,
                    value: contact,
                },
                contact_key,
            ),
        };
        self.audited(
            change,
            dossier,
            AuditKind::ContactStarted {
                contact: id,
                consent: choice,
            },
            now,
        )
    }

    /// Stages a new text for a contact's note.
    ///
    /// # Errors
    /// [`WorkspaceError::ContactNotFound`] or [`WorkspaceError::Contact`].
    pub fn stage_contact_note(
        &self,
        id: RecordId,
        note: String,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let current = self
            .contacts
            .get(&id)
            .ok_or(WorkspaceError::ContactNotFound)?;
        let mut contact = current.value.clone();
        contact.set_note(note, now)?;
        let version = current.version + 1;
        let writes = vec![self.sealed(&Record::Contact(contact.clone()), version)?];
        Ok(Change {
            target: id,
            writes,
            audit: Vec::new(),
            effect: Effect::Contact(
                Versioned {
                    version,
                    value: contact,
                },
                None,
            ),
        })
    }

    /// Stages the revocation of a contact's consent, through `channel`. In one transaction:
    /// the contact key is deleted (its transcripts become unreadable everywhere, backups and
    /// synced copies included), the transcripts are deleted, draft sentences citing them in any
    /// report are flagged for review, validated reports are kept and note the removal, and the
    /// contact records the revocation with what it did (the client's receipt).
    ///
    /// # Errors
    /// [`WorkspaceError::ContactNotFound`]; [`WorkspaceError::Consent`] when there was no "ja"
    /// or it was already revoked.
    pub fn stage_revocation(
        &self,
        contact: RecordId,
        channel: Channel,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let current = self
            .contacts
            .get(&contact)
            .ok_or(WorkspaceError::ContactNotFound)?;
        current.value.processing_permit()?;
        let removed: Vec<RecordId> = self.transcripts_of(contact).iter().map(|t| t.id).collect();
        let mut writes = vec![Write {
            store: Store::Keys,
            key: contact.to_string(),
            value: None,
        }];
        for id in &removed {
            for store in [Store::Records, Store::Audio] {
                writes.push(Write {
                    store,
                    key: id.to_string(),
                    value: None,
                });
            }
        }
        let mut reports = Vec::new();
        let (mut flagged, mut kept) = (0, Vec::new());
        for stored in self.reports.values() {
            let mut report = stored.value.clone();
            let affected = report.sources_destroyed(&removed, now);
            let about_this_contact = report.contact == contact;
            if report.validated.is_some() && (about_this_contact || affected > 0) {
                kept.push(format!(
                    "{}, versie {}",
                    report.template.title, report.version
                ));
            } else {
                flagged += affected;
            }
            if report != stored.value {
                let version = stored.version + 1;
                writes.push(self.sealed(&Record::Report(Box::new(report.clone())), version)?);
                reports.push(Versioned {
                    version,
                    value: report,
                });
            }
        }
        let mut revoked = current.value.clone();
        let (dossier, deleted) = (
            current.value.dossier,
            u32::try_from(removed.len()).unwrap_or(u32::MAX),
        );
        revoked.revoked = Some(Revocation {
            at: now,
            channel,
            transcripts_deleted: deleted,
            sentences_flagged: flagged,
            reports_kept: kept,
        });
        revoked.updated_at = now;
        let version = current.version + 1;
        writes.push(self.sealed(&Record::Contact(revoked.clone()), version)?);
        let change = Change {
            target: contact,
            writes,
            audit: Vec::new(),
            effect: Effect::Revocation {
                contact: Versioned {
                    version,
                    value: revoked,
                },
                removed,
                reports,
            },
        };
        self.audited(
            change,
            dossier,
            AuditKind::ConsentRevoked {
                contact,
                channel,
                transcripts_deleted: deleted,
            },
            now,
        )
    }
}
