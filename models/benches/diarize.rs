//! Speaker attribution bench: diarization error rate (DER, 250 ms collar, no overlapping speech
//! in these dialogues) of `models::speakers` on Dutch dialogues, and its time per second of
//! audio, natively.
//!
//! `cargo bench -p models --bench diarize -- [--set espeak2|espeak3|fillets] [--split dev|test]
//! [--skip N] [--limit N] [--speakers N] [--verbose]`
//!
//! - `espeak2` / `espeak3`: the spoken cases of `casework/eval/<split>/` with two or three
//!   speakers, one espeak-ng voice each (needs espeak-ng).
//! - `fillets`: real speech, the two actors of the Dutch Fish Fillets NG dub, one dialogue per
//!   game level in script order (`--skip`/`--limit` count levels; fetched with `apt-get
//!   download` into `.tools/fillets` on first use; needs sox with Ogg Vorbis support).
//!
//! Each dialogue is scored twice: with speech found by the engine's voice-activity gate (what
//! the app has), and with the reference turns as the speech (attribution alone).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use models::der::{Der, der};
use models::speakers::{Options, diarize};
use models::vad::Vad;
use speech_fixtures::dialogues::{self, Dialogue};

fn arg<T: std::str::FromStr>(name: &str) -> Option<T> {
    speech_fixtures::arg(name).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let (set, dialogues): (String, Vec<Dialogue>) = dialogues::from_args("espeak2").unwrap();
    let speakers = arg("--speakers").unwrap_or(match set.as_str() {
        "espeak3" => 3,
        _ => 2,
    });
    let options = Options {
        max_speakers: speakers,
        ..Options::default()
    };
    println!(
        "{:<44} {:>7} {:>8} {:>8} {:>8} {:>6} {:>9}",
        "dialogue", "audio s", "DER vad", "missed", "f.alarm", "conf.", "DER oracle"
    );
    let (mut total_vad, mut total_oracle) = (Der::default(), Der::default());
    let (mut audio_s, mut spent_s, mut found_right) = (0.0, 0.0, 0);
    for d in &dialogues {
        let seconds = d.samples.len() as f64 / 16_000.0;
        let speech = Vad::speech_ms(&d.samples);
        let started = Instant::now();
        let system = diarize(&d.samples, &speech, &options);
        spent_s += started.elapsed().as_secs_f64();
        audio_s += seconds;
        let oracle_speech: Vec<(u64, u64)> =
            d.turns.iter().map(|t| (t.start_ms, t.end_ms)).collect();
        let oracle = diarize(&d.samples, &oracle_speech, &options);
        let (a, b) = (der(&d.turns, &system, 250), der(&d.turns, &oracle, 250));
        let refs = d.turns.iter().map(|t| t.speaker).max().map_or(0, |m| m + 1);
        let found = system.iter().map(|t| t.speaker).max().map_or(0, |m| m + 1);
        found_right += usize::from(refs == found);
        println!(
            "{:<44} {:>7.1} {:>7.1}% {:>7.1}% {:>7.1}% {:>5.1}% {:>8.1}%",
            d.name,
            seconds,
            100.0 * a.rate(),
            100.0 * a.missed_ms as f64 / a.scored_ms.max(1) as f64,
            100.0 * a.false_alarm_ms as f64 / a.scored_ms.max(1) as f64,
            100.0 * a.confusion_ms as f64 / a.scored_ms.max(1) as f64,
            100.0 * b.rate(),
        );
        if verbose {
            for t in &system {
                println!("    {:>7} {:>7} {}", t.start_ms, t.end_ms, t.speaker);
            }
        }
        total_vad.add(a);
        total_oracle.add(b);
    }
    println!(
        "set {set} dialogues {} audio {:.0} s DER {:.1}% (missed {:.1}, false alarm {:.1}, \
         confusion {:.1}) DER with reference speech {:.1}% speakers counted right {}/{} \
         time {:.4} s per audio second",
        dialogues.len(),
        audio_s,
        100.0 * total_vad.rate(),
        100.0 * total_vad.missed_ms as f64 / total_vad.scored_ms.max(1) as f64,
        100.0 * total_vad.false_alarm_ms as f64 / total_vad.scored_ms.max(1) as f64,
        100.0 * total_vad.confusion_ms as f64 / total_vad.scored_ms.max(1) as f64,
        100.0 * total_oracle.rate(),
        found_right,
        dialogues.len(),
        spent_s / audio_s.max(1e-9)
    );
}
