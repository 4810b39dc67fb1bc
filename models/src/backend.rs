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
    /// Beam search: the sequence fed so far becomes `beams` identical sequences, each fed on
    /// by [`Backend::decode_beams`]. By default not supported.
    fn fork(&mut self, beams: usize) -> Result<()> {
        let _ = beams;
        Err(crate::ModelError::Invalid(
            "this engine has no beam search".into(),
        ))
    }
    /// Feeds one token to each beam: beam `i` continues the sequence beam `parents[i]` had
    /// and takes `tokens[i]`. Returns each beam's next-token logits.
    fn decode_beams(&mut self, parents: &[usize], tokens: &[u32]) -> Result<Vec<Vec<f32>>> {
        let _ = (parents, tokens);
        Err(crate::ModelError::Invalid(
            "this engine has no beam search".into(),
        ))
    }
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

    fn fork(&mut self, beams: usize) -> Result<()> {
        (**self).fork(beams)
    }

    fn decode_beams(&mut self, parents: &[usize], tokens: &[u32]) -> Result<Vec<Vec<f32>>> {
        (**self).decode_beams(parents, tokens)
    }
}
