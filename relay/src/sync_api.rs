//! Accounts, device credentials, pairing and end-to-end-encrypted sync (`/api/v1/...`).
//!
//! The wire format and the scheme are in [`domain::sync`]; this module checks requests and
//! applies them to the [`RelayStore`](crate::store::RelayStore). Device tokens are 256-bit
//! random values sent as `Authorization: Bearer …`; the relay keeps only their SHA-256.

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::sync::{AccountCreated, PairingClaimed, PairingOffer, PushRequest};
use serde::Deserialize;

use crate::State;
use crate::body::read_json;
use crate::error::ApiError;
use crate::limits::address_key;
use crate::store::{Credential, MAX_PAIRING_OFFER_BYTES, Unlink, token_hash};

/// Most entries in one push.
pub const MAX_PUSH_ITEMS: usize = 1000;
/// Most entries in one pull page.
pub const MAX_PULL_ITEMS: usize = 1000;
/// Largest pairing offer request body, in bytes.
pub const MAX_PAIRING_BODY_BYTES: usize = 4096;

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Random bytes for ids and tokens.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        log::error!("no random source: {e}");
        ApiError::Internal
    })?;
    Ok(bytes)
}

/// Checks the per-address limit for requests without a device token.
pub(crate) fn limit_address(req: &HttpRequest, state: &State) -> Result<(), ApiError> {
    if state.address_limiter.allow(&peer_key(req)) {
        Ok(())
    } else {
        Err(ApiError::TooManyRequests)
    }
}

/// The rate-limit key of the request's address ([`address_key`]).
fn peer_key(req: &HttpRequest) -> String {
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |a| address_key(a.ip()))
}

/// The device behind the request's bearer token, after its rate limit.
pub(crate) async fn authenticate(req: &HttpRequest, state: &State) -> Result<Credential, ApiError> {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| t.len() == 43)
        .ok_or(ApiError::Unauthorized)?;
    let hash = token_hash(token);
    let store = state.store.clone();
    let credential = if store.reads_inline() {
        store.credential(&hash)?
    } else {
        blocking(move || Ok(store.credential(&hash)?)).await?
    }
    .ok_or(ApiError::Unauthorized)?;
    if state.device_limiter.allow(&hex::encode(credential.device)) {
        Ok(credential)
    } else {
        Err(ApiError::TooManyRequests)
    }
}

fn new_credential() -> Result<([u8; 16], String), ApiError> {
    Ok((random::<16>()?, URL_SAFE_NO_PAD.encode(random::<32>()?)))
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    web::block(f).await.map_err(|_| ApiError::Internal)?
}

/// `POST /api/v1/accounts`: a new account with this device as its first.
pub async fn create_account(
    req: HttpRequest,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    limit_address(&req, &state)?;
    if !state.account_limiter.allow(&peer_key(&req)) {
        return Err(ApiError::TooManyRequests);
    }
    let account = random::<16>()?;
    let (device, token) = new_credential()?;
    let hash = token_hash(&token);
    let store = state.store.clone();
    let max = state.max_accounts;
    if !blocking(move || Ok(store.create_account(account, device, hash, now(), max)?)).await? {
        log::warn!("account refused: the relay holds max_accounts ({max}) accounts");
        return Err(ApiError::AccountsFull);
    }
    Ok(HttpResponse::Created().json(AccountCreated {
        account: hex::encode(account),
        device: hex::encode(device),
        token,
    }))
}

/// `GET /api/v1/devices`.
pub async fn devices(req: HttpRequest, state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let store = state.store.clone();
    let mut list = blocking(move || Ok(store.devices(me.account)?)).await?;
    let mine = hex::encode(me.device);
    for d in &mut list {
        d.current = d.device == mine;
    }
    Ok(HttpResponse::Ok().json(list))
}

/// `N` bytes from exactly `2N` lowercase hex digits; anything else is not found.
pub(crate) fn parse_hex<const N: usize>(text: &str) -> Result<[u8; N], ApiError> {
    let mut out = [0u8; N];
    if text.len() != N * 2 || text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(ApiError::NotFound);
    }
    hex::decode_to_slice(text, &mut out).map_err(|_| ApiError::NotFound)?;
    Ok(out)
}

/// `DELETE /api/v1/devices/{device}`: unlinks a device of the same account; never the last one
/// (`last_device`: that device deletes the account instead).
pub async fn revoke_device(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let device = parse_hex::<16>(&path)?;
    let store = state.store.clone();
    match blocking(move || Ok(store.revoke_device(me.account, device)?)).await? {
        Unlink::Unlinked => Ok(HttpResponse::NoContent().finish()),
        Unlink::Missing => Err(ApiError::NotFound),
        Unlink::LastDevice => Err(ApiError::LastDevice),
    }
}

