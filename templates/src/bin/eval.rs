//! `zorgvuldig-eval [DIR] [--verbose]`: precision and recall of fact extraction per type on the
//! annotated conversations (default `templates/eval`), and the number of draft sentences without
//! a source.

use std::path::PathBuf;

use anyhow::ensure;
use templates::evaluation::{evaluate, load_dir};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let dir = args.iter().find(|a| !a.starts_with("--")).map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/eval")),
        PathBuf::from,
    );
    let conversations = load_dir(&dir)?;
    let templates = templates::builtin().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let report = evaluate(&conversations, &templates)?;
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
    ensure!(report.unsourced == 0, "draft sentences without a source");
    ensure!(
        report.not_verbatim == 0,
        "facts whose evidence is not verbatim"
    );
    Ok(())
}
