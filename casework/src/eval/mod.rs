//! The drafting evaluation: every case drafted with the code the app runs on "Verslag
//! genereren" ([`crate::draft::drafted`]), scored against what a careful reader marked.
//!
//! Cases and scoring rules: `docs/eval-format.md`. The command is `zorgvuldig-eval DIR…`.

#[cfg(feature = "audio")]
pub mod audio;
pub mod case;
pub mod score;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use domain::transcript::Transcript;
use domain::{RecordId, Timestamp};
use templates::Template;

pub use case::{Case, load_dir};
pub use score::{CaseScore, Drafted, Outcome, score};

/// Why an evaluation could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A case file is malformed.
    #[error("{path}: {message}")]
    Case {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A case names a template that does not exist.
    #[error("case {case}: unknown template {template:?}")]
    UnknownTemplate {
        /// The case.
        case: String,
        /// The template id.
        template: String,
    },
    /// No record id could be made (no randomness).
    #[error("no record id: {0}")]
    Id(String),
}

/// Drafts `case` with the latest version of its template among `templates`, exactly as the app
/// does: typed notes become a notes transcript (one segment per sentence), spoken lines a
/// transcript with their speakers.
///
/// # Errors
/// [`EvalError::UnknownTemplate`], [`EvalError::Id`].
pub fn draft_case(case: &Case, templates: &[Template]) -> Result<Vec<Drafted>, EvalError> {
    let id = || RecordId::random().map_err(|e| EvalError::Id(e.to_string()));
    let contact = id()?;
    let mut spoken = Transcript::from_notes(id()?, contact, "", Timestamp(0));
    spoken.segments.clone_from(&case.spoken);
    draft_with(case, templates, (!case.spoken.is_empty()).then_some(spoken))
}

/// Drafts `case` with its typed notes and `spoken` in place of its spoken lines (a recording of
/// them, for instance), as [`draft_case`] does.
///
/// # Errors
/// [`EvalError::UnknownTemplate`], [`EvalError::Id`].
pub fn draft_with(
    case: &Case,
    templates: &[Template],
    spoken: Option<Transcript>,
) -> Result<Vec<Drafted>, EvalError> {
    let template = templates
        .iter()
        .filter(|t| t.id == case.template)
        .max_by_key(|t| t.version)
        .ok_or_else(|| EvalError::UnknownTemplate {
            case: case.name.clone(),
            template: case.template.clone(),
        })?;
    let id = || RecordId::random().map_err(|e| EvalError::Id(e.to_string()));
    let contact = spoken.as_ref().map_or(id()?, |t| t.contact);
    let now = Timestamp(0);
    let mut transcripts = Vec::new();
    if !case.notes.is_empty() {
        transcripts.push(Transcript::from_notes(
            id()?,
            contact,
            &case.notes.join("\n"),
            now,
        ));
    }
    transcripts.extend(spoken);
    let texts: Vec<(&Transcript, extract::Date)> =
        transcripts.iter().map(|t| (t, case.date)).collect();
    let all: Vec<&str> = transcripts
        .iter()
        .flat_map(|t| t.segments.iter().map(|s| s.text.as_str()))
        .collect();
    let (draft, _) = crate::draft::drafted(template, &texts);
    Ok(draft
        .sections
        .iter()
        .flat_map(|s| {
            let all = &all;
            s.sentences.iter().map(move |p| Drafted {
                section: s.id.clone(),
                text: p.text.clone(),
                sources: p
                    .sources
                    .iter()
                    .filter_map(|n| all.get((*n as usize).checked_sub(1)?))
                    .map(|t| (*t).to_owned())
                    .collect(),
                frame: p.frame.clone(),
            })
        })
        .collect())
}

