//! The decrypted, in-memory view of one worker's workspace.
//!
//! Changes are two-phase so that a failed write loses nothing: `stage_*` validates and seals a
//! change without touching the in-memory state; the caller persists [`Change::writes`] (in one
//! storage transaction) and only then calls [`Workspace::apply`]. If persisting fails, the
//! workspace still shows what is on disk and the form the worker typed in keeps its text.
//!
//! This file holds the workspace itself (opening, applying a change, device state); each record
//! kind has its own file for reading and staging it: [`dossiers`], [`contacts`],
//! [`transcripts`], [`reports`], [`audits`] and [`preferences`]. Data rights: `import_export`
//! (a workspace or dossier to and from the open format of [`crate::archive`]) and `deletion`.

use std::collections::{BTreeMap, HashMap};

use crate::audit::AuditEvent;
use crate::consent::ConsentError;
use crate::contact::{Contact, ContactError};
use crate::crypto::{CryptoError, SecretKey, WrappedKey};
use crate::crypto::{Envelope, KeyRef};
use crate::dossier::{Dossier, DossierError};
use crate::preferences::{Preferences, PreferencesError};
use crate::record::{Record, RecordError, Store, Write};
use crate::report::{Report, ReportError};
use crate::transcript::{Transcript, TranscriptError};
use crate::{RecordId, Timestamp};

mod audits;
mod contacts;
mod deletion;
mod dossiers;
mod import_export;
mod preferences;
mod relisten;
mod reports;
mod transcripts;

pub use import_export::{ImportError, ImportSummary};
pub use relisten::Relisten;

/// The id device-local state is sealed under (never a record id: those are random).
const DEVICE_STATE_ID: RecordId = RecordId::from_bytes([0xff; 16]);

/// A value with the version it was last stored as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    /// Stored version (0 = never stored).
    pub version: u64,
    /// The value.
    pub value: T,
}

/// One entry read from storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// Store it came from.
    pub store: Store,
    /// Its key in that store.
    pub key: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// An entry that could not be read. It stays in storage untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Store it is in.
    pub store: Store,
    /// Its key.
    pub key: String,
    /// What is wrong with it.
    pub error: RecordError,
}

