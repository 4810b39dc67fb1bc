//! IndexedDB glue: moves opaque bytes between the domain and the browser's database.
//!
//! Stores: `meta` (the keyring, which holds no secret in the clear), `records` (sealed records),
//! `keys` (wrapped per-contact keys) and `audio` (sealed recordings, read only when played). Nothing here sees plaintext: the domain seals before
//! and opens after.

use std::cell::RefCell;
use std::rc::Rc;

use domain::crypto::Keyring;
use domain::record::{Store, Write};
use domain::workspace::StoredEntry;
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

/// Database name.
pub const DB_NAME: &str = "zorgvuldig";
const DB_VERSION: u32 = 2;
const META: &str = "meta";
const KEYRING_KEY: &str = "keyring";

/// A storage failure.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StorageError {
    /// The browser's database refused or failed an operation.
    #[error("IndexedDB: {0}")]
    Idb(String),
    /// A write transaction did not commit; nothing of it was stored.
    #[error("de wijziging werd niet bewaard (transactie afgebroken)")]
    Aborted,
    /// The stored keyring cannot be read. It is left as it is.
    #[error("de sleutelbos op dit toestel is beschadigd: {0}")]
    BadKeyring(String),
    /// A keyring already exists (another tab created one).
    #[error("er bestaat al een werkruimte op dit toestel")]
    KeyringExists,
}

impl From<idb::Error> for StorageError {
    fn from(err: idb::Error) -> Self {
        Self::Idb(err.to_string())
    }
}

thread_local! {
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
}

async fn db() -> Result<Rc<Database>, StorageError> {
    if let Some(db) = DB.with_borrow(Clone::clone) {
        return Ok(db);
    }
    let factory = Factory::new()?;
    let mut request = factory.open(DB_NAME, Some(DB_VERSION))?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database() {
            let existing = db.store_names();
            for name in [
                META,
                Store::Records.name(),
                Store::Keys.name(),
                Store::Audio.name(),
            ] {
                if !existing.iter().any(|n| n == name) {
                    // A failure here surfaces as a missing store on first use.
                    let _ = db.create_object_store(name, ObjectStoreParams::new());
                }
            }
        }
    });
    let mut db = request.await?;
    // Another tab deletes everything (or upgrades): let go of the database so it can, and
    // start this tab over, since what it shows is gone.
    db.on_version_change(|event| {
        // This very connection (two opens can race at start, so it may not be the kept one).
        if let Some(own) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbDatabase>().ok())
        {
            own.close();
        }
        if let Some(db) = DB.with_borrow_mut(Option::take) {
            db.close();
        }
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    // Two first uses can race (the unlock page and the template refresh): keep one connection.
    if let Some(kept) = DB.with_borrow(Clone::clone) {
        db.close();
        return Ok(kept);
    }
    let db = Rc::new(db);
    DB.set(Some(db.clone()));
    Ok(db)
}

/// Deletes this device's whole database: keyring, records, keys, recordings and device state.
/// Model files (Cache Storage) are not personal data and stay.
///
/// # Errors
/// [`StorageError::Idb`] when the browser refuses (for example while another tab holds the
/// database open).
pub async fn delete_everything() -> Result<(), StorageError> {
    if let Some(db) = DB.with_borrow_mut(Option::take) {
        db.close();
    }
    Factory::new()?.delete(DB_NAME)?.await?;
    Ok(())
}

/// The stored keyring, if this device has a workspace.
///
/// # Errors
/// [`StorageError::BadKeyring`] when it exists but cannot be parsed (it is not touched).
pub async fn keyring() -> Result<Option<Keyring>, StorageError> {
    let db = db().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadOnly)?;
    let value = tx
        .object_store(META)?
        .get(JsValue::from_str(KEYRING_KEY))?
        .await?;
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value
        .as_string()
        .ok_or_else(|| StorageError::BadKeyring("geen tekst".into()))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StorageError::BadKeyring(e.to_string()))
}

/// Stores a new keyring. Never overwrites: if one exists, fails with
/// [`StorageError::KeyringExists`].
///
/// # Errors
/// As above, or a database failure.
pub async fn create_keyring(keyring: &Keyring) -> Result<(), StorageError> {
    let json = serde_json::to_string(keyring).map_err(|e| StorageError::Idb(e.to_string()))?;
    let db = db().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    let store = tx.object_store(META)?;
    if store.get(JsValue::from_str(KEYRING_KEY))?.await?.is_some() {
        return Err(StorageError::KeyringExists);
    }
    store.add(
        &JsValue::from_str(&json),
        Some(&JsValue::from_str(KEYRING_KEY)),
    )?;
    commit(tx).await
}

/// Every entry of the `records` and `keys` stores.
///
/// # Errors
/// A database failure.
pub async fn load_all() -> Result<Vec<StoredEntry>, StorageError> {
    let db = db().await?;
    let names = [Store::Records.name(), Store::Keys.name()];
    let tx = db.transaction(&names, TransactionMode::ReadOnly)?;
    let mut entries = Vec::new();
    for store in [Store::Records, Store::Keys] {
        let os = tx.object_store(store.name())?;
        let keys = os.get_all_keys(None, None)?.await?;
        let values = os.get_all(None, None)?.await?;
        for (key, value) in keys.into_iter().zip(values) {
            entries.push(StoredEntry {
                store,
                key: key.as_string().unwrap_or_default(),
                bytes: bytes_of(&value),
            });
        }
    }
    Ok(entries)
}

