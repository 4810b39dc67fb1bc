//! The embedded backend: one redb file in the relay's data directory.
//!
//! redb commits are durable when `commit` returns (copy-on-write B-trees, checksummed, fsync), so
//! a write the relay acknowledged survives a crash or `kill -9`. Rows are fixed binary layouts
//! (big-endian integers) so no parser of untrusted input sits between disk and memory; a row
//! that does not decode is reported as [`StoreError::Corrupt`], never a panic.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, mpsc};

use domain::RecordId;
use domain::share::ShareInfo;
use domain::sync::{
    DeviceInfo, Item, PullResponse, PushItem, PushOutcome, PushResult, SyncedStore,
};
use redb::{
    Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition, TableHandle,
    WriteTransaction,
};

use super::{
    AccountId, Credential, DeviceId, Ledger, NewShare, PIN_ATTEMPTS, PinHash, PinHashKind,
    RelayStore, ShareLookup, StoreError, Swept, TOMBSTONE_BYTES, Unlink,
};

type Table = TableDefinition<'static, &'static [u8], &'static [u8]>;

/// A key and value as read out of a table.
type Row = (Vec<u8>, Vec<u8>);

/// account → seq (8) ‖ bytes used (8) ‖ created (8).
const ACCOUNTS: Table = TableDefinition::new("accounts");
/// SHA-256(token) → account ‖ device.
const TOKENS: Table = TableDefinition::new("tokens");
/// account ‖ device → created (8) ‖ last seen (8) ‖ SHA-256(token) (32) ‖ pulled up to (8;
/// absent in rows of earlier versions: 0).
const DEVICES: Table = TableDefinition::new("devices");
/// account ‖ store tag ‖ key → rev (8) ‖ present (1) ‖ data.
const ITEMS: Table = TableDefinition::new("items");
/// account ‖ rev → store tag ‖ key: the change log pulls read.
const CHANGES: Table = TableDefinition::new("changes");
/// account ‖ rev → store tag ‖ key ‖ deleted at (8): the tombstones, for the sweep.
const TOMBSTONES: Table = TableDefinition::new("tombstones");
/// Pairing offers of earlier versions (account ‖ expires ‖ offer); dropped at open (an offer
/// lives minutes).
const OLD_PAIRINGS: Table = TableDefinition::new("pairings");
/// offer id → account ‖ device ‖ expires (8) ‖ offer.
const PAIRINGS: Table = TableDefinition::new("pairings_v2");
/// account ‖ device → offer id: one live offer per device.
const DEVICE_PAIRINGS: Table = TableDefinition::new("device_pairings");
/// expires (8) ‖ offer id → (empty): the sweep finds expired offers without a scan.
const PAIRING_EXPIRY: Table = TableDefinition::new("pairing_expiry");
/// share id → account ‖ created ‖ expires ‖ state ‖ failures ‖ PIN kind (0: none) ‖ salt (16) ‖
/// hash (32).
const SHARES: Table = TableDefinition::new("shares");
/// share id → ciphertext.
const SHARE_DATA: Table = TableDefinition::new("share_data");
/// account ‖ share id → (empty): the account's shares.
const ACCOUNT_SHARES: Table = TableDefinition::new("account_shares");

const ALL: [Table; 12] = [
    ACCOUNTS,
    TOKENS,
    DEVICES,
    ITEMS,
    CHANGES,
    TOMBSTONES,
    PAIRINGS,
    DEVICE_PAIRINGS,
    PAIRING_EXPIRY,
    SHARES,
    SHARE_DATA,
    ACCOUNT_SHARES,
];

/// redb's own page cache.
const CACHE_BYTES: usize = 8 << 20;

const SHARE_ACTIVE: u8 = 0;
const SHARE_REVOKED: u8 = 1;
const SHARE_EXPIRED: u8 = 2;
const SHARE_LOCKED: u8 = 3;
const SHARE_ROW_LEN: usize = 16 + 8 + 8 + 1 + 1 + 1 + 16 + 32;

fn backend(e: impl Into<redb::Error>) -> StoreError {
    StoreError::Backend(e.into().to_string())
}

fn u64_at(bytes: &[u8], at: usize) -> Result<u64, StoreError> {
    bytes
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
        .ok_or(StoreError::Corrupt("short row"))
}

fn array<const N: usize>(bytes: &[u8], at: usize) -> Result<[u8; N], StoreError> {
    bytes
        .get(at..at + N)
        .and_then(|b| b.try_into().ok())
        .ok_or(StoreError::Corrupt("short row"))
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// The redb-backed store.
///
/// Pushes are group-committed: concurrent pushes share one durable commit (one fsync), each
/// answered only after that commit. redb has a single writer, so without this every push would
/// wait for every earlier push's own fsync.
///
/// The database sits behind a lock that every call holds for its transaction's life, shared;
/// [`RelayStore::compact`] takes it alone, when no transaction is open.
#[derive(Debug)]
pub struct RedbStore {
    db: RwLock<Database>,
    path: PathBuf,
    group: Mutex<Group>,
    committed: Condvar,
}

/// Pushes waiting for a commit, and whether one is being made.
#[derive(Debug, Default)]
struct Group {
    queue: Vec<WaitingPush>,
    committing: bool,
}

/// Held by the thread making a group commit; when it ends (even by a panic) the next waiting
/// push may lead, and every waiter looks for its answer.
struct Leading<'a>(&'a RedbStore);

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        lock(&self.0.group).committing = false;
        self.0.committed.notify_all();
    }
}

