//! A second contact asks the consent question again; with "ja" a wrapped contact key is
//! stored.

use anyhow::{Context, ensure};
use e2e::idb;
use e2e::page::{clear_field, click, find, screen, type_into, value, wait_text};
use fantoccini::Client;

use super::pages::{create_dossier, create_workspace};

/// A second contact asks the question again; with "ja" a wrapped contact key is stored.
pub(crate) async fn every_contact_asks_again_and_ja_gets_a_contact_key(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    create_dossier(c, "Ahmed El Amrani", "D-2026-0999").await?;
    // Edit the dossier.
    click(c, "#edit-dossier").await?;
    clear_field(c, "#dossier-name").await?;
    type_into(c, "#dossier-name", "Ahmed El Amrani-Bakkali").await?;
    click(c, "#dossier-save").await?;
    wait_text(c, "#dossier-title", "Ahmed El Amrani-Bakkali").await?;
    click(c, "#new-contact").await?;
    click(c, "#consent-no").await?;
    wait_text(c, "#consent-status", "nee").await?;
    c.back().await?;
    c.back().await?;
    click(c, "#new-contact").await?;
    // Asked anew: both answers offered, neither preselected.
    find(c, "#consent-yes").await?;
    find(c, "#consent-no").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#consent-status", "ja").await?;
    screen(c, "10-contact-ja").await?;
    let raw = idb::dump(c).await?;
    let keys = raw.iter().filter(|v| v.store == "keys").count();
    ensure!(keys == 1, "expected one wrapped contact key, found {keys}");
    let contact_id = c
        .current_url()
        .await?
        .path()
        .rsplit('/')
        .next()
        .context("contact url")?
        .to_owned();
    ensure!(
        raw.iter().any(|v| v.store == "keys" && v.key == contact_id),
        "the contact key is not stored under the contact id"
    );
    // In-app navigation: a reload would lock the workspace.
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, "#dossier-list a").await?;
    wait_text(c, "#contact-list", "toestemming: ja").await?;
    wait_text(c, "#contact-list", "toestemming: nee").await?;

    // Settings: an out-of-range auto-lock delay is refused, a valid one is kept.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    clear_field(c, "#auto-lock").await?;
    type_into(c, "#auto-lock", "0").await?;
    click(c, "#save-settings").await?;
    wait_text(c, "form .error", "tussen 1 en 120").await?;
    clear_field(c, "#auto-lock").await?;
    type_into(c, "#auto-lock", "15").await?;
    click(c, "#save-settings").await?;
    wait_text(c, "form", "Bewaard.").await?;
    screen(c, "12-settings").await?;
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    let minutes = value(c, "#auto-lock").await?;
    ensure!(minutes == "15", "auto-lock setting not kept: {minutes:?}");
    Ok(())
}
