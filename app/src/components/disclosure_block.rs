//! The AI-use disclosure, shown with every report.

use leptos::prelude::*;

/// The disclosure lines under their heading.
#[component]
pub fn DisclosureBlock(lines: Vec<String>) -> impl IntoView {
    view! {
        <section class="disclosure" id="disclosure" aria-label=export::Document::DISCLOSURE_HEADING>
            <h2>{export::Document::DISCLOSURE_HEADING}</h2>
            {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        </section>
    }
}
