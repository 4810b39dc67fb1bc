//! Whisper's rules for the next token, given the tokens chosen so far: no special tokens but
//! end-of-text and timestamps, the suppressed tokens, a first timestamp of at most one second,
//! timestamps in pairs and never going back, none past the audio's end, and a timestamp when
//! timestamps together are likelier than any text token. Shared by greedy and beam decoding.

use super::{TIMESTAMP_STEP, log_softmax};
use crate::backend::Backend;
use crate::error::{ModelError, Result};

/// The rules for one window.
pub(super) struct Rules {
    eot: usize,
    ts_begin: usize,
    last_ts: usize,
    n_vocab: usize,
    suppress: Vec<u32>,
    suppress_begin: Vec<u32>,
}

impl Rules {
    /// The rules of `backend`'s model for a window with `content_seconds` of real audio.
    pub(super) fn new<B: Backend>(backend: &B, content_seconds: f32) -> Self {
        let vocab = backend.vocabulary();
        let sp = vocab.specials();
        let ts_begin = sp.timestamp_begin as usize;
        Self {
            eot: sp.eot as usize,
            ts_begin,
            // Timestamps past the end of the real audio (plus half a second) are not allowed.
            last_ts: ts_begin + ((content_seconds + 0.5) / TIMESTAMP_STEP).ceil() as usize,
            n_vocab: vocab.len(),
            suppress: backend.config().suppress_ids.clone(),
            suppress_begin: backend.config().suppress_ids_begin.clone(),
        }
    }

    /// Applies the rules to `logits` (in place: what they forbid becomes minus infinity) after
    /// `tokens`, and returns the log-probabilities of what is left.
    ///
    /// # Errors
    /// [`ModelError::Invalid`] when `logits` does not have one value per token.
    pub(super) fn apply(&self, logits: &mut [f32], tokens: &[u32]) -> Result<Vec<f32>> {
        let (ts_begin, n_vocab) = (self.ts_begin, self.n_vocab);
        if logits.len() != n_vocab {
            return Err(ModelError::Invalid(format!(
                "{} logits for {n_vocab} tokens",
                logits.len()
            )));
        }
        // Special tokens other than end-of-text and timestamps are never produced.
        for l in &mut logits[(self.eot + 1)..ts_begin] {
            *l = f32::NEG_INFINITY;
        }
        for &id in &self.suppress {
            if let Some(l) = logits.get_mut(id as usize) {
                *l = f32::NEG_INFINITY;
            }
        }
        for l in logits.iter_mut().skip(self.last_ts + 1) {
            *l = f32::NEG_INFINITY;
        }
        let is_ts = |t: u32| t as usize >= ts_begin;
        if tokens.is_empty() {
            for &id in &self.suppress_begin {
                if let Some(l) = logits.get_mut(id as usize) {
                    *l = f32::NEG_INFINITY;
                }
            }
            // The first token is a timestamp of at most one second.
            for l in &mut logits[..ts_begin] {
                *l = f32::NEG_INFINITY;
            }
            for l in logits.iter_mut().skip(ts_begin + 51) {
                *l = f32::NEG_INFINITY;
            }
        } else {
            let last_was_ts = tokens.last().is_some_and(|&t| is_ts(t));
            let penult_was_ts = tokens.len() < 2 || is_ts(tokens[tokens.len() - 2]);
            if last_was_ts {
                if penult_was_ts {
                    for l in &mut logits[ts_begin..] {
                        *l = f32::NEG_INFINITY;
                    }
                } else {
                    for l in &mut logits[..self.eot] {
                        *l = f32::NEG_INFINITY;
                    }
                }
            }
            if let Some(&prev) = tokens.iter().rev().find(|&&t| is_ts(t)) {
                let floor = if last_was_ts && !penult_was_ts {
                    prev as usize
                } else {
                    prev as usize + 1
                };
                for l in &mut logits[ts_begin..floor.min(n_vocab)] {
                    *l = f32::NEG_INFINITY;
                }
            }
        }
        let logprobs = log_softmax(logits);
        // When timestamps together are likelier than any single text token, take a timestamp.
        let ts_mass = {
            let max = logprobs[ts_begin..]
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max);
            if max.is_finite() {
                max + logprobs[ts_begin..]
                    .iter()
                    .map(|&l| (l - max).exp())
                    .sum::<f32>()
                    .ln()
            } else {
                f32::NEG_INFINITY
            }
        };
        let text_max = logprobs[..ts_begin]
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max);
        if ts_mass > text_max {
            for l in &mut logits[..ts_begin] {
                *l = f32::NEG_INFINITY;
            }
        }
        Ok(log_softmax(logits))
    }
}
