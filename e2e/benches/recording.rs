//! `cargo bench -p e2e --bench recording -- [--seconds 60,600]` (after `cargo xtask dist` and
//! `cargo xtask weights`): a recording through the app's real microphone path — Chromium's
//! fake microphone plays spoken Dutch conversations (espeak-ng) in real time into the record
//! panel, the audio worklet and the speech worker — and what the worker sees of it:
//!
//! - the time from "Opname starten" to the first line of live text;
//! - the time from "Stoppen" until the transcript is stored ("Transcript bewaard");
//! - the worker's own "klaar … s na het stoppen".
//!
//! Each length runs in a fresh browser profile, with the model already downloaded before the
//! recording starts. Takes as long as the recordings (plus about a minute each).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use e2e::browser::{Browser, Driver, fake_microphone};
use e2e::page::{click, exists, find, text, type_into, wait_text};
use e2e::server::{Relay, dist_dir};
use speech_fixtures::arg;

fn main() -> anyhow::Result<()> {
    e2e::block_on(run())
}

/// Spoken conversations one after another, cut at `seconds`.
fn speech(seconds: u64) -> anyhow::Result<Vec<f32>> {
    let wanted = seconds as usize * 16_000;
    let mut samples = Vec::new();
    let conversations = speech_fixtures::conversations(usize::MAX)?;
    while samples.len() < wanted {
        for conv in &conversations {
            samples.extend_from_slice(&conv.samples);
            if samples.len() >= wanted {
                break;
            }
        }
    }
    samples.truncate(wanted);
    Ok(samples)
}

async fn run() -> anyhow::Result<()> {
    let lengths: Vec<u64> = arg::<String>("--seconds")?
        .unwrap_or_else(|| "60".into())
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let relay = Relay::start(&dist_dir())?;
    let driver = Driver::start()?;
    let dir = tempfile::tempdir()?;
    println!(
        "{:>9} {:>16} {:>18} {:>16}",
        "audio s", "first text s", "stop → stored s", "worker says s"
    );
    for seconds in lengths {
        let wav = dir.path().join(format!("rec-{seconds}.wav"));
        std::fs::write(&wav, models::audio::wav_bytes(&speech(seconds)?, 16_000))?;
        let browser = Browser::open_with(&driver, &fake_microphone(&wav)).await?;
        let c = &browser.client;
        c.goto(&relay.base).await?;
        type_into(c, "#new-passphrase", "bench passphrase of some length").await?;
        type_into(c, "#repeat-passphrase", "bench passphrase of some length").await?;
        click(c, "#create-workspace").await?;
        click(c, "#new-dossier").await?;
        type_into(c, "#dossier-name", "Bench").await?;
        click(c, "#dossier-save").await?;
        click(c, "#new-contact").await?;
        click(c, "#consent-yes").await?;
        wait_text(c, "#model-status", "klaar").await?;
        click(c, "#record-start").await?;
        let started = Instant::now();
        let mut first_text = None;
        let until = started + Duration::from_secs(seconds) + Duration::from_millis(700);
        while Instant::now() < until {
            if first_text.is_none() && exists(c, "#live-transcript li").await {
                first_text = Some(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        click(c, "#record-stop").await?;
        let stopped = Instant::now();
        let deadline = stopped + Duration::from_secs(600);
        loop {
            let status = text(c, "#record-status").await.unwrap_or_default();
            if status.contains("Transcript bewaard") {
                let stored = stopped.elapsed();
                let worker = status
                    .split("klaar ")
                    .nth(1)
                    .and_then(|s| s.split(' ').next())
                    .unwrap_or("?")
                    .to_owned();
                println!(
                    "{:>9} {:>16} {:>18.1} {:>16}",
                    seconds,
                    first_text.map_or("none".into(), |t| format!("{:.1}", t.as_secs_f64())),
                    stored.as_secs_f64(),
                    worker
                );
                break;
            }
            if Instant::now() > deadline {
                bail!("no transcript 10 minutes after stopping: {status}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        find(c, ".transcripts .transcript")
            .await
            .context("the stored transcript is not shown")?;
        e2e::console::check(c).await?;
        browser.close().await?;
    }
    relay.stop().await;
    Ok(())
}
