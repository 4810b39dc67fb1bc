//! `zorgvuldig-eval --audio`: the cases with a recording, drafted from it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use casework::eval::audio::{COLLAR_MS, Engine, read_spoken};
use casework::eval::{Case, EvalError, Outcome, Report, draft_case, score};
use models::der::Der;
use templates::Template;

/// Drafts every case of `cases` that has a recording from it, and prints per case, then the
/// table from audio, the typed figures of the same cases and the diarization error rate.
pub fn run(
    out: &mut String,
    cases: &[(PathBuf, Case)],
    templates: &[Template],
    weights: &Path,
    language: &str,
    verbose: bool,
) -> Result<(), EvalError> {
    let mut engine = Engine::load(weights, language)?;
    let (mut typed, mut audio) = (Report::default(), Report::default());
    let mut total = Der::default();
    let (mut seconds, mut skipped, mut cuts) = (0.0, 0, 0);
    let (mut certain, mut certain_uncut) = ((0, 0), (0, 0));
    let started = Instant::now();
    for (dir, case) in cases {
        let Some(spoken) = read_spoken(dir, case)? else {
            skipped += 1;
            continue;
        };
        let got = engine.draft(case, &spoken, templates)?;

        let scored = score(case, &got.drafted);
        let count = |o: Outcome| scored.lines.iter().filter(|l| l.outcome == o).count();
        let expected = scored
            .lines
            .iter()
            .filter(|l| l.outcome != Outcome::Unexpected)
            .count();
        let _ = writeln!(
            out,
            "{:<44} {:>4.0} s  DER {:>5.1}%  {:>2} cuts  voice {:>2}/{:<2} (uncut {:>2}/{:<2})  \
             {} of {expected} correct, {} wrong, {} traps",
            case.name,
            got.seconds,
            100.0 * got.der.rate(),
            got.cuts,
            got.attributed.0,
            got.attributed.1,
            got.attributed_uncut.0,
            got.attributed_uncut.1,
            count(Outcome::Correct),
            count(Outcome::Wrong),
            scored.trap_hits.len(),
        );
        if verbose {
            for seg in &got.transcript.segments {
                let marked: String =
                    domain::transcript::split_unsure(&seg.text, got.transcript.unsure_in(seg.id))
                        .into_iter()
                        .map(|(piece, unsure)| if unsure { format!("[{piece}]") } else { piece })
                        .collect();
                let _ = writeln!(out, "    [{:?}] {marked}", seg.speaker);
            }
            for l in scored
                .lines
                .iter()
                .filter(|l| l.outcome != Outcome::Correct)
            {
                let _ = writeln!(
                    out,
                    "    {:?} {} [{}] {}",
                    l.outcome, l.kind, l.section, l.what
                );
            }
        }
        total.add(got.der);
        seconds += got.seconds;
        cuts += got.cuts;
        certain = (certain.0 + got.attributed.0, certain.1 + got.attributed.1);
        certain_uncut = (
            certain_uncut.0 + got.attributed_uncut.0,
            certain_uncut.1 + got.attributed_uncut.1,
        );
        typed.add(&case.name, score(case, &draft_case(case, templates)?));
        audio.add(&case.name, scored);
    }
    if audio.cases == 0 {
        let _ = writeln!(
            out,
            "no case has a recording (NAME.wav with NAME.speakers.tsv); {skipped} typed only"
        );
        return Ok(());
    }
    let _ = writeln!(
        out,
        "\nfrom audio ({skipped} cases without a recording left out):"
    );
    let _ = writeln!(out, "{audio}");
    let _ = writeln!(out, "typed, same cases: {}", typed.summary());
    let _ = writeln!(
        out,
        "DER {:.1}% (collar {COLLAR_MS} ms, overlapping reference turns scored as the later one); \
         {cuts} segments cut where the voice changed, a certain voice for {} of {} segments \
         (without the cuts {} of {}); recall from audio / typed {:.2}; \
         {:.0} s of audio in {:.0} s",
        100.0 * total.rate(),
        certain.0,
        certain.1,
        certain_uncut.0,
        certain_uncut.1,
        audio.total.recall() / typed.total.recall().max(1e-9),
        seconds,
        started.elapsed().as_secs_f64(),
    );
    Ok(())
}
