//! The PostgreSQL backend, for deployments with more than one relay instance.
//!
//! Every relay instance connects to the same database and keeps no other state (rate limits
//! aside, which are per instance), so instances can run side by side behind a load balancer.
//! Pushes of one account serialise on a row lock of that account (`SELECT … FOR UPDATE`), which
//! keeps its revision sequence gap-free and its quota exact; different accounts never wait for
//! each other. Connections are plain TCP: run the database on the same host or a private
//! network, or put a TLS-terminating proxy in between.

use std::sync::Mutex;

use domain::RecordId;
use domain::share::ShareInfo;
use domain::sync::{
    DeviceInfo, Item, PullResponse, PushItem, PushOutcome, PushResult, SyncedStore,
};
use postgres::{Client, NoTls, Transaction};

use super::{
    AccountId, Credential, DeviceId, Ledger, NewShare, PIN_ATTEMPTS, PULL_PAGE_BYTES, PinHash,
    PinHashKind, RelayStore, ShareLookup, StoreError, Swept, TOMBSTONE_BYTES, Unlink,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS zv_accounts (
    id BYTEA PRIMARY KEY, seq BIGINT NOT NULL, used BIGINT NOT NULL, created BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS zv_devices (
    account BYTEA NOT NULL, device BYTEA NOT NULL, token_hash BYTEA NOT NULL UNIQUE,
    created BIGINT NOT NULL, last_seen BIGINT NOT NULL, PRIMARY KEY (account, device));
CREATE TABLE IF NOT EXISTS zv_items (
    account BYTEA NOT NULL, store SMALLINT NOT NULL, key BYTEA NOT NULL, rev BIGINT NOT NULL,
    data BYTEA, PRIMARY KEY (account, store, key));
CREATE INDEX IF NOT EXISTS zv_items_by_rev ON zv_items (account, rev);
CREATE TABLE IF NOT EXISTS zv_pairings (
    id BYTEA PRIMARY KEY, account BYTEA NOT NULL, expires BIGINT NOT NULL, offer BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS zv_shares (
    id BYTEA PRIMARY KEY, account BYTEA NOT NULL, created BIGINT NOT NULL,
    expires BIGINT NOT NULL, state SMALLINT NOT NULL, failures SMALLINT NOT NULL,
    pin_salt BYTEA, pin_hash BYTEA, data BYTEA);
CREATE INDEX IF NOT EXISTS zv_shares_by_account ON zv_shares (account);
ALTER TABLE zv_devices ADD COLUMN IF NOT EXISTS pulled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE zv_items ADD COLUMN IF NOT EXISTS deleted_at BIGINT;
UPDATE zv_items SET deleted_at = extract(epoch FROM now())::bigint
    WHERE data IS NULL AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS zv_items_tombstones ON zv_items (account) WHERE data IS NULL;
ALTER TABLE zv_pairings ADD COLUMN IF NOT EXISTS device BYTEA;
CREATE INDEX IF NOT EXISTS zv_pairings_by_expiry ON zv_pairings (expires);
CREATE INDEX IF NOT EXISTS zv_pairings_by_device ON zv_pairings (account, device);
ALTER TABLE zv_shares ADD COLUMN IF NOT EXISTS pin_kind SMALLINT NOT NULL DEFAULT 1;
";

/// The version [`SCHEMA`] brings a database to; raise it with every change to [`SCHEMA`].
///
/// A relay that finds its version already recorded runs no DDL at all: `ALTER TABLE` and
/// `CREATE INDEX` take table locks even when there is nothing to do, and a relay instance
/// starting next to one that holds a share's row lock would deadlock with it.
const SCHEMA_VERSION: i32 = 1;

/// Serialises schema changes across relay instances starting together.
const SCHEMA_LOCK: i64 = 0x7a76_7363;

/// Tries of one transaction that PostgreSQL aborted to break a deadlock or a serialisation
/// conflict; such a transaction changed nothing and is safe to run again.
const TRIES: usize = 3;

/// Serialises account creation (the count against the cap) across relay instances.
const ACCOUNT_CAP_LOCK: i64 = 0x7a76_6163;

const SHARE_REVOKED: i16 = 1;
const SHARE_EXPIRED: i16 = 2;
const SHARE_LOCKED: i16 = 3;

/// Connections kept open for reuse.
const POOL_SIZE: usize = 16;

fn db(e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    // `Display` of a server error is only "db error"; the code and message say what happened.
    let Some(d) = e.as_db_error() else {
        return StoreError::Backend(e.to_string());
    };
    let text = format!("{} ({})", d.message(), d.code().code());
    if *d.code() == SqlState::T_R_DEADLOCK_DETECTED
        || *d.code() == SqlState::T_R_SERIALIZATION_FAILURE
    {
        StoreError::Contention(text)
    } else {
        StoreError::Backend(text)
    }
}

fn i(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn u(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn fixed<const N: usize>(bytes: &[u8]) -> Result<[u8; N], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("id length"))
}

/// The PostgreSQL-backed store.
pub struct PostgresStore {
    url: String,
    idle: Mutex<Vec<Client>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password.
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to `url` (a libpq-style connection string) and creates the tables if needed.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the database cannot be reached or refuses the schema.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        // Relay instances starting together must not race on the schema.
        let mut tx = client.transaction().map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
            .map_err(db)?;
        let versioned: bool = tx
            .query_one("SELECT to_regclass('zv_schema') IS NOT NULL", &[])
            .map_err(db)?
            .get(0);
        let recorded: Option<i32> = if versioned {
            tx.query_one("SELECT max(version) FROM zv_schema", &[])
                .map_err(db)?
                .get(0)
        } else {
            None
        };
        if recorded.is_none_or(|v| v < SCHEMA_VERSION) {
            tx.batch_execute(SCHEMA).map_err(db)?;
            tx.batch_execute("CREATE TABLE IF NOT EXISTS zv_schema (version INTEGER NOT NULL)")
                .map_err(db)?;
            tx.execute("DELETE FROM zv_schema", &[]).map_err(db)?;
            tx.execute(
                "INSERT INTO zv_schema (version) VALUES ($1)",
                &[&SCHEMA_VERSION],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(Self {
            url: url.to_owned(),
            idle: Mutex::new(vec![client]),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut client = match pooled {
            Some(c) if !c.is_closed() => c,
            _ => Client::connect(&self.url, NoTls).map_err(db)?,
        };
        let result = f(&mut client);
        if !client.is_closed()
            && let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL_SIZE
        {
            idle.push(client);
        }
        result
    }

    /// Runs `f` in a transaction and commits it, running it again (up to [`TRIES`] times in
    /// all) when PostgreSQL aborts it to break a deadlock or a serialisation conflict.
    fn tx<T>(
        &self,
        mut f: impl FnMut(&mut Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tries = 1;
        loop {
            let result = self.with(|client| {
                let mut tx = client.transaction().map_err(db)?;
                let out = f(&mut tx)?;
                tx.commit().map_err(db)?;
                Ok(out)
            });
            match result {
                Err(StoreError::Contention(why)) if tries < TRIES => {
                    log::warn!("store: {why}; trying the transaction again");
                    tries += 1;
                }
                other => return other,
            }
        }
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // Each client owns a small runtime, which must not be dropped on an async thread (the
        // relay's last reference may go away on one).
        if let Ok(mut idle) = self.idle.lock() {
            let clients = std::mem::take(&mut *idle);
            let _ = std::thread::spawn(move || drop(clients)).join();
        }
    }
}

fn link_device(
    tx: &mut Transaction<'_>,
    account: &AccountId,
    device: &DeviceId,
    token_hash: &[u8; 32],
    now: u64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO zv_devices (account, device, token_hash, created, last_seen) \
         VALUES ($1, $2, $3, $4, $4)",
        &[&&account[..], &&device[..], &&token_hash[..], &i(now)],
    )
    .map_err(db)?;
    Ok(())
}

/// Deletes pairing offers matching `filter` (a condition on `zv_pairings` with `$1`) and gives
/// their bytes back to their accounts. Returns how many.
fn drop_pairings(
    tx: &mut Transaction<'_>,
    filter: &str,
    arg: &(dyn postgres::types::ToSql + Sync),
) -> Result<u64, StoreError> {
    let rows = tx
        .query(
            &format!("DELETE FROM zv_pairings WHERE {filter} RETURNING account, length(offer)"),
            &[arg],
        )
        .map_err(db)?;
    for r in &rows {
        let account: Vec<u8> = r.get(0);
        let len: i32 = r.get(1);
        adjust_used(tx, &account, -i64::from(len))?;
    }
    Ok(rows.len() as u64)
}

fn adjust_used(tx: &mut Transaction<'_>, account: &[u8], delta: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE zv_accounts SET used = GREATEST(used + $2, 0) WHERE id = $1",
        &[&account, &delta],
    )
    .map_err(db)?;
    Ok(())
}

impl RelayStore for PostgresStore {
    fn create_account(
        &self,
        account: AccountId,
        device: DeviceId,
        token_hash: [u8; 32],
        now: u64,
        max_accounts: u64,
    ) -> Result<bool, StoreError> {
        self.tx(|tx| {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&ACCOUNT_CAP_LOCK])
                .map_err(db)?;
            let count: i64 = tx
                .query_one("SELECT count(*) FROM zv_accounts", &[])
                .map_err(db)?
                .get(0);
            if u(count) >= max_accounts {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO zv_accounts (id, seq, used, created) VALUES ($1, 0, 0, $2)",
                &[&&account[..], &i(now)],
            )
            .map_err(db)?;
            link_device(tx, &account, &device, &token_hash, now)?;
            Ok(true)
        })
    }

    fn credential(&self, token_hash: &[u8; 32]) -> Result<Option<Credential>, StoreError> {
        self.with(|c| {
            let row = c
                .query_opt(
                    "SELECT account, device FROM zv_devices WHERE token_hash = $1",
                    &[&&token_hash[..]],
                )
                .map_err(db)?;
            row.map(|r| {
                Ok(Credential {
                    account: fixed(r.get::<_, &[u8]>(0))?,
                    device: fixed(r.get::<_, &[u8]>(1))?,
                })
            })
            .transpose()
        })
    }

    fn devices(&self, account: AccountId) -> Result<Vec<DeviceInfo>, StoreError> {
        self.with(|c| {
            c.query(
                "SELECT device, created, last_seen FROM zv_devices WHERE account = $1 \
                 ORDER BY device",
                &[&&account[..]],
            )
            .map_err(db)?
            .iter()
            .map(|r| {
                Ok(DeviceInfo {
                    device: hex::encode(r.get::<_, &[u8]>(0)),
                    created: u(r.get(1)),
                    last_seen: u(r.get(2)),
                    current: false,
                })
            })
            .collect()
        })
    }

    fn revoke_device(&self, account: AccountId, device: DeviceId) -> Result<Unlink, StoreError> {
        self.tx(|tx| {
            // The account's row lock keeps two devices from unlinking each other at once.
            tx.execute(
                "SELECT 1 FROM zv_accounts WHERE id = $1 FOR UPDATE",
                &[&&account[..]],
            )
            .map_err(db)?;
            let rows = tx
                .query(
                    "SELECT device FROM zv_devices WHERE account = $1",
                    &[&&account[..]],
                )
                .map_err(db)?;
            if !rows.iter().any(|r| r.get::<_, &[u8]>(0) == &device[..]) {
                return Ok(Unlink::Missing);
            }
            if rows.len() == 1 {
                return Ok(Unlink::LastDevice);
            }
            tx.execute(
                "DELETE FROM zv_devices WHERE account = $1 AND device = $2",
                &[&&account[..], &&device[..]],
            )
            .map_err(db)?;
            let owner = [&account[..], &device[..]].concat();
            drop_pairings(tx, "account || device = $1", &owner)?;
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
        self.tx(|tx| {
            let used = tx
                .query_one(
                    "SELECT used FROM zv_accounts WHERE id = $1 FOR UPDATE",
                    &[&&device.account[..]],
                )
                .map_err(db)?;
            let existing = tx
                .query_opt(
                    "SELECT account, device, expires FROM zv_pairings WHERE id = $1 FOR UPDATE",
                    &[&&id[..]],
                )
                .map_err(db)?;
            if let Some(row) = existing {
                let mine = row.get::<_, &[u8]>(0) == &device.account[..]
                    && row.get::<_, Option<&[u8]>>(1) == Some(&device.device[..]);
                if !mine && u(row.get(2)) > now {
                    return Ok(false);
                }
            }
            let mut freed = 0i64;
            for r in tx
                .query(
                    "DELETE FROM zv_pairings WHERE id = $1 OR (account = $2 AND device = $3) \
                     RETURNING account, length(offer)",
                    &[&&id[..], &&device.account[..], &&device.device[..]],
                )
                .map_err(db)?
            {
                let account: Vec<u8> = r.get(0);
                let len = i64::from(r.get::<_, i32>(1));
                if account == device.account {
                    freed += len;
                } else {
                    adjust_used(tx, &account, -len)?;
                }
            }
            let used = u(used.get(0)).saturating_sub(u64::try_from(freed).unwrap_or(0));
            if used + offer.len() as u64 > quota {
                return Err(StoreError::Quota);
            }
            let n = tx
                .execute(
                    "INSERT INTO zv_pairings (id, account, device, expires, offer) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                    &[
                        &&id[..],
                        &&device.account[..],
                        &&device.device[..],
                        &i(expires_at),
                        &offer,
                    ],
                )
                .map_err(db)?;
            if n == 0 {
                // Another instance filed this id in the meantime.
                return Ok(false);
            }
            tx.execute(
                "UPDATE zv_accounts SET used = $2 WHERE id = $1",
                &[&&device.account[..], &i(used + offer.len() as u64)],
            )
            .map_err(db)?;
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
        self.tx(|tx| {
            let Some(row) = tx
                .query_opt(
                    "DELETE FROM zv_pairings WHERE id = $1 RETURNING account, expires, offer",
                    &[&&id[..]],
                )
                .map_err(db)?
            else {
                return Ok(None);
            };
            let offer_len = row.get::<_, &[u8]>(2).len() as u64;
            adjust_used(tx, row.get::<_, &[u8]>(0), -i(offer_len))?;
            if u(row.get(1)) <= now {
                return Ok(None);
            }
            let account: AccountId = fixed(row.get::<_, &[u8]>(0))?;
            link_device(tx, &account, &device, &token_hash, now)?;
            Ok(Some((account, row.get::<_, Vec<u8>>(2))))
        })
    }

    fn push(
        &self,
        account: AccountId,
        items: &[PushItem],
        quota: u64,
        now: u64,
    ) -> Result<Vec<PushResult>, StoreError> {
        self.tx(|tx| {
            let row = tx
                .query_one(
                    "SELECT seq, used FROM zv_accounts WHERE id = $1 FOR UPDATE",
                    &[&&account[..]],
                )
                .map_err(db)?;
            let mut ledger = Ledger {
                seq: u(row.get(0)),
                used: u(row.get(1)),
                quota,
            };
            let mut results = Vec::with_capacity(items.len());
            for item in items {
                let tag = i16::from(item.store.tag());
                let current = tx
                    .query_opt(
                        "SELECT rev, data FROM zv_items WHERE account = $1 AND store = $2 \
                         AND key = $3",
                        &[&&account[..], &tag, &&item.key.as_bytes()[..]],
                    )
                    .map_err(db)?
                    .map(|r| Item {
                        store: item.store,
                        key: item.key,
                        rev: u(r.get(0)),
                        data: r.get(1),
                    });
                let seq = match ledger.admit(item, current)? {
                    Ok(rev) => rev,
                    Err(conflict) => {
                        results.push(conflict);
                        continue;
                    }
                };
                let deleted_at = item.data.is_none().then_some(i(now));
                tx.execute(
                    "INSERT INTO zv_items (account, store, key, rev, data, deleted_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (account, store, key) \
                     DO UPDATE SET rev = $4, data = $5, deleted_at = $6",
                    &[
                        &&account[..],
                        &tag,
                        &&item.key.as_bytes()[..],
                        &i(seq),
                        &item.data,
                        &deleted_at,
                    ],
                )
                .map_err(db)?;
                results.push(PushResult {
                    store: item.store,
                    key: item.key,
                    outcome: PushOutcome::Accepted { rev: seq },
                });
            }
            tx.execute(
                "UPDATE zv_accounts SET seq = $2, used = $3 WHERE id = $1",
                &[&&account[..], &i(ledger.seq), &i(ledger.used)],
            )
            .map_err(db)?;
            Ok(results)
        })
    }

    fn pull(
        &self,
        credential: Credential,
        since: u64,
        limit: usize,
    ) -> Result<PullResponse, StoreError> {
        self.with(|c| {
            let rows = c
                .query(
                    "SELECT store, key, rev, data FROM zv_items WHERE account = $1 AND rev > $2 \
                     ORDER BY rev LIMIT $3",
                    &[&&credential.account[..], &i(since), &i(limit as u64 + 1)],
                )
                .map_err(db)?;
            let mut out = PullResponse {
                items: Vec::new(),
                cursor: since,
                more: false,
            };
            let mut bytes = 0usize;
            for r in &rows {
                if out.items.len() == limit || bytes >= PULL_PAGE_BYTES {
                    out.more = true;
                    break;
                }
                let store = u8::try_from(r.get::<_, i16>(0))
                    .ok()
                    .and_then(SyncedStore::from_tag)
                    .ok_or(StoreError::Corrupt("store tag"))?;
                let data: Option<Vec<u8>> = r.get(3);
                bytes += data.as_ref().map_or(0, Vec::len);
                let rev = u(r.get(2));
                out.items.push(Item {
                    store,
                    key: RecordId::from_bytes(fixed(r.get::<_, &[u8]>(1))?),
                    rev,
                    data,
                });
                out.cursor = rev;
            }
            Ok(out)
        })
    }

    fn seen(&self, credential: Credential, pulled: u64, now: u64) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE zv_devices SET last_seen = $3, pulled = GREATEST(pulled, $4) \
                 WHERE account = $1 AND device = $2 AND (last_seen + 60 <= $3 OR pulled < $4)",
                &[
                    &&credential.account[..],
                    &&credential.device[..],
                    &i(now),
                    &i(pulled),
                ],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn sweep(&self, now: u64, tombstones_before: u64) -> Result<Swept, StoreError> {
        self.tx(|tx| {
            let pairings = drop_pairings(tx, "expires <= $1", &i(now))?;
            let rows = tx
                .query(
                    "DELETE FROM zv_items it WHERE data IS NULL AND (deleted_at <= $1 \
                     OR rev <= (SELECT COALESCE(min(pulled), 0) FROM zv_devices d \
                     WHERE d.account = it.account)) RETURNING account",
                    &[&i(tombstones_before)],
                )
                .map_err(db)?;
            let mut freed: std::collections::BTreeMap<Vec<u8>, u64> = Default::default();
            for r in &rows {
                *freed.entry(r.get(0)).or_default() += TOMBSTONE_BYTES;
            }
            for (account, bytes) in freed {
                adjust_used(tx, &account, -i(bytes))?;
            }
            Ok(Swept {
                pairings,
                tombstones: rows.len() as u64,
            })
        })
    }

    fn usage(&self, account: AccountId) -> Result<u64, StoreError> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT used FROM zv_accounts WHERE id = $1",
                &[&&account[..]],
            )
            .map_err(db)?
            .map_or(0, |r| u(r.get(0))))
        })
    }

    fn put_share(
        &self,
        account: AccountId,
        share: NewShare,
        quota: u64,
    ) -> Result<bool, StoreError> {
        self.tx(|tx| {
            let used = tx
                .query_one(
                    "SELECT used FROM zv_accounts WHERE id = $1 FOR UPDATE",
                    &[&&account[..]],
                )
                .map_err(db)?;
            if u(used.get(0)) + share.data.len() as u64 > quota {
                return Err(StoreError::Quota);
            }
            let (salt, hash, kind) = match &share.pin {
                Some(p) => (
                    Some(p.salt.to_vec()),
                    Some(p.hash.to_vec()),
                    i16::from(p.kind.tag()),
                ),
                None => (None, None, 0),
            };
            let n = tx
                .execute(
                    "INSERT INTO zv_shares (id, account, created, expires, state, failures, \
                     pin_salt, pin_hash, pin_kind, data) \
                     VALUES ($1, $2, $3, $4, 0, 0, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                    &[
                        &&share.id[..],
                        &&account[..],
                        &i(share.created),
                        &i(share.expires_at),
                        &salt,
                        &hash,
                        &kind,
                        &share.data,
                    ],
                )
                .map_err(db)?;
            if n == 1 {
                adjust_used(tx, &account, i(share.data.len() as u64))?;
            }
            Ok(n == 1)
        })
    }

    fn open_share(
        &self,
        id: [u8; 16],
        pin: Option<&str>,
        now: u64,
    ) -> Result<ShareLookup, StoreError> {
        self.tx(|tx| {
            let Some(row) = tx
                .query_opt(
                    "SELECT account, expires, state, failures, pin_salt, pin_hash, data, \
                     pin_kind FROM zv_shares WHERE id = $1 FOR UPDATE",
                    &[&&id[..]],
                )
                .map_err(db)?
            else {
                return Ok(ShareLookup::Missing);
            };
            let account: Vec<u8> = row.get(0);
            let expires = u(row.get(1));
            let data: Option<Vec<u8>> = row.get(6);
            let data_len = i(data.as_ref().map_or(0, Vec::len) as u64);
            match row.get::<_, i16>(2) {
                SHARE_REVOKED => return Ok(ShareLookup::Revoked),
                SHARE_EXPIRED => return Ok(ShareLookup::Expired),
                SHARE_LOCKED => return Ok(ShareLookup::Locked),
                _ => {}
            }
            let close = |tx: &mut Transaction<'_>, state: i16| -> Result<(), StoreError> {
                tx.execute(
                    "UPDATE zv_shares SET state = $2, data = NULL WHERE id = $1",
                    &[&&id[..], &state],
                )
                .map_err(db)?;
                adjust_used(tx, &account, -data_len)
            };
            if now >= expires {
                close(tx, SHARE_EXPIRED)?;
                return Ok(ShareLookup::Expired);
            }
            let salt: Option<Vec<u8>> = row.get(4);
            let hash: Option<Vec<u8>> = row.get(5);
            if let (Some(salt), Some(hash)) = (salt, hash) {
                let Some(pin) = pin else {
                    return Ok(ShareLookup::PinRequired);
                };
                let stored = PinHash {
                    salt: fixed(&salt)?,
                    hash: fixed(&hash)?,
                    kind: u8::try_from(row.get::<_, i16>(7))
                        .ok()
                        .and_then(PinHashKind::from_tag)
                        .ok_or(StoreError::Corrupt("share PIN kind"))?,
                };
                // Only this share's row is locked while Argon2id runs.
                if !stored.verify(pin)? {
                    let failures = row.get::<_, i16>(3).saturating_add(1);
                    if failures >= i16::from(PIN_ATTEMPTS) {
                        close(tx, SHARE_LOCKED)?;
                        return Ok(ShareLookup::Locked);
                    }
                    tx.execute(
                        "UPDATE zv_shares SET failures = $2 WHERE id = $1",
                        &[&&id[..], &failures],
                    )
                    .map_err(db)?;
                    return Ok(ShareLookup::PinWrong {
                        left: PIN_ATTEMPTS - u8::try_from(failures).unwrap_or(PIN_ATTEMPTS),
                    });
                }
                if stored.kind != PinHashKind::Argon2id {
                    let new = PinHash::new(pin)?;
                    tx.execute(
                        "UPDATE zv_shares SET pin_salt = $2, pin_hash = $3, pin_kind = $4 \
                         WHERE id = $1",
                        &[
                            &&id[..],
                            &&new.salt[..],
                            &&new.hash[..],
                            &i16::from(new.kind.tag()),
                        ],
                    )
                    .map_err(db)?;
                }
            }
            let data = data.ok_or(StoreError::Corrupt("share without data"))?;
            Ok(ShareLookup::Open {
                data,
                expires_at: expires,
            })
        })
    }

    fn revoke_share(&self, account: AccountId, id: [u8; 16]) -> Result<bool, StoreError> {
        self.tx(|tx| {
            let Some(row) = tx
                .query_opt(
                    "SELECT length(data) FROM zv_shares WHERE id = $1 AND account = $2 FOR UPDATE",
                    &[&&id[..], &&account[..]],
                )
                .map_err(db)?
            else {
                return Ok(false);
            };
            let len: Option<i32> = row.get(0);
            tx.execute(
                "UPDATE zv_shares SET state = $2, data = NULL WHERE id = $1",
                &[&&id[..], &SHARE_REVOKED],
            )
            .map_err(db)?;
            adjust_used(tx, &account, -i64::from(len.unwrap_or(0)))?;
            Ok(true)
        })
    }

    fn shares(&self, account: AccountId) -> Result<Vec<ShareInfo>, StoreError> {
        self.with(|c| {
            c.query(
                "SELECT id, created, expires, state, pin_hash IS NOT NULL FROM zv_shares \
                 WHERE account = $1 ORDER BY created DESC",
                &[&&account[..]],
            )
            .map_err(db)?
            .iter()
            .map(|r| {
                Ok(ShareInfo {
                    id: hex::encode(r.get::<_, &[u8]>(0)),
                    created: u(r.get(1)),
                    expires_at: u(r.get(2)),
                    revoked: r.get::<_, i16>(3) == SHARE_REVOKED,
                    pin: r.get(4),
                })
            })
            .collect()
        })
    }

    fn delete_account(&self, account: AccountId) -> Result<(), StoreError> {
        self.tx(|tx| {
            let id = &account[..];
            for sql in [
                "DELETE FROM zv_devices WHERE account = $1",
                "DELETE FROM zv_items WHERE account = $1",
                "DELETE FROM zv_pairings WHERE account = $1",
                "DELETE FROM zv_shares WHERE account = $1",
                "DELETE FROM zv_accounts WHERE id = $1",
            ] {
                tx.execute(sql, &[&id]).map_err(db)?;
            }
            Ok(())
        })
    }
}
