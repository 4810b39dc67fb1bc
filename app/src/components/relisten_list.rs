//! "Herbeluisteren": before a report is validated, the stretches of a recording its sentences
//! cite while the recogniser was unsure of words in them. The worker plays each one, then
//! corrects the text or confirms it was heard right; validation waits until none is left.

use domain::RecordId;
use domain::transcript::split_unsure;
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
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    move || {
        let rows = session
            .with(|ws| {
                let report = ws.report(report)?;
                let rows: Vec<_> = ws
                    .relisten(report)
                    .iter()
                    .filter_map(|item| {
                        let t = ws.transcript(item.source.transcript)?;
                        Some(segment_row(t, t.segment(item.source.segment)?, error))
                    })
                    .collect();
                (!rows.is_empty()).then_some(rows)
            })
            .flatten()?;
        Some(view! {
            <section class="card relisten" id="relisten" aria-labelledby="relisten-title">
                <h2 id="relisten-title">"Herbeluisteren"</h2>
                <p>
                    "Dit verslag gebruikt stukken van de opname die onzeker gehoord werden (gemarkeerd). \
                     Beluister elk stuk (▶) en verbeter de tekst, of kies \"Klopt zo\". Daarna kunt u valideren; \
                     pas de zinnen van het verslag aan waar een verbetering dat vraagt."
                </p>
                <ErrorLine error />
                <ol class="segments">{rows}</ol>
            </section>
        })
    }
}
