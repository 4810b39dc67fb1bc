//! The speech worker, seen from the page: starts it, tracks the model's state and passes audio
//! and segments. The engine itself runs in the worker (`speech-worker` crate), so the page
//! never blocks while it downloads, loads or transcribes.

use std::cell::RefCell;

use domain::consent::ProcessingPermit;
use domain::speech::{TimedText, VoicePrint, WorkerEvent, WorkerRequest};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// Where the app asks for the model list.
const CATALOGUE: &str = "/api/v1/models";

/// The speech model's state on this device.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelState {
    /// Not asked for yet.
    NotLoaded,
    /// Being read from the device or downloaded.
    Loading {
        /// Bytes received (0 while reading from the device).
        received: u64,
        /// File size (0 until known).
        total: u64,
    },
    /// A broken download is retried.
    Retrying(String),
    /// Ready to transcribe.
    Ready {
        /// Model name and version.
        model: String,
    },
    /// Loading failed; the message says what to do.
    Failed(String),
}

/// A finished recording's transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// Every segment of the recording, in order.
    pub segments: Vec<TimedText>,
    /// Audio length in milliseconds.
    pub audio_ms: u64,
    /// Time from "stop" to the complete transcript, in the worker, in milliseconds.
    pub finish_ms: u64,
    /// Who spoke when (the voices told apart on the device).
    pub voices: Vec<domain::transcript::VoiceTurn>,
    /// The voice the worker's voice profile recognised, if any.
    pub worker_voice: Option<u8>,
}

/// The speech worker's reactive state. Copy: components share it.
#[derive(Clone, Copy)]
pub struct Speech {
    /// The model's state.
    pub model: RwSignal<ModelState>,
    /// Segments of the running recording so far.
    pub live: RwSignal<Vec<TimedText>>,
    /// Set when the running recording is fully transcribed.
    pub done: RwSignal<Option<Finished>>,
    /// An error during transcription.
    pub error: RwSignal<Option<String>>,
    /// The answer to [`Speech::print_voice`]: the print, or `None` when too little voice
    /// was heard.
    pub printed: RwSignal<Option<Option<VoicePrint>>>,
}

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    /// Memory shared with the worker: set at "stop", read by the worker between the steps of
    /// a window, so that it drops the window in hand and decodes everything left at once.
    static STOP: RefCell<Option<js_sys::Int32Array>> = const { RefCell::new(None) };
    /// The worker's choice of model the ready one answers (`None`: the relay's default).
    static READY_CHOICE: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The running recording comes from a file (decoded with beams: its speed is no measure
    /// of a live recording's).
    static FROM_FILE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Shared memory for the stop flag, when the page is cross-origin isolated (the relay sends
/// COOP and COEP); otherwise "stop" waits for the window in hand.
fn stop_flag() -> Option<js_sys::Int32Array> {
    let isolated = js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into()).ok()?;
    isolated
        .is_truthy()
        .then(|| js_sys::Int32Array::new(&js_sys::SharedArrayBuffer::new(4)))
}

/// Sets the stop flag the worker reads.
fn signal_stop(value: i32) {
    STOP.with_borrow(|flag| {
        if let Some(flag) = flag {
            let _ = js_sys::Atomics::store(flag, 0, value);
        }
    });
}

/// Creates the speech state and provides it to every component below. The worker itself is
/// started on first use.
pub fn provide_speech_context() -> Speech {
    let speech = Speech {
        model: RwSignal::new(ModelState::NotLoaded),
        live: RwSignal::new(Vec::new()),
        done: RwSignal::new(None),
        error: RwSignal::new(None),
        printed: RwSignal::new(None),
    };
    provide_context(speech);
    speech
}

/// The speech state provided by [`provide_speech_context`].
pub fn use_speech() -> Speech {
    expect_context::<Speech>()
}

/// The `content` of `<meta name="NAME">`: where the packager put an asset.
pub fn meta_content(name: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name='{name}']"))
        .ok()??
        .get_attribute("content")
}

