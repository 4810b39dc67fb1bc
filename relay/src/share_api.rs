//! Share links (`/api/v1/shares`): a worker's device uploads a sealed report, the client's
//! browser fetches it by id and opens it with the key from the link's fragment, which the relay
//! never receives. See [`domain::share`] for the scheme.

use actix_web::{HttpRequest, HttpResponse, web};
use domain::share::{ShareDownload, ShareUpload, is_valid_pin};

use crate::State;
use crate::body::read_json;
use crate::error::ApiError;
use crate::store::{NewShare, PinHash, ShareLookup};
use crate::sync_api::{authenticate, blocking, limit_address, now, parse_hex};

/// Longest expiry a worker can choose, in days.
pub const MAX_DAYS: u32 = 365;

/// `POST /api/v1/shares`.
pub async fn create(
    req: HttpRequest,
    state: web::Data<State>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let body: ShareUpload =
        read_json(&req, payload, state.max_body_bytes, state.body_timeout).await?;
    let id = parse_hex::<16>(&body.id).map_err(|_| ApiError::BadRequest)?;
    if !(1..=MAX_DAYS).contains(&body.expires_in_days)
        || body.data.is_empty()
        || body.pin.as_deref().is_some_and(|p| !is_valid_pin(p))
    {
        return Err(ApiError::BadRequest);
    }
    let pin = match body.pin.clone() {
        Some(p) => Some(blocking(move || Ok(PinHash::new(&p)?)).await?),
        None => None,
    };
    let created = now();
    let expires_at = created + u64::from(body.expires_in_days) * 86_400;
    let share = NewShare {
        id,
        data: body.data,
        created,
        expires_at,
        pin,
    };
    let quota = state.account_quota_bytes;
    let store = state.store.clone();
    let stored = blocking(move || Ok(store.put_share(me.account, share, quota)?)).await?;
    if !stored {
        return Err(ApiError::AlreadyExists);
    }
    Ok(HttpResponse::Created().json(serde_json::json!({
        "id": body.id,
        "expires_at": expires_at,
    })))
}

/// `GET /api/v1/shares`: the account's shares.
pub async fn list(req: HttpRequest, state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let store = state.store.clone();
    let shares = blocking(move || Ok(store.shares(me.account)?)).await?;
    Ok(HttpResponse::Ok().json(shares))
}

/// `DELETE /api/v1/shares/{id}`: revokes a share at once; its ciphertext is deleted.
pub async fn revoke(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let me = authenticate(&req, &state).await?;
    let id = parse_hex::<16>(&path)?;
    let store = state.store.clone();
    let revoked = blocking(move || Ok(store.revoke_share(me.account, id)?)).await?;
    if revoked {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound)
    }
}

/// `GET /api/v1/shares/{id}`: the sealed report for the client, with `X-Share-Pin` when the
/// share has a PIN. No account needed; limited per address.
pub async fn open(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    limit_address(&req, &state)?;
    let id = parse_hex::<16>(&path)?;
    let pin = req
        .headers()
        .get("x-share-pin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let store = state.store.clone();
    let lookup = blocking(move || Ok(store.open_share(id, pin.as_deref(), now())?)).await?;
    match lookup {
        ShareLookup::Open { data, expires_at } => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(ShareDownload { data, expires_at })),
        ShareLookup::Missing => Err(ApiError::NotFound),
        ShareLookup::Revoked => Err(ApiError::ShareRevoked),
        ShareLookup::Expired => Err(ApiError::ShareExpired),
        ShareLookup::Locked => Err(ApiError::ShareLocked),
        ShareLookup::PinRequired => Err(ApiError::PinRequired),
        ShareLookup::PinWrong { left } => Err(ApiError::PinWrong { left }),
    }
}
