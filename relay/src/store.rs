//! The relay's persistent state behind one trait: accounts and device credentials, pairing
//! offers, synced ciphertext and share links.
//!
//! Everything a [`RelayStore`] holds is either random (ids), a hash (device tokens, PINs),
//! a count or a time, or ciphertext the relay cannot open (see [`domain::sync`] and
//! [`domain::share`] for what a stolen disk reveals). The embedded backend is [`redb_store`]
//! (one file in the data directory, one relay process); [`postgres_store`] serves deployments
//! with several relay instances behind a load balancer, which keep no other state.

pub mod postgres_store;
pub mod redb_store;

use std::sync::Mutex;

use domain::share::ShareInfo;
use domain::sync::{DeviceInfo, Item, PullResponse, PushItem, PushOutcome, PushResult};
use sha2::{Digest, Sha256};

/// A random account id.
pub type AccountId = [u8; 16];
/// A random device id.
pub type DeviceId = [u8; 16];

/// A pull page stops once it holds this many bytes of ciphertext (and at least one entry).
pub const PULL_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Failed PIN attempts after which a share is locked for good. Only wrong PINs count, and
/// nothing resets the count: a right PIN in between does not give the guesser new attempts.
pub const PIN_ATTEMPTS: u8 = 5;

/// What a tombstone (a deleted entry the other devices still have to learn about) counts
/// against the account's quota until it is compacted away: about what its rows take on disk.
pub const TOMBSTONE_BYTES: u64 = 64;

/// The largest pairing offer kept, in bytes (a wrapped 32-byte key with its nonce, as JSON,
/// takes about 250). Offers count against the account's quota while they live.
pub const MAX_PAIRING_OFFER_BYTES: usize = 1024;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database failed (disk, lock, I/O).
    #[error("storage failure: {0}")]
    Backend(String),
    /// A stored row does not decode: the database file was damaged.
    #[error("stored data is damaged: {0}")]
    Corrupt(&'static str),
    /// The database aborted the transaction to break a deadlock or a serialisation conflict
    /// with another one; it changed nothing (the store has already tried it again).
    #[error("storage contention: {0}")]
    Contention(String),
    /// The push would take the account over its quota; nothing of it was stored.
    #[error("the account's storage quota would be exceeded")]
    Quota,
}

/// The device a request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    /// Its account.
    pub account: AccountId,
    /// The device.
    pub device: DeviceId,
}

/// A share to store.
#[derive(Debug, Clone)]
pub struct NewShare {
    /// The id the device chose (it is bound into the ciphertext).
    pub id: [u8; 16],
    /// The sealed report.
    pub data: Vec<u8>,
    /// Created (Unix seconds).
    pub created: u64,
    /// Expires (Unix seconds).
    pub expires_at: u64,
    /// The PIN's hash when a PIN protects it.
    pub pin: Option<PinHash>,
}

/// Argon2id memory cost for share PINs, in KiB.
///
/// # Design
/// A PIN has at most 10⁸ values, so its hash only buys time against someone holding a copy of
/// the store: at 4 MiB and 3 passes one guess takes about 10 ms on one core, so the 8-digit
/// space costs about two core-weeks per share (each share has its own salt), where SHA-256
/// cost seconds. The relay itself is not made a target by it: online guesses are limited per
/// address and locked after [`PIN_ATTEMPTS`], and PIN hashes are computed one at a time
/// ([`PIN_SLOT`]), so memory stays at 4 MiB however many clients open shares at once.
pub const PIN_ARGON2_MEMORY_KIB: u32 = 4096;
/// Argon2id passes for share PINs.
pub const PIN_ARGON2_PASSES: u32 = 3;

/// One PIN hash at a time (see [`PIN_ARGON2_MEMORY_KIB`]).
static PIN_SLOT: Mutex<()> = Mutex::new(());

/// How a share's PIN is kept: a random salt and a hash of salt and PIN.
#[derive(Clone, PartialEq, Eq)]
pub struct PinHash {
    /// Random, per share.
    pub salt: [u8; 16],
    /// The hash.
    pub hash: [u8; 32],
    /// Which function made `hash`.
    pub kind: PinHashKind,
}

