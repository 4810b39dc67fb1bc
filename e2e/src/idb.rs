//! Raw IndexedDB access from the test, bypassing the app.

use anyhow::Context;
use fantoccini::Client;

const DUMP: &str = r#"
const done = arguments[arguments.length - 1];
const req = indexedDB.open("zorgvuldig");
req.onerror = () => done({ error: String(req.error) });
req.onsuccess = () => {
  const db = req.result;
  const names = Array.from(db.objectStoreNames);
  const out = [];
  if (names.length === 0) { db.close(); done(out); return; }
  const tx = db.transaction(names, "readonly");
  for (const name of names) {
    const keys = tx.objectStore(name).getAllKeys();
    const values = tx.objectStore(name).getAll();
    values.onsuccess = () => {
      values.result.forEach((v, i) => {
        let latin1 = "", utf8 = "";
        if (v instanceof Uint8Array) {
          latin1 = Array.from(v, (b) => String.fromCharCode(b)).join("");
          utf8 = new TextDecoder().decode(v);
        } else {
          latin1 = utf8 = typeof v === "string" ? v : JSON.stringify(v);
        }
        out.push({ store: name, key: String(keys.result[i]), latin1, utf8 });
      });
    };
  }
  tx.oncomplete = () => { db.close(); done(out); };
};
"#;

/// One raw stored value, decoded both as Latin-1 and as UTF-8 text.
#[derive(Debug, Clone)]
pub struct RawValue {
    /// Object store.
    pub store: String,
    /// Key.
    pub key: String,
    /// Bytes read as Latin-1.
    pub latin1: String,
    /// Bytes read as UTF-8 (lossy).
    pub utf8: String,
}

/// Every value in every object store of the app's database.
///
/// # Errors
/// When the script fails.
pub async fn dump(c: &Client) -> anyhow::Result<Vec<RawValue>> {
    let value = c.execute_async(DUMP, vec![]).await?;
    let rows = value
        .as_array()
        .with_context(|| format!("IndexedDB dump failed: {value}"))?;
    Ok(rows
        .iter()
        .map(|r| RawValue {
            store: r["store"].as_str().unwrap_or_default().to_owned(),
            key: r["key"].as_str().unwrap_or_default().to_owned(),
            latin1: r["latin1"].as_str().unwrap_or_default().to_owned(),
            utf8: r["utf8"].as_str().unwrap_or_default().to_owned(),
        })
        .collect())
}

/// Puts raw `bytes` under `key` in `store`, as a damaged or foreign record would be.
///
/// # Errors
/// When the script fails.
pub async fn put_raw(c: &Client, store: &str, key: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let script = r#"
const [store, key, bytes, done] = arguments;
const req = indexedDB.open("zorgvuldig");
req.onsuccess = () => {
  const db = req.result;
  const tx = db.transaction([store], "readwrite");
  tx.objectStore(store).put(new Uint8Array(bytes), key);
  tx.oncomplete = () => { db.close(); done(true); };
  tx.onerror = () => done(String(tx.error));
};
req.onerror = () => done(String(req.error));
"#;
    let result = c
        .execute_async(
            script,
            vec![store.into(), key.into(), serde_json::json!(bytes)],
        )
        .await?;
    anyhow::ensure!(
        result == serde_json::Value::Bool(true),
        "raw put failed: {result}"
    );
    Ok(())
}
