//! First use (choose a passphrase) and unlocking.

use domain::crypto::{Keyring, KeyringError, SecretKey};
use domain::workspace::Workspace;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_line::ErrorLine;
use crate::components::new_passphrase::{self, NewPassphrase};
use crate::key_worker;
use crate::messages;
use crate::session::{Session, use_session};
use crate::storage;
use crate::yield_now::yield_to_browser;

/// Shows the setup form on a device without a workspace, the unlock form otherwise.
#[component]
pub fn UnlockPage() -> impl IntoView {
    let keyring = LocalResource::new(storage::keyring);
    view! {
        <main class="page unlock">
            <h1>"Zorgvuldig"</h1>
            <p class="lede">"Verslagen van uw gesprekken, op uw eigen toestel, versleuteld."</p>
            {move || match keyring.get() {
                None => view! { <p>"Laden…"</p> }.into_any(),
                Some(Ok(Some(keyring))) => view! { <UnlockForm keyring /> }.into_any(),
                Some(Ok(None)) => view! { <SetupForm /> <PairForm /> }.into_any(),
                Some(Err(err)) => {
                    view! {
                        <p class="error" role="alert">
                            {err.to_string()}
                            " Er is niets gewijzigd."
                        </p>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}

/// A new keyring around a fresh workspace key, derived in the key worker.
async fn create(pass: &str) -> Result<(Keyring, SecretKey), KeyringError> {
    let key = SecretKey::generate()?;
    let keyring = key_worker::wrap(&key, pass).await?;
    Ok((keyring, key))
}

async fn open_workspace(session: Session, key: SecretKey) -> Result<(), String> {
    let entries = storage::load_all().await.map_err(|e| e.to_string())?;
    let device = storage::device_id().await.map_err(|e| e.to_string())?;
    let (mut workspace, unreadable) = Workspace::open(key, entries);
    workspace.set_device(format!("toestel {device}"));
    session.unlock(workspace, unreadable);
    Ok(())
}

#[component]
fn UnlockForm(keyring: Keyring) -> impl IntoView {
    let session = use_session();
    let passphrase = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let keyring = StoredValue::new(keyring);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let pass = passphrase.get_untracked();
            let result = match key_worker::unlock(&keyring.get_value(), &pass).await {
                Ok(key) => open_workspace(session, key).await,
                Err(err) => Err(messages::keyring_error(&err)),
            };
            if let Err(message) = result {
                error.set(Some(message));
            } else {
                passphrase.set(String::new());
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card" id="unlock-form" on:submit=submit>
            <h2>"Ontgrendelen"</h2>
            <label for="passphrase">"Wachtzin"</label>
            <input
                id="passphrase"
                type="password"
                autocomplete="current-password"
                required
                bind:value=passphrase
            />
            <ErrorLine error />
            <button type="submit" class="primary" id="unlock" disabled=move || busy.get()>
                {move || if busy.get() { "Bezig met ontgrendelen…" } else { "Ontgrendelen" }}
            </button>
        </form>
    }
}

#[component]
fn SetupForm() -> impl IntoView {
    let session = use_session();
    let passphrase = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let pass = match new_passphrase::chosen(passphrase, repeat) {
            Ok(pass) => pass,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = match create(&pass).await {
                Ok((keyring, key)) => match storage::create_keyring(&keyring).await {
                    Ok(()) => open_workspace(session, key).await,
                    Err(err) => Err(err.to_string()),
                },
                Err(err) => Err(messages::keyring_error(&err)),
            };
            if let Err(message) = result {
                error.set(Some(message));
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card" id="setup-form" on:submit=submit>
            <h2>"Werkruimte aanmaken"</h2>
            <p>
                "Kies een wachtzin van minstens 10 tekens. Alles wat u in Zorgvuldig bewaart, wordt "
                "ermee versleuteld op dit toestel. Zonder wachtzin kan niemand het lezen, ook wij niet."
            </p>
            <NewPassphrase
                id="new-passphrase"
                repeat_id="repeat-passphrase"
                label="Wachtzin"
                passphrase
                repeat
                required=true
            />
            <ErrorLine error />
            <button type="submit" class="primary" id="create-workspace" disabled=move || busy.get()>
                {move || if busy.get() { "Bezig…" } else { "Werkruimte aanmaken" }}
            </button>
        </form>
    }
}

/// A second device joins an existing workspace with a pairing code from the first.
#[component]
fn PairForm() -> impl IntoView {
    let session = use_session();
    let code = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // Checked before the code is used: a code works only once.
        let pass = match new_passphrase::chosen(passphrase, repeat) {
            Ok(pass) => pass,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            yield_to_browser().await;
            let result = pair(session, &code.get_untracked(), &pass).await;
            if let Err(message) = result {
                error.set(Some(message));
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card" id="pair-form" on:submit=submit>
            <h2>"Dit toestel koppelen"</h2>
            <p>
                "Werkt u al met Zorgvuldig op een ander toestel? Kies daar bij Instellingen "
                "‘Een ander toestel koppelen’ en typ de code hier. Kies voor dit toestel een eigen wachtzin."
            </p>
            <label for="pair-code">"Koppelcode"</label>
            <input id="pair-code" type="text" autocomplete="off" spellcheck="false" bind:value=code />
            <NewPassphrase
                id="pair-passphrase"
                repeat_id="pair-repeat"
                label="Wachtzin voor dit toestel"
                passphrase
                repeat
            />
            <ErrorLine error />
            <button type="submit" class="secondary" id="pair-device" disabled=move || busy.get()>
                {move || if busy.get() { "Bezig met koppelen…" } else { "Koppelen" }}
            </button>
        </form>
    }
}

async fn pair(session: Session, code: &str, pass: &str) -> Result<(), String> {
    let (key, credential) = crate::sync_client::claim_pairing(code).await?;
    let keyring = key_worker::wrap(&key, pass)
        .await
        .map_err(|e| messages::keyring_error(&e))?;
    storage::create_keyring(&keyring)
        .await
        .map_err(|e| e.to_string())?;
    open_workspace(session, key).await?;
    let sync = crate::sync_client::DeviceSync {
        credential: Some(credential),
        ..Default::default()
    };
    crate::sync_client::save(session, &sync).await?;
    crate::background_sync::sync_once(session)
        .await
        .map(|_| ())
        .map_err(|e| format!("Gekoppeld, maar de eerste synchronisatie mislukte: {e}. Probeer opnieuw bij Instellingen."))
}
