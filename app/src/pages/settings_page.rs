//! Worker preferences.

use domain::preferences::{MAX_NAME_CHARS, Preferences, PreferencesError, Region};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::data_panel::DataPanel;
use crate::components::error_line::ErrorLine;
use crate::components::speech_model::SpeechModelPanel;
use crate::components::sync_panel::SyncPanel;
use crate::components::voice_profile::VoiceProfilePanel;
use crate::session::use_session;

/// The auto-lock delay, the worker's name and organisation (shown to clients), and sync
/// between the worker's devices.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let current = session
        .with(|ws| ws.preferences().clone())
        .unwrap_or_default();
    let minutes = RwSignal::new(current.auto_lock_minutes.to_string());
    let worker_name = RwSignal::new(current.worker_name);
    let organisation = RwSignal::new(current.organisation);
    let region = RwSignal::new(current.region);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let templates_status = crate::catalog::status();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Ok(value) = minutes.get_untracked().trim().parse::<u32>() else {
            error.set(Some("Geef een geheel aantal minuten.".into()));
            return;
        };
        let prefs = Preferences {
            auto_lock_minutes: value,
            worker_name: worker_name.get_untracked().trim().to_owned(),
            organisation: organisation.get_untracked().trim().to_owned(),
            region: region.get_untracked(),
            voice_profile: None,
            speech_model: None,
        };
        if prefs.validate() == Err(PreferencesError::BadName) {
            error.set(Some(format!(
                "Een naam is één regel van hoogstens {MAX_NAME_CHARS} tekens."
            )));
            return;
        }
        spawn_local(async move {
            // The voice profile and the speech model are chosen in their own cards: the form
            // keeps them as they are when this is written.
            let staged = session.save(|ws| {
                ws.stage_preferences(Preferences {
                    voice_profile: ws.preferences().voice_profile.clone(),
                    speech_model: ws.preferences().speech_model.clone(),
                    ..prefs
                })
            });
            match staged.await {
                Ok(_) => {
                    error.set(None);
                    saved.set(true);
                }
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    };
    view! {
        <section>
            <h1>"Instellingen"</h1>
            <form class="card" novalidate on:submit=submit>
                <label for="auto-lock">"Automatisch vergrendelen na zoveel minuten zonder activiteit"</label>
                <input id="auto-lock" type="number" min="1" max="120" bind:value=minutes />
                <label for="worker-name">"Uw naam, zoals de cliënt u kent"</label>
                <input id="worker-name" type="text" autocomplete="name" maxlength="120" bind:value=worker_name />
                <label for="organisation">"Uw organisatie"</label>
                <input id="organisation" type="text" autocomplete="organization" maxlength="120" bind:value=organisation />
                <p class="muted">
                    "De cliënt ziet uw naam en organisatie op het gedeelde verslag en op de bevestiging van een intrekking."
                </p>
                <label for="region">"Regio: welke diensten en uitkeringen de spraakherkenning verwacht"</label>
                <select
                    id="region"
                    on:change=move |ev| {
                        region.set(match event_target_value(&ev).as_str() {
                            "flanders" => Region::Flanders,
                            "netherlands" => Region::Netherlands,
                            _ => Region::Browser,
                        });
                    }
                >
                    <option value="browser" selected=current.region == Region::Browser>"Volgens de taal van de browser"</option>
                    <option value="flanders" selected=current.region == Region::Flanders>"Vlaanderen (OCMW, leefloon, …)"</option>
                    <option value="netherlands" selected=current.region == Region::Netherlands>"Nederland (wijkteam, bijstand, …)"</option>
                </select>
                <ErrorLine error />
                <button type="submit" class="primary" id="save-settings">"Bewaren"</button>
                <Show when=move || saved.get()>
                    <p class="muted" role="status">"Bewaard."</p>
                </Show>
            </form>
            <section class="card" id="templates">
                <h2>"Sjablonen"</h2>
                <p class="muted">
                    {move || {
                        crate::catalog::latest()
                            .iter()
                            .map(|t| format!("{} (versie {})", t.title, t.version))
                            .collect::<Vec<_>>()
                            .join(" · ")
                    }}
                </p>
                <p id="templates-status" role="status">{move || templates_status.get()}</p>
                <button type="button" class="secondary" id="refresh-templates" on:click=move |_| spawn_local(crate::catalog::refresh())>
                    "Nieuwe versies ophalen"
                </button>
            </section>
            <SpeechModelPanel />
            <VoiceProfilePanel />
            <SyncPanel />
            <DataPanel />
        </section>
    }
}
