//! Browser end-to-end tests for Zorgvuldig: real Chromium, driven over WebDriver, against the
//! real relay over TLS serving the built app.
//!
//! - [`axe`]: WCAG 2.1 AA (and 2.2 target size) checks by axe-core on every screen a journey reaches;
//! - [`server`]: the relay, started in-process on port 0 with a fresh data directory;
//! - [`browser`]: ChromeDriver and a headless Chromium session with a fresh profile;
//! - [`page`]: finding, typing, waiting and screenshots;
//! - [`console`]: the browser console, checked for panics, runtime errors and CSP violations;
//! - [`keyboard`]: keyboard-only use (Tab, Enter, typing) with visible focus;
//! - [`cdp`]: DevTools commands through ChromeDriver (is the app installable?);
//! - [`idb`]: reading the raw IndexedDB contents the way an attacker with disk access would.

pub mod axe;
pub mod browser;
pub mod cdp;
pub mod console;
pub mod frames;
pub mod idb;
pub mod keyboard;
pub mod page;
pub mod server;

/// Runs a journey or bench on a multi-threaded Tokio runtime (the relay and WebDriver client
/// need one).
///
/// # Errors
/// When the runtime cannot start, or what `future` returns.
pub fn block_on<F: Future<Output = anyhow::Result<()>>>(future: F) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(future)
}
