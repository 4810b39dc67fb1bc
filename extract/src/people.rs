//! People named in relation to the client ("mijn zoon Noah", "uw moeder", "haar ex-partner"),
//! and the relation words the age extractor uses to say whose age it is.

use crate::fact::{Fact, FactValue, Segment, Speaker};
use crate::kin;
use crate::scan::{adjacent, fact};
use crate::token::Token;

/// Possessives that make a relation the client's, by speaker: the client says "mijn", the worker
/// says "uw"; typed notes are in the third person; an unrecognised voice may be either one.
fn possessive_ok(word: &str, speaker: Speaker) -> bool {
    match speaker {
        Speaker::Client => matches!(word, "mijn" | "m'n" | "onze" | "ons"),
        Speaker::Worker => matches!(word, "uw" | "jouw" | "je"),
        Speaker::Note | Speaker::Other => {
            matches!(word, "zijn" | "z'n" | "haar" | "hun" | "mijn" | "uw")
        }
        Speaker::Unknown => matches!(word, "mijn" | "m'n" | "onze" | "ons" | "uw" | "jouw"),
    }
}

/// Words that look like names at the start of a clause but are not.
const NOT_NAMES: &[&str] = &[
    "De", "Het", "Een", "En", "Maar", "Die", "Dat", "Dit", "Ik", "U", "Hij", "Zij", "Ze", "We",
    "Wij", "Is", "Was", "Heeft", "Had", "Woont", "Komt", "Gaat", "Ook", "Nog", "Niet", "Al", "Wel",
];

/// Whether `tokens[i]` is a relation word naming one person ([`crate::kin::one`]) preceded by
/// a possessive that fits the speaker.
/// In notes, a partner after "met" is one too: "Samenwonend met partner Karim".
pub fn relation_at(tokens: &[Token<'_>], i: usize, speaker: Speaker) -> bool {
    if i == 0 || kin::one(&tokens[i].lower).is_none() {
        return false;
    }
    let before = tokens[i - 1].lower.as_str();
    let partner = matches!(
        kin::base(&tokens[i].lower),
        "partner" | "man" | "vrouw" | "echtgenoot" | "echtgenote"
    );
    possessive_ok(before, speaker) || (speaker == Speaker::Note && before == "met" && partner)
}

/// The relation `tokens[i]` names, in its base form ("dochtertje" → "dochter"); the word
/// itself when it is no kin word.
pub fn relation_name(tokens: &[Token<'_>], i: usize) -> String {
    kin::base(&tokens[i].lower).to_owned()
}

/// The first name right after a relation word, if there is one.
pub fn name_after(text: &str, tokens: &[Token<'_>], i: usize) -> Option<String> {
    let next = tokens.get(i + 1)?;
    let looks_like_name = next.is_capitalised()
        && next.raw.chars().all(|c| c.is_alphabetic() || c == '-')
        && next.raw.chars().count() >= 2
        && !NOT_NAMES.contains(&next.raw)
        && !crate::calendar::MONTHS.contains(&next.lower.as_str())
        && !crate::calendar::WEEKDAYS
            .iter()
            .any(|w| next.lower.starts_with(w));
    (looks_like_name && adjacent(text, tokens, i)).then(|| next.raw.to_owned())
}

/// Finds people in one segment.
pub fn find(seg: &Segment, tokens: &[Token<'_>]) -> Vec<Fact> {
    let mut found = Vec::new();
    for i in 1..tokens.len() {
        if !relation_at(tokens, i, seg.speaker) {
            continue;
        }
        let name = name_after(&seg.text, tokens, i);
        let last = if name.is_some() { i + 1 } else { i };
        found.push(fact(
            seg,
            tokens,
            i - 1,
            last,
            FactValue::Person {
                relation: relation_name(tokens, i),
                name,
            },
        ));
    }
    found
}
