//! An error line under a form.

use leptos::prelude::*;

/// Shows `error` as an alert, and nothing when there is none.
#[component]
pub fn ErrorLine(error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|message| view! { <p class="error" role="alert">{message}</p> })
    }
}
