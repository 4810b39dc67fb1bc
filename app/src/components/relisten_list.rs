//! "Herbeluisteren": before a report is validated, the stretches of a recording its sentences
//! cite while the recogniser was unsure of words in them. The worker plays each one, then
//! corrects the text or confirms it was heard right; validation waits until none is left.

use domain::RecordId;
use domain::report::Source;
use domain::transcript::split_unsure;
use domain::workspace::Workspace;
use leptos::prelude::*;

use crate::components::error_line::ErrorLine;
use crate::components::transcript_view::segment_row;
use crate::session::use_session;

/// `text` with its unsure words marked.
pub fn marked_text(text: &str, unsure: &[String]) -> impl IntoView + use<> {
    split_unsure(text, unsure)
        .into_iter()
        .map(|(piece, unsure)| {
            if unsure {
                view! { <mark class="unsure" title="Onzeker gehoord: beluister dit stuk">{piece}</mark> }
                    .into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

/// The "Herbeluisteren" card of draft report `report`: each waiting stretch as a transcript
/// segment (play, correct, "Klopt zo"); nothing when none waits.
#[component]
pub fn RelistenList(report: RecordId) -> impl IntoView {
    segment_card(
        Card::Relisten,
        Box::new(move |ws: &Workspace| {
            let report = ws.report(report)?;
            Some(ws.relisten(report).into_iter().map(|r| r.source).collect())
        }),
    )
}

/// The stretches of the report's recordings that drafting left out because they were heard
/// too badly (`casework::draft::badly_heard`), for draft report `report`: the worker corrects
/// or confirms them, then drafts again. Nothing when none was left out.
#[component]
pub fn LeftOutList(report: RecordId) -> impl IntoView {
    segment_card(
        Card::LeftOut,
        Box::new(move |ws: &Workspace| {
            Some(casework::draft::badly_heard(ws, ws.report(report)?.contact))
        }),
    )
}

/// The stretches a card shows, read from the workspace (boxed: one copy of the card).
type Sources = Box<dyn Fn(&Workspace) -> Option<Vec<Source>> + Send + Sync>;

/// Which card of recorded stretches.
#[derive(Clone, Copy)]
enum Card {
    Relisten,
    LeftOut,
}

/// A card of recorded stretches (`sources` of the workspace), each a transcript segment row;
/// nothing when there are none.
fn segment_card(card: Card, sources: Sources) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let (id, labelled_by, title, text) = match card {
        Card::Relisten => (
            "relisten",
            "relisten-title",
            "Herbeluisteren",
            "Dit verslag gebruikt stukken van de opname die onzeker gehoord werden (gemarkeerd). \
             Beluister elk stuk (▶) en verbeter de tekst, of kies \"Klopt zo\". Daarna kunt u valideren; \
             pas de zinnen van het verslag aan waar een verbetering dat vraagt.",
        ),
        Card::LeftOut => (
            "left-out",
            "left-out-title",
            "Onzeker gehoord, niet gebruikt",
            "Deze stukken van de opname werden zo onzeker gehoord dat het verslag er niets uit haalde. \
             Beluister ze (▶), verbeter de tekst of kies \"Klopt zo\", en genereer het verslag opnieuw \
             als ze iets toevoegen.",
        ),
    };
    move || {
        let rows = session
            .with(|ws| {
                let rows: Vec<_> = sources(ws)?
                    .iter()
                    .filter_map(|source| {
                        let t = ws.transcript(source.transcript)?;
                        Some(segment_row(t, t.segment(source.segment)?, error))
                    })
                    .collect();
                (!rows.is_empty()).then_some(rows)
            })
            .flatten()?;
        Some(view! {
            <section class="card relisten" id=id aria-labelledby=labelled_by>
                <h2 id=labelled_by>{title}</h2>
                <p>{text}</p>
                <ErrorLine error />
                <ol class="segments">{rows}</ol>
            </section>
        })
    }
}
