//! The authenticated envelope every stored record travels in.
//!
//! # Design
//!
//! Wire layout (all integers big-endian):
//!
//! ```text
//! offset  size  field
//! 0       2     magic "ZV"
//! 2       1     format version (1)
//! 3       1     key reference: 0 = workspace key, 1 = contact key
//! 4       16    contact id            (only when the key reference is 1)
//! ..      8     record version (u64)
//! ..      24    XChaCha20-Poly1305 nonce
//! ..      ≥16   ciphertext with its 16-byte tag
//! ```
//!
//! The associated data is `"zorgvuldig/record/v1\0" ‖ record id ‖ header`, where the header is
//! every byte before the nonce. So the record id (the storage key, which is not inside the
//! envelope), the version and the key reference are all authenticated: swapping envelopes between
//! records, rewriting a version or claiming another key makes opening fail.
//!
//! What a holder of envelopes without keys learns: that a record exists, its size, its version,
//! and, for contact-sealed records, which random contact id they share. Never a name, a kind of
//! record or any content.

use super::CryptoError;
use super::keys::{NONCE_LEN, SecretKey};
use crate::RecordId;

const MAGIC: &[u8; 2] = b"ZV";
const FORMAT_VERSION: u8 = 1;
const TAG_LEN: usize = 16;
const AAD_LABEL: &[u8] = b"zorgvuldig/record/v1\0";

/// Which key sealed an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRef {
    /// The workspace key (dossiers, contacts, reports, preferences).
    Workspace,
    /// The key of one consented contact (its audio and transcript).
    Contact(RecordId),
}

/// A parsed, still encrypted record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Which key sealed it.
    pub key: KeyRef,
    /// The record version it claims (authenticated).
    pub version: u64,
    nonce: [u8; NONCE_LEN],
    ciphertext: Vec<u8>,
}

/// Why an envelope could not be read or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// Fewer bytes than the smallest valid envelope (for example a truncated write).
    #[error("record is truncated ({len} bytes)")]
    Truncated {
        /// Bytes present.
        len: usize,
    },
    /// The bytes are not a Zorgvuldig envelope.
    #[error("record is not a Zorgvuldig envelope")]
    BadMagic,
    /// Written by a newer format this build does not know.
    #[error("record format version {0} is not supported")]
    UnsupportedFormat(u8),
    /// Unknown key reference byte.
    #[error("record names an unknown key kind {0}")]
    UnknownKeyRef(u8),
    /// Authentication failed: wrong key, wrong record id or altered bytes.
    #[error("record cannot be decrypted: wrong key or altered data")]
    Decrypt,
    /// Sealing failed (no random source or input too large).
    #[error("record cannot be encrypted")]
    Seal,
}

impl From<CryptoError> for EnvelopeError {
    fn from(err: CryptoError) -> Self {
        match err {
            CryptoError::Decrypt => Self::Decrypt,
            _ => Self::Seal,
        }
    }
}

impl Envelope {
    /// Encrypts `plaintext` as version `version` of record `id` under `key`, recording `key_ref`.
    ///
    /// # Errors
    /// [`EnvelopeError::Seal`] when there is no random source.
    pub fn seal(
        key: &SecretKey,
        key_ref: KeyRef,
        id: &RecordId,
        version: u64,
        plaintext: &[u8],
    ) -> Result<Self, EnvelopeError> {
        let header = header(key_ref, version);
        let (nonce, ciphertext) = key.seal(plaintext, &aad(id, &header))?;
        Ok(Self {
            key: key_ref,
            version,
            nonce,
            ciphertext,
        })
    }

    /// Decrypts the envelope stored under record `id`.
    ///
    /// # Errors
    /// [`EnvelopeError::Decrypt`] for a wrong key, a wrong id or altered bytes.
    pub fn open(&self, key: &SecretKey, id: &RecordId) -> Result<Vec<u8>, EnvelopeError> {
        let header = header(self.key, self.version);
        Ok(key.open(&self.nonce, &self.ciphertext, &aad(id, &header))?)
    }

