//! Without a connection: the app is loaded once, the relay stops, and the worker still opens
//! the app, unlocks, opens a dossier, takes consent, transcribes an audio file, drafts a report
//! and exports it, while its changes wait for the relay; once the relay is back with a new
//! release, the work is there, the changes reach the relay by themselves, and the new version
//! is announced and takes over on "Herladen".

use std::path::Path;

use anyhow::{Context, ensure};
use e2e::browser::Browser;
use e2e::cdp::check_installable;
use e2e::page::{absent, click, count, find, screen, wait_text};
use e2e::server::{Relay, copy_dir, dist_dir};
use fantoccini::Client;

use super::pages::{PASSPHRASE, SPEECH_WAV, create_dossier, create_workspace, unlock};

/// Waits until the service worker is active and controls the page (after one reload: the page
/// that registered it is not controlled by it).
async fn controlled(c: &Client) -> anyhow::Result<()> {
    let active = c
        .execute_async(
            "const done = arguments[0];
             navigator.serviceWorker.ready.then((r) => done(!!r.active), () => done(false));",
            vec![],
        )
        .await?;
    ensure!(active == true, "the service worker did not become active");
    c.refresh().await?;
    let controlled = c
        .execute(
            "return navigator.serviceWorker.controller !== null;",
            vec![],
        )
        .await?;
    ensure!(
        controlled == true,
        "the reloaded page is not controlled by the service worker"
    );
    Ok(())
}

/// The issue's offline journey (the relay is the journey's own: it stops and starts it).
pub(crate) async fn the_app_works_without_a_connection(
    b: &Browser,
    _shared: &str,
) -> anyhow::Result<()> {
    let c = &b.client;
    let relay = Relay::start(&dist_dir())?;
    let base = relay.base.clone();
    create_workspace(c, &base).await?;
    controlled(c).await?;
    // The browser would offer to install it (manifest, PNG icons, service worker).
    check_installable(c).await?;
    unlock(c, PASSPHRASE).await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    click(c, "#sync-enable").await?;
    wait_text(c, "#sync-status", "Gesynchroniseerd").await?;
    click(c, ".top-bar nav a[href='/']").await?;
    create_dossier(c, "Jonas Wouters", "D-2026-0733").await?;
    // The speech model is downloaded once, while there is a connection.
    click(c, "#new-contact").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#model-status", "klaar").await?;

    let stopped = relay.stop_for_now().await;
    c.refresh().await?;
    find(c, "#unlock-form").await?;
    screen(c, "70-offline-unlock").await?;
    unlock(c, PASSPHRASE).await?;
    // The reload kept the contact's address; the way back is the usual one.
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, "#dossier-list a").await?;
    wait_text(c, "#dossier-title", "Jonas Wouters").await?;
    click(c, "#new-contact").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#consent-status", "ja").await?;
    wait_text(c, "#model-status", "klaar").await?;
    let upload = SPEECH_WAV.get().context("fixture path")?;
    find(c, "#record-upload")
        .await?
        .send_keys(&upload.display().to_string())
        .await?;
    let deadline = tokio::time::Instant::now() + e2e::page::WAIT;
    while count(c, ".transcripts .transcript").await? < 1 {
        ensure!(
            tokio::time::Instant::now() < deadline,
            "the file was not transcribed offline: {}",
            e2e::page::text(c, ".record-panel").await?
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    wait_text(c, "#record-status", "Transcript bewaard").await?;
    wait_text(c, ".transcripts", "huur").await?;
    click(c, "#generate-report").await?;
    wait_text(c, ".disclosure", "Uitschrijven van de opname: ja").await?;
    screen(c, "71-offline-draft").await?;
    click(c, "#export-docx").await?;
    let downloads = b.downloads();
    let deadline = tokio::time::Instant::now() + e2e::page::WAIT;
    loop {
        let docx = std::fs::read_dir(&downloads)?
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().ends_with(".docx"));
        if let Some(file) = docx {
            let bytes = std::fs::read(file.path())?;
            ensure!(bytes.starts_with(b"PK"), "the offline DOCX is not a zip");
            break;
        }
        ensure!(
            tokio::time::Instant::now() < deadline,
            "no DOCX offline: {}",
            e2e::page::text(c, ".export-bar").await?
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }

    // What was done offline waits for the relay.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    wait_text(c, "#sync-waiting", "wachten om verstuurd te worden").await?;
    screen(c, "72-offline-changes-wait").await?;

    // Back online, and meanwhile a new version was published: the work is there, the new
    // version installs beside the running one, is announced, and takes over on "Herladen".
    let next = tempfile::tempdir()?;
    next_version(&dist_dir(), next.path())?;
    let relay = stopped.restart(next.path())?;
    c.refresh().await?;
    unlock(c, PASSPHRASE).await?;
    click(c, ".top-bar nav a[href='/']").await?;
    wait_text(c, "#dossier-list", "Jonas Wouters").await?;
    wait_text(c, "#new-version", "Nieuwe versie beschikbaar").await?;
    screen(c, "73-new-version").await?;
    click(c, "#reload-new-version").await?;
    find(c, "#unlock-form").await?;
    unlock(c, PASSPHRASE).await?;
    wait_text(c, "#dossier-list", "Jonas Wouters").await?;
    absent(
        c,
        "#new-version",
        "the new version is still announced after the switch",
    )
    .await?;
    // The changes made offline went to the relay by themselves.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    wait_text(c, "#sync-waiting", "zijn verstuurd").await?;
    relay.stop().await;
    Ok(())
}

/// A copy of the app in `dist` as its next release: the same files under a new service worker
/// version (without the compressed variants of `sw.js`, which would still be the old one).
fn next_version(dist: &Path, to: &Path) -> anyhow::Result<()> {
    copy_dir(dist, to)?;
    let worker = std::fs::read_to_string(to.join("sw.js"))?;
    ensure!(
        worker.contains("const VERSION = \""),
        "sw.js has no version"
    );
    let next = worker.replacen("const VERSION = \"", "const VERSION = \"next-", 1);
    std::fs::write(to.join("sw.js"), next)?;
    std::fs::remove_file(to.join("sw.js.br"))?;
    std::fs::remove_file(to.join("sw.js.gz"))?;
    Ok(())
}
