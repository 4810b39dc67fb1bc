//! User journeys in headless Chromium against the real relay over TLS.
//!
//! Needs the built app (`cargo xtask dist`), Chromium and ChromeDriver; `scripts/test.sh`
//! provides all three. Screenshots of every screen land in `e2e/artifacts/`.

use std::future::Future;
use std::pin::Pin;

use anyhow::ensure;
use e2e::browser::{Browser, Driver, fake_microphone};
use e2e::page::{find, screenshot};
use e2e::server::{Relay, dist_dir};

#[path = "journeys/alternative_path.rs"]
mod alternative_path;
#[path = "journeys/contact_key.rs"]
mod contact_key;
#[path = "journeys/damaged_record.rs"]
mod damaged_record;
#[path = "journeys/export_import.rs"]
mod export_import;
#[path = "journeys/keyboard.rs"]
mod keyboard;
#[path = "journeys/no_lost_work.rs"]
mod no_lost_work;
#[path = "journeys/offline.rs"]
mod offline;
#[path = "journeys/pages.rs"]
mod pages;
#[path = "journeys/recording.rs"]
mod recording;
#[path = "journeys/revocation.rs"]
mod revocation;
#[path = "journeys/sharing.rs"]
mod sharing;
#[path = "journeys/sourced_draft.rs"]
mod sourced_draft;
#[path = "journeys/template_version.rs"]
mod template_version;

use alternative_path::alternative_path_is_encrypted_and_survives_reload;
use contact_key::every_contact_asks_again_and_ja_gets_a_contact_key;
use damaged_record::damaged_record_is_reported_and_kept;
use export_import::export_delete_everything_import_gives_identical_data;
use pages::{PROFILE_WAV, SPEECH_WAV, SPOKEN, SPOKEN_MS};
use recording::recording_is_transcribed_with_timestamps_and_corrected;
use revocation::revocation_stops_ai_shreds_and_gives_a_receipt;
use sharing::shared_report_opens_for_the_client_until_revoked_and_a_second_device_pairs;
use sourced_draft::sourced_draft_is_reviewed_validated_and_exported;
use template_version::a_new_template_version_is_fetched_and_offered;

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
    // The fake microphone plays a spoken Dutch fixture once: two voices, one sentence each.
    let speech_dir = tempfile::tempdir()?;
    let speech_wav = speech_dir.path().join("gesprek.wav");
    let mut samples = speech_fixtures::silence(1.0);
    for (sentence, voice) in SPOKEN.iter().zip(["nl", "nl+m7"]) {
        samples.extend(speech_fixtures::speak(voice, sentence)?);
        samples.extend(speech_fixtures::silence(1.0));
    }
    std::fs::write(&speech_wav, models::audio::wav_bytes(&samples, 16_000))?;
    let spoken_ms = samples.len() as u64 * 1000 / 16_000;
    SPEECH_WAV.set(speech_wav.clone()).ok();
    // The worker (the fixture's first voice) reads the voice-profile text aloud.
    let profile_wav = speech_dir.path().join("stemprofiel.wav");
    let reading = speech_fixtures::speak("nl", domain::speech::VOICE_PRINT_TEXT)?;
    std::fs::write(&profile_wav, models::audio::wav_bytes(&reading, 16_000))?;
    PROFILE_WAV.set(profile_wav).ok();
    SPOKEN_MS.store(spoken_ms, std::sync::atomic::Ordering::Relaxed);
    let journeys: [(&str, Journey); 13] = [
        ("everything_works_by_keyboard_alone", |b, _, base| {
            Box::pin(keyboard::everything_works_by_keyboard_alone(
                &b.client, base,
            ))
        }),
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
        ("the_app_works_without_a_connection", |b, _, base| {
            Box::pin(offline::the_app_works_without_a_connection(b, base))
        }),
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
        // The recording journeys hear the fake microphone (the keyboard journey records too).
        let browser = if name.starts_with("recording") || name.starts_with("everything_works_by") {
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
