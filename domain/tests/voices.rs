//! Voices in a recording: attributed per segment, named by the worker, never guessed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::transcript::{Transcript, TranscriptError, VoiceTurn};
use domain::{RecordId, Timestamp};
use extract::Speaker;

fn recording() -> Transcript {
    let id = RecordId::random().unwrap();
    Transcript::recorded(
        id,
        id,
        "whisper-base",
        [
            (0, 2_000, "Hoeveel bedraagt uw huur?".to_owned()),
            (2_500, 5_000, "Zevenhonderd euro per maand.".to_owned()),
            (
                5_500,
                9_000,
                "Dan bel ik morgen de huisbaas. Ja, graag.".to_owned(),
            ),
            (9_500, 12_000, "Ik breng vrijdag de loonbrieven.".to_owned()),
        ],
        None,
        Timestamp(1),
    )
}

fn turns() -> Vec<VoiceTurn> {
    let t = |start_ms, end_ms, voice| VoiceTurn {
        start_ms,
        end_ms,
        voice,
    };
    // Segment 3 is half one voice, half the other: uncertain.
    vec![
        t(0, 2_000, 0),
        t(2_500, 5_000, 1),
        t(5_500, 7_200, 0),
        t(7_200, 9_000, 1),
        t(9_500, 12_000, 1),
    ]
}

fn speakers(t: &Transcript) -> Vec<Speaker> {
    t.segments.iter().map(|s| s.speaker).collect()
}

#[test]
fn voices_are_unknown_until_the_worker_names_one() {
    let mut t = recording();
    t.attribute_voices(&turns());
    assert_eq!(t.voice_ids(), [0, 1]);
    assert!(speakers(&t).iter().all(|s| *s == Speaker::Unknown));
    assert!(!t.voice_of(3).unwrap().certain);
    assert!(t.voice_of(4).unwrap().certain);

    // "Dit ben ik" on voice 0: the other voice of two is the client; the mixed segment stays
    // unknown.
    t.name_voice(0, Some(Speaker::Worker)).unwrap();
    assert_eq!(
        speakers(&t),
        [
            Speaker::Worker,
            Speaker::Client,
            Speaker::Unknown,
            Speaker::Client
        ]
    );
    // Naming the other voice the worker's moves the worker, and the first voice keeps its name
    // only where the worker gave one.
    t.name_voice(1, Some(Speaker::Worker)).unwrap();
    assert_eq!(t.voice_name(1), Some(Speaker::Worker));
    assert_eq!(t.voice_name(0), Some(Speaker::Client));
    // Taking a name back makes its segments unknown again.
    t.name_voice(0, None).unwrap();
    assert_eq!(t.segments[0].speaker, Speaker::Unknown);
    assert_eq!(t.segments[1].speaker, Speaker::Worker);
}

#[test]
fn only_a_voice_of_the_recording_and_only_a_person_can_be_named() {
    let mut t = recording();
    t.attribute_voices(&turns());
    assert_eq!(
        t.name_voice(7, Some(Speaker::Client)),
        Err(TranscriptError::VoiceNotFound)
    );
    assert_eq!(
        t.name_voice(0, Some(Speaker::Note)),
        Err(TranscriptError::NotASpeaker)
    );
    assert!(speakers(&t).iter().all(|s| *s == Speaker::Unknown));
}

#[test]
fn names_survive_a_new_attribution_and_storage() {
    let mut t = recording();
    t.attribute_voices(&turns());
    t.name_voice(1, Some(Speaker::Client)).unwrap();
    t.attribute_voices(&turns());
    assert_eq!(t.segments[1].speaker, Speaker::Client);
    assert_eq!(t.segments[0].speaker, Speaker::Unknown);
    let json = serde_json::to_string(&t).unwrap();
    let back: Transcript = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
}

#[test]
fn a_transcript_stored_before_voices_still_reads() {
    let t = recording();
    let mut value = serde_json::to_value(&t).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("voices");
    object.remove("voice_names");
    let back: Transcript = serde_json::from_value(value).unwrap();
    assert!(back.voices.is_empty() && back.voice_names.is_empty());
}

#[test]
fn a_segment_corrected_by_hand_keeps_its_speaker() {
    let mut t = recording();
    t.attribute_voices(&turns());
    // The mixed segment: the worker says it was the client.
    t.set_speaker(3, Some(Speaker::Client), Timestamp(2))
        .unwrap();
    assert_eq!(t.segments[2].speaker, Speaker::Client);
    // Naming voices later does not undo the correction.
    t.name_voice(0, Some(Speaker::Worker)).unwrap();
    assert_eq!(t.segments[2].speaker, Speaker::Client);
    assert_eq!(t.segments[0].speaker, Speaker::Worker);
    // Taking it back gives the segment to its voice (uncertain here: unknown).
    t.set_speaker(3, None, Timestamp(3)).unwrap();
    assert_eq!(t.segments[2].speaker, Speaker::Unknown);
    assert_eq!(t.speaker_edits.len(), 2);
    assert_eq!(
        t.set_speaker(9, Some(Speaker::Client), Timestamp(4)),
        Err(TranscriptError::SegmentNotFound)
    );
    assert_eq!(
        t.set_speaker(1, Some(Speaker::Unknown), Timestamp(4)),
        Err(TranscriptError::NotASpeaker)
    );
}
