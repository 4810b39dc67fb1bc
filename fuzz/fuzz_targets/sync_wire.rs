//! Sync wire messages the relay and the devices exchange, and the device state fed with them.
#![no_main]

use domain::share::ShareUpload;
use domain::sync::{PairingOffer, PullResponse, PushRequest, PushResponse, SyncState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<PushRequest>(data);
    let _ = serde_json::from_slice::<PushResponse>(data);
    let _ = serde_json::from_slice::<PairingOffer>(data);
    let _ = serde_json::from_slice::<ShareUpload>(data);
    if let Ok(page) = serde_json::from_slice::<PullResponse>(data) {
        let mut state = SyncState::default();
        let outcome = state.apply_pull(&[], &page);
        let _ = state.changes(&[]);
        drop(outcome);
    }
});
