//! The notice of a new version of the app, installed beside the running one by the service
//! worker (`app/sw.js`, registered by `app/boot.js`).

use leptos::prelude::*;

use crate::recording::{Phase, use_recording};

/// The attribute on `<html>` by which the boot script says that a new version waits.
const WAITING_ATTRIBUTE: &str = "data-nieuwe-versie";
/// The window event that asks the boot script to switch to the waiting version and reload.
const SWITCH_EVENT: &str = "zorgvuldig-herladen";

/// Whether the boot script says that a new version waits (the app asks every few seconds).
pub fn waiting() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|html| html.has_attribute(WAITING_ATTRIBUTE))
}

/// "Nieuwe versie beschikbaar — herladen": the worker decides when; never during a recording
/// (the new version takes over only on this button, and the button waits for the recording).
#[component]
pub fn UpdateNotice(
    /// Whether a new version waits, kept by the app.
    available: RwSignal<bool>,
) -> impl IntoView {
    let recording = use_recording();
    let busy = move || recording.phase.get() != Phase::Idle;
    let reload = move |_| {
        if let (Some(window), Ok(event)) = (web_sys::window(), web_sys::Event::new(SWITCH_EVENT)) {
            let _ = window.dispatch_event(&event);
        }
    };
    move || {
        available.get().then(|| {
            view! {
                <aside class="card notice row" role="status" id="new-version">
                    <p>
                        "Nieuwe versie beschikbaar — herladen om ze te gebruiken."
                        {move || busy().then_some(" Dat kan na de opname.")}
                    </p>
                    <button type="button" class="secondary" id="reload-new-version" on:click=reload disabled=busy>
                        "Herladen"
                    </button>
                </aside>
            }
        })
    }
}
