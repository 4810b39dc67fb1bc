//! A contact's consent: its status, revocation at any moment, and the receipt for the client.

use domain::RecordId;
use domain::audit::AuditKind;
use domain::consent::Channel;
use domain::share::{SharedReport, SharedSection};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::session::{Session, use_session};
use crate::sharing;

/// Days a receipt link works.
const RECEIPT_DAYS: u32 = 30;

/// Seals the receipt of `contact`'s revocation for the client, uploads it as a share and logs
/// it; returns the link (the key only in its fragment).
async fn share_receipt(session: Session, contact: RecordId) -> Result<String, String> {
    let (c, client, sender) = session
        .with_untracked(|ws| {
            let c = ws.contact(contact)?.clone();
            let client = ws.dossier(c.dossier).map(|d| d.name.clone())?;
            Some((c, client, ws.preferences().sender_line()))
        })
        .flatten()
        .ok_or("Dit contact bestaat niet (meer).")?;
    let revocation = c
        .revoked
        .clone()
        .ok_or("De toestemming is niet ingetrokken.")?;
    let shared = SharedReport {
        title: "Bevestiging: toestemming ingetrokken".into(),
        subtitle: [
            format!("Voor {client}"),
            format!("Gesprek van {}", clock::moment(c.started_at)),
        ]
        .into_iter()
        .chain(sender)
        .collect(),
        sections: vec![SharedSection {
            heading: "Wat er met uw gegevens gebeurde".into(),
            paragraphs: revocation.receipt(clock::moment),
        }],
        disclosure: vec![
            "Deze bevestiging werd door de app opgemaakt uit het logboek van uw dossier, zonder AI."
                .into(),
            format!(
                "Opname en AI-ondersteuning voor dit gesprek zijn gestopt op {}.",
                clock::moment(revocation.at)
            ),
        ],
    };
    let published = sharing::publish(session, &shared, RECEIPT_DAYS, None).await?;
    let kind = AuditKind::ReceiptShared {
        contact,
        share: published.id,
        days: RECEIPT_DAYS,
    };
    session
        .save(|ws| ws.stage_audit(c.dossier, kind, clock::now()))
        .await
        .map_err(|e| e.to_string())?;
    Ok(published.link)
}

/// Shows the consent decision; with a "ja", offers revocation (channel only, never a reason);
/// after a revocation, shows the receipt.
#[component]
pub fn ConsentPanel(contact: RecordId) -> impl IntoView {
    let session = use_session();
    let asking = RwSignal::new(false);
    let channel = RwSignal::new(Channel::Mondeling.code().to_owned());
    let error = RwSignal::new(None::<String>);
    // The receipt's link is shown once (its key is not kept); the panel outlives saves.
    let receipt_link = RwSignal::new(None::<String>);
    let sharing = RwSignal::new(false);
    let share_receipt = move |_| {
        sharing.set(true);
        spawn_local(async move {
            match share_receipt(session, contact).await {
                Ok(link) => {
                    error.set(None);
                    receipt_link.set(Some(link));
                }
                Err(e) => error.set(Some(e)),
            }
            sharing.set(false);
        });
    };
    let revoke = move |_| {
        let channel = Channel::from_code(&channel.get_untracked()).unwrap_or(Channel::Mondeling);
        spawn_local(async move {
            match session
                .save(|ws| ws.stage_revocation(contact, channel, clock::now()))
                .await
            {
                Ok(_) => {
                    asking.set(false);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    move || {
        let Some(c) = session.with(|ws| ws.contact(contact).cloned()).flatten() else {
            return ().into_any();
        };
        let decided = clock::moment(c.consent.at);
        if let Some(revocation) = c.revoked.clone() {
            let lines = revocation.receipt(clock::moment);
            return view! {
                <p class="consent-status refused" id="consent-status">
                    {format!(
                        "Toestemming voor opname en AI-ondersteuning: ingetrokken op {} ({}). \
                         Dit contact volgt nu het gewone pad: geen opname en geen AI.",
                        clock::moment(revocation.at),
                        revocation.channel.label()
                    )}
                </p>
                <section class="card receipt" id="receipt">
                    <h2>"Bevestiging voor de cliënt"</h2>
                    {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                    <button type="button" class="secondary" id="print-receipt" on:click=|_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.print();
                        }
                    }>"Afdrukken"</button>
                    <button type="button" class="secondary" id="share-receipt" on:click=share_receipt disabled=move || sharing.get()>
                        {format!("Link voor de cliënt maken ({RECEIPT_DAYS} dagen geldig)")}
                    </button>
                    {move || {
                        receipt_link
                            .get()
                            .map(|link| {
                                view! {
                                    <p class="share-link">
                                        "Geef deze link aan de cliënt (hij wordt maar één keer getoond): "
                                        <code id="receipt-link">{link}</code>
                                    </p>
                                }
                            })
                    }}
                    <ErrorLine error />
                </section>
            }
            .into_any();
        }
        // Not revoked (above), so no permit means the client said "nee".
        if !c.ai_allowed() {
            return view! {
                <p class="consent-status refused" id="consent-status">
                    {format!(
                        "Toestemming voor opname en AI-ondersteuning: nee (op {decided}). Dit contact \
                         volgt het gewone pad: geen opname en geen AI. U schrijft het verslag zelf, \
                         met dezelfde zorg en binnen dezelfde termijnen."
                    )}
                </p>
            }
            .into_any();
        }
        view! {
            <p class="consent-status given" id="consent-status">
                {format!("Toestemming voor opname en AI-ondersteuning: ja (gegeven op {decided}).")}
            </p>
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! {
                        <button type="button" class="secondary" id="revoke" on:click=move |_| asking.set(true)>
                            "Toestemming intrekken"
                        </button>
                    }
                }
            >
                <div class="card revoke">
                    <p>
                        "Opname en AI stoppen meteen. De opname en de uitschrijving van dit gesprek "
                        "worden verwijderd; gevalideerde verslagen blijven bewaard. Er wordt geen reden gevraagd."
                    </p>
                    <label for="revoke-channel">"Hoe trok de cliënt de toestemming in?"</label>
                    <select id="revoke-channel" bind:value=channel>
                        {Channel::ALL
                            .into_iter()
                            .map(|c| view! { <option value=c.code()>{c.label()}</option> })
                            .collect_view()}
                    </select>
                    <div class="row">
                        <button type="button" class="primary" id="revoke-confirm" on:click=revoke>
                            "Intrekken en verwijderen"
                        </button>
                        <button type="button" class="secondary" on:click=move |_| asking.set(false)>
                            "Annuleren"
                        </button>
                    </div>
                </div>
            </Show>
            <ErrorLine error />
        }
        .into_any()
    }
}
