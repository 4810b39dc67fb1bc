//! The decrypted, in-memory view of one worker's workspace.
//!
//! Changes are two-phase so that a failed write loses nothing: `stage_*` validates and seals a
//! change without touching the in-memory state; the caller persists [`Change::writes`] (in one
//! storage transaction) and only then calls [`Workspace::apply`]. If persisting fails, the
//! workspace still shows what is on disk and the form the worker typed in keeps its text.

use std::collections::{BTreeMap, HashMap};

use crate::audit::{AuditEvent, AuditKind};
use crate::consent::{Channel, ConsentChoice, ConsentError, ProcessingPermit, Revocation};
use crate::contact::{Contact, ContactError, ContactKind};
use crate::crypto::{CryptoError, SecretKey, WrappedKey};
use crate::crypto::{Envelope, KeyRef};
use crate::dossier::{Dossier, DossierDraft, DossierError};
use crate::preferences::{Preferences, PreferencesError};
use crate::record::{PREFERENCES_ID, Record, RecordError, Store, Write};
use crate::report::{Report, ReportError};
use crate::search;
use crate::transcript::{Transcript, TranscriptError};
use crate::{RecordId, Timestamp};

/// The id device-local state is sealed under (never a record id: those are random).
mod archive;
mod deletion;

pub use archive::{ImportError, ImportSummary};

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
    found.sort_by_key(|v| std::cmp::Reverse(moment(v)));
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

    /// Current preferences.
    pub fn preferences(&self) -> &Preferences {
        &self.preferences.value
    }

    /// Dossiers whose name or reference matches `query`, ordered by name.
    pub fn dossiers(&self, query: &str) -> Vec<&Dossier> {
        let mut found: Vec<&Dossier> = self
            .dossiers
            .values()
            .map(|v| &v.value)
            .filter(|d| search::matches(query, &[&d.name, &d.reference]))
            .collect();
        found.sort_by_cached_key(|d| (search::fold(&d.name), d.id));
        found
    }

    /// One dossier.
    pub fn dossier(&self, id: RecordId) -> Option<&Dossier> {
        self.dossiers.get(&id).map(|v| &v.value)
    }

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

    /// A contact's transcripts, newest first.
    pub fn transcripts_of(&self, contact: RecordId) -> Vec<&Transcript> {
        newest_first(
            &self.transcripts,
            |t| t.contact == contact,
            |t| (t.created_at, t.id),
        )
    }

    /// One transcript.
    pub fn transcript(&self, id: RecordId) -> Option<&Transcript> {
        self.transcripts.get(&id).map(|v| &v.value)
    }

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

    /// Stages a transcript. Recording and transcription need the client's "ja": the permit
    /// must cover the transcript's contact.
    ///
    /// # Errors
    /// [`WorkspaceError::Consent`] for a permit of another contact,
    /// [`WorkspaceError::ContactNotFound`], or a missing contact key.
    pub fn stage_transcript(
        &self,
        permit: &ProcessingPermit,
        transcript: Transcript,
    ) -> Result<Change, WorkspaceError> {
        permit.covers(transcript.contact)?;
        if !self.contacts.contains_key(&transcript.contact) {
            return Err(WorkspaceError::ContactNotFound);
        }
        let version = self
            .transcripts
            .get(&transcript.id)
            .map_or(1, |v| v.version + 1);
        let writes = vec![self.sealed(&Record::Transcript(transcript.clone()), version)?];
        let (contact, at) = (transcript.contact, transcript.created_at);
        let change = Change {
            target: transcript.id,
            writes,
            audit: Vec::new(),
            effect: Effect::Transcript(Versioned {
                version,
                value: transcript,
            }),
        };
        let dossier = self
            .contacts
            .get(&contact)
            .map_or(contact, |c| c.value.dossier);
        self.audited(change, dossier, AuditKind::TranscriptStored { contact }, at)
    }

    /// Stages a recorded transcript with its audio (a WAV file), both sealed with the contact's
    /// key and written in one transaction: the audio goes to [`Store::Audio`] under the
    /// transcript's id.
    ///
    /// # Errors
    /// As [`Workspace::stage_transcript`].
    pub fn stage_recording(
        &self,
        permit: &ProcessingPermit,
        transcript: Transcript,
        wav: &[u8],
    ) -> Result<Change, WorkspaceError> {
        let (id, contact) = (transcript.id, transcript.contact);
        let mut change = self.stage_transcript(permit, transcript)?;
        let key = self
            .contact_keys
            .get(&contact)
            .ok_or(RecordError::KeyUnavailable)?;
        change.writes.push(sealed_audio(key, contact, id, wav)?);
        Ok(change)
    }

    /// A fresh key for `contact`'s audio and transcripts, and the write that stores it wrapped
    /// under the workspace key.
    fn new_contact_key(&self, contact: RecordId) -> Result<(SecretKey, Write), WorkspaceError> {
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

    /// Opens the sealed audio of transcript `id`, as read from [`Store::Audio`].
    ///
    /// # Errors
    /// [`RecordError::KeyUnavailable`] when the transcript or its contact key is gone (consent
    /// revoked), [`RecordError::Envelope`] for damaged bytes or audio sealed for another
    /// transcript or contact.
    pub fn open_audio(&self, id: RecordId, sealed: &[u8]) -> Result<Vec<u8>, RecordError> {
        let transcript = self.transcript(id).ok_or(RecordError::KeyUnavailable)?;
        let envelope = Envelope::parse(sealed)?;
        if envelope.key != KeyRef::Contact(transcript.contact) {
            return Err(RecordError::IdMismatch);
        }
        let key = self
            .contact_keys
            .get(&transcript.contact)
            .ok_or(RecordError::KeyUnavailable)?;
        Ok(envelope.open(key, &id)?)
    }

    /// Stages the worker's correction of one segment of a transcript (the text before is kept
    /// in the transcript). Needs the contact's permit, like the transcript itself.
    ///
    /// # Errors
    /// [`WorkspaceError::TranscriptNotFound`], [`WorkspaceError::Transcript`], or as
    /// [`Workspace::stage_transcript`].
    pub fn stage_segment_correction(
        &self,
        permit: &ProcessingPermit,
        transcript: RecordId,
        segment: u32,
        text: &str,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        let mut corrected = self
            .transcript(transcript)
            .cloned()
            .ok_or(WorkspaceError::TranscriptNotFound)?;
        corrected.correct(segment, text, now)?;
        permit.covers(corrected.contact)?;
        let version = self
            .transcripts
            .get(&transcript)
            .map_or(1, |v| v.version + 1);
        let writes = vec![self.sealed(&Record::Transcript(corrected.clone()), version)?];
        Ok(Change {
            target: transcript,
            writes,
            audit: Vec::new(),
            effect: Effect::Transcript(Versioned {
                version,
                value: corrected,
            }),
        })
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
    /// [`WorkspaceError::ReportNotFound`], or [`ReportError::Validated`] when the stored version
    /// is validated.
    pub fn stage_report_update(&self, report: Report) -> Result<Change, WorkspaceError> {
        let stored = self
            .reports
            .get(&report.id)
            .ok_or(WorkspaceError::ReportNotFound)?;
        if stored.value.validated.is_some() {
            return Err(ReportError::Validated.into());
        }
        let validated_now = report.validated.as_ref().map(|v| v.at);
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

    fn stage_report_version(&self, report: Report, version: u64) -> Result<Change, WorkspaceError> {
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

    /// A dossier's audit log, newest first.
    pub fn audit_of(&self, dossier: RecordId) -> Vec<&AuditEvent> {
        newest_first(&self.audits, |a| a.dossier == dossier, |a| (a.at, a.id))
    }

    /// Adds an audit event to `change`, written in the same transaction.
    fn audited(
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

    fn stage_dossier(&self, dossier: Dossier, version: u64) -> Result<Change, WorkspaceError> {
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

    /// Stages new preferences.
    ///
    /// # Errors
    /// [`WorkspaceError::Preferences`] for invalid values.
    pub fn stage_preferences(&self, prefs: Preferences) -> Result<Change, WorkspaceError> {
        prefs.validate()?;
        let version = self.preferences.version + 1;
        let writes = vec![self.sealed(&Record::Preferences(prefs.clone()), version)?];
        Ok(Change {
            target: PREFERENCES_ID,
            writes,
            audit: Vec::new(),
            effect: Effect::Preferences(Versioned {
                version,
                value: prefs,
            }),
        })
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
        match change.effect {
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