/// Counts of one row of a table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Expected.
    pub expected: usize,
    /// Drafted (frames and actions).
    pub drafted: usize,
    /// Drafted right.
    pub correct: usize,
    /// Drafted wrong (value, section, owner or date).
    pub wrong: usize,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Correct => {
                self.expected += 1;
                self.drafted += 1;
                self.correct += 1;
            }
            Outcome::Wrong => {
                self.expected += 1;
                self.drafted += 1;
                self.wrong += 1;
            }
            Outcome::Missing => self.expected += 1,
            Outcome::Unexpected => self.drafted += 1,
        }
    }

    /// Correct / drafted.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.drafted)
    }

    /// Correct / expected.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.expected)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The result of a run over many cases.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Cases drafted.
    pub cases: usize,
    /// All facts and actions.
    pub total: Counts,
    /// Per kind.
    pub by_kind: BTreeMap<String, Counts>,
    /// Per section.
    pub by_section: BTreeMap<String, Counts>,
    /// Trap values drafted as facts.
    pub traps: usize,
    /// Trap values drafted, per kind of fact they were drafted as (a figure over all cases,
    /// which says where traps get through without showing any case).
    pub traps_by_kind: BTreeMap<String, usize>,
    /// Forbidden phrases found.
    pub forbidden: usize,
    /// Sentences without a source.
    pub unsourced: usize,
    /// Flags expected, found, and drafted without being expected.
    pub flags: (usize, usize, usize),
    /// Expected actions drafted without an owner (see [`CaseScore::ownerless`]).
    pub ownerless: usize,
    /// Per case, for `--verbose`.
    pub per_case: Vec<(String, CaseScore)>,
}

impl Report {
    /// Adds one case's score.
    pub fn add(&mut self, name: &str, s: CaseScore) {
        self.cases += 1;
        for l in &s.lines {
            self.total.add(&l.outcome);
            self.by_kind
                .entry(l.kind.clone())
                .or_default()
                .add(&l.outcome);
            self.by_section
                .entry(l.section.clone())
                .or_default()
                .add(&l.outcome);
        }
        self.traps += s.trap_hits.len();
        for kind in &s.trap_kinds {
            *self.traps_by_kind.entry(kind.clone()).or_default() += 1;
        }
        self.forbidden += s.forbidden_hits.len();
        self.unsourced += s.unsourced;
        self.flags.0 += s.flags_expected;
        self.flags.1 += s.flags_found;
        self.flags.2 += s.flags_unexpected;
        self.ownerless += s.ownerless;
        self.per_case.push((name.to_owned(), s));
    }

    /// Wrong / drafted.
    pub fn wrong_rate(&self) -> f64 {
        ratio(self.total.wrong, self.total.drafted)
    }

    /// The last line: `cases N precision P recall R wrong W traps T forbidden F unsourced U
    /// ownerless O`.
    pub fn summary(&self) -> String {
        format!(
            "cases {} precision {:.1} recall {:.1} wrong {:.1} traps {} forbidden {} unsourced {} \
             ownerless {}",
            self.cases,
            self.total.precision() * 100.0,
            self.total.recall() * 100.0,
            self.wrong_rate() * 100.0,
            self.traps,
            self.forbidden,
            self.unsourced,
            self.ownerless
        )
    }
}

/// Drafts and scores every case.
///
/// # Errors
/// As [`draft_case`].
pub fn evaluate(cases: &[Case], templates: &[Template]) -> Result<Report, EvalError> {
    let mut report = Report::default();
    for case in cases {
        let drafted = draft_case(case, templates)?;
        report.add(&case.name, score(case, &drafted));
    }
    Ok(report)
}

fn table(f: &mut fmt::Formatter<'_>, title: &str, rows: &BTreeMap<String, Counts>) -> fmt::Result {
    writeln!(
        f,
        "{title:<20} {:>8} {:>8} {:>8} {:>6} {:>10} {:>8}",
        "expected", "drafted", "correct", "wrong", "precision", "recall"
    )?;
    for (name, c) in rows {
        writeln!(
            f,
            "{name:<20} {:>8} {:>8} {:>8} {:>6} {:>9.1}% {:>7.1}%",
            c.expected,
            c.drafted,
            c.correct,
            c.wrong,
            c.precision() * 100.0,
            c.recall() * 100.0
        )?;
    }
    Ok(())
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        table(f, "kind", &self.by_kind)?;
        writeln!(f)?;
        table(f, "section", &self.by_section)?;
        writeln!(f)?;
        writeln!(
            f,
            "flags: {} expected, {} found, {} drafted unexpected",
            self.flags.0, self.flags.1, self.flags.2
        )?;
        if !self.traps_by_kind.is_empty() {
            let kinds: Vec<String> = self
                .traps_by_kind
                .iter()
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            writeln!(f, "traps by kind: {}", kinds.join(", "))?;
        }
        write!(f, "{}", self.summary())
    }
}
