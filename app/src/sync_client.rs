//! This device's side of sync and sharing: its credential and sync state (sealed in the `meta`
//! store, never synced), pulling and pushing through the relay, pairing and conflicts.
//!
//! The rules are in [`domain::sync`] and the loop in [`casework::sync`]; this module gives that
//! loop IndexedDB and the relay.

use casework::sync::{LocalStore, Remote};
use domain::RecordId;
use domain::record::Write;
use domain::sync::{
    AccountCreated, PairingClaimed, PairingCode, PullResponse, PushRequest, PushResponse,
    Resolution, SyncState, SyncedStore,
};
use domain::workspace::StoredEntry;
use serde::{Deserialize, Serialize};

use crate::relay_api::{self, RelayError};
use crate::session::Session;
use crate::storage;

const META_KEY: &str = "sync";

/// This device's sync settings and state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSync {
    /// The device credential, once sync or sharing is switched on.
    pub credential: Option<AccountCreated>,
    /// What was last exchanged.
    pub state: SyncState,
    /// When the last sync finished (ms since the epoch).
    pub last_sync: Option<i64>,
}

pub use casework::sync::SyncReport;

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// This device's sync settings (default when none are stored).
///
/// # Errors
/// A storage failure or a damaged value (described in Dutch).
pub async fn load(session: Session) -> Result<DeviceSync, String> {
    let Some(sealed) = storage::read_meta(META_KEY).await.map_err(text)? else {
        return Ok(DeviceSync::default());
    };
    let bytes = session
        .with_untracked(|ws| ws.open_device_state(&sealed))
        .ok_or("de werkruimte is vergrendeld")?
        .map_err(|_| "de synchronisatie-instellingen op dit toestel zijn beschadigd".to_owned())?;
    serde_json::from_slice(&bytes).map_err(text)
}

/// Stores this device's sync settings, sealed with the workspace key.
///
/// # Errors
/// A storage failure.
pub async fn save(session: Session, sync: &DeviceSync) -> Result<(), String> {
    let json = serde_json::to_vec(sync).map_err(text)?;
    let sealed = session
        .with_untracked(|ws| ws.seal_device_state(&json))
        .ok_or("de werkruimte is vergrendeld")?
        .map_err(text)?;
    storage::write_meta(META_KEY, &sealed).await.map_err(text)
}

/// The device token, creating an account with this device as its first when there is none.
///
/// # Errors
/// A relay or storage failure, in Dutch.
pub async fn ensure_account(session: Session) -> Result<(DeviceSync, String), String> {
    let mut sync = load(session).await?;
    if let Some(c) = &sync.credential {
        let token = c.token.clone();
        return Ok((sync, token));
    }
    let created: AccountCreated =
        relay_api::call("POST", "/api/v1/accounts", None, None::<&()>, &[])
            .await
            .map_err(text)?;
    let token = created.token.clone();
    sync.credential = Some(created);
    save(session, &sync).await?;
    Ok((sync, token))
}

/// The relay, for the sync loop.
struct Relay {
    token: String,
}

impl Remote for Relay {
    type Error = RelayError;

    async fn pull(&mut self, since: u64) -> Result<PullResponse, RelayError> {
        let path = format!("/api/v1/sync/pull?since={since}");
        relay_api::call("GET", &path, Some(&self.token), None::<&()>, &[]).await
    }

    async fn push(&mut self, request: &PushRequest) -> Result<PushResponse, RelayError> {
        relay_api::call(
            "POST",
            "/api/v1/sync/push",
            Some(&self.token),
            Some(request),
            &[],
        )
        .await
    }
}

/// IndexedDB and the sealed sync settings, for the sync loop.
struct Device {
    session: Session,
    sync: DeviceSync,
}

impl LocalStore for Device {
    type Error = String;

    async fn entries(&mut self) -> Result<Vec<StoredEntry>, String> {
        storage::load_all().await.map_err(text)
    }

    async fn write_if_unchanged(
        &mut self,
        writes: &[Write],
        seen: &[StoredEntry],
    ) -> Result<bool, String> {
        storage::write_if_unchanged(writes, seen)
            .await
            .map_err(text)
    }

    async fn save_state(&mut self, state: &SyncState) -> Result<(), String> {
        self.sync.state = state.clone();
        save(self.session, &self.sync).await
    }
}

/// Pulls everything new, then pushes this device's changes ([`casework::sync::run`]). Call it
/// through [`crate::background_sync::sync_once`], which never lets two runs overlap.
///
/// # Errors
/// A relay or storage failure, in Dutch; what was already stored stays stored.
pub async fn sync_now(session: Session) -> Result<SyncReport, String> {
    let sync = load(session).await?;
    let token = sync
        .credential
        .as_ref()
        .map(|c| c.token.clone())
        .ok_or("synchronisatie is op dit toestel niet ingeschakeld")?;
    let mut state = sync.state.clone();
    let mut device = Device { session, sync };
    let report = casework::sync::run(&mut state, &mut Relay { token }, &mut device)
        .await
        .map_err(text)?;
    let mut sync = device.sync;
    sync.state = state;
    sync.last_sync = Some(crate::clock::now().millis());
    save(session, &sync).await?;
    if report.received > 0 {
        session.reload_from_storage().await.map_err(text)?;
    }
    Ok(report)
}

/// Applies the worker's choice for a conflict.
///
/// # Errors
/// A storage failure, in Dutch.
pub async fn resolve(
    session: Session,
    store: SyncedStore,
    key: RecordId,
    choice: Resolution,
) -> Result<(), String> {
    let mut sync = load(session).await?;
    let writes = sync.state.resolve(store, key, choice).map_err(text)?;
    storage::write(&writes).await.map_err(text)?;
    save(session, &sync).await?;
    if !writes.is_empty() {
        session.reload_from_storage().await.map_err(text)?;
    }
    Ok(())
}

/// Files a pairing offer and returns the code to show, with its expiry (Unix seconds).
///
/// # Errors
/// A relay or storage failure, in Dutch.
pub async fn offer_pairing(session: Session) -> Result<(String, u64), String> {
    let (_, token) = ensure_account(session).await?;
    let code = PairingCode::generate().map_err(text)?;
    let offer = session
        .with_untracked(|ws| ws.pairing_offer(&code))
        .ok_or("de werkruimte is vergrendeld")?
        .map_err(text)?;
    let answer: serde_json::Value =
        relay_api::call("POST", "/api/v1/pairings", Some(&token), Some(&offer), &[])
            .await
            .map_err(text)?;
    Ok((code.display(), answer["expires_at"].as_u64().unwrap_or(0)))
}

/// Claims a pairing offer on a new device: the workspace key and this device's credential.
///
/// # Errors
/// A bad or used code, or a relay failure, in Dutch.
pub async fn claim_pairing(
    typed: &str,
) -> Result<(domain::crypto::SecretKey, AccountCreated), String> {
    let code = PairingCode::parse(typed).map_err(text)?;
    let path = format!("/api/v1/pairings/{}/claim", code.offer_id());
    let claimed: PairingClaimed = relay_api::call("POST", &path, None, None::<&()>, &[])
        .await
        .map_err(|e| match e {
            RelayError::Api { code, .. } if code == "not_found" => {
                "deze koppelcode is onbekend, verlopen of al gebruikt; maak een nieuwe op het andere toestel".to_owned()
            }
            other => other.to_string(),
        })?;
    let key = code.open(&claimed.offer).map_err(text)?;
    Ok((key, claimed.credential))
}
