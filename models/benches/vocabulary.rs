//! The recogniser's prompt, measured: word error rate and how many names and domain terms come
//! out spelled right, without a prompt, with the contact's vocabulary
//! (`casework::vocabulary`), with the previous window's text, and with both, on the same audio
//! in the same run.
//!
//! `cargo bench -p models --bench vocabulary -- [--set espeak|fillets] [--split dev|test] [--limit N] [--modes none,vocabulary,previous,both] [--stream SECONDS]`
//!
//! Mode `lists-kept` is `vocabulary` without decoding a window again when the prompted decode
//! reads a list (`DecodeOptions::retry_lists_without_prompt` off). Mode `fittedN` (`fitted0`,
//! `fitted2`, …) is `vocabulary` with the encoder run on the speech plus N seconds of the
//! window's padding only (`Transcriber::set_encoder_margin`), not the full 30 s (on `fillets`
//! without a vocabulary: compare it with `none`).
//!
//! `--stream 8` feeds the audio in 128 ms pieces and decodes a stretch once a pause closes
//! 8 s of speech, as the speech worker does during a recording (its first stretch); without
//! it each file is transcribed at once, as an upload is.
//!
//! - `espeak`: the spoken cases of `casework/eval/<split>` (two voices; three-voice cases too),
//!   one espeak-ng voice per speaker. The vocabulary is what the app gives: names "from the
//!   dossier" (here: the words capitalised inside a sentence of the conversation, which is what
//!   a complete dossier would know) and the terms of the case template's region. Term recall
//!   counts the region terms of both regions (`casework::vocabulary::terms`) in the reference;
//!   name recall the names.
//! - `fillets`: real speech (Fish Fillets NG, levels in script order); no dossier, so only the
//!   previous text can help; WER only.
//!
//! Needs `models/weights/` (`cargo xtask weights`) and espeak-ng (sox for fillets).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::time::Instant;

use models::decode::DecodeOptions;
use models::wer::{WordErrors, normalise, word_errors};
use models::{Compute, SpeechModel, Transcriber};

fn arg<T: std::str::FromStr>(name: &str) -> Option<T> {
    speech_fixtures::arg(name).unwrap()
}

/// Occurrences of each phrase in `words` (whole-word matches).
fn count(words: &[String], phrase: &[String]) -> usize {
    if phrase.is_empty() || phrase.len() > words.len() {
        return 0;
    }
    words.windows(phrase.len()).filter(|w| *w == phrase).count()
}

/// Reference occurrences of `phrases`, and how many of them the hypothesis has.
#[derive(Debug, Default, Clone, Copy)]
struct Recall {
    found: usize,
    total: usize,
    /// Occurrences in the hypothesis beyond those of the reference (heard where not said).
    invented: usize,
}

impl Recall {
    fn add(&mut self, reference: &[String], hypothesis: &[String], phrases: &[String]) {
        for phrase in phrases {
            let phrase = normalise(phrase);
            let want = count(reference, &phrase);
            self.total += want;
            let got = count(hypothesis, &phrase);
            self.found += want.min(got);
            self.invented += got.saturating_sub(want);
        }
    }

    fn rate(&self) -> f64 {
        100.0 * self.found as f64 / self.total.max(1) as f64
    }
}

