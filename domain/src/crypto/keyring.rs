//! The passphrase-protected keyring that holds the wrapped workspace key.
//!
//! # Design
//!
//! Argon2id (version 0x13) derives a 256-bit key-encryption key from the passphrase and a random
//! 128-bit salt. The parameters are stored with the wrapped key so they can be raised later
//! without breaking existing keyrings, and they are authenticated (part of the wrap context), so
//! editing them in storage makes unlocking fail instead of silently weakening the derivation.
//! Parameters below [`KdfParams::MINIMUM`] are refused both when creating and when unlocking.

use serde::{Deserialize, Serialize};

use super::CryptoError;
use super::derivation::{Derivation, PassphraseKey};
use super::keys::{SecretKey, WrappedKey};

/// Fewest characters a passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// The weakest parameters accepted: 64 MiB, three passes, one lane.
    pub const MINIMUM: Self = Self {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };

    pub(super) fn check(self) -> Result<Self, KeyringError> {
        let min = Self::MINIMUM;
        if self.memory_kib < min.memory_kib
            || self.iterations < min.iterations
            || self.parallelism < min.parallelism
        {
            return Err(KeyringError::WeakParameters(self));
        }
        Ok(self)
    }

    fn context(self) -> Vec<u8> {
        format!(
            "workspace-key/argon2id/m={}/t={}/p={}",
            self.memory_kib, self.iterations, self.parallelism
        )
        .into_bytes()
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::MINIMUM
    }
}

/// Why a keyring could not be created or unlocked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringError {
    /// The passphrase does not unlock this keyring. Nothing was changed.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The passphrase is shorter than [`MIN_PASSPHRASE_CHARS`].
    #[error("passphrase must have at least {MIN_PASSPHRASE_CHARS} characters")]
    PassphraseTooShort,
    /// The stored or requested parameters are below [`KdfParams::MINIMUM`].
    #[error("key derivation parameters {0:?} are weaker than the minimum")]
    WeakParameters(KdfParams),
    /// The keyring was written by a newer format.
    #[error("keyring format {0} is not supported")]
    UnsupportedFormat(u32),
    /// Argon2 rejected its parameters (for example memory too large for this device).
    #[error("key derivation failed: {0}")]
    Kdf(String),
    /// Random source or cipher failure.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Stored form of the workspace key: safe to keep next to the records and to sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyring {
    /// Keyring format version.
    pub format: u32,
    /// Argon2id parameters used for this keyring.
    pub kdf: KdfParams,
    /// Argon2id salt.
    #[serde(with = "hex::serde")]
    pub salt: [u8; 16],
    /// The workspace key, wrapped by the passphrase-derived key.
    pub wrapped: WrappedKey,
}

impl Keyring {
    const FORMAT: u32 = 1;

    /// Creates a keyring with a fresh random workspace key protected by `passphrase`.
    ///
    /// # Errors
    /// [`KeyringError::PassphraseTooShort`], [`KeyringError::WeakParameters`], or a derivation or
    /// random-source failure.
    pub fn create(passphrase: &str, kdf: KdfParams) -> Result<(Self, SecretKey), KeyringError> {
        let workspace_key = SecretKey::generate()?;
        let keyring = Self::wrap(&workspace_key, passphrase, kdf)?;
        Ok((keyring, workspace_key))
    }

