//! Reports: a draft the worker reviews sentence by sentence, then validates.
//!
//! - Every sentence is a proposal (with the transcript segments it came from) or written by the
//!   worker. A proposal is marked when reviewed: accepted as is, or changed. Edits keep their
//!   history; the original proposal is kept.
//! - Validation is refused while any proposal is unreviewed. A validated report is immutable; a
//!   correction is a new version that points to the one it supersedes.
//! - Every report carries its AI-use disclosure ([`Report::disclosure`]), computed from what
//!   actually happened, never typed by hand.

use serde::{Deserialize, Serialize};

use crate::{RecordId, Timestamp};

mod client;

/// Longest accepted sentence, in characters.
pub const MAX_SENTENCE_CHARS: usize = 5_000;

/// The template version a report was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateRef {
    /// Template id.
    pub id: String,
    /// Template version.
    pub version: u32,
    /// SHA-256 of the template file.
    pub sha256: String,
    /// Document title.
    pub title: String,
}

/// A section heading of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Section id (from the template).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Whether only the worker writes here.
    pub worker_only: bool,
}

/// What the worker did with a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// "AI-voorstel aanvaard": the proposal as it was.
    Accepted,
    /// "AI-voorstel aangepast": the proposal, changed by the worker.
    Changed,
    /// "Zelf geschreven".
    Written,
}

impl Mark {
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Accepted => "AI-voorstel aanvaard",
            Self::Changed => "AI-voorstel aangepast",
            Self::Written => "zelf geschreven",
        }
    }
}

/// Where a proposed sentence came from: one segment of one transcript. Transcripts belong to
/// contacts, so a report can cite earlier contacts of the dossier, and each source disappears
/// with its own contact's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The transcript.
    pub transcript: RecordId,
    /// The segment within it.
    pub segment: u32,
}

/// An earlier text of a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// The text before the change.
    pub text: String,
    /// When it was replaced.
    pub replaced_at: Timestamp,
}

/// One sentence of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentence {
    /// Id, unique within the report.
    pub id: u32,
    /// Section id.
    pub section: String,
    /// Current text.
    pub text: String,
    /// Transcript segments it came from (empty for sentences the worker wrote).
    pub sources: Vec<Source>,
    /// The proposal as drafted, for proposals.
    pub proposal: Option<String>,
    /// Review state; `None` is an unreviewed proposal.
    pub mark: Option<Mark>,
    /// Its sources were destroyed after the client revoked consent: the worker must check it.
    #[serde(default)]
    pub source_removed: bool,
    /// What the worker must check before accepting the proposal (two readings of a date, a
    /// corrected figure), in Dutch; the draft chose neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// Earlier texts, oldest first.
    pub history: Vec<Revision>,
}

/// What was used to make the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiUse {
    /// The conversation was recorded.
    pub recording: bool,
    /// It was transcribed on the device; the model and its version.
    pub transcription_model: Option<String>,
    /// The draft was made by extraction; the extractor version.
    pub drafting: Option<String>,
}

