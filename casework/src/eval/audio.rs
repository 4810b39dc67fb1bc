//! Drafting from audio, as a recording in the app is drafted: a case's `NAME.wav` is
//! transcribed by the speech engine, its voices told apart on the audio (`models::speakers`),
//! segments cut where the voice changes, each voice named after the reference speaker it
//! overlaps most (what the worker does with one click, "dit ben ik"), and the transcript
//! drafted with the case's typed notes. `NAME.speakers.tsv` is the reference of who spoke when, for the diarization error
//! rate. Format: `docs/eval-format.md`, "Spoken cases".

use std::path::{Path, PathBuf};

use domain::speech::TimedText;
use domain::transcript::{Transcript, VoiceTurn, cut_at_voice_changes};
use domain::{RecordId, Timestamp};
use extract::Speaker;
use models::decode::DecodeOptions;
use models::der::{Der, Turn, der};
use models::speakers::Options;
use models::{Compute, SpeechModel, Transcriber};
use templates::Template;

use super::{Case, Drafted, EvalError, draft_with};

/// Collar around each reference turn boundary that is not scored, as is standard for DER.
pub const COLLAR_MS: u64 = 250;

/// One reference turn of `NAME.speakers.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceTurn {
    /// Start in the recording, milliseconds.
    pub start_ms: u64,
    /// End, milliseconds.
    pub end_ms: u64,
    /// The speaker's letter, as in the case's `.txt` (`W`, `C`, another capital).
    pub speaker: char,
    /// What was said.
    pub text: String,
}

/// A case's recording and its reference.
#[derive(Debug, Clone)]
pub struct Spoken {
    /// 16 kHz mono samples.
    pub samples: Vec<f32>,
    /// Who spoke when.
    pub reference: Vec<ReferenceTurn>,
}

/// What drafting from one recording gave.
#[derive(Debug, Clone)]
pub struct FromAudio {
    /// The drafted sentences.
    pub drafted: Vec<Drafted>,
    /// Speaker attribution against the reference.
    pub der: Der,
    /// Length of the recording in seconds.
    pub seconds: f64,
    /// Recognised segments cut where the voice changed.
    pub cuts: usize,
    /// Segments with a speaker (a certain voice), and all segments.
    pub attributed: (usize, usize),
    /// The same without the cuts at voice changes.
    pub attributed_uncut: (usize, usize),
    /// The transcript as drafting saw it (speakers named).
    pub transcript: Transcript,
}

fn case_error(path: &Path, message: impl Into<String>) -> EvalError {
    EvalError::Case {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> EvalError {
    EvalError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Parses `NAME.speakers.tsv`: one turn per line, `start_ms⇥end_ms⇥speaker⇥text`; empty lines,
/// lines starting with `#` and a header line (its first field not a number) are skipped.
/// Milliseconds may carry decimals. The speaker is the letter of the case's `.txt` (`W`, `C`,
/// another capital) or a word: `worker`/`werker` is `W`, `client`/`cliënt` is `C`, and every
/// other label gets a letter of its own.
///
/// # Errors
/// [`EvalError::Case`] for a line that is not four tab-separated fields with milliseconds, an
/// end before its start, or the speaker `N` (typed notes are never spoken).
pub fn parse_speakers(path: &Path, text: &str) -> Result<Vec<ReferenceTurn>, EvalError> {
    let mut turns = Vec::new();
    let mut others: Vec<(String, char)> = Vec::new();
    let mut spare = ('A'..='Z').filter(|c| !matches!(c, 'W' | 'C' | 'N'));
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| case_error(path, format!("line {}: {what}", n + 1));
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        let first_is_number = fields[0].trim().parse::<f64>().is_ok();
        if turns.is_empty() && !first_is_number {
            continue;
        }
        let [start, end, speaker, said] = fields[..] else {
            return Err(bad("expected `start_ms<TAB>end_ms<TAB>speaker<TAB>text`"));
        };
        let ms = |s: &str| match s.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v.round() as u64),
            _ => Err(bad("bad milliseconds")),
        };
        let (start_ms, end_ms) = (ms(start)?, ms(end)?);
        if end_ms < start_ms {
            return Err(bad("the turn ends before it starts"));
        }
        let label = speaker.trim();
        let mut letters = label.chars();
        let speaker = match (letters.next(), letters.next()) {
            (Some('N' | 'n'), None) => return Err(bad("N is typed notes, never spoken")),
            (Some(c), None) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
            (None, _) => return Err(bad("no speaker")),
            _ => match label.to_lowercase().as_str() {
                "worker" | "werker" => 'W',
                "client" | "cliënt" | "cliente" | "cliënte" => 'C',
                other => match others.iter().find(|(l, _)| l == other) {
                    Some(&(_, c)) => c,
                    None => {
                        let c = spare.next().ok_or_else(|| bad("too many speakers"))?;
                        others.push((other.to_owned(), c));
                        c
                    }
                },
            },
        };
        turns.push(ReferenceTurn {
            start_ms,
            end_ms,
            speaker,
            text: said.trim().to_owned(),
        });
    }
    Ok(turns)
}

