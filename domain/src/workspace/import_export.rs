//! Data rights: export of a workspace or one dossier to the open [`Archive`] format
//! ([`crate::archive`] defines the format; this module fills and reads it), and import back.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Effect, Versioned, Workspace, WorkspaceError, sealed_audio};
use crate::archive::{Archive, FORMAT, Manifest, SCHEMA_VERSION, Scope, StoredRecord};
use crate::audit::AuditKind;
use crate::crypto::{KeyRef, SecretKey};
use crate::record::{PREFERENCES_ID, Record, RecordError, Store, Write};
use crate::{RecordId, Timestamp};

/// Why an archive does not fit into this workspace.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A record points to a dossier, contact or transcript that is neither in the archive nor
    /// on this device.
    #[error("{what} {id} refers to {missing} {target}, which is neither in the archive nor here")]
    MissingReference {
        /// Kind of the referring record.
        what: &'static str,
        /// Its id.
        id: RecordId,
        /// Kind of the missing record.
        missing: &'static str,
        /// The missing id.
        target: RecordId,
    },
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records added.
    pub added: u32,
    /// Records already here, identical.
    pub unchanged: u32,
    /// Records here with other content: this device's version was kept.
    pub kept_here: u32,
    /// Transcripts and recordings not imported because consent for their contact was refused
    /// or revoked: a revocation is never undone by an older export.
    pub refused_after_revocation: u32,
    /// Recordings added.
    pub recordings: u32,
}

impl Workspace {
    fn stored_records(&self) -> Vec<StoredRecord> {
        fn each<T: Clone>(
            map: &BTreeMap<RecordId, Versioned<T>>,
            wrap: impl Fn(T) -> Record,
        ) -> impl Iterator<Item = StoredRecord> {
            map.values().map(move |v| StoredRecord {
                version: v.version,
                record: wrap(v.value.clone()),
            })
        }
        let mut out: Vec<StoredRecord> = each(&self.dossiers, Record::Dossier)
            .chain(each(&self.contacts, Record::Contact))
            .chain(each(&self.reports, |r| Record::Report(Box::new(r))))
            .chain(each(&self.transcripts, Record::Transcript))
            .chain(each(&self.audits, Record::Audit))
            .collect();
        if self.preferences.version > 0 {
            out.push(StoredRecord {
                version: self.preferences.version,
                record: Record::Preferences(self.preferences.value.clone()),
            });
        }
        out
    }

    /// Every record of the workspace with the version it is stored as, in a stable order.
    pub fn all_records(&self) -> Vec<StoredRecord> {
        let mut all = self.stored_records();
        extract::order::sort_by_key(&mut all, |s| s.record.id());
        all
    }

    pub(super) fn in_scope(&self, scope: Scope) -> Result<Vec<StoredRecord>, WorkspaceError> {
        let all = self.stored_records();
        let Scope::Dossier { dossier } = scope else {
            return Ok(all);
        };
        if !self.dossiers.contains_key(&dossier) {
            return Err(WorkspaceError::DossierNotFound);
        }
        let contacts: BTreeSet<RecordId> = self
            .contacts
            .values()
            .filter(|c| c.value.dossier == dossier)
            .map(|c| c.value.id)
            .collect();
        Ok(all
            .into_iter()
            .filter(|s| match &s.record {
                Record::Dossier(d) => d.id == dossier,
                Record::Contact(c) => c.dossier == dossier,
                Record::Report(r) => r.dossier == dossier,
                Record::Transcript(t) => contacts.contains(&t.contact),
                Record::Audit(a) => a.dossier == dossier,
                Record::Preferences(_) => false,
            })
            .collect())
    }

    /// The transcripts whose recordings an export of `scope` holds: read them from
    /// [`Store::Audio`] and pass them to [`Workspace::export_archive`].
    ///
    /// # Errors
    /// [`WorkspaceError::DossierNotFound`].
    pub fn recordings_in(&self, scope: Scope) -> Result<Vec<RecordId>, WorkspaceError> {
        Ok(self
            .in_scope(scope)?
            .iter()
            .filter_map(|s| match &s.record {
                Record::Transcript(t) if t.audio.is_some() => Some(t.id),
                _ => None,
            })
            .collect())
    }

