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
use crate::session::{WorkGuard, use_session};
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
    // The speech worker is making the print; the lock waits for it to be stored.
    let waiting = RwSignal::new(false);
    let guard = StoredValue::new(None::<WorkGuard>);

    let save = move |profile: Option<VoiceProfile>, done: &'static str| {
        spawn_local(async move {
            let mut prefs = session
                .with_untracked(|ws| ws.preferences().clone())
                .unwrap_or_default();
            prefs.voice_profile = profile;
            match session.save(|ws| ws.stage_preferences(prefs)).await {
                Ok(_) => status.set(Some(done.into())),
                Err(err) => error.set(Some(err.to_string())),
            }
            guard.set_value(None);
        });
    };
    let make = move |samples: Vec<f32>| {
        waiting.set(true);
        status.set(Some("Stemprofiel wordt gemaakt…".into()));
        if let Err(err) = speech.print_voice(&samples) {
            waiting.set(false);
            guard.set_value(None);
            status.set(None);
            error.set(Some(format!("De spraakverwerking start niet: {err}")));
        }
    };
    Effect::new(move |_| {
        let Some(answer) = speech.printed.get() else {
            return;
        };
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
                guard.set_value(None);
                status.set(None);
                error.set(Some(
                    "Er was te weinig stem te horen voor een stemprofiel. Lees de hele tekst voor, op een rustige plek."
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
        guard.set_value(Some(session.begin_work()));
        true
    };
    let start = move |_| {
        if !can_start() {
            return;
        }
        taken.set_value(Vec::new());
        heard_s.set(0);
        reading.set(true);
        MICROPHONE.set(true);
        spawn_local(async move {
            let on_piece = move |piece: Vec<f32>| {
                session.touch();
                taken.update_value(|t| t.extend(piece));
                heard_s.set(taken.with_value(Vec::len) as u64 / u64::from(recorder::SAMPLE_RATE));
            };
            if let Err(err) = recorder::start(Box::new(on_piece)).await {
                MICROPHONE.set(false);
                reading.set(false);
                guard.set_value(None);
                error.set(Some(format!("De opname kon niet starten: {err}.")));
            }
        });
    };
    let stop = move |_| {
        recorder::stop();
        MICROPHONE.set(false);
        reading.set(false);
        make(taken.try_update_value(std::mem::take).unwrap_or_default());
    };
    let upload = move |ev: leptos::ev::Event| {
        let Some(file) = recorder::chosen_file(&ev) else {
            return;
        };
        if !can_start() {
            return;
        }
        spawn_local(async move {
            match recorder::decode_file(file).await {
                Ok(samples) => make(samples),
                Err(err) => {
                    guard.set_value(None);
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
                {move || made().map(|at| format!("Uw stemprofiel werd gemaakt op {}. ", crate::clock::moment(at)))}
                "In een opname krijgt uw stem daardoor vanzelf de naam werker; u kunt dat altijd aanpassen."
            </p>
            <button type="button" class="secondary" id="voice-profile-delete" hidden=move || made().is_none() on:click=delete>
                "Stemprofiel wissen"
            </button>
            <div hidden=move || made().is_some()>
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
                    <button type="button" class="primary" id="voice-profile-stop" hidden=move || !reading.get() on:click=stop>
                        {move || format!("■ Klaar met voorlezen ({} s)", heard_s.get())}
                    </button>
                    <label class="secondary file-button" hidden=move || reading.get()>
                        "Of kies een opname van uzelf"
                        <input type="file" id="voice-profile-upload" accept="audio/*,.wav,.mp3,.webm,.ogg,.opus,.m4a" disabled=move || waiting.get() on:change=upload />
                    </label>
                </div>
            </div>
            <ErrorLine error />
            <p class="muted" id="voice-profile-status" role="status">{move || status.get()}</p>
        </section>
    }
}
