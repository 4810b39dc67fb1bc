//! The worker's own voice print: made once from about 30 seconds of the worker reading aloud,
//! it says which of the voices [`crate::speakers::diarize`] found in a recording is the
//! worker's, so that a recording's segments can be labelled "Werker" and "Cliënt" without a
//! click. A client's voice is never printed: only the worker makes a print, of themselves.
//!
//! The print is the mean of the same window summaries the clustering uses (cepstral mean and
//! spread, pitch). A voice of a recording is the worker's when its mean lies nearest the print,
//! measured in the recording's own spread of each dimension (so that what varies between the
//! voices of this recording counts), within [`MAX_DISTANCE`], and clearly nearer than any other
//! voice ([`MARGIN`]). Otherwise no voice is named: the worker says it ("Dit ben ik").

use crate::der::Turn;
use crate::speakers::{FRAME_MS, Options, windows_of};
use crate::vad::Vad;

/// Fewest windows of voiced speech a print is made of (about 8 seconds of voice).
pub const MIN_WINDOWS: usize = 10;
/// Largest distance (root mean square over the dimensions, in the recording's spreads) at
/// which a voice is still the print's.
pub const MAX_DISTANCE: f32 = 1.2;
/// The nearest voice is the print's only when its distance is at most this share of the next
/// voice's.
pub const MARGIN: f32 = 0.7;

/// A summary of one person's voice.
#[derive(Debug, Clone, PartialEq)]
pub struct VoicePrint {
    /// Mean of the window summaries, dimension by dimension (`NaN` where no window had pitch).
    pub mean: Vec<f32>,
    /// How many windows it was made of.
    pub windows: usize,
}

/// The mean of `vectors`, dimension by dimension, over the values that are not `NaN`.
fn mean_of<'a>(vectors: impl Iterator<Item = &'a Vec<f32>> + Clone, dims: usize) -> Vec<f32> {
    (0..dims)
        .map(|d| {
            let known: Vec<f32> = vectors
                .clone()
                .map(|v| v[d])
                .filter(|x| !x.is_nan())
                .collect();
            if known.is_empty() {
                f32::NAN
            } else {
                known.iter().sum::<f32>() / known.len() as f32
            }
        })
        .collect()
}

/// The print of the one voice in `samples` (16 kHz mono: the worker reading aloud); `None`
/// when it holds too little voiced speech.
pub fn voice_print(samples: &[f32], options: &Options) -> Option<VoicePrint> {
    let windows = windows_of(samples, &Vad::speech_ms(samples), options)?;
    if windows.len() < MIN_WINDOWS {
        return None;
    }
    let dims = windows[0].vector.len();
    Some(VoicePrint {
        mean: mean_of(windows.iter().map(|w| &w.vector), dims),
        windows: windows.len(),
    })
}

/// The distance of each voice of `turns` (numbered from 0) to `print`, in `samples`; `None`
/// for a voice without a window of its own.
pub fn distances(
    samples: &[f32],
    turns: &[Turn],
    print: &VoicePrint,
    options: &Options,
) -> Vec<Option<f32>> {
    let voices = turns.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    let spans: Vec<(u64, u64)> = turns.iter().map(|t| (t.start_ms, t.end_ms)).collect();
    let Some(windows) = windows_of(samples, &spans, options) else {
        return vec![None; voices];
    };
    let dims = print.mean.len();
    if windows.iter().any(|w| w.vector.len() != dims) {
        return vec![None; voices];
    }
    // Each window belongs to the voice of the turn its middle frame lies in.
    let voice_of = |w: &crate::speakers::Window| {
        let ms = w.frames[w.frames.len() / 2] as u64 * FRAME_MS;
        turns
            .iter()
            .find(|t| t.start_ms <= ms && ms < t.end_ms)
            .map(|t| t.speaker)
    };
    // The recording's own spread of each dimension.
    let all_mean = mean_of(windows.iter().map(|w| &w.vector), dims);
    let spread: Vec<f32> = (0..dims)
        .map(|d| {
            let known: Vec<f32> = windows
                .iter()
                .map(|w| w.vector[d])
                .filter(|x| !x.is_nan())
                .collect();
            let n = known.len().max(1) as f32;
            (known.iter().map(|x| (x - all_mean[d]).powi(2)).sum::<f32>() / n)
                .sqrt()
                .max(1e-6)
        })
        .collect();
    (0..voices)
        .map(|v| {
            let own: Vec<&Vec<f32>> = windows
                .iter()
                .filter(|w| voice_of(w) == Some(v))
                .map(|w| &w.vector)
                .collect();
            if own.is_empty() {
                return None;
            }
            let mean = mean_of(own.iter().copied(), dims);
            let terms: Vec<f32> = (0..dims)
                .filter(|&d| !mean[d].is_nan() && !print.mean[d].is_nan())
                .map(|d| ((mean[d] - print.mean[d]) / spread[d]).powi(2))
                .collect();
            (!terms.is_empty()).then(|| (terms.iter().sum::<f32>() / terms.len() as f32).sqrt())
        })
        .collect()
}

/// Which voice of `turns` (as [`crate::speakers::diarize`] numbers them) is the print's, if
/// one clearly is.
pub fn whose(
    samples: &[f32],
    turns: &[Turn],
    print: &VoicePrint,
    options: &Options,
) -> Option<usize> {
    let found = distances(samples, turns, print, options);
    let mut known: Vec<(usize, f32)> = found
        .iter()
        .enumerate()
        .filter_map(|(v, d)| d.map(|d| (v, d)))
        .collect();
    known.sort_by(|a, b| a.1.total_cmp(&b.1));
    let &(voice, nearest) = known.first()?;
    let clear = known
        .get(1)
        .is_none_or(|&(_, next)| nearest <= MARGIN * next);
    (nearest <= MAX_DISTANCE && clear).then_some(voice)
}

impl From<&VoicePrint> for domain::speech::VoicePrint {
    /// The print as the app keeps it: a `NaN` mean (no window had that measure) is `None`.
    fn from(print: &VoicePrint) -> Self {
        Self {
            mean: print
                .mean
                .iter()
                .map(|&x| (!x.is_nan()).then_some(x))
                .collect(),
            windows: u32::try_from(print.windows).unwrap_or(u32::MAX),
        }
    }
}

impl From<&domain::speech::VoicePrint> for VoicePrint {
    /// The print as the app keeps it, back in the engine's form.
    fn from(print: &domain::speech::VoicePrint) -> Self {
        Self {
            mean: print.mean.iter().map(|x| x.unwrap_or(f32::NAN)).collect(),
            windows: print.windows as usize,
        }
    }
}
