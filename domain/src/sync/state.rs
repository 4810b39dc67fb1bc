//! A device's side of sync: what it last exchanged with the relay, what changed since, and the
//! conflicts waiting for the worker.
//!
//! Change detection compares bytes, not flags: an entry whose SHA-256 differs from the one last
//! exchanged is a local change. So nothing has to be marked at write time, and a tab closed
//! between a write and a sync loses no change.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::wire::{
    Item, PullResponse, PushItem, PushOutcome, PushRequest, PushResponse, SyncedStore,
};
use crate::RecordId;
use crate::record::Write;
use crate::workspace::StoredEntry;

type EntryRef = (SyncedStore, RecordId);

/// What the device last exchanged for one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Known {
    rev: u64,
    /// SHA-256 of the bytes at that revision; `None` for a deletion.
    #[serde(with = "hash_opt")]
    hash: Option<[u8; 32]>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KnownEntry {
    store: SyncedStore,
    key: RecordId,
    #[serde(flatten)]
    known: Known,
}

/// One device's sync state. Serialisable; holds no secret and no plaintext (only revisions,
/// hashes of ciphertext and, for conflicts, the relay's sealed copy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StateRepr", into = "StateRepr")]
pub struct SyncState {
    /// Pull from revisions above this one.
    pub cursor: u64,
    known: BTreeMap<EntryRef, Known>,
    conflicts: BTreeMap<EntryRef, Item>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateRepr {
    cursor: u64,
    known: Vec<KnownEntry>,
    conflicts: Vec<Item>,
}

impl From<StateRepr> for SyncState {
    fn from(r: StateRepr) -> Self {
        Self {
            cursor: r.cursor,
            known: r
                .known
                .into_iter()
                .map(|e| ((e.store, e.key), e.known))
                .collect(),
            conflicts: r
                .conflicts
                .into_iter()
                .map(|i| ((i.store, i.key), i))
                .collect(),
        }
    }
}

impl From<SyncState> for StateRepr {
    fn from(s: SyncState) -> Self {
        Self {
            cursor: s.cursor,
            known: s
                .known
                .into_iter()
                .map(|((store, key), known)| KnownEntry { store, key, known })
                .collect(),
            conflicts: s.conflicts.into_values().collect(),
        }
    }
}

/// A local change that met a newer remote one. Both are kept until the worker chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The relay's copy (sealed; `data: None` when it was deleted there).
    pub remote: Item,
}

/// The worker's choice for a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Keep this device's copy; it overwrites the relay's on the next push.
    KeepMine,
    /// Take the relay's copy; this device's is replaced.
    TakeTheirs,
}

/// What a pull changed on the device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullOutcome {
    /// Writes to apply to local storage, in one transaction.
    pub writes: Vec<Write>,
    /// Entries that became (or stayed) conflicts.
    pub conflicts: usize,
}

/// A relay answer that does not fit the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The push answer does not match the pushed items one to one.
    #[error("the relay's answer does not match what was sent")]
    Mismatch,
    /// No conflict for that entry.
    #[error("there is no conflict for this entry")]
    NoConflict,
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn local_map(local: &[StoredEntry]) -> BTreeMap<EntryRef, &[u8]> {
    local
        .iter()
        .filter_map(|e| {
            let store = SyncedStore::of(e.store)?;
            let key = e.key.parse().ok()?;
            Some(((store, key), e.bytes.as_slice()))
        })
        .collect()
}

fn write_for(item: &Item) -> Write {
    Write {
        store: item.store.store(),
        key: item.key.to_string(),
        value: item.data.clone(),
    }
}

impl SyncState {
    fn known_hash(&self, k: &EntryRef) -> Option<[u8; 32]> {
        self.known.get(k).and_then(|kn| kn.hash)
    }

    /// The local changes to push: entries whose bytes differ from what was last exchanged,
    /// and deletions of entries the relay still has. Entries in conflict wait for the worker.
    pub fn changes(&self, local: &[StoredEntry]) -> PushRequest {
        let local = local_map(local);
        let keys: BTreeSet<&EntryRef> = local.keys().chain(self.known.keys()).collect();
        let items = keys
            .into_iter()
            .filter(|k| !self.conflicts.contains_key(k))
            .filter_map(|k| {
                let bytes = local.get(k).copied();
                if bytes.map(sha) == self.known_hash(k) {
                    return None;
                }
                Some(PushItem {
                    store: k.0,
                    key: k.1,
                    base: self.known.get(k).map_or(0, |kn| kn.rev),
                    data: bytes.map(<[u8]>::to_vec),
                })
            })
            .collect();
        PushRequest { items }
    }