/// Reads `NAME.wav` and `NAME.speakers.tsv` of `case` from `dir`; `None` when the case has no
/// `NAME.wav` (typed only).
///
/// # Errors
/// [`EvalError::Io`] or [`EvalError::Case`] for a recording or reference that cannot be read,
/// or a recording without its reference.
pub fn read_spoken(dir: &Path, case: &Case) -> Result<Option<Spoken>, EvalError> {
    let wav: PathBuf = dir.join(format!("{}.wav", case.name));
    if !wav.exists() {
        return Ok(None);
    }
    let bytes = std::fs::read(&wav).map_err(|e| io_error(&wav, &e))?;
    let audio = models::audio::read_wav(&bytes).map_err(|e| case_error(&wav, e.to_string()))?;
    let tsv = dir.join(format!("{}.speakers.tsv", case.name));
    let text = std::fs::read_to_string(&tsv).map_err(|e| io_error(&tsv, &e))?;
    Ok(Some(Spoken {
        samples: models::audio::to_16k(&audio),
        reference: parse_speakers(&tsv, &text)?,
    }))
}

/// The speech engine the evaluation transcribes with: the model the app ships, from a weights
/// directory written by `cargo xtask weights` (`manifest.json` and the file it names).
pub struct Engine {
    model: Option<SpeechModel>,
    vocabulary: String,
}

impl Engine {
    /// Loads the model of `weights` (quantized, as in the app) with the prompt the app gives a
    /// new dossier in `language`'s region (`nl-BE` or `nl-NL`): the region's service names.
    ///
    /// # Errors
    /// [`EvalError::Io`] when the files cannot be read, [`EvalError::Case`] when they are not a
    /// model.
    pub fn load(weights: &Path, language: &str) -> Result<Self, EvalError> {
        let manifest_path = weights.join("manifest.json");
        let manifest =
            std::fs::read_to_string(&manifest_path).map_err(|e| io_error(&manifest_path, &e))?;
        let manifest: domain::speech::ModelManifest = serde_json::from_str(&manifest)
            .map_err(|e| case_error(&manifest_path, e.to_string()))?;
        let path = weights.join(&manifest.file);
        let bytes = std::fs::read(&path).map_err(|e| io_error(&path, &e))?;
        let model = SpeechModel::load(&bytes, Compute::Quantized)
            .map_err(|e| case_error(&path, e.to_string()))?;
        Ok(Self {
            model: Some(model),
            vocabulary: crate::vocabulary::prompt_text(&[], language),
        })
    }

