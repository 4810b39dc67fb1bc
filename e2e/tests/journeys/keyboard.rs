//! Keyboard only, with the focus visible at every stop: set up → dossier → contact with "ja"
//! → a recording (the fake microphone) → notes → "Verslag genereren" → review every proposal
//! → validate → share link. No click.

use anyhow::ensure;
use e2e::keyboard::{activate, tab_to, type_text};
use e2e::page::{find, screen, value, wait_text};
use fantoccini::Client;

use super::pages::{Input, PASSPHRASE, SPOKEN_MS, accept_all_by, relisten_all_by};

/// Tabs to `css` and types `text`.
async fn fill(c: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    tab_to(c, css).await?;
    type_text(c, text).await
}

/// The journey: everything a worker does for one contact, by keyboard alone.
pub(crate) async fn everything_works_by_keyboard_alone(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    c.goto(base).await?;
    find(c, "#setup-form").await?;
    fill(c, "#new-passphrase", PASSPHRASE).await?;
    fill(c, "#repeat-passphrase", PASSPHRASE).await?;
    activate(c, "#create-workspace").await?;

    activate(c, "#new-dossier").await?;
    fill(c, "#dossier-name", "Noor Vermeulen").await?;
    activate(c, "#dossier-save").await?;
    wait_text(c, "#dossier-title", "Noor Vermeulen").await?;

    activate(c, "#new-contact").await?;
    activate(c, "#consent-yes").await?;
    wait_text(c, "#consent-status", "ja").await?;
    wait_text(c, "#model-status", "klaar").await?;
    activate(c, "#record-start").await?;
    find(c, "#record-stop").await?;
    let spoken = SPOKEN_MS.load(std::sync::atomic::Ordering::Relaxed);
    tokio::time::sleep(std::time::Duration::from_millis(spoken + 1500)).await;
    activate(c, "#record-stop").await?;
    wait_text(c, "#record-status", "Transcript bewaard").await?;
    fill(
        c,
        "#note",
        "De huur is 640 euro per maand. MW belt het CAW op maandag.",
    )
    .await?;
    activate(c, "#save-note").await?;
    wait_text(c, "#save-status", "ewaard om").await?;
    screen(c, "50-keyboard-contact").await?;

    activate(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    accept_all_by(c, Input::Keyboard).await?;
    // Stretches the draft cites while the recogniser was unsure, confirmed by keyboard.
    relisten_all_by(c, Input::Keyboard).await?;
    fill(c, "#validator", "An Peeters").await?;
    activate(c, "#validate").await?;
    wait_text(c, "#report-status", "Gevalideerd door An Peeters").await?;
    screen(c, "51-keyboard-validated").await?;

    activate(c, "#share-create").await?;
    find(c, "#share-link").await?;
    let link = value(c, "#share-link").await?;
    ensure!(
        link.starts_with(&format!("{base}/s/")),
        "unexpected link {link}"
    );
    tab_to(c, "#share-copy").await?;
    screen(c, "52-keyboard-shared").await
}