/// A push waiting for the next group commit.
#[derive(Debug)]
struct WaitingPush {
    account: AccountId,
    items: Vec<PushItem>,
    quota: u64,
    now: u64,
    answer: mpsc::SyncSender<Result<Vec<PushResult>, StoreError>>,
}

/// Locks a mutex; a panic while holding it leaves data that is still consistent (the queue is
/// only pushed to and taken whole), so poisoning is ignored.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

struct ShareRow {
    account: AccountId,
    created: u64,
    expires_at: u64,
    state: u8,
    failures: u8,
    pin: Option<PinHash>,
}

impl ShareRow {
    fn decode(bytes: &[u8]) -> Result<Self, StoreError> {
        if bytes.len() != SHARE_ROW_LEN {
            return Err(StoreError::Corrupt("share row"));
        }
        Ok(Self {
            account: array(bytes, 0)?,
            created: u64_at(bytes, 16)?,
            expires_at: u64_at(bytes, 24)?,
            state: bytes[32],
            failures: bytes[33],
            pin: match bytes[34] {
                0 => None,
                tag => Some(PinHash {
                    salt: array(bytes, 35)?,
                    hash: array(bytes, 51)?,
                    kind: PinHashKind::from_tag(tag)
                        .ok_or(StoreError::Corrupt("share PIN kind"))?,
                }),
            },
        })
    }

    fn encode(&self) -> Vec<u8> {
        let (has, salt, hash) = match &self.pin {
            Some(p) => (p.kind.tag(), p.salt, p.hash),
            None => (0, [0; 16], [0; 32]),
        };
        cat(&[
            &self.account,
            &self.created.to_be_bytes(),
            &self.expires_at.to_be_bytes(),
            &[self.state, self.failures, has],
            &salt,
            &hash,
        ])
    }
}

