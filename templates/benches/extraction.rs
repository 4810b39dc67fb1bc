//! `cargo bench -p templates`: extraction and drafting of a 60-minute conversation.
//!
//! The transcript is the evaluation conversations repeated until it holds about 9,000 words
//! (Dutch conversation runs at roughly 150 words a minute). Prints the median of 15 runs.

use std::time::{Duration, Instant};

use extract::{Date, Gazetteer, Segment, extract};
use templates::evaluation::{load_dir, segments_of};
use templates::fill::draft;

const WORDS_PER_HOUR: usize = 9_000;
const RUNS: usize = 15;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/eval");
    let conversations = load_dir(std::path::Path::new(dir))?;
    let templates = templates::builtin().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let sociaal = templates
        .iter()
        .filter(|t| t.id == "sociaal-verslag")
        .max_by_key(|t| t.version)
        .ok_or_else(|| anyhow::anyhow!("sociaal-verslag missing"))?;
    let mut segments: Vec<Segment> = Vec::new();
    let mut words = 0;
    'fill: loop {
        for (_, conv) in &conversations {
            for mut seg in segments_of(conv) {
                words += seg.text.split_whitespace().count();
                seg.id = u32::try_from(segments.len() + 1)?;
                segments.push(seg);
                if words >= WORDS_PER_HOUR {
                    break 'fill;
                }
            }
        }
    }
    let contact = Date::new(2026, 11, 25).ok_or_else(|| anyhow::anyhow!("date"))?;
    let gazetteer = Gazetteer::default();
    let mut extract_times = Vec::new();
    let mut draft_times = Vec::new();
    let mut facts = Vec::new();
    let mut sentences = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        facts = extract(&segments, contact, &gazetteer);
        extract_times.push(start.elapsed());
        let start = Instant::now();
        let frames = extract::frames::find(&segments, contact, &gazetteer);
        let d = draft(sociaal, &segments, &facts, &frames);
        draft_times.push(start.elapsed());
        sentences = d.sentences().count();
    }
    let (e, d) = (median(extract_times), median(draft_times));
    println!(
        "60-minute transcript: {} segments, {words} words → {} facts, {sentences} draft sentences",
        segments.len(),
        facts.len()
    );
    println!(
        "extract: {:.1} ms   draft (sociaal verslag): {:.1} ms   total: {:.1} ms  (median of {RUNS})",
        e.as_secs_f64() * 1e3,
        d.as_secs_f64() * 1e3,
        (e + d).as_secs_f64() * 1e3
    );
    Ok(())
}
