//! A contact's recorded transcripts: segments with their times, click to hear that stretch,
//! and corrections that keep the model's text.

use std::cell::RefCell;
use std::collections::HashMap;

use domain::RecordId;
use domain::record::Store;
use domain::transcript::{Transcript, TranscriptOrigin, split_unsure};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::components::voice_names::{SegmentSpeaker, VoiceNames};
use crate::session::{Session, use_session};
use crate::storage;

thread_local! {
    /// Object URLs of decrypted recordings, by transcript (kept while the page lives).
    static AUDIO_URLS: RefCell<HashMap<RecordId, String>> = RefCell::new(HashMap::new());
    static PLAYER: RefCell<Option<web_sys::HtmlAudioElement>> = const { RefCell::new(None) };
}

/// Decrypts the recording of `transcript` (once) and returns a `blob:` URL for it.
async fn audio_url(session: Session, transcript: RecordId) -> Result<String, String> {
    if let Some(url) = AUDIO_URLS.with_borrow(|m| m.get(&transcript).cloned()) {
        return Ok(url);
    }
    let sealed = storage::read(Store::Audio, &transcript.to_string())
        .await
        .map_err(|e| e.to_string())?
        .ok_or("de opname staat niet op dit toestel")?;
    let wav = session
        .with_untracked(|ws| ws.open_audio(transcript, &sealed))
        .ok_or("de werkruimte is vergrendeld")?
        .map_err(|e| format!("de opname kan niet geopend worden ({e})"))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(wav.as_slice()));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("audio/wav");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    AUDIO_URLS.with_borrow_mut(|m| m.insert(transcript, url.clone()));
    Ok(url)
}

/// Plays `start_ms..end_ms` of the recording.
async fn play(
    session: Session,
    transcript: RecordId,
    start_ms: u64,
    end_ms: u64,
) -> Result<(), String> {
    let url = audio_url(session, transcript).await?;
    let player = match PLAYER.with_borrow(Clone::clone) {
        Some(p) => p,
        None => {
            let p = web_sys::HtmlAudioElement::new().map_err(|e| format!("{e:?}"))?;
            p.set_id("segment-player");
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                let _ = body.append_child(&p);
            }
            PLAYER.set(Some(p.clone()));
            p
        }
    };
    if player.src() != url {
        player.set_src(&url);
    }
    player.set_current_time(start_ms as f64 / 1000.0);
    let _ = player.play().map_err(|e| format!("{e:?}"))?;
    let length = end_ms.saturating_sub(start_ms);
    let stop_at = end_ms as f64 / 1000.0;
    set_timeout(
        move || {
            if let Some(p) = PLAYER.with_borrow(Clone::clone)
                && p.current_time() >= stop_at - 0.25
            {
                let _ = p.pause();
            }
        },
        std::time::Duration::from_millis(length + 150),
    );
    Ok(())
}

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
    let session = use_session();
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
        .map(|s| {
            let (start, end) = (s.start_ms.unwrap_or(0), s.end_ms.unwrap_or(0));
            let original = transcript.original(s.id).map(str::to_owned);
            let speaker = view! { <SegmentSpeaker transcript=transcript.clone() segment=s.id error /> };
            let segment = s.id;
            let text = s.text.clone();
            let unsure = transcript.unsure_in(s.id).to_vec();
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
                session.save_transcript_edit(id, error, move |ws, permit| {
                    ws.stage_segment_correction(permit, id, segment, &text, clock::now())
                });
            };
            view! {
                <li class="segment" data-segment=segment.to_string()>
                    <button type="button" class="seg-time link" title="Beluisteren" on:click=on_play>
                        {format!("▶ {}–{}", clock::position(start), clock::position(end))}
                    </button>
                    {speaker}
                    <Show
                        when=move || editing.get()
                        fallback=move || {
                            let pieces = split_unsure(&text, &unsure)
                                .into_iter()
                                .map(|(piece, unsure)| if unsure {
                                    view! { <mark class="unsure" title="Onzeker gehoord: beluister dit stuk">{piece}</mark> }.into_any()
                                } else {
                                    piece.into_any()
                                })
                                .collect_view();
                            view! {
                                <span class="seg-text">{pieces}</span>
                                <button type="button" class="link seg-edit" on:click=move |_| editing.set(true)>"Verbeteren"</button>
                            }
                        }
                    >
                        <input type="text" class="seg-input" bind:value=draft />
                        <button type="button" class="secondary seg-save" on:click=on_save>"Bewaren"</button>
                        <button type="button" class="link" on:click=move |_| editing.set(false)>"Annuleren"</button>
                    </Show>
                    {original.map(|o| view! { <span class="muted seg-original">{format!(" (verbeterd; oorspronkelijk: “{o}”)")}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="transcript" data-transcript=id.to_string()>
            <h3>{heading}</h3>
            <VoiceNames transcript=transcript.clone() error />
            {has_unsure.then(|| view! {
                <p class="muted unsure-help">
                    "Gemarkeerde woorden werden onzeker gehoord: klik op de tijd ervoor om dat stuk te beluisteren, en verbeter waar nodig."
                </p>
            })}
            <ol class="segments">{segments}</ol>
        </section>
    }
}