    /// Takes in the relay's answer to `pushed`.
    ///
    /// # Errors
    /// [`SyncError::Mismatch`] when the answer does not list the pushed items in order; nothing
    /// is changed then.
    pub fn apply_push(
        &mut self,
        pushed: &PushRequest,
        response: &PushResponse,
    ) -> Result<usize, SyncError> {
        if pushed.items.len() != response.results.len()
            || pushed
                .items
                .iter()
                .zip(&response.results)
                .any(|(p, r)| p.store != r.store || p.key != r.key)
        {
            return Err(SyncError::Mismatch);
        }
        let mut conflicts = 0;
        for (item, result) in pushed.items.iter().zip(&response.results) {
            let k = (item.store, item.key);
            match &result.outcome {
                PushOutcome::Accepted { rev } => {
                    self.known.insert(
                        k,
                        Known {
                            rev: *rev,
                            hash: item.data.as_deref().map(sha),
                        },
                    );
                }
                // The relay already holds these very bytes (an earlier push whose answer was
                // lost): nothing to resolve.
                PushOutcome::Conflict { current }
                    if current.data.as_deref().map(sha) == item.data.as_deref().map(sha) =>
                {
                    self.known.insert(
                        k,
                        Known {
                            rev: current.rev,
                            hash: current.data.as_deref().map(sha),
                        },
                    );
                }
                PushOutcome::Conflict { current } => {
                    conflicts += 1;
                    self.conflicts.insert(k, current.clone());
                }
            }
        }
        Ok(conflicts)
    }

    /// Takes in one page of pulled entries: unchanged local entries are updated (the returned
    /// writes), entries changed on both sides become conflicts, and the device's own writes
    /// coming back are recognised.
    pub fn apply_pull(&mut self, local: &[StoredEntry], response: &PullResponse) -> PullOutcome {
        let local = local_map(local);
        let mut outcome = PullOutcome::default();
        for item in &response.items {
            let k = (item.store, item.key);
            if item.rev <= self.known.get(&k).map_or(0, |kn| kn.rev) {
                continue;
            }
            let local_hash = local.get(&k).copied().map(sha);
            let remote_hash = item.data.as_deref().map(sha);
            let known = Known {
                rev: item.rev,
                hash: remote_hash,
            };
            if local_hash == remote_hash {
                self.known.insert(k, known);
                self.conflicts.remove(&k);
            } else if local_hash != self.known_hash(&k) {
                self.conflicts.insert(k, item.clone());
            } else {
                outcome.writes.push(write_for(item));
                self.known.insert(k, known);
                self.conflicts.remove(&k);
            }
        }
        outcome.conflicts = self.conflicts.len();
        self.cursor = self.cursor.max(response.cursor);
        outcome
    }

    /// The conflicts waiting for the worker.
    pub fn conflicts(&self) -> Vec<Conflict> {
        self.conflicts
            .values()
            .map(|remote| Conflict {
                remote: remote.clone(),
            })
            .collect()
    }

    /// Applies the worker's choice for the conflict on `store`/`key` and returns the local
    /// writes it needs (none for [`Resolution::KeepMine`]: the local copy is pushed next time).
    ///
    /// # Errors
    /// [`SyncError::NoConflict`] when that entry has no conflict.
    pub fn resolve(
        &mut self,
        store: SyncedStore,
        key: RecordId,
        choice: Resolution,
    ) -> Result<Vec<Write>, SyncError> {
        let remote = self
            .conflicts
            .remove(&(store, key))
            .ok_or(SyncError::NoConflict)?;
        self.known.insert(
            (store, key),
            Known {
                rev: remote.rev,
                hash: remote.data.as_deref().map(sha),
            },
        );
        Ok(match choice {
            Resolution::KeepMine => Vec::new(),
            Resolution::TakeTheirs => vec![write_for(&remote)],
        })
    }
}

