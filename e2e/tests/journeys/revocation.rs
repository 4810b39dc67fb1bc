//! Revoking consent: AI stops at once, the transcript and the contact key are destroyed, the
//! validated report stays with its disclosure updated, and the client gets a receipt.

use anyhow::{Context, ensure};
use e2e::idb;
use e2e::page::{absent, click, find, screen, type_into, wait_text};
use fantoccini::Client;

use super::pages::{accept_all, contact_with_notes, create_dossier, create_workspace};

/// Revoking consent: AI stops at once, the transcript and the contact key are destroyed, the
/// validated report stays with its disclosure updated, and the client gets a receipt.
pub(crate) async fn revocation_stops_ai_shreds_and_gives_a_receipt(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    create_dossier(c, "Jonas De Smet", "D-2026-1300").await?;
    contact_with_notes(
        c,
        "De huur is 590 euro per maand. MW belt het CAW op maandag.",
    )
    .await?;
    let contact_id = c
        .current_url()
        .await?
        .path()
        .rsplit('/')
        .next()
        .context("contact url")?
        .to_owned();
    click(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    accept_all(c).await?;
    type_into(c, "#validator", "An Peeters").await?;
    click(c, "#validate").await?;
    wait_text(c, "#report-status", "Gevalideerd door").await?;
    let before = idb::dump(c).await?;
    ensure!(
        before
            .iter()
            .any(|v| v.store == "keys" && v.key == contact_id),
        "the consented contact has no key"
    );
    let record_keys = |dump: &[idb::RawValue]| -> std::collections::BTreeSet<String> {
        dump.iter()
            .filter(|v| v.store == "records")
            .map(|v| v.key.clone())
            .collect()
    };
    let records_before = record_keys(&before);

    click(c, ".report > p a").await?;
    click(c, "#revoke").await?;
    find(c, "#revoke-channel option[value='telefonisch']")
        .await?
        .click()
        .await?;
    click(c, "#revoke-confirm").await?;
    wait_text(c, "#receipt", "U hebt uw toestemming ingetrokken").await?;
    wait_text(c, "#receipt", "(telefonisch)").await?;
    wait_text(c, "#receipt", "Gestopt: opnemen en AI-ondersteuning").await?;
    wait_text(c, "#receipt", "(aantal uitschrijvingen: 1)").await?;
    wait_text(c, "#receipt", "Bewaard: Sociaal verslag, versie 1").await?;
    wait_text(c, "#consent-status", "ingetrokken").await?;
    absent(
        c,
        "#generate-report",
        "AI is still offered after revocation",
    )
    .await?;
    find(c, "#write-report").await?;
    screen(c, "19-revocation-receipt").await?;

    let after = idb::dump(c).await?;
    ensure!(
        !after
            .iter()
            .any(|v| v.store == "keys" && v.key == contact_id),
        "the contact key survived the revocation"
    );
    let records_after = record_keys(&after);
    let gone: Vec<_> = records_before.difference(&records_after).collect();
    let new: Vec<_> = records_after.difference(&records_before).collect();
    ensure!(
        gone.len() == 1 && new.len() == 1,
        "expected exactly the transcript deleted and one audit event added; gone {gone:?}, new {new:?}"
    );

    // The validated report stays; its sources are gone and its disclosure says so.
    click(c, "#report-list a").await?;
    wait_text(c, "#report-status", "Gevalideerd door An Peeters").await?;
    wait_text(
        c,
        "#disclosure",
        "verwijderd na intrekking van de toestemming",
    )
    .await?;
    click(c, ".sentence .source-chip").await?;
    wait_text(c, ".source-panel", "niet (meer) beschikbaar").await?;

    // The dossier's audit log shows every step, on this device.
    click(c, ".report > p a").await?;
    click(c, ".contact > p a").await?;
    for step in [
        "Dossier aangemaakt",
        "Contact gestart; toestemming gegeven",
        "Uitschrijving bewaard",
        "Verslagontwerp gegenereerd (sociaal-verslag@2",
        "Verslag gevalideerd (versie 1)",
        "Toestemming ingetrokken (telefonisch); 1 uitschrijving(en) verwijderd",
        "(toestel ",
    ] {
        wait_text(c, "#audit", step).await?;
    }
    screen(c, "20-audit-log").await?;

    // The receipt also goes to the client as a link, readable on a phone without an account.
    click(c, "#contact-list a").await?;
    click(c, "#share-receipt").await?;
    wait_text(c, "#receipt-link", "/s/").await?;
    let link = e2e::page::text(c, "#receipt-link").await?;
    click(c, ".contact > p a").await?;
    wait_text(
        c,
        "#audit",
        "Bevestiging van de intrekking gedeeld met de cliënt via een link (30 dagen geldig)",
    )
    .await?;
    c.goto(&link).await?;
    wait_text(c, "body", "Bevestiging: toestemming ingetrokken").await?;
    wait_text(c, "body", "U hebt uw toestemming ingetrokken").await?;
    wait_text(c, "body", "(telefonisch)").await?;
    wait_text(c, "#shared-disclosure", "zonder AI").await?;
    screen(c, "21-receipt-link").await?;
    Ok(())
}