    /// An export of `scope`, with `sealed_audio` (as read from [`Store::Audio`]) opened into
    /// WAV files, and the audit events saying so (one per dossier) to persist once the file is
    /// saved. A recording that does not open is left out and named in the manifest.
    ///
    /// # Errors
    /// [`WorkspaceError::DossierNotFound`] or a sealing failure of the audit events.
    pub fn export_archive(
        &self,
        scope: Scope,
        sealed_audio: &BTreeMap<RecordId, Vec<u8>>,
        now: Timestamp,
    ) -> Result<(Archive, Change), WorkspaceError> {
        let mut records = self.in_scope(scope)?;
        extract::order::sort_by_key(&mut records, |s| s.record.id());
        let mut recordings = BTreeMap::new();
        let mut unreadable = Vec::new();
        for id in self.recordings_in(scope)? {
            match sealed_audio
                .get(&id)
                .ok_or(RecordError::KeyUnavailable)
                .and_then(|sealed| self.open_audio(id, sealed))
            {
                Ok(wav) => {
                    recordings.insert(id, wav);
                }
                Err(_) => unreadable.push(id),
            }
        }
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            exported_at: now,
            device: self.device.clone(),
            scope,
            counts: Archive::count(&records, recordings.len()),
            unreadable_recordings: unreadable,
        };
        let dossiers: Vec<RecordId> = records
            .iter()
            .filter_map(|s| match &s.record {
                Record::Dossier(d) => Some(d.id),
                _ => None,
            })
            .collect();
        let mut change = Change {
            target: match scope {
                Scope::Dossier { dossier } => dossier,
                Scope::Workspace => PREFERENCES_ID,
            },
            writes: Vec::new(),
            effect: Effect::Nothing,
            audit: Vec::new(),
        };
        let whole = matches!(scope, Scope::Workspace);
        for dossier in dossiers {
            change = self.audited(change, dossier, AuditKind::Exported { whole }, now)?;
        }
        let archive = Archive {
            manifest,
            records,
            recordings,
        };
        Ok((archive, change))
    }

    /// Whether a record with this id and content is here: `Some(true)` identical, `Some(false)`
    /// different, `None` absent.
    fn holds(&self, record: &Record) -> Option<bool> {
        let id = record.id();
        match record {
            Record::Dossier(v) => self.dossiers.get(&id).map(|h| h.value == *v),
            Record::Contact(v) => self.contacts.get(&id).map(|h| h.value == *v),
            Record::Report(v) => self.reports.get(&id).map(|h| h.value == **v),
            Record::Transcript(v) => self.transcripts.get(&id).map(|h| h.value == *v),
            Record::Audit(v) => self.audits.get(&id).map(|h| h.value == *v),
            Record::Preferences(v) => {
                (self.preferences.version > 0).then(|| self.preferences.value == *v)
            }
        }
    }

    /// Stages an import: records not on this device are added with their exported version;
    /// identical ones are skipped; where this device holds other content for the same id, its
    /// own version is kept (never overwritten). Transcripts and recordings of a contact whose
    /// consent is refused or revoked — here or in the archive — are not imported. Contacts that
    /// need a key for their transcripts get a fresh one.
    ///
    /// # Errors
    /// [`WorkspaceError::Import`] when a record refers to something missing; sealing failures.
    pub fn stage_import(
        &self,
        archive: &Archive,
        now: Timestamp,
    ) -> Result<(Change, ImportSummary), WorkspaceError> {
        self.check_references(archive)?;
        let archived_contacts: BTreeMap<RecordId, &crate::contact::Contact> = archive
            .records
            .iter()
            .filter_map(|s| match &s.record {
                Record::Contact(c) => Some((c.id, c)),
                _ => None,
            })
            .collect();
        // Consent as this device knows it wins over the archive's: a revocation here stays.
        let may_hold_transcripts = |contact: RecordId| {
            let here = self.contacts.get(&contact).map(|c| &c.value);
            here.or_else(|| archived_contacts.get(&contact).copied())
                .is_some_and(crate::contact::Contact::ai_allowed)
                && archived_contacts
                    .get(&contact)
                    .is_none_or(|c| c.ai_allowed())
        };
        let mut summary = ImportSummary::default();
        let mut new_keys: BTreeMap<RecordId, SecretKey> = BTreeMap::new();
        let mut writes = Vec::new();
        let mut put = Vec::new();
        // Records added per dossier, for the audit events.
        let mut added_to: BTreeMap<RecordId, u32> = BTreeMap::new();
        // Transcripts added (with their contact) and refused: their recordings follow them.
        let mut added_transcripts: BTreeMap<RecordId, RecordId> = BTreeMap::new();
        let mut refused_transcripts: BTreeSet<RecordId> = BTreeSet::new();
        for stored in &archive.records {
            let record = &stored.record;
            if let Record::Transcript(t) = record
                && !may_hold_transcripts(t.contact)
            {
                summary.refused_after_revocation += 1;
                refused_transcripts.insert(t.id);
                continue;
            }
            match self.holds(record) {
                Some(true) => {
                    summary.unchanged += 1;
                    continue;
                }
                Some(false) => {
                    summary.kept_here += 1;
                    continue;
                }
                None => {}
            }
            let key = match record.key_ref() {
                KeyRef::Workspace => &self.key,
                KeyRef::Contact(contact) => match self.contact_keys.get(&contact) {
                    Some(key) => key,
                    None => match new_keys.entry(contact) {
                        std::collections::btree_map::Entry::Occupied(e) => &*e.into_mut(),
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            let (key, write) = self.new_contact_key(contact)?;
                            writes.push(write);
                            &*slot.insert(key)
                        }
                    },
                },
            };
            writes.push(Write {
                store: Store::Records,
                key: record.id().to_string(),
                value: Some(record.seal(key, stored.version)?),
            });
            if let Record::Transcript(t) = record {
                added_transcripts.insert(t.id, t.contact);
            }
            if let Some(dossier) = self.dossier_of(record, &archived_contacts) {
                *added_to.entry(dossier).or_insert(0) += 1;
            }
            summary.added += 1;
            put.push(Versioned {
                version: stored.version,
                value: record.clone(),
            });
        }
        for (id, wav) in &archive.recordings {
            let Some(&contact) = added_transcripts.get(id) else {
                // Its transcript was refused, or is already here with its recording.
                if refused_transcripts.contains(id) {
                    summary.refused_after_revocation += 1;
                }
                continue;
            };
            let key = self
                .contact_keys
                .get(&contact)
                .or_else(|| new_keys.get(&contact))
                .ok_or(RecordError::KeyUnavailable)?;
            writes.push(sealed_audio(key, contact, *id, wav)?);
            summary.recordings += 1;
        }
        let mut change = Change {
            target: PREFERENCES_ID,
            writes,
            effect: Effect::Bulk {
                put,
                remove: Vec::new(),
                keys: new_keys.into_iter().collect(),
            },
            audit: Vec::new(),
        };
        for (dossier, records) in added_to {
            change = self.audited(change, dossier, AuditKind::Imported { records }, now)?;
        }
        Ok((change, summary))
    }

    fn dossier_of(
        &self,
        record: &Record,
        archived_contacts: &BTreeMap<RecordId, &crate::contact::Contact>,
    ) -> Option<RecordId> {
        let contact_dossier = |c: RecordId| {
            archived_contacts
                .get(&c)
                .map(|c| c.dossier)
                .or_else(|| self.contacts.get(&c).map(|v| v.value.dossier))
        };
        match record {
            Record::Dossier(d) => Some(d.id),
            Record::Contact(c) => Some(c.dossier),
            Record::Report(r) => Some(r.dossier),
            Record::Transcript(t) => contact_dossier(t.contact),
            Record::Audit(a) => Some(a.dossier),
            Record::Preferences(_) => None,
        }
    }

    fn check_references(&self, archive: &Archive) -> Result<(), ImportError> {
        let mut dossiers: BTreeSet<RecordId> = self.dossiers.keys().copied().collect();
        let mut contacts: BTreeSet<RecordId> = self.contacts.keys().copied().collect();
        let mut transcripts: BTreeSet<RecordId> = self.transcripts.keys().copied().collect();
        for s in &archive.records {
            match &s.record {
                Record::Dossier(d) => {
                    dossiers.insert(d.id);
                }
                Record::Contact(c) => {
                    contacts.insert(c.id);
                }
                Record::Transcript(t) => {
                    transcripts.insert(t.id);
                }
                _ => {}
            }
        }
        let need = |what, id, set: &BTreeSet<RecordId>, missing, target| {
            if set.contains(&target) {
                Ok(())
            } else {
                Err(ImportError::MissingReference {
                    what,
                    id,
                    missing,
                    target,
                })
            }
        };
        for s in &archive.records {
            match &s.record {
                Record::Contact(c) => need("contact", c.id, &dossiers, "dossier", c.dossier)?,
                Record::Report(r) => {
                    need("report", r.id, &dossiers, "dossier", r.dossier)?;
                    need("report", r.id, &contacts, "contact", r.contact)?;
                }
                Record::Transcript(t) => {
                    need("transcript", t.id, &contacts, "contact", t.contact)?;
                }
                _ => {}
            }
        }
        for id in archive.recordings.keys() {
            need("recording", *id, &transcripts, "transcript", *id)?;
        }
        Ok(())
    }
}
