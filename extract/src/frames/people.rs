//! Household frames: who lives with the client (relation, first name, age), and the client's
//! own age.

use super::context::any_word;
use super::{Frame, FrameKind, FrameValue, Sentence};
use crate::durations;
use crate::fact::{FactValue, Segment, Speaker};
use crate::kin::{self, is_household, kin};
use crate::numbers::parse_words;
use crate::people;

/// Words that put a person outside the household now.
const ELSEWHERE: &[&str] = &[
    "overleden",
    "overlijden",
    "overleed",
    "gestorven",
    "stierf",
    "wijlen",
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
    // Up to 25 for a bare number ("Lotte 6"); any age when it is marked as one ("(46)", "46j").
    let number = |j: usize, marked: bool| -> Option<u32> {
        let t = s.tokens.get(j)?;
        let n = if t.is_numeric() {
            t.raw.parse::<u32>().ok()?
        } else {
            u32::try_from(parse_words(&t.lower)?).ok()?
        };
        let max = if marked { 110 } else { 25 };
        (1..=max).contains(&n).then_some(n)
    };
    let word = |j: usize| s.tokens.get(j).map_or("", |t| t.lower.as_str());
    let unit_at = |j: usize| matches!(word(j), "jaar" | "j" | "jr");
    let next = s.tokens.get(k + 1)?;
    match next.lower.as_str() {
        // "Lotte van zes", "Ilyas is nu elf".
        "van" | "wordt" => number(k + 2, unit_at(k + 3)),
        "is" => {
            let at = if matches!(word(k + 2), "nu" | "al" | "pas" | "bijna") {
                k + 3
            } else {
                k + 2
            };
            number(at, unit_at(at + 1))
        }
        // "Milan, hij is twaalf".
        "hij" | "zij" | "ze" if word(k + 2) == "is" => number(k + 3, unit_at(k + 4)),
        _ => {
            let gap = &s.seg.text[s.tokens[k].end..next.start];
            let after_unit = unit_at(k + 2);
            let bare = gap.trim().is_empty()
                && next.is_numeric()
                && s.tokens
                    .get(k + 2)
                    .is_none_or(|after| s.seg.text[next.end..after.start].contains(','));
            // "mijn zoon Jonas, 19." — a child's age after a comma, ending the item.
            let listed = gap.trim() == ","
                && next.is_numeric()
                && s.tokens
                    .get(k + 2)
                    .is_none_or(|after| s.seg.text[next.end..after.start].contains([',', ')']));
            if gap.contains('(') || after_unit {
                number(k + 1, true)
            } else if bare || listed {
                number(k + 1, false)
            } else {
                None
            }
        }
    }
}

/// Children named only by their ages: "twee kinderen van 6 en 9 jaar", "2 kdn (6 en 3)",
/// "twee dochters, die zijn 10 en 13".
fn unnamed_children(s: &Sentence<'_>) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for k in 0..s.tokens.len() {
        let w = s.tokens[k].lower.as_str();
        let Some(relation) = kin(w).filter(|k| k.several && k.child).map(|k| k.relation) else {
            continue;
        };
        // "twee kinderen van 6 en 9", "2 kdn (6 en 3)", "twee dochters, die zijn 10 en 13".
        let word = |j: usize| s.word(j);
        let bracket = s.tokens.get(k + 1).is_some_and(|next| {
            s.seg.text[s.tokens[k].end..next.start].contains(['(', ':']) && next.is_numeric()
        });
        let mut j = if word(k + 1) == "van" {
            k + 2
        } else if word(k + 1) == "die" && word(k + 2) == "zijn" {
            k + 3
        } else if bracket {
            k + 1
        } else {
            continue;
        };
        while let Some(t) = s.tokens.get(j) {
            let n = if t.is_numeric() {
                t.raw.parse::<u32>().ok()
            } else {
                parse_words(&t.lower).and_then(|n| u32::try_from(n).ok())
            };
            match n.filter(|n| (0..=25).contains(n)) {
                Some(n) => out.push((relation.to_owned(), n)),
                None if matches!(t.lower.as_str(), "en" | "jaar" | "j") => {}
                None => break,
            }
            j += 1;
        }
    }
    out
}

