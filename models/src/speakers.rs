//! Telling voices apart on the device, without a learned model: who spoke when.
//!
//! Each 10 ms frame of speech gets 19 mel-frequency cepstral coefficients (the spectral
//! envelope a voice gives its vowels; the loudness coefficient is left out) and, where it is
//! voiced, its pitch. Within the speech stretches, windows of 1.5 s of voiced frames (0.75 s
//! apart) are summarised by the mean and spread of the coefficients and the mean and spread of
//! the pitch. Voices are found by divisive clustering: all windows start as one voice; the
//! split of a voice in two (k-means on its windows, standardised, k-means++ seeds and fixed
//! restarts, so every run gives the same result) whose halves stand apart best is made while
//! its silhouette reaches [`Options::min_silhouette`], each half holds a fair share of the
//! recording and fewer than [`Options::max_speakers`] voices are found. Every frame then takes
//! the voice of the nearest window, and turns shorter than [`Options::min_turn_ms`] join their
//! neighbour.
//!
//! The bench (`cargo bench -p models --bench diarize`) measures it with the diarization error
//! rate ([`crate::der`]) on synthetic and real Dutch dialogues.

use rustfft::FftPlanner;
use rustfft::num_complex::Complex32;

use crate::der::Turn;
use crate::mel::{HOP, N_FFT, SAMPLE_RATE, mel_filters};

/// Mel bands the cepstra are taken from.
const BANDS: usize = 40;
/// Cepstral coefficients kept (1..=19; coefficient 0 is loudness).
const CEPS: usize = 19;
/// How many times the mean pitch counts among the window's dimensions.
const PITCH_WEIGHT: usize = 6;
/// A voice holds at least this share of the windows.
const MIN_SHARE: f32 = 0.04;
/// Milliseconds per frame.
pub(crate) const FRAME_MS: u64 = (HOP * 1000 / SAMPLE_RATE) as u64;

/// Settings of [`diarize`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Most voices to look for: 2 (worker and client) unless the worker says more people
    /// take part. Without a learned model the number of voices is the weak point: on real
    /// speech one voice's own variation can stand apart as much as a third person (see the
    /// README's figures), so more voices are looked for only when asked.
    pub max_speakers: usize,
    /// Window length in frames of speech.
    pub window_frames: usize,
    /// Frames between window starts.
    pub hop_frames: usize,
    /// Shortest turn kept; shorter ones join their neighbour.
    pub min_turn_ms: u64,
    /// A second voice is accepted only with a silhouette at least this high.
    pub min_silhouette: f32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_speakers: 2,
            window_frames: 150,
            hop_frames: 75,
            min_turn_ms: 600,
            min_silhouette: 0.18,
        }
    }
}

/// Cepstra and loudness of every 10 ms frame of `samples` (16 kHz mono).
fn cepstra(samples: &[f32]) -> (Vec<[f32; CEPS]>, Vec<f32>) {
    let filters = mel_filters(BANDS);
    let bins = N_FFT / 2 + 1;
    let fft = FftPlanner::new().plan_fft_forward(N_FFT);
    let window: Vec<f32> = (0..N_FFT)
        .map(|i| {
            let x = 2.0 * std::f32::consts::PI * i as f32 / N_FFT as f32;
            0.5 * (1.0 - x.cos())
        })
        .collect();
    // DCT-II rows 1..=CEPS.
    let dct: Vec<f32> = (1..=CEPS)
        .flat_map(|c| {
            (0..BANDS).map(move |m| {
                (std::f32::consts::PI * c as f32 * (m as f32 + 0.5) / BANDS as f32).cos()
            })
        })
        .collect();
    let frames = samples.len() / HOP;
    let mut ceps = Vec::with_capacity(frames);
    let mut loudness = Vec::with_capacity(frames);
    let mut buffer = vec![Complex32::new(0.0, 0.0); N_FFT];
    let mut scratch = vec![Complex32::new(0.0, 0.0); fft.get_inplace_scratch_len()];
    let mut power = vec![0f32; bins];
    let mut logmel = [0f32; BANDS];
    for f in 0..frames {
        let start = f * HOP;
        for (i, slot) in buffer.iter_mut().enumerate() {
            let x = samples.get(start + i).copied().unwrap_or(0.0);
            *slot = Complex32::new(x * window[i], 0.0);
        }
        fft.process_with_scratch(&mut buffer, &mut scratch);
        for (k, p) in power.iter_mut().enumerate() {
            *p = buffer[k].norm_sqr();
        }
        let mut total = 0f32;
        for (m, out) in logmel.iter_mut().enumerate() {
            let row = &filters[m * bins..(m + 1) * bins];
            let e: f32 = row.iter().zip(&power).map(|(w, p)| w * p).sum();
            total += e;
            *out = (e + 1e-10).ln();
        }
        let mut c = [0f32; CEPS];
        for (i, slot) in c.iter_mut().enumerate() {
            let row = &dct[i * BANDS..(i + 1) * BANDS];
            *slot = row.iter().zip(&logmel).map(|(a, b)| a * b).sum();
        }
        ceps.push(c);
        loudness.push((total + 1e-10).ln());
    }
    (ceps, loudness)
}

