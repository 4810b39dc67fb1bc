//! Filling a template from a conversation: classify utterances into sections, place facts in
//! fields, and draft sentences that are either a filled pattern or a verbatim excerpt.
//!
//! Every sentence carries the ids of the segments it came from; a sentence without a source
//! cannot be made. Analysis, proposal and decision sections (`drafting = "worker"`) are never
//! drafted.

use std::collections::HashMap;

use extract::token::{Token, tokenize};
use extract::{Fact, Frame, Segment, Speaker};
use serde::{Deserialize, Serialize};

use crate::model::{Drafting, Field, FieldKind, Section, Template};
use crate::sentences::sentence;

/// Why an utterance was put in a section: the terms that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// Segment id.
    pub segment: u32,
    /// Section id, or `None` when no section's terms matched.
    pub section: Option<String>,
    /// The section terms found in the utterance.
    pub matched: Vec<String>,
}

/// Where a draft sentence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A template pattern filled with an extracted fact.
    Pattern,
    /// A verbatim excerpt in quotation marks, attributed to its speaker.
    Excerpt,
}

/// One proposed sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSentence {
    /// Field it fills.
    pub field: String,
    /// The sentence.
    pub text: String,
    /// Segments it came from; never empty.
    pub sources: Vec<u32>,
    /// Pattern or excerpt.
    pub origin: Origin,
    /// The fact frame a frame sentence states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<Frame>,
}

/// The proposed content of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSection {
    /// Section id.
    pub id: String,
    /// Section title.
    pub title: String,
    /// How the section may be drafted.
    pub drafting: Drafting,
    /// Proposed sentences (empty for worker sections).
    pub sentences: Vec<DraftSentence>,
}

/// A draft: proposals only, until the worker reviews and validates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Template id.
    pub template: String,
    /// Template version.
    pub version: u32,
    /// SHA-256 of the template file.
    pub template_sha256: String,
    /// Sections in template order.
    pub sections: Vec<DraftSection>,
    /// Facts no field took: shown to the worker, never put in the text.
    pub unplaced: Vec<Fact>,
    /// Frames no section asks for: left out, never guessed into a section.
    pub left_out: Vec<Frame>,
    /// Why each utterance went where it went.
    pub classifications: Vec<Classification>,
}

impl Draft {
    /// Every sentence of the draft.
    pub fn sentences(&self) -> impl Iterator<Item = &DraftSentence> {
        self.sections.iter().flat_map(|s| s.sentences.iter())
    }
}

/// Whether a term word matches a token: short words exactly, longer ones as a prefix
/// ("huur" matches "huurachterstal", "man" does not match "manier").
fn word_matches(term: &str, token: &str) -> bool {
    if term.chars().count() <= 3 {
        token == term
    } else {
        token.starts_with(term)
    }
}

/// The template's section terms and field cues, each split into words once per drafting run
/// (not once per utterance and term).
struct Lexicon<'t> {
    words: HashMap<&'t str, Vec<String>>,
}

impl<'t> Lexicon<'t> {
    fn new(template: &'t Template) -> Self {
        let words = template
            .sections
            .iter()
            .flat_map(|s| {
                s.terms
                    .iter()
                    .chain(s.fields.iter().flat_map(|f| f.cues.iter()))
            })
            .map(|t| {
                (
                    t.as_str(),
                    tokenize(t).into_iter().map(|t| t.lower).collect(),
                )
            })
            .collect();
        Self { words }
    }