impl std::fmt::Debug for PinHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinHash")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The function behind a [`PinHash`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinHashKind {
    /// SHA-256 of a label, the salt and the PIN: shares made before Argon2id. Still checked;
    /// the first right PIN replaces it by an Argon2id hash.
    LegacySha256,
    /// Argon2id with [`PIN_ARGON2_MEMORY_KIB`] and [`PIN_ARGON2_PASSES`], one lane.
    Argon2id,
}

impl PinHashKind {
    /// The number kept in the store.
    pub fn tag(self) -> u8 {
        match self {
            Self::LegacySha256 => 1,
            Self::Argon2id => 2,
        }
    }

    /// The kind kept under `tag`.
    pub fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            1 => Some(Self::LegacySha256),
            2 => Some(Self::Argon2id),
            _ => None,
        }
    }
}

impl PinHash {
    /// Hashes `pin` with Argon2id and a fresh random salt.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when there is no random source or Argon2 fails.
    pub fn new(pin: &str) -> Result<Self, StoreError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(Self {
            salt,
            hash: argon2_pin(&salt, pin)?,
            kind: PinHashKind::Argon2id,
        })
    }

    /// A hash made with the SHA-256 scheme of earlier versions (for tests of the migration).
    pub fn legacy(salt: [u8; 16], pin: &str) -> Self {
        Self {
            salt,
            hash: legacy_pin_hash(&salt, pin),
            kind: PinHashKind::LegacySha256,
        }
    }

    /// Whether `pin` is the PIN (compared in constant time).
    ///
    /// # Errors
    /// [`StoreError::Backend`] when Argon2 fails.
    pub fn verify(&self, pin: &str) -> Result<bool, StoreError> {
        let candidate = match self.kind {
            PinHashKind::LegacySha256 => legacy_pin_hash(&self.salt, pin),
            PinHashKind::Argon2id => argon2_pin(&self.salt, pin)?,
        };
        Ok(candidate
            .iter()
            .zip(self.hash.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0)
    }
}

fn argon2_pin(salt: &[u8; 16], pin: &str) -> Result<[u8; 32], StoreError> {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(PIN_ARGON2_MEMORY_KIB, PIN_ARGON2_PASSES, 1, Some(32))
        .map_err(|e| StoreError::Backend(format!("argon2 parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = [0u8; 32];
    let _slot = PIN_SLOT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    argon
        .hash_password_into(pin.as_bytes(), salt, &mut out)
        .map_err(|e| StoreError::Backend(format!("argon2: {e}")))?;
    Ok(out)
}

/// What opening a share found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareLookup {
    /// The sealed report.
    Open {
        /// Ciphertext.
        data: Vec<u8>,
        /// Expiry (Unix seconds).
        expires_at: u64,
    },
    /// No such share.
    Missing,
    /// The worker revoked it.
    Revoked,
    /// Past its expiry; the ciphertext is deleted.
    Expired,
    /// A PIN is needed and none was given.
    PinRequired,
    /// The PIN was wrong; this many attempts are left.
    PinWrong {
        /// Attempts left before the share locks.
        left: u8,
    },
    /// Too many wrong PINs; the ciphertext is deleted.
    Locked,
}

/// What unlinking a device did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlink {
    /// The device is unlinked; its token no longer works.
    Unlinked,
    /// The account has no such device.
    Missing,
    /// It is the account's last device: unlinking it would leave an account nobody can reach
    /// or delete. Delete the account instead.
    LastDevice,
}

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Expired pairing offers.
    pub pairings: u64,
    /// Tombstones every device has pulled past, or older than the retention.
    pub tombstones: u64,
}

/// An account's revision counter and bytes held while one push is applied.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ledger {
    /// The last revision given out.
    pub(crate) seq: u64,
    /// Bytes of ciphertext held.
    pub(crate) used: u64,
    /// The most the account may hold.
    pub(crate) quota: u64,
}

