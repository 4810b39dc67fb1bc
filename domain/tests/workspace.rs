//! The workspace life cycle through a simulated store: what the app does, without a browser.

use std::collections::BTreeMap;

use domain::Timestamp;
use domain::consent::{ConsentChoice, ConsentError};
use domain::contact::ContactKind;
use domain::crypto::{Envelope, KdfParams, Keyring, KeyringError};
use domain::dossier::DossierDraft;
use domain::record::{RecordError, Store, Write};
use domain::workspace::{StoredEntry, Workspace, WorkspaceError};

const PASS: &str = "zonnige dinsdag in Gent";

/// A stand-in for IndexedDB: two stores of opaque bytes.
#[derive(Default, Clone)]
struct FakeDb(BTreeMap<(&'static str, String), Vec<u8>>);

impl FakeDb {
    fn write(&mut self, writes: &[Write]) {
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

    fn entries(&self) -> Vec<StoredEntry> {
        self.0
            .iter()
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

    fn contains_text(&self, needle: &str) -> bool {
        self.0
            .values()
            .any(|v| v.windows(needle.len()).any(|w| w == needle.as_bytes()))
    }
}

fn draft(name: &str) -> DossierDraft {
    DossierDraft {
        name: name.into(),
        reference: "D-2026-0417".into(),
        birth_date: "1988-02-29".into(),
        notes: "Verwezen door het CAW".into(),
    }
}

#[test]
fn workspace_survives_a_reopen_and_stores_no_plaintext() {
    let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, bad) = Workspace::open(key, Vec::new());
    assert!(bad.is_empty());
    let mut db = FakeDb::default();

    let change = ws
        .stage_new_dossier(draft("Céline Janssens"), Timestamp(1_000))
        .unwrap();
    db.write(&change.writes);
    let dossier = change.target;
    ws.apply(change);

    let change = ws
        .stage_new_contact(
            dossier,
            ContactKind::Gesprek,
            ConsentChoice::Refused,
            Timestamp(2_000),
        )
        .unwrap();
    assert_eq!(
        change.writes.len(),
        1,
        "a refused contact gets no contact key"
    );
    db.write(&change.writes);
    let refused = change.target;
    ws.apply(change);

    let change = ws
        .stage_contact_note(
            refused,
            "Huurachterstal van drie maanden.".into(),
            Timestamp(3_000),
        )
        .unwrap();
    db.write(&change.writes);
    ws.apply(change);

    let change = ws
        .stage_new_contact(
            dossier,
            ContactKind::Huisbezoek,
            ConsentChoice::Given,
            Timestamp(4_000),
        )
        .unwrap();
    assert_eq!(
        change.writes.len(),
        2,
        "a consented contact gets a wrapped contact key"
    );
    assert!(change.writes.iter().any(|w| w.store == Store::Keys));
    db.write(&change.writes);
    let given = change.target;
    ws.apply(change);

    for secret in [
        "Janssens",
        "Huurachterstal",
        "D-2026-0417",
        "CAW",
        "1988",
        PASS,
    ] {
        assert!(!db.contains_text(secret), "{secret} is stored in the clear");
    }

    // Reload: unlock the stored keyring and decrypt everything.
    let stored: Keyring = serde_json::from_str(&serde_json::to_string(&keyring).unwrap()).unwrap();
    let (again, bad) = Workspace::open(stored.unlock(PASS).unwrap(), db.entries());
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(again.dossiers("").len(), 1);
    assert_eq!(again.dossier(dossier), ws.dossier(dossier));
    assert_eq!(again.contacts_of(dossier).len(), 2);
    assert_eq!(again.contacts_of(dossier)[0].id, given, "newest first");
    assert_eq!(
        again.contact(refused).unwrap().note,
        "Huurachterstal van drie maanden."
    );
    assert!(again.has_contact_key(given));
    assert!(!again.has_contact_key(refused));

    // The consent gate holds after a reload.
    assert!(again.contact(given).unwrap().processing_permit().is_ok());
    assert_eq!(
        again.contact(refused).unwrap().processing_permit(),
        Err(ConsentError::Refused { contact: refused })
    );
}

#[test]
fn wrong_passphrase_reads_nothing() {
    let (keyring, _) = Keyring::create(PASS, KdfParams::default()).unwrap();
    assert!(matches!(
        keyring.unlock("zonnige woensdag in Gent"),
        Err(KeyringError::WrongPassphrase)
    ));
}

#[test]
fn versions_increase_with_every_save() {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, _) = Workspace::open(key, Vec::new());
    let mut db = FakeDb::default();
    let change = ws.stage_new_dossier(draft("A"), Timestamp(1)).unwrap();
    let id = change.target;
    db.write(&change.writes);
    ws.apply(change);
    for (i, name) in ["B", "C"].into_iter().enumerate() {
        let change = ws
            .stage_dossier_update(id, draft(name), Timestamp(2 + i as i64))
            .unwrap();
        db.write(&change.writes);
        ws.apply(change);
    }
    let bytes = &db.0[&("records", id.to_string())];
    assert_eq!(Envelope::parse(bytes).unwrap().version, 3);
    let d = ws.dossier(id).unwrap();
    assert_eq!((d.name.as_str(), d.created_at), ("C", Timestamp(1)));
}

#[test]
fn a_change_that_was_not_persisted_changes_nothing() {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (ws, _) = Workspace::open(key, Vec::new());
    let change = ws
        .stage_new_dossier(draft("Niet bewaard"), Timestamp(1))
        .unwrap();
    drop(change); // the storage transaction failed
    assert!(ws.dossiers("").is_empty());
}

#[test]
fn invalid_input_is_refused_before_anything_is_sealed() {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (ws, _) = Workspace::open(key, Vec::new());
    assert!(matches!(
        ws.stage_new_dossier(draft("   "), Timestamp(1)),
        Err(WorkspaceError::Dossier(_))
    ));
    let unknown = domain::RecordId::random().unwrap();
    assert!(matches!(
        ws.stage_new_contact(
            unknown,
            ContactKind::Gesprek,
            ConsentChoice::Given,
            Timestamp(1)
        ),
        Err(WorkspaceError::DossierNotFound)
    ));
}

#[test]
fn damaged_and_swapped_records_are_reported_and_the_rest_loads() {
    let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, _) = Workspace::open(key, Vec::new());
    let mut db = FakeDb::default();
    let mut ids = Vec::new();
    for name in ["Eerste", "Tweede"] {
        let change = ws.stage_new_dossier(draft(name), Timestamp(1)).unwrap();
        ids.push(change.target);
        db.write(&change.writes);
        ws.apply(change);
    }
    // Truncate one record, copy the other under a new id (a swap attempt), add garbage.
    let first = ("records", ids[0].to_string());
    let cut = db.0[&first][..20].to_vec();
    db.0.insert(first, cut);
    let copied = db.0[&("records", ids[1].to_string())].clone();
    let swapped = "ffffffffffffffffffffffffffffffff".to_owned();
    db.0.insert(("records", swapped.clone()), copied);
    db.0.insert(("records", "not-an-id".into()), b"ZV".to_vec());

    let (again, bad) = Workspace::open(keyring.unlock(PASS).unwrap(), db.entries());
    assert_eq!(again.dossiers("").len(), 1, "the intact record still loads");
    assert_eq!(again.dossiers("")[0].id, ids[1]);
    assert_eq!(bad.len(), 3, "{bad:?}");
    let error_of = |key: &str| bad.iter().find(|u| u.key == key).map(|u| u.error.clone());
    assert!(matches!(
        error_of(&ids[0].to_string()),
        Some(RecordError::Envelope(_))
    ));
    assert!(matches!(
        error_of(&swapped),
        Some(RecordError::Envelope(
            domain::crypto::EnvelopeError::Decrypt
        ))
    ));
    assert!(matches!(
        error_of("not-an-id"),
        Some(RecordError::Format(_))
    ));
}
