//! Record identifiers and timestamps.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::crypto::random_bytes;

/// Random 128-bit identifier of a record, written as 32 lowercase hex digits.
///
/// Identifiers are random so that they reveal nothing (no counter, no time, no name) when records
/// leave the device as ciphertext.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId([u8; 16]);

impl RecordId {
    /// Length of the identifier in bytes.
    pub const LEN: usize = 16;

    /// A fresh random identifier.
    ///
    /// # Errors
    /// Fails only when the platform has no random source.
    pub fn random() -> Result<Self, getrandom::Error> {
        Ok(Self(random_bytes()?))
    }

    /// The identifier's bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Builds an identifier from raw bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

/// A string that is not a valid [`RecordId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a record id: expected 32 hex digits")]
pub struct ParseRecordIdError;

impl FromStr for RecordId {
    type Err = ParseRecordIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; 16];
        if s.len() != 32 || s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ParseRecordIdError);
        }
        hex::decode_to_slice(s, &mut bytes).map_err(|_| ParseRecordIdError)?;
        Ok(Self(bytes))
    }
}

impl Serialize for RecordId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A moment in time: milliseconds since the Unix epoch, UTC.
///
/// The domain never reads a clock; callers pass the current time in, which keeps every rule
/// deterministic and testable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_id_round_trips_through_text_and_json() {
        let id = RecordId::random().unwrap();
        let text = id.to_string();
        assert_eq!(text.len(), 32);
        assert_eq!(text.parse::<RecordId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<RecordId>(&json).unwrap(), id);
    }

    #[test]
    fn record_id_rejects_bad_text() {
        for bad in ["", "abc", &"g".repeat(32), &"A".repeat(32), &"0".repeat(33)] {
            assert_eq!(bad.parse::<RecordId>(), Err(ParseRecordIdError), "{bad:?}");
        }
    }

    #[test]
    fn random_ids_differ() {
        assert_ne!(RecordId::random().unwrap(), RecordId::random().unwrap());
    }
}
