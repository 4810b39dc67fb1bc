//! The bar at the top of every unlocked screen.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::session::use_session;

/// Brand, navigation and the lock button.
#[component]
pub fn TopBar() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="top-bar">
            <A href="/" attr:class="brand">"Zorgvuldig"</A>
            <nav>
                <A href="/">"Dossiers"</A>
                <A href="/instellingen">"Instellingen"</A>
            </nav>
            <button type="button" id="lock" class="secondary" on:click=move |_| session.lock()>
                "Vergrendelen"
            </button>
        </header>
    }
}
