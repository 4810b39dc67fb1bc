//! Log-mel features as Whisper expects them, single-threaded (wasm32 has no threads).
//!
//! Periodic Hann window of 400 samples, hop 160, reflect padding of 200 at both ends, power
//! spectrum, Slaney-style mel filters (the same as librosa's defaults) over 0–8 kHz, log10
//! clamped to 8 below the maximum and scaled as `(x + 4) / 4`.

use std::sync::Arc;

use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftPlanner};

/// Sample rate of all audio the engine takes.
pub const SAMPLE_RATE: usize = 16_000;
/// FFT size.
pub const N_FFT: usize = 400;
/// Samples between frames (10 ms).
pub const HOP: usize = 160;
/// Samples in one 30-second window.
pub const WINDOW_SAMPLES: usize = 30 * SAMPLE_RATE;
/// Frames in one window.
pub const WINDOW_FRAMES: usize = WINDOW_SAMPLES / HOP;

/// Computes log-mel features, reusing its FFT plan and filters between windows.
pub struct MelExtractor {
    n_mels: usize,
    filters: Vec<f32>,
    window: Vec<f32>,
    fft: Arc<dyn Fft<f32>>,
}

impl std::fmt::Debug for MelExtractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MelExtractor")
            .field("n_mels", &self.n_mels)
            .finish_non_exhaustive()
    }
}

fn hz_to_mel(f: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if f >= min_log_hz {
        min_log_mel + (f / min_log_hz).ln() / logstep
    } else {
        f / f_sp
    }
}

fn mel_to_hz(m: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if m >= min_log_mel {
        min_log_hz * (logstep * (m - min_log_mel)).exp()
    } else {
        f_sp * m
    }
}

/// Slaney-normalised triangular mel filters, `n_mels × (N_FFT / 2 + 1)` row-major.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let bins = N_FFT / 2 + 1;
    let nyquist = SAMPLE_RATE as f64 / 2.0;
    let fft_freqs: Vec<f64> = (0..bins)
        .map(|i| i as f64 * nyquist / (bins - 1) as f64)
        .collect();
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(nyquist));
    let mel_freqs: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut filters = vec![0f32; n_mels * bins];
    for m in 0..n_mels {
        let (left, center, right) = (mel_freqs[m], mel_freqs[m + 1], mel_freqs[m + 2]);
        let norm = 2.0 / (right - left);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let lower = (f - left) / (center - left);
            let upper = (right - f) / (right - center);
            let w = lower.min(upper).max(0.0);
            filters[m * bins + k] = (w * norm) as f32;
        }
    }
    filters
}

impl MelExtractor {
    /// A new extractor for `n_mels` bins.
    pub fn new(n_mels: usize) -> Self {
        let window = (0..N_FFT)
            .map(|i| {
                let x = 2.0 * std::f64::consts::PI * i as f64 / N_FFT as f64;
                (0.5 * (1.0 - x.cos())) as f32
            })
            .collect();
        Self {
            n_mels,
            filters: mel_filters(n_mels),
            window,
            fft: FftPlanner::new().plan_fft_forward(N_FFT),
        }
    }

    /// Features of one window: `samples` (at most 30 s) are zero-padded to 30 s. Returns
    /// `n_mels × WINDOW_FRAMES` values, row-major.
    pub fn window(&self, samples: &[f32]) -> Vec<f32> {
        let mut padded = vec![0f32; WINDOW_SAMPLES];
        let n = samples.len().min(WINDOW_SAMPLES);
        padded[..n].copy_from_slice(&samples[..n]);
        self.features(&padded, WINDOW_FRAMES)
    }

    fn features(&self, audio: &[f32], frames: usize) -> Vec<f32> {
        let pad = N_FFT / 2;
        // Reflect padding (numpy's "reflect": the edge sample is not repeated).
        let len = audio.len();
        let at = |i: isize| -> f32 {
            let mut j = i;
            if j < 0 {
                j = -j;
            }
            if j >= len as isize {
                j = 2 * (len as isize - 1) - j;
            }
            audio
                .get(j.clamp(0, len as isize - 1) as usize)
                .copied()
                .unwrap_or(0.0)
        };
        let bins = N_FFT / 2 + 1;
        let mut power = vec![0f32; frames * bins];
        let mut buffer = vec![Complex32::new(0.0, 0.0); N_FFT];
        let mut scratch = vec![Complex32::new(0.0, 0.0); self.fft.get_inplace_scratch_len()];
        for frame in 0..frames {
            let start = (frame * HOP) as isize - pad as isize;
            for (i, slot) in buffer.iter_mut().enumerate() {
                *slot = Complex32::new(at(start + i as isize) * self.window[i], 0.0);
            }
            self.fft.process_with_scratch(&mut buffer, &mut scratch);
            let row = &mut power[frame * bins..(frame + 1) * bins];
            for (k, p) in row.iter_mut().enumerate() {
                *p = buffer[k].norm_sqr();
            }
        }
        let mut mel = vec![0f32; self.n_mels * frames];
        for m in 0..self.n_mels {
            let filter = &self.filters[m * bins..(m + 1) * bins];
            // Filters are sparse: only the triangle's support is non-zero.
            let first = filter.iter().position(|&w| w > 0.0).unwrap_or(0);
            let last = filter.iter().rposition(|&w| w > 0.0).map_or(0, |p| p + 1);
            for frame in 0..frames {
                let row = &power[frame * bins..(frame + 1) * bins];
                let mut sum = 0f32;
                for k in first..last {
                    sum += filter[k] * row[k];
                }
                mel[m * frames + frame] = sum.max(1e-10).log10();
            }
        }
        let max = mel.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for v in &mut mel {
            *v = ((*v).max(max - 8.0) + 4.0) / 4.0;
        }
        mel
    }
}
