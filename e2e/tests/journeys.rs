//! User journeys in headless Chromium against the real relay over TLS.
//!
//! Needs the built app (`cargo xtask dist`), Chromium and ChromeDriver; `scripts/test.sh`
//! provides all three. Screenshots of every screen land in `e2e/artifacts/`.

use std::future::Future;
use std::pin::Pin;

use anyhow::{Context, ensure};
use e2e::browser::{Browser, Driver};
use e2e::idb;
use e2e::page::{clear_field, click, exists, find, screenshot, type_into, value, wait_text};
use e2e::server::{Relay, dist_dir};
use fantoccini::Client;

const PASSPHRASE: &str = "zonnige dinsdag in Gent";
const CLIENT_NAME: &str = "Céline Janssens";
const REFERENCE: &str = "D-2026-0417";
const NOTE: &str = "Mevrouw meldt een huurachterstal van drie maanden bij de \
                    sociale huisvestingsmaatschappij. Afspraak met het CAW volgende week.";

type Journey =
    for<'a> fn(&'a Client, &'a str) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + 'a>>;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run_all())
}

async fn run_all() -> anyhow::Result<()> {
    let relay = Relay::start(&dist_dir())?;
    let driver = Driver::start()?;
    let journeys: [(&str, Journey); 3] = [
        (
            "alternative_path_is_encrypted_and_survives_reload",
            |c, b| Box::pin(alternative_path_is_encrypted_and_survives_reload(c, b)),
        ),
        (
            "every_contact_asks_again_and_ja_gets_a_contact_key",
            |c, b| Box::pin(every_contact_asks_again_and_ja_gets_a_contact_key(c, b)),
        ),
        ("damaged_record_is_reported_and_kept", |c, b| {
            Box::pin(damaged_record_is_reported_and_kept(c, b))
        }),
    ];
    let (mut passed, mut failed) = (0, 0);
    for (name, journey) in journeys {
        let browser = Browser::open(&driver).await?;
        let result = journey(&browser.client, &relay.base).await;
        if result.is_err() {
            let _ = screenshot(&browser.client, &format!("FAILED-{name}")).await;
        }
        let _ = browser.close().await;
        match result {
            Ok(()) => {
                passed += 1;
                println!("journey {name} ... ok");
            }
            Err(err) => {
                failed += 1;
                println!("journey {name} ... FAILED\n{err:?}");
            }
        }
    }
    relay.stop().await;
    println!("{passed} passed, {failed} failed");
    ensure!(failed == 0, "{failed} journey(s) failed");
    Ok(())
}

async fn create_workspace(c: &Client, base: &str) -> anyhow::Result<()> {
    c.goto(base).await?;
    find(c, "#setup-form").await?;
    screenshot(c, "01-setup").await?;
    type_into(c, "#new-passphrase", PASSPHRASE).await?;
    type_into(c, "#repeat-passphrase", PASSPHRASE).await?;
    click(c, "#create-workspace").await?;
    find(c, "#new-dossier").await?;
    Ok(())
}

async fn create_dossier(c: &Client, name: &str, reference: &str) -> anyhow::Result<()> {
    click(c, "#new-dossier").await?;
    type_into(c, "#dossier-name", name).await?;
    type_into(c, "#dossier-reference", reference).await?;
    click(c, "#dossier-save").await?;
    wait_text(c, "#dossier-title", name).await
}

async fn unlock(c: &Client, passphrase: &str) -> anyhow::Result<()> {
    clear_field(c, "#passphrase").await?;
    type_into(c, "#passphrase", passphrase).await?;
    click(c, "#unlock").await
}

