//! Reading WAV files and converting audio to 16 kHz mono f32.

use crate::error::{ModelError, Result};
use crate::mel::SAMPLE_RATE;

/// Decoded audio.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    /// Samples per second.
    pub rate: u32,
    /// Mono samples in [-1, 1].
    pub samples: Vec<f32>,
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Parses a RIFF/WAVE file (PCM 8/16/24/32-bit or IEEE float 32-bit, any channel count,
/// channels averaged to mono).
pub fn read_wav(bytes: &[u8]) -> Result<Audio> {
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(ModelError::Audio("not a RIFF/WAVE file".into()));
    }
    let mut pos = 12;
    let mut format: Option<(u16, u16, u32, u16)> = None;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32_at(bytes, pos + 4) as usize;
        let body = pos + 8;
        let available = bytes.len() - body;
        if id == b"fmt " {
            if size < 16 || available < 16 {
                return Err(ModelError::Audio("fmt chunk is too short".into()));
            }
            let mut tag = u16_at(bytes, body);
            if tag == 0xFFFE && size >= 26 && available >= 26 {
                tag = u16_at(bytes, body + 24);
            }
            format = Some((
                tag,
                u16_at(bytes, body + 2),
                u32_at(bytes, body + 4),
                u16_at(bytes, body + 14),
            ));
        } else if id == b"data" {
            let Some((tag, channels, rate, bits)) = format else {
                return Err(ModelError::Audio("data chunk before fmt chunk".into()));
            };
            // Streams written while recording may declare a size larger than what follows.
            let data = &bytes[body..body + size.min(available)];
            return decode_pcm(data, tag, channels, rate, bits);
        }
        pos = body + size + (size & 1);
    }
    Err(ModelError::Audio("no data chunk".into()))
}

fn decode_pcm(data: &[u8], tag: u16, channels: u16, rate: u32, bits: u16) -> Result<Audio> {
    if channels == 0 || rate == 0 {
        return Err(ModelError::Audio("zero channels or sample rate".into()));
    }
    let width = (bits / 8) as usize;
    let sample = |b: &[u8]| -> Result<f32> {
        Ok(match (tag, bits) {
            (1, 8) => (f32::from(b[0]) - 128.0) / 128.0,
            (1, 16) => f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0,
            (1, 24) => (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 / 8_388_608.0,
            (1, 32) => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0,
            (3, 32) => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            _ => {
                return Err(ModelError::Audio(format!(
                    "unsupported sample format (tag {tag}, {bits} bits)"
                )));
            }
        })
    };
    let frame = width * channels as usize;
    if frame == 0 {
        return Err(ModelError::Audio("zero-width samples".into()));
    }
    let mut samples = Vec::with_capacity(data.len() / frame);
    for chunk in data.chunks_exact(frame) {
        let mut sum = 0.0;
        for c in chunk.chunks_exact(width) {
            sum += sample(c)?;
        }
        samples.push(sum / f32::from(channels));
    }
    Ok(Audio { rate, samples })
}

/// Encodes mono samples as a 16-bit PCM WAV file (the one writer, [`domain::wav::encode`]).
pub fn wav_bytes(samples: &[f32], rate: u32) -> Vec<u8> {
    domain::wav::encode(samples, rate)
}

/// Resamples mono audio to 16 kHz with a windowed-sinc low-pass (linear when upsampling).
pub fn to_16k(audio: &Audio) -> Vec<f32> {
    resample(&audio.samples, audio.rate as usize, SAMPLE_RATE)
}

/// Resamples mono `samples` from `from` Hz to `to` Hz.
pub fn resample(samples: &[f32], from: usize, to: usize) -> Vec<f32> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let ratio = to as f64 / from as f64;
    let out_len = (samples.len() as f64 * ratio).floor() as usize;
    let cutoff = ratio.min(1.0);
    let half_width = 16.0 / cutoff;
    let mut out = Vec::with_capacity(out_len);
    for i in 0..out_len {
        let center = i as f64 / ratio;
        let lo = (center - half_width).ceil().max(0.0) as usize;
        let hi = ((center + half_width).floor() as usize).min(samples.len() - 1);
        let mut acc = 0.0;
        let mut norm = 0.0;
        for (j, &s) in samples.iter().enumerate().take(hi + 1).skip(lo) {
            let x = j as f64 - center;
            let sinc = if x.abs() < 1e-9 {
                1.0
            } else {
                let a = std::f64::consts::PI * x * cutoff;
                a.sin() / a
            };
            let window = 0.5 * (1.0 + (std::f64::consts::PI * x / half_width).cos());
            let w = sinc * window;
            acc += f64::from(s) * w;
            norm += w;
        }
        out.push(if norm.abs() > 1e-9 {
            (acc / norm) as f32
        } else {
            0.0
        });
    }
    out
}
