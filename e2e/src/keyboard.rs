//! Keyboard-only use: moving focus with Tab, pressing keys and typing through WebDriver's key
//! actions, which go to whatever has focus, the way a person without a mouse works. Every
//! element reached must show where the focus is.

use anyhow::{Context, bail, ensure};
use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

/// Most Tab presses to reach an element (the longest screen has fewer stops than this).
const MAX_TABS: usize = 120;

/// Presses and releases `keys` one after the other (characters or [`Key`] codes).
///
/// # Errors
/// When WebDriver refuses the actions.
pub async fn keys(c: &Client, keys: impl IntoIterator<Item = char>) -> anyhow::Result<()> {
    let mut actions = KeyActions::new("keyboard".into());
    for value in keys {
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    c.perform_actions(actions)
        .await
        .context("cannot send key actions")?;
    c.release_actions().await?;
    Ok(())
}

/// Types `text` into the focused element.
///
/// # Errors
/// When WebDriver refuses the actions.
pub async fn type_text(c: &Client, text: &str) -> anyhow::Result<()> {
    keys(c, text.chars()).await
}

/// Presses Enter.
///
/// # Errors
/// When WebDriver refuses the actions.
pub async fn enter(c: &Client) -> anyhow::Result<()> {
    keys(c, [char::from(Key::Enter)]).await
}

/// Whether the focused element matches `css`.
async fn focused(c: &Client, css: &str) -> anyhow::Result<bool> {
    let found = c
        .execute(
            "const e = document.activeElement; return !!e && e.matches(arguments[0]);",
            vec![serde_json::Value::String(css.to_owned())],
        )
        .await?;
    Ok(found == serde_json::Value::Bool(true))
}

/// Whether the focused element shows its focus: an outline or a shadow ring.
async fn focus_visible(c: &Client) -> anyhow::Result<bool> {
    let shown = c
        .execute(
            "const s = getComputedStyle(document.activeElement);
             return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                 || s.boxShadow !== 'none';",
            vec![],
        )
        .await?;
    Ok(shown == serde_json::Value::Bool(true))
}

/// Presses Tab until the element matching `css` has focus, and checks that the focus shows.
///
/// # Errors
/// When it is not reached within [`MAX_TABS`] presses, or its focus is invisible.
pub async fn tab_to(c: &Client, css: &str) -> anyhow::Result<()> {
    // Let the screen settle: an element that is about to appear is tabbed to, not past.
    crate::page::find(c, css).await?;
    for _ in 0..MAX_TABS {
        if focused(c, css).await? {
            ensure!(
                focus_visible(c).await?,
                "`{css}` has focus but shows no focus indicator"
            );
            return Ok(());
        }
        keys(c, [char::from(Key::Tab)]).await?;
    }
    bail!("`{css}` cannot be reached with Tab ({MAX_TABS} presses)")
}

/// Tabs to `css` and presses Enter (a button or link, by keyboard).
///
/// # Errors
/// As [`tab_to`], or when the key cannot be sent.
pub async fn activate(c: &Client, css: &str) -> anyhow::Result<()> {
    tab_to(c, css).await?;
    enter(c).await
}
