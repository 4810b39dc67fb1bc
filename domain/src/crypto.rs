//! Encryption of everything Zorgvuldig stores.
//!
//! # Design
//!
//! **Key hierarchy.**
//!
//! ```text
//! passphrase ──Argon2id(salt, m ≥ 64 MiB, t ≥ 3, p = 1)──▶ key-encryption key (never stored)
//!     └─ wraps ─▶ workspace key   (random 256-bit; one per workspace, shared by a worker's devices)
//!                   ├─ seals ─▶ records: dossiers, contacts, reports, preferences
//!                   └─ wraps ─▶ contact keys (random 256-bit, one per consented contact)
//!                                 └─ seal ─▶ that contact's audio and transcript
//! ```
//!
//! The [`Keyring`] holds the Argon2id parameters, the salt and the wrapped workspace key; it is
//! the only thing stored next to the records, and it is useless without the passphrase. A wrong
//! passphrase fails authentication of the wrapped key, so it is detected before anything is read
//! or written. Changing the passphrase re-wraps the workspace key; records are not touched.
//!
//! Contact keys exist so that revoking consent can destroy exactly one contact's audio and
//! transcript: deleting the wrapped contact key (locally and on every synced device) leaves its
//! ciphertext unreadable everywhere, including in backups (crypto-shredding). Reports written or
//! validated by the worker are sealed with the workspace key and survive, as archive law requires.
//!
//! **AEAD.** XChaCha20-Poly1305 with a random 192-bit nonce per seal: random nonces of that size
//! never collide in practice, so no counter state has to be kept across devices, and the cipher is
//! fast in WebAssembly without AES instructions.
//!
//! **Binding.** Every envelope authenticates, as associated data, a domain label, the record id,
//! the record version and which key sealed it (see [`envelope`]). A ciphertext moved to another
//! record id, relabelled with another version or presented under another key fails to open.
//!
//! **Secrets in memory.** [`SecretKey`] has no `Serialize`, prints as `SecretKey(..)` and zeroes its
//! bytes on drop. Key bytes only leave it wrapped (encrypted) by another key.

pub mod derivation;
pub mod envelope;
pub mod keyring;
pub mod keys;

pub use derivation::{Derivation, DeriveReply, DeriveRequest, PassphraseKey};
pub use envelope::{Envelope, EnvelopeError, KeyRef};
pub use keyring::{KdfParams, Keyring, KeyringError};
pub use keys::{SecretKey, WrappedKey};

/// Fills an array with bytes from the platform's cryptographic random source.
///
/// # Errors
/// Fails only when the platform has no random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// Why a cryptographic operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The platform has no random source.
    #[error("no random source available: {0}")]
    Random(#[from] getrandom::Error),
    /// Authentication of a ciphertext failed: wrong key, or the data was altered.
    #[error("decryption failed: wrong key or altered data")]
    Decrypt,
    /// The cipher refused to encrypt (input too large).
    #[error("encryption failed")]
    Encrypt,
}
