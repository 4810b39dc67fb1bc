//! Actions agreed in a conversation: who does what, by when.
//!
//! An action is recognised only from explicit commitment phrases ("ik bel", "u brengt",
//! "kunt u … bezorgen", in notes "MW belt", "cliënt brengt"); its text is the sentence
//! verbatim and its due date the first date in that sentence.

use crate::fact::{Fact, FactValue, Owner, Segment, Speaker};
use crate::scan::phrase_at;
use crate::token::{Token, sentences};

/// Words that undo a commitment in its own clause ("Ik bel de huisbaas niet meer").
pub(crate) const NEGATIONS: &[&str] = &["niet", "nooit"];

/// Verbs that make "ik zal …" / "ik ga …" / "u moet …" an action.
const ACTION_VERBS: &[&str] = &[
    "bellen",
    "opbellen",
    "sturen",
    "doorsturen",
    "opsturen",
    "mailen",
    "vragen",
    "aanvragen",
    "contacteren",
    "regelen",
    "nakijken",
    "opzoeken",
    "maken",
    "binnenbrengen",
    "meebrengen",
    "brengen",
    "bezorgen",
    "langskomen",
    "afspreken",
    "opvolgen",
    "invullen",
    "tekenen",
    "ondertekenen",
    "betalen",
    "indienen",
    "inschrijven",
    "aanmelden",
    "doorgeven",
    "bespreken",
    "laten",
    "opvragen",
    "voorleggen",
    "uitzoeken",
];

type Trigger = (&'static [&'static str], Owner, bool);

/// (phrase, owner, needs an action verb later in the sentence)
const WORKER_SAYS: &[Trigger] = &[
    (&["ik", "bel"], Owner::Worker, false),
    (&["ik", "stuur"], Owner::Worker, false),
    (&["ik", "mail"], Owner::Worker, false),
    (&["ik", "contacteer"], Owner::Worker, false),
    (&["ik", "neem", "contact"], Owner::Worker, false),
    (&["ik", "vraag"], Owner::Worker, false),
    (&["ik", "regel"], Owner::Worker, false),
    (&["ik", "maak"], Owner::Worker, false),
    (&["ik", "kijk"], Owner::Worker, false),
    (&["ik", "zal"], Owner::Worker, true),
    (&["ik", "ga"], Owner::Worker, true),
    (&["u", "brengt"], Owner::Client, false),
    (&["u", "bezorgt"], Owner::Client, false),
    (&["u", "stuurt"], Owner::Client, false),
    (&["u", "belt"], Owner::Client, false),
    (&["u", "vraagt"], Owner::Client, false),
    (&["u", "moet"], Owner::Client, true),
    (&["u", "gaat"], Owner::Client, false),
    (&["u", "komt"], Owner::Client, false),
    (&["ik", "meld"], Owner::Worker, false),
    (&["kunt", "u"], Owner::Client, true),
    (&["wilt", "u"], Owner::Client, true),
];

const CLIENT_SAYS: &[Trigger] = &[
    (&["ik", "breng"], Owner::Client, false),
    (&["ik", "bel"], Owner::Client, false),
    (&["ik", "stuur"], Owner::Client, false),
    (&["ik", "bezorg"], Owner::Client, false),
    (&["ik", "vraag"], Owner::Client, false),
    (&["ik", "zal"], Owner::Client, true),
    (&["ik", "ga"], Owner::Client, true),
];

const NOTE_SAYS: &[Trigger] = &[
    (&["mw"], Owner::Worker, true),
    (&["maatschappelijk", "werker"], Owner::Worker, true),
    (&["ik"], Owner::Worker, true),
    (&["cliënt"], Owner::Client, true),
    (&["client"], Owner::Client, true),
    (&["mevrouw"], Owner::Client, true),
    (&["meneer"], Owner::Client, true),
    (&["mijnheer"], Owner::Client, true),
];

/// Third-person verbs that make a note sentence an action ("MW belt", "cliënt brengt").
const NOTE_VERBS: &[&str] = &[
    "belt",
    "stuurt",
    "mailt",
    "contacteert",
    "vraagt",
    "regelt",
    "maakt",
    "brengt",
    "bezorgt",
    "bezorgd",
    "zal",
    "gaat",
    "neemt",
    "kijkt",
    "komt",
    "dient",
];

/// Finds actions in one segment; `dates` are the date facts already found in it.
pub fn find(seg: &Segment, tokens: &[Token<'_>], dates: &[Fact]) -> Vec<Fact> {
    let triggers = match seg.speaker {
        Speaker::Worker => WORKER_SAYS,
        Speaker::Client | Speaker::Other | Speaker::Unknown => CLIENT_SAYS,
        Speaker::Note => NOTE_SAYS,
    };
    let mut found = Vec::new();
    for range in sentences(&seg.text) {
        let in_sentence: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].start >= range.start && tokens[i].end <= range.end)
            .collect();
        let (Some(&first), Some(&last)) = (in_sentence.first(), in_sentence.last()) else {
            continue;
        };
        let hit = (first..=last).find_map(|i| {
            triggers.iter().find_map(|(words, owner, needs_verb)| {
                if !phrase_at(tokens, i, words) {
                    return None;
                }
                let rest = &tokens[i + words.len()..=last];
                // "Ik bel de huisbaas niet meer, dat heeft geen zin": no commitment.
                let clause_end = rest
                    .iter()
                    .position(|t| seg.text[t.end..].starts_with(','))
                    .map_or(rest.len(), |p| p + 1);
                if rest[..clause_end]
                    .iter()
                    .any(|t| NEGATIONS.contains(&t.lower.as_str()))
                {
                    return None;
                }
                let ok = if seg.speaker == Speaker::Note {
                    rest.first()
                        .is_some_and(|t| NOTE_VERBS.contains(&t.lower.as_str()))
                } else {
                    !needs_verb
                        || rest
                            .iter()
                            .any(|t| ACTION_VERBS.contains(&t.lower.as_str()))
                };
                ok.then_some(*owner)
            })
        });
        let Some(owner) = hit else {
            continue;
        };
        // Another participant's "ik bel …" is theirs; an unrecognised voice's belongs to nobody
        // yet.
        let owner = match seg.speaker {
            Speaker::Other => Owner::Participant,
            Speaker::Unknown => Owner::Unknown,
            _ => owner,
        };
        // A question is an action only as a request ("Kunt u … bezorgen?").
        let question = seg.text[range.clone()].trim_end().ends_with('?');
        let request = (first..=last)
            .any(|i| phrase_at(tokens, i, &["kunt", "u"]) || phrase_at(tokens, i, &["wilt", "u"]));
        if question && !request {
            continue;
        }
        let text = seg.text[range.clone()].trim();
        let text = text.trim_end_matches(['.', '!', ';']).trim();
        let due = dates
            .iter()
            .find(|d| d.span.start >= range.start && d.span.end <= range.end)
            .and_then(|d| match d.value {
                FactValue::Date { date } => Some(date),
                _ => None,
            });
        let start = range.start + seg.text[range.clone()].find(text).unwrap_or(0);
        found.push(Fact {
            value: FactValue::Action {
                owner,
                text: text.to_owned(),
                due,
            },
            sources: vec![seg.id],
            evidence: text.to_owned(),
            span: start..start + text.len(),
        });
    }
    found
}
