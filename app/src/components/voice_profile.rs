//! The worker's own voice profile (Instellingen): made by reading a short text aloud (or from
//! a recording of it), sealed with the other preferences, shown with its date and deleted at
//! any time. With it, the worker's voice in a recording is named without a click. Only the
//! worker makes one, of themselves: a client's voice is never kept.

use std::cell::Cell;

use domain::preferences::VoiceProfile;
use domain::speech::VOICE_PRINT_TEXT;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_line::ErrorLine;
use crate::recorder;
use crate::recording::use_recording;
use crate::session::use_session;
use crate::speech::use_speech;

thread_local! {
    /// The microphone is taking the worker's reading (released when the card goes away).
    static MICROPHONE: Cell<bool> = const { Cell::new(false) };
}

/// The card: the profile's date and "Wissen", or the text to read and the ways to make one.
#[component]
pub fn VoiceProfilePanel() -> impl IntoView {
    let session = use_session();
    let speech = use_speech();
    let recording = use_recording();
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    // The worker is reading aloud into the microphone; seconds heard so far.
    let reading = RwSignal::new(false);
    let heard_s = RwSignal::new(0u64);
    let taken = StoredValue::new(Vec::<f32>::new());
    // The microphone has started taking the reading.
    let started = RwSignal::new(false);
    // The file is read or the speech worker is making the print.
    let waiting = RwSignal::new(false);

    // The other preferences as they are when it is written (not when the card opened).
    let save = move |profile: Option<VoiceProfile>, done: &'static str| {
        spawn_local(async move {
            let staged = session.save(|ws| {
                let mut prefs = ws.preferences().clone();
                prefs.voice_profile = profile;
                ws.stage_preferences(prefs)
            });
            match staged.await {
                Ok(_) => status.set(Some(done.into())),
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    };
    let make = move |samples: Vec<f32>| {
        waiting.set(true);
        status.set(Some("Stemprofiel wordt gemaakt…".into()));
        if let Err(err) = speech.print_voice(&samples) {
            waiting.set(false);
            status.set(None);
            error.set(Some(err));
        }
    };
    Effect::new(move |_| {
        let Some(answer) = speech.printed.get() else {
            return;
        };
        // Taken once: the print does not stay in memory, and an old answer is never reused.
        speech.printed.set(None);
        if !waiting.get_untracked() {
            return;
        }
        waiting.set(false);
        match answer {
            Some(print) => save(
                Some(VoiceProfile {
                    print,
                    made: crate::clock::now(),
                }),
                "Stemprofiel bewaard.",
            ),
            None => {
                status.set(None);
                error.set(Some(
                    "We hoorden te weinig van uw stem voor een stemprofiel. Lees de hele tekst voor, op een rustige plek."
                        .into(),
                ));
            }
        }
    });
    let can_start = move || {
        error.set(None);
        status.set(None);
        if recording.busy() {
            error.set(Some(
                "Er loopt een opname of transcriptie bij een contact; maak het stemprofiel als die klaar is."
                    .into(),
            ));
            return false;
        }
        true
    };
    let start = move |_| {
        if !can_start() {
            return;
        }
        taken.set_value(Vec::new());
        heard_s.set(0);
        started.set(false);
        reading.set(true);
        MICROPHONE.set(true);
        spawn_local(async move {
            // Pieces may still come while the card goes away: then they are dropped.
            let on_piece = move |piece: Vec<f32>| {
                session.touch();
                let heard = taken.try_update_value(|t| {
                    t.extend(piece);
                    t.len()
                });
                if let Some(heard) = heard {
                    heard_s.try_set(heard as u64 / u64::from(recorder::SAMPLE_RATE));
                }
            };
            match recorder::start(Box::new(on_piece)).await {
                Ok(()) => {
                    started.try_set(true);
                }
                // Stopped before it began ("Klaar" or the card left): nothing to say.
                Err(err) if err == recorder::STOPPED => {}
                Err(err) => {
                    MICROPHONE.set(false);
                    reading.try_set(false);
                    error.try_set(Some(format!("De opname kon niet starten: {err}.")));
                }
            }
        });
    };
    let stop = move |_| {
        recorder::stop();
        MICROPHONE.set(false);
        reading.set(false);
        started.set(false);
        make(taken.try_update_value(std::mem::take).unwrap_or_default());
    };
    let upload = move |ev: leptos::ev::Event| {
        let Some(file) = recorder::chosen_file(&ev) else {
            return;
        };
        if !can_start() {
            return;
        }
        waiting.set(true);
        spawn_local(async move {
            match recorder::decode_file(file).await {
                Ok(samples) => make(samples),
                Err(err) => {
                    waiting.set(false);
                    error.set(Some(err));
                }
            }
        });
    };
    let delete = move |_| {
        error.set(None);
        save(None, "Stemprofiel gewist.");
    };
    // Leaving the page while reading releases the microphone; nothing is kept.
    on_cleanup(|| {
        if MICROPHONE.replace(false) {
            recorder::stop();
        }
    });

    let made = move || {
        session
            .with(|ws| ws.preferences().voice_profile.as_ref().map(|p| p.made))
            .flatten()
    };
    view! {
        <section class="card" id="voice-profile">
            <h2>"Stemprofiel"</h2>
            <p id="voice-profile-made" hidden=move || made().is_none()>
                {move || made().map(|at| format!("Uw stemprofiel is gemaakt op {}. ", crate::clock::moment(at)))}
                "In een opname krijgt uw stem daardoor vanzelf het label ‘Werker’; u kunt dat altijd aanpassen."
            </p>
            <button type="button" class="secondary" id="voice-profile-delete" hidden=move || made().is_none() on:click=delete>
                "Stemprofiel wissen"
            </button>
            <div id="voice-profile-make" hidden=move || made().is_some()>
                <p class="muted">
                    "Met een stemprofiel herkent de app uw stem in een opname, zodat u niet zelf hoeft te zeggen "
                    "welke stem van u is. Lees de tekst hieronder rustig voor (ongeveer 30 seconden). Het profiel "
                    "blijft versleuteld bij uw gegevens en u kunt het altijd wissen. Van een cliënt wordt nooit "
                    "een stemprofiel gemaakt."
                </p>
                <blockquote id="voice-profile-text">{VOICE_PRINT_TEXT}</blockquote>
                <div class="row">
                    <button type="button" class="primary" id="voice-profile-start" hidden=move || reading.get() disabled=move || waiting.get() on:click=start>
                        "Voorlezen starten"
                    </button>
                    <button type="button" class="primary" id="voice-profile-stop" hidden=move || !reading.get() disabled=move || !started.get() on:click=stop>
                        {move || format!("■ Klaar met voorlezen ({} s)", heard_s.get())}
                    </button>
                    <label class="secondary file-button" hidden=move || reading.get()>
                        "Of kies een opname waarin u deze tekst voorleest"
                        <input type="file" id="voice-profile-upload" accept="audio/*,.wav,.mp3,.webm,.ogg,.opus,.m4a" disabled=move || waiting.get() on:change=upload />
                    </label>
                </div>
            </div>
            <ErrorLine error />
            <p class="muted" id="voice-profile-status" role="status">{move || status.get()}</p>
        </section>
    }
}