impl RedbStore {
    /// Opens (or creates) the store at `path`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the file cannot be opened, is locked by another process or
    /// is not a redb database.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        // redb's page cache would otherwise grow towards 1 GiB with the data written; the OS
        // page cache keeps hot pages anyway.
        let db = redb::Builder::new()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(backend)?;
        let tx = db.begin_write().map_err(backend)?;
        let indexed = tx
            .list_tables()
            .map_err(backend)?
            .any(|t| t.name() == TOMBSTONES.name());
        for table in ALL {
            tx.open_table(table).map_err(backend)?;
        }
        tx.delete_table(OLD_PAIRINGS).map_err(backend)?;
        if !indexed {
            index_old_tombstones(&tx)?;
        }
        tx.commit().map_err(backend)?;
        private_file(path)?;
        Ok(Self {
            db: RwLock::new(db),
            path: path.to_owned(),
            group: Mutex::new(Group::default()),
            committed: Condvar::new(),
        })
    }

    /// The database, shared with other calls (held while a transaction is open).
    fn db(&self) -> RwLockReadGuard<'_, Database> {
        self.db.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let db = self.db();
        let tx = db.begin_write().map_err(backend)?;
        let out = f(&tx)?;
        tx.commit().map_err(backend)?;
        Ok(out)
    }

    /// Removes the pairing offer `id` (if any) with its index rows, and gives its bytes back to
    /// its account.
    fn drop_pairing(tx: &WriteTransaction, id: &[u8; 32]) -> Result<bool, StoreError> {
        let Some(row) = tx
            .open_table(PAIRINGS)
            .map_err(backend)?
            .remove(&id[..])
            .map_err(backend)?
            .map(|v| v.value().to_vec())
        else {
            return Ok(false);
        };
        let account: AccountId = array(&row, 0)?;
        let expires = u64_at(&row, 32)?;
        tx.open_table(PAIRING_EXPIRY)
            .map_err(backend)?
            .remove(&cat(&[&expires.to_be_bytes(), id])[..])
            .map_err(backend)?;
        let mut by_device = tx.open_table(DEVICE_PAIRINGS).map_err(backend)?;
        let owner = &row[..32];
        let points_here = by_device
            .get(owner)
            .map_err(backend)?
            .is_some_and(|v| v.value() == &id[..]);
        if points_here {
            by_device.remove(owner).map_err(backend)?;
        }
        drop(by_device);
        Self::give_back(tx, &account, (row.len() - 40) as u64)?;
        Ok(true)
    }

    /// Takes `bytes` off the account's usage; nothing when the account is gone.
    fn give_back(tx: &WriteTransaction, account: &AccountId, bytes: u64) -> Result<(), StoreError> {
        let present = tx
            .open_table(ACCOUNTS)
            .map_err(backend)?
            .get(&account[..])
            .map_err(backend)?
            .is_some();
        if present {
            let (seq, used, created) = Self::account_row(tx, account)?;
            Self::put_account_row(tx, account, (seq, used.saturating_sub(bytes), created))?;
        }
        Ok(())
    }

    fn account_row(
        tx: &WriteTransaction,
        account: &AccountId,
    ) -> Result<(u64, u64, u64), StoreError> {
        let table = tx.open_table(ACCOUNTS).map_err(backend)?;
        let row = table
            .get(&account[..])
            .map_err(backend)?
            .ok_or(StoreError::Corrupt("device without account"))?;
        let v = row.value();
        Ok((u64_at(v, 0)?, u64_at(v, 8)?, u64_at(v, 16)?))
    }

    fn put_account_row(
        tx: &WriteTransaction,
        account: &AccountId,
        (seq, bytes, created): (u64, u64, u64),
    ) -> Result<(), StoreError> {
        let mut table = tx.open_table(ACCOUNTS).map_err(backend)?;
        table
            .insert(
                &account[..],
                &cat(&[
                    &seq.to_be_bytes(),
                    &bytes.to_be_bytes(),
                    &created.to_be_bytes(),
                ])[..],
            )
            .map_err(backend)?;
        Ok(())
    }

    /// Deletes a share's ciphertext and gives its bytes back to the account's quota.
    fn drop_share_data(
        tx: &WriteTransaction,
        account: &AccountId,
        id: &[u8; 16],
    ) -> Result<(), StoreError> {
        let removed = tx
            .open_table(SHARE_DATA)
            .map_err(backend)?
            .remove(&id[..])
            .map_err(backend)?
            .map_or(0, |v| v.value().len() as u64);
        let (seq, used, created) = Self::account_row(tx, account)?;
        Self::put_account_row(tx, account, (seq, used.saturating_sub(removed), created))
    }

    /// One push inside a write transaction (optimistic concurrency and quota by [`Ledger`]).
    fn push_in(
        tx: &WriteTransaction,
        account: AccountId,
        items: &[PushItem],
        quota: u64,
        now: u64,
    ) -> Result<Vec<PushResult>, StoreError> {
        let (seq, used, created) = Self::account_row(tx, &account)?;
        let mut ledger = Ledger { seq, used, quota };
        let mut table = tx.open_table(ITEMS).map_err(backend)?;
        let mut changes = tx.open_table(CHANGES).map_err(backend)?;
        let mut tombstones = tx.open_table(TOMBSTONES).map_err(backend)?;
        let mut results = Vec::with_capacity(items.len());
        for item in items {
            let k = item_key(&account, item.store, &item.key);
            let current = match table.get(&k[..]).map_err(backend)? {
                Some(v) => Some(decode_item(item.store, item.key, v.value())?),
                None => None,
            };
            let current_rev = current.as_ref().map_or(0, |c| c.rev);
            let present = current.is_some();
            let was_tombstone = current.as_ref().is_some_and(|c| c.data.is_none());
            let seq = match ledger.admit(item, current)? {
                Ok(rev) => rev,
                Err(conflict) => {
                    results.push(conflict);
                    continue;
                }
            };
            if present {
                let old = cat(&[&account, &current_rev.to_be_bytes()]);
                changes.remove(&old[..]).map_err(backend)?;
                if was_tombstone {
                    tombstones.remove(&old[..]).map_err(backend)?;
                }
            }
            if item.data.is_none() {
                tombstones
                    .insert(
                        &cat(&[&account, &seq.to_be_bytes()])[..],
                        &cat(&[&[item.store.tag()], item.key.as_bytes(), &now.to_be_bytes()])[..],
                    )
                    .map_err(backend)?;
            }
            changes
                .insert(
                    &cat(&[&account, &seq.to_be_bytes()])[..],
                    &cat(&[&[item.store.tag()], item.key.as_bytes()])[..],
                )
                .map_err(backend)?;
            let row = match &item.data {
                Some(d) => cat(&[&seq.to_be_bytes(), &[1], d]),
                None => cat(&[&seq.to_be_bytes(), &[0]]),
            };
            table.insert(&k[..], &row[..]).map_err(backend)?;
            results.push(PushResult {
                store: item.store,
                key: item.key,
                outcome: PushOutcome::Accepted { rev: seq },
            });
        }
        drop(table);
        drop(changes);
        drop(tombstones);
        Self::put_account_row(tx, &account, (ledger.seq, ledger.used, created))?;
        Ok(results)
    }

    /// Commits a batch of pushes in one durable transaction and answers each. If any of them
    /// fails, nothing of the batch is committed and each is retried in its own transaction, so
    /// one bad push never takes others down.
    fn commit_pushes(&self, batch: Vec<WaitingPush>) {
        let together = (|| {
            let db = self.db();
            let tx = db.begin_write().map_err(backend)?;
            let mut results = Vec::with_capacity(batch.len());
            for w in &batch {
                results.push(Self::push_in(&tx, w.account, &w.items, w.quota, w.now)?);
            }
            tx.commit().map_err(backend)?;
            Ok::<_, StoreError>(results)
        })();
        match together {
            Ok(results) => {
                for (w, r) in batch.into_iter().zip(results) {
                    // The caller may have gone (a dropped request): nothing to answer then.
                    let _ = w.answer.send(Ok(r));
                }
            }
            Err(_) => {
                for w in batch {
                    let r = self.write(|tx| Self::push_in(tx, w.account, &w.items, w.quota, w.now));
                    let _ = w.answer.send(r);
                }
            }
        }
    }

    fn link_device(
        tx: &WriteTransaction,
        account: &AccountId,
        device: &DeviceId,
        token_hash: &[u8; 32],
        now: u64,
    ) -> Result<(), StoreError> {
        tx.open_table(TOKENS)
            .map_err(backend)?
            .insert(&token_hash[..], &cat(&[account, device])[..])
            .map_err(backend)?;
        tx.open_table(DEVICES)
            .map_err(backend)?
            .insert(
                &cat(&[account, device])[..],
                &cat(&[
                    &now.to_be_bytes(),
                    &now.to_be_bytes(),
                    token_hash,
                    &0u64.to_be_bytes(),
                ])[..],
            )
            .map_err(backend)?;
        Ok(())
    }
}

