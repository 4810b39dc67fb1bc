//! Action frames: who does what by when, flagged when the deadline lies before the contact or
//! its weekday does not match its date.
//!
//! Two rules find an action in a sentence:
//! - the commitment phrases of [`crate::actions`] ("ik bel", "u brengt", "kunt u … bezorgen");
//! - a subject that names an owner, followed by a verb, in a sentence that carries a deadline or
//!   is marked as an agreement ("Afspraak: dhr. brengt de brief binnen tegen donderdag",
//!   "Ik plan op maandag 11 januari een gesprek met Luuk").
//!
//! Typed notes count only with a deadline or an agreement marker: "Mevrouw komt langs samen met
//! haar partner" tells what happened, not what was agreed.

use super::talk::{Dated, dates_in, is_appointment};
use super::{Flag, Frame, FrameKind, FrameValue, Sentence, split};
use crate::actions;
use crate::calendar::Date;
use crate::fact::{Fact, FactValue, Owner, Segment, Speaker};

/// Words that open an agreement in notes: "Afspraak:", "afspr.", "Actie:".
const AGREED: &[&str] = &["afspraak", "afspraken", "afspr", "actie", "acties", "todo"];

/// Words that put a deadline or the near future in a sentence.
const FUTURE: &[&str] = &[
    "tegen",
    "uiterlijk",
    "morgen",
    "overmorgen",
    "binnen",
    "straks",
];

/// Verbs after a subject that state a situation, not a commitment.
const STATES: &[&str] = &[
    "is", "ben", "bent", "zijn", "was", "waren", "heeft", "heb", "hebt", "hebben", "had", "hadden",
    "weet", "vind", "vindt", "denk", "denkt", "woont", "woon", "voel", "voelt", "zit", "zou",
    "zouden", "wil", "wilt", "willen", "kan", "kon", "mag", "moest", "krijgt", "krijg", "verdient",
    "verdien", "vertelt", "vertel", "zegt", "zeg", "geeft", "vraagt", "vraag", "maakt", "werkt",
    "werk", "gaat", "akkoord", "kreeg", "kregen", "ging", "kwam", "zei", "dacht", "woonde",
    "werkte", "betaalde", "snap", "begrijp", "hoop", "mis",
];

/// Words right after a subject that are not a verb of doing.
const NOT_VERBS: &[&str] = &[
    "de", "het", "een", "en", "van", "in", "op", "met", "niet", "geen", "ook", "nog", "al", "dan",
    "dus", "u", "je", "ik", "we", "eind", "er", "dat", "die", "dit", "hier", "daar", "naar",
    "morgen", "vandaag", "volgende", "deze", "wel", "nu", "zelf", "graag", "echt", "heel", "zo",
    "maar", "vorige", "elke", "iedere", "alleen", "samen",
];

/// Modal and future verbs skipped to reach the verb of doing: "ik zal bellen", "u moet …".
const MODALS: &[&str] = &[
    "zal", "zullen", "gaat", "ga", "gaan", "moet", "moeten", "kan", "kunt", "kunnen", "wil",
    "wilt", "willen",
];

/// Requests in a worker's question: "Wilt u … meenemen?", "Kunnen jullie … mailen?", "Breng
/// je … mee?".
fn request(s: &Sentence<'_>) -> bool {
    let w = |k: usize| s.word(k);
    let addressee = |k: usize| matches!(w(k), "u" | "je" | "jij" | "jullie");
    matches!(s.seg.speaker, Speaker::Worker | Speaker::Unknown)
        && s.is_question()
        && (0..s.tokens.len().min(4)).any(|k| {
            (matches!(
                w(k),
                "wilt" | "kunt" | "kunnen" | "wil" | "kun" | "zou" | "zoudt"
            ) && addressee(k + 1))
                || (k == 0 && addressee(1) && !STATES.contains(&w(0)) && !MODALS.contains(&w(0)))
        })
}

