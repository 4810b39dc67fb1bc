//! Adding a sentence the worker writes.

use domain::RecordId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_line::ErrorLine;
use crate::report_actions;
use crate::session::use_session;

/// A text field and button that add a "zelf geschreven" sentence to a section.
#[component]
pub fn AddSentence(report: RecordId, section: String) -> impl IntoView {
    let session = use_session();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let section = StoredValue::new(section);
    let add = move |_| {
        let typed = text.get_untracked();
        spawn_local(async move {
            let result = report_actions::update(session, report, |r, now| {
                section.with_value(|s| r.write(s, &typed, now)).map(|_| ())
            })
            .await;
            match result {
                Ok(_) => {
                    text.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <div class="add-sentence">
            <label class="visually-hidden" for=move || format!("add-{}", section.get_value())>
                "Zin toevoegen"
            </label>
            <textarea
                id=move || format!("add-{}", section.get_value())
                rows="2"
                placeholder="Zelf een zin toevoegen…"
                bind:value=text
            ></textarea>
            <button type="button" class="secondary add-button" on:click=add>"Zin toevoegen"</button>
            <ErrorLine error />
        </div>
    }
}
