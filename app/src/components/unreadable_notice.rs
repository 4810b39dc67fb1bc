//! Notice about stored items that could not be read.

use leptos::prelude::*;

use crate::session::use_session;

/// Tells the worker how many stored items could not be read; they are kept untouched.
#[component]
pub fn UnreadableNotice() -> impl IntoView {
    let session = use_session();
    move || {
        let bad = session.unreadable();
        (!bad.is_empty()).then(|| {
            let details: Vec<String> = bad
                .iter()
                .map(|u| format!("{} ({}): {}", u.key, u.store.name(), u.error))
                .collect();
            view! {
                <aside class="warning" role="status" id="unreadable">
                    <p>
                        {format!(
                            "{} opgeslagen item(s) op dit toestel kunnen niet gelezen worden. \
                             Ze blijven onaangeroerd bewaard; de rest van uw werk is beschikbaar.",
                            bad.len(),
                        )}
                    </p>
                    <details>
                        <summary>"Technische details"</summary>
                        <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                    </details>
                </aside>
            }
        })
    }
}
