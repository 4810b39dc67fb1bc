//! Household frames: who lives with the client (relation, first name, age), and the client's
//! own age.

use super::context::{any_word, clause};
use super::{Frame, FrameKind, FrameValue, Sentence};
use crate::durations;
use crate::fact::{FactValue, Speaker};
use crate::numbers::parse_words;
use crate::people;

/// Relations that make someone part of the client's household.
const HOUSEHOLD: &[&str] = &[
    "zoon",
    "dochter",
    "kind",
    "baby",
    "partner",
    "man",
    "vrouw",
    "echtgenoot",
    "echtgenote",
    "stiefzoon",
    "stiefdochter",
    "pleegzoon",
    "pleegdochter",
    "pleegkind",
];

/// Words that put a person outside the household now.
const ELSEWHERE: &[&str] = &[
    "overleden",
    "vroeger",
    "gescheiden",
    "buitenland",
    "woont",
    "woonde",
];

/// Whether `word` reads as a first name at token `k` (capitalised, not the sentence start).
fn name_at(s: &Sentence<'_>, k: usize) -> Option<String> {
    let t = s.tokens.get(k)?;
    let ok = k > 0
        && t.is_capitalised()
        && t.raw.chars().all(|c| c.is_alphabetic() || c == '-')
        && t.raw.chars().count() >= 2
        && !crate::calendar::MONTHS.contains(&t.lower.as_str())
        && !crate::calendar::WEEKDAYS
            .iter()
            .any(|w| t.lower.starts_with(w))
        && !matches!(
            t.raw,
            "CAW" | "OCMW" | "VDAB" | "MW" | "Mw" | "De" | "Het" | "Een" | "En" | "Ik" | "U"
        );
    ok.then(|| t.raw.to_owned())
}

/// An age right after a name: "Lotte (6)", "Lotte van zes", "Lotte, 6 jaar", "Lotte is 6".
fn age_after(s: &Sentence<'_>, k: usize) -> Option<u32> {
    let number = |j: usize| -> Option<u32> {
        let t = s.tokens.get(j)?;
        let n = if t.is_numeric() {
            t.raw.parse::<u32>().ok()?
        } else {
            u32::try_from(parse_words(&t.lower)?).ok()?
        };
        (1..=25).contains(&n).then_some(n)
    };
    let next = s.tokens.get(k + 1)?;
    match next.lower.as_str() {
        "van" | "is" | "wordt" => number(k + 2),
        _ => {
            let gap = &s.seg.text[s.tokens[k].end..next.start];
            let after_unit = s
                .tokens
                .get(k + 2)
                .is_some_and(|u| matches!(u.lower.as_str(), "jaar" | "j" | "jr"));
            if gap.contains('(') || after_unit {
                number(k + 1)
            } else {
                None
            }
        }
    }
}

/// Household and client-age frames of every sentence.
pub(crate) fn find(sentences: &[Sentence<'_>]) -> Vec<Frame> {
    let mut out = Vec::new();
    for s in sentences {
        if s.seg.speaker == Speaker::Worker && s.is_question() {
            continue;
        }
        let push = |kind, value, out: &mut Vec<Frame>| {
            out.push(Frame {
                kind,
                value,
                said_by: s.seg.speaker,
                sources: vec![s.seg.id],
                flag: None,
            });
        };
        let mut named: Vec<String> = Vec::new();
        for f in durations::find(s.seg, &s.tokens) {
            let FactValue::Age { years, who } = f.value else {
                continue;
            };
            if who == "cliënt" {
                push(FrameKind::ClientAge, FrameValue::Years { years }, &mut out);
                continue;
            }
            let mut words = who.split(' ');
            let relation = words.next().map(str::to_owned);
            let name = words.next().map(str::to_owned);
            if relation.as_deref().is_some_and(|r| HOUSEHOLD.contains(&r)) {
                named.extend(name.clone());
                push(
                    FrameKind::Household,
                    FrameValue::Member {
                        relation,
                        name,
                        age: Some(years),
                    },
                    &mut out,
                );
            }
        }
        for f in people::find(s.seg, &s.tokens) {
            let FactValue::Person { relation, name } = f.value else {
                continue;
            };
            if !HOUSEHOLD.contains(&relation.as_str()) {
                continue;
            }
            let at = s
                .tokens
                .iter()
                .position(|t| t.start >= f.span.start && t.lower == relation)
                .unwrap_or(0);
            if any_word(s, clause(s, at), ELSEWHERE) && !any_word(s, clause(s, at), &["bij"]) {
                continue;
            }
            let age = name
                .as_ref()
                .and_then(|_| age_after(s, at + 1))
                .or_else(|| age_after(s, at));
            if name.as_ref().is_some_and(|n| named.contains(n)) {
                continue;
            }
            named.extend(name.clone());
            push(
                FrameKind::Household,
                FrameValue::Member {
                    relation: Some(relation),
                    name,
                    age,
                },
                &mut out,
            );
        }
        // Children listed by name after a household word: "twee kinderen, Lotte (6) en Daan (9)".
        if s.has_stem(&["kind", "zoon", "zonen", "dochter", "gezin", "tweeling"]) {
            for k in 1..s.tokens.len() {
                let Some(name) = name_at(s, k) else {
                    continue;
                };
                let Some(age) = age_after(s, k) else {
                    continue;
                };
                if named.contains(&name) {
                    continue;
                }
                named.push(name.clone());
                push(
                    FrameKind::Household,
                    FrameValue::Member {
                        relation: None,
                        name: Some(name),
                        age: Some(age),
                    },
                    &mut out,
                );
            }
        }
    }
    out
}