/// Pitch of every 10 ms frame: the log fundamental frequency where the frame is periodic
/// (normalised autocorrelation peak above 0.5 between 60 and 400 Hz, on audio halved to 8 kHz),
/// `None` elsewhere.
fn pitch(samples: &[f32], frames: usize) -> Vec<Option<f32>> {
    let half: Vec<f32> = samples
        .chunks(2)
        .map(|c| c.iter().sum::<f32>() / 2.0)
        .collect();
    const RATE: usize = SAMPLE_RATE / 2;
    const LEN: usize = 240; // 30 ms
    let (min_lag, max_lag) = (RATE / 400, RATE / 60);
    (0..frames)
        .map(|f| {
            let start = f * HOP / 2;
            let x = half.get(start..start + LEN + max_lag)?;
            let energy = |a: usize| x[a..a + LEN].iter().map(|v| v * v).sum::<f32>();
            let e0 = energy(0);
            if e0 <= 1e-8 {
                return None;
            }
            let (mut best, mut best_lag) = (0.5f32, 0);
            for lag in min_lag..=max_lag {
                let cross: f32 = x[..LEN]
                    .iter()
                    .zip(&x[lag..lag + LEN])
                    .map(|(a, b)| a * b)
                    .sum();
                let r = cross / (e0 * energy(lag)).sqrt().max(1e-12);
                if r > best {
                    (best, best_lag) = (r, lag);
                }
            }
            (best_lag > 0).then(|| (RATE as f32 / best_lag as f32).ln())
        })
        .collect()
}

/// A summarised stretch of speech: its frames and its feature vector.
pub(crate) struct Window {
    /// The voiced 10-ms frames it summarises.
    pub frames: Vec<usize>,
    /// Mean and spread of the cepstra, mean pitch (weighted), pitch spread.
    pub vector: Vec<f32>,
}

fn summarise(ceps: &[[f32; CEPS]], pitch: &[Option<f32>], frames: &[usize]) -> Vec<f32> {
    let n = frames.len().max(1) as f32;
    let mut mean = [0f32; CEPS];
    for &f in frames {
        for (m, c) in mean.iter_mut().zip(&ceps[f]) {
            *m += c / n;
        }
    }
    let mut var = [0f32; CEPS];
    for &f in frames {
        for ((v, c), m) in var.iter_mut().zip(&ceps[f]).zip(&mean) {
            *v += (c - m) * (c - m) / n;
        }
    }
    let voiced: Vec<f32> = frames.iter().filter_map(|&f| pitch[f]).collect();
    let (f0, spread) = if voiced.len() >= 5 {
        let m = voiced.iter().sum::<f32>() / voiced.len() as f32;
        let v = voiced.iter().map(|p| (p - m).powi(2)).sum::<f32>() / voiced.len() as f32;
        (m, v.sqrt())
    } else {
        (f32::NAN, f32::NAN)
    };
    mean.iter()
        .copied()
        .chain(var.iter().map(|v| v.sqrt()))
        .chain(std::iter::repeat_n(f0, PITCH_WEIGHT))
        .chain([spread])
        .collect()
}

