//! The dossier form, for a new dossier and for editing one.

use domain::dossier::DossierDraft;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::error_line::ErrorLine;

/// Fields of a dossier. Calls `on_submit` with the typed draft; the parent saves it and reports
/// through `error` and `busy`. The typed text stays in the fields whatever happens.
#[component]
pub fn DossierForm(
    initial: DossierDraft,
    submit_label: &'static str,
    on_submit: Callback<DossierDraft>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let name = RwSignal::new(initial.name);
    let reference = RwSignal::new(initial.reference);
    let birth_date = RwSignal::new(initial.birth_date);
    let notes = RwSignal::new(initial.notes);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit.run(DossierDraft {
            name: name.get_untracked(),
            reference: reference.get_untracked(),
            birth_date: birth_date.get_untracked(),
            notes: notes.get_untracked(),
        });
    };
    view! {
        <form class="card dossier-form" on:submit=submit>
            <label for="dossier-name">"Naam van de cliënt"</label>
            <input id="dossier-name" type="text" autocomplete="off" bind:value=name />
            <label for="dossier-reference">"Dossiernummer (optioneel)"</label>
            <input id="dossier-reference" type="text" autocomplete="off" bind:value=reference />
            <label for="dossier-birth-date">"Geboortedatum (optioneel)"</label>
            <input id="dossier-birth-date" type="date" bind:value=birth_date />
            <label for="dossier-notes">"Notities"</label>
            <textarea id="dossier-notes" rows="3" bind:value=notes></textarea>
            <ErrorLine error />
            <button type="submit" class="primary" id="dossier-save" disabled=move || busy.get()>
                {submit_label}
            </button>
        </form>
    }
}
