//! How fast each speech model ran on this device: the real-time factor of the last long enough
//! live recording it transcribed here (not an uploaded file, which is decoded with beams), by
//! model name. Device-local (the `meta` store, never synced):
//! a number per model, nothing about a client or a conversation.

use std::collections::BTreeMap;

use domain::speech::real_time_factor;

use crate::storage;

/// The `meta` key.
const KEY: &str = "speech-speed";

/// Measured real-time factors by model name.
pub async fn measured() -> BTreeMap<String, f32> {
    storage::read_meta(KEY)
        .await
        .ok()
        .flatten()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Keeps what a finished recording says about `model` (its label: name and version).
pub async fn record(model: &str, compute_ms: u64, audio_ms: u64) {
    let (Some(name), Some(rtf)) = (
        model.split_whitespace().next(),
        real_time_factor(compute_ms, audio_ms),
    ) else {
        return;
    };
    let mut speeds = measured().await;
    speeds.insert(name.to_owned(), rtf);
    if let Ok(bytes) = serde_json::to_vec(&speeds) {
        // Only a figure for Instellingen: a failed write loses no work.
        let _ = storage::write_meta(KEY, &bytes).await;
    }
}