/// Who a subject word names, for a sentence by `speaker`; `raw` keeps the case ("MW" is the
/// worker, "mw." is mevrouw).
fn owner_of(raw: &str, lower: &str, speaker: Speaker) -> Option<Owner> {
    match speaker {
        Speaker::Note => match lower {
            "mw" if raw == "MW" => Some(Owner::Worker),
            "ik" | "wij" | "we" | "consulent" | "wijkteam" | "maatschappelijk" => {
                Some(Owner::Worker)
            }
            "mw" | "mevrouw" | "meneer" | "mijnheer" | "dhr" | "cliënt" | "cliënte" | "cl"
            | "client" | "betrokkene" | "mevr" | "vader" | "moeder" | "ouders" => {
                Some(Owner::Client)
            }
            _ => None,
        },
        Speaker::Worker => match lower {
            "ik" | "wij" | "we" => Some(Owner::Worker),
            "u" | "je" | "jij" | "jullie" => Some(Owner::Client),
            _ => None,
        },
        Speaker::Client => match lower {
            "ik" | "wij" | "we" => Some(Owner::Client),
            _ => None,
        },
        Speaker::Other => match lower {
            "ik" | "wij" | "we" => Some(Owner::Participant),
            "u" | "je" | "jij" | "jullie" => Some(Owner::Client),
            _ => None,
        },
        // "Ik bel de huisbaas" by a voice nobody recognised: an action without an owner.
        Speaker::Unknown => match lower {
            "ik" | "wij" | "we" | "u" | "je" | "jij" | "jullie" => Some(Owner::Unknown),
            _ => None,
        },
    }
}

/// A commitment by the general rule: owner, with the sentence's first date as its due date.
fn commitment(s: &Sentence<'_>, dated: &[Dated], agreed_before: bool) -> Option<Owner> {
    let agreed = agreed_before
        || s.tokens
            .first()
            .is_some_and(|t| AGREED.iter().any(|a| t.lower.starts_with(a)));
    let later = s.has_word(&["volgende"]) && s.has_word(&["keer", "afspraak", "gesprek"]);
    let future = !dated.is_empty() || s.has_word(FUTURE) || later;
    if !(agreed || future) {
        return None;
    }
    if s.is_question() {
        // A request is the addressee's: the client's when the worker asks, nobody's yet when
        // the voice was not recognised (the client may be asking the worker).
        let owner = if s.seg.speaker == Speaker::Unknown {
            Owner::Unknown
        } else {
            Owner::Client
        };
        return (request(s) && future).then_some(owner);
    }
    // The first owner subject followed (within two words) by a verb that is not a state.
    (0..s.tokens.len()).find_map(|k| {
        let t = &s.tokens[k];
        let owner = owner_of(t.raw, &t.lower, s.seg.speaker)?;
        // "maatschappelijk werker": the subject is two words.
        let after = if t.lower == "maatschappelijk" {
            k + 2
        } else {
            k + 1
        };
        let verb = s.tokens.get(after)?;
        let around = super::context::clause(s, k);
        // "Ik bel de huisbaas niet meer": no commitment.
        if super::context::any_word(s, k..around.end, actions::NEGATIONS) {
            return None;
        }
        let verb = if MODALS.contains(&verb.lower.as_str()) {
            s.tokens.get(after + 1).unwrap_or(verb)
        } else {
            verb
        };
        // "vraagt … aan", "vraagt … na": applying and checking are things done.
        let applies = matches!(verb.lower.as_str(), "vraagt" | "vraag")
            && s.tokens[after + 1..]
                .iter()
                .any(|t| matches!(t.lower.as_str(), "aan" | "na"));
        let is_verb = verb.lower.chars().all(char::is_alphabetic)
            && !verb.is_capitalised()
            && (applies || !STATES.contains(&verb.lower.as_str()))
            && !NOT_VERBS.contains(&verb.lower.as_str());
        is_verb.then_some(owner)
    })
}

/// Words that open a yes to a request.
const YES: &[&str] = &[
    "ja",
    "jawel",
    "oké",
    "ok",
    "goed",
    "zeker",
    "uiteraard",
    "doe",
];

/// Verbs by which the client, answering yes, takes on what the worker asked: "Ja, dat doe ik
/// morgen", "Goed, regel ik", "Oké, ik bel vrijdag".
const TAKEN_ON: &[&str] = &[
    "doe", "zal", "ga", "regel", "breng", "bel", "stuur", "mail", "kom", "vraag", "zoek",
];

