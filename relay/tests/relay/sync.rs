//! Two devices syncing real sealed records through the relay over TLS, with the app's own
//! sync loop ([`casework::sync::run`]).

use std::collections::BTreeMap;

use casework::sync::{LocalStore, Remote};
use domain::Timestamp;
use domain::crypto::{KdfParams, Keyring, SecretKey};
use domain::dossier::DossierDraft;
use domain::record::{RecordError, Store, Write};
use domain::sync::{
    AccountCreated, PairingClaimed, PairingCode, PullResponse, PushRequest, PushResponse,
    Resolution, SyncState, SyncedStore,
};
use domain::workspace::{StoredEntry, Workspace};
use reqwest::StatusCode;

use crate::util::{self, TestRelay};

const PASS: &str = "zonnige dinsdag in Gent";
const CLIENT: &str = "Céline Janssens-Vermeulen";
/// What the devices write, which the relay must never hold readable.
const PLAINTEXT: [&str; 5] = [
    CLIENT,
    "Janssens",
    "Notitie van toestel",
    "leefloon",
    "2026/0815",
];

type Db = BTreeMap<(&'static str, String), Vec<u8>>;

fn entries_of(db: &Db) -> Vec<StoredEntry> {
    db.iter()
        .map(|((store, key), bytes)| StoredEntry {
            store: store_of(store),
            key: key.clone(),
            bytes: bytes.clone(),
        })
        .collect()
}

fn write_to(db: &mut Db, writes: &[Write]) {
    for w in writes {
        let k = (w.store.name(), w.key.clone());
        match &w.value {
            Some(v) => {
                db.insert(k, v.clone());
            }
            None => {
                db.remove(&k);
            }
        }
    }
}

/// The real relay over TLS, as the sync loop's remote; pulls in pages of two.
struct RelayRemote<'a> {
    relay: &'a TestRelay,
    token: &'a str,
}

impl Remote for RelayRemote<'_> {
    type Error = reqwest::Error;

    async fn pull(&mut self, since: u64) -> Result<PullResponse, reqwest::Error> {
        self.relay
            .client
            .get(format!(
                "{}/api/v1/sync/pull?since={since}&limit=2",
                self.relay.base
            ))
            .bearer_auth(self.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }

    async fn push(&mut self, request: &PushRequest) -> Result<PushResponse, reqwest::Error> {
        self.relay
            .client
            .post(format!("{}/api/v1/sync/push", self.relay.base))
            .bearer_auth(self.token)
            .json(request)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}

/// The device's IndexedDB stand-in, as the sync loop's local store (the state lives in
/// [`Device::state`]).
struct LocalDb<'a>(&'a mut Db);

impl LocalStore for LocalDb<'_> {
    type Error = std::convert::Infallible;

    async fn entries(&mut self) -> Result<Vec<StoredEntry>, Self::Error> {
        Ok(entries_of(self.0))
    }

    async fn write_if_unchanged(
        &mut self,
        writes: &[Write],
        seen: &[StoredEntry],
    ) -> Result<bool, Self::Error> {
        let stored = &*self.0;
        let unchanged = casework::sync::unchanged(writes, seen, |w| {
            stored
                .get(&(w.store.name(), w.key.clone()))
                .map(Vec::as_slice)
        });
        if unchanged {
            write_to(self.0, writes);
        }
        Ok(unchanged)
    }

    async fn save_state(&mut self, _state: &SyncState) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A worker's device: its IndexedDB stand-in, its keyring and its sync state.
pub struct Device {
    pub keyring: Keyring,
    pub db: Db,
    pub state: SyncState,
    pub token: String,
}

fn store_of(name: &str) -> Store {
    match name {
        "keys" => Store::Keys,
        "audio" => Store::Audio,
        _ => Store::Records,
    }
}

impl Device {
    pub fn new(key: &SecretKey, credential: AccountCreated) -> Self {
        Self {
            keyring: Keyring::wrap(key, PASS, KdfParams::default()).unwrap(),
            db: BTreeMap::new(),
            state: SyncState::default(),
            token: credential.token,
        }
    }

    pub fn key(&self) -> SecretKey {
        self.keyring.unlock(PASS).unwrap()
    }

