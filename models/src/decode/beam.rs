//! Beam search at temperature 0: the `beams` likeliest sequences are kept at every step (all
//! fed to the decoder in one batch), under the same rules as greedy decoding; the decode ends
//! once `beams` sequences have ended, and the one with the best mean log-probability wins.

use super::rules::Rules;
use super::{Attempt, DecodeOptions, Opening, open, repetition_start};
use crate::backend::Backend;
use crate::error::Result;

/// One sequence being decoded.
#[derive(Clone)]
struct Beam {
    tokens: Vec<u32>,
    logprobs: Vec<f32>,
    sum: f32,
}

impl Beam {
    /// Mean log-probability: a longer sequence is not worse for having more tokens.
    fn score(&self) -> f32 {
        self.sum / self.tokens.len().max(1) as f32
    }
}

/// Decodes one window with beam search (`options.beams` beams); see [`super::decode_window`].
pub(super) fn run<B: Backend>(
    backend: &mut B,
    options: &DecodeOptions,
    content_seconds: f32,
    prompt: &[u32],
) -> Result<Attempt> {
    let beams = options.beams.max(1);
    let rules = Rules::new(backend, content_seconds);
    let sp = backend.vocabulary().specials();
    let is_text = |t: u32| sp.is_text(t);
    let eot = sp.eot;
    let Opening {
        no_speech_prob,
        logits: first,
        max_tokens,
    } = open(backend, options, prompt)?;
    backend.fork(beams)?;

    // At first one live sequence; its logits stand for every copy.
    let mut live = vec![Beam {
        tokens: Vec::new(),
        logprobs: Vec::new(),
        sum: 0.0,
    }];
    let mut logits = vec![first];
    let mut ended: Vec<Beam> = Vec::new();
    let mut looped: Option<(Beam, usize)> = None;
    for _ in 0..max_tokens {
        // Every continuation of every live beam worth keeping: its best `beams + 1` tokens.
        let mut candidates: Vec<(f32, usize, u32, f32)> = Vec::new();
        for (i, beam) in live.iter().enumerate() {
            let logprobs = rules.apply(&mut logits[i], &beam.tokens)?;
            let mut best: Vec<(u32, f32)> = logprobs
                .iter()
                .enumerate()
                .filter(|(_, lp)| lp.is_finite())
                .map(|(t, &lp)| (t as u32, lp))
                .collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1));
            best.truncate(beams + 1);
            candidates.extend(best.into_iter().map(|(t, lp)| (beam.sum + lp, i, t, lp)));
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut next: Vec<Beam> = Vec::new();
        let mut parents: Vec<usize> = Vec::new();
        for (sum, i, token, lp) in candidates {
            if next.len() == beams {
                break;
            }
            let mut beam = live[i].clone();
            beam.sum = sum;
            if token == eot {
                if ended.len() < beams {
                    ended.push(beam);
                }
                continue;
            }
            beam.tokens.push(token);
            beam.logprobs.push(lp);
            // A sequence that starts repeating is kept aside (trimmed later), not continued.
            let text: Vec<u32> = beam
                .tokens
                .iter()
                .copied()
                .filter(|&t| is_text(t))
                .collect();
            if let Some(at) = repetition_start(&text) {
                if looped
                    .as_ref()
                    .is_none_or(|(b, _)| beam.score() > b.score())
                {
                    let position = beam
                        .tokens
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| is_text(**t))
                        .nth(at)
                        .map_or(beam.tokens.len(), |(p, _)| p);
                    looped = Some((beam, position));
                }
                continue;
            }
            next.push(beam);
            parents.push(i);
        }
        if ended.len() >= beams || next.is_empty() {
            live = next;
            break;
        }
        // The decoder's batch stays `beams` wide: missing beams repeat the first.
        let mut tokens: Vec<u32> = next
            .iter()
            .map(|b| *b.tokens.last().unwrap_or(&eot))
            .collect();
        while parents.len() < beams {
            parents.push(parents[0]);
            tokens.push(tokens[0]);
        }
        logits = backend.decode_beams(&parents, &tokens)?;
        logits.truncate(next.len());
        live = next;
    }
    let best_ended = ended
        .into_iter()
        .max_by(|a, b| a.score().total_cmp(&b.score()));
    let attempt = |beam: Beam, ended: bool, loop_at: Option<usize>| Attempt {
        sum_logprob: beam.sum,
        tokens: beam.tokens,
        logprobs: beam.logprobs,
        no_speech_prob,
        loop_at,
        ended,
    };
    Ok(match best_ended {
        Some(beam) => attempt(beam, true, None),
        None => match live
            .into_iter()
            .max_by(|a, b| a.score().total_cmp(&b.score()))
        {
            Some(beam) => attempt(beam, false, None),
            None => match looped {
                Some((beam, at)) => attempt(beam, false, Some(at)),
                None => attempt(
                    Beam {
                        tokens: Vec::new(),
                        logprobs: Vec::new(),
                        sum: 0.0,
                    },
                    true,
                    None,
                ),
            },
        },
    })
}