/// Who validated, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    /// The professional's name.
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// A report about one contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Record id.
    pub id: RecordId,
    /// The contact it reports on.
    pub contact: RecordId,
    /// The dossier.
    pub dossier: RecordId,
    /// Template version used.
    pub template: TemplateRef,
    /// Section headings in order.
    pub sections: Vec<ReportSection>,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// What was used.
    pub ai: AiUse,
    /// Set once validated; the report is immutable from then on.
    pub validated: Option<Validation>,
    /// Report version: 1, then 2 for a correction of 1, and so on.
    pub version: u32,
    /// The validated report this one corrects.
    pub supersedes: Option<RecordId>,
    /// When the sources were removed after consent was revoked (validated reports stay).
    pub sources_removed_at: Option<Timestamp>,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A proposed sentence handed to [`Report::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Section id.
    pub section: String,
    /// Text.
    pub text: String,
    /// Source segments; a proposal without a source is refused.
    pub sources: Vec<Source>,
    /// What the worker must check before accepting it, if anything.
    pub check: Option<String>,
}

/// Why a report change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The report is validated: make a correction instead.
    #[error("the report is validated and cannot change; make a correction")]
    Validated,
    /// No sentence with that id.
    #[error("no sentence {0}")]
    NoSentence(u32),
    /// The sentence was written by the worker, not drafted.
    #[error("sentence {0} was not drafted")]
    NotDrafted(u32),
    /// No section with that id, or the section is not in the template.
    #[error("no section {0:?}")]
    NoSection(String),
    /// Empty or overlong sentence text.
    #[error("a sentence must have 1 to {MAX_SENTENCE_CHARS} characters")]
    BadText,
    /// A proposal without a source.
    #[error("a proposed sentence needs a source")]
    Unsourced,
    /// A proposal in a section only the worker writes.
    #[error("section {0:?} is written by the worker only")]
    WorkerOnly(String),
    /// Validation with unreviewed proposals.
    #[error("{} proposed sentence(s) are not reviewed yet", .0.len())]
    Unreviewed(Vec<u32>),
    /// Accepting a proposal whose source was destroyed: change it (it becomes the worker's
    /// sentence) or remove it.
    #[error("the source of sentence {0} was removed after revocation; change or remove it")]
    SourceRemoved(u32),
    /// Validation without the professional's name.
    #[error("the validating professional's name is required")]
    NoValidator,
    /// A correction of a report that is not validated.
    #[error("only a validated report can be corrected")]
    NotValidated,
}

fn check_text(text: &str) -> Result<String, ReportError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_SENTENCE_CHARS {
        return Err(ReportError::BadText);
    }
    Ok(text.to_owned())
}

/// The disclosure every report carries, as computed from the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// Lines of Dutch text, in order.
    pub lines: Vec<String>,
}

impl Report {
    /// A draft report from proposals (or none: the alternative path, written by hand).
    ///
    /// # Errors
    /// [`ReportError::Unsourced`], [`ReportError::WorkerOnly`], [`ReportError::NoSection`] or
    /// [`ReportError::BadText`] for a proposal that may not be in a draft.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: RecordId,
        contact: RecordId,
        dossier: RecordId,
        template: TemplateRef,
        sections: Vec<ReportSection>,
        proposals: Vec<Proposal>,
        ai: AiUse,
        now: Timestamp,
    ) -> Result<Self, ReportError> {
        let mut report = Self {
            id,
            contact,
            dossier,
            template,
            sections,
            sentences: Vec::new(),
            ai,
            validated: None,
            version: 1,
            supersedes: None,
            sources_removed_at: None,
            created_at: now,
            updated_at: now,
        };
        for p in proposals {
            if p.sources.is_empty() {
                return Err(ReportError::Unsourced);
            }
            let section = report.section(&p.section)?;
            if section.worker_only {
                return Err(ReportError::WorkerOnly(p.section));
            }
            let text = check_text(&p.text)?;
            let id = report.next_id();
            report.sentences.push(Sentence {
                id,
                section: p.section,
                proposal: Some(text.clone()),
                text,
                sources: p.sources,
                mark: None,
                source_removed: false,
                check: p.check,
                history: Vec::new(),
            });
        }
        Ok(report)
    }

    fn section(&self, id: &str) -> Result<&ReportSection, ReportError> {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| ReportError::NoSection(id.to_owned()))
    }

    fn next_id(&self) -> u32 {
        self.sentences.iter().map(|s| s.id).max().unwrap_or(0) + 1
    }

    fn editable(&self) -> Result<(), ReportError> {
        if self.validated.is_some() {
            Err(ReportError::Validated)
        } else {
            Ok(())
        }
    }

    fn sentence_mut(&mut self, id: u32) -> Result<&mut Sentence, ReportError> {
        self.editable()?;
        self.sentences
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or(ReportError::NoSentence(id))
    }

    /// Accepts a proposal as it is.
    ///
    /// # Errors
    /// [`ReportError::Validated`], [`ReportError::NoSentence`] or [`ReportError::SourceRemoved`].
    pub fn accept(&mut self, id: u32, now: Timestamp) -> Result<(), ReportError> {
        let s = self.sentence_mut(id)?;
        if s.source_removed && s.mark.is_none() {
            return Err(ReportError::SourceRemoved(id));
        }
        if s.mark.is_none() {
            s.mark = Some(Mark::Accepted);
        }
        self.updated_at = now;
        Ok(())
    }

    /// Replaces a sentence's text, keeping the old one in its history. A proposal becomes
    /// "changed" (or "accepted" again if the text is back to the proposal).
    ///
    /// # Errors
    /// [`ReportError::Validated`], [`ReportError::NoSentence`] or [`ReportError::BadText`].
    pub fn edit(&mut self, id: u32, text: &str, now: Timestamp) -> Result<(), ReportError> {
        let text = check_text(text)?;
        let s = self.sentence_mut(id)?;
        if s.text != text {
            let old = std::mem::replace(&mut s.text, text);
            s.history.push(Revision {
                text: old,
                replaced_at: now,
            });
        }
        s.mark = Some(match &s.proposal {
            // Its source is gone: what stays is the worker's own sentence.
            _ if s.source_removed => Mark::Written,
            Some(p) if *p == s.text => Mark::Accepted,
            Some(_) => Mark::Changed,
            None => Mark::Written,
        });
        self.updated_at = now;
        Ok(())
    }

    /// Adds a sentence written by the worker at the end of a section; returns its id.
    ///
    /// # Errors
    /// [`ReportError::Validated`], [`ReportError::NoSection`] or [`ReportError::BadText`].
    pub fn write(&mut self, section: &str, text: &str, now: Timestamp) -> Result<u32, ReportError> {
        self.editable()?;
        self.section(section)?;
        let text = check_text(text)?;
        let id = self.next_id();
        let at = self
            .sentences
            .iter()
            .rposition(|s| s.section == section)
            .map_or_else(
                || {
                    // After the last sentence of any earlier section.
                    let order: Vec<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
                    let mine = order.iter().position(|s| *s == section).unwrap_or(0);
                    self.sentences
                        .iter()
                        .rposition(|s| {
                            order.iter().position(|o| *o == s.section).unwrap_or(0) < mine
                        })
                        .map_or(0, |i| i + 1)
                },
                |i| i + 1,
            );
        self.sentences.insert(
            at,
            Sentence {
                id,
                section: section.to_owned(),
                text,
                sources: Vec::new(),
                proposal: None,
                mark: Some(Mark::Written),
                source_removed: false,
                check: None,
                history: Vec::new(),
            },
        );
        self.updated_at = now;
        Ok(id)
    }

    /// Removes a sentence (a rejected proposal, or one the worker wrote).
    ///
    /// # Errors
    /// [`ReportError::Validated`] or [`ReportError::NoSentence`].
    pub fn remove(&mut self, id: u32, now: Timestamp) -> Result<(), ReportError> {
        self.sentence_mut(id)?;
        self.sentences.retain(|s| s.id != id);
        self.updated_at = now;
        Ok(())
    }

    /// Proposals not reviewed yet.
    pub fn unreviewed(&self) -> Vec<u32> {
        self.sentences
            .iter()
            .filter(|s| s.mark.is_none())
            .map(|s| s.id)
            .collect()
    }

    /// Validates the report: from now on it is the official text.
    ///
    /// # Errors
    /// [`ReportError::Unreviewed`] while a proposal is unreviewed, [`ReportError::NoValidator`]
    /// without a name, [`ReportError::Validated`] if already validated. Nothing changes then.
    pub fn validate(&mut self, by: &str, now: Timestamp) -> Result<(), ReportError> {
        self.editable()?;
        let unreviewed = self.unreviewed();
        if !unreviewed.is_empty() {
            return Err(ReportError::Unreviewed(unreviewed));
        }
        let by = by.trim();
        if by.is_empty() {
            return Err(ReportError::NoValidator);
        }
        self.validated = Some(Validation {
            by: by.to_owned(),
            at: now,
        });
        self.updated_at = now;
        Ok(())
    }

    /// Records that the transcripts in `removed` were destroyed after a revocation. Draft
    /// sentences citing them lose those sources and return to review, flagged; a validated
    /// report keeps its text and notes the removal in its disclosure. Returns the number of
    /// sentences affected.
    pub fn sources_destroyed(&mut self, removed: &[RecordId], now: Timestamp) -> u32 {
        let mut affected = 0;
        let validated = self.validated.is_some();
        for s in &mut self.sentences {
            let before = s.sources.len();
            if !validated {
                s.sources.retain(|src| !removed.contains(&src.transcript));
            }
            let cited = if validated {
                s.sources
                    .iter()
                    .any(|src| removed.contains(&src.transcript))
            } else {
                s.sources.len() != before
            };
            if cited {
                affected += 1;
                if !validated {
                    // The text came from the destroyed transcript (often word for word): it goes
                    // with it. The sentence keeps its place, flagged, for the worker to write
                    // again or remove.
                    s.source_removed = true;
                    s.mark = None;
                    s.text.clear();
                    s.history.clear();
                    if let Some(p) = s.proposal.as_mut() {
                        p.clear();
                    }
                }
            }
        }
        if affected > 0 {
            if validated {
                self.sources_removed_at.get_or_insert(now);
            } else {
                self.updated_at = now;
            }
        }
        affected
    }

    /// A new draft version correcting this validated report, with the same sentences (marks
    /// kept) for the worker to change.
    ///
    /// # Errors
    /// [`ReportError::NotValidated`].
    pub fn correction(&self, id: RecordId, now: Timestamp) -> Result<Self, ReportError> {
        if self.validated.is_none() {
            return Err(ReportError::NotValidated);
        }
        Ok(Self {
            id,
            validated: None,
            version: self.version + 1,
            supersedes: Some(self.id),
            created_at: now,
            updated_at: now,
            ..self.clone()
        })
    }

    /// Counts of sentences by mark: (accepted, changed, written, unreviewed).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let count = |m: Option<Mark>| self.sentences.iter().filter(|s| s.mark == m).count();
        (
            count(Some(Mark::Accepted)),
            count(Some(Mark::Changed)),
            count(Some(Mark::Written)),
            count(None),
        )
    }

    /// The AI-use disclosure, in Dutch; `moment` formats timestamps for the reader.
    pub fn disclosure(&self, moment: impl Fn(Timestamp) -> String) -> Disclosure {
        let mut lines = Vec::new();
        let (accepted, changed, written, unreviewed) = self.counts();
        let any_ai = self.ai.recording
            || self.ai.transcription_model.is_some()
            || self.ai.drafting.is_some();
        if any_ai {
            lines.push(
                "Bij dit verslag werd AI-ondersteuning gebruikt, met toestemming van de cliënt."
                    .into(),
            );
            lines.push(format!(
                "Opname van het gesprek: {}.",
                if self.ai.recording {
                    "ja, op het toestel van de maatschappelijk werker"
                } else {
                    "nee"
                }
            ));
            lines.push(match &self.ai.transcription_model {
                Some(m) => format!("Uitschrijven van de opname: ja, op het toestel, met {m}."),
                None => "Uitschrijven van de opname: nee.".into(),
            });
            lines.push(match &self.ai.drafting {
                Some(d) => format!(
                    "Ontwerp van het verslag: ja, door regelgebaseerde extractie ({d}) in het sjabloon \
                     {} versie {}; elke voorgestelde zin verwijst naar het gesprek.",
                    self.template.title, self.template.version
                ),
                None => "Ontwerp van het verslag: nee.".into(),
            });
            lines.push(format!(
                "Zinnen: {accepted} AI-voorstel(len) aanvaard, {changed} aangepast, {written} zelf geschreven."
            ));
        } else {
            lines.push(format!(
                "Bij dit verslag werd geen AI gebruikt: geen opname, geen uitschrijving, geen ontwerp. \
                 Het verslag is geschreven door de maatschappelijk werker (sjabloon {} versie {}).",
                self.template.title, self.template.version
            ));
        }
        if let Some(at) = self.sources_removed_at {
            lines.push(format!(
                "De opname en de uitschrijving werden verwijderd na intrekking van de toestemming ({}).",
                moment(at)
            ));
        }
        lines.push(match &self.validated {
            Some(v) => format!(
                "Nagelezen en gevalideerd door {} op {}; dit is de officiële versie {}.",
                v.by,
                moment(v.at),
                self.version
            ),
            None if unreviewed > 0 => format!(
                "ONTWERP – nog niet gevalideerd; {unreviewed} voorstel(len) nog niet nagelezen."
            ),
            None => "ONTWERP – nog niet gevalideerd door een professional.".into(),
        });
        Disclosure { lines }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Vec<ReportSection> {
        vec![
            ReportSection {
                id: "schulden".into(),
                title: "Schulden".into(),
                worker_only: false,
            },
            ReportSection {
                id: "voorstel".into(),
                title: "Voorstel".into(),
                worker_only: true,
            },
        ]
    }

    fn template() -> TemplateRef {
        TemplateRef {
            id: "sociaal-verslag".into(),
            version: 1,
            sha256: "ab".into(),
            title: "Sociaal verslag".into(),
        }
    }

    fn src(segment: u32) -> Source {
        Source {
            transcript: RecordId::from_bytes([7; 16]),
            segment,
        }
    }

    fn drafted() -> Report {
        let ids = || RecordId::random().unwrap();
        Report::new(
            ids(),
            ids(),
            ids(),
            template(),
            sections(),
            vec![
                Proposal {
                    check: None,
                    section: "schulden".into(),
                    text: "Vermeld bedrag: € 2.340.".into(),
                    sources: vec![src(2)],
                },
                Proposal {
                    check: None,
                    section: "schulden".into(),
                    text: "Betrokken dienst: OCMW.".into(),
                    sources: vec![src(7)],
                },
            ],
            AiUse {
                recording: false,
                transcription_model: None,
                drafting: Some("extract 0.1".into()),
            },
            Timestamp(1),
        )
        .unwrap()
    }

    fn t(s: Timestamp) -> String {
        format!("t{}", s.millis())
    }

    #[test]
    fn proposals_need_sources_and_stay_out_of_worker_sections() {
        let ids = || RecordId::random().unwrap();
        let unsourced = vec![Proposal {
            check: None,
            section: "schulden".into(),
            text: "x".into(),
            sources: vec![],
        }];
        let r = Report::new(
            ids(),
            ids(),
            ids(),
            template(),
            sections(),
            unsourced,
            AiUse::default(),
            Timestamp(1),
        );
        assert_eq!(r, Err(ReportError::Unsourced));
        let decision = vec![Proposal {
            check: None,
            section: "voorstel".into(),
            text: "Toekennen.".into(),
            sources: vec![src(1)],
        }];
        let r = Report::new(
            ids(),
            ids(),
            ids(),
            template(),
            sections(),
            decision,
            AiUse::default(),
            Timestamp(1),
        );
        assert_eq!(r, Err(ReportError::WorkerOnly("voorstel".into())));
    }

    #[test]
    fn validation_is_refused_until_every_proposal_is_reviewed() {
        let mut r = drafted();
        assert_eq!(
            r.validate("An Peeters", Timestamp(5)),
            Err(ReportError::Unreviewed(vec![1, 2]))
        );
        r.accept(1, Timestamp(2)).unwrap();
        r.edit(2, "Betrokken dienst: OCMW Gent.", Timestamp(3))
            .unwrap();
        assert_eq!(
            r.validate("  ", Timestamp(5)),
            Err(ReportError::NoValidator)
        );
        assert!(r.validated.is_none());
        r.validate("An Peeters", Timestamp(5)).unwrap();
        assert_eq!(r.validated.as_ref().unwrap().by, "An Peeters");
    }

    #[test]
    fn edits_keep_history_and_marks_follow_the_text() {
        let mut r = drafted();
        r.edit(1, "Vermeld bedrag: € 2.400.", Timestamp(2)).unwrap();
        let s = &r.sentences[0];
        assert_eq!(s.mark, Some(Mark::Changed));
        assert_eq!(s.history[0].text, "Vermeld bedrag: € 2.340.");
        assert_eq!(s.proposal.as_deref(), Some("Vermeld bedrag: € 2.340."));
        r.edit(1, "Vermeld bedrag: € 2.340.", Timestamp(3)).unwrap();
        assert_eq!(r.sentences[0].mark, Some(Mark::Accepted));
        assert_eq!(r.sentences[0].history.len(), 2);
        let id = r
            .write("voorstel", "Ik stel voor de huur te betalen.", Timestamp(4))
            .unwrap();
        let w = r.sentences.iter().find(|s| s.id == id).unwrap();
        assert_eq!((w.mark, w.sources.len()), (Some(Mark::Written), 0));
        assert_eq!(
            r.sentences.last().unwrap().id,
            id,
            "voorstel comes after schulden"
        );
    }

    #[test]
    fn validated_report_is_immutable_and_corrections_are_new_versions() {
        let mut r = drafted();
        r.accept(1, Timestamp(2)).unwrap();
        r.remove(2, Timestamp(2)).unwrap();
        r.validate("An", Timestamp(3)).unwrap();
        let frozen = r.clone();
        assert_eq!(
            r.edit(1, "anders", Timestamp(4)),
            Err(ReportError::Validated)
        );
        assert_eq!(
            r.write("schulden", "meer", Timestamp(4)),
            Err(ReportError::Validated)
        );
        assert_eq!(r.remove(1, Timestamp(4)), Err(ReportError::Validated));
        assert_eq!(r, frozen);
        let c = r
            .correction(RecordId::random().unwrap(), Timestamp(6))
            .unwrap();
        assert_eq!(
            (c.version, c.supersedes, c.validated.clone()),
            (2, Some(r.id), None)
        );
        assert_eq!(
            drafted().correction(RecordId::random().unwrap(), Timestamp(6)),
            Err(ReportError::NotValidated)
        );
    }

    #[test]
    fn disclosure_tells_what_was_used() {
        let mut r = drafted();
        let d = r.disclosure(t).lines.join("\n");
        assert!(d.contains("AI-ondersteuning"), "{d}");
        assert!(
            d.contains("ONTWERP – nog niet gevalideerd; 2 voorstel(len) nog niet nagelezen"),
            "{d}"
        );
        r.accept(1, Timestamp(2)).unwrap();
        r.edit(2, "Anders.", Timestamp(2)).unwrap();
        r.write("voorstel", "Zelf.", Timestamp(2)).unwrap();
        r.validate("An Peeters", Timestamp(9)).unwrap();
        let d = r.disclosure(t).lines.join("\n");
        assert!(
            d.contains("1 AI-voorstel(len) aanvaard, 1 aangepast, 1 zelf geschreven"),
            "{d}"
        );
        assert!(d.contains("gevalideerd door An Peeters op t9"), "{d}");
        assert!(d.contains("sjabloon Sociaal verslag versie 1"), "{d}");

        let ids = || RecordId::random().unwrap();
        let by_hand = Report::new(
            ids(),
            ids(),
            ids(),
            template(),
            sections(),
            vec![],
            AiUse::default(),
            Timestamp(1),
        )
        .unwrap();
        let d = by_hand.disclosure(t).lines.join("\n");
        assert!(d.contains("geen AI gebruikt"), "{d}");
    }
}
