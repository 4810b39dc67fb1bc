//! Sharing and pairing: a validated report is shared with a PIN; the client opens the link in
//! a fresh browser profile and reads report and disclosure; the worker revokes and the link says
//! so. Then a second device joins the workspace with a pairing code and receives the dossier,
//! and a dossier made later on the first reaches it without anyone pressing "synchroniseren".

use anyhow::{Context, ensure};
use e2e::browser::{Browser, Driver};
use e2e::idb;
use e2e::page::{
    absent, clear_field, click, count, find, screen, screenshot, type_into, value, wait_text,
};

use super::pages::{
    PASSPHRASE, accept_all, contact_with_notes, create_dossier, create_workspace, unlock,
};

/// Issue 6's journey: a validated report is shared with a PIN; the client opens the link in a
/// fresh browser profile and reads report and disclosure; the worker revokes and the link says
/// so. Then a second device joins the workspace with a pairing code and receives the dossier.
pub(crate) async fn shared_report_opens_for_the_client_until_revoked_and_a_second_device_pairs(
    b: &Browser,
    driver: &Driver,
    base: &str,
) -> anyhow::Result<()> {
    let c = &b.client;
    let client_name = "Mohamed El Amrani";
    create_workspace(c, base).await?;
    // Who the client's page comes from: the worker's name and organisation, set once.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    type_into(c, "#worker-name", "Łukasz Wójcik").await?;
    type_into(c, "#organisation", "OCMW Sint-Niklaas").await?;
    // The region of the recogniser's vocabulary, chosen instead of the browser's language.
    find(c, "#region option[value='flanders']")
        .await?
        .click()
        .await?;
    click(c, "#save-settings").await?;
    wait_text(c, "form", "Bewaard.").await?;
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    let region = value(c, "#region").await?;
    ensure!(region == "flanders", "the region was not kept: {region:?}");
    click(c, ".top-bar nav a[href='/']").await?;
    create_dossier(c, client_name, "D-2026-1400").await?;
    contact_with_notes(
        c,
        "De huur is 610 euro per maand. MW belt het OCMW op maandag.",
    )
    .await?;
    click(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    absent(c, "#share-panel", "a draft can be shared").await?;
    accept_all(c).await?;
    type_into(c, "#validator", "An Peeters").await?;
    click(c, "#validate").await?;
    wait_text(c, "#report-status", "Gevalideerd door").await?;

    // Share with a PIN.
    clear_field(c, "#share-days").await?;
    type_into(c, "#share-days", "14").await?;
    type_into(c, "#share-pin", "12").await?;
    click(c, "#share-create").await?;
    wait_text(c, "#share-panel .error", "4 tot 8 cijfers").await?;
    clear_field(c, "#share-pin").await?;
    type_into(c, "#share-pin", "4821").await?;
    click(c, "#share-create").await?;
    find(c, "#share-link").await?;
    let link = value(c, "#share-link").await?;
    ensure!(
        link.starts_with(&format!("{base}/s/")) && link.contains('#'),
        "unexpected link {link}"
    );
    wait_text(c, ".share", "14 dagen geldig, met pincode").await?;
    screen(c, "30-share-created").await?;

    // The client, in a fresh profile: PIN, then the report and its disclosure.
    let client = Browser::open(driver).await?;
    let result = async {
        let p = &client.client;
        // A phone: 390 CSS pixels wide.
        p.set_window_size(390, 844).await?;
        p.goto(&link).await?;
        find(p, "#share-pin-form").await?;
        type_into(p, "#client-pin", "0000").await?;
        click(p, "#client-pin-submit").await?;
        wait_text(p, "#share-pin-form .error", "nog 4 poging").await?;
        clear_field(p, "#client-pin").await?;
        type_into(p, "#client-pin", "4821").await?;
        click(p, "#client-pin-submit").await?;
        wait_text(p, "#shared-report h1", "Sociaal verslag").await?;
        wait_text(p, "#shared-report", client_name).await?;
        wait_text(p, "#shared-report", "Van: Łukasz Wójcik, OCMW Sint-Niklaas").await?;
        wait_text(p, "#shared-report", "€ 610").await?;
        wait_text(p, "#shared-disclosure", "AI-ondersteuning").await?;
        wait_text(p, "#shared-disclosure", "An Peeters").await?;
        wait_text(
            p,
            "#disclosure-explained",
            "Een computer beslist nooit over u",
        )
        .await?;
        // Plain words for the client: no template ids or internal terms.
        let page = e2e::page::text(p, "#shared-report").await?;
        for internal in ["Sjabloon", "sociaal-verslag", "AI-voorstel", "whisper"] {
            ensure!(
                !page.contains(internal),
                "{internal:?} on the client's page: {page}"
            );
        }
        screen(p, "31-shared-report-client").await?;
        fits_the_width(p).await?;

        // The worker revokes; the client's reload says so.
        click(c, ".share-revoke").await?;
        wait_text(c, "#share-panel", "Link ingetrokken").await?;
        // The same URL again would only move to the fragment: reload.
        p.refresh().await?;
        wait_text(p, "#share-problem", "ingetrokken").await?;
        screen(p, "32-shared-report-revoked").await?;
        fits_the_width(p).await?;
        // A link without its key part cannot show anything.
        let (without_key, _) = link.split_once('#').context("link has a key")?;
        p.goto(without_key).await?;
        wait_text(p, "#share-problem", "onvolledig").await?;
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = screenshot(&client.client, "FAILED-share-client").await;
    }
    let _ = client.close().await;
    result?;

    // A second device joins with a pairing code and gets the dossier.
    click(c, "a[href='/instellingen']").await?;
    click(c, "#sync-now").await?;
    wait_text(c, "#sync-status", "Gesynchroniseerd").await?;
    click(c, "#pair-offer").await?;
    find(c, "#pairing-code").await?;
    let code = find(c, "#pairing-code").await?.text().await?;
    screen(c, "33-pairing-code").await?;
    let second = Browser::open(driver).await?;
    let result = async {
        let s = &second.client;
        s.goto(base).await?;
        find(s, "#pair-form").await?;
        type_into(s, "#pair-code", &code.to_lowercase()).await?;
        type_into(s, "#pair-passphrase", SECOND_PASSPHRASE).await?;
        type_into(s, "#pair-repeat", SECOND_PASSPHRASE).await?;
        click(s, "#pair-device").await?;
        wait_text(s, ".dossier-row", client_name).await?;
        screen(s, "34-second-device").await?;
        let dump = idb::dump(s).await?;
        ensure!(
            !dump
                .iter()
                .any(|v| v.utf8.contains(client_name) || v.latin1.contains("Amrani")),
            "plaintext in the second device's IndexedDB"
        );
        // The first device lists both after a reload (which locks: unlock again).
        c.refresh().await?;
        unlock(c, PASSPHRASE).await?;
        wait_text(c, ".devices", "Toestel ").await?;
        ensure!(
            count(c, ".device").await? == 2,
            "expected two linked devices"
        );
        // In the background: a new dossier on the first device is pushed without a button,
        // and the second device pulls it when it is unlocked.
        click(c, ".top-bar nav a[href='/']").await?;
        create_dossier(c, "Sofie Claes", "D-2026-0801").await?;
        reaches_the_other_device(s, "Sofie Claes").await
    }
    .await;
    if result.is_err() {
        let _ = screenshot(&second.client, "FAILED-second-device").await;
    }
    let _ = second.close().await;
    result
}

/// The second device's passphrase.
const SECOND_PASSPHRASE: &str = "een andere wachtzin";

/// Reloads and unlocks the second device until its dossier list shows `name` (pushed by the
/// first device in the background and pulled at unlock), for at most 90 s.
async fn reaches_the_other_device(s: &fantoccini::Client, name: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        s.refresh().await?;
        unlock(s, SECOND_PASSPHRASE).await?;
        find(s, ".dossier-row").await?;
        // The pull at unlock takes a moment after the list first shows.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        if e2e::page::text(s, "#dossier-list").await?.contains(name) {
            screen(s, "35-pulled-in-the-background").await?;
            return Ok(());
        }
        ensure!(
            tokio::time::Instant::now() < deadline,
            "{name} did not reach the second device without pressing sync"
        );
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    }
}

/// Fails when the page is wider than the window (the reader would have to scroll sideways).
async fn fits_the_width(p: &fantoccini::Client) -> anyhow::Result<()> {
    let sizes = p
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await?;
    let width = sizes[0].as_u64().unwrap_or(0);
    let content = sizes[1].as_u64().unwrap_or(u64::MAX);
    ensure!(
        width <= 400 && content <= width,
        "the client's page is {content} px wide in a {width} px window"
    );
    Ok(())
}
