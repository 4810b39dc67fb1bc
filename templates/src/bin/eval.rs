//! `zorgvuldig-eval [DIR] [--verbose]`: precision and recall of fact extraction per type on the
//! annotated conversations (default `templates/eval`), and the number of draft sentences without
//! a source.

use std::path::PathBuf;
use std::process::ExitCode;

use templates::evaluation::{evaluate, load_dir};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let dir = args.iter().find(|a| !a.starts_with("--")).map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/eval")),
        PathBuf::from,
    );
    let conversations = load_dir(&dir).map_err(|e| e.to_string())?;
    let templates = templates::builtin().map_err(|e| format!("{e:?}"))?;
    let report = evaluate(&conversations, &templates).map_err(|e| e.to_string())?;
    println!(
        "{} conversations, {} draft sentences",
        report.conversations, report.sentences
    );
    println!(
        "{:<14} {:>8} {:>9} {:>7} {:>9} {:>7}",
        "fact type", "expected", "extracted", "correct", "precision", "recall"
    );
    for (kind, s) in report
        .per_kind
        .iter()
        .map(|(k, s)| (k.name(), s))
        .chain([("all", &report.total())])
    {
        println!(
            "{:<14} {:>8} {:>9} {:>7} {:>8.1}% {:>6.1}%",
            kind,
            s.expected,
            s.predicted,
            s.correct,
            100.0 * s.precision(),
            100.0 * s.recall()
        );
    }
    println!("draft sentences without a source: {}", report.unsourced);
    println!(
        "facts whose evidence is not verbatim: {}",
        report.not_verbatim
    );
    if verbose {
        for (file, kind, value) in &report.missed {
            println!("missed    {file}: {} {value}", kind.name());
        }
        for (file, kind, value, evidence) in &report.spurious {
            println!("spurious  {file}: {} {value} ← \"{evidence}\"", kind.name());
        }
    }
    if report.unsourced > 0 {
        return Err("draft sentences without a source".into());
    }
    if report.not_verbatim > 0 {
        return Err("facts whose evidence is not verbatim".into());
    }
    Ok(())
}
