//! The seam between decoding and the tensor engine: a WebGPU engine implements the same trait.

use crate::config::WhisperConfig;
use crate::error::Result;
use crate::tokens::Vocabulary;

/// A Whisper network that can encode a window and score the next token.
pub trait Backend {
    /// Model dimensions.
    fn config(&self) -> &WhisperConfig;
    /// Tokens of the model.
    fn vocabulary(&self) -> &Vocabulary;
    /// Encodes one window of log-mel features (`n_mels × frames`, row-major) and keeps the
    /// result for the following [`Backend::decode`] calls.
    fn encode(&mut self, mel: &[f32], frames: usize) -> Result<()>;
    /// [`Backend::encode`] that gives up with [`crate::ModelError::Interrupted`] as soon as
    /// `stop` says so between its steps (by default only before it starts).
    fn encode_unless(&mut self, mel: &[f32], frames: usize, stop: &dyn Fn() -> bool) -> Result<()> {
        if stop() {
            return Err(crate::ModelError::Interrupted);
        }
        self.encode(mel, frames)
    }
    /// Feeds `tokens` after those already fed since the last `fresh` call and returns the
    /// logits of the next token. `fresh` starts a new sequence on the same audio.
    fn decode(&mut self, tokens: &[u32], fresh: bool) -> Result<Vec<f32>>;
}

impl<B: Backend + ?Sized> Backend for &mut B {
    fn config(&self) -> &WhisperConfig {
        (**self).config()
    }

    fn vocabulary(&self) -> &Vocabulary {
        (**self).vocabulary()
    }

    fn encode(&mut self, mel: &[f32], frames: usize) -> Result<()> {
        (**self).encode(mel, frames)
    }

    fn encode_unless(&mut self, mel: &[f32], frames: usize, stop: &dyn Fn() -> bool) -> Result<()> {
        (**self).encode_unless(mel, frames, stop)
    }

    fn decode(&mut self, tokens: &[u32], fresh: bool) -> Result<Vec<f32>> {
        (**self).decode(tokens, fresh)
    }
}
