//! Browser end-to-end tests for Zorgvuldig: real Chromium, driven over WebDriver, against the
//! real relay over TLS serving the built app.
//!
//! - [`server`]: the relay, started in-process on port 0 with a fresh data directory;
//! - [`browser`]: ChromeDriver and a headless Chromium session with a fresh profile;
//! - [`page`]: finding, typing, waiting and screenshots;
//! - [`idb`]: reading the raw IndexedDB contents the way an attacker with disk access would.

pub mod browser;
pub mod idb;
pub mod page;
pub mod server;
