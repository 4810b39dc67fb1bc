//! What a client sees when opening a share link: their validated report and its AI-use
//! disclosure, read-only, without an account. The key comes from the link's fragment, which the
//! browser never sends to the relay.

use domain::share::{ShareDownload, SharedReport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::relay_api::{self, RelayError};

enum Shown {
    Loading,
    AskPin(Option<String>),
    Report(Box<SharedReport>, u64),
    Problem(String),
}

fn problem(err: &RelayError) -> Shown {
    match err {
        RelayError::Api { code, .. } if code == "pin_required" => Shown::AskPin(None),
        RelayError::Api { code, .. } if code == "pin_wrong" => {
            Shown::AskPin(Some(capitalised(&err.to_string())))
        }
        RelayError::Api { code, .. } => Shown::Problem(
            match code.as_str() {
                "share_revoked" => "Deze link werd ingetrokken. Neem contact op met uw maatschappelijk werker als u het verslag opnieuw wilt lezen.",
                "share_expired" => "Deze link is verlopen. Vraag uw maatschappelijk werker om een nieuwe link.",
                "share_locked" => "Deze link is geblokkeerd na te veel foute pincodes. Vraag uw maatschappelijk werker om een nieuwe link.",
                "not_found" => "Deze link bestaat niet. Controleer of u de volledige link gebruikt.",
                _ => "Het verslag kan nu niet geladen worden. Probeer het later opnieuw.",
            }
            .to_owned(),
        ),
        other => Shown::Problem(format!("Het verslag kan nu niet geladen worden: {other}.")),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".")
        .unwrap_or_default()
}

/// The client's page at `/s/{id}#{key}`.
#[component]
pub fn SharePage() -> impl IntoView {
    let location = web_sys::window().map(|w| w.location());
    let id = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .and_then(|p| p.strip_prefix("/s/").map(str::to_owned))
        .unwrap_or_default();
    let key = location
        .as_ref()
        .and_then(|l| l.hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default();
    let shown = RwSignal::new(Shown::Loading);
    let pin = RwSignal::new(String::new());
    let (id, key) = (StoredValue::new(id), StoredValue::new(key));
    let fetch = move |with_pin: Option<String>| {
        spawn_local(async move {
            let id = id.get_value();
            let key = key.get_value();
            if key.is_empty() {
                shown.set(Shown::Problem(
                    "De link is onvolledig: het laatste deel (na #) ontbreekt.".into(),
                ));
                return;
            }
            let headers: Vec<(&str, &str)> = with_pin
                .as_deref()
                .map(|p| vec![("X-Share-Pin", p)])
                .unwrap_or_default();
            let path = format!("/api/v1/shares/{id}");
            let result: Result<ShareDownload, RelayError> =
                relay_api::call("GET", &path, None, None::<&()>, &headers).await;
            shown.set(match result {
                Ok(download) => match SharedReport::open(&id, &key, &download.data) {
                    Ok(report) => Shown::Report(Box::new(report), download.expires_at),
                    Err(_) => Shown::Problem(
                        "Dit verslag kan niet geopend worden: de link is onvolledig of de inhoud werd gewijzigd."
                            .into(),
                    ),
                },
                Err(e) => problem(&e),
            });
        });
    };
    fetch(None);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        fetch(Some(pin.get_untracked().trim().to_owned()));
    };
    view! {
        <main class="page shared-report" lang="nl">
            {move || shown.with(|s| match s {
                Shown::Loading => view! { <p>"Het verslag wordt geladen…"</p> }.into_any(),
                Shown::AskPin(message) => view! {
                    <form class="card" id="share-pin-form" on:submit=submit>
                        <h1>"Pincode"</h1>
                        <p>"U sprak met uw maatschappelijk werker een pincode af. Vul die hier in."</p>
                        <label for="client-pin">"Pincode"</label>
                        <input id="client-pin" type="password" inputmode="numeric" autocomplete="off" bind:value=pin />
                        {message.clone().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                        <button type="submit" class="primary" id="client-pin-submit">"Verslag openen"</button>
                    </form>
                }
                    .into_any(),
                Shown::Problem(text) => view! {
                    <section class="card" id="share-problem">
                        <h1>"Verslag niet beschikbaar"</h1>
                        <p role="alert">{text.clone()}</p>
                    </section>
                }
                    .into_any(),
                Shown::Report(report, expires) => view! {
                    <article id="shared-report">
                        <h1>{report.title.clone()}</h1>
                        {report.subtitle.iter().map(|line| view! { <p class="muted">{line.clone()}</p> }).collect_view()}
                        {report.sections.iter().map(|s| view! {
                            <section>
                                <h2>{s.heading.clone()}</h2>
                                {if s.paragraphs.is_empty() {
                                    view! { <p class="muted">"—"</p> }.into_any()
                                } else {
                                    s.paragraphs.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view().into_any()
                                }}
                            </section>
                        }).collect_view()}
                        <section class="disclosure" id="shared-disclosure" aria-label=disclosure_heading(&report.title)>
                            <h2>{disclosure_heading(&report.title)}</h2>
                            {report.disclosure.iter().map(|l| view! { <p>{l.clone()}</p> }).collect_view()}
                            {(!is_receipt(&report.title)).then(|| view! {
                                <p id="disclosure-explained">
                                    "Wat betekent dit? AI is hier een computerprogramma op het toestel van uw "
                                    "maatschappelijk werker. Het kan het gesprek omzetten in tekst en zinnen "
                                    "voorstellen, alleen als u daarvoor toestemming gaf. Uw maatschappelijk werker "
                                    "las alles na en keurde het verslag zelf goed. Een computer beslist nooit over u."
                                </p>
                            })}
                        </section>
                        <p class="muted">
                            "Deze link is geldig tot "
                            {clock::moment(domain::Timestamp(*expires as i64 * 1000))}
                            ". Vragen over dit verslag? Neem contact op met uw maatschappelijk werker."
                        </p>
                    </article>
                }
                    .into_any(),
            })}
        </main>
    }
}

/// Whether the shared document is a revocation receipt, not a report.
fn is_receipt(title: &str) -> bool {
    title.starts_with("Bevestiging")
}

/// The disclosure's heading: a revocation receipt is no report.
fn disclosure_heading(title: &str) -> &'static str {
    if is_receipt(title) {
        "Opname en AI bij uw gesprek"
    } else {
        export::Document::DISCLOSURE_HEADING
    }
}
