//! A report: review, validation, disclosure and export.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::clock;
use crate::components::add_sentence::AddSentence;
use crate::components::disclosure_block::DisclosureBlock;
use crate::components::error_line::ErrorLine;
use crate::components::export_bar::ExportBar;
use crate::components::relisten_list::{LeftOutList, RelistenList};
use crate::components::sentence_item::SentenceItem;
use crate::components::share_panel::{SharePanel, ShareState};
use crate::pages::dossier_page::route_id;
use crate::report_actions;
use crate::session::use_session;

/// The report screen. Sentences are grouped by section; each proposal shows where it came from.
#[component]
pub fn ReportPage() -> impl IntoView {
    let session = use_session();
    let id = route_id();
    let validator = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let share = ShareState::default();
    // Outside the view: every save (an export is logged) re-renders the page.
    let export_status = RwSignal::new(None::<String>);
    move || {
        let Some(id) = id.get() else {
            return view! { <p>"Dit verslag bestaat niet."</p> }.into_any();
        };
        let Some((report, client, contact_at, sender)) = session
            .with(|ws| {
                let r = ws.report(id)?.clone();
                let client = ws
                    .dossier(r.dossier)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                let at = ws.contact(r.contact).map(|c| c.started_at)?;
                Some((r, client, at, ws.preferences().sender_line()))
            })
            .flatten()
        else {
            return view! { <p>"Dit verslag bestaat niet (meer)."</p> }.into_any();
        };
        let editable = report.validated.is_none();
        let document = report_actions::document(&report, &client, contact_at);
        let for_client = report_actions::for_client(&report, &client, contact_at, sender);
        let stem = format!(
            "{}-{}-v{}",
            report.template.id,
            clock::iso_day(contact_at),
            report.version
        );
        let own_contact = report.contact;
        let drafted = report.ai.drafting.is_some();
        let describe = Callback::new(move |src: domain::report::Source| {
            session
                .with_untracked(|ws| {
                    let t = ws.transcript(src.transcript)?;
                    let label = if t.contact == own_contact {
                        format!("bron {}", src.segment)
                    } else {
                        let when = ws
                            .contact(t.contact)
                            .map(|c| clock::iso_day(c.started_at))
                            .unwrap_or_default();
                        format!("bron {}, contact {when}", src.segment)
                    };
                    let text = t
                        .segment(src.segment)
                        .map(|seg| format!("{}: “{}”", seg.speaker.attribution(), seg.text))?;
                    Some((label, text))
                })
                .flatten()
                .unwrap_or_else(|| {
                    (
                        format!("bron {}", src.segment),
                        "deze bron is niet (meer) beschikbaar.".into(),
                    )
                })
        });
        let sections = report
            .sections
            .iter()
            .map(|s| {
                let items = report
                    .sentences
                    .iter()
                    .filter(|x| x.section == s.id)
                    .cloned()
                    .map(|sentence| view! { <SentenceItem report=id sentence editable describe /> })
                    .collect_view();
                let empty = !report.sentences.iter().any(|x| x.section == s.id);
                let note = if s.worker_only {
                    Some("Alleen de maatschappelijk werker schrijft hier; Zorgvuldig stelt niets voor.")
                } else if empty && drafted {
                    Some("Niets gevonden in het gesprek voor dit onderdeel. Vul zelf aan als dat nodig is.")
                } else {
                    None
                };
                let section_id = s.id.clone();
                view! {
                    <section class="report-section" data-section=s.id.clone()>
                        <h2>{s.title.clone()}</h2>
                        {note.map(|n| view! { <p class="muted section-note">{n}</p> })}
                        <ul class="sentences">{items}</ul>
                        {editable.then(|| view! { <AddSentence report=id section=section_id /> })}
                    </section>
                }
            })
            .collect_view();
        let (accepted, changed, written, pending) = report.counts();
        let validate = move |_| {
            let by = validator.get_untracked();
            spawn_local(async move {
                match report_actions::update(session, id, |r, now| r.validate(&by, now)).await {
                    Ok(_) => error.set(None),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        };
        let navigate = navigate.clone();
        let correct = move |_| {
            let navigate = navigate.clone();
            spawn_local(async move {
                match report_actions::correct(session, id).await {
                    Ok(new) => navigate(&format!("/verslagen/{new}"), Default::default()),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        };
        view! {
            <section class="report">
                <p><A href=format!("/contacten/{}", report.contact)>"← Terug naar het contact"</A></p>
                <h1 id="report-title">{format!("{} – {}", report.template.title, client)}</h1>
                <p class="muted" id="report-status">
                    {match &report.validated {
                        Some(v) => format!(
                            "Gevalideerd door {} op {} · versie {}",
                            v.by,
                            clock::moment(v.at),
                            report.version
                        ),
                        None => format!(
                            "Ontwerp · versie {} · {accepted} aanvaard, {changed} aangepast, {written} zelf geschreven, {pending} nog na te lezen",
                            report.version
                        ),
                    }}
                </p>
                <p class="muted" id="report-template">
                    {format!("Sjabloon: {} (versie {})", report.template.id, report.template.version)}
                </p>
                {sections}
                {editable.then(|| view! { <RelistenList report=id /> <LeftOutList report=id /> })}
                <div class="card validate-box">
                    {if editable {
                        view! {
                            <label for="validator">"Gevalideerd door"</label>
                            <input id="validator" type="text" autocomplete="name" bind:value=validator />
                            <button type="button" class="primary" id="validate" on:click=validate>
                                "Valideren"
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <p>"Dit verslag is gevalideerd en kan niet meer wijzigen."</p>
                            <button type="button" class="secondary" id="correct" on:click=correct>
                                "Correctie maken (nieuwe versie)"
                            </button>
                        }
                            .into_any()
                    }}
                    <ErrorLine error />
                </div>
                <DisclosureBlock lines=document.disclosure().to_vec() />
                {(!editable).then(|| view! {
                    <SharePanel shared=for_client.clone() report=id dossier=report.dossier state=share />
                })}
                <ExportBar document file_stem=stem report=id dossier=report.dossier status=export_status />
            </section>
        }
        .into_any()
    }
}
