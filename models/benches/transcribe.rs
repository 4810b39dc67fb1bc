//! Speech bench: real-time factor, peak memory and word error rate of the engine, natively, on
//! Dutch worker–client conversations spoken by espeak-ng (the 15 annotated conversations of
//! `templates/eval/`, worker voice `nl`, client voice `nl+f2`), next to faster-whisper on the
//! same weights and audio in the same run.
//!
//! `cargo bench -p models --bench transcribe -- [--set espeak|fillets] [--limit N] [--no-peer] [--dense] [--beams N] [--peer-beams N] [--peer-vad]`
//!
//! `--beams N` decodes with beam search of N beams at temperature 0 (default 1: greedy);
//! `--peer-beams N` and `--peer-vad` set the peer's beam size and turn on its VAD filter.
//!
//! `--set fillets` uses real recorded Dutch speech instead: the Dutch voice dub of Fish Fillets
//! NG from Debian (`fillets-ng-data-nl`, two actors, ~96 minutes) with its Dutch subtitles as
//! reference, one recording per game level (`--limit` counts levels). It is fetched with
//! `apt-get download` into `.tools/fillets` on first use and converted with sox.
//!
//! Needs `models/weights/` (`cargo xtask weights`) and espeak-ng; the peer is installed into
//! `.tools/peer-venv` from PyPI on first use. Fixtures are generated into a temporary directory
//! and never committed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use models::decode::DecodeOptions;
use models::wer::{WordErrors, word_errors};
use models::{Compute, SpeechModel, Transcriber};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let limit = args
        .iter()
        .position(|a| a == "--limit")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let with_peer = !args.iter().any(|a| a == "--no-peer");
    let beams: usize = args
        .iter()
        .position(|a| a == "--beams")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let compute = if args.iter().any(|a| a == "--dense") {
        Compute::Dense
    } else {
        Compute::Quantized
    };

    let weights = Path::new(env!("CARGO_MANIFEST_DIR")).join("weights");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(weights.join("manifest.json")).expect("run `cargo xtask weights`"),
    )
    .unwrap();
    let bytes = std::fs::read(weights.join(manifest["file"].as_str().unwrap())).unwrap();
    let started = Instant::now();
    let mut model = SpeechModel::load(&bytes, compute).unwrap();
    println!(
        "model {} ({:.1} MB, {compute:?}, beams {beams}) loaded in {:.2} s",
        manifest["file"].as_str().unwrap(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    drop(bytes);

    let set = args
        .iter()
        .position(|a| a == "--set")
        .and_then(|i| args.get(i + 1))
        .map_or("espeak", String::as_str);
    let fixtures = speech_fixtures::set(set, limit).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wavs: Vec<PathBuf> = fixtures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let wav = dir.path().join(format!("{i:03}.wav"));
            std::fs::write(&wav, models::audio::wav_bytes(&f.samples, 16_000)).unwrap();
            wav
        })
        .collect();
    let peer_results = if with_peer {
        let decoding = speech_fixtures::peer::PeerDecoding {
            beams: args
                .iter()
                .position(|a| a == "--peer-beams")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
            vad: args.iter().any(|a| a == "--peer-vad"),
        };
        println!("peer: {decoding:?}");
        speech_fixtures::peer::transcribe_with(&wavs, decoding)
            .unwrap()
            .unwrap_or_default()
    } else {
        Vec::new()
    };

    println!(
        "\n{:<28} {:>7} {:>8} {:>7} {:>9} {:>9}",
        "fixture", "audio s", "ours RTF", "ours WER", "peer RTF", "peer WER"
    );
    let (mut audio_total, mut ours_total, mut peer_total) = (0.0, 0.0, 0.0);
    let (mut ours_errors, mut peer_errors) = (WordErrors::default(), WordErrors::default());
    for (i, f) in fixtures.iter().enumerate() {
        let seconds = f.samples.len() as f64 / 16_000.0;
        let options = DecodeOptions {
            beams,
            ..DecodeOptions::default()
        };
        let mut tr = Transcriber::new(&mut model, options);
        let t = Instant::now();
        let segments = tr.transcribe(&f.samples).unwrap();
        let elapsed = t.elapsed().as_secs_f64();
        let text: Vec<&str> = segments.iter().map(|s| s.text.as_str()).collect();
        let ours = word_errors(&f.reference, &text.join(" "));
        audio_total += seconds;
        ours_total += elapsed;
        ours_errors = ours_errors + ours;
        let (peer_rtf, peer_wer) = match peer_results.get(i) {
            Some(peer) => {
                let (text, secs) = (&peer.text, peer.seconds);
                let e = word_errors(&f.reference, text);
                peer_total += secs;
                peer_errors = peer_errors + e;
                (
                    format!("{:.3}", secs / seconds),
                    format!("{:.1}%", 100.0 * e.rate()),
                )
            }
            None => ("-".into(), "-".into()),
        };
        println!(
            "{:<28} {:>7.1} {:>8.3} {:>7.1}% {:>9} {:>9}",
            f.name,
            seconds,
            elapsed / seconds,
            100.0 * ours.rate(),
            peer_rtf,
            peer_wer
        );
    }
    println!(
        "{:<28} {:>7.1} {:>8.3} {:>7.1}% {:>9} {:>9}",
        "all",
        audio_total,
        ours_total / audio_total,
        100.0 * ours_errors.rate(),
        if peer_results.is_empty() {
            "-".into()
        } else {
            format!("{:.3}", peer_total / audio_total)
        },
        if peer_results.is_empty() {
            "-".into()
        } else {
            format!("{:.1}%", 100.0 * peer_errors.rate())
        },
    );
    if !peer_results.is_empty() {
        println!(
            "ours / peer time: {:.2}×; WER difference {:+.1} points",
            ours_total / peer_total,
            100.0 * (ours_errors.rate() - peer_errors.rate())
        );
    }
    println!(
        "peak resident memory of the bench process: {:.0} MB",
        peak_rss_mb()
    );
}