fn distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// A small deterministic generator (xorshift), so clustering is the same on every run.
struct Seeds(u64);

impl Seeds {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// k-means with k-means++ seeds; returns labels and the summed squared distance.
fn kmeans(points: &[Vec<f32>], k: usize, seeds: &mut Seeds) -> (Vec<usize>, f32) {
    let mut centres: Vec<Vec<f32>> =
        vec![points[(seeds.next() * points.len() as f32) as usize % points.len()].clone()];
    while centres.len() < k {
        let d: Vec<f32> = points
            .iter()
            .map(|p| {
                centres
                    .iter()
                    .map(|c| distance(p, c))
                    .fold(f32::MAX, f32::min)
            })
            .collect();
        let total: f32 = d.iter().sum();
        let mut pick = seeds.next() * total;
        let mut chosen = points.len() - 1;
        for (i, v) in d.iter().enumerate() {
            if pick <= *v {
                chosen = i;
                break;
            }
            pick -= v;
        }
        centres.push(points[chosen].clone());
    }
    let mut labels = vec![0; points.len()];
    for _ in 0..50 {
        let mut changed = false;
        for (p, l) in points.iter().zip(labels.iter_mut()) {
            let best = (0..k)
                .min_by(|&a, &b| distance(p, &centres[a]).total_cmp(&distance(p, &centres[b])))
                .unwrap_or(0);
            changed |= best != *l;
            *l = best;
        }
        for (c, centre) in centres.iter_mut().enumerate() {
            let members: Vec<&Vec<f32>> = points
                .iter()
                .zip(&labels)
                .filter(|(_, l)| **l == c)
                .map(|(p, _)| p)
                .collect();
            if members.is_empty() {
                continue;
            }
            for (d, v) in centre.iter_mut().enumerate() {
                *v = members.iter().map(|m| m[d]).sum::<f32>() / members.len() as f32;
            }
        }
        if !changed {
            break;
        }
    }
    let inertia = points
        .iter()
        .zip(&labels)
        .map(|(p, l)| distance(p, &centres[*l]))
        .sum();
    (labels, inertia)
}

/// Mean silhouette of a clustering (on at most 400 evenly spread points).
fn silhouette(points: &[Vec<f32>], labels: &[usize], k: usize) -> f32 {
    let stride = points.len().div_ceil(400).max(1);
    let picked: Vec<usize> = (0..points.len()).step_by(stride).collect();
    let mut total = 0f32;
    for &i in &picked {
        let mut sums = vec![(0f32, 0usize); k];
        for &j in &picked {
            if i != j {
                let d = distance(&points[i], &points[j]).sqrt();
                sums[labels[j]].0 += d;
                sums[labels[j]].1 += 1;
            }
        }
        let mean = |c: usize| sums[c].0 / sums[c].1.max(1) as f32;
        let own = mean(labels[i]);
        let other = (0..k)
            .filter(|&c| c != labels[i] && sums[c].1 > 0)
            .map(mean)
            .fold(f32::MAX, f32::min);
        if other < f32::MAX && sums[labels[i]].1 > 0 {
            total += (other - own) / own.max(other).max(1e-6);
        }
    }
    total / picked.len().max(1) as f32
}

/// The best of several fixed restarts of k-means.
fn cluster(points: &[Vec<f32>], k: usize) -> Vec<usize> {
    let mut seeds = Seeds(0x9E37_79B9_7F4A_7C15);
    (0..8)
        .map(|_| kmeans(points, k, &mut seeds))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(labels, _)| labels)
        .unwrap_or_else(|| vec![0; points.len()])
}