/// `DELETE /api/v1/account`: deletes the caller's account with every device, item, pairing
/// offer and share. Any linked device may do it; the others' tokens stop working at once.
pub async fn delete_account(
    req: HttpRequest,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let store = state.store.clone();
    blocking(move || Ok(store.delete_account(me.account)?)).await?;
    log::info!("account deleted at its own request");
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/pairings`: files a pairing offer for a few minutes, replacing the device's
/// earlier one. An id another device has filed is refused (`already_exists`).
pub async fn offer_pairing(
    req: HttpRequest,
    state: web::Data<State>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let offer: PairingOffer =
        read_json(&req, payload, MAX_PAIRING_BODY_BYTES, state.body_timeout).await?;
    let id = parse_hex::<32>(&offer.id).map_err(|_| ApiError::BadRequest)?;
    let bytes = serde_json::to_vec(&offer).map_err(|_| ApiError::BadRequest)?;
    if bytes.len() > MAX_PAIRING_OFFER_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let expires_at = now() + state.pairing_ttl_secs;
    let quota = state.account_quota_bytes;
    let store = state.store.clone();
    let filed =
        blocking(move || Ok(store.put_pairing(me, id, bytes, expires_at, now(), quota)?)).await?;
    if !filed {
        return Err(ApiError::AlreadyExists);
    }
    Ok(HttpResponse::Created().json(serde_json::json!({ "expires_at": expires_at })))
}

/// `POST /api/v1/pairings/{id}/claim`: hands the offer out once and links the new device.
pub async fn claim_pairing(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    limit_address(&req, &state)?;
    let id = parse_hex::<32>(&path)?;
    let (device, token) = new_credential()?;
    let hash = token_hash(&token);
    let store = state.store.clone();
    let Some((account, offer)) =
        blocking(move || Ok(store.claim_pairing(id, device, hash, now())?)).await?
    else {
        return Err(ApiError::NotFound);
    };
    let offer: PairingOffer = serde_json::from_slice(&offer).map_err(|e| {
        log::error!("stored pairing offer does not decode: {e}");
        ApiError::Internal
    })?;
    Ok(HttpResponse::Ok().json(PairingClaimed {
        offer,
        credential: AccountCreated {
            account: hex::encode(account),
            device: hex::encode(device),
            token,
        },
    }))
}

/// `POST /api/v1/sync/push`.
pub async fn push(
    req: HttpRequest,
    state: web::Data<State>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let body: PushRequest =
        read_json(&req, payload, state.max_body_bytes, state.body_timeout).await?;
    if body.items.len() > MAX_PUSH_ITEMS {
        return Err(ApiError::BadRequest);
    }
    let quota = state.account_quota_bytes;
    let store = state.store.clone();
    let results = blocking(move || Ok(store.push(me.account, &body.items, quota, now())?)).await?;
    Ok(HttpResponse::Ok().json(domain::sync::PushResponse { results }))
}

/// Query of `GET /api/v1/sync/pull`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// Revisions above this one.
    #[serde(default)]
    pub since: u64,
    /// Page size (at most [`MAX_PULL_ITEMS`]).
    pub limit: Option<usize>,
}

/// `GET /api/v1/sync/pull?since=N`.
pub async fn pull(
    req: HttpRequest,
    state: web::Data<State>,
    query: web::Query<PullQuery>,
) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let limit = query
        .limit
        .unwrap_or(MAX_PULL_ITEMS)
        .clamp(1, MAX_PULL_ITEMS);
    let since = query.since;
    let store = state.store.clone();
    let page = if store.reads_inline() {
        store.pull(me, since, limit)?
    } else {
        let store = store.clone();
        blocking(move || Ok(store.pull(me, since, limit)?)).await?
    };
    // "Last seen" is bookkeeping: written on the blocking pool, not waited for.
    actix_web::rt::spawn(async move {
        if let Err(err) = blocking(move || Ok(store.seen(me, since, now())?)).await {
            log::warn!("marking a device as seen failed: {err}");
        }
    });
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}

/// `GET /api/v1/sync/usage`: bytes held for the account and its quota.
pub async fn usage(req: HttpRequest, state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let store = state.store.clone();
    let used = blocking(move || Ok(store.usage(me.account)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "used": used,
        "quota": state.account_quota_bytes,
    })))
}