/// One sealed value, if stored.
///
/// # Errors
/// A database failure.
pub async fn read(store: Store, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
    let db = db().await?;
    let tx = db.transaction(&[store.name()], TransactionMode::ReadOnly)?;
    let value = tx
        .object_store(store.name())?
        .get(JsValue::from_str(key))?
        .await?;
    Ok(value.as_ref().map(bytes_of))
}

/// Bytes of a stored value. Anything that is not bytes (a damaged or foreign record) yields
/// its text form, which the domain then reports as unreadable without touching it.
fn bytes_of(value: &JsValue) -> Vec<u8> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        array.to_vec()
    } else if let Some(text) = value.as_string() {
        text.into_bytes()
    } else {
        Vec::new()
    }
}

/// Applies `writes` in one transaction: all of them are stored, or none.
///
/// # Errors
/// [`StorageError::Aborted`] or a database failure; nothing was stored then.
pub async fn write(writes: &[Write]) -> Result<(), StorageError> {
    if writes.is_empty() {
        return Ok(());
    }
    let tx = write_transaction(writes).await?;
    put_all(&tx, writes)?;
    commit(tx).await
}

/// A read-write transaction over the stores `writes` touch.
async fn write_transaction(writes: &[Write]) -> Result<idb::Transaction, StorageError> {
    let db = db().await?;
    let mut names: Vec<&str> = writes.iter().map(|w| w.store.name()).collect();
    domain::order::sort(&mut names);
    names.dedup();
    Ok(db.transaction(&names, TransactionMode::ReadWrite)?)
}

/// Queues every write in `tx`.
fn put_all(tx: &idb::Transaction, writes: &[Write]) -> Result<(), StorageError> {
    for w in writes {
        let store = tx.object_store(w.store.name())?;
        let key = JsValue::from_str(&w.key);
        match &w.value {
            Some(bytes) => {
                store.put(&Uint8Array::from(bytes.as_slice()).into(), Some(&key))?;
            }
            None => {
                store.delete(key)?;
            }
        }
    }
    Ok(())
}

/// Applies `writes` in one transaction if every key they write still holds what `seen` holds
/// for it (compare-and-set, see [`casework::sync::LocalStore::write_if_unchanged`]): `false`,
/// with nothing stored, when the worker saved one of them meanwhile.
///
/// # Errors
/// [`StorageError::Aborted`] or a database failure; nothing was stored then.
pub async fn write_if_unchanged(
    writes: &[Write],
    seen: &[StoredEntry],
) -> Result<bool, StorageError> {
    if writes.is_empty() {
        return Ok(true);
    }
    let tx = write_transaction(writes).await?;
    for w in writes {
        let now = tx
            .object_store(w.store.name())?
            .get(JsValue::from_str(&w.key))?
            .await?
            .map(|value| bytes_of(&value));
        if now.as_deref() != casework::sync::seen_value(seen, w) {
            tx.abort()?;
            return Ok(false);
        }
    }
    put_all(&tx, writes)?;
    commit(tx).await.map(|()| true)
}

async fn commit(tx: idb::Transaction) -> Result<(), StorageError> {
    if tx.commit()?.await?.is_committed() {
        Ok(())
    } else {
        Err(StorageError::Aborted)
    }
}

/// A device-local value of the `meta` store (never synced), as bytes.
///
/// # Errors
/// A database failure.
pub async fn read_meta(key: &str) -> Result<Option<Vec<u8>>, StorageError> {
    let db = db().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadOnly)?;
    let value = tx.object_store(META)?.get(JsValue::from_str(key))?.await?;
    Ok(value.as_ref().map(bytes_of))
}

/// Stores a device-local value in the `meta` store.
///
/// # Errors
/// A database failure; nothing was stored then.
pub async fn write_meta(key: &str, bytes: &[u8]) -> Result<(), StorageError> {
    let db = db().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    tx.object_store(META)?.put(
        &Uint8Array::from(bytes).into(),
        Some(&JsValue::from_str(key)),
    )?;
    commit(tx).await
}

/// This browser's device id for the audit log: random, made on first use, not secret.
///
/// # Errors
/// A database failure.
pub async fn device_id() -> Result<String, StorageError> {
    const KEY: &str = "device";
    let db = db().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    let store = tx.object_store(META)?;
    if let Some(existing) = store
        .get(JsValue::from_str(KEY))?
        .await?
        .and_then(|v| v.as_string())
    {
        return Ok(existing);
    }
    let id = domain::RecordId::random()
        .map_err(|e| StorageError::Idb(e.to_string()))?
        .to_string()[..8]
        .to_owned();
    store.put(&JsValue::from_str(&id), Some(&JsValue::from_str(KEY)))?;
    commit(tx).await?;
    Ok(id)
}