/// The relation the nearest household word before token `k` gives to the names after it:
/// "twee dochters, Lotte (6) en Fien (11)"; "tweeling" gives "kind".
/// The client named in between ("mijn man, ik en Noor van drie") ends the search: the
/// household word before them was a member of its own.
fn relation_before(s: &Sentence<'_>, k: usize) -> Option<String> {
    for j in (0..k).rev() {
        let w = s.tokens[j].lower.as_str();
        if matches!(w, "ik" | "we" | "wij") {
            return None;
        }
        let relation = kin(w).filter(|k| k.household).map(|k| k.relation);
        let relation = relation.or_else(|| w.starts_with("echtgeno").then_some("partner"));
        if let Some(relation) = relation {
            return Some(relation.to_owned());
        }
    }
    None
}

/// Whether the person at token `at` lives elsewhere: "woont op kamers", "is nog in
/// Afghanistan", "woont in Utrecht", "Zoon (22) woont op kamers" ("woont bij mij" and "woont
/// nog thuis" are home).
pub(super) fn elsewhere(s: &Sentence<'_>, at: usize) -> bool {
    let around = super::context::wide_clause(s, at);
    let in_place = around.clone().any(|k| {
        s.tokens[k].lower == "in"
            && s.tokens
                .get(k + 1)
                .is_some_and(|t| k + 1 < around.end && t.is_capitalised())
    });
    with_others(s, around.clone())
        || ((any_word(s, around.clone(), ELSEWHERE)
            || in_place
            || any_word(s, around.clone(), &["kamers"]))
            && !any_word(s, around, &["bij", "thuis"]))
}

/// Whether the clause `around` says someone lives with another parent or family: "woont bij
/// de moeder", "verblijft bij haar vader".
fn with_others(s: &Sentence<'_>, around: std::ops::Range<usize>) -> bool {
    around.clone().any(|k| {
        s.word(k) == "bij"
            && (k + 1..(k + 3).min(around.end)).any(|j| OTHER_HOMES.contains(&s.word(j)))
    })
}

/// Where a child lives when not at home: "bij de moeder", "bij zijn vader", "bij oma".
const OTHER_HOMES: &[&str] = &[
    "moeder",
    "vader",
    "mama",
    "papa",
    "ex",
    "ex-partner",
    "oma",
    "opa",
    "grootouders",
    "grootmoeder",
    "grootvader",
    "pleeggezin",
    "pleegouders",
    "tante",
    "oom",
];

/// Animals, whose names and ages are no household facts.
const PETS: &[&str] = &[
    "kat", "kater", "poes", "hond", "hondje", "konijn", "cavia", "hamster", "vogel", "paard",
];

/// Titles that name the client in notes and MDOs.
const TITLES: &[&str] = &[
    "mevrouw",
    "meneer",
    "mijnheer",
    "mw",
    "dhr",
    "heer",
    "cliënt",
    "cliënte",
    "client",
    "betrokkene",
    "mevr",
];

/// A number of years at token `k` (digits or words), within a person's plausible age.
fn years_at(s: &Sentence<'_>, k: usize) -> Option<u32> {
    let t = s.tokens.get(k)?;
    let n = if t.is_numeric() {
        t.raw.parse::<u32>().ok()?
    } else {
        u32::try_from(parse_words(&t.lower)?).ok()?
    };
    (1..=110).contains(&n).then_some(n)
}

