//! Dutch speech fixtures for tests and benches: espeak-ng reading text, the annotated
//! worker–client conversations of `templates/eval/` read by two voices (worker `nl`, client
//! `nl+f2`), real recorded speech ([`fillets`]), and the faster-whisper peer ([`peer`]).
//!
//! Whisper base understands espeak-ng Dutch far better slow and with gaps between words, so
//! the voices run at 90 words a minute with 60 ms between words. Everything is 16 kHz mono.

pub mod dialogues;
pub mod fillets;
pub mod peer;
pub mod whisper_dir;

use std::path::{Path, PathBuf};
use std::process::Command;

use extract::Speaker;

/// Sample rate of every fixture.
pub const SAMPLE_RATE: usize = 16_000;

/// Why a fixture cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// espeak-ng is missing or failed.
    #[error("espeak-ng failed: {0} (scripts/test.sh installs it)")]
    Espeak(String),
    /// Its output is not a WAV file.
    #[error(transparent)]
    Audio(#[from] models::ModelError),
    /// The conversations cannot be read.
    #[error(transparent)]
    Conversations(#[from] templates::evaluation::EvalError),
    /// A tool (apt-get, dpkg-deb, sox, python) failed.
    #[error("{0}")]
    Tool(String),
    /// A bench's command-line value does not read ("--limit abc").
    #[error("{name} {value:?}: not a valid value")]
    Argument {
        /// The option.
        name: String,
        /// What followed it.
        value: String,
    },
}

/// The value after `name` on the command line (`--limit 4` → `Some(4)`), for the benches;
/// `None` when the option is not given.
///
/// # Errors
/// [`FixtureError::Argument`] when the value does not parse as a `T`.
pub fn arg<T: std::str::FromStr>(name: &str) -> Result<Option<T>, FixtureError> {
    let args: Vec<String> = std::env::args().collect();
    let Some(value) = args
        .iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
    else {
        return Ok(None);
    };
    value.parse().map(Some).map_err(|_| FixtureError::Argument {
        name: name.to_owned(),
        value: value.clone(),
    })
}

/// `.tools/` at the workspace root, where fetched data and tools live (never committed).
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools")
}

/// A named fixture set: `espeak` (the spoken conversations) or `fillets` (real speech, one
/// recording per game level); `limit` counts recordings.
///
/// # Errors
/// As [`conversations`] and [`fillets::levels`].
pub fn set(name: &str, limit: usize) -> Result<Vec<Fixture>, FixtureError> {
    match name {
        "fillets" => fillets::levels(limit),
        _ => conversations(limit),
    }
}

/// A recording and the words it says.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Name of the recording.
    pub name: String,
    /// 16 kHz mono samples.
    pub samples: Vec<f32>,
    /// The reference text (every turn, in order).
    pub reference: String,
}

/// `text` spoken by espeak-ng's `voice`, at 16 kHz.
///
/// # Errors
/// [`FixtureError::Espeak`] when espeak-ng is missing or fails.
pub fn speak(voice: &str, text: &str) -> Result<Vec<f32>, FixtureError> {
    let out = Command::new("espeak-ng")
        .args(["-v", voice, "-s", "90", "-g", "6", "--stdout", text])
        .output()
        .map_err(|e| FixtureError::Espeak(e.to_string()))?;
    if !out.status.success() {
        return Err(FixtureError::Espeak(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    Ok(models::audio::to_16k(&models::audio::read_wav(
        &out.stdout,
    )?))
}

/// `seconds` of digital silence.
pub fn silence(seconds: f32) -> Vec<f32> {
    vec![0.0; (seconds * SAMPLE_RATE as f32) as usize]
}

/// The evaluation conversations directory.
pub fn conversations_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/eval")
}

/// The first `limit` evaluation conversations (by file name), spoken: half a second of silence
/// first, 0.7 s between turns.
///
/// # Errors
/// When the conversations cannot be read or espeak-ng fails.
pub fn conversations(limit: usize) -> Result<Vec<Fixture>, FixtureError> {
    let mut out = Vec::new();
    for (name, conv) in templates::evaluation::load_dir(&conversations_dir())?
        .into_iter()
        .take(limit)
    {
        let mut samples = silence(0.5);
        let mut reference = Vec::new();
        for seg in templates::evaluation::segments_of(&conv) {
            let voice = if seg.speaker == Speaker::Worker {
                "nl"
            } else {
                "nl+f2"
            };
            samples.extend(speak(voice, &seg.text)?);
            samples.extend(silence(0.7));
            reference.push(seg.text);
        }
        out.push(Fixture {
            name: name.trim_end_matches(".toml").to_owned(),
            samples,
            reference: reference.join(" "),
        });
    }
    Ok(out)
}
