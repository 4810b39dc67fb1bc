//! Argon2id off the page's thread: the passphrase is stretched in the key worker
//! (`key-worker` crate), so the page keeps answering while it unlocks. The page then unwraps or
//! wraps the workspace key itself (see `domain::crypto::derivation`).

use domain::crypto::{
    Derivation, DeriveReply, DeriveRequest, KdfParams, Keyring, KeyringError, PassphraseKey,
    SecretKey,
};
use js_sys::Array;
use wasm_bindgen::JsValue;

use crate::one_shot;
use crate::speech::meta_content;

/// Derives the key of `passphrase` for `derivation` in a fresh key worker, closed afterwards
/// (its 64 MiB go with it). The page itself holds no Argon2id: it never waits on it.
///
/// # Errors
/// What the derivation found ([`KeyringError::WeakParameters`], [`KeyringError::Kdf`]), or
/// [`KeyringError::Kdf`] when the worker could not run.
pub async fn derive(
    passphrase: &str,
    derivation: Derivation,
) -> Result<PassphraseKey, KeyringError> {
    let url = meta_content("zorgvuldig-key-worker").ok_or_else(|| {
        KeyringError::Kdf("the key worker is missing from this build of the app".into())
    })?;
    let request = serde_json::to_string(&DeriveRequest {
        passphrase: passphrase.to_owned(),
        derivation,
    })
    .map_err(|e| KeyringError::Kdf(e.to_string()))?;
    let text = one_shot::ask(&url, &JsValue::from_str(&request), &Array::new())
        .await
        .map_err(|e| KeyringError::Kdf(format!("key worker: {e}")))?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str::<DeriveReply>(&text)
        .map_err(|e| KeyringError::Kdf(format!("unreadable answer: {e}")))?
        .into_key()
}

/// Protects `workspace_key` with `passphrase` (a new keyring with a fresh salt), deriving in
/// the key worker.
///
/// # Errors
/// [`KeyringError::PassphraseTooShort`] before any work; otherwise as [`derive`].
pub async fn wrap(workspace_key: &SecretKey, passphrase: &str) -> Result<Keyring, KeyringError> {
    Keyring::check_passphrase(passphrase)?;
    let derivation = Derivation::fresh(KdfParams::default())?;
    let key = derive(passphrase, derivation).await?;
    Keyring::wrap_with(workspace_key, derivation, &key)
}

/// Unlocks `keyring` with `passphrase`, deriving in the key worker.
///
/// # Errors
/// [`KeyringError::WrongPassphrase`], or as [`derive`].
pub async fn unlock(keyring: &Keyring, passphrase: &str) -> Result<SecretKey, KeyringError> {
    let key = derive(passphrase, keyring.derivation()).await?;
    keyring.unlock_with(&key)
}
