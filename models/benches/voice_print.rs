//! The worker's voice print, measured: for each voice of a dialogue, a print made from other
//! speech of the same person (never from the dialogue itself), and whether
//! `models::voice_print::whose` names the voice `models::speakers::diarize` found for them.
//!
//! `cargo bench -p models --bench voice_print -- [--set espeak|fillets] [--split dev|test]
//! [--skip N] [--limit N] [--verbose]`
//!
//! - `espeak`: the two-voice spoken cases of `casework/eval/<split>/`; the print of each voice
//!   is espeak-ng with that voice reading `domain::speech::VOICE_PRINT_TEXT` (the text the app
//!   asks the worker to read).
//! - `fillets`: real speech, the two actors of the Dutch Fish Fillets NG dub, one dialogue per
//!   level; the print of each fish is 30 s of that actor's clips from the other levels.
//!
//! With `espeak`, the prints of the espeak-ng voices that do not speak in a dialogue are tried
//! on it too: they must name nobody. Prints per dialogue and voice: the distances of the voices to the print, the voice named
//! (or none) and the voice that is right (the one holding most of that person's speech), then
//! the counts: named right, named wrong, not named. A wrong name is the costly error (a
//! client's words labelled as the worker's); not naming leaves it to the worker's "Dit ben ik".
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use models::der::Turn;
use models::speakers::{Options, diarize};
use models::vad::Vad;
use models::voice_print::{distances, voice_print, whose};
use speech_fixtures::dialogues::{self, Dialogue};

/// The system voice that overlaps most with reference speaker `r`.
fn voice_for(reference: &[Turn], system: &[Turn], r: usize) -> Option<usize> {
    let voices = system.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    (0..voices)
        .map(|v| {
            let overlap: u64 = reference
                .iter()
                .filter(|t| t.speaker == r)
                .flat_map(|a| {
                    system.iter().filter(move |b| b.speaker == v).map(move |b| {
                        b.end_ms
                            .min(a.end_ms)
                            .saturating_sub(b.start_ms.max(a.start_ms))
                    })
                })
                .sum();
            (v, overlap)
        })
        .filter(|(_, o)| *o > 0)
        .max_by_key(|(_, o)| *o)
        .map(|(v, _)| v)
}

fn main() {
    let verbose = std::env::args().any(|a| a == "--verbose");
    let (set, dialogues): (String, Vec<Dialogue>) = dialogues::from_args("espeak").unwrap();
    let options = Options::default();
    let (mut right, mut wrong, mut unnamed) = (0, 0, 0);
    let (mut absent_tried, mut absent_named) = (0, 0);
    println!(
        "{:<44} {:>6} {:>16} {:>6} {:>6}",
        "dialogue", "voice", "distances", "named", "right"
    );
    for d in &dialogues {
        let speech = Vad::speech_ms(&d.samples);
        let system = diarize(&d.samples, &speech, &options);
        // espeak-ng voices that do not speak in this dialogue: their print must name nobody.
        if set != "fillets" {
            for absent in dialogues::VOICES
                .iter()
                .filter(|v| !d.voices.iter().any(|w| w == *v))
            {
                let reading =
                    speech_fixtures::speak(absent, domain::speech::VOICE_PRINT_TEXT).unwrap();
                let print = voice_print(&reading, &options).unwrap();
                let named = whose(&d.samples, &system, &print, &options);
                absent_named += usize::from(named.is_some());
                absent_tried += 1;
            }
        }
        for (r, who) in d.voices.iter().enumerate() {
            let reading = match set.as_str() {
                "fillets" => {
                    let level = d.name.trim_start_matches("fillets/");
                    let fish = who.chars().next().unwrap();
                    dialogues::fillets_voice(fish, level, 30.0).unwrap()
                }
                _ => speech_fixtures::speak(who, domain::speech::VOICE_PRINT_TEXT).unwrap(),
            };
            let Some(print) = voice_print(&reading, &options) else {
                println!("{:<44} {who:>6} no print", d.name);
                unnamed += 1;
                continue;
            };
            let far = distances(&d.samples, &system, &print, &options);
            let named = whose(&d.samples, &system, &print, &options);
            let truth = voice_for(&d.turns, &system, r);
            match named {
                Some(v) if Some(v) == truth => right += 1,
                Some(_) => wrong += 1,
                None => unnamed += 1,
            }
            let far: Vec<String> = far
                .iter()
                .map(|x| x.map_or("-".into(), |x| format!("{x:.2}")))
                .collect();
            let show = |v: Option<usize>| v.map_or("-".into(), |v| v.to_string());
            println!(
                "{:<44} {who:>6} {:>16} {:>6} {:>6}",
                d.name,
                far.join(" "),
                show(named),
                show(truth)
            );
            if verbose {
                println!("    print of {} windows", print.windows);
            }
        }
    }
    println!(
        "set {set} dialogues {} voices {} named right {right} named wrong {wrong} not named \
         {unnamed} prints of an absent voice {absent_tried}, of which named {absent_named}",
        dialogues.len(),
        right + wrong + unnamed
    );
}
