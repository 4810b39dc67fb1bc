//! A dossier's export and deletion.

use domain::RecordId;
use domain::archive::Scope;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::components::error_line::ErrorLine;
use crate::data_rights;
use crate::session::use_session;

/// "Dossier exporteren" and "Dossier verwijderen" (confirmed by typing the client's name).
#[component]
pub fn DossierData(dossier: RecordId, name: String) -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let navigate = use_navigate();
    let validated = session
        .with_untracked(|ws| {
            ws.all_reports()
                .iter()
                .filter(|r| r.dossier == dossier && r.validated.is_some())
                .count()
        })
        .unwrap_or(0);
    let export = move |_| {
        busy.set(true);
        spawn_local(async move {
            match data_rights::export(session, Scope::Dossier { dossier }).await {
                Ok(said) => {
                    error.set(None);
                    status.set(Some(said));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let expected = name.clone();
    let delete = move |_| {
        if typed.get_untracked().trim() != expected.trim() {
            error.set(Some(
                "Typ de naam van de cliënt precies zoals hij in het dossier staat.".into(),
            ));
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match data_rights::delete_dossier(session, dossier).await {
                Ok(said) => {
                    let said = String::from(js_sys::encode_uri_component(&said));
                    navigate(&format!("/?melding={said}"), Default::default());
                }
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="card" id="dossier-data">
            <h2>"Gegevens van dit dossier"</h2>
            <div class="row">
                <button type="button" class="secondary" id="export-dossier" on:click=export disabled=move || busy.get()>
                    "Dossier exporteren"
                </button>
                <button type="button" class="danger" id="delete-dossier" on:click=move |_| confirming.set(true)>
                    "Dossier verwijderen…"
                </button>
            </div>
            {move || status.get().map(|s| view! { <p class="muted" id="dossier-data-status" role="status">{s}</p> })}
            <Show when=move || confirming.get()>
                <p>
                    "Verwijdert het dossier met alle contacten, verslagen, uitschrijvingen, opnames en het \
                     logboek van dit toestel (en bij synchronisatie van de server). Gedeelde links worden \
                     ingetrokken."
                </p>
                {(validated > 0)
                    .then(|| {
                        view! {
                            <p class="warning">
                                {format!(
                                    "Let op: dit dossier bevat {validated} gevalideerd(e) verslag(en). Loopt de bewaartermijn nog, exporteer dan eerst.",
                                )}
                            </p>
                        }
                    })}
                <label for="delete-dossier-name">"Typ de naam van de cliënt om te bevestigen"</label>
                <input id="delete-dossier-name" type="text" autocomplete="off" bind:value=typed />
                <div class="row">
                    <button type="button" class="danger" id="delete-dossier-confirm" on:click=delete.clone() disabled=move || busy.get()>
                        "Definitief verwijderen"
                    </button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                        "Annuleren"
                    </button>
                </div>
            </Show>
            <ErrorLine error />
        </section>
    }
}
