//! Choosing a new passphrase: the field and its repetition, and the one check of both (used by
//! the setup and the pairing forms).

use leptos::prelude::*;

use crate::messages;

/// The chosen passphrase, when both fields agree and it is long enough.
///
/// # Errors
/// A Dutch message for the worker.
pub fn chosen(passphrase: RwSignal<String>, repeat: RwSignal<String>) -> Result<String, String> {
    let pass = passphrase.get_untracked();
    if pass != repeat.get_untracked() {
        return Err("De twee wachtzinnen verschillen.".into());
    }
    if pass.chars().count() < domain::crypto::keyring::MIN_PASSPHRASE_CHARS {
        return Err(messages::keyring_error(
            &domain::crypto::KeyringError::PassphraseTooShort,
        ));
    }
    Ok(pass)
}

/// A new passphrase and its repetition. `id` names the first field, `repeat_id` the second.
#[component]
pub fn NewPassphrase(
    /// Element id of the passphrase field.
    id: &'static str,
    /// Element id of the repetition.
    repeat_id: &'static str,
    /// Label of the passphrase field.
    label: &'static str,
    /// The passphrase typed.
    passphrase: RwSignal<String>,
    /// The repetition typed.
    repeat: RwSignal<String>,
    /// Whether the browser must insist on both fields.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id type="password" autocomplete="new-password" required=required bind:value=passphrase />
        <label for=repeat_id>"Herhaal de wachtzin"</label>
        <input id=repeat_id type="password" autocomplete="new-password" required=required bind:value=repeat />
    }
}
