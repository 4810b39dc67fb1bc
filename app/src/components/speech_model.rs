//! The speech model the worker uses (Instellingen): the relay's default or a larger model an
//! organisation placed on the relay. Each is shown with its size and how it suits this device
//! (memory; speed measured here, or estimated from the default's measured speed); one that
//! cannot fit cannot be chosen. The choice is a preference and applies from the next recording.

use std::collections::BTreeMap;

use domain::speech::{ModelCatalogue, ModelFit, ModelSpeed, model_fit};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_line::ErrorLine;
use crate::relay_api;
use crate::session::use_session;

/// `navigator.deviceMemory` in GiB, when the browser tells it.
fn device_memory_gib() -> Option<f64> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"deviceMemory".into())
        .ok()?
        .as_f64()
}

/// "83 MB".
fn megabytes(size: u64) -> String {
    format!("{} MB", size.div_ceil(1_000_000))
}

/// "0,25".
fn decimal(x: f32) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// One line per model: its size and how it suits this device (memory; speed measured here,
/// or estimated from the default model's measured speed).
fn describe(
    size: u64,
    default_size: u64,
    is_default: bool,
    memory: Option<f64>,
    measured: Option<f32>,
    default_measured: Option<f32>,
) -> String {
    let default = if is_default { ", standaard" } else { "" };
    let work = match model_fit(size, default_size, memory) {
        ModelFit::TooLarge => {
            return format!(
                "{}{default} — te groot voor het geheugen van dit toestel",
                megabytes(size)
            );
        }
        ModelFit::Fits { work } => work,
    };
    let speed = ModelSpeed::of(measured, default_measured, work);
    let said = match speed {
        ModelSpeed::Measured(r) => {
            format!(
                " — rekentijd gemeten op dit toestel: {} × de opnameduur",
                decimal(r)
            )
        }
        ModelSpeed::Estimated(r) => {
            format!(" — rekentijd geschat: {} × de opnameduur", decimal(r))
        }
        ModelSpeed::Unknown if work >= 1.5 => {
            format!(" — ongeveer {work:.0} keer de rekentijd van het standaardmodel")
        }
        ModelSpeed::Unknown => String::new(),
    };
    let slow = if speed.slower_than_speech() {
        ", langer dan de opname zelf"
    } else {
        ""
    };
    format!("{}{default}{said}{slow}", megabytes(size))
}

/// The card.
#[component]
pub fn SpeechModelPanel() -> impl IntoView {
    let session = use_session();
    let catalogue = RwSignal::new(None::<ModelCatalogue>);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let memory = device_memory_gib();
    let speeds = RwSignal::new(BTreeMap::<String, f32>::new());
    spawn_local(async move { speeds.set(crate::speech_speed::measured().await) });
    spawn_local(async move {
        match relay_api::call::<ModelCatalogue>("GET", "/api/v1/models", None, None::<&()>, &[])
            .await
        {
            Ok(list) => catalogue.set(Some(list)),
            Err(err) => error.set(Some(format!(
                "De lijst met spraakmodellen is niet op te halen: {err}. De keuze blijft zoals ze is."
            ))),
        }
    });
    let chosen = move || {
        session
            .with(|ws| ws.preferences().speech_model.clone())
            .flatten()
    };
    let choose = move |name: Option<String>| {
        spawn_local(async move {
            // The other preferences as they are when this is written.
            let staged = session.save(|ws| {
                let mut prefs = ws.preferences().clone();
                prefs.speech_model = name;
                ws.stage_preferences(prefs)
            });
            match staged.await {
                Ok(_) => status.set(Some("Bewaard: geldt vanaf de volgende opname.".into())),
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    };
    let rows = move || {
        let list = catalogue.get()?;
        let default_size = list.models.first()?.size;
        let speeds = speeds.get();
        let default_measured = speeds.get(&list.models.first()?.name).copied();
        let current = list.choose(chosen().as_deref()).map(|m| m.name.clone());
        let rows = list
            .models
            .iter()
            .enumerate()
            .map(|(i, offer)| {
                let is_default = i == 0;
                let name = offer.name.clone();
                let too_large = model_fit(offer.size, default_size, memory) == ModelFit::TooLarge;
                let id = format!("speech-model-{i}");
                let checked = current.as_deref() == Some(offer.name.as_str());
                let choice = (!is_default).then(|| name.clone());
                let detail = describe(
                    offer.size,
                    default_size,
                    is_default,
                    memory,
                    speeds.get(&offer.name).copied(),
                    default_measured,
                );
                view! {
                    <div class="option">
                        <input
                            type="radio"
                            name="speech-model"
                            id=id.clone()
                            value=name.clone()
                            prop:checked=checked
                            disabled=too_large
                            on:change=move |_| choose(choice.clone())
                        />
                        <label for=id><strong>{name}</strong>" — "{detail}</label>
                    </div>
                }
            })
            .collect_view();
        Some(rows)
    };
    view! {
        <section class="card" id="speech-model">
            <h2>"Spraakmodel"</h2>
            <p class="muted">
                "Een groter model herkent beter, maar vraagt meer geheugen en rekentijd op dit toestel. Het gekozen model en het standaardmodel blijven op dit toestel bewaard."
            </p>
            {rows}
            <ErrorLine error />
            <p class="muted" id="speech-model-status" role="status">{move || status.get()}</p>
        </section>
    }
}
