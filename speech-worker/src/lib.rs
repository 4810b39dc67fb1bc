//! The speech worker: runs in a dedicated Web Worker so the page never blocks while the model
//! loads or transcribes.
//!
//! The page sends [`domain::speech::WorkerRequest`]s as JSON text and the recording as
//! `Float32Array` pieces (16 kHz mono); the worker answers with
//! [`domain::speech::WorkerEvent`]s. On `load` it takes the model from the device's Cache
//! Storage or downloads it from the relay (resuming with `Range` after a broken connection,
//! checking the SHA-256), keeps it cached for offline use, and loads it with
//! [`models::SpeechModel::load`]. Audio stays inside the browser: the worker fetches nothing
//! but the model file.
//!
//! Only the `wasm32` build holds the worker; natively the crate is empty.

#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(target_arch = "wasm32")]
mod worker;