    pub fn entries(&self) -> Vec<StoredEntry> {
        entries_of(&self.db)
    }

    pub fn write(&mut self, writes: &[Write]) {
        write_to(&mut self.db, writes);
    }

    pub fn workspace(&self) -> Workspace {
        let entries = self
            .entries()
            .into_iter()
            .filter(|e| e.store != Store::Audio);
        let (ws, unreadable) = Workspace::open(self.key(), entries);
        assert!(unreadable.is_empty(), "{unreadable:?}");
        ws
    }

    /// Pull everything (in pages of two), then push local changes, with the app's loop.
    /// Returns the number of open conflicts.
    pub async fn sync(&mut self, relay: &TestRelay) -> usize {
        let mut remote = RelayRemote {
            relay,
            token: &self.token,
        };
        let mut local = LocalDb(&mut self.db);
        casework::sync::run(&mut self.state, &mut remote, &mut local)
            .await
            .unwrap()
            .conflicts
    }

    pub fn request(
        &self,
        relay: &TestRelay,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        relay
            .client
            .request(method, format!("{}{path}", relay.base))
            .bearer_auth(&self.token)
    }
}

/// A new account: the first device, with a fresh workspace.
pub async fn first_device(relay: &TestRelay) -> Device {
    let resp = relay
        .client
        .post(format!("{}/api/v1/accounts", relay.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let credential: AccountCreated = resp.json().await.unwrap();
    let key = SecretKey::generate().unwrap();
    Device::new(&key, credential)
}

const MOMENT: Timestamp = Timestamp(1_764_000_000_000);

/// A first device with one dossier (not yet synced).
async fn device_with_dossier(relay: &TestRelay) -> (Device, domain::RecordId) {
    let mut a = first_device(relay).await;
    let change = a
        .workspace()
        .stage_new_dossier(draft(CLIENT, ""), MOMENT)
        .unwrap();
    let dossier = change.target;
    a.write(&change.writes);
    (a, dossier)
}

/// Links a second device to `a`'s account through a pairing code.
async fn pair(relay: &TestRelay, a: &Device) -> Device {
    let code = PairingCode::generate().unwrap();
    a.request(relay, reqwest::Method::POST, "/api/v1/pairings")
        .json(&code.offer(&a.key()).unwrap())
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let claimed: PairingClaimed = relay
        .client
        .post(format!(
            "{}/api/v1/pairings/{}/claim",
            relay.base,
            code.offer_id()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Device::new(&code.open(&claimed.offer).unwrap(), claimed.credential)
}

fn draft(name: &str, notes: &str) -> DossierDraft {
    DossierDraft {
        name: name.into(),
        reference: "2026/0815".into(),
        birth_date: "1984-03-12".into(),
        notes: notes.into(),
    }
}

fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_devices_pair_sync_and_keep_both_sides_of_a_conflict() {
    let relay = util::start();
    two_devices(&relay).await;
    let db = relay.data_dir.join("relay.redb");
    for needle in PLAINTEXT {
        assert!(
            !file_contains(&db, needle),
            "{needle} found in the relay store"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_devices_sync_through_a_postgresql_backend() {
    let Some(url) = util::postgres_url() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let settings = relay::Settings {
        postgres_url: Some(url),
        ..util::settings_in(&dir)
    };
    let relay = util::start_with(settings, dir);
    two_devices(&relay).await;
    assert!(
        !relay.data_dir.join("relay.redb").exists(),
        "with PostgreSQL the embedded store is not used"
    );
    // Every file of the database cluster (tables and write-ahead log) holds none of it.
    if let Ok(cluster) = std::env::var("ZV_TEST_POSTGRES_DIR") {
        let mut files = 0;
        let mut stack = vec![std::path::PathBuf::from(cluster)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    files += 1;
                    for needle in PLAINTEXT {
                        assert!(
                            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                            "{needle} found in {}",
                            path.display()
                        );
                    }
                }
            }
        }
        assert!(files > 10, "the cluster directory was not scanned");
    }
}

/// Pairing, sync, a concurrent edit kept as a conflict, resolution, unlinking.
async fn two_devices(relay: &TestRelay) {
    let mut a = first_device(relay).await;
    let t = Timestamp(1_764_000_000_000);
    let change = a
        .workspace()
        .stage_new_dossier(draft(CLIENT, "Vraagt leefloon aan."), t)
        .unwrap();
    let dossier = change.target;
    a.write(&change.writes);
    assert_eq!(a.sync(relay).await, 0);

    // Pairing: the code travels out of band; the relay holds only the wrapped key.
    let code = PairingCode::generate().unwrap();
    let offer = code.offer(&a.key()).unwrap();
    let resp = a
        .request(relay, reqwest::Method::POST, "/api/v1/pairings")
        .json(&offer)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let typed = PairingCode::parse(&code.display().to_lowercase()).unwrap();
    let claim_url = format!("{}/api/v1/pairings/{}/claim", relay.base, typed.offer_id());
    let claimed: PairingClaimed = relay
        .client
        .post(&claim_url)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    let again = relay.client.post(&claim_url).send().await.unwrap();
    assert_eq!(
        again.status(),
        StatusCode::NOT_FOUND,
        "a pairing code works once"
    );
    let key_b = typed.open(&claimed.offer).unwrap();
    let mut b = Device::new(&key_b, claimed.credential);
    assert_eq!(b.sync(relay).await, 0);
    assert_eq!(b.workspace().dossier(dossier).unwrap().name, CLIENT);

    // Both devices edit the same dossier before syncing.
    let change = a
        .workspace()
        .stage_dossier_update(dossier, draft(CLIENT, "Notitie van toestel A."), t)
        .unwrap();
    a.write(&change.writes);
    let change = b
        .workspace()
        .stage_dossier_update(dossier, draft(CLIENT, "Notitie van toestel B."), t)
        .unwrap();
    b.write(&change.writes);
    assert_eq!(a.sync(relay).await, 0);
    assert_eq!(b.sync(relay).await, 1, "the concurrent edit is a conflict");
    // Nothing was overwritten: B still shows its own note, and A's copy opens beside it.
    assert_eq!(
        b.workspace().dossier(dossier).unwrap().notes,
        "Notitie van toestel B."
    );
    let theirs = b.state.conflicts()[0].remote.clone();
    let (_, record) = domain::record::Record::open(
        &b.key(),
        |_| None,
        theirs.key,
        theirs.data.as_deref().unwrap(),
    )
    .unwrap();
    let domain::record::Record::Dossier(theirs_dossier) = record else {
        panic!("expected a dossier");
    };
    assert_eq!(theirs_dossier.notes, "Notitie van toestel A.");
    // B keeps its own; after the next sync both devices show it.
    let writes = b
        .state
        .resolve(SyncedStore::Records, dossier, Resolution::KeepMine)
        .unwrap();
    assert!(writes.is_empty());
    assert_eq!(b.sync(relay).await, 0);
    assert_eq!(a.sync(relay).await, 0);
    assert_eq!(
        a.workspace().dossier(dossier).unwrap().notes,
        "Notitie van toestel B."
    );
    assert_eq!(a.entries(), b.entries());

    // A unlinks B: B's token stops working at once.
    let devices: Vec<domain::sync::DeviceInfo> = a
        .request(relay, reqwest::Method::GET, "/api/v1/devices")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(devices.len(), 2);
    let other = devices.iter().find(|d| !d.current).unwrap();
    let resp = a
        .request(
            relay,
            reqwest::Method::DELETE,
            &format!("/api/v1/devices/{}", other.device),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let resp = b
        .request(relay, reqwest::Method::GET, "/api/v1/sync/pull")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");
}

#[tokio::test(flavor = "multi_thread")]
async fn deletions_sync_and_tampered_or_foreign_ciphertext_is_refused_on_the_device() {
    let relay = util::start();
    let (mut a, dossier) = device_with_dossier(&relay).await;
    let t = MOMENT;
    a.sync(&relay).await;
    // A second device of the same account with the same key.
    let mut b = Device {
        keyring: a.keyring.clone(),
        db: BTreeMap::new(),
        state: SyncState::default(),
        token: a.token.clone(),
    };
    b.sync(&relay).await;
    assert!(b.workspace().dossier(dossier).is_some());

    // A deletion travels as a tombstone.
    let key = dossier.to_string();
    a.db.remove(&("records", key.clone()));
    a.sync(&relay).await;
    b.sync(&relay).await;
    assert!(!b.db.contains_key(&("records", key.clone())));

    // Bytes altered on the way (here: pushed altered) are refused when opened, not shown.
    let change = a
        .workspace()
        .stage_new_dossier(draft(CLIENT, ""), t)
        .unwrap();
    let id = change.target;
    a.write(&change.writes);
    let sealed = a.db.get_mut(&("records", id.to_string())).unwrap();
    let last = sealed.len() - 1;
    sealed[last] ^= 0x01;
    a.sync(&relay).await;
    b.sync(&relay).await;
    let (_, unreadable) = Workspace::open(b.key(), b.entries());
    assert_eq!(unreadable.len(), 1);
    assert!(matches!(unreadable[0].error, RecordError::Envelope(_)));

    // Another workspace's key opens nothing it pulls.
    let stranger = SecretKey::generate().unwrap();
    let (ws, unreadable) = Workspace::open(stranger, b.entries());
    assert!(ws.dossiers("").is_empty());
    assert_eq!(unreadable.len(), b.entries().len());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_get_clear_errors_with_stable_codes() {
    let dir = tempfile::tempdir().unwrap();
    let settings = relay::Settings {
        max_body_bytes: 4096,
        account_quota_bytes: 3000,
        ..util::settings_in(&dir)
    };
    let relay = util::start_with(settings, dir);
    let a = first_device(&relay).await;

    async fn code(resp: reqwest::Response) -> (StatusCode, String) {
        let status = resp.status();
        let body: serde_json::Value = resp.json().await.unwrap();
        (
            status,
            body["error"].as_str().unwrap_or_default().to_owned(),
        )
    }

    let no_token = relay
        .client
        .get(format!("{}/api/v1/sync/pull", relay.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(no_token).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    let wrong_token = relay
        .client
        .get(format!("{}/api/v1/sync/pull", relay.base))
        .bearer_auth("A".repeat(43))
        .send()
        .await
        .unwrap();
    assert_eq!(code(wrong_token).await.1, "unauthorized");

    let item = |key: &str, data: &str| serde_json::json!({"items": [{"store": "records", "key": key, "base": 0, "data": data}]});
    let push = |body: serde_json::Value| {
        a.request(&relay, reqwest::Method::POST, "/api/v1/sync/push")
            .json(&body)
            .send()
    };
    let push = move |body| {
        let sent = push(body);
        async move { sent.await.unwrap() }
    };
    let name_as_key = push(item("Jan Peeters", "AAAA")).await;
    assert_eq!(
        code(name_as_key).await,
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
    let truncated = a
        .request(&relay, reqwest::Method::POST, "/api/v1/sync/push")
        .header("content-type", "application/json")
        .body(r#"{"items": [{"store": "records", "key": "#)
        .send()
        .await
        .unwrap();
    assert_eq!(code(truncated).await.1, "bad_request");
    let big = "A".repeat(8000);
    let too_big = push(item("00000000000000000000000000000001", &big)).await;
    assert_eq!(
        code(too_big).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into())
    );

    // Quota: 3000 bytes. Two 1,800-byte entries do not fit; the second push stores nothing.
    let chunk = "A".repeat(2400); // 1,800 bytes decoded
    let ok = push(item("00000000000000000000000000000002", &chunk)).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let over = push(item("00000000000000000000000000000003", &chunk)).await;
    assert_eq!(
        code(over).await,
        (StatusCode::INSUFFICIENT_STORAGE, "quota_exceeded".into())
    );
    let usage: serde_json::Value = a
        .request(&relay, reqwest::Method::GET, "/api/v1/sync/usage")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(usage["used"], 1800);

    let bad_since = a
        .request(&relay, reqwest::Method::GET, "/api/v1/sync/pull?since=-1")
        .send()
        .await
        .unwrap();
    assert_eq!(code(bad_since).await.1, "bad_request");
}

#[tokio::test(flavor = "multi_thread")]
async fn unauthenticated_requests_are_rate_limited_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let settings = relay::Settings {
        address_requests_per_minute: 3,
        ..util::settings_in(&dir)
    };
    let relay = util::start_with(settings, dir);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let resp = relay
            .client
            .post(format!("{}/api/v1/accounts", relay.base))
            .send()
            .await
            .unwrap();
        statuses.push(resp.status());
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(resp.headers()["retry-after"], "60");
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["error"], "rate_limited");
        }
    }
    assert_eq!(&statuses[..3], &[StatusCode::CREATED; 3]);
    assert_eq!(&statuses[3..], &[StatusCode::TOO_MANY_REQUESTS; 2]);
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_on_one_device_shreds_on_the_relay_and_on_the_other_device() {
    use domain::consent::{Channel, ConsentChoice};
    use domain::contact::ContactKind;
    use domain::transcript::Transcript;

    let relay = util::start();
    let (mut a, dossier) = device_with_dossier(&relay).await;
    let t = MOMENT;
    let change = a
        .workspace()
        .stage_new_contact(dossier, ContactKind::Gesprek, ConsentChoice::Given, t)
        .unwrap();
    let contact = change.target;
    a.write(&change.writes);
    let ws = a.workspace();
    let permit = ws.contact(contact).unwrap().processing_permit().unwrap();
    let transcript = Transcript::from_notes(
        domain::RecordId::random().unwrap(),
        contact,
        "Mevrouw vertelt over haar schulden bij de deurwaarder.",
        t,
    );
    let change = ws.stage_transcript(&permit, transcript.clone()).unwrap();
    a.write(&change.writes);
    a.sync(&relay).await;

    // B is a second device with the same workspace key, synced before the revocation.
    let mut b = pair(&relay, &a).await;
    b.sync(&relay).await;
    assert!(b.workspace().transcript(transcript.id).is_some());
    let sealed_before = b.db[&("records", transcript.id.to_string())].clone();

    // A revokes; the next syncs carry the deletions.
    let change = a
        .workspace()
        .stage_revocation(contact, Channel::Telefonisch, t)
        .unwrap();
    a.write(&change.writes);
    assert_eq!(a.sync(&relay).await, 0);
    assert_eq!(b.sync(&relay).await, 0);
    let ws_b = b.workspace();
    assert!(ws_b.transcript(transcript.id).is_none());
    assert!(!ws_b.has_contact_key(contact));
    assert!(ws_b.contact(contact).unwrap().revoked.is_some());
    // Even a copy of the transcript kept from before cannot be opened any more: its key is gone.
    let (_, unreadable) = Workspace::open(
        b.key(),
        b.entries().into_iter().chain([StoredEntry {
            store: Store::Records,
            key: transcript.id.to_string(),
            bytes: sealed_before,
        }]),
    );
    assert_eq!(unreadable.len(), 1);
    assert!(matches!(unreadable[0].error, RecordError::KeyUnavailable));
    // The relay holds tombstones for the key and the transcript, not their bytes.
    let page: PullResponse = b
        .request(&relay, reqwest::Method::GET, "/api/v1/sync/pull?since=0")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (store, id) in [
        (SyncedStore::Keys, contact),
        (SyncedStore::Records, transcript.id),
    ] {
        let item = page
            .items
            .iter()
            .find(|i| i.store == store && i.key == id)
            .unwrap();
        assert_eq!(item.data, None, "{id} still has bytes on the relay");
    }
}

#[actix_rt::test]
async fn deleting_the_account_removes_everything_and_stops_every_device() {
    let relay = util::start();
    let (mut a, _) = device_with_dossier(&relay).await;
    a.sync(&relay).await;
    let mut b = pair(&relay, &a).await;
    b.sync(&relay).await;
    let sealed: Vec<u8> = a.db.values().next().unwrap().clone();

    let resp = a
        .request(&relay, reqwest::Method::DELETE, "/api/v1/account")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    for device in [&a, &b] {
        let resp = device
            .request(&relay, reqwest::Method::GET, "/api/v1/sync/pull?since=0")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    // The account can be neither used nor recreated from an old token; a new one starts empty.
    let mut other = first_device(&relay).await;
    other.sync(&relay).await;
    assert!(
        other.db.is_empty(),
        "nothing of the deleted account reaches another one"
    );
    assert!(!sealed.is_empty());
}
