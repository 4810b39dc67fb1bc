//! `cargo bench -p e2e --bench speech -- [--set espeak|fillets] [--limit N] [--pace P] [--no-peer]`
//! (after `cargo xtask dist` and `cargo xtask weights`): the speech engine in headless Chromium, in the app's real Web Worker,
//! loading the model through the real download path from the real relay.
//!
//! Fixtures are the annotated conversations spoken by espeak-ng (see `speech-fixtures`),
//! or real recorded speech with `--set fillets`, served next to the app from a temporary copy
//! of `dist/`. faster-whisper then runs natively on the same audio (see `speech-fixtures`). Prints per fixture the real-time
//! factor, the time from "stop" to the complete transcript, the worker's WebAssembly memory
//! and the word error rate; and the peak resident memory of the largest Chromium process (the
//! renderer that runs the page and its worker) and of all of them together (an upper bound:
//! shared pages are counted once per process).
//!
//! `--pace 0` (default) sends the audio as fast as the worker takes it; `--pace 1` sends it in
//! real time, as during a conversation, so the "stop → transcript" time is what a worker sees.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use e2e::browser::{Browser, Driver};
use e2e::server::{Relay, copy_dir, dist_dir};
use models::wer::{WordErrors, word_errors};
use speech_fixtures::arg;

/// Resident memory of every Chromium process, in bytes.
fn chromium_rss() -> Vec<u64> {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    procs
        .filter_map(Result::ok)
        .filter(|p| {
            std::fs::read_to_string(p.path().join("comm"))
                .is_ok_and(|c| c.trim().starts_with("chrom") && !c.contains("driver"))
        })
        .filter_map(|p| std::fs::read_to_string(p.path().join("status")).ok())
        .filter_map(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb * 1024)
        .collect()
}

fn main() -> anyhow::Result<()> {
    e2e::block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let limit: usize = arg("--limit")?.unwrap_or(4);
    let pace: f64 = arg("--pace")?.unwrap_or(0.0);
    let set: String = arg("--set")?.unwrap_or_else(|| "espeak".into());
    let with_peer = !std::env::args().any(|a| a == "--no-peer");
    let conversations = speech_fixtures::set(&set, limit)?;
    let site = tempfile::tempdir()?;
    copy_dir(&dist_dir(), site.path())?;
    std::fs::create_dir_all(site.path().join("bench-audio"))?;
    let (mut urls, mut wavs) = (Vec::new(), Vec::new());
    for (i, conv) in conversations.iter().enumerate() {
        let name = format!("{i:03}.wav");
        let path = site.path().join("bench-audio").join(&name);
        std::fs::write(&path, models::audio::wav_bytes(&conv.samples, 16_000))?;
        urls.push(format!("/bench-audio/{name}"));
        wavs.push(path);
    }
    let relay = Relay::start(site.path())?;
    let driver = Driver::start()?;
    let browser = Browser::open(&driver).await?;
    let c = &browser.client;
    c.goto(&relay.base).await?;

    let peak = Arc::new(AtomicU64::new(0));
    let peak_one = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, peak_one, stop) = (peak.clone(), peak_one.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let rss = chromium_rss();
                peak.fetch_max(rss.iter().sum(), Ordering::Relaxed);
                peak_one.fetch_max(rss.into_iter().max().unwrap_or(0), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };
    let started = Instant::now();
    c.execute(
        include_str!("speech.js"),
        vec![serde_json::json!(urls), serde_json::json!(pace)],
    )
    .await?;
    let state = loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let state = c.execute("return window.__speech;", vec![]).await?;
        if let Some(err) = state.get("error").and_then(|e| e.as_str()) {
            bail!("in the page: {err}");
        }
        if state.get("done").and_then(serde_json::Value::as_bool) == Some(true) {
            break state;
        }
        if started.elapsed() > Duration::from_secs(3600) {
            bail!("the bench did not finish within an hour");
        }
    };
    stop.store(true, Ordering::Relaxed);
    sampler.join().ok();

    let load = &state["load"];
    println!(
        "model {} loaded in {:.0} ms ({}; page wall {:.0} ms)",
        load["model"].as_str().unwrap_or("?"),
        load["load_ms"].as_f64().unwrap_or(0.0),
        if load["from_cache"].as_bool() == Some(true) {
            "from Cache Storage"
        } else {
            "downloaded"
        },
        load["wall_ms"].as_f64().unwrap_or(0.0)
    );
    println!(
        "{:<34} {:>8} {:>8} {:>6} {:>9} {:>8} {:>7}",
        "fixture", "audio s", "wall s", "RTF", "tail ms", "wasm MB", "WER %"
    );
    let (mut audio, mut wall, mut errors) = (0.0, 0.0, WordErrors::default());
    let (mut compute_ms, mut voices_ms) = (0.0, 0.0);
    let results = state["results"].as_array().context("no results")?;
    for (result, conv) in results.iter().zip(&conversations) {
        let a = result["audio_ms"].as_f64().unwrap_or(0.0) / 1000.0;
        let w = result["wall_ms"].as_f64().unwrap_or(0.0) / 1000.0;
        let e = word_errors(&conv.reference, result["text"].as_str().unwrap_or(""));
        println!(
            "{:<34} {:>8.1} {:>8.1} {:>6.3} {:>9.0} {:>8.0} {:>7.1}",
            conv.name,
            a,
            w,
            w / a,
            result["tail_ms"].as_f64().unwrap_or(0.0),
            result["memory_bytes"].as_f64().unwrap_or(0.0) / 1e6,
            e.rate() * 100.0
        );
        audio += a;
        wall += w;
        compute_ms += result["compute_ms"].as_f64().unwrap_or(0.0);
        voices_ms += result["voices_ms"].as_f64().unwrap_or(0.0);
        errors = errors + e;
    }
    println!(
        "all: {:.1} s audio in {:.1} s, RTF {:.3}, WER {:.1} %, pace {pace}",
        audio,
        wall,
        wall / audio,
        errors.rate() * 100.0,
    );
    println!(
        "speaker attribution (voices and cuts, in the worker): {:.0} ms, {:.1} % of the {:.0} ms of transcription",
        voices_ms,
        100.0 * voices_ms / compute_ms.max(1.0),
        compute_ms
    );
    println!(
        "Chromium peak RSS: {:.0} MB in the largest process (the page and its worker), {:.0} MB over all processes",
        peak_one.load(Ordering::Relaxed) as f64 / 1e6,
        peak.load(Ordering::Relaxed) as f64 / 1e6
    );
    browser.close().await?;
    relay.stop().await;
    if with_peer && let Some(peer) = speech_fixtures::peer::transcribe(&wavs)? {
        let seconds: f64 = peer.iter().map(|p| p.seconds).sum();
        let errors = peer
            .iter()
            .zip(&conversations)
            .map(|(p, conv)| word_errors(&conv.reference, &p.text))
            .fold(WordErrors::default(), |a, b| a + b);
        println!(
            "peer faster-whisper (native, int8, 2 threads), same audio: RTF {:.3}, WER {:.1} %; browser / peer time {:.2}×",
            seconds / audio,
            errors.rate() * 100.0,
            wall / seconds
        );
    }
    Ok(())
}