    /// Protects an existing workspace key with a (new) passphrase, for example after a change of
    /// passphrase or when a second device joins.
    ///
    /// # Errors
    /// As [`Keyring::create`].
    pub fn wrap(
        workspace_key: &SecretKey,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<Self, KeyringError> {
        Self::check_passphrase(passphrase)?;
        let derivation = Derivation::fresh(kdf)?;
        let key = PassphraseKey::derive(passphrase, derivation)?;
        Self::wrap_with(workspace_key, derivation, &key)
    }

    /// Refuses a passphrase shorter than [`MIN_PASSPHRASE_CHARS`].
    ///
    /// # Errors
    /// [`KeyringError::PassphraseTooShort`].
    pub fn check_passphrase(passphrase: &str) -> Result<(), KeyringError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(KeyringError::PassphraseTooShort);
        }
        Ok(())
    }

    /// Protects `workspace_key` with a key already derived for `derivation` (in a worker; see
    /// [`super::derivation`]). Check the passphrase with [`Keyring::check_passphrase`] first.
    ///
    /// # Errors
    /// [`KeyringError::WeakParameters`]; a random-source or cipher failure.
    pub fn wrap_with(
        workspace_key: &SecretKey,
        derivation: Derivation,
        key: &PassphraseKey,
    ) -> Result<Self, KeyringError> {
        let kdf = derivation.kdf.check()?;
        let wrapped = key.0.wrap(workspace_key, &kdf.context())?;
        Ok(Self {
            format: Self::FORMAT,
            kdf,
            salt: derivation.salt,
            wrapped,
        })
    }

    /// The salt and cost a passphrase must be derived with to unlock this keyring.
    pub fn derivation(&self) -> Derivation {
        Derivation {
            salt: self.salt,
            kdf: self.kdf,
        }
    }

    /// Recovers the workspace key.
    ///
    /// # Errors
    /// [`KeyringError::WrongPassphrase`] when the passphrase (or tampered parameters) do not
    /// authenticate the wrapped key; [`KeyringError::WeakParameters`] or
    /// [`KeyringError::UnsupportedFormat`] for a keyring this build refuses to use.
    pub fn unlock(&self, passphrase: &str) -> Result<SecretKey, KeyringError> {
        self.usable()?;
        let key = PassphraseKey::derive(passphrase, self.derivation())?;
        self.unlock_with(&key)
    }

    /// Recovers the workspace key with a key already derived for [`Keyring::derivation`] (in a
    /// worker; see [`super::derivation`]).
    ///
    /// # Errors
    /// As [`Keyring::unlock`].
    pub fn unlock_with(&self, key: &PassphraseKey) -> Result<SecretKey, KeyringError> {
        let kdf = self.usable()?;
        key.0
            .unwrap_key(&self.wrapped, &kdf.context())
            .map_err(|err| match err {
                CryptoError::Decrypt => KeyringError::WrongPassphrase,
                other => KeyringError::Crypto(other),
            })
    }

    /// The keyring's cost, when this build reads its format and accepts the cost.
    fn usable(&self) -> Result<KdfParams, KeyringError> {
        if self.format != Self::FORMAT {
            return Err(KeyringError::UnsupportedFormat(self.format));
        }
        self.kdf.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RecordId;
    use crate::crypto::{Envelope, KeyRef};

    const PASS: &str = "correct horse battery";

    #[test]
    fn unlock_with_right_passphrase_gives_the_same_key() {
        let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
        let id = RecordId::random().unwrap();
        let env = Envelope::seal(&key, KeyRef::Workspace, &id, 1, b"dossier").unwrap();
        let stored = serde_json::to_string(&keyring).unwrap();
        let reloaded: Keyring = serde_json::from_str(&stored).unwrap();
        let again = reloaded.unlock(PASS).unwrap();
        assert_eq!(env.open(&again, &id).unwrap(), b"dossier");
    }

    #[test]
    fn wrong_passphrase_is_refused() {
        let (keyring, _) = Keyring::create(PASS, KdfParams::default()).unwrap();
        assert!(matches!(
            keyring.unlock("correct horse battery!"),
            Err(KeyringError::WrongPassphrase)
        ));
    }

    #[test]
    fn stored_form_holds_no_key_or_passphrase() {
        let (keyring, _) = Keyring::create(PASS, KdfParams::default()).unwrap();
        let stored = serde_json::to_string(&keyring).unwrap();
        assert!(!stored.contains("horse"));
        assert!(stored.contains("\"memory_kib\":65536"));
    }

    #[test]
    fn weak_or_tampered_parameters_are_refused() {
        let weak = KdfParams {
            memory_kib: 1024,
            ..KdfParams::MINIMUM
        };
        assert!(matches!(
            Keyring::create(PASS, weak),
            Err(KeyringError::WeakParameters(_))
        ));
        let (mut keyring, _) = Keyring::create(PASS, KdfParams::default()).unwrap();
        keyring.kdf.iterations = 4;
        assert!(matches!(
            keyring.unlock(PASS),
            Err(KeyringError::WrongPassphrase)
        ));
    }

    #[test]
    fn short_passphrase_is_refused() {
        assert!(matches!(
            Keyring::create("kort", KdfParams::default()),
            Err(KeyringError::PassphraseTooShort)
        ));
    }

    #[test]
    fn unknown_fields_in_stored_keyring_are_rejected() {
        let (keyring, _) = Keyring::create(PASS, KdfParams::default()).unwrap();
        let mut value = serde_json::to_value(&keyring).unwrap();
        value["hint"] = serde_json::json!("my dog");
        assert!(serde_json::from_value::<Keyring>(value).is_err());
    }
}
