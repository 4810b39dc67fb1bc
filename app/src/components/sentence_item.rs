//! One sentence of a report: its text, review mark, source chips and actions.

use domain::RecordId;
use domain::audit::{AuditKind, Problem};
use domain::report::{Sentence, Source};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_line::ErrorLine;
use crate::report_actions;
use crate::session::use_session;

/// A sentence with "bron" chips (clicking one shows that segment right under the sentence), its
/// mark, and — while the report is a draft — accept, change and remove. `describe` gives a
/// source's chip label and its attributed text.
#[component]
pub fn SentenceItem(
    report: RecordId,
    sentence: Sentence,
    editable: bool,
    describe: Callback<Source, (String, String)>,
) -> impl IntoView {
    let session = use_session();
    let id = sentence.id;
    let editing = RwSignal::new(false);
    let draft_text = RwSignal::new(sentence.text.clone());
    let error = RwSignal::new(None::<String>);
    let shown = RwSignal::new(None::<Source>);
    let run = move |op: &'static str| {
        let typed = draft_text.get_untracked();
        spawn_local(async move {
            let result = report_actions::update(session, report, |r, now| match op {
                "accept" => r.accept(id, now),
                "remove" => r.remove(id, now),
                _ => r.edit(id, &typed, now),
            })
            .await;
            match result {
                Ok(_) => {
                    error.set(None);
                    editing.set(false);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let removed = sentence.source_removed && sentence.mark.is_none();
    let (mark_class, mark_label) = match sentence.mark {
        Some(m) => ("mark reviewed", m.label()),
        None if removed => ("mark pending source-removed", "Bron verwijderd"),
        None => ("mark pending", "AI-voorstel, nog na te lezen"),
    };
    // The text of a destroyed source went with it: say why the sentence is empty.
    let removed_notice = removed.then(|| {
        view! {
            <p class="notice source-removed" role="note">
                "De cliënt trok de toestemming in: de opname en het transcript waar deze zin uit kwam, zijn vernietigd, en de voorgestelde tekst ook. Schrijf de zin zelf (Wijzigen) of verwijder hem."
            </p>
        }
    });
    // Two readings the draft did not choose between: the worker checks before accepting.
    let check_notice = sentence
        .check
        .clone()
        .filter(|_| sentence.mark.is_none())
        .map(|text| {
            view! { <p class="notice sentence-check" role="note">{text}</p> }
        });
    let chips = sentence
        .sources
        .iter()
        .map(|&s| {
            let (label, _) = describe.run(s);
            view! {
                <button
                    type="button"
                    class="source-chip"
                    data-source=format!("{}/{}", s.transcript, s.segment)
                    aria-expanded=move || (shown.get() == Some(s)).to_string()
                    on:click=move |_| shown.update(|v| *v = if *v == Some(s) { None } else { Some(s) })
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    let text = sentence.text.clone();
    let pending = sentence.mark.is_none() && !removed;
    // "Meld een fout": drafted sentences only; counted as an incident in the pilot figures.
    // What was reported, from the audit log: the page re-renders after every save.
    let reported = move || {
        session
            .with(|ws| {
                let dossier = ws.report(report)?.dossier;
                let labels: Vec<&str> = ws
                    .audit_of(dossier)
                    .iter()
                    .rev()
                    .filter_map(|e| match e.kind {
                        AuditKind::ProblemReported {
                            report: r,
                            sentence,
                            problem,
                        } if r == report && sentence == id => Some(problem.label()),
                        _ => None,
                    })
                    .collect();
                (!labels.is_empty()).then(|| labels.join(", "))
            })
            .flatten()
    };
    let report_problem = move |problem: Problem| {
        spawn_local(async move {
            match session
                .save(|ws| ws.stage_problem_report(report, id, problem, crate::clock::now()))
                .await
            {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let problem_menu = sentence.proposal.is_some().then(|| {
        view! {
            <details class="report-problem">
                <summary>"Meld een fout"</summary>
                <span class="muted">"Wat klopt er niet aan dit voorstel?"</span>
                {Problem::ALL
                    .into_iter()
                    .map(|p| {
                        view! {
                            <button
                                type="button"
                                class="link"
                                data-problem=p.code()
                                on:click=move |_| report_problem(p)
                            >
                                {p.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </details>
            {move || {
                reported()
                    .map(|labels| {
                        view! { <span class="muted problem-reported" role="status">{format!("Gemeld: {labels}.")}</span> }
                    })
            }}
        }
    });
    // Earlier texts, newest first, and the original proposal when it was changed.
    let history = (!sentence.history.is_empty()).then(|| {
        let proposal = sentence
            .proposal
            .clone()
            .filter(|p| *p != sentence.text)
            .map(|p| view! { <li>{format!("Oorspronkelijk AI-voorstel: {p}")}</li> });
        let earlier = sentence
            .history
            .iter()
            .rev()
            .map(|r| {
                let line = format!("Tot {}: {}", crate::clock::moment(r.replaced_at), r.text);
                view! { <li>{line}</li> }
            })
            .collect_view();
        view! {
            <details class="history">
                <summary>{format!("Eerdere versies ({})", sentence.history.len())}</summary>
                <ul>{proposal}{earlier}</ul>
            </details>
        }
    });
    view! {
        <li class="sentence" data-sentence=id.to_string() data-pending=pending.to_string()>
            <Show
                when=move || editing.get()
                fallback=move || view! { <p class="sentence-text">{text.clone()}</p> }
            >
                <textarea class="sentence-edit" rows="3" bind:value=draft_text></textarea>
                <div class="row">
                    <button type="button" class="primary save-sentence" on:click=move |_| run("edit")>
                        "Bewaren"
                    </button>
                    <button type="button" class="secondary" on:click=move |_| editing.set(false)>
                        "Annuleren"
                    </button>
                </div>
            </Show>
            {removed_notice}
            {check_notice}
            <div class="sentence-meta">
                <span class=mark_class>{mark_label}</span>
                {chips}
                {editable
                    .then(|| {
                        view! {
                            {pending
                                .then(|| {
                                    view! {
                                        <button type="button" class="link accept" on:click=move |_| run("accept")>
                                            "Aanvaarden"
                                        </button>
                                    }
                                })}
                            <button type="button" class="link change" on:click=move |_| editing.set(true)>
                                "Wijzigen"
                            </button>
                            <button type="button" class="link remove" on:click=move |_| run("remove")>
                                "Verwijderen"
                            </button>
                        }
                    })}
            </div>
            {problem_menu}
            {history}
            {move || {
                shown
                    .get()
                    .map(|s| {
                        view! {
                            <div class="source-panel" role="region" aria-live="polite">
                                {move || {
                                    let (label, text) = describe.run(s);
                                    view! {
                                        <strong>{format!("{label}: ")}</strong>
                                        {text}
                                    }
                                }}
                            </div>
                        }
                    })
            }}
            <ErrorLine error />
        </li>
    }
}
