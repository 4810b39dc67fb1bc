//! Turns, not windows: a segment in which the voice changes is cut at the sentence boundary
//! nearest the change, and each piece takes its own voice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::transcript::{Transcript, VoiceTurn};
use domain::{RecordId, Timestamp};
use extract::Speaker;

fn recording(segments: &[(u64, u64, &str)]) -> Transcript {
    let id = RecordId::random().unwrap();
    Transcript::recorded(
        id,
        id,
        "whisper-base",
        segments.iter().map(|&(s, e, t)| (s, e, t.to_owned())),
        None,
        Timestamp(1),
    )
}

fn turn(start_ms: u64, end_ms: u64, voice: u8) -> VoiceTurn {
    VoiceTurn {
        start_ms,
        end_ms,
        voice,
    }
}

#[test]
fn a_question_and_its_answer_in_one_segment_become_two_turns() {
    let mut t = recording(&[
        (0, 2_000, "Goedemorgen."),
        (
            2_500,
            12_500,
            "Hoeveel betaalt u voor de huur van uw appartement? Mijn huur is 750 euro per maand.",
        ),
        (13_000, 15_000, "Dank u."),
    ]);
    t.mark_unsure([vec![], vec!["appartement".into(), "750".into()], vec![]]);
    let turns = [
        turn(0, 2_000, 0),
        turn(2_500, 8_200, 0),
        turn(8_500, 12_500, 1),
        turn(13_000, 15_000, 0),
    ];
    assert_eq!(t.split_at_voice_changes(&turns), 1);
    let ids: Vec<u32> = t.segments.iter().map(|s| s.id).collect();
    assert_eq!(ids, [1, 2, 3, 4], "numbered again from 1");
    assert_eq!(
        t.segments[1].text,
        "Hoeveel betaalt u voor de huur van uw appartement?"
    );
    assert_eq!(t.segments[2].text, "Mijn huur is 750 euro per maand.");
    assert_eq!(
        (t.segments[1].end_ms, t.segments[2].start_ms),
        (Some(8_350), Some(8_350)),
        "cut at the change, not at the estimate"
    );
    assert_eq!(t.unsure_in(2), ["appartement"]);
    assert_eq!(t.unsure_in(3), ["750"]);
    t.attribute_voices(&turns);
    t.name_voice(0, Some(Speaker::Worker)).unwrap();
    let said: Vec<Speaker> = t.segments.iter().map(|s| s.speaker).collect();
    assert_eq!(
        said,
        [
            Speaker::Worker,
            Speaker::Worker,
            Speaker::Client,
            Speaker::Worker
        ]
    );
}

#[test]
fn a_change_far_from_any_sentence_boundary_leaves_the_segment_whole_and_uncertain() {
    let text = "Ik betaal elke maand mijn huur en mijn elektriciteit en dat is te veel.";
    let mut t = recording(&[(0, 6_000, text)]);
    let turns = [turn(0, 3_000, 0), turn(3_000, 6_000, 1)];
    assert_eq!(t.split_at_voice_changes(&turns), 0);
    assert_eq!(t.segments.len(), 1);
    // A boundary exists, but far from the change: no cut either.
    let mut t = recording(&[(
        0,
        10_000,
        "Ja. Ik betaal elke maand mijn huur en mijn elektriciteit.",
    )]);
    let turns = [turn(0, 6_000, 0), turn(6_000, 10_000, 1)];
    assert_eq!(t.split_at_voice_changes(&turns), 0);
    t.attribute_voices(&turns);
    assert!(!t.voice_of(1).unwrap().certain);
}

#[test]
fn one_voice_or_a_brief_overlap_cuts_nothing() {
    let text = "Goedemorgen mevrouw. Neem gerust plaats.";
    let mut t = recording(&[(0, 4_000, text)]);
    assert_eq!(t.split_at_voice_changes(&[turn(0, 4_000, 0)]), 0);
    // Another voice for 200 ms (a cough, a "ja") is no change of speaker.
    let turns = [
        turn(0, 1_900, 0),
        turn(1_900, 2_100, 1),
        turn(2_100, 4_000, 0),
    ];
    assert_eq!(t.split_at_voice_changes(&turns), 0);
    assert_eq!(t.segments[0].text, text);
}

#[test]
fn a_transcript_the_worker_already_touched_is_left_as_it_is() {
    let text = "Hoeveel is de huur? Zevenhonderd euro.";
    let turns = [turn(0, 2_000, 0), turn(2_000, 4_000, 1)];
    let mut t = recording(&[(0, 4_000, text)]);
    t.correct(1, "Hoeveel is de huur? 700 euro.", Timestamp(2))
        .unwrap();
    assert_eq!(t.split_at_voice_changes(&turns), 0);
    let mut t = recording(&[(0, 4_000, text)]);
    t.attribute_voices(&turns);
    assert_eq!(t.split_at_voice_changes(&turns), 0, "voices already set");
    assert_eq!(t.segments.len(), 1);
}
