//! The alternative path: unlock → create dossier → contact with "nee" → write a note →
//! reload → unlock → everything still there; a wrong passphrase is refused and changes nothing;
//! the raw IndexedDB values hold none of the typed text.

use anyhow::ensure;
use e2e::idb;
use e2e::page::{absent, clear_field, click, find, screen, type_into, value, wait_text};
use fantoccini::Client;

use super::pages::{PASSPHRASE, create_workspace, unlock};

const CLIENT_NAME: &str = "Céline Janssens";
/// Frames the page must draw while it unlocks: Argon2id (64 MiB, three passes) takes far
/// longer than five frames, and a page whose own thread runs it draws none in between.
const UNLOCK_FRAMES: u64 = 5;
const REFERENCE: &str = "D-2026-0417";
const NOTE: &str = "Mevrouw meldt een huurachterstal van drie maanden bij de \
                    sociale huisvestingsmaatschappij. Afspraak met het CAW volgende week.";

/// The journey: unlock → create dossier → contact with "nee" → write a note → reload →
/// unlock → everything still there; a wrong passphrase is refused and changes nothing; the raw
/// IndexedDB values hold none of the typed text.
pub(crate) async fn alternative_path_is_encrypted_and_survives_reload(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    screen(c, "02-dossiers-empty").await?;
    click(c, "#new-dossier").await?;
    type_into(c, "#dossier-name", CLIENT_NAME).await?;
    type_into(c, "#dossier-reference", REFERENCE).await?;
    screen(c, "03-new-dossier").await?;
    click(c, "#dossier-save").await?;
    wait_text(c, "#dossier-title", CLIENT_NAME).await?;
    screen(c, "04-dossier").await?;

    click(c, "#new-contact").await?;
    wait_text(
        c,
        "#consent-reassurance",
        "Uw keuze verandert niets aan uw rechten",
    )
    .await?;
    screen(c, "05-consent").await?;
    click(c, "#consent-no").await?;
    wait_text(c, "#consent-status", "nee").await?;
    wait_text(c, "#consent-status", "geen opname en geen AI").await?;
    type_into(c, "#note", NOTE).await?;
    click(c, "#save-note").await?;
    wait_text(c, "#save-status", "ewaard om").await?;
    screen(c, "06-contact-nee").await?;

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
    screen(c, "07-unlock").await?;
    unlock(c, "dit is de verkeerde wachtzin").await?;
    wait_text(c, "#unlock-form .error", "Onjuiste wachtzin").await?;
    screen(c, "08-wrong-passphrase").await?;
    let after_wrong = idb::dump(c).await?;
    ensure!(
        after_wrong.len() == before.len()
            && after_wrong
                .iter()
                .zip(&before)
                .all(|(a, b)| a.latin1 == b.latin1),
        "a wrong passphrase changed stored data"
    );

    // Argon2id runs in the key worker: the page keeps drawing while it unlocks.
    e2e::frames::watch(c).await?;
    unlock(c, PASSPHRASE).await?;
    // The reload happened on the contact page; unlocking returns there with the note intact.
    wait_text(c, "#consent-status", "nee").await?;
    let (frames, gap) = e2e::frames::seen(c).await?;
    ensure!(
        frames >= UNLOCK_FRAMES,
        "the page froze while unlocking: {frames} frames, longest gap {gap:.0} ms"
    );
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
    screen(c, "09-dossiers").await?;
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
