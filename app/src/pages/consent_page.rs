//! Starting a contact: the consent question, asked anew every time.

use domain::consent::{CONSENT_QUESTION, CONSENT_REASSURANCE, ConsentChoice};
use domain::contact::ContactKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::pages::dossier_page::route_id;
use crate::session::use_session;

/// Asks the client's decision in neutral words. Both answers are equal buttons; neither is
/// preselected, and no reason is asked or stored.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let session = use_session();
    let dossier = route_id();
    let kind = RwSignal::new(ContactKind::Gesprek.code().to_owned());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let decide = move |choice: ConsentChoice| {
        let Some(dossier) = dossier.get_untracked() else {
            return;
        };
        let kind = ContactKind::from_code(&kind.get_untracked()).unwrap_or(ContactKind::Gesprek);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .save(|ws| ws.stage_new_contact(dossier, kind, choice, clock::now()))
                .await
            {
                Ok(contact) => navigate(&format!("/contacten/{contact}"), Default::default()),
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    };
    let decide_yes = decide.clone();
    let name = move || {
        dossier
            .get()
            .and_then(|id| {
                session
                    .with(|ws| ws.dossier(id).map(|d| d.name.clone()))
                    .flatten()
            })
            .unwrap_or_default()
    };
    view! {
        <section class="consent">
            <p>
                <A href=move || format!("/dossiers/{}", dossier.get().map(|d| d.to_string()).unwrap_or_default())>
                    "← Terug naar het dossier"
                </A>
            </p>
            <h1>{move || format!("Nieuw contact met {}", name())}</h1>
            <label for="contact-kind">"Soort contact"</label>
            <select id="contact-kind" bind:value=kind>
                {ContactKind::ALL
                    .into_iter()
                    .map(|k| view! { <option value=k.code()>{k.label()}</option> })
                    .collect_view()}
            </select>
            <div class="card question">
                <h2>"Vraag het aan de cliënt"</h2>
                <p class="quote" id="consent-question">{CONSENT_QUESTION}</p>
                <p class="quote" id="consent-reassurance">{CONSENT_REASSURANCE}</p>
                <p class="muted">
                    "Alleen de keuze en het moment worden bewaard. Er wordt geen reden gevraagd of "
                    "genoteerd. De cliënt kan de toestemming op elk moment intrekken."
                </p>
                <div class="choice-row">
                    <button
                        type="button"
                        class="choice"
                        id="consent-yes"
                        disabled=move || busy.get()
                        on:click=move |_| decide_yes(ConsentChoice::Given)
                    >
                        "Ja, de cliënt stemt in"
                    </button>
                    <button
                        type="button"
                        class="choice"
                        id="consent-no"
                        disabled=move || busy.get()
                        on:click=move |_| decide(ConsentChoice::Refused)
                    >
                        "Nee, de cliënt stemt niet in"
                    </button>
                </div>
                <ErrorLine error />
            </div>
        </section>
    }
}
