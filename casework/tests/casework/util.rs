//! What the tests share: a worker's desk (workspace and its stored bytes) and sample input.

// Not every test file uses every helper.
#![allow(dead_code)]

use std::collections::BTreeMap;

use domain::consent::{Channel, ConsentChoice};
use domain::contact::ContactKind;
use domain::crypto::{SecretKey, WrappedKey};
use domain::dossier::DossierDraft;
use domain::record::{Store, Write};
use domain::transcript::{AudioInfo, Transcript};
use domain::workspace::{Change, StoredEntry, Workspace};
use domain::{RecordId, Timestamp};
use templates::Template;

/// 24 November 2025, 16:00 UTC.
pub const DAY: i64 = 86_400_000;
/// The first contact.
pub const T0: Timestamp = Timestamp(1_764_000_000_000);

/// A stand-in for IndexedDB: stores of opaque bytes.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct FakeDb(pub BTreeMap<(&'static str, String), Vec<u8>>);

fn store_of(name: &str) -> Store {
    match name {
        "keys" => Store::Keys,
        "audio" => Store::Audio,
        _ => Store::Records,
    }
}

impl FakeDb {
    /// Applies writes as IndexedDB would (one transaction).
    pub fn write(&mut self, writes: &[Write]) {
        for w in writes {
            let key = (w.store.name(), w.key.clone());
            match &w.value {
                Some(bytes) => {
                    self.0.insert(key, bytes.clone());
                }
                None => {
                    self.0.remove(&key);
                }
            }
        }
    }

    /// How many stored entries sync (every store but the audio).
    pub fn synced(&self) -> usize {
        self.0.keys().filter(|(store, _)| *store != "audio").count()
    }

    /// Every stored entry, the audio store included.
    pub fn all(&self) -> Vec<StoredEntry> {
        self.0
            .iter()
            .map(|((store, key), bytes)| StoredEntry {
                store: store_of(store),
                key: key.clone(),
                bytes: bytes.clone(),
            })
            .collect()
    }

    /// What the app loads when unlocking (never the audio).
    pub fn entries(&self) -> Vec<StoredEntry> {
        self.all()
            .into_iter()
            .filter(|e| e.store != Store::Audio)
            .collect()
    }
}

/// A worker's desk: the unlocked workspace, its stored bytes and one dossier.
pub struct Desk {
    /// The workspace key, wrapped (a stand-in for the passphrase-wrapped keyring).
    outer: SecretKey,
    wrapped: WrappedKey,
    pub ws: Workspace,
    pub db: FakeDb,
    pub dossier: RecordId,
}

impl Desk {
    /// A fresh workspace with one dossier.
    pub fn new() -> Self {
        let key = SecretKey::generate().unwrap();
        let outer = SecretKey::generate().unwrap();
        let wrapped = outer.wrap(&key, b"test").unwrap();
        let (ws, _) = Workspace::open(key, Vec::new());
        let mut desk = Self {
            outer,
            wrapped,
            ws,
            db: FakeDb::default(),
            dossier: RecordId::from_bytes([0; 16]),
        };
        let change = desk
            .ws
            .stage_new_dossier(
                DossierDraft {
                    name: "Céline Janssens".into(),
                    reference: "D-2026-0417".into(),
                    birth_date: "1988-02-29".into(),
                    notes: String::new(),
                },
                T0,
            )
            .unwrap();
        desk.dossier = desk.save(change);
        desk
    }

    /// Stores and applies a change, as the app's session does.
    pub fn save(&mut self, change: Change) -> RecordId {
        self.db.write(&change.writes);
        let target = change.target;
        self.ws.apply(change);
        target
    }

    /// The workspace as opened again from storage.
    pub fn reopen(&self) -> Workspace {
        let key = self.outer.unwrap_key(&self.wrapped, b"test").unwrap();
        let (ws, bad) = Workspace::open(key, self.db.entries());
        assert!(bad.is_empty(), "{bad:?}");
        ws
    }

