//! `zorgvuldig-eval --audio`: a spoken case is read from its recording and reference, run
//! through the real speech engine (the shipped weights, `cargo xtask weights`) and speaker
//! attribution, named and drafted.

use std::path::Path;

use casework::eval::audio::{Engine, parse_speakers, read_spoken};
use casework::eval::load_dir;
use extract::Speaker;

const CASE: &str = "# date: 2026-03-02\n# template: sociaal-verslag\n\
W|Goedemorgen mevrouw. Hoeveel betaalt u voor de huur van uw appartement?\n\
C|Mijn huur is zevenhonderdvijftig euro per maand, en dat is veel te duur voor mij.\n\
W|Dank u. Ik bel volgende week de huisvestingsdienst voor u.\n";

#[test]
fn a_reference_of_who_spoke_when_is_read_and_bad_lines_are_refused() {
    let path = Path::new("x.speakers.tsv");
    let turns = parse_speakers(
        path,
        "start_ms\tend_ms\tspeaker\ttext\n# comment\n0\t1200\tW\tGoedemorgen.\n\n1500\t4000\tC\tDag.\tmet tab\n",
    )
    .unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(
        (turns[1].start_ms, turns[1].end_ms, turns[1].speaker),
        (1500, 4000, 'C')
    );
    assert_eq!(turns[1].text, "Dag.\tmet tab");
    // Words and decimals are read too; each other label gets a letter of its own.
    let turns = parse_speakers(
        path,
        "start\tend\twho\ttext\n0.0\t1200.4\tworker\ta\n1300\t2000\tcliënt\tb\n\
         2100\t2500\tpartner\tc\n2600\t3000\ttolk\td\n3100\t3500\tpartner\te\n",
    )
    .unwrap();
    let who: String = turns.iter().map(|t| t.speaker).collect();
    assert_eq!(who, "WCABA");
    assert_eq!(turns[0].end_ms, 1200);
    for bad in [
        "0\t1200\tW",
        "0\tlater\tW\tx",
        "1200\t0\tW\tx",
        "0\t1200\tN\tnotes are typed",
        "0\t-5\tW\tx",
        "0\t1200\t\tx",
    ] {
        assert!(parse_speakers(path, bad).is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn a_spoken_case_is_transcribed_attributed_named_and_drafted() {
    let dir = tempfile::tempdir().unwrap();
    let (dialogue, letters) = speech_fixtures::dialogues::speak_case("huur".into(), CASE)
        .unwrap()
        .unwrap();
    std::fs::write(dir.path().join("huur.txt"), CASE).unwrap();
    std::fs::write(dir.path().join("huur.expected.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("huur.wav"),
        models::audio::wav_bytes(&dialogue.samples, 16_000),
    )
    .unwrap();
    let mut tsv = String::new();
    for (turn, letter) in dialogue.turns.iter().zip(&letters) {
        tsv.push_str(&format!(
            "{}\t{}\t{letter}\tx\n",
            turn.start_ms, turn.end_ms
        ));
    }
    std::fs::write(dir.path().join("huur.speakers.tsv"), tsv).unwrap();
    // A case without a recording is typed only.
    std::fs::write(dir.path().join("typed.txt"), CASE).unwrap();
    std::fs::write(dir.path().join("typed.expected.toml"), "").unwrap();

    let cases = load_dir(dir.path()).unwrap();
    assert!(read_spoken(dir.path(), &cases[1]).unwrap().is_none());
    let spoken = read_spoken(dir.path(), &cases[0]).unwrap().unwrap();
    assert_eq!(spoken.reference.len(), 3);
    let weights = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/weights");
    let mut engine = Engine::load(&weights, "nl-BE").unwrap();
    let templates = templates::builtin().unwrap();
    let got = engine.draft(&cases[0], &spoken, &templates).unwrap();
    let said: Vec<Speaker> = got.transcript.segments.iter().map(|s| s.speaker).collect();
    assert!(
        said.contains(&Speaker::Worker) || said.contains(&Speaker::Client),
        "no voice named: {:?}",
        got.transcript.segments
    );
    assert!(got.der.rate() < 0.2, "DER {:.3}", got.der.rate());
    assert!((got.seconds - dialogue.samples.len() as f64 / 16_000.0).abs() < 0.01);
    // A segment in which two voices were heard has no speaker, and is never quoted.
    for seg in got
        .transcript
        .segments
        .iter()
        .filter(|s| s.speaker == Speaker::Unknown)
    {
        for d in &got.drafted {
            assert!(!d.text.contains(&seg.text), "{d:?} quotes {seg:?}");
        }
    }
}
