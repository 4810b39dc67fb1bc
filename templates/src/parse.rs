//! Parsing and checking template files. Every error names the file and, where it can, the line.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use extract::FrameKind;

use crate::model::{Audience, Drafting, Field, FieldKind, Section, Template};
use crate::pattern::Pattern;

/// The newest template file format this build reads (it reads every format from 1). Format 2
/// adds `frames` to sections.
pub const FORMAT: u32 = 2;

/// One problem in one template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    /// File name.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for CheckError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    format: Spanned<u32>,
    id: Spanned<String>,
    version: Spanned<u32>,
    title: Spanned<String>,
    published: Spanned<String>,
    owner: Spanned<String>,
    reason: Spanned<String>,
    language: Spanned<String>,
    audience: Audience,
    #[serde(default)]
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    guidance: String,
    drafting: Spanned<Drafting>,
    terms: Option<Spanned<Vec<String>>>,
    frames: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    fields: Vec<RawField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: Spanned<String>,
    label: Spanned<String>,
    kind: Spanned<FieldKind>,
    cues: Option<Spanned<Vec<String>>>,
    pattern: Option<Spanned<String>>,
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<CheckError>,
}

impl Checker<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        self.text[..span.start.min(self.text.len())]
            .bytes()
            .filter(|b| *b == b'\n')
            .count()
            + 1
    }

    fn error(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let line = span.map(|s| self.line(s));
        self.errors.push(CheckError {
            file: self.file.to_owned(),
            line,
            message: message.into(),
        });
    }

    fn required(&mut self, value: &Spanned<String>, key: &str) {
        if value.get_ref().trim().is_empty() {
            self.error(Some(value.span()), format!("`{key}` must not be empty"));
        }
    }

    fn identifier(&mut self, value: &Spanned<String>, what: &str) {
        let ok = !value.get_ref().is_empty()
            && value
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            self.error(
                Some(value.span()),
                format!(
                    "{what} {:?} must be lowercase letters, digits, '-' or '_'",
                    value.get_ref()
                ),
            );
        }
    }

    /// Checks a list of lowercase terms and returns it (empty when absent).
    /// The frames a section asks for: known kinds, each in one section of the template only,
    /// never in a section the worker writes alone.
    fn frames(
        &mut self,
        frames: Option<Spanned<Vec<String>>>,
        drafting: Drafting,
        seen: &mut HashSet<FrameKind>,
    ) -> Vec<FrameKind> {
        let Some(frames) = frames else {
            return Vec::new();
        };
        let span = frames.span();
        if drafting == Drafting::Worker {
            self.error(
                Some(span),
                "this section is written by the worker only: it cannot have frames",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for name in frames.into_inner() {
            match FrameKind::from_name(&name) {
                Some(kind) if seen.insert(kind) => out.push(kind),
                Some(_) => self.error(
                    Some(span.clone()),
                    format!("frame {name:?} is already asked for by another section"),
                ),
                None => self.error(Some(span.clone()), format!("unknown frame {name:?}")),
            }
        }
        out
    }

    fn terms(&mut self, terms: Option<Spanned<Vec<String>>>, key: &str) -> Vec<String> {
        let Some(terms) = terms else {
            return Vec::new();
        };
        for term in terms.get_ref() {
            if term.trim().is_empty() || term.to_lowercase() != *term {
                self.error(
                    Some(terms.span()),
                    format!("`{key}` entry {term:?} must be non-empty lowercase text"),
                );
            }
        }
        terms.into_inner()
    }
}

/// Parses and checks one template file named `file` (for example `intakeverslag.v1.toml`).
///
/// # Errors
/// Every problem found, each with file and line where known.
pub fn parse(file: &str, text: &str) -> Result<Template, Vec<CheckError>> {
    let mut c = Checker {
        file,
        text,
        errors: Vec::new(),
    };
    let raw: RawTemplate = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            c.error(err.span(), err.message().trim().to_owned());
            return Err(c.errors);
        }
    };
    let format = *raw.format.get_ref();
    if !(1..=FORMAT).contains(&format) {
        c.error(
            Some(raw.format.span()),
            format!("format {format} is not supported (this build reads 1 to {FORMAT})"),
        );
    }
    c.identifier(&raw.id, "id");
    if *raw.version.get_ref() == 0 {
        c.error(Some(raw.version.span()), "version starts at 1");
    }
    let expected_name = format!("{}.v{}.toml", raw.id.get_ref(), raw.version.get_ref());
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    if base != expected_name {
        c.error(
            Some(raw.id.span()),
            format!("file must be named {expected_name} (one file per template version)"),
        );
    }
    for (value, key) in [
        (&raw.title, "title"),
        (&raw.owner, "owner"),
        (&raw.reason, "reason"),
        (&raw.language, "language"),
    ] {
        c.required(value, key);
    }
    if !extract::Date::is_iso(raw.published.get_ref()) {
        c.error(
            Some(raw.published.span()),
            "`published` must be a real date written YYYY-MM-DD",
        );
    }
    if raw.sections.is_empty() {
        c.error(None, "a template needs at least one [[sections]]");
    }

    let mut section_ids = HashSet::new();
    let mut field_ids = HashSet::new();
    let mut frame_kinds = HashSet::new();
    let mut sections = Vec::new();
    for rs in raw.sections {
        c.identifier(&rs.id, "section id");
        c.required(&rs.title, "title");
        if !section_ids.insert(rs.id.get_ref().clone()) {
            c.error(
                Some(rs.id.span()),
                format!("duplicate section id {:?}", rs.id.get_ref()),
            );
        }
        let drafting = *rs.drafting.get_ref();
        let terms = c.terms(rs.terms, "terms");
        if drafting != Drafting::Worker && terms.is_empty() {
            c.error(
                Some(rs.drafting.span()),
                "a drafted section needs `terms` (which utterances belong here)",
            );
        }
        if format < 2
            && let Some(f) = &rs.frames
        {
            c.error(Some(f.span()), "`frames` needs `format = 2`");
        }
        let frames = c.frames(rs.frames, drafting, &mut frame_kinds);
        let mut fields = Vec::new();
        for rf in rs.fields {
            c.identifier(&rf.id, "field id");
            c.required(&rf.label, "label");
            let cues = c.terms(rf.cues, "cues");
            if !field_ids.insert(rf.id.get_ref().clone()) {
                c.error(
                    Some(rf.id.span()),
                    format!("duplicate field id {:?}", rf.id.get_ref()),
                );
            }
            let kind = *rf.kind.get_ref();
            let pattern = match (&rf.pattern, drafting, kind.drafted()) {
                (Some(p), Drafting::Worker, _) => {
                    c.error(
                        Some(p.span()),
                        "this section is written by the worker only: it cannot have patterns",
                    );
                    None
                }
                (Some(p), _, false) => {
                    c.error(
                        Some(p.span()),
                        format!(
                            "fields of kind {} are filled by the worker: no pattern",
                            kind.name()
                        ),
                    );
                    None
                }
                (Some(p), _, true) => match Pattern::parse(p.get_ref(), kind.slots()) {
                    Ok(pattern) => Some(pattern),
                    Err(err) => {
                        c.error(Some(p.span()), format!("broken pattern: {err}"));
                        None
                    }
                },
                (None, Drafting::Facts, true) => {
                    c.error(
                        Some(rf.kind.span()),
                        format!(
                            "a {} field in a drafted section needs a `pattern`",
                            kind.name()
                        ),
                    );
                    None
                }
                (None, _, _) => None,
            };
            fields.push(Field {
                id: rf.id.into_inner(),
                label: rf.label.into_inner(),
                kind,
                cues,
                pattern,
            });
        }
        sections.push(Section {
            id: rs.id.into_inner(),
            title: rs.title.into_inner(),
            guidance: rs.guidance,
            drafting,
            terms,
            frames,
            fields,
        });
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Template {
        id: raw.id.into_inner(),
        version: raw.version.into_inner(),
        title: raw.title.into_inner(),
        published: raw.published.into_inner(),
        owner: raw.owner.into_inner(),
        reason: raw.reason.into_inner(),
        language: raw.language.into_inner(),
        audience: raw.audience,
        sections,
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// Checks a set of template files (name, text), including duplicate id and version across them.
///
/// # Errors
/// Every problem in every file.
pub fn check_files<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Template>, Vec<CheckError>> {
    let mut templates = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (file, text) in files {
        match parse(file, text) {
            Ok(t) => {
                if let Some((_, first)) = seen.iter().find(|(key, _)| *key == t.key()) {
                    errors.push(CheckError {
                        file: file.to_owned(),
                        line: None,
                        message: format!("{} is also defined in {first}", t.key()),
                    });
                } else {
                    seen.push((t.key(), file.to_owned()));
                    templates.push(t);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        templates.sort_by(|a, b| (&a.id, a.version).cmp(&(&b.id, b.version)));
        Ok(templates)
    } else {
        Err(errors)
    }
}
