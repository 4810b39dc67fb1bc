//! `cargo bench -p e2e` (after `cargo xtask dist`): "Verslag genereren" on a 60-minute transcript
//! in headless Chromium against the real relay — extraction, drafting, encryption, IndexedDB
//! writes and rendering of the draft, from the click until the report is on screen.
//!
//! The transcript is the evaluation conversations repeated to about 9,000 words (Dutch speech
//! runs near 150 words a minute), put in the contact's notes. Prints the median of 5 runs.

use std::time::{Duration, Instant};

use anyhow::Context;
use e2e::browser::{Browser, Driver};
use e2e::page::{click, count, find, type_into, wait_text};
use e2e::server::{Relay, dist_dir};
use templates::evaluation::{load_dir, segments_of};

const WORDS: usize = 9_000;
const RUNS: usize = 5;

fn transcript() -> anyhow::Result<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates/eval");
    let conversations = load_dir(std::path::Path::new(dir))?;
    let mut text = String::new();
    let mut words = 0;
    while words < WORDS {
        for (_, conv) in &conversations {
            for seg in segments_of(conv) {
                words += seg.text.split_whitespace().count();
                text.push_str(&seg.text);
                text.push('\n');
            }
        }
    }
    Ok(text)
}

fn main() -> anyhow::Result<()> {
    e2e::block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let notes = transcript()?;
    let relay = Relay::start(&dist_dir())?;
    let driver = Driver::start()?;
    let browser = Browser::open(&driver).await?;
    let c = &browser.client;
    c.goto(&relay.base).await?;
    type_into(c, "#new-passphrase", "benchmark wachtzin 1").await?;
    type_into(c, "#repeat-passphrase", "benchmark wachtzin 1").await?;
    click(c, "#create-workspace").await?;
    let mut times = Vec::new();
    let mut sentences = 0;
    for run in 0..RUNS {
        // A dossier per run, so each draft reads exactly one 60-minute transcript.
        click(c, ".top-bar nav a[href='/']").await?;
        click(c, "#new-dossier").await?;
        type_into(c, "#dossier-name", &format!("Bench cliënt {run}")).await?;
        click(c, "#dossier-save").await?;
        find(c, "#dossier-title").await?;
        click(c, "#new-contact").await?;
        click(c, "#consent-yes").await?;
        find(c, "#note").await?;
        c.execute(
            "const t = document.querySelector('#note'); t.value = arguments[0];\
             t.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![notes.clone().into()],
        )
        .await?;
        click(c, "#save-note").await?;
        wait_text(c, "#save-status", "ewaard om").await?;
        let start = Instant::now();
        click(c, "#generate-report").await?;
        find(c, "#report-title").await?;
        times.push(start.elapsed());
        sentences = count(c, ".sentence").await?;
    }
    times.sort();
    let median: Duration = *times.get(RUNS / 2).context("no runs")?;
    println!(
        "Verslag genereren, 60-minute transcript ({} words of notes, {sentences} draft sentences): \
         median {:.0} ms over {RUNS} runs (min {:.0} ms, max {:.0} ms), headless Chromium, no GPU",
        notes.split_whitespace().count(),
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3,
    );
    let _ = browser.close().await;
    relay.stop().await;
    Ok(())
}
