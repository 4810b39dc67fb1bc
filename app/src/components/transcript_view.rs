//! A contact's recorded transcripts: segments with their times, click to hear that stretch,
//! and corrections that keep the model's text.

use domain::RecordId;
use domain::transcript::{Segment, Transcript, TranscriptOrigin};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::components::relisten_list::marked_text;
use crate::components::voice_names::{SegmentSpeaker, VoiceNames};
use crate::playback::play;
use crate::session::use_session;

/// The recorded transcripts of `contact`, newest first.
#[component]
pub fn TranscriptView(contact: RecordId) -> impl IntoView {
    let session = use_session();
    let recorded = move || {
        session
            .with(|ws| {
                ws.transcripts_of(contact)
                    .into_iter()
                    .filter(|t| matches!(t.origin, TranscriptOrigin::Recorded { .. }))
                    .cloned()
                    .collect::<Vec<Transcript>>()
            })
            .unwrap_or_default()
    };
    let error = RwSignal::new(None::<String>);
    view! {
        <Show when=move || !recorded().is_empty()>
            <div class="card transcripts">
                <h2>"Transcripten"</h2>
                <p class="muted">"Klik op een tijd om dat stuk te beluisteren. Verbeteringen bewaren de oorspronkelijke tekst."</p>
                <ErrorLine error />
                {move || recorded().into_iter().map(|t| view! { <TranscriptCard transcript=t error /> }).collect_view()}
            </div>
        </Show>
    }
}

#[component]
fn TranscriptCard(transcript: Transcript, error: RwSignal<Option<String>>) -> impl IntoView {
    let model = match &transcript.origin {
        TranscriptOrigin::Recorded { model } => model.clone(),
        TranscriptOrigin::Typed => String::new(),
    };
    let duration = transcript
        .audio
        .as_ref()
        .map(|a| clock::position(a.duration_ms))
        .unwrap_or_default();
    let id = transcript.id;
    let has_unsure = transcript
        .segments
        .iter()
        .any(|s| !transcript.unsure_in(s.id).is_empty());
    let heading = format!(
        "Opname van {} ({duration}, {model})",
        clock::moment(transcript.created_at)
    );
    let segments = transcript
        .segments
        .iter()
        .map(|s| segment_row(&transcript, s, error))
        .collect_view();
    view! {
        <section class="transcript" data-transcript=id.to_string()>
            <h3>{heading}</h3>
            <VoiceNames transcript=transcript.clone() error />
            {has_unsure.then(|| view! {
                <p class="muted unsure-help">
                    "Gemarkeerde woorden werden onzeker gehoord: klik op de tijd ervoor om dat stuk te beluisteren, en verbeter waar nodig of kies \"Klopt zo\"."
                </p>
            })}
            <ol class="segments">{segments}</ol>
        </section>
    }
}

/// One segment of a recording as a list item: its time (click to hear it), who said it, its
/// text with the unsure words marked, "Verbeteren" and — while words are marked — "Klopt zo"
/// (listened to again and heard right). Used by the transcript and by a report's
/// "Herbeluisteren" list.
pub fn segment_row(
    transcript: &Transcript,
    s: &Segment,
    error: RwSignal<Option<String>>,
) -> impl IntoView + use<> {
    let session = use_session();
    let id = transcript.id;
    let (start, end) = (s.start_ms.unwrap_or(0), s.end_ms.unwrap_or(0));
    let original = transcript.original(s.id).map(str::to_owned);
    let speaker = view! { <SegmentSpeaker transcript=transcript.clone() segment=s.id error /> };
    let segment = s.id;
    let text = s.text.clone();
    let unsure = transcript.unsure_in(s.id).to_vec();
    let heard = (!unsure.is_empty()).then(|| {
        let on_heard = move |_| {
            session.save_transcript_edit(id, error, Box::new(move |ws, permit| {
                ws.stage_heard_confirmation(permit, id, segment, clock::now())
            }));
        };
        view! {
            <button type="button" class="link seg-heard" title="Beluisterd: de tekst klopt" on:click=on_heard>
                "Klopt zo"
            </button>
        }
    });
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(text.clone());
    let on_play = move |_| {
        spawn_local(async move {
            if let Err(err) = play(session, id, start, end).await {
                error.set(Some(format!("Afspelen lukte niet: {err}.")));
            }
        });
    };
    let on_save = move |_| {
        let text = draft.get_untracked();
        session.save_transcript_edit(
            id,
            error,
            Box::new(move |ws, permit| {
                ws.stage_segment_correction(permit, id, segment, &text, clock::now())
            }),
        );
    };
    view! {
        <li class="segment" data-segment=segment.to_string() data-transcript=id.to_string()>
            <button type="button" class="seg-time link" title="Beluisteren" on:click=on_play>
                {format!("▶ {}–{}", clock::position(start), clock::position(end))}
            </button>
            {speaker}
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <span class="seg-text">{marked_text(&text, &unsure)}</span>
                        <button type="button" class="link seg-edit" on:click=move |_| editing.set(true)>"Verbeteren"</button>
                    }
                }
            >
                <input type="text" class="seg-input" aria-label="Verbeterde tekst" bind:value=draft />
                <button type="button" class="secondary seg-save" on:click=on_save>"Bewaren"</button>
                <button type="button" class="link" on:click=move |_| editing.set(false)>"Annuleren"</button>
            </Show>
            {heard}
            {original.map(|o| view! { <span class="muted seg-original">{format!(" (verbeterd; oorspronkelijk: “{o}”)")}</span> })}
        </li>
    }
}
