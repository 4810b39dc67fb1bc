//! The evaluation of extraction and drafting against annotated conversations
//! (`templates/eval/`): precision and recall per fact type, and the checks that every draft
//! sentence has a source and every fact's evidence is verbatim in its source.

use std::collections::BTreeMap;
use std::path::Path;

use extract::{Date, FactKind, Gazetteer, Segment, Speaker, extract};
use serde::Deserialize;

use crate::fill::draft;
use crate::model::Template;

/// One annotated conversation file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    /// What it is about.
    pub title: String,
    /// Template id to draft.
    pub template: String,
    /// Day of the contact, `YYYY-MM-DD`.
    pub contact_date: String,
    /// Utterances in order; ids are assigned from 1.
    pub segments: Vec<Utterance>,
    /// The facts a careful reader marks.
    pub expected: Vec<Expected>,
}

/// One utterance of an annotated conversation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Utterance {
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said.
    pub text: String,
}

/// One expected fact, in canonical form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Fact kind.
    pub kind: FactKind,
    /// Canonical value (see `extract::FactValue::canonical`).
    pub value: String,
}

/// Scores for one fact kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Facts annotated.
    pub expected: usize,
    /// Facts extracted.
    pub predicted: usize,
    /// Extracted facts that were annotated.
    pub correct: usize,
}

impl Score {
    /// Correct / predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// Correct / expected (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.expected)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The result of an evaluation run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Conversations evaluated.
    pub conversations: usize,
    /// Scores per fact kind.
    pub per_kind: BTreeMap<FactKind, Score>,
    /// Draft sentences made.
    pub sentences: usize,
    /// Draft sentences without a source (must be 0).
    pub unsourced: usize,
    /// Facts whose evidence is not verbatim in their first source (must be 0).
    pub not_verbatim: usize,
    /// Annotated facts not found: (file, kind, value).
    pub missed: Vec<(String, FactKind, String)>,
    /// Extracted facts not annotated: (file, kind, value, evidence).
    pub spurious: Vec<(String, FactKind, String, String)>,
}

impl Report {
    /// Scores over all kinds.
    pub fn total(&self) -> Score {
        self.per_kind.values().fold(Score::default(), |a, s| Score {
            expected: a.expected + s.expected,
            predicted: a.predicted + s.predicted,
            correct: a.correct + s.correct,
        })
    }
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// A file is not a valid conversation.
    #[error("{path}: {message}")]
    Invalid {
        /// File.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads every `*.toml` conversation in `dir`, sorted by file name.
///
/// # Errors
/// [`EvalError`] naming the file.
pub fn load_dir(dir: &Path) -> Result<Vec<(String, Conversation)>, EvalError> {
    let read_err = |path: &Path| {
        let path = path.display().to_string();
        move |source| EvalError::Read { path, source }
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(read_err(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(read_err(&path))?;
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            toml::from_str(&text)
                .map(|c| (name.clone(), c))
                .map_err(|e| EvalError::Invalid {
                    path: name,
                    message: e.to_string(),
                })
        })
        .collect()
}

/// The segments of a conversation, with ids from 1.
pub fn segments_of(conv: &Conversation) -> Vec<Segment> {
    conv.segments
        .iter()
        .zip(1..)
        .map(|(u, id)| Segment {
            id,
            speaker: u.speaker,
            text: u.text.clone(),
            start_ms: None,
            end_ms: None,
        })
        .collect()
}

/// Extracts and drafts every conversation and compares with the annotations.
///
/// # Errors
/// [`EvalError::Invalid`] for a bad date or an unknown template.
pub fn evaluate(
    conversations: &[(String, Conversation)],
    templates: &[Template],
) -> Result<Report, EvalError> {
    let gazetteer = Gazetteer::default();
    let mut report = Report {
        conversations: conversations.len(),
        ..Report::default()
    };
    for (name, conv) in conversations {
        let invalid = |message: String| EvalError::Invalid {
            path: name.clone(),
            message,
        };
        let date = Date::parse_iso(&conv.contact_date)
            .ok_or_else(|| invalid(format!("bad contact_date {:?}", conv.contact_date)))?;
        let template = templates
            .iter()
            .filter(|t| t.id == conv.template)
            .max_by_key(|t| t.version)
            .ok_or_else(|| invalid(format!("unknown template {:?}", conv.template)))?;
        let segments = segments_of(conv);
        let facts = extract(&segments, date, &gazetteer);
        for f in &facts {
            let source = segments.iter().find(|s| Some(&s.id) == f.sources.first());
            if source.is_none_or(|s| s.text.get(f.span.clone()) != Some(f.evidence.as_str())) {
                report.not_verbatim += 1;
            }
        }
        let frames = extract::frames::find(&segments, date, &gazetteer);
        let d = draft(template, &segments, &facts, &frames);
        report.sentences += d.sentences().count();
        report.unsourced += d.sentences().filter(|s| s.sources.is_empty()).count();

        let mut expected: Vec<(FactKind, &str)> = conv
            .expected
            .iter()
            .map(|e| (e.kind, e.value.as_str()))
            .collect();
        for e in &conv.expected {
            report.per_kind.entry(e.kind).or_default().expected += 1;
        }
        for f in &facts {
            let kind = f.value.kind();
            let value = f.value.canonical();
            let score = report.per_kind.entry(kind).or_default();
            score.predicted += 1;
            if let Some(i) = expected.iter().position(|(k, v)| *k == kind && *v == value) {
                expected.swap_remove(i);
                score.correct += 1;
            } else {
                report
                    .spurious
                    .push((name.clone(), kind, value, f.evidence.clone()));
            }
        }
        for (kind, value) in expected {
            report.missed.push((name.clone(), kind, value.to_owned()));
        }
    }
    Ok(report)
}