/// The summarised windows of the voiced frames within `speech`; `None` when `speech` holds no
/// frame of `samples`.
pub(crate) fn windows_of(
    samples: &[f32],
    speech: &[(u64, u64)],
    options: &Options,
) -> Option<Vec<Window>> {
    let (ceps, loudness) = cepstra(samples);
    let pitch = pitch(samples, ceps.len());
    let in_speech: Vec<usize> = speech
        .iter()
        .flat_map(|&(a, b)| {
            ((a / FRAME_MS) as usize..(b / FRAME_MS) as usize).filter(|&f| f < ceps.len())
        })
        .collect();
    if in_speech.is_empty() {
        return None;
    }
    // Voiced frames only: pauses between words carry no voice.
    let mut sorted: Vec<f32> = in_speech.iter().map(|&f| loudness[f]).collect();
    sorted.sort_by(f32::total_cmp);
    let floor = sorted[sorted.len() / 2] - 3.0;
    // Windows within each stretch, of its voiced frames.
    let mut windows: Vec<Window> = Vec::new();
    for &(a, b) in speech {
        let (a, b) = ((a / FRAME_MS) as usize, (b / FRAME_MS) as usize);
        let frames: Vec<usize> = (a..b.min(ceps.len()))
            .filter(|&f| loudness[f] >= floor)
            .collect();
        if frames.len() < 20 {
            continue;
        }
        let mut start = 0;
        loop {
            let end = (start + options.window_frames).min(frames.len());
            let part = frames[start..end].to_vec();
            windows.push(Window {
                vector: summarise(&ceps, &pitch, &part),
                frames: part,
            });
            if end == frames.len() {
                break;
            }
            // The last window of a stretch ends at its end (no short leftover).
            start = (start + options.hop_frames)
                .min(frames.len().saturating_sub(options.window_frames));
        }
    }
    Some(windows)
}

/// Who spoke when in `samples` (16 kHz mono), within `speech` (`[start_ms, end_ms)` stretches
/// of speech, from the voice-activity gate or the recognised segments). Speakers are numbered
/// from 0 in order of first appearance.
pub fn diarize(samples: &[f32], speech: &[(u64, u64)], options: &Options) -> Vec<Turn> {
    let Some(windows) = windows_of(samples, speech, options) else {
        return Vec::new();
    };
    if windows.is_empty() {
        return speech
            .iter()
            .map(|&(start_ms, end_ms)| Turn {
                start_ms,
                end_ms,
                speaker: 0,
            })
            .collect();
    }
    let raw: Vec<Vec<f32>> = windows.iter().map(|w| w.vector.clone()).collect();
    let labels = voices(&raw, options);
    frame_turns(speech, &windows, &labels, options.min_turn_ms)
}

/// `points` standardised dimension by dimension over the members `idx`.
fn standardised(points: &[Vec<f32>], idx: &[usize]) -> Vec<Vec<f32>> {
    let dims = points[idx[0]].len();
    let mut out: Vec<Vec<f32>> = idx.iter().map(|&i| points[i].clone()).collect();
    for d in 0..dims {
        // A window without pitch has no value there: it sits at the mean.
        let known: Vec<f32> = out.iter().map(|p| p[d]).filter(|v| !v.is_nan()).collect();
        let n = known.len().max(1) as f32;
        let mean = known.iter().sum::<f32>() / n;
        let sd = (known.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n)
            .sqrt()
            .max(1e-6);
        for p in &mut out {
            p[d] = if p[d].is_nan() {
                0.0
            } else {
                (p[d] - mean) / sd
            };
        }
    }
    out
}

/// A proposed split of one voice's windows in two: its silhouette and the windows of each half.
struct Split {
    silhouette: f32,
    halves: (Vec<usize>, Vec<usize>),
}

