//! Work is never lost: notes typed just before leaving the screen or locking, and a drafted
//! sentence whose source a revocation destroyed (its quoted text goes, it stays flagged).

use anyhow::ensure;
use e2e::page::{absent, click, find, text, type_into, value, wait_text};
use fantoccini::Client;

use super::pages::{PASSPHRASE, create_dossier, create_workspace, unlock};

/// Types into the note and leaves (or locks) at once, well inside the autosave delay: the text
/// is there when the worker comes back, after a lock, and after a reload.
pub async fn notes_survive_navigation_a_lock_and_a_reload(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    create_dossier(c, "Ayla Demir", "D-2026-2001").await?;
    click(c, "#new-contact").await?;
    click(c, "#consent-no").await?;
    wait_text(c, "#consent-status", "nee").await?;
    let contact = c.current_url().await?;

    // Leave for the dossier list at once.
    type_into(c, "#note", "Mevrouw meldt dat de huur gestegen is.").await?;
    click(c, ".top-bar nav a[href='/']").await?;
    find(c, "#dossier-list").await?;
    c.goto(contact.as_str()).await?;
    unlock_if_asked(c).await?;
    wait_value(c, "#note", "de huur gestegen is").await?;

    // Lock at once.
    type_into(c, "#note", " Afspraak bij het CAW.").await?;
    click(c, "#lock").await?;
    find(c, "#unlock-form").await?;
    unlock(c, PASSPHRASE).await?;
    wait_value(c, "#note", "Afspraak bij het CAW.").await?;

    // Reload (which locks): the text was stored sealed.
    type_into(c, "#note", " Volgende week terug.").await?;
    wait_text(c, "#save-status", "ewaard om").await?;
    c.refresh().await?;
    unlock_if_asked(c).await?;
    wait_value(c, "#note", "Volgende week terug.").await?;
    let note = value(c, "#note").await?;
    ensure!(
        note == "Mevrouw meldt dat de huur gestegen is. Afspraak bij het CAW. Volgende week terug.",
        "the note changed on the way: {note:?}"
    );
    Ok(())
}

/// After a revocation, an unvalidated draft keeps its proposals' places, flagged in Dutch,
/// without the text that came from the destroyed source, and offers no "Aanvaarden". The
/// status line of "Kopieer als tekst" stays when the export is logged.
pub async fn a_revoked_source_takes_its_quoted_text_along(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    create_dossier(c, "Łukasz Wójcik", "D-2026-2002").await?;
    click(c, "#new-contact").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#consent-status", "ja").await?;
    type_into(
        c,
        "#note",
        "De huur is 640 euro per maand. MW belt het CAW op maandag.",
    )
    .await?;
    click(c, "#save-note").await?;
    wait_text(c, "#save-status", "ewaard om").await?;
    click(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    wait_text(c, ".report", "640").await?;
    // "Kopieer als tekst": its status survives the audit write's re-render.
    click(c, "#copy-text").await?;
    wait_text(c, ".export-bar [role='status']", "opi").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let status = text(c, ".export-bar [role='status']").await?;
    ensure!(
        status.contains("opi"),
        "the copy status vanished: {status:?}"
    );

    click(c, ".report > p a").await?;
    click(c, "#revoke").await?;
    click(c, "#revoke-confirm").await?;
    wait_text(c, "#receipt", "U hebt uw toestemming ingetrokken").await?;
    click(c, "#report-list a").await?;
    find(c, ".source-removed").await?;
    wait_text(c, ".source-removed", "toestemming in").await?;
    absent(
        c,
        ".sentence .accept",
        "a destroyed source's proposal can still be accepted",
    )
    .await?;
    let body = text(c, ".report").await?;
    ensure!(
        !body.contains("640"),
        "the destroyed transcript is still quoted in the draft"
    );
    ensure!(
        !body.contains("source of sentence") && !body.contains("revocation"),
        "English in the Dutch screen: {body}"
    );
    // Writing the sentence anew makes it the worker's own.
    click(c, ".sentence .change").await?;
    type_into(c, ".sentence-edit", "Huur nog na te vragen.").await?;
    click(c, ".save-sentence").await?;
    wait_text(c, ".report", "zelf geschreven").await?;
    Ok(())
}

async fn unlock_if_asked(c: &Client) -> anyhow::Result<()> {
    find(c, "#unlock-form, .top-bar").await?;
    if e2e::page::exists(c, "#unlock-form").await {
        unlock(c, PASSPHRASE).await?;
    }
    Ok(())
}

async fn wait_value(c: &Client, css: &str, part: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + e2e::page::WAIT;
    loop {
        let v = value(c, css).await.unwrap_or_default();
        if v.contains(part) {
            return Ok(());
        }
        ensure!(
            tokio::time::Instant::now() < deadline,
            "`{css}` never held {part:?}; it holds {v:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