    /// A contact `days` after the first, with the client's answer.
    pub fn contact(&mut self, days: i64, yes: bool) -> RecordId {
        let choice = if yes {
            ConsentChoice::Given
        } else {
            ConsentChoice::Refused
        };
        let change = self
            .ws
            .stage_new_contact(self.dossier, ContactKind::Gesprek, choice, at(days))
            .unwrap();
        self.save(change)
    }

    /// The worker writes `note` for `contact`.
    pub fn note(&mut self, contact: RecordId, note: &str) {
        let at = self.ws.contact(contact).unwrap().started_at;
        let change = self
            .ws
            .stage_contact_note(contact, note.into(), at)
            .unwrap();
        self.save(change);
    }

    /// A recording of `contact` transcribed as `lines`.
    pub fn record(&mut self, contact: RecordId, lines: &[&str]) -> RecordId {
        let c = self.ws.contact(contact).unwrap();
        let permit = c.processing_permit().unwrap();
        let wav = b"RIFF....WAVEfmt ".to_vec();
        let transcript = Transcript::recorded(
            RecordId::random().unwrap(),
            contact,
            "whisper-base-nl 1",
            lines.iter().enumerate().map(|(i, line)| {
                let i = i as u64;
                (i * 3000, i * 3000 + 2500, (*line).to_owned())
            }),
            Some(AudioInfo {
                sample_rate: 16_000,
                duration_ms: lines.len() as u64 * 3000,
                bytes: wav.len() as u64,
            }),
            Timestamp(c.started_at.millis() + 60_000),
        );
        let change = self.ws.stage_recording(&permit, transcript, &wav).unwrap();
        self.save(change)
    }

    /// Typed notes of `contact`, stored as its transcript (as "Verslag genereren" does).
    pub fn typed(&mut self, contact: RecordId, notes: &str) -> RecordId {
        let c = self.ws.contact(contact).unwrap();
        let permit = c.processing_permit().unwrap();
        let transcript = Transcript::from_notes(
            RecordId::random().unwrap(),
            contact,
            notes,
            Timestamp(c.started_at.millis() + 60_000),
        );
        let change = self.ws.stage_transcript(&permit, transcript).unwrap();
        self.save(change)
    }

    /// The client revokes consent for `contact`, stored in full.
    pub fn revoke(&mut self, contact: RecordId) {
        let change = self
            .ws
            .stage_revocation(contact, Channel::Mondeling, at(30))
            .unwrap();
        self.save(change);
    }

    /// The client revokes consent for `contact`, but of the revocation only the contact record
    /// reaches storage (as on a device that synced the contact but not yet the deletions): its
    /// key and transcripts are still present.
    pub fn revoke_leaving_transcripts(&mut self, contact: RecordId) -> Workspace {
        let change = self
            .ws
            .stage_revocation(contact, Channel::Mondeling, at(30))
            .unwrap();
        let own: Vec<Write> = change
            .writes
            .iter()
            .filter(|w| w.store == Store::Records && w.key == contact.to_string())
            .cloned()
            .collect();
        assert_eq!(own.len(), 1, "the revocation rewrites the contact");
        self.db.write(&own);
        self.reopen()
    }
}

/// `days` after the first contact.
pub fn at(days: i64) -> Timestamp {
    Timestamp(T0.millis() + days * DAY)
}

/// The calendar day of a moment (UTC in the tests).
pub fn day(t: Timestamp) -> extract::Date {
    casework::utc_day(t)
}

/// The newest shipped "sociaal verslag" template.
pub fn sociaal() -> Template {
    templates::builtin()
        .unwrap()
        .into_iter()
        .filter(|t| t.id == "sociaal-verslag")
        .max_by_key(|t| t.version)
        .unwrap()
}

impl Desk {
    /// The workspace a device holding `db` opens with this desk's key.
    pub fn open(&self, db: &FakeDb) -> Workspace {
        let key = self.outer.unwrap_key(&self.wrapped, b"test").unwrap();
        let (ws, bad) = Workspace::open(key, db.entries());
        assert!(bad.is_empty(), "{bad:?}");
        ws
    }
}