fn item_key(account: &AccountId, store: SyncedStore, key: &RecordId) -> Vec<u8> {
    cat(&[account, &[store.tag()], key.as_bytes()])
}

fn decode_item(store: SyncedStore, key: RecordId, v: &[u8]) -> Result<Item, StoreError> {
    let rev = u64_at(v, 0)?;
    let data = match v.get(8) {
        Some(1) => Some(v[9..].to_vec()),
        Some(0) => None,
        _ => return Err(StoreError::Corrupt("item row")),
    };
    Ok(Item {
        store,
        key,
        rev,
        data,
    })
}

/// Indexes the tombstones of a store made before they were swept, as made now, so that the
/// sweep finds them (they were not counted against the quota then and are not now; their
/// compaction takes nothing off the usage below zero).
fn index_old_tombstones(tx: &WriteTransaction) -> Result<(), StoreError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let items = tx.open_table(ITEMS).map_err(backend)?;
    let mut tombstones = tx.open_table(TOMBSTONES).map_err(backend)?;
    for row in items.iter().map_err(backend)? {
        let (k, v) = row.map_err(backend)?;
        let (k, v) = (k.value(), v.value());
        if v.get(8) == Some(&0) && k.len() == 33 {
            tombstones
                .insert(
                    &cat(&[&k[..16], &v[..8]])[..],
                    &cat(&[&k[16..], &now.to_be_bytes()])[..],
                )
                .map_err(backend)?;
        }
    }
    Ok(())
}

/// Makes `path` readable and writable by the relay's user only.
#[cfg(unix)]
pub(crate) fn private_file(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))
}

#[cfg(not(unix))]
pub(crate) fn private_file(_path: &Path) -> Result<(), StoreError> {
    Ok(())
}

