//! Sync between this worker's devices: switch on, sync now, link another device, unlink, and
//! the conflicts waiting for a choice.

use domain::RecordId;
use domain::record::Record;
use domain::sync::{DeviceInfo, Resolution, SyncedStore};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::background_sync::{self, use_sync_activity};
use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::relay_api;
use crate::session::{Session, use_session};
use crate::storage;
use crate::sync_client::{self, DeviceSync};

/// Both sides of one conflict, in words.
#[derive(Debug, Clone)]
struct ConflictView {
    store: SyncedStore,
    key: RecordId,
    mine: String,
    theirs: String,
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(140).collect();
    if text.chars().count() > 140 {
        out.push('…');
    }
    out
}

fn summary(session: Session, key: RecordId, bytes: Option<&[u8]>) -> String {
    let Some(bytes) = bytes else {
        return "verwijderd".into();
    };
    match session.with_untracked(|ws| ws.open_entry(key, bytes)) {
        Some(Ok(Record::Dossier(d))) => short(&format!("dossier {}: {}", d.name, d.notes)),
        Some(Ok(Record::Contact(c))) => short(&format!(
            "contact van {}: {}",
            clock::moment(c.started_at),
            c.note
        )),
        Some(Ok(Record::Report(r))) => format!(
            "{} versie {} ({} zinnen)",
            r.template.title,
            r.version,
            r.sentences.len()
        ),
        Some(Ok(_)) => "ander gegeven".into(),
        _ => "niet te openen met de sleutels van dit toestel".into(),
    }
}

async fn conflict_views(session: Session, sync: &DeviceSync) -> Vec<ConflictView> {
    let mut views = Vec::new();
    for conflict in sync.state.conflicts() {
        let remote = conflict.remote;
        let local = storage::read(remote.store.store(), &remote.key.to_string())
            .await
            .ok()
            .flatten();
        views.push(ConflictView {
            store: remote.store,
            key: remote.key,
            mine: summary(session, remote.key, local.as_deref()),
            theirs: summary(session, remote.key, remote.data.as_deref()),
        });
    }
    views
}

