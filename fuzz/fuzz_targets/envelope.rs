//! The record envelope, as read back from IndexedDB or pulled from the relay.
#![no_main]

use domain::RecordId;
use domain::crypto::{Envelope, SecretKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(env) = Envelope::parse(data) {
        // What parses writes back to the same bytes, and opening never panics.
        assert_eq!(
            Envelope::parse(&env.to_bytes()).ok().map(|e| e.to_bytes()),
            Some(env.to_bytes())
        );
        if let Ok(key) = SecretKey::generate() {
            let _ = env.open(&key, &RecordId::from_bytes([7; 16]));
        }
    }
});