/// Question words: a question that opens with one asks for an answer, not for a deed.
const ASKING: &[&str] = &[
    "hoe", "wat", "wie", "waar", "wanneer", "waarom", "welke", "hoeveel",
];

/// The worker's question right before the client's segment at `index` when it asks the client
/// to do something ("Gaat u de mutualiteit bellen?", "Belt u de huisbaas?") and the client
/// takes it on with a yes ("Ja, dat doe ik morgen."): the question, without its question mark.
/// "Ja, dat heb ik al gedaan" and "Ja, maar ik doe het niet" take nothing on.
fn taken_on(segments: &[Segment], index: usize) -> Option<&str> {
    let answer = &segments[index];
    let question = segments.get(index.checked_sub(1)?)?;
    let asked = question.text.trim();
    if answer.speaker != Speaker::Client
        || question.speaker != Speaker::Worker
        || !asked.ends_with('?')
    {
        return None;
    }
    let q = crate::token::tokenize(asked);
    let word = |k: usize| q.get(k).map_or("", |t| t.lower.as_str());
    // "Gaat u …", "Belt u …"; not "Heeft u …" (a state) nor "Hoe …" (asking).
    let doing = MODALS.contains(&word(0)) || !STATES.contains(&word(0));
    let addressed = matches!(word(1), "u" | "je" | "jij") && doing && !ASKING.contains(&word(0));
    let a = crate::token::tokenize(&answer.text);
    let has = |words: &[&str]| a.iter().any(|t| words.contains(&t.lower.as_str()));
    let yes = a.first().is_some_and(|t| YES.contains(&t.lower.as_str()));
    let takes = has(&["ik"]) && has(TAKEN_ON);
    let undone = has(&["niet", "nooit", "geen", "al", "gedaan", "maar"]);
    (addressed && yes && takes && !undone).then(|| asked.trim_end_matches('?').trim())
}

/// A request to several people ("Kunnen jullie de loonstroken mailen?") that another
/// participant than the client answers with a yes ("Ja, dat doe ik."): that participant takes
/// it on.
fn taken_by_another(segments: &[Segment], index: usize, text: &str) -> bool {
    let asked_many = crate::token::tokenize(text)
        .iter()
        .any(|t| t.lower == "jullie");
    asked_many
        && segments[index].speaker == Speaker::Worker
        && segments.get(index + 1).is_some_and(|next| {
            next.speaker == Speaker::Other
                && crate::token::tokenize(&next.text)
                    .first()
                    .is_some_and(|t| YES.contains(&t.lower.as_str()))
        })
}

