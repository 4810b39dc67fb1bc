//! What the integration tests share: a stand-in for IndexedDB and sample input.

// Not every test file uses every helper.
#![allow(dead_code)]

use std::collections::BTreeMap;

use domain::dossier::DossierDraft;
use domain::record::{Store, Write};
use domain::workspace::StoredEntry;

/// The passphrase of the test workspaces.
pub const PASS: &str = "zonnige dinsdag in Gent";

/// A stand-in for IndexedDB: two stores of opaque bytes.
#[derive(Default, Clone)]
pub struct FakeDb(pub BTreeMap<(&'static str, String), Vec<u8>>);

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

    /// What the app loads when unlocking.
    pub fn entries(&self) -> Vec<StoredEntry> {
        // Like the app, the workspace never loads the audio store.
        self.0
            .iter()
            .filter(|((store, _), _)| *store != "audio")
            .map(|((store, key), bytes)| StoredEntry {
                store: if *store == "keys" {
                    Store::Keys
                } else {
                    Store::Records
                },
                key: key.clone(),
                bytes: bytes.clone(),
            })
            .collect()
    }

    /// Whether any stored value contains `needle` in plain bytes.
    pub fn contains_text(&self, needle: &str) -> bool {
        self.0
            .values()
            .any(|v| v.windows(needle.len()).any(|w| w == needle.as_bytes()))
    }
}

/// A dossier form.
pub fn draft(name: &str) -> DossierDraft {
    DossierDraft {
        name: name.into(),
        reference: "D-2026-0417".into(),
        birth_date: "1988-02-29".into(),
        notes: "Verwezen door het CAW".into(),
    }
}
