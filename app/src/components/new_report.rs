//! Starting a report from a contact: drafted with AI after a "ja", by hand otherwise.

use domain::RecordId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::catalog;
use crate::components::error_line::ErrorLine;
use crate::report_actions;
use crate::session::use_session;

/// Template choice and the button that makes the report. Without a "ja" (or after it was
/// revoked) there is no AI action at all: the same template is offered to write by hand.
#[component]
pub fn NewReport(contact: RecordId) -> impl IntoView {
    let session = use_session();
    let ai_allowed = move || {
        session
            .with(|ws| ws.contact(contact).is_some_and(|c| c.ai_allowed()))
            .unwrap_or(false)
    };
    let choice = RwSignal::new(
        catalog::latest()
            .into_iter()
            .find(|t| t.id == "sociaal-verslag")
            .map(|t| t.key())
            .unwrap_or_default(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let start = Callback::new(move |ai: bool| {
        let Some(template) = catalog::template(&choice.get_untracked()) else {
            error.set(Some("Kies een sjabloon.".into()));
            return;
        };
        let nothing_to_draft_from = session
            .with_untracked(|ws| {
                ws.contact(contact).is_none_or(|c| c.note.trim().is_empty())
                    && ws.transcripts_of(contact).is_empty()
            })
            .unwrap_or(true);
        if ai && nothing_to_draft_from {
            error.set(Some(
                "Neem het gesprek op of schrijf en bewaar eerst notities.".into(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let made = if ai {
                report_actions::generate(session, contact, template).await
            } else {
                report_actions::write_by_hand(session, contact, template).await
            };
            match made {
                Ok(id) => navigate(&format!("/verslagen/{id}"), Default::default()),
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    });
    view! {
        <div class="card">
            <label for="report-template">"Verslag maken met sjabloon"</label>
            <select id="report-template" bind:value=choice>
                {catalog::latest()
                    .into_iter()
                    .map(|t| {
                        let key = t.key();
                        view! { <option value=key>{format!("{} (versie {})", t.title, t.version)}</option> }
                    })
                    .collect_view()}
            </select>
            <div class="row">
                <Show when=ai_allowed>
                    <button
                        type="button"
                        class="primary"
                        id="generate-report"
                        disabled=move || busy.get()
                        on:click=move |_| start.run(true)
                    >
                        "Verslag genereren"
                    </button>
                </Show>
                <button
                    type="button"
                    class="secondary"
                    id="write-report"
                    disabled=move || busy.get()
                    on:click=move |_| start.run(false)
                >
                    "Verslag zelf opstellen"
                </button>
            </div>
            <ErrorLine error />
        </div>
    }
}
