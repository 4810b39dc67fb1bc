//! The browser console: every journey ends by reading it, and fails on a Rust panic, a
//! WebAssembly `RuntimeError`, an uncaught exception or a Content-Security-Policy violation.
//!
//! ChromeDriver keeps the console when the session asks for it (`goog:loggingPrefs`, set in
//! [`crate::browser`]) and hands it out through its log endpoint; each read drains it.

use anyhow::Context;
use fantoccini::Client;

use crate::cdp::SessionPost;

/// Console lines that mean the app broke, whatever the journey checked on screen.
const FATAL: &[&str] = &[
    "panicked at",
    "RuntimeError",
    "Uncaught",
    "Content Security Policy",
    "Content-Security-Policy",
    "already been disposed",
];

/// Every console entry since the last read, as `LEVEL message`.
///
/// # Errors
/// When ChromeDriver does not answer.
pub async fn read(c: &Client) -> anyhow::Result<Vec<String>> {
    let log = c
        // ChromeDriver's `POST /session/{id}/se/log` for the `browser` log.
        .issue_cmd(SessionPost {
            path: "se/log",
            body: r#"{"type":"browser"}"#.into(),
        })
        .await
        .context("cannot read the browser console")?;
    Ok(log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|e| {
                    format!(
                        "{} {}",
                        e["level"].as_str().unwrap_or("?"),
                        e["message"].as_str().unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

/// The entries among `lines` that fail a journey.
pub fn fatal(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| FATAL.iter().any(|f| l.contains(f)))
        .cloned()
        .collect()
}

/// Reads the console and fails when it holds a panic, runtime error or CSP violation.
///
/// # Errors
/// Naming every such line.
pub async fn check(c: &Client) -> anyhow::Result<()> {
    let bad = fatal(&read(c).await?);
    anyhow::ensure!(
        bad.is_empty(),
        "the browser console shows {} problem(s):\n{}",
        bad.len(),
        bad.join("\n")
    );
    Ok(())
}