/// Action frames of every segment of a contact held on `contact`; `referrals` are the segments
/// whose sentence is a referral (drafted as a referral, not again as an action).
pub(crate) fn find(segments: &[Segment], contact: Date, referrals: &[u32]) -> Vec<Frame> {
    let mut out = Vec::new();
    // Typed notes come one sentence per segment: "Afspr.: cl. bezorgt …. MW contacteert …" and
    // a line "Afspraken:" with one commitment per line after it. The marker holds for the
    // commitments that follow it, until a note that is none.
    let mut agreed_before = false;
    for (index, seg) in segments.iter().enumerate() {
        let sentences = split(std::slice::from_ref(seg));
        let mut dated: Vec<(Fact, Option<Flag>)> = Vec::new();
        let mut general: Vec<(String, Owner, Option<Date>, Option<Flag>)> = Vec::new();
        let mut appointments: Vec<String> = Vec::new();
        let carried = agreed_before && seg.speaker == Speaker::Note;
        let mut agreed_line = carried;
        let mut opened = false;
        for s in &sentences {
            // A date after "sinds" or "vanaf" is a start, not a deadline.
            let found: Vec<Dated> = dates_in(s, contact)
                .into_iter()
                .filter(|d| {
                    d.at == 0 || !matches!(s.tokens[d.at - 1].lower.as_str(), "sinds" | "vanaf")
                })
                .collect();
            let opens = s
                .tokens
                .first()
                .is_some_and(|t| AGREED.iter().any(|a| t.lower.starts_with(a)));
            if is_appointment(s)
                && !found.is_empty()
                && matches!(
                    seg.speaker,
                    Speaker::Worker | Speaker::Note | Speaker::Unknown
                )
            {
                // The next appointment is its own frame, not an action.
                appointments.push(s.text().trim_end_matches(['.', '!', ';']).trim().to_owned());
            }
            if let Some(owner) = commitment(s, &found, agreed_line) {
                let text = s.text().trim_end_matches(['.', '!', ';']).trim().to_owned();
                let first = found.first();
                general.push((
                    text,
                    owner,
                    first.map(|d| d.date),
                    first.and_then(|d| d.flag.clone()),
                ));
            }
            agreed_line |= opens && seg.speaker == Speaker::Note;
            opened |= opens;
            for d in found {
                let t = &s.tokens[d.at];
                dated.push((
                    Fact {
                        value: FactValue::Date { date: d.date },
                        sources: vec![seg.id],
                        evidence: t.raw.to_owned(),
                        span: t.start..t.end,
                    },
                    d.flag,
                ));
            }
        }
        agreed_before =
            seg.speaker == Speaker::Note && (opened || (carried && !general.is_empty()));
        let dates: Vec<Fact> = dated.iter().map(|(f, _)| f.clone()).collect();
        let tokens = crate::token::tokenize(&seg.text);
        let mut found: Vec<(String, Owner, Option<Date>, Option<Flag>)> = Vec::new();
        for f in actions::find(seg, &tokens, &dates) {
            let FactValue::Action { owner, text, due } = f.value else {
                continue;
            };
            // Typed notes: only what was agreed, with a deadline or an agreement marker.
            if seg.speaker == Speaker::Note
                && due.is_none()
                && !general.iter().any(|(g, ..)| *g == text)
            {
                continue;
            }
            let weekday = dated
                .iter()
                .find(|(d, flag)| {
                    flag.is_some() && d.span.start >= f.span.start && d.span.end <= f.span.end
                })
                .and_then(|(_, flag)| flag.clone());
            // The general rule reads "MW" (the worker) and "Mw." (mevrouw) apart.
            let owner = general
                .iter()
                .find(|(g, ..)| *g == text)
                .map_or(owner, |(_, o, ..)| *o);
            found.push((text, owner, due, weekday));
        }
        for g in general {
            if !found.iter().any(|(t, ..)| *t == g.0) {
                found.push(g);
            }
        }
        // "Gaat u de mutualiteit bellen?" — "Ja, dat doe ik morgen.": the client's action, due
        // when the answer (or else the question) says.
        let asked_before = index > 0
            && out
                .iter()
                .any(|f: &Frame| f.sources.contains(&segments[index - 1].id));
        let mut sources = vec![seg.id];
        if found.is_empty()
            && !asked_before
            && let Some(asked) = taken_on(segments, index)
        {
            let question = &segments[index - 1];
            let due = dates
                .iter()
                .find_map(|d| match d.value {
                    FactValue::Date { date } => Some(date),
                    _ => None,
                })
                .or_else(|| {
                    split(std::slice::from_ref(question))
                        .iter()
                        .flat_map(|s| dates_in(s, contact))
                        .map(|d| d.date)
                        .next()
                });
            found.push((asked.to_owned(), Owner::Client, due, None));
            sources.insert(0, question.id);
        }
        if referrals.contains(&seg.id) {
            found.retain(|(_, _, due, _)| due.is_some());
        }
        found.retain(|(text, ..)| !appointments.contains(text));
        for (text, mut owner, due, weekday) in found {
            if owner == Owner::Client && taken_by_another(segments, index, &text) {
                owner = Owner::Participant;
            }
            let flag = weekday.or_else(|| {
                due.filter(|d| *d < contact)
                    .map(|due| Flag::PastDeadline { due, contact })
            });
            out.push(Frame {
                kind: FrameKind::Action,
                value: FrameValue::Action { owner, text, due },
                said_by: seg.speaker,
                sources: sources.clone(),
                flag,
            });
        }
    }
    out
}
