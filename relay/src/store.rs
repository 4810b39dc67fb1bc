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

use domain::share::ShareInfo;
use domain::sync::{DeviceInfo, Item, PullResponse, PushItem, PushOutcome, PushResult};
use sha2::{Digest, Sha256};

/// A random account id.
pub type AccountId = [u8; 16];
/// A random device id.
pub type DeviceId = [u8; 16];

/// A pull page stops once it holds this many bytes of ciphertext (and at least one entry).
pub const PULL_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Failed PIN attempts after which a share is locked for good.
pub const PIN_ATTEMPTS: u8 = 5;

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
    /// `(salt, SHA-256(salt ‖ PIN))` when a PIN protects it.
    pub pin: Option<([u8; 16], [u8; 32])>,
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
        if item.base != current.as_ref().map_or(0, |c| c.rev) {
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
        let old_len = current
            .as_ref()
            .and_then(|c| c.data.as_ref())
            .map_or(0, Vec::len);
        let new_len = item.data.as_ref().map_or(0, Vec::len);
        self.used = (self.used + new_len as u64).saturating_sub(old_len as u64);
        if new_len > old_len && self.used > self.quota {
            return Err(StoreError::Quota);
        }
        Ok(Ok(self.seq))
    }
}

/// SHA-256 of `salt ‖ pin`.
pub fn pin_hash(salt: &[u8; 16], pin: &str) -> [u8; 32] {
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
    /// Creates an account with its first device.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn create_account(
        &self,
        account: AccountId,
        device: DeviceId,
        token_hash: [u8; 32],
        now: u64,
    ) -> Result<(), StoreError>;

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

    /// Unlinks a device of the account: its token stops working at once.
    ///
    /// # Errors
    /// [`StoreError`]. `Ok(false)` when the account has no such device.
    fn revoke_device(&self, account: AccountId, device: DeviceId) -> Result<bool, StoreError>;

    /// Files a pairing offer until `expires_at`, and drops expired offers.
    ///
    /// # Errors
    /// [`StoreError`].
    fn put_pairing(
        &self,
        account: AccountId,
        id: [u8; 32],
        offer: Vec<u8>,
        expires_at: u64,
        now: u64,
    ) -> Result<(), StoreError>;

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
    fn push(
        &self,
        account: AccountId,
        items: &[PushItem],
        quota: u64,
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

    /// Marks the device as seen at `now` (at most one write per device a minute).
    ///
    /// # Errors
    /// [`StoreError`].
    fn seen(&self, credential: Credential, now: u64) -> Result<(), StoreError>;

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
