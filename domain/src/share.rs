//! Share links: a client reads their own validated report, with its AI-use disclosure, on a
//! phone, without an account. The relay stores the report encrypted and never sees the key.
//!
//! # Design
//!
//! The worker's device renders the validated report ([`SharedReport`]), draws a fresh random
//! 256-bit key and a random 128-bit share id, and seals the rendering with XChaCha20-Poly1305:
//!
//! ```text
//! offset  size  field
//! 0       2     magic "ZS"
//! 2       1     format version (1)
//! 3       24    nonce
//! 27      ≥16   ciphertext with its tag
//! ```
//!
//! The associated data is `"zorgvuldig/share/v1\0" ‖ share id`, so a sealed report cannot be
//! served under another id. The link is `https://HOST/s/{id}#{key}` with the key in base64url:
//! browsers never send the fragment to the server, so the relay holds ciphertext it cannot open,
//! and its logs see only the id. Expiry, revocation and the optional PIN are enforced by the
//! relay: after expiry or revocation it deletes the ciphertext.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::crypto::keys::{KEY_LEN, NONCE_LEN};
use crate::crypto::{CryptoError, SecretKey, random_bytes};

const MAGIC: &[u8; 2] = b"ZS";
const FORMAT_VERSION: u8 = 1;
const AAD_LABEL: &[u8] = b"zorgvuldig/share/v1\0";
const HEADER_LEN: usize = 3 + NONCE_LEN;

/// What the client sees: the report as rendered when it was shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedReport {
    /// Title ("Sociaal verslag").
    pub title: String,
    /// Lines under the title (client, contact date, status).
    pub subtitle: Vec<String>,
    /// Sections with their sentences.
    pub sections: Vec<SharedSection>,
    /// The AI-use disclosure; never empty.
    pub disclosure: Vec<String>,
}

/// One section of a [`SharedReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedSection {
    /// Heading.
    pub heading: String,
    /// Sentences.
    pub paragraphs: Vec<String>,
}

/// `POST /api/v1/shares`: a sealed report and its terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareUpload {
    /// The share id ([`SealedShare::id`]).
    pub id: String,
    /// The sealed report.
    #[serde(with = "crate::sync::wire::b64")]
    pub data: Vec<u8>,
    /// Days until the link stops working (1–365).
    pub expires_in_days: u32,
    /// A PIN agreed in person (4–8 digits), or none.
    pub pin: Option<String>,
}

/// `GET /api/v1/shares/{id}`: the sealed report for the client's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareDownload {
    /// The sealed report.
    #[serde(with = "crate::sync::wire::b64")]
    pub data: Vec<u8>,
    /// When the link stops working (Unix seconds).
    pub expires_at: u64,
}

/// One share as the worker's device lists it (`GET /api/v1/shares`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareInfo {
    /// The share id.
    pub id: String,
    /// Created (Unix seconds).
    pub created: u64,
    /// Expires (Unix seconds).
    pub expires_at: u64,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Whether a PIN protects it.
    pub pin: bool,
}

