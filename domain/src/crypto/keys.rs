//! Symmetric keys and key wrapping.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{CryptoError, random_bytes};

/// Length of a key in bytes.
pub const KEY_LEN: usize = 32;
/// Length of an XChaCha20-Poly1305 nonce in bytes.
pub const NONCE_LEN: usize = 24;

/// A 256-bit symmetric key.
///
/// Deliberately not `Serialize` and not `Clone`-able into logs: `Debug` prints `SecretKey(..)`,
/// and the bytes are zeroed on drop. The only way to persist a key is to wrap it with another key
/// ([`SecretKey::wrap`]).
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; KEY_LEN]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// A fresh random key.
    ///
    /// # Errors
    /// Fails only when the platform has no random source.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(Self(random_bytes()?))
    }

    /// Takes ownership of raw key bytes (for example the output of a key derivation).
    pub(crate) fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for the one move of a derived key from a worker thread to the page
    /// ([`super::derivation`]).
    pub(crate) fn to_bytes(&self) -> [u8; KEY_LEN] {
        self.0
    }

    pub(crate) fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&self.0).into())
    }

    /// Encrypts `plaintext`, authenticating `aad`, under a fresh random nonce.
    ///
    /// # Errors
    /// Fails when there is no random source or the input is too large for the cipher.
    pub(crate) fn seal(
        &self,
        plaintext: &[u8],
        aad: &[u8],
    ) -> Result<([u8; NONCE_LEN], Vec<u8>), CryptoError> {
        let nonce: [u8; NONCE_LEN] = random_bytes()?;
        let ciphertext = self
            .cipher()
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| CryptoError::Encrypt)?;
        Ok((nonce, ciphertext))
    }

    /// Decrypts and authenticates.
    ///
    /// # Errors
    /// [`CryptoError::Decrypt`] when the key is wrong or any byte of nonce, ciphertext or `aad`
    /// differs from what was sealed.
    pub(crate) fn open(
        &self,
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
        aad: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        self.cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map_err(|_| CryptoError::Decrypt)
    }

    /// Wraps (encrypts) `key` under this key; `context` is authenticated and must be given again
    /// to unwrap, so a wrapped key cannot be moved to another purpose or owner.
    ///
    /// # Errors
    /// Fails only when there is no random source.
    pub fn wrap(&self, key: &SecretKey, context: &[u8]) -> Result<WrappedKey, CryptoError> {
        let (nonce, ciphertext) = self.seal(&key.0, &wrap_aad(context))?;
        Ok(WrappedKey { nonce, ciphertext })
    }

    /// Unwraps a key wrapped with [`SecretKey::wrap`] under the same `context`.
    ///
    /// # Errors
    /// [`CryptoError::Decrypt`] when this is the wrong key, the context differs or the wrapped
    /// bytes were altered.
    pub fn unwrap_key(
        &self,
        wrapped: &WrappedKey,
        context: &[u8],
    ) -> Result<SecretKey, CryptoError> {
        let mut bytes = self.open(&wrapped.nonce, &wrapped.ciphertext, &wrap_aad(context))?;
        let key = <[u8; KEY_LEN]>::try_from(bytes.as_slice()).map_err(|_| CryptoError::Decrypt);
        bytes.zeroize();
        key.map(SecretKey)
    }
}

fn wrap_aad(context: &[u8]) -> Vec<u8> {
    let mut aad = b"zorgvuldig/wrap/v1\0".to_vec();
    aad.extend_from_slice(context);
    aad
}

/// A key encrypted under another key. Safe to store and to sync.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    /// The nonce used to wrap.
    #[serde(with = "hex::serde")]
    pub nonce: [u8; NONCE_LEN],
    /// The encrypted key and its authentication tag.
    #[serde(with = "hex::serde")]
    pub ciphertext: Vec<u8>,
}

impl fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedKey").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_key_bytes() {
        let key = SecretKey::from_bytes([0xAB; KEY_LEN]);
        let shown = format!("{key:?}");
        assert_eq!(shown, "SecretKey(..)");
        assert!(!shown.to_lowercase().contains("ab"));
    }

    #[test]
    fn wrap_round_trips_and_binds_context() {
        let outer = SecretKey::generate().unwrap();
        let inner = SecretKey::generate().unwrap();
        let wrapped = outer.wrap(&inner, b"contact:1").unwrap();
        let back = outer.unwrap_key(&wrapped, b"contact:1").unwrap();
        assert_eq!(back.0, inner.0);
        assert!(matches!(
            outer.unwrap_key(&wrapped, b"contact:2"),
            Err(CryptoError::Decrypt)
        ));
        let other = SecretKey::generate().unwrap();
        assert!(matches!(
            other.unwrap_key(&wrapped, b"contact:1"),
            Err(CryptoError::Decrypt)
        ));
    }

    #[test]
    fn wrapped_key_survives_json_and_rejects_tampering() {
        let outer = SecretKey::generate().unwrap();
        let inner = SecretKey::generate().unwrap();
        let wrapped = outer.wrap(&inner, b"x").unwrap();
        let json = serde_json::to_string(&wrapped).unwrap();
        let mut back: WrappedKey = serde_json::from_str(&json).unwrap();
        assert_eq!(back, wrapped);
        back.ciphertext[0] ^= 1;
        assert!(outer.unwrap_key(&back, b"x").is_err());
    }
}
