//! Publishing a sealed rendering (a validated report, or a revocation receipt) as a client
//! share link: seal with a fresh key, upload the ciphertext, build the link.

use domain::share::{ShareUpload, SharedReport};

use crate::relay_api;
use crate::session::Session;
use crate::sync_client;

/// A published share: its id on the relay and the link with the key in its fragment.
pub struct Published {
    /// The share id.
    pub id: String,
    /// `https://HOST/s/{id}#{key}`: shown once, never stored.
    pub link: String,
}

/// Seals `shared`, uploads it for `days` (with an optional PIN) and returns the link.
///
/// # Errors
/// A relay or sealing failure, in Dutch.
pub async fn publish(
    session: Session,
    shared: &SharedReport,
    days: u32,
    pin: Option<String>,
) -> Result<Published, String> {
    let (_, token) = sync_client::ensure_account(session).await?;
    let sealed = shared.seal().map_err(|e| e.to_string())?;
    let upload = ShareUpload {
        id: sealed.id.clone(),
        data: sealed.bytes.clone(),
        expires_in_days: days,
        pin,
    };
    relay_api::call::<serde_json::Value>(
        "POST",
        "/api/v1/shares",
        Some(&token),
        Some(&upload),
        &[],
    )
    .await
    .map_err(|e| e.to_string())?;
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    Ok(Published {
        link: sealed.link(&origin),
        id: sealed.id,
    })
}
