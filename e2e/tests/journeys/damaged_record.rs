//! A damaged record is reported, kept byte for byte, and does not hide the rest.

use anyhow::{Context, ensure};
use e2e::idb;
use e2e::page::{screen, wait_text};
use fantoccini::Client;

use super::pages::{PASSPHRASE, create_dossier, create_workspace, unlock};

/// A damaged record is reported, kept byte for byte, and does not hide the rest.
pub(crate) async fn damaged_record_is_reported_and_kept(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    create_dossier(c, "Marie Dubois", "").await?;
    let damaged_key = "00112233445566778899aabbccddeeff";
    idb::put_raw(c, "records", damaged_key, b"ZV\x01\x00truncated").await?;
    c.goto(base).await?;
    unlock(c, PASSPHRASE).await?;
    wait_text(c, "#unreadable", "1 opgeslagen item(s)").await?;
    wait_text(c, "#dossier-list", "Marie Dubois").await?;
    screen(c, "11-damaged-record").await?;
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
