//! The running recording or file transcription, held at the level of the app.
//!
//! A recording outlives the screen that started it: leaving the contact, a re-render or a lock
//! never drops its audio. While it runs it holds a [`WorkGuard`], so a lock hides the screen at
//! once but forgets the keys only after the transcript and audio are stored sealed. A lock
//! during a live recording stops it (nothing is captured while nobody watches the screen) and
//! stores what was recorded; a file transcription goes on behind the lock and is stored when it
//! ends. Revoking consent stops it at once and keeps nothing.
//!
//! Consent is checked below the screen too: the audio is held in a [`Capture`] made from the
//! contact's permit, every piece is checked against the permit as it stands when it arrives
//! (a piece under way when consent is revoked is refused, and what was captured is dropped),
//! and the speech worker is started only with the permit ([`Speech::start`]).

use casework::capture::{Capture, permit_now};
use domain::RecordId;
use domain::consent::{ConsentError, ProcessingPermit};
use domain::transcript::{AudioInfo, Speaker, Transcript};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::recorder::{self, SAMPLE_RATE};
use crate::report_actions::new_id;
use crate::session::{Session, WorkGuard};
use crate::speech::{Finished, ModelState, Speech};

/// Where the recording stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nothing runs.
    Idle,
    /// The microphone is captured.
    Recording,
    /// Capture paused.
    Paused,
    /// Stopped (or a file was read); the worker finishes the transcript.
    Finishing,
    /// Transcribed, being (or failed to be) saved.
    Saving,
}

/// Where the audio comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The microphone.
    Microphone,
    /// An uploaded audio file.
    File,
}

/// The audio of the current recording and how much of it the worker has.
#[derive(Default)]
struct Take {
    /// The audio, while the contact's permit holds (none before a start).
    capture: Option<Capture>,
    sent: usize,
    started: bool,
    stopped: bool,
    finish_sent: bool,
}

impl Take {
    fn samples(&self) -> &[f32] {
        self.capture.as_ref().map_or(&[], Capture::samples)
    }
}

/// The recording's shared state. Copy: components and closures hold it.
#[derive(Clone, Copy)]
pub struct Recording {
    session: Session,
    speech: Speech,
    /// The contact being recorded.
    pub contact: RwSignal<Option<RecordId>>,
    /// Where it stands.
    pub phase: RwSignal<Phase>,
    /// Microphone or file.
    pub source: RwSignal<Source>,
    /// Level of the last piece, in dBFS.
    pub level: RwSignal<f32>,
    /// Audio length so far.
    pub elapsed_ms: RwSignal<u64>,
    /// What went wrong, for the worker.
    pub error: RwSignal<Option<String>>,
    /// What happened last, per contact (saved, stopped by a revocation).
    pub notice: RwSignal<Option<(RecordId, String)>>,
    take: StoredValue<Take>,
    guard: StoredValue<Option<WorkGuard>, LocalStorage>,
}

/// Creates the recording context at the app's level and wires it to the speech worker.
pub fn provide_recording_context(session: Session, speech: Speech) -> Recording {
    let rec = Recording {
        session,
        speech,
        contact: RwSignal::new(None),
        phase: RwSignal::new(Phase::Idle),
        source: RwSignal::new(Source::Microphone),
        level: RwSignal::new(-100.0),
        elapsed_ms: RwSignal::new(0),
        error: RwSignal::new(None),
        notice: RwSignal::new(None),
        take: StoredValue::new(Take::default()),
        guard: StoredValue::new_local(None),
    };
    provide_context(rec);
    // The model became ready: hand it what it does not have yet.
    Effect::new(move |_| match speech.model.get() {
        ModelState::Ready { .. } if rec.phase.get_untracked() != Phase::Idle => rec.flush(),
        // Without a model the work cannot finish: a lock need not wait for it. The audio stays
        // here; after "Opnieuw proberen" the model loads and the work goes on.
        ModelState::Failed(_) => rec.guard.set_value(None),
        _ => {}
    });
    // Revocation during a recording: stop at once, keep nothing.
    Effect::new(move |_| {
        let Some(contact) = rec.contact.get() else {
            return;
        };
        let allowed = session
            .with(|ws| ws.contact(contact).is_some_and(|c| c.ai_allowed()))
            .unwrap_or(true);
        if !allowed && rec.phase.get_untracked() != Phase::Idle {
            rec.refuse(contact);
        }
    });
    // A lock stops the microphone; what was recorded is transcribed and stored.
    Effect::new(move |_| {
        if session.is_locked()
            && matches!(rec.phase.get_untracked(), Phase::Recording | Phase::Paused)
        {
            rec.stop();
        }
    });
    Effect::new(move |_| {
        if let Some(finished) = speech.done.get()
            && rec.phase.get_untracked() == Phase::Finishing
        {
            rec.save(finished);
        }
    });
    Effect::new(move |_| {
        if let Some(message) = speech.error.get()
            && rec.phase.get_untracked() != Phase::Idle
        {
            rec.error.set(Some(message));
        }
    });
    rec
}

