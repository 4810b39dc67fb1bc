//! Whose income an amount is: "Zoon verdient zelf ca. 1.900 p.m.", "Mijn partner Sofie. Zij
//! werkt in een rusthuis en verdient 1.650 euro per maand." A household member's income is part
//! of the household's means, but it is theirs: the draft names them instead of putting the
//! amount down as the client's own income.
//!
//! The subject nearest before the amount decides: "ik" (the speaker's own), a household
//! relation word (with the name after it), or "zij"/"hij" of someone who speaks of themselves,
//! which points at the relation named last before it in the same turn. Benefits paid for a
//! child (groeipakket, kinderbijslag) are the parent's and get no earner. Someone said to live
//! elsewhere ("Zoon (22) woont op kamers") is no household member: their income is no part
//! of the household's means ([`lives_elsewhere`]).

use super::Sentence;
use crate::fact::Speaker;
use crate::kin;

/// Income cues that someone earns or receives for themselves.
const EARNED: &[&str] = &[
    "verdien",
    "loon",
    "salaris",
    "pensioen",
    "aow",
    "uitkering",
    "werkloosheid",
    "ziekte",
    "invaliditeit",
    "leefloon",
    "netto",
];

/// Who else than the client earns the income whose amount starts at token `at` of sentence
/// `index` (with its cue word at `cue`): the relation and name as said ("partner Sofie").
pub(crate) fn earner(
    sentences: &[Sentence<'_>],
    index: usize,
    at: usize,
    cue: Option<usize>,
) -> Option<String> {
    let s = &sentences[index];
    let cue = cue?;
    if !EARNED.iter().any(|e| s.tokens[cue].lower.starts_with(e))
        || s.tokens.iter().any(|t| t.lower == "samen")
    {
        return None;
    }
    let first_person = matches!(
        s.seg.speaker,
        Speaker::Client | Speaker::Other | Speaker::Unknown
    );
    for k in (0..at).rev() {
        let w = s.tokens[k].lower.as_str();
        if matches!(w, "ik" | "we" | "wij") {
            return None;
        }
        if let Some(named) = relation_at(s, k) {
            return Some(named);
        }
        if first_person && matches!(w, "zij" | "ze" | "hij") {
            return named_before(sentences, index, k);
        }
    }
    None
}

/// A household relation at token `k`, with a capitalised name right after it.
fn relation_at(s: &Sentence<'_>, k: usize) -> Option<String> {
    let word = &s.tokens[k].lower;
    let relation = kin::kin(word).filter(|r| r.household && !r.several)?;
    let name = s
        .tokens
        .get(k + 1)
        .filter(|t| t.is_capitalised() && !t.is_numeric())
        .map(|t| format!(" {}", t.raw))
        .unwrap_or_default();
    Some(format!("{}{name}", relation.relation))
}

/// The relation named last before token `k` of sentence `index`, in that sentence or the one
/// before it in the same turn.
fn named_before(sentences: &[Sentence<'_>], index: usize, k: usize) -> Option<String> {
    let here = &sentences[index];
    if let Some(found) = (0..k).rev().find_map(|j| relation_at(here, j)) {
        return Some(found);
    }
    let before = sentences.get(index.checked_sub(1)?)?;
    if before.seg.id != here.seg.id {
        return None;
    }
    (0..before.tokens.len())
        .rev()
        .find_map(|j| relation_at(before, j))
}

/// Whether the relation that starts `earner` ("zoon", "partner Sofie") is said anywhere in the
/// conversation to live elsewhere ("Zoon (22) woont op kamers in Utrecht").
pub(crate) fn lives_elsewhere(sentences: &[Sentence<'_>], earner: &str) -> bool {
    let relation = earner.split(' ').next().unwrap_or_default();
    sentences.iter().any(|s| {
        s.tokens
            .iter()
            .enumerate()
            .any(|(k, t)| kin::base(&t.lower) == relation && super::people::elsewhere(s, k))
    })
}