/// The journey: unlock → create dossier → contact with "nee" → write a note → reload →
/// unlock → everything still there; a wrong passphrase is refused and changes nothing; the raw
/// IndexedDB values hold none of the typed text.
async fn alternative_path_is_encrypted_and_survives_reload(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    screenshot(c, "02-dossiers-empty").await?;
    click(c, "#new-dossier").await?;
    type_into(c, "#dossier-name", CLIENT_NAME).await?;
    type_into(c, "#dossier-reference", REFERENCE).await?;
    screenshot(c, "03-new-dossier").await?;
    click(c, "#dossier-save").await?;
    wait_text(c, "#dossier-title", CLIENT_NAME).await?;
    screenshot(c, "04-dossier").await?;

    click(c, "#new-contact").await?;
    wait_text(
        c,
        "#consent-reassurance",
        "Uw keuze verandert niets aan uw rechten",
    )
    .await?;
    screenshot(c, "05-consent").await?;
    click(c, "#consent-no").await?;
    wait_text(c, "#consent-status", "nee").await?;
    wait_text(c, "#consent-status", "geen opname en geen AI").await?;
    type_into(c, "#note", NOTE).await?;
    click(c, "#save-note").await?;
    wait_text(c, "#save-status", "ewaard om").await?;
    screenshot(c, "06-contact-nee").await?;

    let before = idb::dump(c).await?;
    ensure!(
        before.iter().any(|v| v.store == "records"),
        "no records were written: {before:?}"
    );
    for secret in [
        CLIENT_NAME,
        "Janssens",
        REFERENCE,
        "huurachterstal",
        "CAW",
        PASSPHRASE,
    ] {
        for v in &before {
            ensure!(
                !v.latin1.contains(secret) && !v.utf8.contains(secret),
                "{secret:?} is readable in IndexedDB {}/{}",
                v.store,
                v.key
            );
        }
    }

    c.refresh().await?;
    find(c, "#unlock-form").await?;
    screenshot(c, "07-unlock").await?;
    unlock(c, "dit is de verkeerde wachtzin").await?;
    wait_text(c, "#unlock-form .error", "Onjuiste wachtzin").await?;
    screenshot(c, "08-wrong-passphrase").await?;
    let after_wrong = idb::dump(c).await?;
    ensure!(
        after_wrong.len() == before.len()
            && after_wrong
                .iter()
                .zip(&before)
                .all(|(a, b)| a.latin1 == b.latin1),
        "a wrong passphrase changed stored data"
    );

    unlock(c, PASSPHRASE).await?;
    // The reload happened on the contact page; unlocking returns there with the note intact.
    wait_text(c, "#consent-status", "nee").await?;
    let note = value(c, "#note").await?;
    ensure!(note == NOTE, "note after reload differs: {note:?}");
    ensure!(
        !exists(c, "#record").await,
        "a recording control is shown on a 'nee' contact"
    );

    click(c, ".top-bar nav a[href='/']").await?;
    wait_text(c, "#dossier-list", CLIENT_NAME).await?;
    screenshot(c, "09-dossiers").await?;
    type_into(c, "#search", "celine JANS").await?;
    wait_text(c, "#dossier-list", CLIENT_NAME).await?;
    clear_field(c, "#search").await?;
    type_into(c, "#search", "Peeters").await?;
    find(c, "#no-dossiers").await?;
    clear_field(c, "#search").await?;
    click(c, "#dossier-list a").await?;
    wait_text(c, "#contact-list", "toestemming: nee").await?;

    click(c, "#lock").await?;
    find(c, "#unlock-form").await?;
    Ok(())
}

/// A second contact asks the question again; with "ja" a wrapped contact key is stored.
async fn every_contact_asks_again_and_ja_gets_a_contact_key(
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
    screenshot(c, "10-contact-ja").await?;
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
    screenshot(c, "12-settings").await?;
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    let minutes = value(c, "#auto-lock").await?;
    ensure!(minutes == "15", "auto-lock setting not kept: {minutes:?}");
    Ok(())
}

/// A damaged record is reported, kept byte for byte, and does not hide the rest.
async fn damaged_record_is_reported_and_kept(c: &Client, base: &str) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    create_dossier(c, "Marie Dubois", "").await?;
    let damaged_key = "00112233445566778899aabbccddeeff";
    idb::put_raw(c, "records", damaged_key, b"ZV\x01\x00truncated").await?;
    c.goto(base).await?;
    unlock(c, PASSPHRASE).await?;
    wait_text(c, "#unreadable", "1 opgeslagen item(s)").await?;
    wait_text(c, "#dossier-list", "Marie Dubois").await?;
    screenshot(c, "11-damaged-record").await?;
    let raw = idb::dump(c).await?;
    let kept = raw
        .iter()
        .find(|v| v.key == damaged_key)
        .context("the damaged record was removed")?;
    ensure!(
        kept.latin1 == "ZV\u{1}\u{0}truncated",
        "the damaged record was altered"
    );
    Ok(())
}