/// The recording provided by [`provide_recording_context`].
pub fn use_recording() -> Recording {
    expect_context::<Recording>()
}

impl Recording {
    /// Whether a recording or transcription runs (reactive).
    pub fn busy(self) -> bool {
        self.phase.get() != Phase::Idle
    }

    /// Begins work for `contact` under its permit; it holds the keys through a lock until it
    /// is stored. Without a permit nothing starts (and `false` is returned).
    fn begin(self, contact: RecordId, source: Source, phase: Phase) -> bool {
        self.error.set(None);
        self.notice.set(None);
        let Ok(permit) = self.permit(contact) else {
            self.error.set(Some(
                "Er is geen toestemming voor opname bij dit contact.".into(),
            ));
            return false;
        };
        self.take.set_value(Take {
            capture: Some(Capture::new(&permit)),
            ..Take::default()
        });
        self.elapsed_ms.set(0);
        self.contact.set(Some(contact));
        self.source.set(source);
        self.guard.set_value(Some(self.session.begin_work()));
        self.phase.set(phase);
        true
    }

    /// `contact`'s permit as it stands now.
    fn permit(self, contact: RecordId) -> Result<ProcessingPermit, ConsentError> {
        self.session
            .with_untracked(|ws| permit_now(ws, contact))
            .unwrap_or(Err(ConsentError::PermitMissing { contact }))
    }

    /// The names and terms the recogniser is prompted with for `contact`: the dossier's names
    /// and the terms of the region chosen in Instellingen, or else of the browser's language
    /// (`nl-NL` for the Netherlands, else Flanders).
    fn vocabulary(self, contact: RecordId) -> String {
        let browser = web_sys::window()
            .and_then(|w| w.navigator().language())
            .unwrap_or_default();
        self.session
            .with_untracked(|ws| {
                let c = ws.contact(contact)?;
                let language = ws.preferences().vocabulary_language(&browser);
                casework::vocabulary::for_recording(ws, c, &language, &clock::day).ok()
            })
            .flatten()
            .unwrap_or_default()
    }

    /// The worker's voice print, if they made a voice profile in Instellingen.
    fn voice_print(self) -> Option<domain::speech::VoicePrint> {
        self.session
            .with_untracked(|ws| ws.preferences().voice_profile.clone())
            .flatten()
            .map(|profile| profile.print)
    }

    /// Consent was revoked while it ran: stop at once, drop the audio, keep nothing.
    fn refuse(self, contact: RecordId) {
        recorder::stop();
        self.speech.cancel();
        self.end();
        self.notice.set(Some((
            contact,
            "Opname gestopt: de toestemming werd ingetrokken. Niets ervan werd bewaard.".into(),
        )));
    }

    /// Takes `piece` into the capture if the permit still holds; refuses the recording if not.
    /// Returns whether it was taken.
    fn take_in(self, piece: &[f32]) -> bool {
        let Some(contact) = self.contact.get_untracked() else {
            return false;
        };
        let now = self.permit(contact);
        let taken = self
            .take
            .try_update_value(|t| t.capture.as_mut().map(|c| c.push(now, piece)))
            .flatten();
        match taken {
            Some(Ok(())) => true,
            Some(Err(_)) => {
                self.refuse(contact);
                false
            }
            // Nothing runs (a piece after the end): dropped.
            None => false,
        }
    }

    /// Back to idle; the audio is dropped and a pending lock may forget the keys.
    fn end(self) {
        self.take.set_value(Take::default());
        self.speech.done.set(None);
        self.phase.set(Phase::Idle);
        self.guard.set_value(None);
    }

    /// Starts recording the microphone for `contact`.
    pub fn start(self, contact: RecordId) {
        if self.phase.get_untracked() != Phase::Idle {
            return;
        }
        if !self.begin(contact, Source::Microphone, Phase::Recording) {
            return;
        }
        spawn_local(async move {
            if let Err(err) = recorder::start(Box::new(move |piece| self.on_piece(piece))).await {
                self.end();
                self.error
                    .set(Some(format!("De opname kon niet starten: {err}.")));
            }
        });
    }

    fn on_piece(self, piece: Vec<f32>) {
        self.level.set(recorder::level_db(&piece));
        if !self.take_in(&piece) {
            return;
        }
        let samples = self.take.with_value(|t| t.samples().len() as u64);
        self.elapsed_ms.set(samples * 1000 / u64::from(SAMPLE_RATE));
        // A running recording keeps the workspace from locking itself.
        self.session.touch();
        self.flush();
    }

    /// Pauses or resumes capture.
    pub fn toggle_pause(self) {
        let pause = self.phase.get_untracked() == Phase::Recording;
        self.phase.set(if pause {
            Phase::Paused
        } else {
            Phase::Recording
        });
        spawn_local(async move {
            if let Err(err) = recorder::set_paused(pause).await {
                self.error.set(Some(format!("Pauzeren lukte niet: {err}")));
            }
        });
    }