impl Ledger {
    /// Optimistic concurrency and the quota for one pushed change, the same in every backend.
    /// `Ok(Ok(rev))`: store the change under `rev`. `Ok(Err(result))`: a conflict, answered with
    /// the entry's current copy; nothing is stored.
    ///
    /// # Errors
    /// [`StoreError::Quota`] when the change would take the account over its quota.
    pub(crate) fn admit(
        &mut self,
        item: &PushItem,
        current: Option<Item>,
    ) -> Result<Result<u64, PushResult>, StoreError> {
        // A tombstone is only taken for an entry that holds data: deleting what does not exist
        // (or is already deleted) stores nothing and is answered with the current copy.
        let deletes_nothing =
            item.data.is_none() && current.as_ref().is_none_or(|c| c.data.is_none());
        if item.base != current.as_ref().map_or(0, |c| c.rev) || deletes_nothing {
            return Ok(Err(PushResult {
                store: item.store,
                key: item.key,
                outcome: PushOutcome::Conflict {
                    current: current.unwrap_or(Item {
                        store: item.store,
                        key: item.key,
                        rev: 0,
                        data: None,
                    }),
                },
            }));
        }
        self.seq += 1;
        let old_cost = current.as_ref().map_or(0, |c| cost(c.data.as_deref()));
        let new_cost = cost(item.data.as_deref());
        self.used = (self.used + new_cost).saturating_sub(old_cost);
        // A deletion is never refused: its tombstone counts, so the next write may be.
        if item.data.is_some() && new_cost > old_cost && self.used > self.quota {
            return Err(StoreError::Quota);
        }
        Ok(Ok(self.seq))
    }
}

/// What an entry counts against the quota: its ciphertext, or [`TOMBSTONE_BYTES`].
pub(crate) fn cost(data: Option<&[u8]>) -> u64 {
    data.map_or(TOMBSTONE_BYTES, |d| d.len() as u64)
}

/// The PIN hash of earlier versions: SHA-256 of a label, `salt` and `pin`.
fn legacy_pin_hash(salt: &[u8; 16], pin: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zorgvuldig/share-pin/v1\0");
    h.update(salt);
    h.update(pin.as_bytes());
    h.finalize().into()
}

/// SHA-256 of a device token: all the relay keeps of it.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The relay's storage. Every method is one transaction.
pub trait RelayStore: Send + Sync + std::fmt::Debug {
    /// Creates an account with its first device, unless the relay already holds
    /// `max_accounts` accounts (`Ok(false)`).
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn create_account(
        &self,
        account: AccountId,
        device: DeviceId,
        token_hash: [u8; 32],
        now: u64,
        max_accounts: u64,
    ) -> Result<bool, StoreError>;

    /// The device a token hash belongs to, if it is still linked.
    ///
    /// # Errors
    /// [`StoreError`].
    fn credential(&self, token_hash: &[u8; 32]) -> Result<Option<Credential>, StoreError>;

    /// The account's linked devices (`current` is left false).
    ///
    /// # Errors
    /// [`StoreError`].
    fn devices(&self, account: AccountId) -> Result<Vec<DeviceInfo>, StoreError>;

    /// Unlinks a device of the account: its token stops working at once, its pairing offer is
    /// withdrawn. The account's last device is not unlinked ([`Unlink::LastDevice`]).
    ///
    /// # Errors
    /// [`StoreError`].
    fn revoke_device(&self, account: AccountId, device: DeviceId) -> Result<Unlink, StoreError>;

    /// Files a pairing offer of `device` until `expires_at`, replacing that device's earlier
    /// offer (one live offer per device). The offer's bytes count against the account's quota
    /// while it lives. `Ok(false)` when another device's unexpired offer has this id (ids are
    /// unique across accounts); nothing is changed then.
    ///
    /// # Errors
    /// [`StoreError::Quota`] or a backend failure.
    fn put_pairing(
        &self,
        device: Credential,
        id: [u8; 32],
        offer: Vec<u8>,
        expires_at: u64,
        now: u64,
        quota: u64,
    ) -> Result<bool, StoreError>;

