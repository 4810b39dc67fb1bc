//! Linking a second device: a one-time code carries the workspace key across, the relay only
//! holds it encrypted.
//!
//! # Design
//!
//! The first device draws 16 random bytes, the pairing code, and shows them as 26 Crockford
//! base32 characters in groups (`3G7KQ2-…`), to be typed or read on the second device. From the
//! code it derives, with domain-separated SHA-256:
//!
//! - the offer id: `SHA-256("zorgvuldig/pairing/id/v1\0" ‖ code)`, which the relay files the offer
//!   under and the second device asks for;
//! - the pairing key: `SHA-256("zorgvuldig/pairing/key/v1\0" ‖ code)`, which wraps the workspace
//!   key (XChaCha20-Poly1305, the offer id authenticated as context).
//!
//! The relay sees the id and the wrapped key; without the code it cannot open the key, and the
//! id does not lead back to the code. 128 random bits need no slow key derivation. The relay
//! hands an offer out once and forgets it after a few minutes; a wrong code finds no offer, and
//! a tampered offer fails authentication.

use sha2::{Digest, Sha256};

use crate::crypto::{CryptoError, SecretKey, WrappedKey, random_bytes};

const CODE_LEN: usize = 16;
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A one-time pairing code. Its `Debug` hides the code.
#[derive(Clone, PartialEq, Eq)]
pub struct PairingCode([u8; CODE_LEN]);

impl std::fmt::Debug for PairingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PairingCode(..)")
    }
}

/// The workspace key wrapped under a pairing code, as the relay holds it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairingOffer {
    /// Lookup id derived from the code (64 hex digits).
    pub id: String,
    /// The workspace key, wrapped with the pairing key.
    pub wrapped: WrappedKey,
}

/// Why pairing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PairingError {
    /// The typed code is not 26 base32 characters.
    #[error("de koppelcode is onvolledig of bevat een ongeldig teken")]
    BadCode,
    /// The offer does not open with this code (wrong code or altered offer).
    #[error("de koppelcode past niet bij dit aanbod")]
    WrongCode,
    /// No random source.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

impl PairingCode {
    /// A fresh random code.
    ///
    /// # Errors
    /// Fails only without a random source.
    pub fn generate() -> Result<Self, PairingError> {
        Ok(Self(random_bytes().map_err(CryptoError::from)?))
    }

    /// Parses a typed code; spaces, dashes and case are ignored, and the look-alikes O, I and L
    /// read as 0, 1 and 1.
    ///
    /// # Errors
    /// [`PairingError::BadCode`] for anything that is not 26 base32 characters of a 128-bit code.
    pub fn parse(text: &str) -> Result<Self, PairingError> {
        let mut acc: u128 = 0;
        let mut count = 0;
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            let value = ALPHABET
                .iter()
                .position(|&a| char::from(a) == c)
                .ok_or(PairingError::BadCode)?;
            count += 1;
            if count > 26 {
                return Err(PairingError::BadCode);
            }
            // 26 × 5 = 130 bits: the first character carries only 3 bits.
            if count == 1 && value > 0b111 {
                return Err(PairingError::BadCode);
            }
            acc = (acc << 5) | value as u128;
        }
        if count != 26 {
            return Err(PairingError::BadCode);
        }
        Ok(Self(acc.to_be_bytes()))
    }

    /// The code as shown: 26 characters as `XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX`.
    pub fn display(&self) -> String {
        let mut value = u128::from_be_bytes(self.0);
        let mut chars = [0u8; 26];
        for slot in chars.iter_mut().rev() {
            *slot = ALPHABET[(value & 0x1f) as usize];
            value >>= 5;
        }
        let mut out = String::with_capacity(32);
        for (i, c) in chars.iter().enumerate() {
            if i >= 6 && (i - 6) % 5 == 0 {
                out.push('-');
            }
            out.push(char::from(*c));
        }
        out
    }

    /// The id the relay files the offer under.
    pub fn offer_id(&self) -> String {
        hex::encode(self.derive(b"zorgvuldig/pairing/id/v1\0"))
    }

    fn key(&self) -> SecretKey {
        SecretKey::from_bytes(self.derive(b"zorgvuldig/pairing/key/v1\0"))
    }

    fn derive(&self, label: &[u8]) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(label);
        hash.update(self.0);
        hash.finalize().into()
    }

    /// Wraps `workspace_key` into an offer for the relay.
    ///
    /// # Errors
    /// Fails only without a random source.
    pub fn offer(&self, workspace_key: &SecretKey) -> Result<PairingOffer, PairingError> {
        let id = self.offer_id();
        let wrapped = self.key().wrap(workspace_key, id.as_bytes())?;
        Ok(PairingOffer { id, wrapped })
    }

    /// Opens an offer fetched from the relay.
    ///
    /// # Errors
    /// [`PairingError::WrongCode`] when the offer is for another code or was altered.
    pub fn open(&self, offer: &PairingOffer) -> Result<SecretKey, PairingError> {
        if offer.id != self.offer_id() {
            return Err(PairingError::WrongCode);
        }
        self.key()
            .unwrap_key(&offer.wrapped, offer.id.as_bytes())
            .map_err(|_| PairingError::WrongCode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_parses_back_with_typing_slack() {
        for _ in 0..50 {
            let code = PairingCode::generate().unwrap();
            let shown = code.display();
            assert_eq!(shown.chars().filter(|c| *c != '-').count(), 26, "{shown}");
            assert_eq!(PairingCode::parse(&shown).unwrap(), code);
            let sloppy = shown.to_lowercase().replace('-', " ");
            assert_eq!(PairingCode::parse(&sloppy).unwrap(), code);
        }
        let zero = PairingCode([0; CODE_LEN]);
        assert_eq!(
            PairingCode::parse("oooooo-OOOOO-00000-00000-00000").unwrap(),
            zero
        );
    }

    #[test]
    fn bad_codes_are_refused() {
        let shown = PairingCode::generate().unwrap().display();
        for bad in [
            "",
            &shown[..shown.len() - 1],
            &format!("{shown}0"),
            &shown.replacen(|c: char| c.is_ascii_alphanumeric(), "U", 1),
            "Z0000000000000000000000000",
        ] {
            assert!(
                matches!(PairingCode::parse(bad), Err(PairingError::BadCode)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn offer_opens_only_with_its_code() {
        let workspace = SecretKey::generate().unwrap();
        let code = PairingCode::generate().unwrap();
        let offer = code.offer(&workspace).unwrap();
        assert_eq!(offer.id.len(), 64);
        let back = code.open(&offer).unwrap();
        // Same key: it opens what the original wrapped.
        let probe = SecretKey::generate().unwrap();
        let wrapped = workspace.wrap(&probe, b"probe").unwrap();
        assert!(back.unwrap_key(&wrapped, b"probe").is_ok());

        let other = PairingCode::generate().unwrap();
        assert!(matches!(other.open(&offer), Err(PairingError::WrongCode)));
        let mut relabelled = offer.clone();
        relabelled.id = other.offer_id();
        assert!(matches!(
            other.open(&relabelled),
            Err(PairingError::WrongCode)
        ));
        let mut tampered = offer;
        tampered.wrapped.ciphertext[3] ^= 0x40;
        assert!(matches!(code.open(&tampered), Err(PairingError::WrongCode)));
    }
}
