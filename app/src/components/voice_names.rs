//! Who each voice of a recording is: the worker says it once per voice ("Dit ben ik"), and
//! every segment of that voice takes the name. Voices are never named by guess.

use domain::RecordId;
use domain::transcript::{Speaker, Transcript};
use domain::workspace::WorkspaceError;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::session::use_session;

/// The label a segment shows: its voice's name, "Stem N", or "Stem N?" when uncertain.
pub fn segment_label(transcript: &Transcript, segment: u32) -> Option<String> {
    let voice = transcript.voice_of(segment)?;
    let number = voice.voice + 1;
    Some(match (voice.certain, transcript.voice_name(voice.voice)) {
        (true, Some(speaker)) => role(speaker).to_owned(),
        (true, None) => format!("Stem {number}"),
        (false, _) => format!("Stem {number}? (onzeker)"),
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
        spawn_local(async move {
            let result = session
                .save(|ws| {
                    let t = ws
                        .transcript(id)
                        .ok_or(WorkspaceError::TranscriptNotFound)?;
                    let permit = ws
                        .contact(t.contact)
                        .ok_or(WorkspaceError::ContactNotFound)?
                        .processing_permit()?;
                    ws.stage_voice_name(&permit, id, voice, speaker)
                })
                .await;
            match result {
                Ok(_) => error.set(None),
                Err(err) => error.set(Some(err.to_string())),
            }
        });
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