    /// Serialises to the wire layout.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(self.key, self.version);
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.ciphertext);
        out
    }

    /// Parses the wire layout without decrypting.
    ///
    /// # Errors
    /// A clear [`EnvelopeError`] for truncated, foreign or future-format bytes; never panics.
    pub fn parse(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        let truncated = || EnvelopeError::Truncated { len: bytes.len() };
        if bytes.len() < 4 {
            return Err(truncated());
        }
        if &bytes[..2] != MAGIC {
            return Err(EnvelopeError::BadMagic);
        }
        if bytes[2] != FORMAT_VERSION {
            return Err(EnvelopeError::UnsupportedFormat(bytes[2]));
        }
        let (key, mut rest) = match bytes[3] {
            0 => (KeyRef::Workspace, &bytes[4..]),
            1 => {
                let id: [u8; RecordId::LEN] = take(&mut &bytes[4..], RecordId::LEN)
                    .and_then(|s| s.try_into().ok())
                    .ok_or_else(truncated)?;
                (
                    KeyRef::Contact(RecordId::from_bytes(id)),
                    &bytes[4 + RecordId::LEN..],
                )
            }
            other => return Err(EnvelopeError::UnknownKeyRef(other)),
        };
        let version = take(&mut rest, 8)
            .and_then(|s| s.try_into().ok())
            .map(u64::from_be_bytes)
            .ok_or_else(truncated)?;
        let nonce: [u8; NONCE_LEN] = take(&mut rest, NONCE_LEN)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(truncated)?;
        if rest.len() < TAG_LEN {
            return Err(truncated());
        }
        Ok(Self {
            key,
            version,
            nonce,
            ciphertext: rest.to_vec(),
        })
    }
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if rest.len() < n {
        return None;
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Some(head)
}

fn header(key: KeyRef, version: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + RecordId::LEN + 8);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    match key {
        KeyRef::Workspace => out.push(0),
        KeyRef::Contact(id) => {
            out.push(1);
            out.extend_from_slice(id.as_bytes());
        }
    }
    out.extend_from_slice(&version.to_be_bytes());
    out
}

fn aad(id: &RecordId, header: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(AAD_LABEL.len() + RecordId::LEN + header.len());
    aad.extend_from_slice(AAD_LABEL);
    aad.extend_from_slice(id.as_bytes());
    aad.extend_from_slice(header);
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(key_ref: KeyRef) -> (SecretKey, RecordId, Vec<u8>) {
        let key = SecretKey::generate().unwrap();
        let id = RecordId::random().unwrap();
        let env = Envelope::seal(&key, key_ref, &id, 7, b"Mevrouw Janssens").unwrap();
        (key, id, env.to_bytes())
    }

    #[test]
    fn round_trip_both_key_kinds() {
        for key_ref in [
            KeyRef::Workspace,
            KeyRef::Contact(RecordId::random().unwrap()),
        ] {
            let (key, id, bytes) = sealed(key_ref);
            let env = Envelope::parse(&bytes).unwrap();
            assert_eq!(env.key, key_ref);
            assert_eq!(env.version, 7);
            assert_eq!(env.open(&key, &id).unwrap(), b"Mevrouw Janssens");
        }
    }

    #[test]
    fn ciphertext_does_not_contain_plaintext() {
        let (_, _, bytes) = sealed(KeyRef::Workspace);
        assert!(!bytes.windows(8).any(|w| w == b"Janssens"));
    }

    #[test]
    fn wrong_key_or_id_fails() {
        let (key, id, bytes) = sealed(KeyRef::Workspace);
        let env = Envelope::parse(&bytes).unwrap();
        let other_key = SecretKey::generate().unwrap();
        assert_eq!(env.open(&other_key, &id), Err(EnvelopeError::Decrypt));
        let other_id = RecordId::random().unwrap();
        assert_eq!(env.open(&key, &other_id), Err(EnvelopeError::Decrypt));
    }

    #[test]
    fn every_flipped_byte_is_detected() {
        let (key, id, bytes) = sealed(KeyRef::Contact(RecordId::random().unwrap()));
        for i in 0..bytes.len() {
            let mut altered = bytes.clone();
            altered[i] ^= 0x01;
            let opened = Envelope::parse(&altered).and_then(|env| env.open(&key, &id));
            assert!(opened.is_err(), "flip at byte {i} went unnoticed");
        }
    }

    #[test]
    fn every_truncation_is_a_clear_error() {
        let (_, _, bytes) = sealed(KeyRef::Contact(RecordId::random().unwrap()));
        for len in 0..bytes.len() - 1 {
            // Cutting into the tag still parses but then fails to open; shorter cuts are
            // reported as truncation. Neither panics.
            if let Err(err) = Envelope::parse(&bytes[..len]) {
                assert!(
                    matches!(err, EnvelopeError::Truncated { .. }),
                    "{len}: {err}"
                );
            }
        }
        assert_eq!(
            Envelope::parse(b""),
            Err(EnvelopeError::Truncated { len: 0 })
        );
    }

    #[test]
    fn foreign_bytes_are_named() {
        assert_eq!(
            Envelope::parse(b"{\"json\":1}"),
            Err(EnvelopeError::BadMagic)
        );
        assert_eq!(
            Envelope::parse(b"ZV\x09\x00rest"),
            Err(EnvelopeError::UnsupportedFormat(9))
        );
        assert_eq!(
            Envelope::parse(b"ZV\x01\x07rest"),
            Err(EnvelopeError::UnknownKeyRef(7))
        );
    }
}
