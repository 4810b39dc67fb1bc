//! Whatever IndexedDB hands back when unlocking: damaged records must be reported, never panic.
#![no_main]

use domain::crypto::SecretKey;
use domain::record::Store;
use domain::workspace::{StoredEntry, Workspace};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(key) = SecretKey::generate() else {
        return;
    };
    // Entries separated by 0xff 0x00; the first byte of each picks the store.
    let entries = data.split(|&b| b == 0xff).filter_map(|chunk| {
        let (&tag, bytes) = chunk.split_first()?;
        Some(StoredEntry {
            store: if tag % 2 == 0 {
                Store::Records
            } else {
                Store::Keys
            },
            key: format!("{:032x}", u128::from(tag)),
            bytes: bytes.to_vec(),
        })
    });
    let _ = Workspace::open(key, entries);
});