/// Words capitalised inside a sentence: the names a dossier would hold.
fn names(texts: &[String], terms: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let mut sentence_start = true;
        for raw in text.split_whitespace() {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let capital = word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().skip(1).any(char::is_lowercase);
            let is_term = terms
                .iter()
                .any(|t| t.split_whitespace().any(|w| w.eq_ignore_ascii_case(word)));
            if capital && !sentence_start && !is_term && !out.iter().any(|n| n == word) {
                out.push(word.to_owned());
            }
            sentence_start = raw.ends_with(['.', '?', '!', ':']);
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    wer: WordErrors,
    terms: Recall,
    names: Recall,
    seconds: f64,
    /// Words marked unsure, those of them that are wrong, and all wrong words.
    flagged: usize,
    flagged_wrong: usize,
    wrong: usize,
    /// Windows decoded, and those decoded again without the prompt (it read a list).
    windows: usize,
    dropped: usize,
}

/// The hypothesis words in order, each with whether the engine marked it unsure.
fn marked_words(segments: &[models::Segment]) -> Vec<bool> {
    let mut out = Vec::new();
    for seg in segments {
        let words = normalise(&seg.text);
        let mut marks = vec![false; words.len()];
        for unsure in &seg.unsure {
            for u in normalise(unsure) {
                if let Some(k) = (0..words.len()).find(|&k| !marks[k] && words[k] == u) {
                    marks[k] = true;
                }
            }
        }
        out.extend(marks);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let set: String = arg("--set").unwrap_or_else(|| "espeak".into());
    let split: String = arg("--split").unwrap_or_else(|| "dev".into());
    let limit: usize = arg("--limit").unwrap_or(usize::MAX);
    let modes: Vec<String> = arg::<String>("--modes")
        .unwrap_or_else(|| "none,vocabulary,previous,both".into())
        .split(',')
        .map(str::to_owned)
        .collect();
    let stream: Option<usize> = arg::<f64>("--stream").map(|s| (s * 16_000.0) as usize);

    let dialogues = if set == "fillets" {
        speech_fixtures::dialogues::fillets(0, limit).unwrap()
    } else {
        let mut d = speech_fixtures::dialogues::espeak(&split, 2, limit).unwrap();
        let left = limit.saturating_sub(d.len());
        d.extend(speech_fixtures::dialogues::espeak(&split, 3, left).unwrap());
        d
    };
    let cases = casework::eval::load_dir(&speech_fixtures::dialogues::corpus_dir().join(&split))
        .unwrap_or_default();
    let templates = templates::builtin().unwrap();
    let all_terms: Vec<String> = ["nl-BE", "nl-NL"]
        .iter()
        .flat_map(|l| {
            casework::vocabulary::terms(l)
                .iter()
                .map(|t| (*t).to_owned())
        })
        .collect();

    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/weights");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/manifest.json")).unwrap())
            .unwrap();
    let bytes = std::fs::read(format!("{root}/{}", manifest["file"].as_str().unwrap())).unwrap();
    let mut model = Some(SpeechModel::load(&bytes, Compute::Quantized).unwrap());
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut audio_s = 0.0;
    for dialogue in &dialogues {
        let stem = dialogue.name.rsplit('/').next().unwrap_or_default();
        let language = cases
            .iter()
            .find(|c| c.name == stem)
            .and_then(|c| templates.iter().find(|t| t.id == c.template))
            .map_or("nl-BE", |t| t.language.as_str());
        let reference_text = dialogue.texts.join(" ");
        let reference = normalise(&reference_text);
        let dossier = names(&dialogue.texts, &all_terms);
        let vocabulary = casework::vocabulary::prompt_text(&dossier, language);
        audio_s += dialogue.samples.len() as f64 / 16_000.0;
        let mut line = format!("{:<52}", dialogue.name);
        for mode in &modes {
            let fitted = mode
                .strip_prefix("fitted")
                .map(|s| s.parse::<usize>().unwrap());
            if set == "fillets" && mode != "none" && mode != "previous" && fitted.is_none() {
                continue;
            }
            let options = DecodeOptions {
                condition_on_previous_text: mode == "previous" || mode == "both",
                retry_lists_without_prompt: mode != "lists-kept",
                ..DecodeOptions::default()
            };
            let mut transcriber = Transcriber::new(model.take().unwrap(), options);
            if mode == "vocabulary"
                || mode == "both"
                || mode == "lists-kept"
                || (fitted.is_some() && set != "fillets")
            {
                transcriber.set_vocabulary(&vocabulary);
            }
            transcriber.set_encoder_margin(fitted.map(|s| s * 16_000));
            let started = Instant::now();
            let segments = match stream {
                Some(stretch) => {
                    transcriber.set_streaming_stretch(stretch);
                    let mut out = Vec::new();
                    for piece in dialogue.samples.chunks(2048) {
                        out.extend(transcriber.push(piece).unwrap());
                    }
                    out.extend(transcriber.finish().unwrap());
                    out
                }
                None => transcriber.transcribe(&dialogue.samples).unwrap(),
            };
            let seconds = started.elapsed().as_secs_f64();
            let (windows, dropped) = (transcriber.windows_decoded(), transcriber.prompts_dropped());
            model = Some(transcriber.into_backend());
            let text: Vec<&str> = segments.iter().map(|s| s.text.as_str()).collect();
            let hypothesis_text = text.join(" ");
            let hypothesis = normalise(&hypothesis_text);
            let tally = tallies.entry(mode.clone()).or_default();
            let wer = word_errors(&reference_text, &hypothesis_text);
            tally.wer = tally.wer + wer;
            tally.terms.add(&reference, &hypothesis, &all_terms);
            tally.names.add(&reference, &hypothesis, &dossier);
            tally.seconds += seconds;
            tally.windows += windows;
            tally.dropped += dropped;
            let aligned = models::wer::aligned_hypothesis(&reference_text, &hypothesis_text);
            for ((_, wrong), marked) in aligned.iter().zip(marked_words(&segments)) {
                tally.wrong += usize::from(*wrong);
                tally.flagged += usize::from(marked);
                tally.flagged_wrong += usize::from(marked && *wrong);
            }
            line.push_str(&format!(" {mode} {:>5.1}%", 100.0 * wer.rate()));
            if args.iter().any(|a| a == "--verbose") {
                println!("[{mode}] {hypothesis_text}");
            }
        }
        println!("{line}");
    }
    println!(
        "{} dialogues, {:.0} s of audio ({set}, {split})",
        dialogues.len(),
        audio_s
    );
    for mode in &modes {
        if let Some(t) = tallies.get(mode) {
            println!(
                "{mode:<11} WER {:>5.1}%  terms {:>5.1}% ({}/{}, {} invented)  names {:>5.1}% ({}/{}, {} invented)  RTF {:.3}",
                100.0 * t.wer.rate(),
                t.terms.rate(),
                t.terms.found,
                t.terms.total,
                t.terms.invented,
                t.names.rate(),
                t.names.found,
                t.names.total,
                t.names.invented,
                t.seconds / audio_s.max(1e-9)
            );
            println!(
                "{:<11} unsure words: {} marked, {:.1} % of them wrong; {:.1} % of the {} wrong words marked",
                "",
                t.flagged,
                100.0 * t.flagged_wrong as f64 / t.flagged.max(1) as f64,
                100.0 * t.flagged_wrong as f64 / t.wrong.max(1) as f64,
                t.wrong
            );
            println!(
                "{:<11} windows: {}, decoded again without the prompt: {}",
                "", t.windows, t.dropped
            );
        }
    }
}