/// The client's age: "Mevrouw Janssens (39)", "dhr. Lambrecht, 48j", "Ik ben 52", "Ze is
/// vierendertig jaar", or a bare number answering "Hoe oud bent u?".
fn client_age(sentences: &[Sentence<'_>], index: usize) -> Option<u32> {
    let s = &sentences[index];
    let w = |k: usize| s.word(k);
    for k in 0..s.tokens.len() {
        if TITLES.contains(&w(k)) {
            // Title, up to three name words, then "(39)" or ", 48j".
            let mut j = k + 1;
            while j < s.tokens.len() && j <= k + 3 && s.tokens[j].is_capitalised() {
                j += 1;
            }
            let gap = s
                .tokens
                .get(j)
                .map_or("", |t| &s.seg.text[s.tokens[j - 1].end..t.start]);
            let unit = matches!(w(j + 1), "j" | "jr" | "jaar");
            if (gap.contains('(') || unit)
                && !s.seg.text[s.tokens[k].end..].starts_with(" en")
                && let Some(n) = years_at(s, j).filter(|n| *n >= 14)
            {
                return Some(n);
            }
        }
        if s.seg.speaker == Speaker::Client
            && w(k) == "ik"
            && w(k + 1) == "ben"
            && !matches!(w(k + 3), "maanden" | "weken" | "dagen")
            && let Some(n) = years_at(s, k + 2).filter(|n| *n >= 14)
        {
            return Some(n);
        }
        if matches!(w(k), "ze" | "zij" | "hij" | "mevrouw" | "meneer")
            && w(k + 1) == "is"
            && matches!(w(k + 3), "jaar")
            && k == 0
            && let Some(n) = years_at(s, k + 2).filter(|n| *n >= 14)
        {
            return Some(n);
        }
    }
    // A bare number answering the worker's question about the client's age.
    if s.seg.speaker == Speaker::Client && index > 0 {
        let q = &sentences[index - 1];
        let asked = q.seg.speaker == Speaker::Worker
            && q.is_question()
            && (q.has_word(&["oud", "leeftijd"]) || q.has_stem(&["geboren"]));
        let first_sentence = index == 0 || sentences[index - 1].seg.id != s.seg.id;
        if asked && first_sentence && s.tokens.len() <= 2 {
            return years_at(s, 0).filter(|n| *n >= 14);
        }
    }
    None
}

/// Household and client-age frames of every sentence.
/// Whether a sentence names a household relation or the household itself ("moeder van Noor":
/// the client's child).
fn speaks_of_household(s: &Sentence<'_>) -> bool {
    s.tokens
        .iter()
        .any(|t| kin(&t.lower).is_some_and(|k| k.household))
        || s.has_stem(&["gezin", "echtgeno", "partner"])
        || s.tokens.windows(2).any(|pair| {
            matches!(pair[0].lower.as_str(), "moeder" | "vader" | "mama" | "papa")
                && pair[1].lower == "van"
        })
}

pub(crate) fn find(sentences: &[Sentence<'_>]) -> Vec<Frame> {
    let mut out = Vec::new();
    let family_talk = sentences.iter().any(speaks_of_household);
    for (index, s) in sentences.iter().enumerate() {
        if matches!(s.seg.speaker, Speaker::Worker | Speaker::Unknown) && s.is_question() {
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
        let age = client_age(sentences, index);
        if let Some(years) = age {
            push(FrameKind::ClientAge, FrameValue::Years { years }, &mut out);
        }
        // A worker's statement about the household reads like a note ("haar man Karim").
        let as_note;
        let seg = if s.seg.speaker == Speaker::Worker {
            as_note = Segment {
                speaker: Speaker::Note,
                ..s.seg.clone()
            };
            &as_note
        } else {
            s.seg
        };
        for f in durations::find(seg, &s.tokens) {
            let FactValue::Age { years, who } = f.value else {
                continue;
            };
            if who == "cliënt" {
                if age.is_none() {
                    push(FrameKind::ClientAge, FrameValue::Years { years }, &mut out);
                }
                continue;
            }
            let mut words = who.split(' ');
            let relation = words.next().map(str::to_owned);
            let name = words.next().map(str::to_owned);
            // "Zoon (22) woont op kamers in Utrecht."
            // The relation word is in the age's span or the nearest one before it ("zijn dochter
            // Sara (17) woont bij de moeder").
            let away = relation.as_deref().is_some_and(|r| {
                s.tokens
                    .iter()
                    .rposition(|t| t.start < f.span.end && kin::base(&t.lower) == r)
                    .is_some_and(|at| elsewhere(s, at))
            });
            if relation.as_deref().is_some_and(is_household) && !away {
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
        for f in people::find(seg, &s.tokens) {
            let FactValue::Person { relation, name } = f.value else {
                continue;
            };
            if !is_household(&relation) {
                continue;
            }
            let at = s
                .tokens
                .iter()
                .position(|t| t.start >= f.span.start && kin::base(&t.lower) == relation)
                .unwrap_or(0);
            if elsewhere(s, at) {
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
        // "een zoon van 12", "haar dochtertje (3)", "een zoon (12) en een dochter (9)": a
        // relation without a possessive, with an age.
        let mut unnamed_ages: Vec<(String, u32)> = Vec::new();
        if !matches!(s.seg.speaker, Speaker::Worker | Speaker::Unknown) || !s.is_question() {
            for k in 0..s.tokens.len() {
                let w = s.tokens[k].lower.as_str();
                let Some(relation) = kin(w).filter(|k| !k.several && k.child).map(|k| k.relation)
                else {
                    continue;
                };
                if name_at(s, k + 1).is_some() || elsewhere(s, k) {
                    continue; // named: found above; or not living here
                }
                // Without a name or a possessive, only a child's age reads as someone at home.
                if let Some(age) = age_after(s, k).filter(|a| *a <= 25) {
                    let taken = out.iter().any(|f| {
                        matches!(&f.value, FrameValue::Member { age: Some(a), .. } if *a == age)
                            && f.sources.contains(&s.seg.id)
                    });
                    if !taken {
                        unnamed_ages.push((relation.to_owned(), age));
                    }
                }
            }
        }
        for (relation, age) in unnamed_ages {
            push(
                FrameKind::Household,
                FrameValue::Member {
                    relation: Some(relation),
                    name: None,
                    age: Some(age),
                },
                &mut out,
            );
        }
        // Children listed by name after a household word: "twee kinderen, Lotte (6) en Daan (9)";
        // where the conversation speaks of the household elsewhere, a child's age alone will do
        // ("En Mila van tien heeft astma", "We bespreken vandaag Luuk, tien jaar").
        let household_here = speaks_of_household(s);
        if household_here || family_talk {
            for k in 1..s.tokens.len() {
                let Some(name) = name_at(s, k) else {
                    continue;
                };
                // "Mevrouw Ouali (24)" is the client; "onze kat Moos (15)" is no household
                // member.
                if TITLES.contains(&s.tokens[k - 1].lower.as_str())
                    || PETS.contains(&s.tokens[k - 1].lower.as_str())
                {
                    continue;
                }
                let Some(age) = age_after(s, k).filter(|&a| household_here || a < 18) else {
                    continue;
                };
                if named.contains(&name) || with_others(s, super::context::wide_clause(s, k)) {
                    continue;
                }
                named.push(name.clone());
                push(
                    FrameKind::Household,
                    FrameValue::Member {
                        relation: relation_before(s, k),
                        name: Some(name),
                        age: Some(age),
                    },
                    &mut out,
                );
            }
        }
        // Children by age alone ("3 kdn (2, 5 en 8 j)"), unless a member of this sentence
        // already has that age (the same child, named).
        for (relation, age) in unnamed_children(s) {
            let taken = out.iter().any(|f| {
                matches!(&f.value, FrameValue::Member { age: Some(a), .. } if *a == age)
                    && f.sources.contains(&s.seg.id)
            });
            if !taken {
                push(
                    FrameKind::Household,
                    FrameValue::Member {
                        relation: Some(relation),
                        name: None,
                        age: Some(age),
                    },
                    &mut out,
                );
            }
        }
    }
    // "haar man" next to "Man Murat (45)": the unnamed mention is the named person.
    let named_relations: Vec<String> = out
        .iter()
        .filter_map(|f| match &f.value {
            FrameValue::Member {
                relation: Some(r),
                name: Some(_),
                ..
            } => Some(r.clone()),
            _ => None,
        })
        .collect();
    out.retain(|f| {
        !matches!(&f.value, FrameValue::Member { relation: Some(r), name: None, age: None } if named_relations.contains(r))
    });
    out
}