    /// Whether `term` occurs in `tokens` as consecutive matching words.
    fn occurs(&self, term: &str, tokens: &[Token<'_>]) -> bool {
        let Some(words) = self.words.get(term).filter(|w| !w.is_empty()) else {
            return false;
        };
        tokens.windows(words.len()).any(|w| {
            w.iter()
                .zip(words)
                .all(|(t, term)| word_matches(term, &t.lower))
        })
    }
}

/// Assigns every segment to the drafted section whose terms it matches most (ties: the earlier
/// section), or to none.
pub fn classify(template: &Template, segments: &[Segment]) -> Vec<Classification> {
    let tokens: Vec<Vec<Token<'_>>> = segments.iter().map(|s| tokenize(&s.text)).collect();
    classify_tokens(template, &Lexicon::new(template), segments, &tokens)
}

fn classify_tokens(
    template: &Template,
    lexicon: &Lexicon<'_>,
    segments: &[Segment],
    tokens: &[Vec<Token<'_>>],
) -> Vec<Classification> {
    segments
        .iter()
        .zip(tokens)
        .map(|(seg, tokens)| {
            let best = template
                .sections
                .iter()
                .filter(|s| s.drafting != Drafting::Worker)
                .map(|s| {
                    let matched: Vec<String> = s
                        .terms
                        .iter()
                        .filter(|t| lexicon.occurs(t, tokens))
                        .cloned()
                        .collect();
                    (s, matched)
                })
                .filter(|(_, m)| !m.is_empty())
                .fold(None::<(&Section, Vec<String>)>, |best, (s, m)| match best {
                    Some((bs, bm)) if bm.len() >= m.len() => Some((bs, bm)),
                    _ => Some((s, m)),
                });
            Classification {
                segment: seg.id,
                section: best.as_ref().map(|(s, _)| s.id.clone()),
                matched: best.map(|(_, m)| m).unwrap_or_default(),
            }
        })
        .collect()
}

/// Picks the field for a fact: a field whose cues occur in the fact's utterances and whose
/// section the utterance was classified in is best; then cues alone; then a cue-less field of the
/// utterance's section; then the template's only cue-less field of that kind. Otherwise none.
fn place<'t>(
    template: &'t Template,
    lexicon: &Lexicon<'_>,
    fact: &Fact,
    segments: &[Segment],
    tokens: &[Vec<Token<'_>>],
    classes: &[Classification],
) -> Option<(&'t Section, &'t Field)> {
    let kind = fact.value.kind();
    let source_tokens: Vec<&Vec<Token<'_>>> = segments
        .iter()
        .zip(tokens)
        .filter(|(s, _)| fact.sources.contains(&s.id))
        .map(|(_, t)| t)
        .collect();
    let in_section = |section: &Section| {
        classes
            .iter()
            .any(|c| fact.sources.contains(&c.segment) && c.section.as_deref() == Some(&section.id))
    };
    let candidates: Vec<(&Section, &Field)> = template
        .sections
        .iter()
        .filter(|s| s.drafting != Drafting::Worker)
        .flat_map(|s| s.fields.iter().map(move |f| (s, f)))
        .filter(|(_, f)| f.pattern.is_some() && f.kind.fact_kind() == Some(kind))
        .collect();
    let cue_hit = |f: &Field| {
        !f.cues.is_empty()
            && f.cues
                .iter()
                .any(|c| source_tokens.iter().any(|t| lexicon.occurs(c, t)))
    };
    let ranked = |want_cue: bool, want_section: bool| {
        candidates.iter().copied().find(|(s, f)| {
            (!want_cue || cue_hit(f))
                && (!want_section || in_section(s))
                && (want_cue || f.cues.is_empty())
        })
    };
    ranked(true, true)
        .or_else(|| ranked(true, false))
        .or_else(|| ranked(false, true))
        .or_else(|| {
            let cueless: Vec<_> = candidates
                .iter()
                .filter(|(_, f)| f.cues.is_empty())
                .collect();
            match cueless.as_slice() {
                [only] => Some(**only),
                _ => None,
            }
        })
}

fn push_unique(sentences: &mut Vec<DraftSentence>, new: DraftSentence) {
    match sentences
        .iter_mut()
        .find(|s| s.text == new.text && s.field == new.field)
    {
        Some(existing) => {
            for id in new.sources {
                if !existing.sources.contains(&id) {
                    existing.sources.push(id);
                }
            }
        }
        None => sentences.push(new),
    }
}

/// Drafts `template` from a conversation's `segments`, the `facts` extracted from them and the
/// fact `frames` filled from them.
pub fn draft(template: &Template, segments: &[Segment], facts: &[Fact], frames: &[Frame]) -> Draft {
    let lexicon = Lexicon::new(template);
    let tokens: Vec<Vec<Token<'_>>> = segments.iter().map(|s| tokenize(&s.text)).collect();
    let classes = classify_tokens(template, &lexicon, segments, &tokens);
    let mut sections: Vec<DraftSection> = template
        .sections
        .iter()
        .map(|s| DraftSection {
            id: s.id.clone(),
            title: s.title.clone(),
            drafting: s.drafting,
            sentences: Vec::new(),
        })
        .collect();
    let mut unplaced = Vec::new();
    for fact in facts {
        let placed = place(template, &lexicon, fact, segments, &tokens, &classes).and_then(
            |(section, field)| {
                let text = field.pattern.as_ref()?.fill(|slot| fact.value.slot(slot))?;
                Some((section, field, text))
            },
        );
        match placed {
            Some((section, field, text)) if !fact.sources.is_empty() => {
                if let Some(ds) = sections.iter_mut().find(|d| d.id == section.id) {
                    push_unique(
                        &mut ds.sentences,
                        DraftSentence {
                            field: field.id.clone(),
                            text,
                            sources: fact.sources.clone(),
                            origin: Origin::Pattern,
                            frame: None,
                        },
                    );
                }
            }
            _ => unplaced.push(fact.clone()),
        }
    }
    // Verbatim excerpts: statements (not questions) classified into a section that quotes.
    for (section, ds) in template.sections.iter().zip(sections.iter_mut()) {
        let excerpt_field = section.fields.iter().find(|f| f.kind == FieldKind::Excerpt);
        let Some(field) = excerpt_field.filter(|_| section.drafting != Drafting::Worker) else {
            continue;
        };
        for seg in segments {
            let here = classes
                .iter()
                .any(|c| c.segment == seg.id && c.section.as_deref() == Some(&section.id));
            let text = seg.text.trim();
            if !here
                || text.ends_with('?')
                || text.is_empty()
                || matches!(seg.speaker, Speaker::Worker | Speaker::Unknown)
            {
                continue;
            }
            push_unique(
                &mut ds.sentences,
                DraftSentence {
                    field: field.id.clone(),
                    text: format!("{}: “{text}”", seg.speaker.attribution()),
                    sources: vec![seg.id],
                    origin: Origin::Excerpt,
                    frame: None,
                },
            );
        }
    }
    let left_out = place_frames(template, frames, &mut sections);
    Draft {
        template: template.id.clone(),
        version: template.version,
        template_sha256: template.sha256.clone(),
        sections,
        unplaced,
        left_out,
        classifications: classes,
    }
}

/// Puts each frame's sentence in the section that asks for its kind; returns the frames no
/// section asks for.
fn place_frames(
    template: &Template,
    frames: &[Frame],
    sections: &mut [DraftSection],
) -> Vec<Frame> {
    let mut left_out = Vec::new();
    for frame in frames {
        let home = template
            .sections
            .iter()
            .position(|s| s.drafting != Drafting::Worker && s.frames.contains(&frame.kind));
        let text = sentence(frame, template.audience);
        match (home, text) {
            (Some(i), Some(text)) if !frame.sources.is_empty() => push_unique(
                &mut sections[i].sentences,
                DraftSentence {
                    field: format!("frame:{}", frame.kind.name()),
                    text,
                    sources: frame.sources.clone(),
                    origin: Origin::Pattern,
                    frame: Some(frame.clone()),
                },
            ),
            _ => left_out.push(frame.clone()),
        }
    }
    left_out
}
