//! One dossier: its details and contacts.

use domain::RecordId;
use domain::dossier::DossierDraft;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::clock;
use crate::components::dossier_data::DossierData;
use crate::components::dossier_form::DossierForm;
use crate::components::dossier_overview::DossierOverview;
use crate::session::use_session;

/// The id in the current route's `:id`, if it is a record id.
pub fn route_id() -> Memo<Option<RecordId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse().ok())))
}

/// Details, editing and the contact list of one dossier.
#[component]
pub fn DossierPage() -> impl IntoView {
    let session = use_session();
    let id = route_id();
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let save = Callback::new(move |draft: DossierDraft| {
        let Some(id) = id.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match session
                .save(|ws| ws.stage_dossier_update(id, draft, clock::now()))
                .await
            {
                Ok(_) => {
                    error.set(None);
                    editing.set(false);
                }
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    });
    move || {
        let Some(id) = id.get() else {
            return view! { <p>"Dit dossier bestaat niet."</p> }.into_any();
        };
        let Some(dossier) = session.with(|ws| ws.dossier(id).cloned()).flatten() else {
            return view! { <p>"Dit dossier bestaat niet (meer)."</p> }.into_any();
        };
        let contacts = move || {
            session
                .with(|ws| {
                    ws.contacts_of(id)
                        .into_iter()
                        .map(|c| {
                            let consent = if c.ai_allowed() {
                                "toestemming: ja"
                            } else if c.revoked.is_some() {
                                "toestemming: ingetrokken"
                            } else {
                                "toestemming: nee"
                            };
                            view! {
                                <li class="contact-row">
                                    <A href=format!("/contacten/{}", c.id)>
                                        {format!("{} – {}", c.kind.label(), clock::moment(c.started_at))}
                                    </A>
                                    <span class="badge">{consent}</span>
                                </li>
                            }
                        })
                        .collect_view()
                })
        };
        let draft = DossierDraft::from_dossier(&dossier);
        let dossier_name = dossier.name.clone();
        view! {
            <section>
                <p><A href="/">"← Alle dossiers"</A></p>
                <div class="heading-row">
                    <h1 id="dossier-title">{dossier.name.clone()}</h1>
                    <button
                        type="button"
                        class="secondary"
                        id="edit-dossier"
                        on:click=move |_| editing.update(|e| *e = !*e)
                    >
                        {move || if editing.get() { "Annuleren" } else { "Gegevens wijzigen" }}
                    </button>
                </div>
                <Show
                    when=move || editing.get()
                    fallback=move || {
                        let d = dossier.clone();
                        view! {
                            <dl class="facts">
                                <dt>"Dossiernummer"</dt>
                                <dd>{if d.reference.is_empty() { "—".to_owned() } else { d.reference.clone() }}</dd>
                                <dt>"Geboortedatum"</dt>
                                <dd>{d.birth_date.as_deref().map_or("—".to_owned(), clock::iso_date)}</dd>
                                <dt>"Notities"</dt>
                                <dd class="pre">{if d.notes.is_empty() { "—".to_owned() } else { d.notes.clone() }}</dd>
                            </dl>
                        }
                    }
                >
                    <DossierForm
                        initial=draft.clone()
                        submit_label="Wijzigingen bewaren"
                        on_submit=save
                        error
                        busy
                    />
                </Show>
                <div class="heading-row">
                    <h2>"Contacten"</h2>
                    <A href=format!("/dossiers/{id}/contact") attr:class="button primary" attr:id="new-contact">
                        "Nieuw contact"
                    </A>
                </div>
                <ul class="list" id="contact-list">{contacts}</ul>
                <Show when=move || session.with(|ws| ws.contacts_of(id).is_empty()).unwrap_or(false)>
                    <p class="muted" id="no-contacts">
                        "Nog geen contacten in dit dossier. Begin er een met “Nieuw contact”."
                    </p>
                </Show>
                <DossierOverview dossier=id />
                <DossierData dossier=id name=dossier_name.clone() />
                <section class="card" id="audit">
                    <h2>"Logboek"</h2>
                    <ul class="audit-log">
                        {move || {
                            session
                                .with(|ws| {
                                    ws.audit_of(id)
                                        .into_iter()
                                        .map(|e| {
                                            let line = format!(
                                                "{} — {} ({})",
                                                clock::moment(e.at),
                                                e.kind.describe(),
                                                e.device
                                            );
                                            view! { <li>{line}</li> }
                                        })
                                        .collect_view()
                                })
                        }}
                    </ul>
                </section>
            </section>
        }
        .into_any()
    }
}
