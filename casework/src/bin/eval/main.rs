//! `zorgvuldig-eval [--verbose] DIR…`: drafts every case in the directories with the code the
//! app runs and prints precision and recall per kind and per section, wrong values, trap hits,
//! forbidden phrases and unsourced sentences, ending with one summary line. `--verbose` lists
//! every miss per case and `--show NAME` every drafted sentence of one case (use both on the dev
//! split only). `--unlabelled` drafts the spoken lines as a recording without speaker
//! attribution hands them over (every speaker unknown). `--audio` drafts each case that has a
//! recording (`NAME.wav`, `NAME.speakers.tsv`) from the recording, through the speech engine
//! and speaker attribution, and prints the same table plus the diarization error rate, next to
//! the typed figures of the same cases (`--weights DIR`, default `models/weights`; `--language
//! nl-NL` for the Netherlands' terms in the prompt). Format: `docs/eval-format.md`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use casework::eval::{Case, Outcome, draft_case, evaluate, load_dir};

const USAGE: &str = "usage: zorgvuldig-eval [--verbose] [--show NAME] [--unlabelled] \
                     [--audio [--weights DIR] [--language nl-BE|nl-NL]] DIR…";

mod from_audio;

fn main() -> ExitCode {
    // Everything goes to one buffer, written at the end: a closed pipe (`| head`) is no error.
    let mut out = String::new();
    let code = run(&mut out);
    let _ = std::io::stdout().write_all(out.as_bytes());
    code
}

fn run(out: &mut String) -> ExitCode {
    let mut verbose = false;
    let mut unlabelled = false;
    let mut audio = false;
    let mut weights = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../models/weights"));
    let mut language = String::from("nl-BE");
    let mut show: Option<String> = None;
    let mut dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--verbose" | "-v" => verbose = true,
            "--show" => show = args.next(),
            "--unlabelled" => unlabelled = true,
            "--audio" => audio = true,
            "--weights" => weights = args.next().map(PathBuf::from).unwrap_or(weights),
            "--language" => language = args.next().unwrap_or(language),
            "--help" | "-h" => {
                let _ = writeln!(out, "{USAGE}");
                return ExitCode::SUCCESS;
            }
            dir => dirs.push(PathBuf::from(dir)),
        }
    }
    if dirs.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let templates = match templates::builtin() {
        Ok(t) => t,
        Err(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            return ExitCode::FAILURE;
        }
    };
    let mut cases = Vec::new();
    let mut from: Vec<(PathBuf, Case)> = Vec::new();
    for dir in &dirs {
        match load_dir(dir) {
            Ok(c) => {
                from.extend(c.iter().map(|case| (dir.clone(), case.clone())));
                cases.extend(c);
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if audio {
        return match from_audio::run(out, &from, &templates, &weights, &language, verbose) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    if unlabelled {
        cases = cases.iter().map(Case::unlabelled).collect();
    }
    if let Some(name) = &show {
        for case in cases.iter().filter(|c| c.name.contains(name.as_str())) {
            match draft_case(case, &templates) {
                Ok(drafted) => {
                    for d in drafted {
                        let frame = d.frame.as_ref().map_or(String::new(), |f| {
                            format!(" <{} {}>", f.kind.name(), f.value.normalised())
                        });
                        let _ = writeln!(out, "{} [{}] {}{frame}", case.name, d.section, d.text);
                    }
                }
                Err(e) => eprintln!("{e}"),
            }
        }
        return ExitCode::SUCCESS;
    }
    let report = match evaluate(&cases, &templates) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if verbose {
        for (name, score) in &report.per_case {
            for l in score.lines.iter().filter(|l| l.outcome != Outcome::Correct) {
                let _ = writeln!(
                    out,
                    "{name}: {:?} {} [{}] {}",
                    l.outcome, l.kind, l.section, l.what
                );
            }
            for t in &score.trap_hits {
                let _ = writeln!(out, "{name}: trap {t}");
            }
            for p in &score.forbidden_hits {
                let _ = writeln!(out, "{name}: forbidden {p:?}");
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{report}");
    ExitCode::SUCCESS
}
