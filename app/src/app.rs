//! The root component: session, auto-lock and routes.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::top_bar::TopBar;
use crate::components::unreadable_notice::UnreadableNotice;
use crate::components::update_notice::UpdateNotice;
use crate::pages::consent_page::ConsentPage;
use crate::pages::contact_page::ContactPage;
use crate::pages::dossier_page::DossierPage;
use crate::pages::dossiers_page::DossiersPage;
use crate::pages::kpi_page::KpiPage;
use crate::pages::report_page::ReportPage;
use crate::pages::settings_page::SettingsPage;
use crate::pages::share_page::SharePage;
use crate::pages::unlock_page::UnlockPage;
use crate::session::provide_session_context;

/// The app.
#[component]
pub fn App() -> impl IntoView {
    // A client opening a share link gets only their report: no workspace, no session.
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    if path.starts_with("/s/") {
        return view! { <SharePage /> }.into_any();
    }
    let session = provide_session_context();
    let speech = crate::speech::provide_speech_context();
    let notes = crate::notes::provide_notes_context(session);
    let recording = crate::recording::provide_recording_context(session, speech);
    crate::background_sync::start(session);
    // New template versions: fetched once per page load, in the background.
    leptos::task::spawn_local(crate::catalog::refresh());
    let pointer = window_event_listener(ev::pointerdown, move |_| session.touch());
    let keys = window_event_listener(ev::keydown, move |_| session.touch());
    // Leaving or reloading the page while work is unsaved: write what can be written and let
    // the browser ask whether to leave.
    let leaving = window_event_listener(ev::beforeunload, move |ev| {
        let unsaved = notes.any_unsaved();
        if unsaved {
            notes.flush_all();
        }
        if unsaved || recording.phase.get_untracked() != crate::recording::Phase::Idle {
            ev.prevent_default();
            ev.set_return_value("Er is nog niet bewaard werk.");
        }
    });
    let new_version = RwSignal::new(false);
    let idle_check = set_interval_with_handle(
        move || {
            session.lock_if_idle();
            if !new_version.get_untracked() && crate::components::update_notice::waiting() {
                new_version.set(true);
            }
        },
        Duration::from_secs(5),
    )
    .ok();
    on_cleanup(move || {
        pointer.remove();
        keys.remove();
        leaving.remove();
        if let Some(handle) = idle_check {
            handle.clear();
        }
    });
    view! {
        <Router>
            <Show when=move || session.is_unlocked() fallback=|| view! { <UnlockPage /> }>
                <TopBar />
                <UnreadableNotice />
                <main class="page">
                    <UpdateNotice available=new_version />
                    <Routes fallback=|| view! { <p>"Deze pagina bestaat niet."</p> }>
                        <Route path=path!("/") view=DossiersPage />
                        <Route path=path!("/dossiers/:id") view=DossierPage />
                        <Route path=path!("/dossiers/:id/contact") view=ConsentPage />
                        <Route path=path!("/contacten/:id") view=ContactPage />
                        <Route path=path!("/verslagen/:id") view=ReportPage />
                        <Route path=path!("/instellingen") view=SettingsPage />
                        <Route path=path!("/pilot") view=KpiPage />
                    </Routes>
                </main>
            </Show>
        </Router>
    }
    .into_any()
}
