//! One contact: its consent status and its report.

use std::time::Duration;

use domain::RecordId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::clock;
use crate::components::consent_panel::ConsentPanel;
use crate::components::new_report::NewReport;
use crate::components::record_panel::RecordPanel;
use crate::components::transcript_view::TranscriptView;
use crate::pages::dossier_page::route_id;
use crate::session::{Session, use_session};

/// Delay after the last keystroke before the note is saved by itself.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(1200);

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
                <NoteEditor contact=id initial=contact.note.clone() session />
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

/// The note being edited and its save state. Copy, so closures can share it.
#[derive(Clone, Copy)]
struct NoteState {
    contact: RecordId,
    session: Session,
    text: RwSignal<String>,
    saved_text: RwSignal<String>,
    saving: RwSignal<bool>,
    status: RwSignal<Option<String>>,
    generation: StoredValue<u64>,
}

impl NoteState {
    fn dirty(self) -> bool {
        self.text.get() != self.saved_text.get()
    }

    /// Saves the current text unless it is already saved or a save is running. Typing that
    /// happens during a save is saved right after it.
    fn save(self, label: &'static str) {
        let current = self.text.get_untracked();
        if current == self.saved_text.get_untracked() || self.saving.get_untracked() {
            return;
        }
        self.saving.set(true);
        spawn_local(async move {
            let result = self
                .session
                .save(|ws| ws.stage_contact_note(self.contact, current.clone(), clock::now()))
                .await;
            match result {
                Ok(_) => {
                    self.saved_text.set(current);
                    self.status.set(Some(format!(
                        "{label} om {}",
                        clock::time_of_day(clock::now())
                    )));
                }
                Err(err) => self.status.set(Some(err.to_string())),
            }
            self.saving.set(false);
            if self.text.get_untracked() != self.saved_text.get_untracked() {
                self.schedule();
            }
        });
    }

    /// Saves after [`AUTOSAVE_DELAY`] without typing: each keystroke starts a new generation
    /// and only the newest timer saves.
    fn schedule(self) {
        self.generation.update_value(|g| *g += 1);
        let mine = self.generation.get_value();
        set_timeout(
            move || {
                if self.generation.get_value() == mine {
                    self.save("Automatisch bewaard");
                }
            },
            AUTOSAVE_DELAY,
        );
    }
}

#[component]
fn NoteEditor(contact: RecordId, initial: String, session: Session) -> impl IntoView {
    let note = NoteState {
        contact,
        session,
        text: RwSignal::new(initial.clone()),
        saved_text: RwSignal::new(initial),
        saving: RwSignal::new(false),
        status: RwSignal::new(None),
        generation: StoredValue::new(0),
    };
    let on_input = move |ev| {
        note.text.set(event_target_value(&ev));
        note.status.set(None);
        note.schedule();
    };
    view! {
        <div class="card">
            <label for="note">"Verslag van het contact"</label>
            <textarea id="note" rows="14" prop:value=move || note.text.get() on:input=on_input></textarea>
            <div class="row">
                <button type="button" class="primary" id="save-note" on:click=move |_| note.save("Bewaard")>
                    "Bewaren"
                </button>
                <span class="muted" id="save-status" role="status">
                    {move || match note.status.get() {
                        Some(msg) => msg,
                        None if note.dirty() => "Niet bewaarde wijzigingen".to_owned(),
                        None => String::new(),
                    }}
                </span>
            </div>
        </div>
    }
}
