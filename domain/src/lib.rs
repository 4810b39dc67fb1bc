//! Zorgvuldig's domain: everything that decides what the product may do, in plain Rust.
//!
//! This crate builds and is tested natively; the browser app only moves bytes between it and
//! IndexedDB. It holds:
//!
//! - [`consent`]: the per-contact opt-in (yes/no and the moment, never a reason) and the
//!   [`consent::ProcessingPermit`] without which no recording or model run can start;
//! - [`dossier`] and [`contact`]: clients and the conversations with them;
//! - [`crypto`]: the key hierarchy (passphrase → workspace key → per-contact keys) and the
//!   authenticated record envelope;
//! - [`record`] and [`workspace`]: the encrypted record format and the decrypted in-memory view;
//! - [`report`]: drafts, review marks, validation and the AI-use disclosure;
//! - [`transcript`]: the segments reports point to, sealed with the contact's key;
//! - [`speech`]: the messages between the app and its speech worker, and the resumable,
//!   checked model download;
//! - [`sync`]: end-to-end-encrypted sync between a worker's devices (wire format, device state,
//!   pairing);
//! - [`share`]: share links through which a client reads their own validated report;
//! - [`audit`]: the append-only audit log of a dossier;
//! - [`archive`]: the open export format (JSON and WAV files with a schema version);
//! - [`kpi`]: the pilot's figures (time to a validated report, what happened to proposals,
//!   completeness, incidents);
//! - [`preferences`]: worker settings such as the auto-lock delay;
//! - [`wav`]: the one WAV writer (16-bit PCM, rounded), for recordings and test fixtures.

pub mod archive;
pub mod audit;
pub mod consent;
pub mod contact;
pub mod crypto;
pub mod dossier;
pub mod ids;
pub mod kpi;
pub mod preferences;
mod pretty_json;
pub mod record;
pub mod report;
pub mod search;
pub mod share;
pub mod speech;
pub mod sync;
pub mod transcript;
pub mod wav;
pub mod workspace;

/// Stable sorting that shares one sort in the browser bundle (see [`extract::order`]).
pub use extract::order;
pub use ids::{RecordId, Timestamp};
