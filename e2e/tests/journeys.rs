//! User journeys in headless Chromium against the real relay over TLS.
//!
//! Needs the built app (`cargo xtask dist`), Chromium and ChromeDriver; `scripts/test.sh`
//! provides all three. Screenshots of every screen land in `e2e/artifacts/`.

use std::future::Future;
use std::pin::Pin;

use anyhow::{Context, ensure};
use e2e::browser::{Browser, Driver, fake_microphone};
use e2e::idb;
use e2e::page::{
    absent, clear_field, click, count, exists, find, screenshot, type_into, value, wait_download,
    wait_text,
};
use e2e::server::{Relay, dist_dir};
use fantoccini::Client;

pub(crate) const PASSPHRASE: &str = "zonnige dinsdag in Gent";
const CLIENT_NAME: &str = "Céline Janssens";
const REFERENCE: &str = "D-2026-0417";
const NOTE: &str = "Mevrouw meldt een huurachterstal van drie maanden bij de \
                    sociale huisvestingsmaatschappij. Afspraak met het CAW volgende week.";

/// What the fake microphone says (two sentences, a pause between them).
const SPOKEN: [&str; 2] = [
    "Volgende week dinsdag komt mijn dochter mee naar het kantoor.",
    "Ik betaal elke maand mijn huur en mijn elektriciteit.",
];
/// Word error rate allowed through the browser's capture path (the native engine reaches 0.37
/// on the same sentences read directly; see `models/tests/engine.rs`).
const RECORDED_WER_BOUND: f64 = 0.6;
/// Length of the fake microphone's audio, set once the fixture is made.
static SPOKEN_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// The fixture as a file, for the upload step.
static SPEECH_WAV: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

#[path = "journeys/no_lost_work.rs"]
mod no_lost_work;

type Journey = for<'a> fn(
    &'a Browser,
    &'a Driver,
    &'a str,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + 'a>>;

fn main() -> anyhow::Result<()> {
    e2e::block_on(run_all())
}

