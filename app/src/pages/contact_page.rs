//! One contact: its consent status and its report.

use domain::RecordId;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::clock;
use crate::components::consent_panel::ConsentPanel;
use crate::components::new_report::NewReport;
use crate::components::record_panel::RecordPanel;
use crate::components::transcript_view::TranscriptView;
use crate::notes::{NoteStatus, use_notes};
use crate::pages::dossier_page::route_id;
use crate::session::use_session;

/// The contact screen. The report is written here by hand; on a "nee" contact that is the only
/// way, and the screen shows no recording control and no AI action.
///
/// The view depends on the route only: the contact is read untracked, so saving the note does
/// not rebuild the editor under the worker's cursor.
#[component]
pub fn ContactPage() -> impl IntoView {
    let session = use_session();
    let id = route_id();
    move || {
        let Some(id) = id.get() else {
            return view! { <p>"Dit contact bestaat niet."</p> }.into_any();
        };
        let Some(contact) = session
            .with_untracked(|ws| ws.contact(id).cloned())
            .flatten()
        else {
            return view! { <p>"Dit contact bestaat niet (meer)."</p> }.into_any();
        };
        let dossier_name = session
            .with_untracked(|ws| ws.dossier(contact.dossier).map(|d| d.name.clone()))
            .flatten()
            .unwrap_or_default();
        view! {
            <section class="contact">
                <p>
                    <A href=format!("/dossiers/{}", contact.dossier)>
                        {format!("← {dossier_name}")}
                    </A>
                </p>
                <h1>{format!("{} – {}", contact.kind.label(), clock::moment(contact.started_at))}</h1>
                <ConsentPanel contact=id />
                <RecordPanel contact=id />
                <TranscriptView contact=id />
                <NoteEditor contact=id initial=contact.note.clone() />
                <h2>"Verslagen"</h2>
                <ul class="list" id="report-list">
                    {move || {
                        session
                            .with(|ws| {
                                ws.reports_of(id)
                                    .into_iter()
                                    .map(|r| {
                                        let status = if r.validated.is_some() { "gevalideerd" } else { "ontwerp" };
                                        let label = format!("{} – versie {} ({status})", r.template.title, r.version);
                                        view! { <li><A href=format!("/verslagen/{}", r.id)>{label}</A></li> }
                                    })
                                    .collect_view()
                            })
                    }}
                </ul>
                <NewReport contact=id />
            </section>
        }
        .into_any()
    }
}

/// The note editor. The text is held by [`Notes`] at the app's level, so leaving the screen
/// (or a lock) while a save is pending loses nothing: the editor going away writes it at once.
#[component]
fn NoteEditor(contact: RecordId, initial: String) -> impl IntoView {
    let notes = use_notes();
    let stored = StoredValue::new(initial.clone());
    let text = RwSignal::new(notes.text(contact, &initial));
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        notes.edit(contact, &stored.get_value(), value);
    };
    on_cleanup(move || notes.save(contact, "Bewaard"));
    view! {
        <div class="card">
            <label for="note">"Verslag van het contact"</label>
            <textarea id="note" rows="14" prop:value=move || text.get() on:input=on_input></textarea>
            <div class="row">
                <button type="button" class="primary" id="save-note" on:click=move |_| notes.save(contact, "Bewaard")>
                    "Bewaren"
                </button>
                <span class="muted" id="save-status" role="status">
                    {move || match notes.status(contact) {
                        Some(NoteStatus::Saved(msg) | NoteStatus::Failed(msg)) => msg,
                        Some(NoteStatus::Dirty) => "Niet bewaarde wijzigingen".to_owned(),
                        None => String::new(),
                    }}
                </span>
            </div>
        </div>
    }
}