impl Speech {
    fn worker(self) -> Result<Worker, String> {
        if let Some(worker) = WORKER.with_borrow(Clone::clone) {
            return Ok(worker);
        }
        let url = meta_content("zorgvuldig-speech-worker")
            .ok_or("de spraakverwerking ontbreekt in deze versie van de app")?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&url, &options)
            .map_err(|e| format!("de spraakverwerking start niet: {e:?}"))?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            match serde_json::from_str::<WorkerEvent>(&text) {
                Ok(event) => self.on_event(event),
                Err(err) => self.error.set(Some(format!("Onbekend antwoord: {err}"))),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
                self.model.set(ModelState::Failed(format!(
                    "De spraakverwerking stopte onverwacht: {}",
                    ev.message()
                )));
            });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        if let Some(flag) = stop_flag()
            && worker.post_message(&flag).is_ok()
        {
            STOP.set(Some(flag));
        }
        WORKER.set(Some(worker.clone()));
        Ok(worker)
    }

    fn on_event(self, event: WorkerEvent) {
        match event {
            WorkerEvent::Progress { received, total } => {
                self.model.set(ModelState::Loading { received, total });
            }
            WorkerEvent::Retrying {
                attempt,
                wait_ms,
                reason,
            } => self.model.set(ModelState::Retrying(format!(
                "Download onderbroken ({reason}); poging {} over {} s, verder waar het stopte.",
                attempt + 1,
                wait_ms / 1000
            ))),
            WorkerEvent::Ready { model, chosen, .. } => {
                READY_CHOICE.set(chosen);
                self.model.set(ModelState::Ready { model });
            }
            WorkerEvent::Segments { segments } => self.live.update(|l| l.extend(segments)),
            WorkerEvent::Done {
                segments,
                audio_ms,
                compute_ms,
                finish_ms,
                voices,
                worker_voice,
                ..
            } => {
                if let Some(model) = self.model_name().filter(|_| !FROM_FILE.get()) {
                    leptos::task::spawn_local(async move {
                        crate::speech_speed::record(&model, compute_ms, audio_ms).await;
                    });
                }
                // Every segment, cut where the voice changes: the live ones were a preview.
                self.done.set(Some(Finished {
                    segments,
                    audio_ms,
                    finish_ms,
                    voices,
                    worker_voice,
                }));
            }
            WorkerEvent::VoicePrint { print } => self.printed.set(Some(print)),
            WorkerEvent::Failed { message } => {
                if matches!(self.model.get_untracked(), ModelState::Ready { .. }) {
                    self.error.set(Some(message));
                } else {
                    self.model.set(ModelState::Failed(message));
                }
            }
        }
    }

    fn request(self, request: &WorkerRequest) -> Result<(), String> {
        let json = serde_json::to_string(request).map_err(|e| e.to_string())?;
        self.worker()?
            .post_message(&JsValue::from_str(&json))
            .map_err(|e| format!("{e:?}"))
    }

    /// Makes the worker's chosen model ready (from the device, or downloaded once) unless it
    /// is or is being; `choice` is [`domain::preferences::Preferences::speech_model`]. A ready
    /// model of another choice is replaced (a running recording keeps its own).
    pub fn load(self, choice: Option<String>) {
        let other = READY_CHOICE.with_borrow(|ready| *ready != choice);
        let needed = match self.model.get_untracked() {
            ModelState::NotLoaded | ModelState::Failed(_) => true,
            ModelState::Ready { .. } => other,
            ModelState::Loading { .. } | ModelState::Retrying(_) => false,
        };
        if needed {
            self.model.set(ModelState::Loading {
                received: 0,
                total: 0,
            });
            if let Err(err) = self.request(&WorkerRequest::Load {
                catalogue: CATALOGUE.into(),
                model: choice,
            }) {
                self.model.set(ModelState::Failed(err));
            }
        }
    }

    /// Whether the model is ready.
    pub fn ready(self) -> bool {
        matches!(self.model.get_untracked(), ModelState::Ready { .. })
    }

    /// The model's name, when ready.
    pub fn model_name(self) -> Option<String> {
        match self.model.get_untracked() {
            ModelState::Ready { model } => Some(model),
            _ => None,
        }
    }

    /// Starts a new recording in the worker for the permit's contact, with the names and
    /// terms the recogniser is prompted with and the worker's voice print: without the
    /// client's "ja" there is no permit, and no recording can start.
    pub fn start(
        self,
        permit: &ProcessingPermit,
        vocabulary: &str,
        print: Option<VoicePrint>,
    ) -> Result<(), String> {
        self.live.set(Vec::new());
        self.done.set(None);
        self.error.set(None);
        signal_stop(0);
        FROM_FILE.set(false);
        self.request(&WorkerRequest::start(permit, vocabulary, print))
    }

    /// Asks the worker for the voice print of `samples` (the worker reading aloud); the
    /// answer comes in [`Speech::printed`].
    pub fn print_voice(self, samples: &[f32]) -> Result<(), String> {
        self.printed.set(None);
        self.request(&WorkerRequest::PrintVoice)?;
        self.send(samples)
    }

    /// Says that the running recording's audio comes from a file (see
    /// [`WorkerRequest::FromFile`]).
    pub fn mark_as_file(self) -> Result<(), String> {
        FROM_FILE.set(true);
        self.request(&WorkerRequest::FromFile)
    }

    /// Sends 16 kHz mono samples.
    pub fn send(self, samples: &[f32]) -> Result<(), String> {
        let array = js_sys::Float32Array::from(samples);
        let transfer = js_sys::Array::of1(&array.buffer());
        self.worker()?
            .post_message_with_transfer(&array, &transfer)
            .map_err(|e| format!("{e:?}"))
    }

    /// Ends the recording: the worker drops the window in hand (see [`stop_flag`]), transcribes
    /// the rest and reports [`Speech::done`].
    pub fn finish(self) -> Result<(), String> {
        signal_stop(1);
        self.request(&WorkerRequest::Finish)
    }

    /// Drops the running recording in the worker.
    pub fn cancel(self) {
        let _ = self.request(&WorkerRequest::Cancel);
        self.live.set(Vec::new());
    }
}