    /// Transcribes, attributes and drafts `case` from `spoken`, as the app drafts a recording
    /// whose voices the worker named; the case's typed notes are drafted with it.
    ///
    /// # Errors
    /// [`EvalError::Case`] when the engine fails, as [`draft_with`] otherwise.
    pub fn draft(
        &mut self,
        case: &Case,
        spoken: &Spoken,
        templates: &[Template],
    ) -> Result<FromAudio, EvalError> {
        let failed = |e: &dyn std::fmt::Display| case_error(Path::new(&case.name), e.to_string());
        let model = self
            .model
            .take()
            .ok_or_else(|| failed(&"the engine failed before"))?;
        let mut transcriber = Transcriber::new(model, DecodeOptions::default());
        transcriber.set_vocabulary(&self.vocabulary);
        let segments = transcriber.transcribe(&spoken.samples);
        let segments = match segments {
            Ok(segments) => segments,
            Err(e) => {
                self.model = Some(transcriber.into_backend());
                return Err(failed(&e));
            }
        };
        // Speakers numbered in order of appearance.
        let mut letters: Vec<char> = Vec::new();
        for t in &spoken.reference {
            if !letters.contains(&t.speaker) {
                letters.push(t.speaker);
            }
        }
        let reference: Vec<Turn> = spoken
            .reference
            .iter()
            .map(|t| Turn {
                start_ms: t.start_ms,
                end_ms: t.end_ms,
                speaker: letters.iter().position(|c| *c == t.speaker).unwrap_or(0),
            })
            .collect();
        let spans: Vec<(u64, u64)> = segments.iter().map(|s| (s.start_ms, s.end_ms)).collect();
        // The worker says how many people take part; two unless more were heard.
        let options = Options {
            max_speakers: letters.len().max(2),
            ..Options::default()
        };
        let turns = transcriber.voices(&spans, &options);
        self.model = Some(transcriber.into_backend());
        let id = RecordId::random().map_err(|e| EvalError::Id(e.to_string()))?;
        let voice_turns: Vec<VoiceTurn> = turns.iter().copied().map(Into::into).collect();
        // What the speech worker hands the app: every segment, cut where the voice changes.
        let timed: Vec<TimedText> = segments.into_iter().map(Into::into).collect();
        let attributed_uncut = attributed(&stored(id, &timed, &voice_turns));
        let (timed, cuts) = cut_at_voice_changes(timed, &voice_turns);
        let mut transcript = stored(id, &timed, &voice_turns);
        for voice in transcript.voice_ids() {
            let mut heard = vec![0u64; letters.len()];
            for t in turns.iter().filter(|t| t.speaker == usize::from(voice)) {
                for r in &reference {
                    heard[r.speaker] += t
                        .end_ms
                        .min(r.end_ms)
                        .saturating_sub(t.start_ms.max(r.start_ms));
                }
            }
            let Some(who) = (0..letters.len()).max_by_key(|&i| heard[i]) else {
                continue;
            };
            let speaker = match letters[who] {
                'W' => Speaker::Worker,
                'C' => Speaker::Client,
                _ => Speaker::Other,
            };
            transcript
                .name_voice(voice, Some(speaker))
                .map_err(|e| failed(&e))?;
        }
        let drafted = draft_with(case, templates, Some(transcript.clone()))?;
        let attributed = attributed(&transcript);
        Ok(FromAudio {
            drafted,
            der: der(&reference, &turns, COLLAR_MS),
            seconds: spoken.samples.len() as f64 / 16_000.0,
            cuts,
            attributed,
            attributed_uncut,
            transcript,
        })
    }
}

/// The transcript the app stores from the worker's segments and voices (voices not named yet).
fn stored(id: RecordId, timed: &[TimedText], turns: &[VoiceTurn]) -> Transcript {
    let mut transcript = Transcript::recorded(
        id,
        id,
        "eval",
        timed.iter().map(|s| (s.start_ms, s.end_ms, s.text.clone())),
        None,
        Timestamp(0),
    );
    transcript.mark_unsure(
        timed
            .iter()
            .filter(|s| !s.text.trim().is_empty())
            .map(|s| s.unsure.clone()),
    );
    transcript.attribute_voices(turns);
    transcript
}

/// Segments whose voice is certain (they get a speaker once it is named), and all segments.
fn attributed(transcript: &Transcript) -> (usize, usize) {
    let certain = transcript
        .segments
        .iter()
        .filter(|s| transcript.voice_of(s.id).is_some_and(|v| v.certain))
        .count();
    (certain, transcript.segments.len())
}
