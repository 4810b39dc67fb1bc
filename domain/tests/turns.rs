//! Turns, not windows: a segment in which the voice changes is cut at the sentence boundary
//! nearest the change, and each piece takes its own voice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::speech::TimedText;
use domain::transcript::{Transcript, VoiceTurn, cut_at_voice_changes};
use domain::{RecordId, Timestamp};
use extract::Speaker;

fn timed(segments: &[(u64, u64, &str, &[&str])]) -> Vec<TimedText> {
    segments
        .iter()
        .map(|&(start_ms, end_ms, text, unsure)| TimedText {
            start_ms,
            end_ms,
            text: text.to_owned(),
            unsure: unsure.iter().map(|w| (*w).to_owned()).collect(),
        })
        .collect()
}

/// The transcript the app stores from the worker's segments and voices.
fn stored(segments: &[TimedText], turns: &[VoiceTurn]) -> Transcript {
    let id = RecordId::random().unwrap();
    let mut t = Transcript::recorded(
        id,
        id,
        "whisper-base",
        segments
            .iter()
            .map(|s| (s.start_ms, s.end_ms, s.text.clone())),
        None,
        Timestamp(1),
    );
    t.mark_unsure(segments.iter().map(|s| s.unsure.clone()));
    t.attribute_voices(turns);
    t
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
    let segments = timed(&[
        (0, 2_000, "Goedemorgen.", &[]),
        (
            2_500,
            12_500,
            "Hoeveel betaalt u voor de huur van uw appartement? Mijn huur is 750 euro per maand.",
            &["appartement", "750"],
        ),
        (13_000, 15_000, "Dank u.", &[]),
    ]);
    let turns = [
        turn(0, 2_000, 0),
        turn(2_500, 8_200, 0),
        turn(8_500, 12_500, 1),
        turn(13_000, 15_000, 0),
    ];
    // Without the cut the segment is uncertain: no speaker, never quoted.
    let whole = stored(&segments, &turns);
    assert!(!whole.voice_of(2).unwrap().certain);

    let (cut, cuts) = cut_at_voice_changes(segments, &turns);
    assert_eq!(cuts, 1);
    let texts: Vec<&str> = cut.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Goedemorgen.",
            "Hoeveel betaalt u voor de huur van uw appartement?",
            "Mijn huur is 750 euro per maand.",
            "Dank u."
        ]
    );
    assert_eq!(
        (cut[1].end_ms, cut[2].start_ms),
        (8_350, 8_350),
        "cut at the change, not at the estimate"
    );
    assert_eq!(cut[1].unsure, ["appartement"]);
    assert_eq!(cut[2].unsure, ["750"]);
    let mut t = stored(&cut, &turns);
    assert_eq!(t.unsure_in(3), ["750"]);
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
    let turns = [turn(0, 3_000, 0), turn(3_000, 6_000, 1)];
    let (cut, cuts) = cut_at_voice_changes(timed(&[(0, 6_000, text, &[])]), &turns);
    assert_eq!((cut.len(), cuts), (1, 0));
    // A boundary exists, but far from the change: no cut either.
    let text = "Ja. Ik betaal elke maand mijn huur en mijn elektriciteit.";
    let turns = [turn(0, 6_000, 0), turn(6_000, 10_000, 1)];
    let (cut, cuts) = cut_at_voice_changes(timed(&[(0, 10_000, text, &[])]), &turns);
    assert_eq!((cut.len(), cuts), (1, 0));
    assert!(!stored(&cut, &turns).voice_of(1).unwrap().certain);
}

#[test]
fn one_voice_or_a_brief_overlap_cuts_nothing() {
    let text = "Goedemorgen mevrouw. Neem gerust plaats.";
    let segments = timed(&[(0, 4_000, text, &[])]);
    let (_, cuts) = cut_at_voice_changes(segments.clone(), &[turn(0, 4_000, 0)]);
    assert_eq!(cuts, 0);
    // Another voice for 200 ms (a cough, a "ja") is no change of speaker.
    let turns = [
        turn(0, 1_900, 0),
        turn(1_900, 2_100, 1),
        turn(2_100, 4_000, 0),
    ];
    let (cut, cuts) = cut_at_voice_changes(segments, &turns);
    assert_eq!((cut[0].text.as_str(), cuts), (text, 0));
}

#[test]
fn three_turns_in_one_segment_are_cut_twice_in_order() {
    let text = "Komt u vrijdag? Ja, om tien uur. Goed, tot dan.";
    let turns = [
        turn(0, 1_700, 0),
        turn(1_800, 3_900, 1),
        turn(4_000, 6_000, 0),
    ];
    let (cut, cuts) = cut_at_voice_changes(timed(&[(0, 6_000, text, &[])]), &turns);
    assert_eq!(cuts, 2);
    let texts: Vec<&str> = cut.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Komt u vrijdag?", "Ja, om tien uur.", "Goed, tot dan."]
    );
    assert!(cut.windows(2).all(|w| w[0].end_ms == w[1].start_ms));
}