/// Why a change cannot be staged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkspaceError {
    /// No dossier with that id.
    #[error("dossier not found")]
    DossierNotFound,
    /// No contact with that id.
    #[error("contact not found")]
    ContactNotFound,
    /// The dossier form is invalid.
    #[error(transparent)]
    Dossier(#[from] DossierError),
    /// The contact change is invalid.
    #[error(transparent)]
    Contact(#[from] ContactError),
    /// The preferences are invalid.
    #[error(transparent)]
    Preferences(#[from] PreferencesError),
    /// Sealing failed.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Key generation or wrapping failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The client did not consent to what this change needs.
    #[error(transparent)]
    Consent(#[from] ConsentError),
    /// The report change is not allowed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// No report with that id.
    #[error("report not found")]
    ReportNotFound,
    /// No transcript with that id.
    #[error("transcript not found")]
    TranscriptNotFound,
    /// The transcript correction is not allowed.
    #[error(transparent)]
    Transcript(#[from] TranscriptError),
    /// An archive does not fit into this workspace.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Validation while cited stretches the recogniser was unsure of are not listened to
    /// again: how many are left.
    #[error("{0} cited stretch(es) to listen to again before validation")]
    NotRelistened(usize),
}

/// A validated, sealed change waiting to be persisted.
#[derive(Debug)]
#[must_use = "a staged change does nothing until it is written and applied"]
pub struct Change {
    /// The record the change is about.
    pub target: RecordId,
    /// What to write, in one transaction.
    pub writes: Vec<Write>,
    effect: Effect,
    audit: Vec<AuditEvent>,
}

#[derive(Debug)]
enum Effect {
    Dossier(Versioned<Dossier>),
    Contact(Versioned<Contact>, Option<SecretKey>),
    Preferences(Versioned<Preferences>),
    Report(Box<Versioned<Report>>),
    Transcript(Versioned<Transcript>),
    Revocation {
        contact: Versioned<Contact>,
        removed: Vec<RecordId>,
        reports: Vec<Versioned<Report>>,
    },
    /// Records added (import) or removed (deletion) in bulk, with the contact keys they need.
    Bulk {
        put: Vec<Versioned<Record>>,
        remove: Vec<RecordId>,
        keys: Vec<(RecordId, SecretKey)>,
    },
    /// Only audit events.
    Nothing,
    /// Two changes written in one transaction, applied in order.
    Both(Box<Effect>, Box<Effect>),
}

impl Change {
    /// This change followed by `next`, written in one transaction and applied in order; the
    /// target is `next`'s. Both must be staged against the same workspace and touch different
    /// records (for example a notes transcript and the report drafted from it).
    pub fn then(self, next: Change) -> Change {
        let mut writes = self.writes;
        writes.extend(next.writes);
        let mut audit = self.audit;
        audit.extend(next.audit);
        Change {
            target: next.target,
            writes,
            effect: Effect::Both(Box::new(self.effect), Box::new(next.effect)),
            audit,
        }
    }
}

/// The unlocked workspace.
#[derive(Debug)]
pub struct Workspace {
    key: SecretKey,
    dossiers: BTreeMap<RecordId, Versioned<Dossier>>,
    contacts: BTreeMap<RecordId, Versioned<Contact>>,
    preferences: Versioned<Preferences>,
    reports: BTreeMap<RecordId, Versioned<Report>>,
    transcripts: BTreeMap<RecordId, Versioned<Transcript>>,
    audits: BTreeMap<RecordId, Versioned<AuditEvent>>,
    contact_keys: HashMap<RecordId, SecretKey>,
    device: String,
}

/// The values matching `keep`, newest first by `moment` (then id, for a stable order).
fn newest_first<T>(
    records: &BTreeMap<RecordId, Versioned<T>>,
    keep: impl Fn(&T) -> bool,
    moment: impl Fn(&T) -> (Timestamp, RecordId),
) -> Vec<&T> {
    let mut found: Vec<&T> = records
        .values()
        .map(|v| &v.value)
        .filter(|v| keep(v))
        .collect();
    extract::order::sort_by_key(&mut found, |v| std::cmp::Reverse(moment(v)));
    found
}

fn contact_key_context(contact: RecordId) -> Vec<u8> {
    format!("contact-key/{contact}").into_bytes()
}

/// The write storing transcript `id`'s recording, sealed with its contact's key.
fn sealed_audio(
    key: &SecretKey,
    contact: RecordId,
    id: RecordId,
    wav: &[u8],
) -> Result<Write, RecordError> {
    let sealed = Envelope::seal(key, KeyRef::Contact(contact), &id, 1, wav)?;
    Ok(Write {
        store: Store::Audio,
        key: id.to_string(),
        value: Some(sealed.to_bytes()),
    })
}

impl Workspace {
    /// Decrypts everything read from storage. Entries that cannot be read are returned, not
    /// dropped or rewritten, so a damaged record never takes the rest down with it.
    pub fn open(
        key: SecretKey,
        entries: impl IntoIterator<Item = StoredEntry>,
    ) -> (Self, Vec<Unreadable>) {
        let mut ws = Self {
            key,
            dossiers: BTreeMap::new(),
            contacts: BTreeMap::new(),
            preferences: Versioned {
                version: 0,
                value: Preferences::default(),
            },
            reports: BTreeMap::new(),
            transcripts: BTreeMap::new(),
            audits: BTreeMap::new(),
            contact_keys: HashMap::new(),
            device: "onbekend toestel".to_owned(),
        };
        let mut unreadable = Vec::new();
        let (keys, records): (Vec<_>, Vec<_>) =
            entries.into_iter().partition(|e| e.store == Store::Keys);
        for entry in keys {
            match ws.open_contact_key(&entry) {
                Ok((id, key)) => {
                    ws.contact_keys.insert(id, key);
                }
                Err(error) => unreadable.push(Unreadable {
                    store: entry.store,
                    key: entry.key,
                    error,
                }),
            }
        }
        for entry in records {
            if let Err(error) = ws.load_record(&entry) {
                unreadable.push(Unreadable {
                    store: entry.store,
                    key: entry.key,
                    error,
                });
            }
        }
        (ws, unreadable)
    }

    fn open_contact_key(&self, entry: &StoredEntry) -> Result<(RecordId, SecretKey), RecordError> {
        let id: RecordId = entry
            .key
            .parse()
            .map_err(|e: crate::ids::ParseRecordIdError| RecordError::Format(e.to_string()))?;
        let wrapped: WrappedKey =
            serde_json::from_slice(&entry.bytes).map_err(|e| RecordError::Format(e.to_string()))?;
        let key = self
            .key
            .unwrap_key(&wrapped, &contact_key_context(id))
            .map_err(|_| RecordError::Envelope(crate::crypto::EnvelopeError::Decrypt))?;
        Ok((id, key))
    }

    fn load_record(&mut self, entry: &StoredEntry) -> Result<(), RecordError> {
        let id: RecordId = entry
            .key
            .parse()
            .map_err(|e: crate::ids::ParseRecordIdError| RecordError::Format(e.to_string()))?;
        let keys = &self.contact_keys;
        let (version, record) = Record::open(&self.key, |c| keys.get(&c), id, &entry.bytes)?;
        self.insert_record(version, record);
        Ok(())
    }

    fn insert_record(&mut self, version: u64, record: Record) {
        let id = record.id();
        match record {
            Record::Dossier(value) => {
                self.dossiers.insert(id, Versioned { version, value });
            }
            Record::Contact(value) => {
                self.contacts.insert(id, Versioned { version, value });
            }
            Record::Preferences(value) => self.preferences = Versioned { version, value },
            Record::Report(value) => {
                self.reports.insert(
                    id,
                    Versioned {
                        version,
                        value: *value,
                    },
                );
            }
            Record::Transcript(value) => {
                self.transcripts.insert(id, Versioned { version, value });
            }
            Record::Audit(value) => {
                self.audits.insert(id, Versioned { version, value });
            }
        }
    }

    fn sealed(&self, record: &Record, version: u64) -> Result<Write, WorkspaceError> {
        let key = match record.key_ref() {
            KeyRef::Workspace => &self.key,
            KeyRef::Contact(contact) => self
                .contact_keys
                .get(&contact)
                .ok_or(RecordError::KeyUnavailable)?,
        };
        Ok(Write {
            store: Store::Records,
            key: record.id().to_string(),
            value: Some(record.seal(key, version)?),
        })
    }

    /// Rebuilds the workspace from storage after entries changed underneath it (a sync pulled
    /// them), keeping its key and device name.
    pub fn reload(self, entries: impl IntoIterator<Item = StoredEntry>) -> (Self, Vec<Unreadable>) {
        let device = self.device;
        let (mut ws, unreadable) = Self::open(self.key, entries);
        ws.device = device;
        (ws, unreadable)
    }

    /// Opens one sealed record without loading it (to show both sides of a sync conflict).
    ///
    /// # Errors
    /// [`RecordError`] when it does not open with this workspace's keys.
    pub fn open_entry(&self, id: RecordId, sealed: &[u8]) -> Result<Record, RecordError> {
        let keys = &self.contact_keys;
        Record::open(&self.key, |c| keys.get(&c), id, sealed).map(|(_, record)| record)
    }

    /// Seals device-local state (this device's sync credential and sync state) with the
    /// workspace key. It is kept outside the synced stores and never leaves the device.
    ///
    /// # Errors
    /// [`RecordError::Envelope`] when sealing fails.
    pub fn seal_device_state(&self, bytes: &[u8]) -> Result<Vec<u8>, RecordError> {
        Ok(Envelope::seal(&self.key, KeyRef::Workspace, &DEVICE_STATE_ID, 1, bytes)?.to_bytes())
    }

    /// Opens what [`Workspace::seal_device_state`] sealed.
    ///
    /// # Errors
    /// [`RecordError::Envelope`] for damaged bytes or another workspace's state.
    pub fn open_device_state(&self, sealed: &[u8]) -> Result<Vec<u8>, RecordError> {
        let envelope = Envelope::parse(sealed)?;
        if envelope.key != KeyRef::Workspace {
            return Err(RecordError::KeyUnavailable);
        }
        Ok(envelope.open(&self.key, &DEVICE_STATE_ID)?)
    }

    /// A pairing offer carrying this workspace's key, wrapped under `code`, for a second device.
    ///
    /// # Errors
    /// Fails only without a random source.
    pub fn pairing_offer(
        &self,
        code: &crate::sync::PairingCode,
    ) -> Result<crate::sync::PairingOffer, crate::sync::PairingError> {
        code.offer(&self.key)
    }

    /// Names this device in audit events (a random id the app keeps).
    pub fn set_device(&mut self, device: impl Into<String>) {
        self.device = device.into();
    }

    /// Applies a change after its writes were persisted.
    pub fn apply(&mut self, change: Change) {
        for event in change.audit {
            self.audits.insert(
                event.id,
                Versioned {
                    version: 1,
                    value: event,
                },
            );
        }
        self.apply_effect(change.effect);
    }

    fn apply_effect(&mut self, effect: Effect) {
        match effect {
            Effect::Both(first, second) => {
                self.apply_effect(*first);
                self.apply_effect(*second);
            }
            Effect::Dossier(v) => {
                self.dossiers.insert(v.value.id, v);
            }
            Effect::Contact(v, key) => {
                if let Some(key) = key {
                    self.contact_keys.insert(v.value.id, key);
                }
                self.contacts.insert(v.value.id, v);
            }
            Effect::Preferences(v) => self.preferences = v,
            Effect::Report(v) => {
                self.reports.insert(v.value.id, *v);
            }
            Effect::Transcript(v) => {
                self.transcripts.insert(v.value.id, v);
            }
            Effect::Revocation {
                contact,
                removed,
                reports,
            } => {
                // Dropping the key zeroes it.
                self.contact_keys.remove(&contact.value.id);
                for id in removed {
                    self.transcripts.remove(&id);
                }
                for r in reports {
                    self.reports.insert(r.value.id, r);
                }
                self.contacts.insert(contact.value.id, contact);
            }
            Effect::Bulk { put, remove, keys } => {
                for (id, key) in keys {
                    self.contact_keys.insert(id, key);
                }
                for v in put {
                    self.insert_record(v.version, v.value);
                }
                for id in remove {
                    self.dossiers.remove(&id);
                    // Dropping a key zeroes it.
                    if self.contacts.remove(&id).is_some() {
                        self.contact_keys.remove(&id);
                    }
                    self.reports.remove(&id);
                    self.transcripts.remove(&id);
                    self.audits.remove(&id);
                }
            }
            Effect::Nothing => {}
        }
    }
}
