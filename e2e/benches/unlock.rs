//! `cargo bench -p e2e --bench unlock -- [--runs N]` (after `cargo xtask dist`): unlocking in
//! the browser, as a worker does it after a reload — Argon2id (64 MiB, three passes) in the key
//! worker, then the workspace opened. Prints, per run, the time from "Ontgrendelen" until the
//! unlock form is gone, how many frames the page drew meanwhile and the longest gap between
//! two frames (a page whose thread is blocked draws nothing until it is free).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use anyhow::bail;
use e2e::browser::{Browser, Driver};
use e2e::page::{click, exists, find, type_into};
use e2e::server::{Relay, dist_dir};
use speech_fixtures::arg;

const PASSPHRASE: &str = "bench passphrase of some length";

fn main() -> anyhow::Result<()> {
    e2e::block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let runs: usize = arg("--runs")?.unwrap_or(5);
    let relay = Relay::start(&dist_dir())?;
    let driver = Driver::start()?;
    let browser = Browser::open(&driver).await?;
    let c = &browser.client;
    c.goto(&relay.base).await?;
    type_into(c, "#new-passphrase", PASSPHRASE).await?;
    type_into(c, "#repeat-passphrase", PASSPHRASE).await?;
    click(c, "#create-workspace").await?;
    find(c, "#new-dossier").await?;
    println!(
        "{:>4} {:>10} {:>8} {:>15}",
        "run", "unlock ms", "frames", "longest gap ms"
    );
    let mut times = Vec::new();
    for run in 1..=runs {
        c.refresh().await?;
        find(c, "#unlock-form").await?;
        type_into(c, "#passphrase", PASSPHRASE).await?;
        e2e::frames::watch(c).await?;
        let started = Instant::now();
        click(c, "#unlock").await?;
        while exists(c, "#unlock-form").await {
            if started.elapsed() > Duration::from_secs(60) {
                bail!("unlocking took over a minute");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let took = started.elapsed().as_secs_f64() * 1000.0;
        let (frames, gap) = e2e::frames::seen(c).await?;
        println!("{run:>4} {took:>10.0} {frames:>8} {gap:>15.0}");
        times.push(took);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "median unlock {:.0} ms over {runs} runs",
        times[times.len() / 2]
    );
    Ok(())
}
