//! Zorgvuldig in the browser: a Leptos single-page app, rendered on the client.
//!
//! The app holds no domain rules of its own: consent, dossiers, encryption and validation live in
//! the `domain` crate; this crate renders them, keeps the session and moves sealed bytes to and
//! from IndexedDB ([`storage`]).

mod app;
mod background_sync;
mod catalog;
mod clock;
mod components;
mod data_rights;
mod download;
mod export_worker;
mod key_worker;
mod messages;
mod notes;
mod one_shot;
mod pages;
mod pdf_fonts;
mod playback;
mod recorder;
mod recording;
mod relay_api;
mod report_actions;
mod session;
mod sharing;
mod speech;
mod speech_speed;
mod storage;
mod sync_client;
mod yield_now;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
