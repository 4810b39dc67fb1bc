//! Finding, typing, waiting and screenshots.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use fantoccini::Client;
use fantoccini::Locator;
use fantoccini::elements::Element;

/// How long to wait for something to appear. Key derivation (Argon2id, 64 MiB) runs in the page
/// and takes a few seconds on a slow machine.
pub const WAIT: Duration = Duration::from_secs(60);

/// Waits for an element matching `css`.
///
/// # Errors
/// When it does not appear within [`WAIT`].
pub async fn find(c: &Client, css: &str) -> anyhow::Result<Element> {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no element `{css}` within {WAIT:?}"))
}

/// Clicks the element matching `css`.
///
/// # Errors
/// When it is missing or cannot be clicked.
pub async fn click(c: &Client, css: &str) -> anyhow::Result<()> {
    find(c, css)
        .await?
        .click()
        .await
        .with_context(|| format!("cannot click `{css}`"))
}

/// Types `text` into the element matching `css`.
///
/// # Errors
/// When it is missing.
pub async fn type_into(c: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    find(c, css)
        .await?
        .send_keys(text)
        .await
        .with_context(|| format!("cannot type into `{css}`"))
}

/// The text of the element matching `css` (waiting for it to appear).
///
/// # Errors
/// When it does not appear within [`WAIT`].
pub async fn text(c: &Client, css: &str) -> anyhow::Result<String> {
    Ok(find(c, css).await?.text().await?)
}

/// Waits until the element matching `css` contains `text`.
///
/// # Errors
/// When it does not within [`WAIT`]; the error shows the last text seen.
pub async fn wait_text(c: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut last = String::new();
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            last = el.text().await.unwrap_or_default();
            if last.contains(text) {
                return Ok(());
            }
        }
        if tokio::time::Instant::now() > deadline {
            bail!("`{css}` never contained {text:?}; last seen: {last:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Value of a form field.
///
/// # Errors
/// When the element is missing.
pub async fn value(c: &Client, css: &str) -> anyhow::Result<String> {
    Ok(find(c, css).await?.prop("value").await?.unwrap_or_default())
}

/// Fails with `what` if an element matching `css` exists right now.
///
/// # Errors
/// When it exists.
pub async fn absent(c: &Client, css: &str, what: &str) -> anyhow::Result<()> {
    if exists(c, css).await {
        bail!("{what} (found `{css}`)");
    }
    Ok(())
}

/// Whether an element matching `css` exists right now.
pub async fn exists(c: &Client, css: &str) -> bool {
    c.find(Locator::Css(css)).await.is_ok()
}

/// Directory for screenshots: `$E2E_ARTIFACTS` or `e2e/artifacts`.
pub fn artifacts_dir() -> PathBuf {
    std::env::var_os("E2E_ARTIFACTS").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts")),
        PathBuf::from,
    )
}

/// Saves a PNG screenshot of the page as `NAME.png` in [`artifacts_dir`].
///
/// # Errors
/// When the screenshot or the write fails.
pub async fn screenshot(c: &Client, name: &str) -> anyhow::Result<()> {
    let dir = artifacts_dir();
    std::fs::create_dir_all(&dir)?;
    let png = c.screenshot().await?;
    std::fs::write(dir.join(format!("{name}.png")), png)?;
    Ok(())
}

/// A screen a journey reaches: saved as `NAME.png` (see [`screenshot`]) and checked for
/// WCAG 2.1 AA violations by [`crate::axe::check`].
///
/// # Errors
/// When the screenshot fails or axe finds a violation.
pub async fn screen(c: &Client, name: &str) -> anyhow::Result<()> {
    screenshot(c, name).await?;
    crate::axe::check(c, name).await
}

/// Empties a field the way a person does (select all, delete), so the page sees `input` events.
///
/// # Errors
/// When the element is missing.
pub async fn clear_field(c: &Client, css: &str) -> anyhow::Result<()> {
    // Ctrl+A, release modifiers, Backspace (WebDriver key codes).
    find(c, css)
        .await?
        .send_keys("\u{E009}a\u{E000}\u{E003}")
        .await
        .with_context(|| format!("cannot clear `{css}`"))
}

/// Waits for a finished download named `name` in `dir` (Chromium writes `.crdownload` first).
///
/// # Errors
/// When it does not appear within [`WAIT`].
pub async fn wait_download(dir: &std::path::Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let path = dir.join(name);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Ok(bytes) = std::fs::read(&path)
            && !bytes.is_empty()
        {
            return Ok(bytes);
        }
        if tokio::time::Instant::now() > deadline {
            let present: Vec<String> = std::fs::read_dir(dir)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            bail!("download {name} did not arrive; present: {present:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Number of elements matching `css` right now.
///
/// # Errors
/// When the query fails.
pub async fn count(c: &Client, css: &str) -> anyhow::Result<usize> {
    Ok(c.find_all(Locator::Css(css)).await?.len())
}
