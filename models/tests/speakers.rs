//! Speaker attribution: the error measure, and voices told apart in spoken Dutch dialogues.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use models::der::{Turn, der};
use models::speakers::{Options, diarize};
use models::voice_print::{distances, voice_print, whose};
use speech_fixtures::{SAMPLE_RATE, silence, speak};

fn turn(start_ms: u64, end_ms: u64, speaker: usize) -> Turn {
    Turn {
        start_ms,
        end_ms,
        speaker,
    }
}

#[test]
fn der_maps_speakers_and_leaves_the_collar_out() {
    let reference = [turn(0, 1000, 0), turn(1000, 2000, 1)];
    // Other numbers, same turns: no error.
    let swapped = [turn(0, 1000, 1), turn(1000, 2000, 0)];
    let d = der(&reference, &swapped, 250);
    assert_eq!(d.rate(), 0.0);
    // The collar takes 250 ms on both sides of 0, 1000 and 2000 ms: 1000 ms are scored.
    assert_eq!(d.scored_ms, 1000);
    // One voice for everything: the second turn's scored half second is confusion.
    let one = der(&reference, &[turn(0, 2000, 0)], 250);
    assert_eq!(
        (one.confusion_ms, one.missed_ms, one.false_alarm_ms),
        (500, 0, 0)
    );
    assert!((one.rate() - 0.5).abs() < 1e-9);
    // Nothing said after the first second: missed; speech in a pause: false alarm.
    let half = der(&reference, &[turn(0, 1000, 0), turn(3000, 3500, 0)], 0);
    assert_eq!((half.missed_ms, half.false_alarm_ms), (1000, 500));
}

/// A dialogue read by `voices` in turn, with its reference turns.
fn dialogue(lines: &[(usize, &str)], voices: &[&str]) -> (Vec<f32>, Vec<Turn>) {
    let mut samples = silence(0.5);
    let mut turns = Vec::new();
    for (speaker, text) in lines {
        let audio = speak(voices[*speaker], text).unwrap();
        let first = audio.iter().position(|x| x.abs() > 0.01).unwrap_or(0);
        let last = audio.iter().rposition(|x| x.abs() > 0.01).unwrap_or(0);
        let at = samples.len();
        let ms = |n: usize| (n * 1000 / SAMPLE_RATE) as u64;
        turns.push(turn(ms(at + first), ms(at + last), *speaker));
        samples.extend(audio);
        samples.extend(silence(0.7));
    }
    (samples, turns)
}

const LINES: [(usize, &str); 8] = [
    (0, "Goedemorgen mevrouw, waarmee kan ik u vandaag helpen?"),
    (
        1,
        "Ik heb een brief gekregen van de huisbaas over de huur van januari.",
    ),
    (0, "Hoeveel bedraagt uw huur op dit moment precies?"),
    (
        1,
        "Zevenhonderdvijftig euro per maand, zonder de kosten voor verwarming.",
    ),
    (
        0,
        "Ik bel de huisbaas morgen en ik vraag een afbetalingsplan.",
    ),
    (
        1,
        "Dank u, dan breng ik vrijdag de loonbrieven van mijn man mee.",
    ),
    (
        0,
        "Goed, dan zien we elkaar volgende week dinsdag om tien uur.",
    ),
    (1, "Dat is goed, tot dinsdag en nog een fijne dag verder."),
];

#[test]
fn a_worker_and_a_client_are_told_apart() {
    let (samples, reference) = dialogue(&LINES, &["nl", "nl+f2"]);
    let speech: Vec<(u64, u64)> = reference.iter().map(|t| (t.start_ms, t.end_ms)).collect();
    let found = diarize(&samples, &speech, &Options::default());
    let voices = found.iter().map(|t| t.speaker).max().unwrap() + 1;
    assert_eq!(voices, 2, "{found:?}");
    let d = der(&reference, &found, 250);
    assert!(d.rate() < 0.05, "DER {:.3}: {found:?}", d.rate());
}

#[test]
fn one_voice_stays_one_voice() {
    let (samples, reference) = dialogue(&LINES, &["nl+f2", "nl+f2"]);
    let speech: Vec<(u64, u64)> = reference.iter().map(|t| (t.start_ms, t.end_ms)).collect();
    let options = Options {
        max_speakers: 4,
        ..Options::default()
    };
    let found = diarize(&samples, &speech, &options);
    assert!(found.iter().all(|t| t.speaker == 0), "{found:?}");
}

#[test]
fn silence_has_no_speaker() {
    assert!(diarize(&silence(3.0), &[], &Options::default()).is_empty());
}

/// The print of the worker reading the app's text aloud names the worker's voice, whether the
/// worker speaks first or second.
#[test]
fn the_workers_voice_print_names_their_voice_in_either_order() {
    let options = Options::default();
    let reading = speak("nl", domain::speech::VOICE_PRINT_TEXT).unwrap();
    let made = voice_print(&reading, &options).expect("30 s of reading make a print");
    // As the app keeps it: JSON in the worker's preferences, and back to the engine.
    let kept: domain::speech::VoicePrint = serde_json::from_str(
        &serde_json::to_string(&domain::speech::VoicePrint::from(&made)).unwrap(),
    )
    .unwrap();
    let print = models::voice_print::VoicePrint::from(&kept);
    assert_eq!(print.windows, made.windows);
    for (a, b) in print.mean.iter().zip(&made.mean) {
        assert!(a == b || (a.is_nan() && b.is_nan()), "{a} {b}");
    }
    for (voices, worker) in [(["nl", "nl+f2"], 0), (["nl+f2", "nl"], 1)] {
        let (samples, reference) = dialogue(&LINES, &voices);
        let speech: Vec<(u64, u64)> = reference.iter().map(|t| (t.start_ms, t.end_ms)).collect();
        let found = diarize(&samples, &speech, &options);
        let far = distances(&samples, &found, &print, &options);
        assert_eq!(
            whose(&samples, &found, &print, &options),
            Some(worker),
            "{voices:?}: distances {far:?}"
        );
    }
}

#[test]
fn a_few_words_or_silence_make_no_voice_print() {
    let options = Options::default();
    assert!(voice_print(&silence(30.0), &options).is_none());
    assert!(voice_print(&speak("nl", "Goedendag.").unwrap(), &options).is_none());
}
