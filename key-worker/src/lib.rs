//! The key worker: derives a passphrase key (Argon2id, 64 MiB, three passes) in a dedicated
//! Web Worker, so that the page keeps answering while a worker unlocks or sets a passphrase.
//!
//! The page posts a [`domain::crypto::DeriveRequest`] as JSON text; the worker answers with a
//! [`domain::crypto::DeriveReply`] as JSON text and is then closed by the page. It fetches
//! nothing and keeps nothing: one derivation per worker.

use domain::crypto::{DeriveReply, DeriveRequest};

/// The reply (JSON) to one request (JSON): the derived key, or why there is none. An unreadable
/// request is answered as a failure, never with a panic.
pub fn reply_to(request: &str) -> String {
    let reply = match serde_json::from_str::<DeriveRequest>(request) {
        Ok(request) => request.run(),
        Err(err) => DeriveReply::Failed {
            message: format!("unreadable request: {err}"),
        },
    };
    // Serialising this enum of plain fields cannot fail; an empty answer reads as a failure.
    serde_json::to_string(&reply).unwrap_or_default()
}

/// The worker's one entry point, called by its boot script for every message.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn derive(request: &str) -> String {
    reply_to(request)
}
