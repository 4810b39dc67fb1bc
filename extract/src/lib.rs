//! Deterministic Dutch fact extraction for Zorgvuldig.
//!
//! Input: the segments of a conversation (transcribed or typed), each with a speaker. Output:
//! typed [`Fact`]s, each carrying the ids of the segments it came from and the exact words it
//! rests on. Nothing is inferred beyond what was said: precision before recall, because a missing
//! fact is a gap the worker fills, and an invented fact is an incident.
//!
//! Extractors: amounts of money (also in words: "zevenhonderdvijftig euro" → € 750), dates and
//! weekdays resolved against the contact date, durations, ages, family relations with first
//! names, organisations from a [`Gazetteer`] that templates can extend, and actions with owner
//! and due date.

pub mod actions;
pub mod calendar;
pub mod dates;
pub mod durations;
pub mod fact;
pub mod frames;
pub mod gazetteer;
pub mod kin;
pub mod money;
pub mod numbers;
pub mod order;
pub mod people;
mod scan;
pub mod token;

pub use calendar::Date;
pub use fact::{Fact, FactKind, FactValue, Owner, Period, Segment, Speaker, TimeUnit};
pub use frames::{Flag, Frame, FrameKind, FrameValue};
pub use gazetteer::Gazetteer;

/// Extracts every fact from `segments` of a contact held on `contact`. Facts with the same value
/// are merged, keeping every source.
pub fn extract(segments: &[Segment], contact: Date, gazetteer: &Gazetteer) -> Vec<Fact> {
    let mut facts: Vec<Fact> = Vec::new();
    for seg in segments {
        let tokens = token::tokenize(&seg.text);
        let dates = dates::find(seg, &tokens, contact);
        let found = money::find(seg, &tokens)
            .into_iter()
            .chain(durations::find(seg, &tokens))
            .chain(people::find(seg, &tokens))
            .chain(gazetteer.find(seg, &tokens))
            .chain(actions::find(seg, &tokens, &dates))
            .chain(dates);
        for fact in found {
            merge(&mut facts, fact);
        }
    }
    facts
}

fn merge(facts: &mut Vec<Fact>, fact: Fact) {
    let same = facts
        .iter_mut()
        .find(|f| f.value == fact.value || unnamed_twin(&fact, f));
    match same {
        Some(existing) => {
            for s in fact.sources {
                if !existing.sources.contains(&s) {
                    existing.sources.push(s);
                }
            }
        }
        None => facts.push(fact),
    }
}

/// "mijn zoon" after "mijn zoon Noah": the same person, now without the name.
fn unnamed_twin(new: &Fact, existing: &Fact) -> bool {
    matches!(
        (&new.value, &existing.value),
        (FactValue::Person { relation: a, name: None }, FactValue::Person { relation: b, name: Some(_) })
            if a == b
    )
}
