//! A contact's consent: its status, revocation at any moment, and the receipt for the client.

use domain::RecordId;
use domain::consent::Channel;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::session::use_session;

/// Shows the consent decision; with a "ja", offers revocation (channel only, never a reason);
/// after a revocation, shows the receipt.
#[component]
pub fn ConsentPanel(contact: RecordId) -> impl IntoView {
    let session = use_session();
    let asking = RwSignal::new(false);
    let channel = RwSignal::new(Channel::Mondeling.code().to_owned());
    let error = RwSignal::new(None::<String>);
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
                </section>
            }
            .into_any();
        }
        if !c.consent.is_given() {
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