/// The best two-way split of the windows `idx`, if both halves hold a fair share of the
/// recording's `total` windows.
fn propose(points: &[Vec<f32>], idx: &[usize], total: usize) -> Option<Split> {
    if idx.len() < 8 {
        return None;
    }
    let local = standardised(points, idx);
    let two = cluster(&local, 2);
    let silhouette = silhouette(&local, &two, 2);
    let mut halves = (Vec::new(), Vec::new());
    for (&i, &l) in idx.iter().zip(&two) {
        if l == 0 {
            halves.0.push(i);
        } else {
            halves.1.push(i);
        }
    }
    let smallest = halves.0.len().min(halves.1.len()) as f32 / total as f32;
    (smallest >= MIN_SHARE).then_some(Split { silhouette, halves })
}

/// Voices by divisive clustering: starting from one voice, the split that stands apart best
/// (highest silhouette, at least `options.min_silhouette`) is made, until no split qualifies
/// or `options.max_speakers` voices are found. Returns a voice per window.
fn voices(points: &[Vec<f32>], options: &Options) -> Vec<usize> {
    let total = points.len();
    let mut groups: Vec<Vec<usize>> = vec![(0..total).collect()];
    let mut proposals: Vec<Option<Split>> = vec![propose(points, &groups[0], total)];
    while groups.len() < options.max_speakers {
        let best = proposals
            .iter()
            .enumerate()
            .filter_map(|(g, p)| p.as_ref().map(|p| (g, p.silhouette)))
            .filter(|(_, s)| *s >= options.min_silhouette)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((g, _)) = best else { break };
        let Some(split) = proposals[g].take() else {
            break;
        };
        let (a, b) = split.halves;
        proposals[g] = propose(points, &a, total);
        proposals.push(propose(points, &b, total));
        groups[g] = a;
        groups.push(b);
    }
    let mut labels = vec![0; total];
    for (g, members) in groups.iter().enumerate() {
        for &i in members {
            labels[i] = g;
        }
    }
    labels
}

/// Gives every frame of `speech` the voice of the nearest window, merges short turns and
/// numbers the voices by first appearance.
fn frame_turns(
    speech: &[(u64, u64)],
    windows: &[Window],
    labels: &[usize],
    min_turn_ms: u64,
) -> Vec<Turn> {
    let centres: Vec<(usize, usize)> = windows
        .iter()
        .zip(labels)
        .map(|(w, &l)| (w.frames[w.frames.len() / 2], l))
        .collect();
    let mut turns: Vec<Turn> = Vec::new();
    for &(a, b) in speech {
        let (fa, fb) = ((a / FRAME_MS) as usize, (b / FRAME_MS) as usize);
        for f in fa..fb {
            // Windows are in time order: the nearest centre by binary search.
            let i = centres.partition_point(|(c, _)| *c < f);
            let near = [i.checked_sub(1), (i < centres.len()).then_some(i)]
                .into_iter()
                .flatten()
                .min_by_key(|&j| centres[j].0.abs_diff(f));
            let Some(j) = near else { continue };
            let speaker = centres[j].1;
            let ms = f as u64 * FRAME_MS;
            match turns.last_mut() {
                Some(t) if t.speaker == speaker && t.end_ms + 2 * FRAME_MS >= ms => {
                    t.end_ms = ms + FRAME_MS;
                }
                _ => turns.push(Turn {
                    start_ms: ms,
                    end_ms: ms + FRAME_MS,
                    speaker,
                }),
            }
        }
    }
    // Short turns join the neighbour before them (or after, at the start).
    let mut merged: Vec<Turn> = Vec::new();
    for t in turns {
        match merged.last_mut() {
            Some(prev)
                if t.end_ms - t.start_ms < min_turn_ms && t.start_ms <= prev.end_ms + 300 =>
            {
                prev.end_ms = t.end_ms;
            }
            Some(prev) if prev.speaker == t.speaker && t.start_ms <= prev.end_ms + 300 => {
                prev.end_ms = t.end_ms;
            }
            _ => merged.push(t),
        }
    }
    let mut order: Vec<usize> = Vec::new();
    for t in &mut merged {
        let n = match order.iter().position(|&s| s == t.speaker) {
            Some(n) => n,
            None => {
                order.push(t.speaker);
                order.len() - 1
            }
        };
        t.speaker = n;
    }
    merged
}