    /// Stops capture; the worker finishes the transcript, then it is stored.
    pub fn stop(self) {
        recorder::stop();
        self.take.update_value(|t| t.stopped = true);
        self.phase.set(Phase::Finishing);
        self.flush();
    }

    /// Transcribes an audio file for `contact`.
    pub fn upload(self, contact: RecordId, file: web_sys::File) {
        if self.phase.get_untracked() != Phase::Idle {
            return;
        }
        if !self.begin(contact, Source::File, Phase::Finishing) {
            return;
        }
        spawn_local(async move {
            match recorder::decode_file(file).await {
                Ok(samples) => {
                    self.elapsed_ms
                        .set(samples.len() as u64 * 1000 / u64::from(SAMPLE_RATE));
                    if self.take_in(&samples) {
                        self.take.update_value(|t| t.stopped = true);
                        self.flush();
                    }
                }
                Err(err) => {
                    self.end();
                    self.error.set(Some(err));
                }
            }
        });
    }

    /// Tries the save again after it failed.
    pub fn retry_save(self) {
        self.error.set(None);
        if let Some(finished) = self.speech.done.get_untracked() {
            self.save(finished);
        }
    }

    /// Hands the worker what it does not have yet, once the model is ready.
    fn flush(self) {
        let speech = self.speech;
        if !speech.ready() {
            return;
        }
        let file = self.source.get_untracked() == Source::File;
        let Some(contact) = self.contact.get_untracked() else {
            return;
        };
        let Ok(permit) = self.permit(contact) else {
            self.refuse(contact);
            return;
        };
        let (vocabulary, mut print) = if self.take.with_value(|t| t.started) {
            (String::new(), None)
        } else {
            (self.vocabulary(contact), self.voice_print())
        };
        let result = self
            .take
            .try_update_value(|t| -> Result<(), String> {
                if !t.started {
                    speech.start(&permit, &vocabulary, print.take())?;
                    if file {
                        speech.mark_as_file()?;
                    }
                    t.started = true;
                }
                for piece in t.samples()[t.sent..].chunks(SAMPLE_RATE as usize) {
                    speech.send(piece)?;
                }
                t.sent = t.samples().len();
                if t.stopped && !t.finish_sent {
                    speech.finish()?;
                    t.finish_sent = true;
                }
                Ok(())
            })
            .unwrap_or(Ok(()));
        if let Err(err) = result {
            self.error.set(Some(format!(
                "De spraakverwerking is niet bereikbaar: {err}"
            )));
        }
    }

    fn save(self, finished: Finished) {
        let Some(contact) = self.contact.get_untracked() else {
            return;
        };
        self.phase.set(Phase::Saving);
        let session = self.session;
        let speech = self.speech;
        let source = self.source.get_untracked();
        spawn_local(async move {
            let samples = self.take.with_value(|t| recorder::wav(t.samples()));
            let model = speech.model_name().unwrap_or_else(|| "spraakmodel".into());
            let count = finished.segments.len();
            let result = session
                .save(|ws| {
                    let c = ws
                        .contact(contact)
                        .ok_or(domain::workspace::WorkspaceError::ContactNotFound)?;
                    let permit = c.processing_permit()?;
                    let mut transcript = Transcript::recorded(
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
                    transcript.mark_unsure(
                        finished
                            .segments
                            .iter()
                            .filter(|s| !s.text.trim().is_empty())
                            .map(|s| s.unsure.clone()),
                    );
                    transcript.attribute_voices(&finished.voices);
                    // The voice the worker's profile recognised is theirs (named as if by hand,
                    // so the worker can change it like any name).
                    // A voice without a segment of its own cannot be named: left to the worker.
                    if let Some(voice) = finished.worker_voice {
                        let _ = transcript.name_voice(voice, Some(Speaker::Worker));
                    }
                    ws.stage_recording(&permit, transcript, &samples)
                })
                .await;
            match result {
                Ok(_) => {
                    self.end();
                    let length = clock::position(finished.audio_ms);
                    let message = match source {
                        Source::Microphone => format!(
                            "Transcript bewaard: {count} fragmenten uit {length} opname, klaar {:.1} s na het stoppen.",
                            finished.finish_ms as f64 / 1000.0
                        ),
                        Source::File => format!(
                            "Transcript bewaard: {count} fragmenten uit {length} audio van het bestand."
                        ),
                    };
                    self.notice.set(Some((contact, message)));
                }
                // The audio and transcript stay in memory; "Opnieuw bewaren" tries again. A
                // lock waiting on this work may go on: the keys are needed to retry anyway.
                Err(err) => {
                    self.guard.set_value(None);
                    self.error.set(Some(err.to_string()));
                }
            }
        });
    }
}
