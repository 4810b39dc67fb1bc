//! The dossier overview: actions agreed across contacts, and facts that changed.

use casework::overview::Overview;
use domain::RecordId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::catalog;
use crate::clock;
use crate::session::use_session;

/// Open actions (overdue and due-soon first) and changed facts, from the transcripts of the
/// contacts whose client consents ([`casework::overview`]); no other contact is processed.
#[component]
pub fn DossierOverview(dossier: RecordId) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let mark = move |key: String, done: bool| {
        spawn_local(async move {
            let result = session
                .save(|ws| ws.stage_action_done(dossier, &key, done, clock::now()))
                .await;
            error.set(result.err().map(|e| e.to_string()));
        });
    };
    move || {
        let now = clock::now();
        let data = session.with(|ws| {
            casework::overview::of(ws, dossier, catalog::latest(), clock::day(now), clock::day)
        });
        let Some(Some(Overview { actions, changes })) = data else {
            return ().into_any();
        };
        view! {
            <section class="card overview" id="overview">
                <h2>"Openstaande afspraken"</h2>
                {actions.is_empty().then(|| view! { <p class="muted">"Geen openstaande afspraken."</p> })}
                <ul class="actions" id="open-actions">
                    {actions
                        .into_iter()
                        .map(|a| {
                            let key = a.key.clone();
                            let due = a.due.map_or_else(|| "geen termijn".to_owned(), |d| d.to_string());
                            view! {
                                <li class=format!("action urgency-{:?}", a.urgency).to_lowercase()>
                                    <span class="badge">{a.urgency.label()}</span>
                                    <span>{format!("{}: “{}” — {due}", a.owner.dutch(), a.text)}</span>
                                    <button type="button" class="link" on:click=move |_| mark(key.clone(), true)>
                                        "Afgehandeld"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <h2>"Gewijzigde gegevens"</h2>
                {changes.is_empty().then(|| view! { <p class="muted">"Geen wijzigingen tussen contacten gevonden."</p> })}
                <ul class="changes" id="changed-facts">
                    {changes
                        .into_iter()
                        .map(|c| {
                            view! {
                                <li>
                                    <strong>{c.field}</strong>
                                    {format!(": {} ({}) → {} ({})", c.before, c.before_on.iso(), c.after, c.after_on.iso())}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="error">{move || error.get()}</p>
            </section>
        }
        .into_any()
    }
}