/// The sync card on the settings page.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let session = use_session();
    let sync = RwSignal::new(None::<DeviceSync>);
    let devices = RwSignal::new(Vec::<DeviceInfo>::new());
    let conflicts = RwSignal::new(Vec::<ConflictView>::new());
    let code = RwSignal::new(None::<(String, u64)>);
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let refresh = move || {
        spawn_local(async move {
            match sync_client::load(session).await {
                Ok(s) => {
                    conflicts.set(conflict_views(session, &s).await);
                    if let Some(c) = &s.credential {
                        match relay_api::call::<Vec<DeviceInfo>>(
                            "GET",
                            "/api/v1/devices",
                            Some(&c.token),
                            None::<&()>,
                            &[],
                        )
                        .await
                        {
                            Ok(list) => devices.set(list),
                            Err(e) => error.set(Some(format!("Toestellen niet opgehaald: {e}."))),
                        }
                    }
                    sync.set(Some(s));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // Read again at the start and after every sync, the background's included.
    let activity = use_sync_activity();
    Effect::new(move |_| {
        activity.finished.track();
        refresh();
    });

    let run_sync = move || {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match background_sync::sync_once(session).await {
                Ok(r) => status.set(Some(format!(
                    "Gesynchroniseerd: {} ontvangen, {} verstuurd{}.",
                    r.received,
                    r.sent,
                    if r.conflicts > 0 {
                        format!(", {} conflict(en) om te kiezen", r.conflicts)
                    } else {
                        String::new()
                    }
                ))),
                Err(e) => error.set(Some(format!("Synchroniseren mislukt: {e}."))),
            }
            busy.set(false);
            refresh();
        });
    };
    let enable = move |_| {
        busy.set(true);
        spawn_local(async move {
            match sync_client::ensure_account(session).await {
                Ok(_) => run_sync(),
                Err(e) => {
                    error.set(Some(format!("Inschakelen mislukt: {e}.")));
                    busy.set(false);
                }
            }
        });
    };
    let pair = move |_| {
        error.set(None);
        spawn_local(async move {
            match sync_client::offer_pairing(session).await {
                Ok(offer) => code.set(Some(offer)),
                Err(e) => error.set(Some(format!("Koppelcode maken mislukt: {e}."))),
            }
            refresh();
        });
    };
    let unlink = move |device: String| {
        spawn_local(async move {
            let token = sync
                .get_untracked()
                .and_then(|s| s.credential.map(|c| c.token))
                .unwrap_or_default();
            let path = format!("/api/v1/devices/{device}");
            match relay_api::delete(&path, &token).await {
                Ok(_) => status.set(Some("Toestel ontkoppeld.".into())),
                Err(e) => error.set(Some(format!("Ontkoppelen mislukt: {e}."))),
            }
            refresh();
        });
    };
    let choose = move |store: SyncedStore, key: RecordId, choice: Resolution| {
        spawn_local(async move {
            match sync_client::resolve(session, store, key, choice).await {
                Ok(()) => run_sync(),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="card" id="sync-panel">
            <h2>"Synchronisatie tussen uw toestellen"</h2>
            <p class="muted">
                "Alles wordt op dit toestel versleuteld voor het vertrekt; de relay bewaart enkel "
                "onleesbare gegevens. Opnames blijven op het toestel waarop ze gemaakt zijn."
            </p>
            {move || match sync.get() {
                None => view! { <p>"Laden…"</p> }.into_any(),
                Some(s) if s.credential.is_none() => view! {
                    <button type="button" class="primary" id="sync-enable" disabled=move || busy.get() on:click=enable>
                        "Synchronisatie inschakelen"
                    </button>
                }
                    .into_any(),
                Some(s) => view! {
                    <p id="sync-last">
                        {move || activity.last_sync.get().or(s.last_sync).map_or("Nog niet gesynchroniseerd.".to_owned(), |at| format!("Laatst gesynchroniseerd: {}.", clock::moment(domain::Timestamp(at))))}
                        " Dit gebeurt vanzelf: bij het ontgrendelen, om de paar minuten en kort na elke wijziging."
                    </p>
                    <p id="sync-waiting">
                        {move || match activity.waiting.get() {
                            Some(0) => "Alle wijzigingen van dit toestel zijn verstuurd.".to_owned(),
                            Some(n) => format!("{n} wijziging(en) wachten om verstuurd te worden."),
                            None => String::new(),
                        }}
                    </p>
                    <p class="muted" id="sync-problem">{move || activity.problem.get()}</p>
                    <div class="row">
                        <button type="button" class="primary" id="sync-now" disabled=move || busy.get() on:click=move |_| run_sync()>
                            "Nu synchroniseren"
                        </button>
                        <button type="button" class="secondary" id="pair-offer" on:click=pair>
                            "Een ander toestel koppelen"
                        </button>
                    </div>
                }
                    .into_any(),
            }}
            <p class="muted" role="status" id="sync-status">{move || status.get()}</p>
            <ErrorLine error />
            {move || code.get().map(|(code, expires)| view! {
                <div class="pairing">
                    <p>"Typ deze code op het nieuwe toestel (bij ‘Dit toestel koppelen’). Ze werkt één keer, tot "
                        {clock::time_of_day(domain::Timestamp(expires as i64 * 1000))} "."</p>
                    <p class="pairing-code" id="pairing-code">{code}</p>
                </div>
            })}
            {move || {
                let list = conflicts.get();
                (!list.is_empty()).then(|| view! {
                    <h3>"Conflicten"</h3>
                    <p class="muted">"Op twee toestellen werd hetzelfde gewijzigd. Er ging niets verloren; kies welke versie blijft."</p>
                    <ul class="conflicts">
                        {list.into_iter().map(|c| {
                            let (store, key) = (c.store, c.key);
                            view! {
                                <li class="conflict">
                                    <p>"Op dit toestel: " {c.mine}</p>
                                    <p>"Op het andere toestel: " {c.theirs}</p>
                                    <button type="button" class="secondary keep-mine" on:click=move |_| choose(store, key, Resolution::KeepMine)>"Deze versie houden"</button>
                                    <button type="button" class="secondary take-theirs" on:click=move |_| choose(store, key, Resolution::TakeTheirs)>"Versie van het andere toestel nemen"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            {move || {
                let list = devices.get();
                (!list.is_empty()).then(|| view! {
                    <h3>"Gekoppelde toestellen"</h3>
                    <ul class="devices">
                        {list.into_iter().map(|d| {
                            let id = d.device.clone();
                            let label = if d.current { "Dit toestel".to_owned() } else { format!("Toestel {}", &d.device[..8]) };
                            view! {
                                <li class="device">
                                    {label} " · gekoppeld op " {clock::moment(domain::Timestamp(d.created as i64 * 1000))}
                                    {(!d.current).then(|| view! {
                                        <button type="button" class="secondary device-revoke" on:click=move |_| unlink(id.clone())>"Ontkoppelen"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}
