//! The passphrase derivation on its own, so that it can run where it does not block the page.
//!
//! # Design
//!
//! Argon2id with 64 MiB and three passes takes about a second in a browser: on the page's own
//! thread the screen freezes while a worker unlocks. The app therefore sends a
//! [`DeriveRequest`] (passphrase, salt and cost) to a Web Worker, which answers with a
//! [`DeriveReply`]: the derived key-encryption key, or why it could not be derived. The page
//! then unwraps the workspace key itself ([`Keyring::unlock_with`]) or wraps one
//! ([`Keyring::wrap_with`]). The derived key crosses between the two threads of one page as
//! bytes, once, and is never stored; it opens nothing without the keyring.
//!
//! [`Keyring::unlock_with`]: super::Keyring::unlock_with
//! [`Keyring::wrap_with`]: super::Keyring::wrap_with

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::keyring::{KdfParams, KeyringError};
use super::keys::{KEY_LEN, SecretKey};
use super::random_bytes;

/// The salt and cost of one derivation: a keyring's own when unlocking, fresh ones for a new
/// passphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derivation {
    /// Argon2id salt.
    #[serde(with = "hex::serde")]
    pub salt: [u8; 16],
    /// Argon2id cost.
    pub kdf: KdfParams,
}

impl Derivation {
    /// A fresh random salt with `kdf`.
    ///
    /// # Errors
    /// [`KeyringError::WeakParameters`] below [`KdfParams::MINIMUM`]; a random-source failure.
    pub fn fresh(kdf: KdfParams) -> Result<Self, KeyringError> {
        let kdf = kdf.check()?;
        let salt = random_bytes().map_err(super::CryptoError::from)?;
        Ok(Self { salt, kdf })
    }
}

/// A passphrase stretched by Argon2id for one [`Derivation`]: the key-encryption key.
///
/// Zeroed on drop, printed as `PassphraseKey(..)`.
#[derive(Debug)]
pub struct PassphraseKey(pub(super) SecretKey);

impl PassphraseKey {
    /// Derives the key of `passphrase` for `derivation` (the slow step).
    ///
    /// # Errors
    /// [`KeyringError::WeakParameters`] below [`KdfParams::MINIMUM`]; [`KeyringError::Kdf`]
    /// when Argon2 refuses its parameters (for example memory this device cannot give).
    pub fn derive(passphrase: &str, derivation: Derivation) -> Result<Self, KeyringError> {
        let kdf = derivation.kdf.check()?;
        let params = Params::new(
            kdf.memory_kib,
            kdf.iterations,
            kdf.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|e| KeyringError::Kdf(e.to_string()))?;
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &derivation.salt, out.as_mut())
            .map_err(|e| KeyringError::Kdf(e.to_string()))?;
        Ok(Self(SecretKey::from_bytes(*out)))
    }
}

/// What the page asks the key worker: derive `passphrase` for `derivation`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeriveRequest {
    /// The passphrase as typed.
    pub passphrase: String,
    /// Salt and cost.
    pub derivation: Derivation,
}

impl DeriveRequest {
    /// Runs the derivation (in the worker) and gives the reply to send back.
    pub fn run(&self) -> DeriveReply {
        match PassphraseKey::derive(&self.passphrase, self.derivation) {
            Ok(key) => DeriveReply::Key {
                key: key.0.to_bytes(),
            },
            Err(KeyringError::WeakParameters(kdf)) => DeriveReply::WeakParameters { kdf },
            Err(err) => DeriveReply::Failed {
                message: err.to_string(),
            },
        }
    }
}

/// The key worker's answer.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DeriveReply {
    /// The derived key, as bytes for the one move back to the page.
    Key {
        /// Key bytes.
        #[serde(with = "hex::serde")]
        key: [u8; KEY_LEN],
    },
    /// The cost is below [`KdfParams::MINIMUM`].
    WeakParameters {
        /// The refused cost.
        kdf: KdfParams,
    },
    /// Argon2 or the random source failed.
    Failed {
        /// What failed.
        message: String,
    },
}

impl std::fmt::Debug for DeriveReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Key { .. } => f.write_str("Key(..)"),
            Self::WeakParameters { kdf } => write!(f, "WeakParameters({kdf:?})"),
            Self::Failed { message } => write!(f, "Failed({message:?})"),
        }
    }
}

impl DeriveReply {
    /// The derived key, or why there is none.
    ///
    /// # Errors
    /// [`KeyringError::WeakParameters`] or [`KeyringError::Kdf`], as the worker found.
    pub fn into_key(self) -> Result<PassphraseKey, KeyringError> {
        match &self {
            Self::Key { key } => Ok(PassphraseKey(SecretKey::from_bytes(*key))),
            Self::WeakParameters { kdf } => Err(KeyringError::WeakParameters(*kdf)),
            Self::Failed { message } => Err(KeyringError::Kdf(message.clone())),
        }
    }
}

impl Drop for DeriveReply {
    fn drop(&mut self) {
        if let Self::Key { key } = self {
            zeroize::Zeroize::zeroize(key);
        }
    }
}
