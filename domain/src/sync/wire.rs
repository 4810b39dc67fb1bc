//! The JSON messages between a device and the relay's sync API (`/api/v1/...`).
//!
//! Wire format version 1. Binary data is standard base64. Every entry key is a record id (32
//! lowercase hex digits); the relay refuses anything else.

use serde::{Deserialize, Serialize};

use crate::RecordId;
use crate::record::Store;

/// The stores that sync. Recordings (`audio`) never leave the device that made them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncedStore {
    /// Sealed records.
    Records,
    /// Wrapped contact keys.
    Keys,
}

impl SyncedStore {
    /// The local store it mirrors.
    pub fn store(self) -> Store {
        match self {
            Self::Records => Store::Records,
            Self::Keys => Store::Keys,
        }
    }

    /// The synced store for a local store, if that store syncs.
    pub fn of(store: Store) -> Option<Self> {
        match store {
            Store::Records => Some(Self::Records),
            Store::Keys => Some(Self::Keys),
            Store::Audio => None,
        }
    }

    /// A one-byte tag for compact storage.
    pub fn tag(self) -> u8 {
        match self {
            Self::Records => 1,
            Self::Keys => 2,
        }
    }

    /// The store for a tag written by [`SyncedStore::tag`].
    pub fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            1 => Some(Self::Records),
            2 => Some(Self::Keys),
            _ => None,
        }
    }
}

/// One entry as the relay holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Its store.
    pub store: SyncedStore,
    /// Its key (a record id).
    pub key: RecordId,
    /// The revision the relay gave its last write.
    pub rev: u64,
    /// The sealed bytes; `None` for a deletion (tombstone).
    #[serde(with = "b64_opt")]
    pub data: Option<Vec<u8>>,
}

/// A local change offered to the relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushItem {
    /// Its store.
    pub store: SyncedStore,
    /// Its key.
    pub key: RecordId,
    /// The revision this change was made on (0: the entry is new to the relay).
    pub base: u64,
    /// New sealed bytes; `None` deletes.
    #[serde(with = "b64_opt")]
    pub data: Option<Vec<u8>>,
}

/// `POST /api/v1/sync/push`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The changes, each accepted or refused on its own.
    pub items: Vec<PushItem>,
}

/// What became of one pushed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PushOutcome {
    /// Stored under this revision.
    Accepted {
        /// The new revision.
        rev: u64,
    },
    /// Not stored: the entry changed on the relay since `base`. This is its current copy.
    Conflict {
        /// The relay's current copy.
        current: Item,
    },
}

/// The answer for one pushed change, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    /// Its store.
    pub store: SyncedStore,
    /// Its key.
    pub key: RecordId,
    /// Accepted or in conflict.
    #[serde(flatten)]
    pub outcome: PushOutcome,
}

/// Answer to [`PushRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    /// One result per pushed item, in order.
    pub results: Vec<PushResult>,
}

/// `GET /api/v1/sync/pull?since=N`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    /// Entries with a revision above `since`, oldest first.
    pub items: Vec<Item>,
    /// The cursor to pull from next time.
    pub cursor: u64,
    /// Whether more entries wait beyond this page.
    pub more: bool,
}

/// `POST /api/v1/accounts` and a claimed pairing: the new device's credential, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountCreated {
    /// The account (random).
    pub account: String,
    /// This device (random).
    pub device: String,
    /// The device's bearer token. The relay keeps only its SHA-256.
    pub token: String,
}

impl std::fmt::Debug for AccountCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountCreated")
            .field("account", &self.account)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

/// `POST /api/v1/pairings/{id}/claim`: the offer and the joining device's credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairingClaimed {
    /// The wrapped workspace key, to open with the pairing code.
    pub offer: super::PairingOffer,
    /// The new device's credential.
    pub credential: AccountCreated,
}

/// One linked device, as `GET /api/v1/devices` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    /// Device id.
    pub device: String,
    /// When it was linked (Unix seconds).
    pub created: u64,
    /// When it last pulled (Unix seconds).
    pub last_seen: u64,
    /// Whether this is the device asking.
    pub current: bool,
}

/// Base64 for `Option<Vec<u8>>` (`null` for `None`).
pub(crate) mod b64_opt {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(bytes) => s.serialize_str(&STANDARD.encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| STANDARD.decode(text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// Base64 for `Vec<u8>`.
pub(crate) mod b64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(v))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        STANDARD
            .decode(String::deserialize(d)?)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_result_round_trips_with_flattened_outcome() {
        let key = RecordId::from_bytes([7; 16]);
        let result = PushResult {
            store: SyncedStore::Records,
            key,
            outcome: PushOutcome::Conflict {
                current: Item {
                    store: SyncedStore::Records,
                    key,
                    rev: 9,
                    data: Some(vec![1, 2, 3]),
                },
            },
        };
        let json = serde_json::to_string(&result).unwrap();
        assert!(json.contains("\"outcome\":\"conflict\""), "{json}");
        assert!(json.contains("\"data\":\"AQID\""), "{json}");
        assert_eq!(serde_json::from_str::<PushResult>(&json).unwrap(), result);
    }

    #[test]
    fn keys_must_be_record_ids_and_data_base64() {
        let bad_key = r#"{"store":"records","key":"Jan Peeters","base":0,"data":null}"#;
        assert!(serde_json::from_str::<PushItem>(bad_key).is_err());
        let bad_data =
            r#"{"store":"records","key":"00000000000000000000000000000000","base":0,"data":"***"}"#;
        assert!(serde_json::from_str::<PushItem>(bad_data).is_err());
        let audio =
            r#"{"store":"audio","key":"00000000000000000000000000000000","base":0,"data":null}"#;
        assert!(serde_json::from_str::<PushItem>(audio).is_err());
        let tombstone =
            r#"{"store":"keys","key":"00000000000000000000000000000000","base":3,"data":null}"#;
        let item: PushItem = serde_json::from_str(tombstone).unwrap();
        assert_eq!(item.data, None);
        assert_eq!(item.base, 3);
    }

    #[test]
    fn tags_round_trip() {
        for s in [SyncedStore::Records, SyncedStore::Keys] {
            assert_eq!(SyncedStore::from_tag(s.tag()), Some(s));
            assert_eq!(SyncedStore::of(s.store()), Some(s));
        }
        assert_eq!(SyncedStore::from_tag(0), None);
        assert_eq!(SyncedStore::of(Store::Audio), None);
    }
}
