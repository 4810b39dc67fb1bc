//! Recording a conversation (after a "ja"): microphone or an uploaded audio file, transcribed
//! in the speech worker while it runs, saved sealed with the contact's key when it ends.

use domain::RecordId;
use domain::transcript::{AudioInfo, Transcript};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::recorder::{self, SAMPLE_RATE};
use crate::report_actions::new_id;
use crate::session::use_session;
use crate::speech::{Finished, ModelState, use_speech};

/// Where a recording stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Recording,
    Paused,
    /// Stopped; the worker finishes the transcript.
    Finishing,
    /// Transcribed, being (or failed to be) saved.
    Saving,
}

/// The audio of the current recording and how much of it the worker has.
#[derive(Default)]
struct Take {
    samples: Vec<f32>,
    sent: usize,
    started: bool,
    stopped: bool,
    finish_sent: bool,
}

/// The record control. Shown only while the contact's consent allows recording; revoking
/// consent stops a running recording at once and keeps nothing of it.
#[component]
pub fn RecordPanel(contact: RecordId) -> impl IntoView {
    let session = use_session();
    let speech = use_speech();
    let allowed = move || {
        session
            .with(|ws| ws.contact(contact).is_some_and(|c| c.ai_allowed()))
            .unwrap_or(false)
    };
    let phase = RwSignal::new(Phase::Idle);
    let take = StoredValue::new(Take::default());
    let level = RwSignal::new(-100.0f32);
    let elapsed_ms = RwSignal::new(0u64);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    // Hands the worker what it does not have yet, once the model is ready.
    let flush = move || {
        if !speech.ready() {
            return;
        }
        let permit = session
            .with_untracked(|ws| casework::capture::permit_now(ws, contact))
            .and_then(Result::ok);
        let result = take
            .try_update_value(|t| -> Result<(), String> {
                if !t.started {
                    let permit = permit
                        .as_ref()
                        .ok_or("er is geen toestemming voor dit contact")?;
                    speech.start(permit)?;
                    t.started = true;
                }
                for piece in t.samples[t.sent..].chunks(SAMPLE_RATE as usize) {
                    speech.send(piece)?;
                }
                t.sent = t.samples.len();
                if t.stopped && !t.finish_sent {
                    speech.finish()?;
                    t.finish_sent = true;
                }
                Ok(())
            })
            .unwrap_or(Ok(()));
        if let Err(err) = result {
            error.set(Some(format!(
                "De spraakverwerking is niet bereikbaar: {err}"
            )));
        }
    };

    Effect::new(move |_| {
        if allowed() {
            speech.load();
        }
    });
    Effect::new(move |_| {
        let ready = matches!(speech.model.get(), ModelState::Ready { .. });
        if ready && phase.get_untracked() != Phase::Idle {
            flush();
        }
    });
    // Revocation during a recording: stop at once, keep nothing.
    Effect::new(move |_| {
        if !allowed() && phase.get_untracked() != Phase::Idle {
            recorder::stop();
            speech.cancel();
            take.set_value(Take::default());
            phase.set(Phase::Idle);
            notice.set(Some(
                "Opname gestopt: de toestemming werd ingetrokken. Niets ervan werd bewaard.".into(),
            ));
        }
    });

    let save = move |finished: Finished| {
        phase.set(Phase::Saving);
        spawn_local(async move {
            let samples = take.with_value(|t| recorder::wav(&t.samples));
            let model = speech.model_name().unwrap_or_else(|| "spraakmodel".into());
            let count = finished.segments.len();
            let result = session
                .save(|ws| {
                    let c = ws
                        .contact(contact)
                        .ok_or(domain::workspace::WorkspaceError::ContactNotFound)?;
                    let permit = c.processing_permit()?;
                    let transcript = Transcript::recorded(
                        new_id()?,
                        contact,
                        model,
                        finished
                            .segments
                            .iter()
                            .map(|s| (s.start_ms, s.end_ms, s.text.clone())),
                        Some(AudioInfo {
                            sample_rate: SAMPLE_RATE,
                            duration_ms: finished.audio_ms,
                            bytes: samples.len() as u64,
                        }),
                        clock::now(),
                    );
                    ws.stage_recording(&permit, transcript, &samples)
                })
                .await;
            match result {
                Ok(_) => {
                    take.set_value(Take::default());
                    speech.done.set(None);
                    phase.set(Phase::Idle);
                    notice.set(Some(format!(
                        "Transcript bewaard: {count} fragmenten uit {} opname, klaar {:.1} s na het stoppen.",
                        clock::position(finished.audio_ms),
                        finished.finish_ms as f64 / 1000.0
                    )));
                }
                // The audio and transcript stay in memory; "Opnieuw bewaren" tries again.
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    };
    Effect::new(move |_| {
        if let Some(finished) = speech.done.get()
            && phase.get_untracked() == Phase::Finishing
        {
            save(finished);
        }
    });
    Effect::new(move |_| {
        if let Some(message) = speech.error.get()
            && phase.get_untracked() != Phase::Idle
        {
            error.set(Some(message));
        }
    });

    let on_piece = move |piece: Vec<f32>| {
        level.set(recorder::level_db(&piece));
        take.update_value(|t| t.samples.extend_from_slice(&piece));
        elapsed_ms.set(take.with_value(|t| t.samples.len() as u64 * 1000 / u64::from(SAMPLE_RATE)));
        // A running recording keeps the workspace from locking itself.
        session.touch();
        flush();
    };
    let start = move |_| {
        error.set(None);
        notice.set(None);
        take.set_value(Take::default());
        elapsed_ms.set(0);
        phase.set(Phase::Recording);
        spawn_local(async move {
            if let Err(err) = recorder::start(on_piece).await {
                phase.set(Phase::Idle);
                error.set(Some(format!("De opname kon niet starten: {err}.")));
            }
        });
    };
    let pause = move |_| {
        let paused = phase.get_untracked() == Phase::Recording;
        phase.set(if paused {
            Phase::Paused
        } else {
            Phase::Recording
        });
        spawn_local(async move {
            if let Err(err) = recorder::set_paused(paused).await {
                error.set(Some(format!("Pauzeren lukte niet: {err}")));
            }
        });
    };
    let stop = move |_| {
        recorder::stop();
        take.update_value(|t| t.stopped = true);
        phase.set(Phase::Finishing);
        flush();
    };
    let upload = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        error.set(None);
        notice.set(None);
        phase.set(Phase::Finishing);
        spawn_local(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    phase.set(Phase::Idle);
                    error.set(Some("Het bestand kon niet gelezen worden.".into()));
                    return;
                }
            };
            match recorder::decode(&bytes).await {
                Ok(samples) => {
                    elapsed_ms.set(samples.len() as u64 * 1000 / u64::from(SAMPLE_RATE));
                    take.set_value(Take {
                        samples,
                        stopped: true,
                        ..Take::default()
                    });
                    flush();
                }
                Err(err) => {
                    phase.set(Phase::Idle);
                    error.set(Some(err));
                }
            }
        });
    };
    let retry_save = move |_| {
        error.set(None);
        if let Some(finished) = speech.done.get_untracked() {
            save(finished);
        }
    };

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
    let busy = move || matches!(phase.get(), Phase::Finishing | Phase::Saving);
    let running = move || matches!(phase.get(), Phase::Recording | Phase::Paused);
    let meter_width = move || {
        format!(
            "width: {:.0}%",
            ((level.get() + 60.0) / 60.0 * 100.0).clamp(0.0, 100.0)
        )
    };

    // After a revocation the panel is gone; what happened to a running recording stays said.
    let stopped_notice = move || {
        if allowed() {
            return None;
        }
        notice
            .get()
            .map(|n| view! { <p class="notice" id="record-stopped" role="status">{n}</p> })
    };
    view! {
        {stopped_notice}
        <Show when=allowed>
            <div class="card record-panel">
                <h2>"Opname"</h2>
                <p class="muted" id="model-status" role="status">{model_status}</p>
                {progress}
                <Show when=move || matches!(speech.model.get(), ModelState::Failed(_))>
                    <button type="button" class="secondary" id="model-retry" on:click=move |_| speech.load()>
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
                            {move || if phase.get() == Phase::Paused { "Hervatten" } else { "Pauzeren" }}
                        </button>
                        <button type="button" class="primary" id="record-stop" on:click=stop>"■ Stoppen"</button>
                        <span class="level" aria-hidden="true"><span id="record-level" style=meter_width></span></span>
                    </Show>
                    <span id="record-elapsed" class="muted">{move || clock::position(elapsed_ms.get())}</span>
                </div>
                <p class="muted" id="record-status" role="status">
                    {move || match phase.get() {
                        Phase::Idle => notice.get().unwrap_or_default(),
                        Phase::Recording => "Opname loopt; de tekst verschijnt hieronder terwijl u praat.".to_owned(),
                        Phase::Paused => "Gepauzeerd: er wordt niets opgenomen.".to_owned(),
                        Phase::Finishing => "Transcript wordt afgewerkt…".to_owned(),
                        Phase::Saving => "Transcript wordt versleuteld bewaard…".to_owned(),
                    }}
                </p>
                <Show when=move || phase.get() == Phase::Saving && error.get().is_some()>
                    <button type="button" class="secondary" id="record-retry-save" on:click=retry_save>
                        "Opnieuw bewaren"
                    </button>
                </Show>
                <ErrorLine error />
                <Show when=move || phase.get() != Phase::Idle>
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