async fn run_all() -> anyhow::Result<()> {
    let relay = Relay::start(&dist_dir())?;
    let driver = Driver::start()?;
    // The fake microphone plays a spoken Dutch fixture once.
    let speech_dir = tempfile::tempdir()?;
    let speech_wav = speech_dir.path().join("gesprek.wav");
    let mut samples = speech_fixtures::silence(1.0);
    for sentence in SPOKEN {
        samples.extend(speech_fixtures::speak("nl", sentence)?);
        samples.extend(speech_fixtures::silence(1.0));
    }
    std::fs::write(&speech_wav, models::audio::wav_bytes(&samples, 16_000))?;
    let spoken_ms = samples.len() as u64 * 1000 / 16_000;
    SPEECH_WAV.set(speech_wav.clone()).ok();
    SPOKEN_MS.store(spoken_ms, std::sync::atomic::Ordering::Relaxed);
    let journeys: [(&str, Journey); 11] = [
        (
            "notes_survive_navigation_a_lock_and_a_reload",
            |b, _, base| {
                Box::pin(no_lost_work::notes_survive_navigation_a_lock_and_a_reload(
                    &b.client, base,
                ))
            },
        ),
        (
            "a_revoked_source_takes_its_quoted_text_along",
            |b, _, base| {
                Box::pin(no_lost_work::a_revoked_source_takes_its_quoted_text_along(
                    &b.client, base,
                ))
            },
        ),
        (
            "alternative_path_is_encrypted_and_survives_reload",
            |b, _, base| {
                Box::pin(alternative_path_is_encrypted_and_survives_reload(
                    &b.client, base,
                ))
            },
        ),
        (
            "every_contact_asks_again_and_ja_gets_a_contact_key",
            |b, _, base| {
                Box::pin(every_contact_asks_again_and_ja_gets_a_contact_key(
                    &b.client, base,
                ))
            },
        ),
        ("damaged_record_is_reported_and_kept", |b, _, base| {
            Box::pin(damaged_record_is_reported_and_kept(&b.client, base))
        }),
        (
            "sourced_draft_is_reviewed_validated_and_exported",
            |b, _, base| Box::pin(sourced_draft_is_reviewed_validated_and_exported(b, base)),
        ),
        (
            "recording_is_transcribed_with_timestamps_and_corrected",
            |b, _, base| {
                Box::pin(recording_is_transcribed_with_timestamps_and_corrected(
                    &b.client, base,
                ))
            },
        ),
        (
            "shared_report_opens_for_the_client_until_revoked_and_a_second_device_pairs",
            |b, d, base| {
                Box::pin(
                    shared_report_opens_for_the_client_until_revoked_and_a_second_device_pairs(
                        b, d, base,
                    ),
                )
            },
        ),
        (
            "a_new_template_version_is_fetched_and_offered",
            |b, _, base| {
                Box::pin(a_new_template_version_is_fetched_and_offered(
                    &b.client, base,
                ))
            },
        ),
        (
            "export_delete_everything_import_gives_identical_data",
            |b, _, base| {
                Box::pin(export_delete_everything_import_gives_identical_data(
                    b, base,
                ))
            },
        ),
        (
            "revocation_stops_ai_shreds_and_gives_a_receipt",
            |b, _, base| {
                Box::pin(revocation_stops_ai_shreds_and_gives_a_receipt(
                    &b.client, base,
                ))
            },
        ),
    ];
    console_check_sees_a_panic(&driver, &relay.base).await?;
    // `E2E_ONLY=part` runs only the journeys whose name contains `part` (for working on one).
    let only = std::env::var("E2E_ONLY").ok();
    let (mut passed, mut failed) = (0, 0);
    for (name, journey) in journeys {
        if only.as_deref().is_some_and(|part| !name.contains(part)) {
            continue;
        }
        let browser = if name.starts_with("recording") {
            Browser::open_with(&driver, &fake_microphone(&speech_wav)).await?
        } else {
            Browser::open(&driver).await?
        };
        let mut result = journey(&browser, &driver, &relay.base).await;
        // Whatever the journey saw on screen: a panic, runtime error or CSP violation fails it.
        let console = e2e::console::check(&browser.client).await;
        if result.is_ok() {
            result = console;
        } else if let Err(problems) = console {
            println!("{problems:#}");
        }
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

/// The console check can fail: a panic message and a CSP violation written to a page's
/// console are both found.
async fn console_check_sees_a_panic(driver: &Driver, base: &str) -> anyhow::Result<()> {
    let browser = Browser::open(driver).await?;
    let c = &browser.client;
    c.goto(base).await?;
    find(c, "#setup-form").await?;
    c.execute(
        "console.error('panicked at app/src/example.rs:1:1'); \
         const s = document.createElement('div'); s.setAttribute('style', 'color: red'); \
         document.body.appendChild(s);",
        vec![],
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let lines = e2e::console::read(c).await?;
    let fatal = e2e::console::fatal(&lines);
    browser.close().await?;
    ensure!(
        fatal.iter().any(|l| l.contains("panicked at"))
            && fatal.iter().any(|l| l.contains("Content Security Policy")),
        "the console check missed a panic or a CSP violation: {lines:?}"
    );
    Ok(())
}

pub(crate) async fn create_workspace(c: &Client, base: &str) -> anyhow::Result<()> {
    c.goto(base).await?;
    find(c, "#setup-form").await?;
    screenshot(c, "01-setup").await?;
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
async fn contact_with_notes(c: &Client, notes: &str) -> anyhow::Result<()> {
    click(c, "#new-contact").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#consent-status", "ja").await?;
    type_into(c, "#note", notes).await?;
    click(c, "#save-note").await?;
    wait_text(c, "#save-status", "ewaard om").await
}

/// On a report page: accepts every proposal still to review, one at a time.
async fn accept_all(c: &Client) -> anyhow::Result<()> {
    while exists(c, ".sentence .accept").await {
        let before = count(c, ".sentence .accept").await?;
        click(c, ".sentence .accept").await?;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        while count(c, ".sentence .accept").await? >= before {
            ensure!(
                tokio::time::Instant::now() < deadline,
                "accept had no effect"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    Ok(())
}

pub(crate) async fn unlock(c: &Client, passphrase: &str) -> anyhow::Result<()> {
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
    absent(
        c,
        "#record",
        "a recording control is shown on a 'nee' contact",
    )
    .await?;
    absent(
        c,
        "#generate-report",
        "an AI action is shown on a 'nee' contact",
    )
    .await?;
    find(c, "#write-report").await?;

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

const NOTES: &str = "Mevrouw komt langs samen met haar partner Youssef. \
Ze heeft een huurachterstal van drie maanden bij de sociale huisvestingsmaatschappij. \
De huur is 650 euro per maand. \
Er is een schuld van 1.200 euro bij de deurwaarder. \
MW belt het CAW voor vrijdag. \
Cliënt brengt de aanmaningen binnen op maandag.";

/// Text of a converted file, whitespace collapsed.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The report journey: typed notes → "Verslag genereren" → every proposal has a source
/// chip → edit one → validating with unreviewed proposals is refused → review → validate →
/// DOCX and PDF downloads both carry the disclosure.
async fn sourced_draft_is_reviewed_validated_and_exported(
    b: &Browser,
    base: &str,
) -> anyhow::Result<()> {
    let c = &b.client;
    create_workspace(c, base).await?;
    // A name the standard PDF fonts cannot show: it must read back from both exports.
    create_dossier(c, "Ayşe Yılmaz", "D-2026-1201").await?;
    contact_with_notes(c, NOTES).await?;
    click(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    screenshot(c, "13-report-draft").await?;

    // Every proposal points to its source, and the source can be read.
    let sentences = count(c, ".sentence").await?;
    ensure!(
        sentences >= 5,
        "expected a real draft, got {sentences} sentences"
    );
    let with_chip = count(c, ".sentence .source-chip").await?;
    ensure!(
        with_chip >= sentences,
        "{sentences} sentences but {with_chip} source chips"
    );
    ensure!(
        count(c, ".sentence[data-pending='true']").await? == sentences,
        "every proposal starts unreviewed"
    );
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        "€ 650 per maand",
    )
    .await?;
    wait_text(c, ".report-section[data-section='schulden']", "€ 1.200").await?;
    wait_text(
        c,
        ".report-section[data-section='afspraken']",
        "maatschappelijk werker",
    )
    .await?;
    ensure!(
        count(c, ".report-section[data-section='voorstel'] .sentence").await? == 0,
        "the proposal section must never be drafted"
    );
    // "De huur is 650 euro per maand." is the third sentence of the notes: source 3.
    let chips = c
        .find_all(fantoccini::Locator::Css(
            ".report-section[data-section='huisvesting'] .source-chip",
        ))
        .await?;
    let mut opened = false;
    for chip in chips {
        if chip.text().await? == "bron 3" {
            chip.click().await?;
            opened = true;
            break;
        }
    }
    ensure!(opened, "no chip for source 3 in the housing section");
    wait_text(
        c,
        ".report-section[data-section='huisvesting'] .source-panel",
        "bron 3: notitie: “De huur is 650 euro per maand.”",
    )
    .await?;
    screenshot(c, "14-source").await?;

    // Edit one sentence.
    click(
        c,
        ".report-section[data-section='schulden'] .sentence .change",
    )
    .await?;
    clear_field(c, ".sentence-edit").await?;
    type_into(
        c,
        ".sentence-edit",
        "Schuld bij de gerechtsdeurwaarder: € 1.200 (na te kijken).",
    )
    .await?;
    click(c, ".save-sentence").await?;
    wait_text(
        c,
        ".report-section[data-section='schulden']",
        "(na te kijken)",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='schulden']",
        "AI-voorstel aangepast",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='schulden'] .history",
        "Eerdere versies (1)",
    )
    .await?;

    // Validation is refused while proposals are unreviewed.
    type_into(c, "#validator", "An Peeters").await?;
    click(c, "#validate").await?;
    wait_text(c, ".validate-box .error", "nog niet nagelezen").await?;
    screenshot(c, "15-validation-refused").await?;

    // Review the rest, and write the analysis.
    accept_all(c).await?;
    type_into(
        c,
        "#add-analyse",
        "Mevrouw wil de achterstal aflossen met begeleiding.",
    )
    .await?;
    click(c, ".report-section[data-section='analyse'] .add-button").await?;
    wait_text(
        c,
        ".report-section[data-section='analyse']",
        "zelf geschreven",
    )
    .await?;
    click(c, "#validate").await?;
    wait_text(c, "#report-status", "Gevalideerd door An Peeters").await?;
    wait_text(c, "#disclosure", "AI-ondersteuning").await?;
    wait_text(c, "#disclosure", "aangepast, 1 zelf geschreven").await?;
    absent(c, "#validate", "a validated report still offers validation").await?;
    absent(
        c,
        ".sentence .change",
        "a validated report is still editable",
    )
    .await?;
    screenshot(c, "16-report-validated").await?;

    // Export: both files carry the disclosure.
    click(c, "#export-docx").await?;
    click(c, "#export-pdf").await?;
    let downloads = b.downloads();
    let stem = {
        let names: Vec<String> = loop {
            let names: Vec<String> = std::fs::read_dir(&downloads)?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".docx"))
                .collect();
            if !names.is_empty() {
                break names;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };
        names[0].trim_end_matches(".docx").to_owned()
    };
    ensure!(
        stem.starts_with("sociaal-verslag-"),
        "unexpected file name {stem}"
    );
    wait_download(&downloads, &format!("{stem}.docx")).await?;
    wait_download(&downloads, &format!("{stem}.pdf")).await?;
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/lo",
            downloads.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
        ])
        .arg(&downloads)
        .arg(downloads.join(format!("{stem}.docx")))
        .status()
        .context("LibreOffice is needed (scripts/test.sh installs it)")?;
    ensure!(status.success(), "LibreOffice could not open the DOCX");
    let docx_text = flat(&std::fs::read_to_string(
        downloads.join(format!("{stem}.txt")),
    )?);
    let pdf = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(downloads.join(format!("{stem}.pdf")))
        .arg("-")
        .output()
        .context("pdftotext is needed (scripts/test.sh installs it)")?;
    ensure!(pdf.status.success(), "pdftotext could not read the PDF");
    let pdf_text = flat(&String::from_utf8_lossy(&pdf.stdout));
    for (kind, text) in [("DOCX", &docx_text), ("PDF", &pdf_text)] {
        for needle in [
            "Gebruik van AI bij dit verslag",
            "met toestemming van de cliënt",
            "gevalideerd door An Peeters",
            "Cliënt: Ayşe Yılmaz",
            "(na te kijken)",
        ] {
            ensure!(text.contains(needle), "{kind} lacks {needle:?}: {text}");
        }
    }

    // The dossier overview lists the actions agreed, due soon, and lets the worker close one.
    click(c, ".report > p a").await?;
    click(c, ".contact > p a").await?;
    wait_text(c, "#open-actions", "belt het CAW voor vrijdag").await?;
    wait_text(
        c,
        "#open-actions",
        "brengt de aanmaningen binnen op maandag",
    )
    .await?;
    wait_text(c, "#open-actions", "binnenkort").await?;
    wait_text(c, "#audit", "Verslag geëxporteerd (docx)").await?;
    wait_text(c, "#audit", "Verslag geëxporteerd (pdf)").await?;
    screenshot(c, "17-dossier-overview").await?;
    let before = count(c, "#open-actions li").await?;
    click(c, "#open-actions li button").await?;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while count(c, "#open-actions li").await? >= before {
        ensure!(
            tokio::time::Instant::now() < deadline,
            "marking an action handled had no effect"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // A second contact: its report also draws on the first contact, and the overview shows
    // what changed.
    contact_with_notes(c, "De huur is gestegen naar 720 euro per maand.").await?;
    click(c, "#generate-report").await?;
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        "€ 720 per maand",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        "€ 650 per maand",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        ", contact ",
    )
    .await?;
    click(c, ".report > p a").await?;
    click(c, ".contact > p a").await?;
    wait_text(c, "#changed-facts", "€ 650 per maand").await?;
    wait_text(c, "#changed-facts", "€ 720 per maand").await?;
    screenshot(c, "18-dossier-changes").await?;
    Ok(())
}

/// Revoking consent: AI stops at once, the transcript and the contact key are destroyed, the
/// validated report stays with its disclosure updated, and the client gets a receipt.
async fn revocation_stops_ai_shreds_and_gives_a_receipt(
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
    screenshot(c, "19-revocation-receipt").await?;

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
        "Verslagontwerp gegenereerd (sociaal-verslag@1",
        "Verslag gevalideerd (versie 1)",
        "Toestemming ingetrokken (telefonisch); 1 uitschrijving(en) verwijderd",
        "(toestel ",
    ] {
        wait_text(c, "#audit", step).await?;
    }
    screenshot(c, "20-audit-log").await?;

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
    screenshot(c, "21-receipt-link").await?;
    Ok(())
}

/// The journey: consent "ja" → the model downloads once (progress, SHA-256 checked,
/// cached) → record from the (fake) microphone → stop → the transcript appears with timestamps,
/// sealed in IndexedDB with its audio → a segment is corrected and keeps the model's text →
/// "Verslag genereren" drafts from the recording and the disclosure names the model. On a "nee"
/// contact there is no record control at all.
async fn recording_is_transcribed_with_timestamps_and_corrected(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    create_dossier(c, "Marieke De Smet", "D-2026-0512").await?;
    click(c, "#new-contact").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#consent-status", "ja").await?;
    wait_text(c, "#model-status", "klaar").await?;
    screenshot(c, "40-model-ready").await?;
    click(c, "#record-start").await?;
    find(c, "#record-stop").await?;
    find(c, "#record-pause").await?;
    // Let the fake microphone say everything.
    // Meanwhile the level meter moves (a <meter>: the CSP allows no inline style).
    let spoken = SPOKEN_MS.load(std::sync::atomic::Ordering::Relaxed);
    let until = tokio::time::Instant::now() + std::time::Duration::from_millis(spoken + 1500);
    let mut loudest = -100.0f64;
    while tokio::time::Instant::now() < until {
        let level = c
            .execute(
                "return document.getElementById('record-level').value;",
                vec![],
            )
            .await?;
        loudest = loudest.max(level.as_f64().unwrap_or(-100.0));
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    ensure!(loudest > -50.0, "the level meter did not move: {loudest}");
    let elapsed = e2e::page::text(c, "#record-elapsed").await?;
    ensure!(
        elapsed != "00:00",
        "the elapsed time did not run: {elapsed}"
    );
    screenshot(c, "41-recording").await?;
    click(c, "#record-stop").await?;
    wait_text(c, "#record-status", "Transcript bewaard").await?;
    screenshot(c, "42-transcript").await?;
    let mut recognised = Vec::new();
    for segment in c
        .find_all(fantoccini::Locator::Css(".segment .seg-text"))
        .await?
    {
        recognised.push(segment.text().await?);
    }
    let recognised = recognised.join(" ");
    let errors = models::wer::word_errors(&SPOKEN.join(" "), &recognised);
    ensure!(
        errors.rate() <= RECORDED_WER_BOUND,
        "WER {:.2} above {RECORDED_WER_BOUND}: {recognised}",
        errors.rate()
    );
    let times = e2e::page::text(c, ".segment .seg-time").await?;
    ensure!(
        times.starts_with("▶ 00:0") && times.contains('–'),
        "segments carry no timestamps: {times}"
    );
    // Sealed: the audio and the transcript are in IndexedDB, neither in the clear.
    let raw = idb::dump(c).await?;
    ensure!(
        raw.iter().filter(|v| v.store == "audio").count() == 1,
        "the recording is not stored in the audio store"
    );
    ensure!(
        !raw.iter()
            .any(|v| v.latin1.contains("RIFF") || v.utf8.to_lowercase().contains("dochter")),
        "audio or transcript text is stored in the clear"
    );
    // Click-to-play decrypts the recording and plays the segment.
    click(c, ".segment .seg-time").await?;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let playing = c
            .execute(
                "const p = document.getElementById('segment-player'); \
                 return !!p && p.src.startsWith('blob:') && p.currentTime > 0;",
                vec![],
            )
            .await?;
        if playing.as_bool() == Some(true) || tokio::time::Instant::now() > deadline {
            ensure!(
                playing.as_bool() == Some(true),
                "playing the segment failed"
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A correction keeps the original.
    click(c, ".segment .seg-edit").await?;
    clear_field(c, ".segment .seg-input").await?;
    type_into(c, ".segment .seg-input", "Mijn huur is 750 euro per maand.").await?;
    click(c, ".segment .seg-save").await?;
    wait_text(c, ".segment .seg-original", "oorspronkelijk").await?;
    wait_text(c, ".segment .seg-text", "750 euro").await?;
    screenshot(c, "43-corrected").await?;
    // An audio file is a second way in: the same fixture, uploaded, becomes a second transcript.
    // A lock while the file is transcribed hides the screen; the transcript is still stored.
    let upload = SPEECH_WAV.get().context("fixture path")?;
    find(c, "#record-upload")
        .await?
        .send_keys(&upload.display().to_string())
        .await?;
    click(c, "#lock").await?;
    find(c, "#unlock-form").await?;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    unlock(c, PASSPHRASE).await?;
    let deadline = tokio::time::Instant::now() + e2e::page::WAIT;
    while count(c, ".transcripts .transcript").await? < 2 {
        ensure!(
            tokio::time::Instant::now() < deadline,
            "the uploaded file was not transcribed: {}",
            e2e::page::text(c, ".record-panel").await?
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    wait_text(c, "#record-status", "Transcript bewaard").await?;
    wait_text(c, "#record-status", "van het bestand").await?;
    let status = e2e::page::text(c, "#record-status").await?;
    ensure!(
        !status.contains("stoppen"),
        "an upload has no stop: {status}"
    );
    // A draft from the recordings alone (no notes), with the model in the disclosure.
    click(c, "#generate-report").await?;
    wait_text(c, ".disclosure", "Uitschrijven van de opname: ja").await?;
    wait_text(c, "body", "750").await?;
    screenshot(c, "44-draft-from-recording").await?;
    // Revoking consent while recording stops the recording at once and keeps nothing of it.
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, "#dossier-list a").await?;
    click(c, "#new-contact").await?;
    click(c, "#consent-yes").await?;
    wait_text(c, "#model-status", "klaar").await?;
    click(c, "#record-start").await?;
    find(c, "#record-stop").await?;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    click(c, "#revoke").await?;
    click(c, "#revoke-confirm").await?;
    wait_text(c, "#record-stopped", "Opname gestopt").await?;
    absent(c, "#record-stop", "the recording runs on after revocation").await?;
    wait_text(c, "#receipt", "U hebt uw toestemming ingetrokken").await?;
    wait_text(c, "#receipt", "Gestopt: opnemen en AI-ondersteuning").await?;
    let revoked_contact = c
        .current_url()
        .await?
        .path()
        .rsplit('/')
        .next()
        .context("contact url")?
        .to_owned();
    let dump = idb::dump(c).await?;
    ensure!(
        !dump
            .iter()
            .any(|v| v.store == "keys" && v.key == revoked_contact),
        "the revoked contact's key is still stored"
    );
    let audio = dump.into_iter().filter(|v| v.store == "audio").count();
    ensure!(
        audio == 2,
        "expected the two earlier recordings only, found {audio}: the revoked one was stored"
    );
    screenshot(c, "45-revoked-while-recording").await?;
    // A "nee" contact has no record control.
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, "#dossier-list a").await?;
    click(c, "#new-contact").await?;
    click(c, "#consent-no").await?;
    wait_text(c, "#consent-status", "nee").await?;
    absent(c, "#record-start", "a \"nee\" contact offers recording").await?;
    absent(
        c,
        "#record-upload",
        "a \"nee\" contact offers transcription",
    )
    .await?;
    Ok(())
}

/// Issue 6's journey: a validated report is shared with a PIN; the client opens the link in a
/// fresh browser profile and reads report and disclosure; the worker revokes and the link says
/// so. Then a second device joins the workspace with a pairing code and receives the dossier.
async fn shared_report_opens_for_the_client_until_revoked_and_a_second_device_pairs(
    b: &Browser,
    driver: &Driver,
    base: &str,
) -> anyhow::Result<()> {
    let c = &b.client;
    let client_name = "Mohamed El Amrani";
    create_workspace(c, base).await?;
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
    screenshot(c, "30-share-created").await?;

    // The client, in a fresh profile: PIN, then the report and its disclosure.
    let client = Browser::open(driver).await?;
    let result = async {
        let p = &client.client;
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
        wait_text(p, "#shared-report", "€ 610").await?;
        wait_text(p, "#shared-disclosure", "AI-ondersteuning").await?;
        wait_text(p, "#shared-disclosure", "An Peeters").await?;
        screenshot(p, "31-shared-report-client").await?;

        // The worker revokes; the client's reload says so.
        click(c, ".share-revoke").await?;
        wait_text(c, "#share-panel", "Link ingetrokken").await?;
        // The same URL again would only move to the fragment: reload.
        p.refresh().await?;
        wait_text(p, "#share-problem", "ingetrokken").await?;
        screenshot(p, "32-shared-report-revoked").await?;
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
    screenshot(c, "33-pairing-code").await?;
    let second = Browser::open(driver).await?;
    let result = async {
        let s = &second.client;
        s.goto(base).await?;
        find(s, "#pair-form").await?;
        type_into(s, "#pair-code", &code.to_lowercase()).await?;
        type_into(s, "#pair-passphrase", "een andere wachtzin").await?;
        type_into(s, "#pair-repeat", "een andere wachtzin").await?;
        click(s, "#pair-device").await?;
        wait_text(s, ".dossier-row", client_name).await?;
        screenshot(s, "34-second-device").await?;
        let dump = idb::dump(s).await?;
        ensure!(
            !dump
                .iter()
                .any(|v| v.utf8.contains(client_name) || v.latin1.contains("Amrani")),
            "plaintext in the second device's IndexedDB"
        );
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = screenshot(&second.client, "FAILED-second-device").await;
    }
    let _ = second.close().await;
    result?;
    // The first device lists both after a reload (which locks: unlock again).
    c.refresh().await?;
    unlock(c, PASSPHRASE).await?;
    wait_text(c, ".devices", "Toestel ").await?;
    ensure!(
        count(c, ".device").await? == 2,
        "expected two linked devices"
    );
    Ok(())
}

/// The first file in `dir` whose name starts with `prefix` and is not in `seen`, once complete.
async fn new_download(
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

fn unzip(bytes: &[u8]) -> anyhow::Result<std::collections::BTreeMap<String, Vec<u8>>> {
    Ok(export::zip::read(bytes, 1 << 30)?
        .into_iter()
        .map(|f| (f.name, f.data))
        .collect())
}

/// Exit and return: a drafted report with a reported problem shows in the pilot figures and
/// their CSV; "alles exporteren" → "alles verwijderen" (IndexedDB empty) → a new workspace →
/// import → a second export holds every file of the first, byte for byte. Then the dossier is
/// deleted and only its trace stays.
async fn export_delete_everything_import_gives_identical_data(
    b: &Browser,
    base: &str,
) -> anyhow::Result<()> {
    let c = &b.client;
    let downloads = b.downloads();
    let mut seen = std::collections::BTreeSet::new();
    create_workspace(c, base).await?;
    create_dossier(c, "Lotte Vermeulen", "D-2026-2201").await?;
    contact_with_notes(
        c,
        "De huur is 640 euro per maand. Er is een achterstal van twee maanden.",
    )
    .await?;
    click(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    click(c, ".sentence .report-problem summary").await?;
    click(c, ".sentence .report-problem [data-problem='invented']").await?;
    wait_text(c, ".problem-reported", "Gemeld: verzonnen").await?;
    accept_all(c).await?;
    type_into(c, "#validator", "An Peeters").await?;
    click(c, "#validate").await?;
    wait_text(c, "#report-status", "Gevalideerd door").await?;

    // Pilot figures.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    click(c, "#open-kpi").await?;
    wait_text(c, "#kpi-reports", "1 (waarvan 1 met AI-voorstellen)").await?;
    wait_text(c, "#kpi-incidents", "1 verzonnen").await?;
    find(c, "#kpi-chart rect").await?;
    screenshot(c, "24-pilot-figures").await?;
    click(c, "#kpi-csv").await?;
    let csv =
        String::from_utf8(new_download(&downloads, "zorgvuldig-pilotcijfers-", &mut seen).await?)?;
    let lines: Vec<&str> = csv.lines().collect();
    ensure!(lines.len() == 2, "one report, one CSV line: {csv}");
    ensure!(
        lines[1].ends_with(",0,0,1"),
        "the invented-sentence incident: {}",
        lines[1]
    );
    ensure!(!csv.contains("Vermeulen"), "the CSV names the client");

    // Export everything.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    click(c, "#export-all").await?;
    wait_text(c, "#data-status", "Export bewaard als").await?;
    let first = new_download(&downloads, "zorgvuldig-export-", &mut seen).await?;
    let first_files = unzip(&first)?;
    ensure!(first_files.keys().any(|k| k.starts_with("dossiers/")));
    ensure!(first_files.keys().any(|k| k.starts_with("transcripts/")));
    let manifest = String::from_utf8_lossy(&first_files["manifest.json"]).into_owned();
    ensure!(manifest.contains("\"schema_version\": 1"), "{manifest}");

    // A second tab holds the database open; deleting everything must not wait for it.
    let first_tab = c.window().await?;
    let second_tab = c.new_window(true).await?.handle;
    c.switch_to_window(second_tab.clone()).await?;
    c.goto(base).await?;
    find(c, "#passphrase").await?;
    c.switch_to_window(first_tab.clone()).await?;

    // Delete everything: back to a first visit, nothing left in IndexedDB.
    click(c, "#delete-all").await?;
    type_into(c, "#delete-all-word", "VERWIJDER").await?;
    click(c, "#delete-all-confirm").await?;
    find(c, "#setup-form").await?;
    // Only template files the relay publishes may be there again (fetched on the new start).
    let left: Vec<String> = idb::dump(c)
        .await?
        .into_iter()
        .filter(|v| !(v.store == "meta" && v.key == "templates"))
        .map(|v| format!("{}/{}", v.store, v.key))
        .collect();
    ensure!(left.is_empty(), "IndexedDB still holds {left:?}");
    // The other tab let go of the database and started over.
    c.switch_to_window(second_tab).await?;
    find(c, "#setup-form").await?;
    c.close_window().await?;
    c.switch_to_window(first_tab).await?;

    // A new workspace, and the export imported into it.
    create_workspace(c, base).await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    let path = downloads.join(
        seen.iter()
            .find(|n| n.starts_with("zorgvuldig-export-"))
            .context("export name")?,
    );
    find(c, "#import-file")
        .await?
        .send_keys(&path.display().to_string())
        .await?;
    click(c, "#import").await?;
    wait_text(c, "#data-status", "Geïmporteerd:").await?;
    wait_text(c, "#data-status", "0 waren er al").await?;
    screenshot(c, "25-imported").await?;
    ensure!(
        !idb::dump(c)
            .await?
            .iter()
            .any(|v| v.utf8.contains("Vermeulen")),
        "imported data is stored in plain text"
    );

    // A second export holds every record file of the first, byte for byte.
    click(c, "#export-all").await?;
    wait_text(c, "#data-status", "Export bewaard als").await?;
    // Same day, same name: the browser adds " (1)".
    let second = new_download(&downloads, "zorgvuldig-export-", &mut seen).await?;
    let second_files = unzip(&second)?;
    for (name, bytes) in &first_files {
        if name == "manifest.json" {
            continue;
        }
        ensure!(
            second_files.get(name) == Some(bytes),
            "{name} differs or is missing after export → delete → import"
        );
    }

    // Deleting the dossier leaves only its trace.
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, "#dossier-list a").await?;
    wait_text(c, "#dossier-title", "Lotte Vermeulen").await?;
    click(c, "#delete-dossier").await?;
    type_into(c, "#delete-dossier-name", "Lotte Vermeulen").await?;
    click(c, "#delete-dossier-confirm").await?;
    wait_text(c, "#notice", "Het dossier is verwijderd").await?;
    let dump = idb::dump(c).await?;
    let stores: Vec<&str> = dump
        .iter()
        .filter(|v| v.store != "meta")
        .map(|v| v.store.as_str())
        .collect();
    ensure!(
        stores == ["records"],
        "after deleting the only dossier, expected one trace record; found {stores:?}"
    );
    Ok(())
}

/// Issue 6: the relay publishes version 2 of the decision letter (see `e2e::server`); the app
/// fetches it, checks it, offers only the newest version for a new report, and the report
/// records the version it was made with.
async fn a_new_template_version_is_fetched_and_offered(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    wait_text(
        c,
        "#templates-status",
        "Beslissingsbrief in eenvoudige taal versie 2",
    )
    .await?;
    wait_text(
        c,
        "#templates",
        "Beslissingsbrief in eenvoudige taal (versie 2)",
    )
    .await?;
    click(c, ".top-bar nav a[href='/']").await?;
    create_dossier(c, "Ilse Wouters", "D-2026-3301").await?;
    contact_with_notes(c, "Mevrouw vraagt een tussenkomst in de huur.").await?;
    ensure!(
        exists(c, "#report-template option[value='beslissingsbrief@2']").await,
        "version 2 is not offered"
    );
    ensure!(
        !exists(c, "#report-template option[value='beslissingsbrief@1']").await,
        "the superseded version 1 is still offered for new reports"
    );
    find(c, "#report-template option[value='beslissingsbrief@2']")
        .await?
        .click()
        .await?;
    click(c, "#write-report").await?;
    wait_text(c, "#report-title", "Beslissingsbrief in eenvoudige taal").await?;
    wait_text(c, "#report-template", "beslissingsbrief (versie 2)").await?;
    // A second check finds nothing new: the version is kept on the device.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    click(c, "#refresh-templates").await?;
    wait_text(c, "#templates-status", "geen nieuwe versies").await?;
    Ok(())
}
