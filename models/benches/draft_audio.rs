//! Drafting from audio, end to end: the spoken lines of the drafting corpus are read by one
//! espeak-ng voice per speaker, transcribed by the engine, the voices told apart
//! (`models::speakers`) and named the way the worker names them (each voice after the person
//! it overlaps most), and drafted by the code the app runs. Prints the drafting scores of the
//! same cases typed (speakers as annotated), and from audio, with the DER.
//!
//! `cargo bench -p models --bench draft_audio -- [--split dev|test] [--skip N] [--limit N]`
//!
//! Needs `models/weights/` (`cargo xtask weights`) and espeak-ng. Slow: the engine transcribes
//! every case (about 4 minutes of audio each).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;
use std::time::Instant;

use casework::eval::{Report, draft_case, draft_with, load_dir, score};
use domain::transcript::{Speaker, Transcript, VoiceTurn};
use domain::{RecordId, Timestamp};
use models::decode::DecodeOptions;
use models::der::{Der, Turn, der};
use models::speakers::{Options, diarize};
use models::{Compute, SpeechModel, Transcriber};

fn arg<T: std::str::FromStr>(name: &str) -> Option<T> {
    speech_fixtures::arg(name).unwrap()
}

const VOICES: [&str; 4] = ["nl", "nl+f2", "nl+m7", "nl+f4"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split: String = arg("--split").unwrap_or_else(|| "dev".into());
    let skip: usize = arg("--skip").unwrap_or(0);
    let limit: usize = arg("--limit").unwrap_or(usize::MAX);
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../casework/eval")).join(&split);
    let cases: Vec<_> = load_dir(&dir)
        .unwrap()
        .into_iter()
        .filter(|c| !c.spoken.is_empty())
        .skip(skip)
        .take(limit)
        .collect();
    let templates = templates::builtin().unwrap();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/weights");
    let manifest = std::fs::read_to_string(format!("{root}/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let file = manifest["file"].as_str().unwrap();
    let bytes = std::fs::read(format!("{root}/{file}")).unwrap();
    let mut model = Some(SpeechModel::load(&bytes, Compute::Quantized).unwrap());
    let (mut typed, mut audio) = (Report::default(), Report::default());
    let mut total_der = Der::default();
    let mut audio_s = 0.0;
    let started = Instant::now();
    for case in &cases {
        // Speakers in order of appearance, one voice each.
        let mut order: Vec<Speaker> = Vec::new();
        let mut letters: Vec<String> = Vec::new();
        let mut samples = speech_fixtures::silence(0.5);
        let mut reference: Vec<Turn> = Vec::new();
        for seg in &case.spoken {
            // Other speakers are told apart by their line's letter in the case file, which the
            // parsed case does not keep: each `Other` line is read with the third voice.
            let key = format!("{:?}", seg.speaker);
            let n = match letters.iter().position(|l| *l == key) {
                Some(n) => n,
                None => {
                    letters.push(key);
                    order.push(seg.speaker);
                    letters.len() - 1
                }
            };
            let voice = VOICES[n.min(VOICES.len() - 1)];
            let spoken = speech_fixtures::speak(voice, &seg.text).unwrap();
            let at = samples.len();
            let first = spoken.iter().position(|x| x.abs() > 0.01).unwrap_or(0);
            let last = spoken.iter().rposition(|x| x.abs() > 0.01).unwrap_or(0);
            reference.push(Turn {
                start_ms: ((at + first) / 16) as u64,
                end_ms: ((at + last) / 16) as u64,
                speaker: n,
            });
            samples.extend(spoken);
            samples.extend(speech_fixtures::silence(0.7));
        }
        audio_s += samples.len() as f64 / 16_000.0;
        let mut transcriber = Transcriber::new(model.take().unwrap(), DecodeOptions::default());
        let segments = transcriber.transcribe(&samples).unwrap();
        model = Some(transcriber.into_backend());
        let spans: Vec<(u64, u64)> = segments.iter().map(|s| (s.start_ms, s.end_ms)).collect();
        let options = Options {
            max_speakers: order.len().max(2),
            ..Options::default()
        };
        let turns = diarize(&samples, &spans, &options);
        let d = der(&reference, &turns, 250);
        total_der.add(d);
        let id = RecordId::random().unwrap();
        let mut transcript = Transcript::recorded(
            id,
            id,
            "whisper-base",
            segments
                .iter()
                .map(|s| (s.start_ms, s.end_ms, s.text.clone())),
            None,
            Timestamp(0),
        );
        let voice_turns: Vec<VoiceTurn> = turns
            .iter()
            .map(|t| VoiceTurn {
                start_ms: t.start_ms,
                end_ms: t.end_ms,
                voice: t.speaker as u8,
            })
            .collect();
        transcript.attribute_voices(&voice_turns);
        // The worker names each voice: after the person it overlaps most.
        for voice in transcript.voice_ids() {
            let mut heard = vec![0u64; order.len()];
            for t in turns.iter().filter(|t| t.speaker == usize::from(voice)) {
                for r in &reference {
                    heard[r.speaker] += t
                        .end_ms
                        .min(r.end_ms)
                        .saturating_sub(t.start_ms.max(r.start_ms));
                }
            }
            let who = (0..order.len()).max_by_key(|&i| heard[i]).unwrap_or(0);
            transcript.name_voice(voice, Some(order[who])).unwrap();
        }
        typed.add(
            &case.name,
            score(case, &draft_case(case, &templates).unwrap()),
        );
        if args.iter().any(|a| a == "--verbose") {
            for seg in &transcript.segments {
                println!("  [{:?}] {}", seg.speaker, seg.text);
            }
        }
        let drafted = draft_with(case, &templates, Some(transcript)).unwrap();
        if args.iter().any(|a| a == "--verbose") {
            for d in &drafted {
                println!("  => [{}] {}", d.section, d.text);
            }
        }
        let scored = score(case, &drafted);
        println!(
            "{:<48} {:>6.0} s DER {:>5.1}% audio: {} correct of {} expected, {} wrong, {} traps",
            case.name,
            samples.len() as f64 / 16_000.0,
            100.0 * d.rate(),
            scored
                .lines
                .iter()
                .filter(|l| l.outcome == casework::eval::Outcome::Correct)
                .count(),
            scored
                .lines
                .iter()
                .filter(|l| l.outcome != casework::eval::Outcome::Unexpected)
                .count(),
            scored
                .lines
                .iter()
                .filter(|l| l.outcome == casework::eval::Outcome::Wrong)
                .count(),
            scored.trap_hits.len(),
        );
        audio.add(&case.name, scored);
    }
    println!("typed:      {}", typed.summary());
    println!("from audio: {}", audio.summary());
    println!(
        "DER {:.1}%; audio {:.0} s; {:.0} s in all; recall from audio / typed {:.2}",
        100.0 * total_der.rate(),
        audio_s,
        started.elapsed().as_secs_f64(),
        audio.total.recall() / typed.total.recall().max(1e-9)
    );
}
