//! Who each voice of a recording is: the worker says it once per voice ("Dit ben ik"), and
//! every segment of that voice takes the name. Voices are never named by guess.

use domain::RecordId;
use domain::transcript::{Speaker, Transcript};
use leptos::prelude::*;

use crate::session::use_session;

/// The label a segment shows: the speaker the worker set for it, its voice's name, "Stem N",
/// or "Stem N? (onzeker)" when two voices were heard in it.
pub fn segment_label(transcript: &Transcript, segment: u32) -> Option<String> {
    if let Some(speaker) = transcript.corrected_speaker(segment) {
        return Some(role(speaker).to_owned());
    }
    let voice = transcript.voice_of(segment)?;
    let number = voice.voice + 1;
    Some(match (voice.certain, transcript.voice_name(voice.voice)) {
        (true, Some(speaker)) => role(speaker).to_owned(),
        (true, None) => format!("Stem {number}"),
        (false, _) => format!("Stem {number}? (onzeker)"),
    })
}

/// A segment's speaker label; clicking it lets the worker say who said this segment.
#[component]
pub fn SegmentSpeaker(
    transcript: Transcript,
    segment: u32,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let id = transcript.id;
    let label = segment_label(&transcript, segment)?;
    let current = choice(transcript.corrected_speaker(segment));
    let open = RwSignal::new(false);
    let set = move |speaker: Option<Speaker>| {
        session.save_transcript_edit(
            id,
            error,
            Box::new(move |ws, permit| {
                ws.stage_segment_speaker(permit, id, segment, speaker, crate::clock::now())
            }),
        );
    };
    Some(view! {
        <Show
            when=move || open.get()
            fallback=move || {
                let label = label.clone();
                view! {
                    <button type="button" class="link seg-voice" title="Wie zei dit?" on:click=move |_| open.set(true)>
                        {label}
                    </button>
                }
            }
        >
            <select
                class="seg-speaker"
                aria-label="Wie zei dit?"
                on:change=move |ev| set(parse(&event_target_value(&ev)))
            >
                <option value="" selected=current.is_empty()>"volgens de stem"</option>
                <option value="worker" selected=current == "worker">"werker"</option>
                <option value="client" selected=current == "client">"cliënt"</option>
                <option value="other" selected=current == "other">"andere spreker"</option>
            </select>
        </Show>
    })
}

fn role(speaker: Speaker) -> &'static str {
    match speaker {
        Speaker::Worker => "Werker",
        Speaker::Client => "Cliënt",
        _ => "Andere spreker",
    }
}

fn choice(speaker: Option<Speaker>) -> &'static str {
    match speaker {
        Some(Speaker::Worker) => "worker",
        Some(Speaker::Client) => "client",
        Some(_) => "other",
        None => "",
    }
}

fn parse(value: &str) -> Option<Speaker> {
    match value {
        "worker" => Some(Speaker::Worker),
        "client" => Some(Speaker::Client),
        "other" => Some(Speaker::Other),
        _ => None,
    }
}

/// One line per voice with who it is; changing it names the voice.
#[component]
pub fn VoiceNames(transcript: Transcript, error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let id: RecordId = transcript.id;
    let voices = transcript.voice_ids();
    if voices.is_empty() {
        return None;
    }
    let name = move |voice: u8, speaker: Option<Speaker>| {
        session.save_transcript_edit(
            id,
            error,
            Box::new(move |ws, permit| ws.stage_voice_name(permit, id, voice, speaker)),
        );
    };
    let rows = voices
        .into_iter()
        .map(|voice| {
            let current = choice(transcript.voice_name(voice));
            let select_id = format!("voice-{id}-{voice}");
            view! {
                <li class="voice">
                    <label for=select_id.clone()>{format!("Stem {}", voice + 1)}</label>
                    <select
                        id=select_id
                        class="voice-name"
                        data-voice=voice.to_string()
                        on:change=move |ev| name(voice, parse(&event_target_value(&ev)))
                    >
                        <option value="" selected=current.is_empty()>"nog niet gekozen"</option>
                        <option value="worker" selected=current == "worker">"dit ben ik (werker)"</option>
                        <option value="client" selected=current == "client">"cliënt"</option>
                        <option value="other" selected=current == "other">"andere spreker"</option>
                    </select>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <div class="voices">
            <p class="muted">
                "De stemmen werden op dit toestel uit elkaar gehouden. Zeg wie welke stem is: pas dan "
                "worden uitspraken aan de werker of de cliënt toegeschreven. Onzekere fragmenten "
                "blijven zonder spreker."
            </p>
            <ul class="voice-list">{rows}</ul>
        </div>
    })
}
