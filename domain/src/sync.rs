//! End-to-end-encrypted sync between a worker's devices, through a relay that holds no key.
//!
//! # Design
//!
//! **What travels.** Sync moves the sealed entries of two IndexedDB stores, exactly as they are
//! stored: `records` (envelopes sealed with the workspace key or, for transcripts, with a contact
//! key; see [`crate::crypto::envelope`]) and `keys` (contact keys wrapped under the workspace
//! key). Nothing is decrypted or re-encrypted for sync. Recordings (`audio`) stay on the device
//! that made them: they are the largest and most sensitive data, and the transcript that
//! reports cite travels instead.
//!
//! **What the relay sees.** Per entry: the store name (`records` or `keys`), the entry key (a
//! random 128-bit record id, checked to be exactly that, so nothing readable can be smuggled into
//! it), a revision number, the ciphertext and its size. Per account: random account and device
//! ids, the SHA-256 of each device token, creation and last-use times. Never a passphrase, a
//! key, a name, a kind of record or any content.
//!
//! **What a stolen relay disk reveals.** How many entries an account has, their sizes, how often
//! they change, and which transcripts share a contact (the envelope header names the contact key
//! by its random id). Device tokens cannot be recovered from their hashes (256-bit random
//! values), so the disk gives no way to push or pull. Without the workspace key, which only
//! exists on the worker's devices wrapped under their passphrases, no content can be read.
//!
//! **Keys between devices.** A second device joins with a one-time pairing code shown on the
//! first ([`pairing`]). The code is 128 random bits; it derives both the lookup id the relay
//! files the offer under and the key that wraps the workspace key inside it, so the relay
//! holds the offer but cannot open it. The offer is claimed once and expires within minutes.
//! The joining device protects the workspace key with a passphrase of its own.
//!
//! **Concurrency.** The relay gives every accepted write of an account the next number of one
//! per-account sequence (the entry's revision). A device pushes a change together with the
//! revision it last saw of that entry (its base); the relay accepts it only when that is still
//! the entry's current revision (optimistic concurrency), otherwise it answers with the current
//! copy and stores nothing. A device pulls everything with a revision above its cursor.
//!
//! The device keeps, per entry, the revision and the SHA-256 of the bytes it last exchanged
//! ([`SyncState`]). A local entry whose bytes no longer match is a local change; a local change
//! meeting a newer remote revision is a conflict. Conflicts are never resolved silently: the
//! local copy stays in place, the remote copy is kept beside it, and the worker chooses
//! ([`Resolution`]). Deletions travel as tombstones (no data), so a shredded contact key or
//! transcript is deleted on the relay and on every device that syncs.
//!
//! **Tampering.** A relay cannot forge or swap entries: every envelope authenticates its record
//! id, version and key, and the device opens what it pulls before showing it. A malicious relay
//! can withhold entries or hand out an older copy of a record; that is not detected.

pub mod pairing;
pub mod state;
pub mod wire;

pub use pairing::{PairingCode, PairingError, PairingOffer};
pub use state::{Conflict, PullOutcome, Resolution, SyncError, SyncState};
pub use wire::{
    AccountCreated, DeviceInfo, Item, PairingClaimed, PullResponse, PushItem, PushOutcome,
    PushRequest, PushResponse, PushResult, SyncedStore,
};
