//! Sharing a validated report with the client: a link with the key in its fragment, an expiry,
//! an optional PIN, and revocation.

use domain::RecordId;
use domain::audit::AuditKind;
use domain::share::{SharedReport, is_valid_pin};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::download;
use crate::relay_api;
use crate::session::{Session, use_session};
use crate::sharing;
use crate::sync_client;

/// Live shares of `report`, from the dossier's audit log: `(share id, description)`.
fn live_shares(session: Session, dossier: RecordId, report: RecordId) -> Vec<(String, String)> {
    session
        .with(|ws| {
            domain::audit::live_shares(&ws.audit_of(dossier))
                .into_iter()
                .filter_map(|e| match &e.kind {
                    AuditKind::ReportShared {
                        report: r,
                        share,
                        days,
                        pin,
                    } if *r == report => Some((
                        share.clone(),
                        format!(
                            "Gedeeld op {}, {days} dagen geldig{}",
                            clock::moment(e.at),
                            if *pin { ", met pincode" } else { "" }
                        ),
                    )),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn create(
    session: Session,
    shared: &SharedReport,
    report: RecordId,
    dossier: RecordId,
    days: u32,
    pin: Option<String>,
) -> Result<String, String> {
    let published = sharing::publish(session, shared, days, pin.clone()).await?;
    let kind = AuditKind::ReportShared {
        report,
        share: published.id,
        days,
        pin: pin.is_some(),
    };
    session
        .save(|ws| ws.stage_audit(dossier, kind, clock::now()))
        .await
        .map_err(|e| e.to_string())?;
    Ok(published.link)
}

async fn revoke(
    session: Session,
    report: RecordId,
    dossier: RecordId,
    share: String,
) -> Result<(), String> {
    let (_, token) = sync_client::ensure_account(session).await?;
    let path = format!("/api/v1/shares/{share}");
    relay_api::delete(&path, &token)
        .await
        .map_err(|e| e.to_string())?;
    let kind = AuditKind::ShareRevoked { report, share };
    session
        .save(|ws| ws.stage_audit(dossier, kind, clock::now()))
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// What the share card shows that must outlive a re-render of the report page (every save
/// re-renders it, and the link is shown only once).
#[derive(Debug, Clone, Copy)]
pub struct ShareState {
    /// The link just made.
    pub link: RwSignal<Option<String>>,
    /// The last outcome.
    pub status: RwSignal<Option<String>>,
}

impl Default for ShareState {
    /// Empty state; create it outside the report page's reactive view.
    fn default() -> Self {
        Self {
            link: RwSignal::new(None),
            status: RwSignal::new(None),
        }
    }
}

/// The share card under a validated report.
#[component]
pub fn SharePanel(
    shared: SharedReport,
    report: RecordId,
    dossier: RecordId,
    state: ShareState,
) -> impl IntoView {
    let session = use_session();
    let shared = StoredValue::new(shared);
    let days = RwSignal::new("30".to_owned());
    let pin = RwSignal::new(String::new());
    let ShareState { link, status } = state;
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let make = move |_| {
        error.set(None);
        let Ok(n) = days.get_untracked().trim().parse::<u32>() else {
            error.set(Some("Geef het aantal dagen als een getal.".into()));
            return;
        };
        if !(1..=365).contains(&n) {
            error.set(Some("Een link is 1 tot 365 dagen geldig.".into()));
            return;
        }
        let p = pin.get_untracked().trim().to_owned();
        if !p.is_empty() && !is_valid_pin(&p) {
            error.set(Some("Een pincode heeft 4 tot 8 cijfers.".into()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let doc = shared.get_value();
            let pin = (!p.is_empty()).then_some(p);
            match create(session, &doc, report, dossier, n, pin).await {
                Ok(url) => {
                    status.set(None);
                    link.set(Some(url));
                }
                Err(e) => error.set(Some(format!("Delen mislukt: {e}."))),
            }
            busy.set(false);
        });
    };
    let copy = move |_| {
        let Some(url) = link.get_untracked() else {
            return;
        };
        spawn_local(async move {
            status.set(Some(match download::copy_text(&url).await {
                Ok(()) => "Link gekopieerd.".into(),
                Err(e) => format!("Kopiëren mislukt: {e}"),
            }));
        });
    };
    view! {
        <section class="card share-panel" id="share-panel">
            <h2>"Delen met de cliënt"</h2>
            <p class="muted">
                "De cliënt leest dit verslag en de vermelding over AI via een link, zonder account. "
                "Het verslag wordt op dit toestel versleuteld; de sleutel staat alleen in de link."
            </p>
            <label for="share-days">"Geldig (dagen)"</label>
            <input id="share-days" type="number" min="1" max="365" bind:value=days />
            <label for="share-pin">"Pincode, samen afgesproken (optioneel, 4–8 cijfers)"</label>
            <input id="share-pin" type="text" inputmode="numeric" autocomplete="off" bind:value=pin />
            <ErrorLine error />
            <button type="button" class="primary" id="share-create" disabled=move || busy.get() on:click=make>
                "Link maken"
            </button>
            {move || link.get().map(|url| view! {
                <label for="share-link">"Geef deze link aan de cliënt. Zorgvuldig bewaart hem niet: kopieer of verstuur hem nu."</label>
                <input id="share-link" type="text" readonly value=url />
                <button type="button" class="secondary" id="share-copy" on:click=copy>"Link kopiëren"</button>
            })}
            <p class="muted" role="status">{move || status.get()}</p>
            {move || {
                let live = live_shares(session, dossier, report);
                (!live.is_empty()).then(|| view! {
                    <ul class="shares">
                        {live.into_iter().map(|(id, text)| view! {
                            <li class="share">
                                {text}
                                <button type="button" class="secondary share-revoke" on:click=move |_| {
                                    let id = id.clone();
                                    spawn_local(async move {
                                        match revoke(session, report, dossier, id).await {
                                            Ok(()) => {
                                                link.set(None);
                                                status.set(Some("Link ingetrokken.".into()));
                                            }
                                            Err(e) => error.set(Some(format!("Intrekken mislukt: {e}."))),
                                        }
                                    });
                                }>"Intrekken"</button>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}
