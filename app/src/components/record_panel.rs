//! Recording a conversation (after a "ja"): microphone or an uploaded audio file, transcribed
//! in the speech worker while it runs, saved sealed with the contact's key when it ends. The
//! recording itself lives at the app's level ([`crate::recording`]); this is its control.

use domain::RecordId;
use leptos::prelude::*;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::recording::{Phase, Source, use_recording};
use crate::session::use_session;
use crate::speech::{ModelState, use_speech};

/// The record control. Shown only while the contact's consent allows recording; revoking
/// consent stops a running recording at once and keeps nothing of it.
#[component]
pub fn RecordPanel(contact: RecordId) -> impl IntoView {
    let session = use_session();
    let speech = use_speech();
    let rec = use_recording();
    let allowed = move || {
        session
            .with(|ws| ws.contact(contact).is_some_and(|c| c.ai_allowed()))
            .unwrap_or(false)
    };
    let choice = move || {
        session
            .with_untracked(|ws| ws.preferences().speech_model.clone())
            .flatten()
    };
    Effect::new(move |_| {
        if allowed() {
            speech.load(choice());
        }
    });
    // This contact's recording, or none (another contact's is shown as busy elsewhere).
    let mine = move || rec.contact.get() == Some(contact);
    let phase = move || if mine() { rec.phase.get() } else { Phase::Idle };
    let other_busy = move || rec.busy() && !mine();
    let notice = move || {
        rec.notice
            .get()
            .filter(|(c, _)| *c == contact)
            .map(|(_, n)| n)
    };
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let e = rec.error.get();
        error.set(if mine() { e } else { None });
    });
    let start = move |_| rec.start(contact);
    let pause = move |_| rec.toggle_pause();
    let stop = move |_| rec.stop();
    let upload = move |ev: leptos::ev::Event| {
        if let Some(file) = crate::recorder::chosen_file(&ev) {
            rec.upload(contact, file);
        }
    };
    let retry_save = move |_| rec.retry_save();

    let model_status = move || match speech.model.get() {
        ModelState::NotLoaded => "Spraakmodel nog niet geladen.".to_owned(),
        ModelState::Loading { total: 0, .. } => "Spraakmodel laden…".to_owned(),
        ModelState::Loading { received, total } => format!(
            "Spraakmodel downloaden (eenmalig): {:.0} van {:.0} MB",
            received as f64 / 1e6,
            total as f64 / 1e6
        ),
        ModelState::Retrying(message) | ModelState::Failed(message) => message,
        ModelState::Ready { model } => {
            format!("Spraakmodel klaar ({model}); het werkt op dit toestel, ook offline.")
        }
    };
    let progress = move || match speech.model.get() {
        ModelState::Loading { received, total } if total > 0 => Some(view! {
            <progress id="model-progress" max=total.to_string() value=received.to_string()></progress>
        }),
        _ => None,
    };
    let busy = move || matches!(phase(), Phase::Finishing | Phase::Saving) || other_busy();
    let running = move || matches!(phase(), Phase::Recording | Phase::Paused);
    // A <meter>, not an inline width: the CSP allows no inline style.
    let meter_value = move || format!("{:.0}", rec.level.get().clamp(-60.0, 0.0));

    // After a revocation the panel is gone; what happened to a running recording stays said.
    let stopped_notice = move || {
        if allowed() {
            return None;
        }
        notice().map(|n| view! { <p class="notice" id="record-stopped" role="status">{n}</p> })
    };
    view! {
        {stopped_notice}
        <Show when=allowed>
            <div class="card record-panel">
                <h2>"Opname"</h2>
                <p class="muted" id="model-status" role="status">{model_status}</p>
                {progress}
                <Show when=move || matches!(speech.model.get(), ModelState::Failed(_))>
                    <button type="button" class="secondary" id="model-retry" on:click=move |_| speech.load(choice())>
                        "Opnieuw proberen"
                    </button>
                </Show>
                <div class="row">
                    <Show
                        when=running
                        fallback=move || view! {
                            <button type="button" class="primary" id="record-start" disabled=busy on:click=start>
                                "● Opname starten"
                            </button>
                            <label class="secondary file-button">
                                "Audiobestand transcriberen"
                                <input type="file" id="record-upload" accept="audio/*,.wav,.mp3,.webm,.ogg,.opus,.m4a" disabled=busy on:change=upload />
                            </label>
                        }
                    >
                        <button type="button" class="secondary" id="record-pause" on:click=pause>
                            {move || if phase() == Phase::Paused { "Hervatten" } else { "Pauzeren" }}
                        </button>
                        <button type="button" class="primary" id="record-stop" on:click=stop>"■ Stoppen"</button>
                        <meter id="record-level" class="level" min="-60" max="0" low="-45" high="-6" optimum="-20" value=meter_value aria-label="Geluidsniveau"></meter>
                    </Show>
                    <span id="record-elapsed" class="muted">{move || if mine() { clock::position(rec.elapsed_ms.get()) } else { String::new() }}</span>
                </div>
                <p class="muted" id="record-status" role="status">
                    {move || match phase() {
                        Phase::Idle if other_busy() => "Er loopt een opname of transcriptie bij een ander contact; die moet eerst klaar zijn.".to_owned(),
                        Phase::Idle => notice().unwrap_or_default(),
                        Phase::Recording => "Opname loopt; de tekst verschijnt hieronder terwijl u praat.".to_owned(),
                        Phase::Paused => "Gepauzeerd: er wordt niets opgenomen.".to_owned(),
                        Phase::Finishing if rec.source.get() == Source::File => "Het bestand wordt getranscribeerd…".to_owned(),
                        Phase::Finishing => "Transcript wordt afgewerkt…".to_owned(),
                        Phase::Saving => "Transcript wordt versleuteld bewaard…".to_owned(),
                    }}
                </p>
                <Show when=move || phase() == Phase::Saving && error.get().is_some()>
                    <button type="button" class="secondary" id="record-retry-save" on:click=retry_save>
                        "Opnieuw bewaren"
                    </button>
                </Show>
                <ErrorLine error />
                <Show when=move || phase() != Phase::Idle>
                    <ol class="live-transcript" id="live-transcript">
                        {move || speech.live.get().into_iter().map(|s| view! {
                            <li><span class="seg-time">{format!("{}–{}", clock::position(s.start_ms), clock::position(s.end_ms))}</span>" "{s.text}</li>
                        }).collect_view()}
                    </ol>
                </Show>
            </div>
        </Show>
    }
}
