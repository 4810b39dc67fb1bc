//! Shared page helpers and fixtures for the journeys: the workspace passphrase, what the
//! fake microphone says, setting up a workspace, dossier and contact, reviewing a report,
//! unlocking, and reading downloads and archives.

use anyhow::ensure;
use e2e::page::{
    absent, clear_field, click, count, exists, find, screen, type_into, wait_download, wait_text,
};
use fantoccini::Client;

pub(crate) const PASSPHRASE: &str = "zonnige dinsdag in Gent";

/// What the fake microphone says (two sentences, a pause between them).
pub(crate) const SPOKEN: [&str; 2] = [
    "Volgende week dinsdag komt mijn dochter mee naar het kantoor.",
    "Ik betaal elke maand mijn huur en mijn elektriciteit.",
];

/// Length of the fake microphone's audio, set once the fixture is made.
pub(crate) static SPOKEN_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// The fixture as a file, for the upload step.
pub(crate) static SPEECH_WAV: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
/// The fixture's first voice reading the voice-profile text aloud, for the worker's profile.
pub(crate) static PROFILE_WAV: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

pub(crate) async fn create_workspace(c: &Client, base: &str) -> anyhow::Result<()> {
    c.goto(base).await?;
    find(c, "#setup-form").await?;
    screen(c, "01-setup").await?;
    type_into(c, "#new-passphrase", PASSPHRASE).await?;
    type_into(c, "#repeat-passphrase", PASSPHRASE).await?;
    click(c, "#create-workspace").await?;
    find(c, "#new-dossier").await?;
    Ok(())
}

pub(crate) async fn create_dossier(c: &Client, name: &str, reference: &str) -> anyhow::Result<()> {
    click(c, "#new-dossier").await?;
    type_into(c, "#dossier-name", name).await?;
    type_into(c, "#dossier-reference", reference).await?;
    click(c, "#dossier-save").await?;
    wait_text(c, "#dossier-title", name).await
}

/// From a dossier page: a new contact with "ja", and saved notes.
pub(crate) async fn contact_with_notes(c: &Client, notes: &str) -> anyhow::Result<()> {
    click(c, "#new-contact").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#consent-status", "ja").await?;
    type_into(c, "#note", notes).await?;
    click(c, "#save-note").await?;
    wait_text(c, "#save-status", "ewaard om").await
}

/// How a journey presses buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// A click.
    Mouse,
    /// Tab to it, then Enter.
    Keyboard,
}

/// On a report page: accepts every proposal still to review, one at a time, by clicking.
pub(crate) async fn accept_all(c: &Client) -> anyhow::Result<()> {
    accept_all_by(c, Input::Mouse).await
}

/// On a report page: accepts every proposal still to review, one at a time, by `input`.
pub(crate) async fn accept_all_by(c: &Client, input: Input) -> anyhow::Result<()> {
    while exists(c, ".sentence .accept").await {
        let before = count(c, ".sentence .accept").await?;
        match input {
            Input::Mouse => click(c, ".sentence .accept").await?,
            Input::Keyboard => e2e::keyboard::activate(c, ".sentence .accept").await?,
        }
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        while count(c, ".sentence .accept").await? >= before {
            ensure!(
                tokio::time::Instant::now() < deadline,
                "accept ({input:?}) had no effect"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    Ok(())
}

/// On a report page: confirms ("Klopt zo") every stretch of the "Herbeluisteren" list, one at
/// a time, by `input`; the list is gone after.
pub(crate) async fn relisten_all_by(c: &Client, input: Input) -> anyhow::Result<()> {
    const CONFIRM: &str = "#relisten .seg-heard";
    while exists(c, CONFIRM).await {
        let before = count(c, CONFIRM).await?;
        match input {
            Input::Mouse => click(c, CONFIRM).await?,
            Input::Keyboard => e2e::keyboard::activate(c, CONFIRM).await?,
        }
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        while count(c, CONFIRM).await? >= before {
            ensure!(
                tokio::time::Instant::now() < deadline,
                "\"Klopt zo\" ({input:?}) had no effect"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    absent(
        c,
        "#relisten",
        "the list stays after every stretch was confirmed",
    )
    .await
}

pub(crate) async fn unlock(c: &Client, passphrase: &str) -> anyhow::Result<()> {
    clear_field(c, "#passphrase").await?;
    type_into(c, "#passphrase", passphrase).await?;
    click(c, "#unlock").await
}

/// Text of a converted file, whitespace collapsed.
pub(crate) fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first file in `dir` whose name starts with `prefix` and is not in `seen`, once complete.
pub(crate) async fn new_download(
    dir: &std::path::Path,
    prefix: &str,
    seen: &mut std::collections::BTreeSet<String>,
) -> anyhow::Result<Vec<u8>> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let names: Vec<String> = std::fs::read_dir(dir)?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if let Some(name) = names
            .iter()
            .find(|n| n.starts_with(prefix) && !n.ends_with(".crdownload") && !seen.contains(*n))
        {
            let bytes = wait_download(dir, name).await?;
            seen.insert(name.clone());
            return Ok(bytes);
        }
        ensure!(
            tokio::time::Instant::now() < deadline,
            "no download starting with {prefix}; present: {names:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

pub(crate) fn unzip(bytes: &[u8]) -> anyhow::Result<std::collections::BTreeMap<String, Vec<u8>>> {
    Ok(export::zip::read(bytes, 1 << 30)?
        .into_iter()
        .map(|f| (f.name, f.data))
        .collect())
}
