//! Reading evaluation cases: `NAME.txt` (the conversation) and `NAME.expected.toml` (what a
//! careful reader marked). The format is described in `docs/eval-format.md`.

use std::path::{Path, PathBuf};

use extract::{Date, Segment, Speaker};
use serde::Deserialize;

use super::EvalError;

/// One expected fact.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFact {
    /// Section id in the case's template.
    pub section: String,
    /// Frame kind name (`rent`, `debt`, …).
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// A word the drafted sentence must contain, if given.
    #[serde(default)]
    pub detail: Option<String>,
    /// The verbatim utterance it comes from.
    #[serde(default)]
    pub source: String,
}

/// One expected action.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedAction {
    /// `worker`, `client`, or another speaker's letter.
    pub who: String,
    /// A word the drafted action must contain.
    pub what: String,
    /// ISO date, or empty.
    #[serde(default)]
    pub deadline: String,
}

/// One expected flag.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFlag {
    /// `weekday_conflict`, `past_deadline` or `two_values`.
    pub kind: String,
    /// The value it concerns.
    pub value: String,
}

/// Phrases no drafted sentence may contain.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forbidden {
    /// The phrases.
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// Trap values that must not be drafted as facts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotFacts {
    /// The values, normalised like facts.
    #[serde(default)]
    pub values: Vec<String>,
}

/// The annotation of a case.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Facts.
    #[serde(default)]
    pub fact: Vec<ExpectedFact>,
    /// Actions.
    #[serde(default)]
    pub action: Vec<ExpectedAction>,
    /// Flags.
    #[serde(default)]
    pub flag: Vec<ExpectedFlag>,
    /// Forbidden phrases.
    #[serde(default)]
    pub forbidden: Forbidden,
    /// Trap values.
    #[serde(default)]
    pub not_facts: NotFacts,
}

/// One case: the conversation and its annotation.
#[derive(Debug, Clone)]
pub struct Case {
    /// File stem.
    pub name: String,
    /// Contact date.
    pub date: Date,
    /// Template id.
    pub template: String,
    /// Spoken segments (W, C and other letters), ids from 1.
    pub spoken: Vec<Segment>,
    /// The typed notes (`N` lines), one per line.
    pub notes: Vec<String>,
    /// The annotation.
    pub expected: Expected,
}

impl Case {
    /// The case as a recording without speaker attribution hands it to drafting: every spoken
    /// segment by an unknown speaker (what `domain::transcript` stores for recognised speech),
    /// typed notes unchanged.
    #[must_use]
    pub fn unlabelled(&self) -> Self {
        let mut out = self.clone();
        for seg in &mut out.spoken {
            seg.speaker = domain::transcript::RECOGNISED_SPEAKER;
        }
        out
    }
}

fn bad(path: &Path, message: impl Into<String>) -> EvalError {
    EvalError::Case {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Parses a case's `.txt` text.
///
/// # Errors
/// [`EvalError::Case`] for a missing header or a line that is not `X|text`.
pub fn parse_text(
    path: &Path,
    text: &str,
) -> Result<(Date, String, Vec<Segment>, Vec<String>), EvalError> {
    let (mut date, mut template) = (None, None);
    let (mut spoken, mut notes) = (Vec::new(), Vec::new());
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('#') {
            let rest = rest.trim();
            if let Some(d) = rest.strip_prefix("date:") {
                date = Some(
                    Date::parse_iso(d.trim())
                        .ok_or_else(|| bad(path, format!("line {}: bad date", n + 1)))?,
                );
            } else if let Some(t) = rest.strip_prefix("template:") {
                template = Some(t.trim().to_owned());
            }
            continue;
        }
        let Some((who, said)) = line.split_once('|') else {
            return Err(bad(path, format!("line {}: expected `X|text`", n + 1)));
        };
        let speaker = match who.trim() {
            "W" => Speaker::Worker,
            "C" => Speaker::Client,
            "N" => {
                notes.push(said.trim().to_owned());
                continue;
            }
            w if w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()) => Speaker::Other,
            w => return Err(bad(path, format!("line {}: unknown speaker {w:?}", n + 1))),
        };
        spoken.push(Segment {
            id: u32::try_from(spoken.len() + 1).unwrap_or(u32::MAX),
            speaker,
            text: said.trim().to_owned(),
            start_ms: None,
            end_ms: None,
        });
    }
    let date = date.ok_or_else(|| bad(path, "no `# date:` line"))?;
    let template = template.ok_or_else(|| bad(path, "no `# template:` line"))?;
    Ok((date, template, spoken, notes))
}

/// Reads one case from its `.txt` path (the annotation is next to it).
///
/// # Errors
/// [`EvalError::Io`] or [`EvalError::Case`].
pub fn read(path: &Path) -> Result<Case, EvalError> {
    let io = |e: std::io::Error, p: &Path| EvalError::Io {
        path: p.to_path_buf(),
        message: e.to_string(),
    };
    let text = std::fs::read_to_string(path).map_err(|e| io(e, path))?;
    let (date, template, spoken, notes) = parse_text(path, &text)?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| bad(path, "no file name"))?
        .to_owned();
    let toml_path = path.with_file_name(format!("{stem}.expected.toml"));
    let raw = std::fs::read_to_string(&toml_path).map_err(|e| io(e, &toml_path))?;
    let expected: Expected = toml::from_str(&raw).map_err(|e| bad(&toml_path, e.to_string()))?;
    Ok(Case {
        name: stem,
        date,
        template,
        spoken,
        notes,
        expected,
    })
}

/// Every case in `dir` (files ending in `.txt`), sorted by name.
///
/// # Errors
/// As [`read`], or [`EvalError::Io`] when the directory cannot be listed.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|e| EvalError::Io {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}
