//! The one WAV writer: mono samples as a 16-bit PCM WAV file. The app stores recordings with
//! it, the open export format carries them, and the speech engine's tests and benchmarks write
//! their fixtures with it.
//!
//! Samples are clamped to [-1, 1] and scaled by 32 767, rounded to the nearest integer (not
//! truncated toward zero, which would bias quiet audio toward silence), so full scale maps to
//! ±32 767 and the scale is symmetric.

/// Size of the header this writer emits.
pub const HEADER_LEN: usize = 44;

/// One sample as a 16-bit PCM value.
pub fn pcm16(sample: f32) -> i16 {
    // `as` saturates and maps NaN to 0.
    (sample.clamp(-1.0, 1.0) * 32767.0).round() as i16
}

/// `samples` (mono, `rate` per second) as a 16-bit PCM WAV file.
pub fn encode(samples: &[f32], rate: u32) -> Vec<u8> {
    let data_len = u32::try_from(samples.len() * 2).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(HEADER_LEN + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&rate.saturating_mul(2).to_le_bytes()); // bytes per second
    out.extend_from_slice(&2u16.to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&pcm16(*s).to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_round_to_the_nearest_value_and_clamp() {
        assert_eq!(pcm16(0.0), 0);
        assert_eq!(pcm16(1.0), 32767);
        assert_eq!(pcm16(-1.0), -32767);
        assert_eq!(pcm16(2.5), 32767);
        assert_eq!(pcm16(-7.0), -32767);
        assert_eq!(pcm16(0.5), 16384, "16383.5 rounds up, not down");
        assert_eq!(pcm16(-0.5), -16384);
        assert_eq!(pcm16(0.6 / 32767.0), 1, "truncation would give 0");
        assert_eq!(pcm16(0.4 / 32767.0), 0);
        assert_eq!(pcm16(f32::NAN), 0);
    }

    #[test]
    fn header_describes_16_bit_mono_pcm() {
        let wav = encode(&[0.0, 1.0, -1.0], 16_000);
        assert_eq!(wav.len(), HEADER_LEN + 6);
        assert_eq!(&wav[0..4], b"RIFF");
        assert_eq!(u32::from_le_bytes([wav[4], wav[5], wav[6], wav[7]]), 36 + 6);
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        assert_eq!(u16::from_le_bytes([wav[22], wav[23]]), 1, "mono");
        assert_eq!(
            u32::from_le_bytes([wav[24], wav[25], wav[26], wav[27]]),
            16_000
        );
        assert_eq!(
            u32::from_le_bytes([wav[28], wav[29], wav[30], wav[31]]),
            32_000
        );
        assert_eq!(u16::from_le_bytes([wav[34], wav[35]]), 16, "bits");
        assert_eq!(&wav[36..40], b"data");
        assert_eq!(u32::from_le_bytes([wav[40], wav[41], wav[42], wav[43]]), 6);
        assert_eq!(&wav[44..], &[0, 0, 0xff, 0x7f, 0x01, 0x80]);
    }
}