mod hash_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Option<[u8; 32]>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(h) => s.serialize_str(&hex::encode(h)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<[u8; 32]>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| {
                let mut out = [0u8; 32];
                hex::decode_to_slice(text, &mut out).map_err(serde::de::Error::custom)?;
                Ok(out)
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Store;
    use crate::sync::wire::PushResult;

    fn entry(key: RecordId, bytes: &[u8]) -> StoredEntry {
        StoredEntry {
            store: Store::Records,
            key: key.to_string(),
            bytes: bytes.to_vec(),
        }
    }

    fn accept_all(req: &PushRequest, first_rev: u64) -> PushResponse {
        PushResponse {
            results: req
                .items
                .iter()
                .enumerate()
                .map(|(i, p)| PushResult {
                    store: p.store,
                    key: p.key,
                    outcome: PushOutcome::Accepted {
                        rev: first_rev + i as u64,
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn only_changed_entries_are_pushed_and_audio_never() {
        let a = RecordId::from_bytes([1; 16]);
        let mut local = vec![
            entry(a, b"one"),
            StoredEntry {
                store: Store::Audio,
                key: a.to_string(),
                bytes: b"wav".to_vec(),
            },
        ];
        let mut state = SyncState::default();
        let req = state.changes(&local);
        assert_eq!(req.items.len(), 1);
        assert_eq!(req.items[0].base, 0);
        state.apply_push(&req, &accept_all(&req, 1)).unwrap();
        assert!(state.changes(&local).items.is_empty());
        local[0].bytes = b"two".to_vec();
        let req = state.changes(&local);
        assert_eq!(req.items[0].base, 1);
        state.apply_push(&req, &accept_all(&req, 2)).unwrap();
        local.remove(0);
        let req = state.changes(&local);
        assert_eq!(req.items.len(), 1);
        assert_eq!((req.items[0].base, req.items[0].data.is_none()), (2, true));
    }

    #[test]
    fn pull_updates_unchanged_entries_and_flags_concurrent_ones() {
        let a = RecordId::from_bytes([1; 16]);
        let b = RecordId::from_bytes([2; 16]);
        let mut state = SyncState::default();
        let local = vec![entry(a, b"a1"), entry(b, b"b1")];
        let req = state.changes(&local);
        state.apply_push(&req, &accept_all(&req, 1)).unwrap();
        // a changed here, b did not; both changed remotely.
        let local = vec![entry(a, b"a2-mine"), entry(b, b"b1")];
        let pulled = PullResponse {
            items: vec![
                Item {
                    store: SyncedStore::Records,
                    key: a,
                    rev: 3,
                    data: Some(b"a2-theirs".to_vec()),
                },
                Item {
                    store: SyncedStore::Records,
                    key: b,
                    rev: 4,
                    data: None,
                },
            ],
            cursor: 4,
            more: false,
        };
        let out = state.apply_pull(&local, &pulled);
        assert_eq!(out.conflicts, 1);
        assert_eq!(out.writes.len(), 1);
        assert_eq!(
            (out.writes[0].key.as_str(), &out.writes[0].value),
            (b.to_string().as_str(), &None)
        );
        assert_eq!(state.cursor, 4);
        // The conflicted entry is held back from pushing.
        let local_after = vec![entry(a, b"a2-mine")];
        assert!(state.changes(&local_after).items.is_empty());
        // Keep mine: pushed on top of the relay's revision.
        let writes = state
            .resolve(SyncedStore::Records, a, Resolution::KeepMine)
            .unwrap();
        assert!(writes.is_empty());
        let req = state.changes(&local_after);
        assert_eq!(req.items.len(), 1);
        assert_eq!(req.items[0].base, 3);
        assert_eq!(req.items[0].data.as_deref(), Some(&b"a2-mine"[..]));
        assert_eq!(
            state.resolve(SyncedStore::Records, a, Resolution::TakeTheirs),
            Err(SyncError::NoConflict)
        );
    }

    #[test]
    fn own_writes_coming_back_are_not_conflicts() {
        let a = RecordId::from_bytes([1; 16]);
        let mut state = SyncState::default();
        let local = vec![entry(a, b"a1")];
        let req = state.changes(&local);
        state.apply_push(&req, &accept_all(&req, 7)).unwrap();
        let echo = PullResponse {
            items: vec![Item {
                store: SyncedStore::Records,
                key: a,
                rev: 7,
                data: Some(b"a1".to_vec()),
            }],
            cursor: 7,
            more: false,
        };
        let out = state.apply_pull(&local, &echo);
        assert_eq!(out, PullOutcome::default());
    }

    #[test]
    fn a_lost_answer_then_a_retry_is_no_conflict() {
        let a = RecordId::from_bytes([1; 16]);
        let state = SyncState::default();
        let local = vec![entry(a, b"x")];
        let req = state.changes(&local);
        // The relay stored it as rev 5 but the answer never arrived; the retry meets it.
        let mut retry = state.clone();
        let answer = PushResponse {
            results: vec![PushResult {
                store: SyncedStore::Records,
                key: a,
                outcome: PushOutcome::Conflict {
                    current: Item {
                        store: SyncedStore::Records,
                        key: a,
                        rev: 5,
                        data: Some(b"x".to_vec()),
                    },
                },
            }],
        };
        assert_eq!(retry.apply_push(&req, &answer), Ok(0));
        assert!(retry.conflicts().is_empty());
        assert!(retry.changes(&local).items.is_empty());
    }

    #[test]
    fn mismatched_push_answer_changes_nothing() {
        let a = RecordId::from_bytes([1; 16]);
        let mut state = SyncState::default();
        let req = state.changes(&[entry(a, b"x")]);
        let before = state.clone();
        assert_eq!(
            state.apply_push(&req, &PushResponse::default()),
            Err(SyncError::Mismatch)
        );
        assert_eq!(state, before);
    }

    #[test]
    fn state_round_trips_through_json() {
        let a = RecordId::from_bytes([1; 16]);
        let mut state = SyncState::default();
        let req = state.changes(&[entry(a, b"x")]);
        state.apply_push(&req, &accept_all(&req, 1)).unwrap();
        state.apply_pull(
            &[entry(a, b"y")],
            &PullResponse {
                items: vec![Item {
                    store: SyncedStore::Records,
                    key: a,
                    rev: 2,
                    data: Some(b"z".to_vec()),
                }],
                cursor: 2,
                more: false,
            },
        );
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<SyncState>(&json).unwrap(), state);
        assert_eq!(state.conflicts().len(), 1);
    }
}
