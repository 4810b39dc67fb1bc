//! Settings → "Gegevens": export everything, import an export, delete everything.

use domain::archive::Scope;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::components::error_line::ErrorLine;
use crate::data_rights;
use crate::session::use_session;

/// The word the worker types to confirm deleting everything.
const CONFIRM_WORD: &str = "VERWIJDER";

async fn file_bytes(input: &web_sys::HtmlInputElement) -> Result<Vec<u8>, String> {
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or("Kies eerst een exportbestand (.zip).")?;
    crate::download::read_file(&file).await
}

/// Export, import and delete-all, with the warnings they need.
#[component]
pub fn DataPanel() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let confirm_text = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();

    let export_all = move |_| {
        busy.set(true);
        spawn_local(async move {
            match data_rights::export(session, Scope::Workspace).await {
                Ok(said) => {
                    error.set(None);
                    status.set(Some(said));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let import = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        let input: web_sys::HtmlInputElement = input.unchecked_into();
        busy.set(true);
        spawn_local(async move {
            let result = match file_bytes(&input).await {
                Ok(bytes) => data_rights::import(session, bytes).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(summary) => {
                    error.set(None);
                    status.set(Some(data_rights::describe(&summary)));
                }
                Err(e) => {
                    status.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let delete_all = move |_| {
        if confirm_text.get_untracked().trim() != CONFIRM_WORD {
            error.set(Some(format!("Typ {CONFIRM_WORD} om te bevestigen.")));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            if let Err(e) = data_rights::delete_everything(session).await {
                error.set(Some(e));
                busy.set(false);
            }
        });
    };
    view! {
        <section class="card" id="data">
            <h2>"Gegevens"</h2>
            <p>
                "Een export bevat alle dossiers, contacten, verslagen, uitschrijvingen, opnames en \
                 logboeken in een open formaat (JSON en WAV in een zip, met schemaversie). "
                <strong>"Het bestand is niet versleuteld:"</strong>
                " bewaar het alleen waar je organisatie dat toelaat."
            </p>
            <div class="row">
                <button type="button" class="primary" id="export-all" on:click=export_all disabled=move || busy.get()>
                    "Alles exporteren"
                </button>
                <A href="/pilot" attr:class="button secondary" attr:id="open-kpi">"Pilotcijfers"</A>
            </div>
            <label for="import-file">"Een export importeren (voegt toe wat hier nog niet staat; overschrijft niets)"</label>
            <input id="import-file" type="file" accept=".zip,application/zip" node_ref=file_input />
            <button type="button" class="secondary" id="import" on:click=import disabled=move || busy.get()>
                "Importeren"
            </button>
            {move || status.get().map(|s| view! { <p class="muted" id="data-status" role="status">{s}</p> })}
            <ErrorLine error />
            <h3>"Alles verwijderen"</h3>
            <p>
                "Verwijdert alle gegevens van dit toestel en, als synchronisatie aan staat, ook van de \
                 server: je andere toestellen synchroniseren dan niet meer en gedeelde links werken niet \
                 meer. Exporteer eerst wat je volgens de bewaartermijnen moet bewaren. Het spraakmodel \
                 blijft in de browser (het bevat geen persoonsgegevens)."
            </p>
            <Show
                when=move || confirming.get()
                fallback=move || {
                    view! {
                        <button type="button" class="danger" id="delete-all" on:click=move |_| confirming.set(true)>
                            "Alles verwijderen…"
                        </button>
                    }
                }
            >
                <label for="delete-all-word">{format!("Typ {CONFIRM_WORD} om te bevestigen")}</label>
                <input id="delete-all-word" type="text" autocomplete="off" bind:value=confirm_text />
                <div class="row">
                    <button type="button" class="danger" id="delete-all-confirm" on:click=delete_all disabled=move || busy.get()>
                        "Definitief verwijderen"
                    </button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                        "Annuleren"
                    </button>
                </div>
            </Show>
        </section>
    }
}