impl RelayStore for RedbStore {
    fn create_account(
        &self,
        account: AccountId,
        device: DeviceId,
        token_hash: [u8; 32],
        now: u64,
        max_accounts: u64,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            let count = tx
                .open_table(ACCOUNTS)
                .map_err(backend)?
                .len()
                .map_err(backend)?;
            if count >= max_accounts {
                return Ok(false);
            }
            Self::put_account_row(tx, &account, (0, 0, now))?;
            Self::link_device(tx, &account, &device, &token_hash, now)?;
            Ok(true)
        })
    }

    fn credential(&self, token_hash: &[u8; 32]) -> Result<Option<Credential>, StoreError> {
        let db = self.db();
        let tx = db.begin_read().map_err(backend)?;
        let table = tx.open_table(TOKENS).map_err(backend)?;
        let Some(row) = table.get(&token_hash[..]).map_err(backend)? else {
            return Ok(None);
        };
        let v = row.value();
        Ok(Some(Credential {
            account: array(v, 0)?,
            device: array(v, 16)?,
        }))
    }

    fn devices(&self, account: AccountId) -> Result<Vec<DeviceInfo>, StoreError> {
        let db = self.db();
        let tx = db.begin_read().map_err(backend)?;
        let table = tx.open_table(DEVICES).map_err(backend)?;
        let start = cat(&[&account, &[0; 16]]);
        let end = cat(&[&account, &[0xff; 16]]);
        let mut out = Vec::new();
        for row in table.range(&start[..]..=&end[..]).map_err(backend)? {
            let (k, v) = row.map_err(backend)?;
            let device: DeviceId = array(k.value(), 16)?;
            out.push(DeviceInfo {
                device: hex::encode(device),
                created: u64_at(v.value(), 0)?,
                last_seen: u64_at(v.value(), 8)?,
                current: false,
            });
        }
        Ok(out)
    }

    fn revoke_device(&self, account: AccountId, device: DeviceId) -> Result<Unlink, StoreError> {
        self.write(|tx| {
            let mut devices = tx.open_table(DEVICES).map_err(backend)?;
            let key = cat(&[&account, &device]);
            if devices.get(&key[..]).map_err(backend)?.is_none() {
                return Ok(Unlink::Missing);
            }
            let start = cat(&[&account, &[0; 16]]);
            let end = cat(&[&account, &[0xff; 16]]);
            if devices
                .range(&start[..]..=&end[..])
                .map_err(backend)?
                .nth(1)
                .is_none()
            {
                return Ok(Unlink::LastDevice);
            }
            let hash: [u8; 32] = match devices.remove(&key[..]).map_err(backend)? {
                Some(row) => array(row.value(), 16)?,
                None => return Ok(Unlink::Missing),
            };
            drop(devices);
            tx.open_table(TOKENS)
                .map_err(backend)?
                .remove(&hash[..])
                .map_err(backend)?;
            let offer = tx
                .open_table(DEVICE_PAIRINGS)
                .map_err(backend)?
                .get(&key[..])
                .map_err(backend)?
                .map(|v| array::<32>(v.value(), 0))
                .transpose()?;
            if let Some(id) = offer {
                Self::drop_pairing(tx, &id)?;
            }
            Ok(Unlink::Unlinked)
        })
    }

    fn put_pairing(
        &self,
        device: Credential,
        id: [u8; 32],
        offer: Vec<u8>,
        expires_at: u64,
        now: u64,
        quota: u64,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            let owner = cat(&[&device.account, &device.device]);
            let existing = tx
                .open_table(PAIRINGS)
                .map_err(backend)?
                .get(&id[..])
                .map_err(backend)?
                .map(|v| v.value().to_vec());
            if let Some(row) = existing {
                if row.get(..32) != Some(&owner[..]) && u64_at(&row, 32)? > now {
                    return Ok(false);
                }
                Self::drop_pairing(tx, &id)?;
            }
            let previous = tx
                .open_table(DEVICE_PAIRINGS)
                .map_err(backend)?
                .get(&owner[..])
                .map_err(backend)?
                .map(|v| array::<32>(v.value(), 0))
                .transpose()?;
            if let Some(previous) = previous {
                Self::drop_pairing(tx, &previous)?;
            }
            let (seq, used, created) = Self::account_row(tx, &device.account)?;
            let used = used + offer.len() as u64;
            if used > quota {
                return Err(StoreError::Quota);
            }
            Self::put_account_row(tx, &device.account, (seq, used, created))?;
            tx.open_table(PAIRINGS)
                .map_err(backend)?
                .insert(
                    &id[..],
                    &cat(&[&owner, &expires_at.to_be_bytes(), &offer])[..],
                )
                .map_err(backend)?;
            tx.open_table(DEVICE_PAIRINGS)
                .map_err(backend)?
                .insert(&owner[..], &id[..])
                .map_err(backend)?;
            tx.open_table(PAIRING_EXPIRY)
                .map_err(backend)?
                .insert(&cat(&[&expires_at.to_be_bytes(), &id])[..], &[][..])
                .map_err(backend)?;
            Ok(true)
        })
    }

    fn claim_pairing(
        &self,
        id: [u8; 32],
        device: DeviceId,
        token_hash: [u8; 32],
        now: u64,
    ) -> Result<Option<(AccountId, Vec<u8>)>, StoreError> {
        self.write(|tx| {
            let row = tx
                .open_table(PAIRINGS)
                .map_err(backend)?
                .get(&id[..])
                .map_err(backend)?
                .map(|r| r.value().to_vec());
            let Some(row) = row else {
                return Ok(None);
            };
            Self::drop_pairing(tx, &id)?;
            if u64_at(&row, 32)? <= now {
                return Ok(None);
            }
            let account: AccountId = array(&row, 0)?;
            Self::link_device(tx, &account, &device, &token_hash, now)?;
            Ok(Some((account, row[40..].to_vec())))
        })
    }

    fn push(
        &self,
        account: AccountId,
        items: &[PushItem],
        quota: u64,
        now: u64,
    ) -> Result<Vec<PushResult>, StoreError> {
        let (answer, result) = mpsc::sync_channel(1);
        let mut group = lock(&self.group);
        group.queue.push(WaitingPush {
            account,
            items: items.to_vec(),
            quota,
            now,
            answer,
        });
        loop {
            match result.try_recv() {
                Ok(answer) => return answer,
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err(StoreError::Backend(
                        "push was dropped before its commit".into(),
                    ));
                }
                Err(mpsc::TryRecvError::Empty) => {}
            }
            if group.committing {
                // Woken when that commit is done: by then this push is answered, or queued
                // for the next one.
                group = self
                    .committed
                    .wait(group)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            // Lead: commit everything queued so far in one transaction.
            group.committing = true;
            let batch = std::mem::take(&mut group.queue);
            drop(group);
            let leading = Leading(self);
            self.commit_pushes(batch);
            drop(leading);
            group = lock(&self.group);
        }
    }

    fn pull(
        &self,
        credential: Credential,
        since: u64,
        limit: usize,
    ) -> Result<PullResponse, StoreError> {
        let response = {
            let db = self.db();
            let tx = db.begin_read().map_err(backend)?;
            let changes = tx.open_table(CHANGES).map_err(backend)?;
            let items = tx.open_table(ITEMS).map_err(backend)?;
            let start = cat(&[&credential.account, &since.saturating_add(1).to_be_bytes()]);
            let end = cat(&[&credential.account, &u64::MAX.to_be_bytes()]);
            let mut out = PullResponse {
                items: Vec::new(),
                cursor: since,
                more: false,
            };
            let mut bytes = 0usize;
            for row in changes.range(&start[..]..=&end[..]).map_err(backend)? {
                if out.items.len() == limit || bytes >= super::PULL_PAGE_BYTES {
                    out.more = true;
                    break;
                }
                let (k, v) = row.map_err(backend)?;
                let rev = u64_at(k.value(), 16)?;
                let v = v.value();
                let store = v
                    .first()
                    .and_then(|t| SyncedStore::from_tag(*t))
                    .ok_or(StoreError::Corrupt("change row"))?;
                let key = RecordId::from_bytes(array(v, 1)?);
                let item_row = items
                    .get(&item_key(&credential.account, store, &key)[..])
                    .map_err(backend)?
                    .ok_or(StoreError::Corrupt("change without item"))?;
                bytes += item_row.value().len();
                out.items.push(decode_item(store, key, item_row.value())?);
                out.cursor = rev;
            }
            out
        };
        Ok(response)
    }

    fn seen(&self, credential: Credential, pulled: u64, now: u64) -> Result<(), StoreError> {
        // At most one write per device a minute, unless the device pulled further.
        let k = cat(&[&credential.account, &credential.device]);
        let stale = {
            let db = self.db();
            let tx = db.begin_read().map_err(backend)?;
            let devices = tx.open_table(DEVICES).map_err(backend)?;
            let row = devices.get(&k[..]).map_err(backend)?;
            match row {
                Some(v) => {
                    let v = v.value();
                    u64_at(v, 8)? + 60 <= now || u64_at(v, 48).unwrap_or(0) < pulled
                }
                None => false,
            }
        };
        if stale {
            self.write(|tx| {
                let mut devices = tx.open_table(DEVICES).map_err(backend)?;
                let row = devices
                    .get(&k[..])
                    .map_err(backend)?
                    .map(|v| v.value().to_vec());
                if let Some(mut row) = row
                    && row.len() >= 48
                {
                    let before = u64_at(&row, 48).unwrap_or(0);
                    row.truncate(48);
                    row[8..16].copy_from_slice(&now.to_be_bytes());
                    row.extend_from_slice(&before.max(pulled).to_be_bytes());
                    devices.insert(&k[..], &row[..]).map_err(backend)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    fn sweep(&self, now: u64, tombstones_before: u64) -> Result<Swept, StoreError> {
        self.write(|tx| {
            let mut swept = Swept::default();
            let expired: Vec<[u8; 32]> = {
                let table = tx.open_table(PAIRING_EXPIRY).map_err(backend)?;
                let end = cat(&[&now.to_be_bytes(), &[0xff; 32]]);
                let mut ids = Vec::new();
                for row in table.range(..=&end[..]).map_err(backend)? {
                    let (k, _) = row.map_err(backend)?;
                    ids.push(array(k.value(), 8)?);
                }
                ids
            };
            for id in expired {
                Self::drop_pairing(tx, &id)?;
                swept.pairings += 1;
            }
            // Tombstones: account by account, oldest first.
            let mut doomed: Vec<(AccountId, Vec<u8>)> = Vec::new();
            {
                let tombstones = tx.open_table(TOMBSTONES).map_err(backend)?;
                let devices = tx.open_table(DEVICES).map_err(backend)?;
                let mut horizon: Option<(AccountId, u64)> = None;
                for row in tombstones.iter().map_err(backend)? {
                    let (k, v) = row.map_err(backend)?;
                    let (k, v) = (k.value(), v.value());
                    let account: AccountId = array(k, 0)?;
                    let rev = u64_at(k, 16)?;
                    let pulled_by_all = match horizon {
                        Some((a, h)) if a == account => h,
                        _ => {
                            let start = cat(&[&account, &[0; 16]]);
                            let end = cat(&[&account, &[0xff; 16]]);
                            let mut h = u64::MAX;
                            for d in devices.range(&start[..]..=&end[..]).map_err(backend)? {
                                let (_, dv) = d.map_err(backend)?;
                                h = h.min(u64_at(dv.value(), 48).unwrap_or(0));
                            }
                            horizon = Some((account, h));
                            h
                        }
                    };
                    let deleted_at = u64_at(v, 17)?;
                    if rev <= pulled_by_all || deleted_at <= tombstones_before {
                        doomed.push((account, cat(&[k, v])));
                    }
                }
            }
            let mut items = tx.open_table(ITEMS).map_err(backend)?;
            let mut changes = tx.open_table(CHANGES).map_err(backend)?;
            let mut tombstones = tx.open_table(TOMBSTONES).map_err(backend)?;
            let mut freed: Vec<(AccountId, u64)> = Vec::new();
            for (account, row) in &doomed {
                let (key, value) = row.split_at(24);
                tombstones.remove(key).map_err(backend)?;
                changes.remove(key).map_err(backend)?;
                let item = cat(&[account, &value[..17]]);
                let still_this = items
                    .get(&item[..])
                    .map_err(backend)?
                    .is_some_and(|v| v.value().get(..8) == Some(&key[16..24]));
                if still_this {
                    items.remove(&item[..]).map_err(backend)?;
                }
                match freed.last_mut() {
                    Some((a, n)) if a == account => *n += TOMBSTONE_BYTES,
                    _ => freed.push((*account, TOMBSTONE_BYTES)),
                }
                swept.tombstones += 1;
            }
            drop((items, changes, tombstones));
            for (account, bytes) in freed {
                Self::give_back(tx, &account, bytes)?;
            }
            Ok(swept)
        })
    }

    fn compact(&self) -> Result<Option<u64>, StoreError> {
        {
            let mut db = self.db.write().unwrap_or_else(PoisonError::into_inner);
            // Each call moves data towards the start of the file; a few rounds reach the end.
            for _ in 0..8 {
                if !db.compact().map_err(backend)? {
                    break;
                }
            }
        }
        let size = std::fs::metadata(&self.path)
            .map_err(|e| StoreError::Backend(format!("{}: {e}", self.path.display())))?
            .len();
        Ok(Some(size))
    }

    fn usage(&self, account: AccountId) -> Result<u64, StoreError> {
        let db = self.db();
        let tx = db.begin_read().map_err(backend)?;
        let table = tx.open_table(ACCOUNTS).map_err(backend)?;
        match table.get(&account[..]).map_err(backend)? {
            Some(v) => u64_at(v.value(), 8),
            None => Ok(0),
        }
    }

    fn put_share(
        &self,
        account: AccountId,
        share: NewShare,
        quota: u64,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            let mut shares = tx.open_table(SHARES).map_err(backend)?;
            if shares.get(&share.id[..]).map_err(backend)?.is_some() {
                return Ok(false);
            }
            let (seq, used, created) = Self::account_row(tx, &account)?;
            let used = used + share.data.len() as u64;
            if used > quota {
                return Err(StoreError::Quota);
            }
            let row = ShareRow {
                account,
                created: share.created,
                expires_at: share.expires_at,
                state: SHARE_ACTIVE,
                failures: 0,
                pin: share.pin,
            };
            shares
                .insert(&share.id[..], &row.encode()[..])
                .map_err(backend)?;
            tx.open_table(SHARE_DATA)
                .map_err(backend)?
                .insert(&share.id[..], &share.data[..])
                .map_err(backend)?;
            tx.open_table(ACCOUNT_SHARES)
                .map_err(backend)?
                .insert(&cat(&[&account, &share.id])[..], &[][..])
                .map_err(backend)?;
            drop(shares);
            Self::put_account_row(tx, &account, (seq, used, created))?;
            Ok(true)
        })
    }

    fn open_share(
        &self,
        id: [u8; 16],
        pin: Option<&str>,
        now: u64,
    ) -> Result<ShareLookup, StoreError> {
        // The PIN is checked outside the write transaction (Argon2id takes milliseconds, and
        // redb has one writer); the transaction then counts a wrong PIN on the row as it is.
        let stored_pin = {
            let db = self.db();
            let tx = db.begin_read().map_err(backend)?;
            let shares = tx.open_table(SHARES).map_err(backend)?;
            match shares.get(&id[..]).map_err(backend)? {
                Some(v) => ShareRow::decode(v.value())?.pin,
                None => return Ok(ShareLookup::Missing),
            }
        };
        let verdict = match (&stored_pin, pin) {
            (Some(hash), Some(p)) => Some(hash.verify(p)?),
            _ => None,
        };
        // A right PIN under the old hash is hashed again with Argon2id.
        let upgrade = match (&stored_pin, pin, verdict) {
            (Some(h), Some(p), Some(true)) if h.kind != PinHashKind::Argon2id => {
                Some(PinHash::new(p)?)
            }
            _ => None,
        };
        self.write(|tx| {
            let mut shares = tx.open_table(SHARES).map_err(backend)?;
            let Some(mut row) = shares
                .get(&id[..])
                .map_err(backend)?
                .map(|v| ShareRow::decode(v.value()))
                .transpose()?
            else {
                return Ok(ShareLookup::Missing);
            };
            match row.state {
                SHARE_REVOKED => return Ok(ShareLookup::Revoked),
                SHARE_EXPIRED => return Ok(ShareLookup::Expired),
                SHARE_LOCKED => return Ok(ShareLookup::Locked),
                _ => {}
            }
            let lookup = if now >= row.expires_at {
                row.state = SHARE_EXPIRED;
                ShareLookup::Expired
            } else if row.pin.is_some() {
                match verdict {
                    None => return Ok(ShareLookup::PinRequired),
                    Some(true) => {
                        if let Some(new) = upgrade {
                            row.pin = Some(new);
                        }
                        ShareLookup::Open {
                            data: Vec::new(),
                            expires_at: row.expires_at,
                        }
                    }
                    Some(false) => {
                        row.failures = row.failures.saturating_add(1);
                        if row.failures >= PIN_ATTEMPTS {
                            row.state = SHARE_LOCKED;
                            ShareLookup::Locked
                        } else {
                            ShareLookup::PinWrong {
                                left: PIN_ATTEMPTS - row.failures,
                            }
                        }
                    }
                }
            } else {
                ShareLookup::Open {
                    data: Vec::new(),
                    expires_at: row.expires_at,
                }
            };
            shares.insert(&id[..], &row.encode()[..]).map_err(backend)?;
            drop(shares);
            let data_table = tx.open_table(SHARE_DATA).map_err(backend)?;
            match lookup {
                ShareLookup::Open { expires_at, .. } => {
                    let data = data_table
                        .get(&id[..])
                        .map_err(backend)?
                        .map(|v| v.value().to_vec())
                        .ok_or(StoreError::Corrupt("share without data"))?;
                    Ok(ShareLookup::Open { data, expires_at })
                }
                ShareLookup::Expired | ShareLookup::Locked => {
                    drop(data_table);
                    Self::drop_share_data(tx, &row.account, &id)?;
                    Ok(lookup)
                }
                other => Ok(other),
            }
        })
    }

    fn revoke_share(&self, account: AccountId, id: [u8; 16]) -> Result<bool, StoreError> {
        self.write(|tx| {
            let mut shares = tx.open_table(SHARES).map_err(backend)?;
            let Some(mut row) = shares
                .get(&id[..])
                .map_err(backend)?
                .map(|v| ShareRow::decode(v.value()))
                .transpose()?
            else {
                return Ok(false);
            };
            if row.account != account {
                return Ok(false);
            }
            row.state = SHARE_REVOKED;
            shares.insert(&id[..], &row.encode()[..]).map_err(backend)?;
            drop(shares);
            Self::drop_share_data(tx, &account, &id)?;
            Ok(true)
        })
    }

    fn shares(&self, account: AccountId) -> Result<Vec<ShareInfo>, StoreError> {
        let db = self.db();
        let tx = db.begin_read().map_err(backend)?;
        let index = tx.open_table(ACCOUNT_SHARES).map_err(backend)?;
        let shares = tx.open_table(SHARES).map_err(backend)?;
        let start = cat(&[&account, &[0; 16]]);
        let end = cat(&[&account, &[0xff; 16]]);
        let mut out = Vec::new();
        for row in index.range(&start[..]..=&end[..]).map_err(backend)? {
            let (k, _) = row.map_err(backend)?;
            let id: [u8; 16] = array(k.value(), 16)?;
            let Some(v) = shares.get(&id[..]).map_err(backend)? else {
                continue;
            };
            let share = ShareRow::decode(v.value())?;
            out.push(ShareInfo {
                id: hex::encode(id),
                created: share.created,
                expires_at: share.expires_at,
                revoked: share.state == SHARE_REVOKED,
                pin: share.pin.is_some(),
            });
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.created));
        Ok(out)
    }

    fn reads_inline(&self) -> bool {
        // redb reads are MVCC snapshots of a local file: they never wait on a writer.
        true
    }

    fn delete_account(&self, account: AccountId) -> Result<(), StoreError> {
        fn remove_range(
            tx: &WriteTransaction,
            table: Table,
            start: &[u8],
            end: &[u8],
        ) -> Result<Vec<Row>, StoreError> {
            let mut t = tx.open_table(table).map_err(backend)?;
            let mut removed = Vec::new();
            for row in t
                .extract_from_if(start..=end, |_, _| true)
                .map_err(backend)?
            {
                let (k, v) = row.map_err(backend)?;
                removed.push((k.value().to_vec(), v.value().to_vec()));
            }
            Ok(removed)
        }
        self.write(|tx| {
            let (lo, hi) = ([0u8; 17], [0xffu8; 17]);
            let prefix = |tail: &[u8]| cat(&[&account, tail]);
            for (_, id) in
                remove_range(tx, DEVICE_PAIRINGS, &prefix(&lo[..16]), &prefix(&hi[..16]))?
            {
                Self::drop_pairing(tx, &array(&id, 0)?)?;
            }
            for (_, row) in remove_range(tx, DEVICES, &prefix(&lo[..16]), &prefix(&hi[..16]))? {
                let hash: [u8; 32] = array(&row, 16)?;
                tx.open_table(TOKENS)
                    .map_err(backend)?
                    .remove(&hash[..])
                    .map_err(backend)?;
            }
            remove_range(tx, ITEMS, &prefix(&lo), &prefix(&hi))?;
            remove_range(tx, CHANGES, &prefix(&lo[..8]), &prefix(&hi[..8]))?;
            remove_range(tx, TOMBSTONES, &prefix(&lo[..8]), &prefix(&hi[..8]))?;
            for (key, _) in
                remove_range(tx, ACCOUNT_SHARES, &prefix(&lo[..16]), &prefix(&hi[..16]))?
            {
                let id: [u8; 16] = array(&key, 16)?;
                for table in [SHARES, SHARE_DATA] {
                    tx.open_table(table)
                        .map_err(backend)?
                        .remove(&id[..])
                        .map_err(backend)?;
                }
            }
            tx.open_table(ACCOUNTS)
                .map_err(backend)?
                .remove(&account[..])
                .map_err(backend)?;
            Ok(())
        })
    }
}
