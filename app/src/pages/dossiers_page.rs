//! The dossier list: search, open, create.

use domain::dossier::DossierDraft;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::clock;
use crate::components::dossier_form::DossierForm;
use crate::session::use_session;

/// Lists dossiers matching the search; offers a form for a new one.
#[component]
pub fn DossiersPage() -> impl IntoView {
    let session = use_session();
    let query = RwSignal::new(String::new());
    let creating = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let create = Callback::new(move |draft: DossierDraft| {
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .save(|ws| ws.stage_new_dossier(draft, clock::now()))
                .await
            {
                Ok(id) => navigate(&format!("/dossiers/{id}"), Default::default()),
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    });
    let rows = move || {
        let found = session
            .with(|ws| {
                ws.dossiers(&query.get())
                    .into_iter()
                    .map(|d| {
                        (
                            d.id,
                            d.name.clone(),
                            d.reference.clone(),
                            d.birth_date.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        found
            .into_iter()
            .map(|(id, name, reference, birth_date)| {
                let born = birth_date
                    .map(|b| format!("° {}", clock::iso_date(&b)))
                    .unwrap_or_default();
                view! {
                    <li class="dossier-row">
                        <A href=format!("/dossiers/{id}")>{name}</A>
                        <span class="muted">{reference}</span>
                        <span class="muted">{born}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let count = move || {
        session
            .with(|ws| ws.dossiers(&query.get()).len())
            .unwrap_or(0)
    };
    // A message from the screen that sent the worker here (a deleted dossier, say).
    let notice = use_query_map().with_untracked(|q| q.get("melding"));
    view! {
        <section>
            {notice.map(|n| view! { <p class="card notice" id="notice" role="status">{n}</p> })}
            <div class="heading-row">
                <h1>"Dossiers"</h1>
                <button
                    type="button"
                    class="primary"
                    id="new-dossier"
                    on:click=move |_| creating.update(|c| *c = !*c)
                >
                    {move || if creating.get() { "Annuleren" } else { "Nieuw dossier" }}
                </button>
            </div>
            <Show when=move || creating.get()>
                <DossierForm
                    initial=DossierDraft::default()
                    submit_label="Dossier aanmaken"
                    on_submit=create
                    error
                    busy
                />
            </Show>
            <label for="search" class="visually-hidden">"Zoek op naam of dossiernummer"</label>
            <input
                id="search"
                type="search"
                placeholder="Zoek op naam of dossiernummer"
                autocomplete="off"
                bind:value=query
            />
            <Show
                when=move || { count() > 0 }
                fallback=move || {
                    view! {
                        <p class="muted" id="no-dossiers">
                            {move || if query.get().trim().is_empty() {
                                "Nog geen dossiers. Maak er een aan met “Nieuw dossier”."
                            } else {
                                "Geen dossier gevonden voor deze zoekopdracht."
                            }}
                        </p>
                    }
                }
            >
                <ul class="list" id="dossier-list">{rows}</ul>
            </Show>
        </section>
    }
}
