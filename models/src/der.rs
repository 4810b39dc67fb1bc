//! Diarization error rate (DER), the standard measure of "who spoke when".
//!
//! Scored on a 10 ms grid: every reference frame outside the collar (`collar_ms` on both sides
//! of each reference turn boundary) counts once. Missed speech (reference speech the system
//! left unlabelled), false alarm (speech the system labelled where the reference has none) and
//! confusion (the wrong speaker, after the best one-to-one mapping of system speakers to
//! reference speakers) are summed and divided by the scored reference speech. Overlapping
//! reference turns are scored against the turn that starts last (the fixtures here have none).

/// One speaker turn: `[start_ms, end_ms)` and who spoke (a small integer per speaker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    /// Start in milliseconds.
    pub start_ms: u64,
    /// End in milliseconds (exclusive).
    pub end_ms: u64,
    /// Speaker number.
    pub speaker: usize,
}

impl From<Turn> for domain::transcript::VoiceTurn {
    /// A turn of speaker attribution as the transcript keeps it (voices numbered from 0).
    fn from(t: Turn) -> Self {
        Self {
            start_ms: t.start_ms,
            end_ms: t.end_ms,
            voice: u8::try_from(t.speaker).unwrap_or(u8::MAX),
        }
    }
}

/// The parts of a DER, in scored milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Der {
    /// Reference speech scored.
    pub scored_ms: u64,
    /// Reference speech without a system speaker.
    pub missed_ms: u64,
    /// System speech where the reference has none.
    pub false_alarm_ms: u64,
    /// Speech given to the wrong speaker.
    pub confusion_ms: u64,
}

impl Der {
    /// The error rate, 0 when nothing was scored.
    pub fn rate(&self) -> f64 {
        if self.scored_ms == 0 {
            return 0.0;
        }
        (self.missed_ms + self.false_alarm_ms + self.confusion_ms) as f64 / self.scored_ms as f64
    }

    /// Adds another recording's parts (a corpus DER weighs recordings by their speech).
    pub fn add(&mut self, other: Der) {
        self.scored_ms += other.scored_ms;
        self.missed_ms += other.missed_ms;
        self.false_alarm_ms += other.false_alarm_ms;
        self.confusion_ms += other.confusion_ms;
    }
}

const STEP_MS: u64 = 10;

fn grid(turns: &[Turn], frames: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; frames];
    for t in turns {
        let (a, b) = (
            (t.start_ms / STEP_MS) as usize,
            (t.end_ms / STEP_MS) as usize,
        );
        for slot in out.iter_mut().take(b.min(frames)).skip(a) {
            *slot = Some(t.speaker);
        }
    }
    out
}

/// Every assignment of `n` system speakers to distinct reference speakers (or none), as a list
/// of `map[system] = Some(reference)`.
fn mappings(n: usize, refs: usize) -> Vec<Vec<Option<usize>>> {
    let mut out = vec![Vec::new()];
    for _ in 0..n {
        let mut next = Vec::new();
        for m in &out {
            next.push([m.clone(), vec![None]].concat());
            for r in 0..refs {
                if !m.contains(&Some(r)) {
                    next.push([m.clone(), vec![Some(r)]].concat());
                }
            }
        }
        out = next;
    }
    out
}

/// The DER of `system` against `reference` with a collar of `collar_ms` around each reference
/// boundary. Speakers are numbered from 0 on both sides; up to 6 per side.
pub fn der(reference: &[Turn], system: &[Turn], collar_ms: u64) -> Der {
    let end = reference
        .iter()
        .chain(system)
        .map(|t| t.end_ms)
        .max()
        .unwrap_or(0);
    let frames = (end / STEP_MS) as usize + 1;
    let (r, s) = (grid(reference, frames), grid(system, frames));
    let mut scored = vec![true; frames];
    let collar = (collar_ms / STEP_MS) as usize;
    for t in reference {
        for edge in [t.start_ms, t.end_ms] {
            let at = (edge / STEP_MS) as usize;
            for slot in scored
                .iter_mut()
                .take((at + collar).min(frames))
                .skip(at.saturating_sub(collar))
            {
                *slot = false;
            }
        }
    }
    let count = |v: &[Turn]| v.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    let (refs, syss) = (count(reference), count(system));
    // Frames where reference speaker `a` meets system speaker `b`.
    let mut meet = vec![vec![0u64; refs]; syss];
    let mut out = Der::default();
    for i in (0..frames).filter(|&i| scored[i]) {
        match (r[i], s[i]) {
            (Some(a), Some(b)) => {
                out.scored_ms += STEP_MS;
                meet[b][a] += STEP_MS;
            }
            (Some(_), None) => {
                out.scored_ms += STEP_MS;
                out.missed_ms += STEP_MS;
            }
            (None, Some(_)) => out.false_alarm_ms += STEP_MS,
            (None, None) => {}
        }
    }
    let both: u64 = meet.iter().flatten().sum();
    let matched = mappings(syss.min(6), refs)
        .iter()
        .map(|m| {
            m.iter()
                .enumerate()
                .filter_map(|(b, a)| a.map(|a| meet[b][a]))
                .sum::<u64>()
        })
        .max()
        .unwrap_or(0);
    out.confusion_ms = both - matched;
    out
}
