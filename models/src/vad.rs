//! Voice-activity gate: finds the spans of a recording that hold speech, so that silence and
//! steady noise never reach the decoder (Whisper invents sentences on silence).
//!
//! Energy per 20-ms frame against an adaptive noise floor (the 10th percentile of all frames
//! so far) and an absolute floor. A frame is voiced when it is both 10 dB above the noise floor
//! and above -50 dBFS; a span needs 200 ms of voiced frames, gaps under 400 ms are bridged and
//! each span is padded by 200 ms.

use crate::mel::SAMPLE_RATE;

/// Samples per analysis frame (20 ms).
pub const FRAME: usize = SAMPLE_RATE / 50;
const ABSOLUTE_FLOOR_DB: f32 = -50.0;
const ABOVE_NOISE_DB: f32 = 10.0;
const MIN_SPEECH_FRAMES: usize = 10;
const BRIDGE_FRAMES: usize = 20;
const PAD_FRAMES: usize = 10;
/// Padding on each side of a span, in samples.
pub(crate) const PAD: usize = PAD_FRAMES * FRAME;

/// A span of speech, in samples from the start of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First sample.
    pub start: usize,
    /// One past the last sample.
    pub end: usize,
}

/// Incremental frame energies of a stream.
#[derive(Debug, Default, Clone)]
pub struct Vad {
    energies: Vec<f32>,
}

impl Vad {
    /// An empty gate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the frames of `audio` (the whole stream so far) not yet measured.
    pub fn update(&mut self, audio: &[f32]) {
        let complete = audio.len() / FRAME;
        for f in self.energies.len()..complete {
            let frame = &audio[f * FRAME..(f + 1) * FRAME];
            let power = frame.iter().map(|s| s * s).sum::<f32>() / FRAME as f32;
            self.energies.push(10.0 * (power + 1e-12).log10());
        }
    }

    /// Noise floor in dBFS: the 10th percentile of all frames measured.
    pub fn noise_floor(&self) -> f32 {
        if self.energies.is_empty() {
            return -120.0;
        }
        let mut sorted = self.energies.clone();
        let k = sorted.len() / 10;
        let (_, v, _) = sorted.select_nth_unstable_by(k, f32::total_cmp);
        *v
    }

    /// Speech spans that start at or after sample `from`.
    pub fn spans(&self, from: usize) -> Vec<Span> {
        let threshold = (self.noise_floor() + ABOVE_NOISE_DB).max(ABSOLUTE_FLOOR_DB);
        let first = from.div_ceil(FRAME);
        let voiced: Vec<bool> = self
            .energies
            .iter()
            .skip(first)
            .map(|&e| e > threshold)
            .collect();
        // Raw runs of voiced frames, gaps bridged.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (i, &v) in voiced.iter().enumerate() {
            if !v {
                continue;
            }
            match runs.last_mut() {
                Some((_, end)) if i - *end <= BRIDGE_FRAMES => *end = i + 1,
                _ => runs.push((i, i + 1)),
            }
        }
        let total = self.energies.len();
        runs.into_iter()
            .filter(|(s, e)| voiced[*s..*e].iter().filter(|v| **v).count() >= MIN_SPEECH_FRAMES)
            .map(|(s, e)| {
                let start = (first + s).saturating_sub(PAD_FRAMES).max(first);
                let end = (first + e + PAD_FRAMES).min(total);
                Span {
                    start: start * FRAME,
                    end: end * FRAME,
                }
            })
            .collect()
    }

    /// The speech spans from the start, in milliseconds (`[start_ms, end_ms)`): what speaker
    /// attribution looks at.
    pub fn spans_ms(&self) -> Vec<(u64, u64)> {
        let ms = |sample: usize| (sample * 1000 / SAMPLE_RATE) as u64;
        self.spans(0)
            .iter()
            .map(|s| (ms(s.start), ms(s.end)))
            .collect()
    }

    /// Speech spans in milliseconds of a whole recording (see [`Vad::spans_ms`]).
    pub fn speech_ms(samples: &[f32]) -> Vec<(u64, u64)> {
        let mut vad = Self::new();
        vad.update(samples);
        vad.spans_ms()
    }

    /// Frames measured so far.
    pub fn frames(&self) -> usize {
        self.energies.len()
    }
}
