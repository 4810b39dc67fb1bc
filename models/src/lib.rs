//! On-device Dutch speech-to-text for Zorgvuldig.
//!
//! The engine receives the model file as bytes (it never fetches anything), runs natively and
//! in wasm32 (simd128, one thread), and returns timed segments. Pipeline: voice-activity gate
//! ([`vad`]) → log-mel features ([`mel`]) → Whisper encoder/decoder behind the [`Backend`]
//! trait ([`whisper`] on candle) → decoding with timestamp rules, temperature fallback and a
//! repetition guard ([`decode`]) → [`Transcriber`] segments.
//!
//! Model files are made by [`convert`] from the upstream CTranslate2 weights ([`ct2`]), or from
//! any Whisper size an organisation brings as a CTranslate2 or safetensors directory
//! (`import`, `hf`; native only), and wrapped in a checked [`container`].

pub mod audio;
pub mod backend;
pub mod bpe;
pub mod config;
pub mod container;
pub mod convert;
pub mod ct2;
pub mod decode;
pub mod der;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod hf;
#[cfg(not(target_arch = "wasm32"))]
pub mod import;
pub mod mel;
pub mod names;
pub mod source;
pub mod speakers;
pub mod tokens;
pub mod transcriber;
pub mod vad;
pub mod voice_print;
pub mod wer;
pub mod whisper;

pub use backend::Backend;
pub use error::{ModelError, Result};
pub use transcriber::{Segment, Transcriber};
pub use whisper::{Compute, SpeechModel};