    /// Hands out a pairing offer once, linking the new device in the same transaction.
    ///
    /// # Errors
    /// [`StoreError`]. `Ok(None)` when there is no (unexpired) offer under `id`.
    fn claim_pairing(
        &self,
        id: [u8; 32],
        device: DeviceId,
        token_hash: [u8; 32],
        now: u64,
    ) -> Result<Option<(AccountId, Vec<u8>)>, StoreError>;

    /// Applies pushed changes with optimistic concurrency: each is stored under the account's
    /// next revision when its base is the entry's current revision, else answered with the
    /// current copy.
    ///
    /// # Errors
    /// [`StoreError::Quota`] (nothing stored) or a backend failure.
    /// A deletion (tombstone) is only stored for an entry that holds data; it counts
    /// [`TOMBSTONE_BYTES`] and remembers `now` for [`RelayStore::sweep`].
    fn push(
        &self,
        account: AccountId,
        items: &[PushItem],
        quota: u64,
        now: u64,
    ) -> Result<Vec<PushResult>, StoreError>;

    /// Entries with a revision above `since`, oldest first, at most `limit`. Read-only.
    ///
    /// # Errors
    /// [`StoreError`].
    fn pull(
        &self,
        credential: Credential,
        since: u64,
        limit: usize,
    ) -> Result<PullResponse, StoreError>;

    /// Marks the device as seen at `now` (at most one write per device a minute) and as having
    /// pulled everything up to revision `pulled` (a pull with `since = pulled`): tombstones
    /// every device has pulled past are compacted by [`RelayStore::sweep`].
    ///
    /// # Errors
    /// [`StoreError`].
    fn seen(&self, credential: Credential, pulled: u64, now: u64) -> Result<(), StoreError>;

    /// Removes what has outlived its use, by time, without a request to trigger it: pairing
    /// offers expired at `now`, and tombstones that every device of their account has pulled
    /// past or that were made at or before `tombstones_before` (the retention). Their bytes
    /// leave the accounts' usage.
    ///
    /// # Errors
    /// [`StoreError`].
    fn sweep(&self, now: u64, tombstones_before: u64) -> Result<Swept, StoreError>;

    /// Gives free space in the store's file back to the system; `Ok(Some(bytes))` is the
    /// file's size afterwards, `Ok(None)` when the backend manages its own space (PostgreSQL's
    /// autovacuum).
    ///
    /// # Errors
    /// [`StoreError`].
    fn compact(&self) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }

    /// Whether the read-only calls ([`RelayStore::credential`], [`RelayStore::pull`]) may run
    /// on the server's async threads: true when they never wait on the network or on a writer.
    /// Everything else always runs on the blocking pool.
    fn reads_inline(&self) -> bool {
        false
    }

    /// Bytes of ciphertext the account holds.
    ///
    /// # Errors
    /// [`StoreError`].
    fn usage(&self, account: AccountId) -> Result<u64, StoreError>;

    /// Stores a share. `Ok(false)` when the id is taken.
    ///
    /// # Errors
    /// [`StoreError`] (shares count against the quota).
    fn put_share(
        &self,
        account: AccountId,
        share: NewShare,
        quota: u64,
    ) -> Result<bool, StoreError>;

    /// Opens a share for a client, checking expiry and PIN (and counting wrong PINs).
    ///
    /// # Errors
    /// [`StoreError`].
    fn open_share(
        &self,
        id: [u8; 16],
        pin: Option<&str>,
        now: u64,
    ) -> Result<ShareLookup, StoreError>;

    /// Revokes a share of the account and deletes its ciphertext. `Ok(false)` when the account
    /// has no such share.
    ///
    /// # Errors
    /// [`StoreError`].
    fn revoke_share(&self, account: AccountId, id: [u8; 16]) -> Result<bool, StoreError>;

    /// The account's shares, newest first.
    ///
    /// # Errors
    /// [`StoreError`].
    fn shares(&self, account: AccountId) -> Result<Vec<ShareInfo>, StoreError>;

    /// Deletes the account with everything it holds, in one transaction: every device and
    /// token, every item and tombstone, pairing offers, shares and their ciphertext. Share
    /// links answer "not found" from then on.
    ///
    /// # Errors
    /// [`StoreError`].
    fn delete_account(&self, account: AccountId) -> Result<(), StoreError>;
}