/// Whether `pin` is an acceptable PIN: 4 to 8 digits.
pub fn is_valid_pin(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Why a share cannot be made or opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShareError {
    /// A report without its disclosure is never shared.
    #[error("a shared report needs its AI-use disclosure")]
    NoDisclosure,
    /// The link's id or key part is malformed.
    #[error("de link is onvolledig of beschadigd")]
    BadLink,
    /// The ciphertext is not a share envelope, or does not open with this key and id.
    #[error("het verslag kan niet geopend worden: de link klopt niet of de inhoud werd gewijzigd")]
    Decrypt,
    /// Sealing failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// A sealed share, ready to upload, with its key (which goes only into the link).
#[derive(Debug)]
pub struct SealedShare {
    /// The share id (32 hex digits).
    pub id: String,
    /// The key, base64url, for the link's fragment.
    pub key: String,
    /// The ciphertext for the relay.
    pub bytes: Vec<u8>,
}

impl SealedShare {
    /// The link to give the client.
    pub fn link(&self, origin: &str) -> String {
        format!(
            "{}/s/{}#{}",
            origin.trim_end_matches('/'),
            self.id,
            self.key
        )
    }
}

fn aad(id: &str) -> Vec<u8> {
    let mut aad = AAD_LABEL.to_vec();
    aad.extend_from_slice(id.as_bytes());
    aad
}

/// Whether `id` is a share id (32 lowercase hex digits).
pub fn is_share_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl SharedReport {
    /// Seals the report under a fresh key and id.
    ///
    /// # Errors
    /// [`ShareError::NoDisclosure`] when the disclosure is empty; a random-source failure.
    pub fn seal(&self) -> Result<SealedShare, ShareError> {
        if self.disclosure.iter().all(|l| l.trim().is_empty()) {
            return Err(ShareError::NoDisclosure);
        }
        let id = hex::encode(random_bytes::<16>().map_err(CryptoError::from)?);
        let raw: [u8; KEY_LEN] = random_bytes().map_err(CryptoError::from)?;
        let key = SecretKey::from_bytes(raw);
        let json = serde_json::to_vec(self).map_err(|_| CryptoError::Encrypt)?;
        let (nonce, ciphertext) = key.seal(&json, &aad(&id))?;
        let mut bytes = Vec::with_capacity(HEADER_LEN + ciphertext.len());
        bytes.extend_from_slice(MAGIC);
        bytes.push(FORMAT_VERSION);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&ciphertext);
        Ok(SealedShare {
            id,
            key: URL_SAFE_NO_PAD.encode(raw),
            bytes,
        })
    }

    /// Opens a share fetched for `id` with the key from the link's fragment.
    ///
    /// # Errors
    /// [`ShareError::BadLink`] for a malformed id or key; [`ShareError::Decrypt`] for a wrong key,
    /// another id or altered bytes.
    pub fn open(id: &str, key: &str, bytes: &[u8]) -> Result<Self, ShareError> {
        if !is_share_id(id) {
            return Err(ShareError::BadLink);
        }
        let raw: [u8; KEY_LEN] = URL_SAFE_NO_PAD
            .decode(key.trim())
            .ok()
            .and_then(|k| k.try_into().ok())
            .ok_or(ShareError::BadLink)?;
        let key = SecretKey::from_bytes(raw);
        if bytes.len() < HEADER_LEN + 16 || &bytes[..2] != MAGIC || bytes[2] != FORMAT_VERSION {
            return Err(ShareError::Decrypt);
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&bytes[3..HEADER_LEN]);
        let json = key
            .open(&nonce, &bytes[HEADER_LEN..], &aad(id))
            .map_err(|_| ShareError::Decrypt)?;
        let report: Self = serde_json::from_slice(&json).map_err(|_| ShareError::Decrypt)?;
        if report.disclosure.is_empty() {
            return Err(ShareError::NoDisclosure);
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> SharedReport {
        SharedReport {
            title: "Sociaal verslag".into(),
            subtitle: vec!["Cliënt: Céline Janssens".into()],
            sections: vec![SharedSection {
                heading: "Schulden".into(),
                paragraphs: vec!["Vermeld bedrag (schulden): € 2.340.".into()],
            }],
            disclosure: vec!["Bij dit verslag werd AI-ondersteuning gebruikt.".into()],
        }
    }

    #[test]
    fn seals_and_opens_with_the_link_parts() {
        let sealed = report().seal().unwrap();
        assert!(is_share_id(&sealed.id));
        let link = sealed.link("https://zorg.example/");
        assert_eq!(
            link,
            format!("https://zorg.example/s/{}#{}", sealed.id, sealed.key)
        );
        let text = String::from_utf8_lossy(&sealed.bytes);
        assert!(!text.contains("Janssens"));
        assert_eq!(
            SharedReport::open(&sealed.id, &sealed.key, &sealed.bytes).unwrap(),
            report()
        );
    }

    #[test]
    fn wrong_key_other_id_tampering_and_garbage_fail_clearly() {
        let sealed = report().seal().unwrap();
        let other = report().seal().unwrap();
        assert!(matches!(
            SharedReport::open(&sealed.id, &other.key, &sealed.bytes),
            Err(ShareError::Decrypt)
        ));
        assert!(matches!(
            SharedReport::open(&other.id, &sealed.key, &sealed.bytes),
            Err(ShareError::Decrypt)
        ));
        let mut tampered = sealed.bytes.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(matches!(
            SharedReport::open(&sealed.id, &sealed.key, &tampered),
            Err(ShareError::Decrypt)
        ));
        assert!(matches!(
            SharedReport::open(&sealed.id, &sealed.key, &sealed.bytes[..20]),
            Err(ShareError::Decrypt)
        ));
        for (id, key) in [
            ("x", sealed.key.as_str()),
            (sealed.id.as_str(), "kort"),
            (sealed.id.as_str(), ""),
        ] {
            assert!(matches!(
                SharedReport::open(id, key, &sealed.bytes),
                Err(ShareError::BadLink)
            ));
        }
    }

    #[test]
    fn no_disclosure_no_share() {
        let mut r = report();
        r.disclosure = vec![" ".into()];
        assert!(matches!(r.seal(), Err(ShareError::NoDisclosure)));
    }
}
