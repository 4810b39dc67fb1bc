//! Frames told in words: health, a work or training wish, a referral, the next appointment, a
//! benefit that ends.

use super::context::{Block, blocked};
use super::{Flag, Frame, FrameKind, FrameValue, Sentence};
use crate::calendar::{Date, MONTHS, WEEKDAYS};
use crate::dates;
use crate::fact::{FactValue, Speaker};
use crate::gazetteer::Gazetteer;
use crate::kin;
use crate::numbers::parse_words;

/// Stems of health complaints, as clients and notes say them (care for them: [`CARE`]).
const HEALTH: &[&str] = &[
    "klacht",
    "pijn",
    "ziek",
    "depress",
    "angst",
    "paniek",
    "slaap",
    "diabetes",
    "suiker",
    "astma",
    "hart",
    "rug",
    "knie",
    "heup",
    "burn-out",
    "burnout",
    "overspannen",
    "hernia",
    "migraine",
    "hoofdpijn",
    "vermoeid",
    "uitgeput",
    "slapen",
    "sliep",
    "buik",
    "hoest",
    "bloeddruk",
    "schouder",
    "pols",
    "nek",
    "gehoor",
    "zicht",
    "tandpijn",
    "allergie",
    "eczeem",
    "verkouden",
    "griep",
    "koorts",
    "zwanger",
    "beperking",
    "handicap",
    "ptss",
    "trauma",
    "stress",
    "somber",
    "epilep",
    "kanker",
    "longen",
    "copd",
    "reuma",
    "artrose",
    "maag",
    "misselijk",
    "duizelig",
    "benauwd",
    "verslav",
    "verslaaf",
    "dement",
    "alzheimer",
    "parkinson",
    "beroerte",
    "infarct",
];

/// Words that start like a complaint but are money, a place, a grievance or a figure of speech:
/// "ziekte-uitkering", "ziekenhuisfactuur", "slaapkamer", "gehoord", "hartstikke",
/// "klachtencommissie".
const NOT_HEALTH: &[&str] = &[
    "ziekte-uitkering",
    "ziekteuitkering",
    "ziekengeld",
    "ziekenfonds",
    "ziekteverzekering",
    "ziekenhuisfactuur",
    "ziekenhuisrekening",
    "ziektekosten",
    "hartelijk",
    "rugzak",
    "knieën",
    "slaapkamer",
    "slaapplaats",
    "slaapzak",
    "slaapbank",
    "gehoord",
    "gehoorzaam",
    "hartstikke",
    "harte",
    "klachtencommissie",
    "klachtendienst",
    "klachtenbrief",
    "klachtenprocedure",
    "klachtenformulier",
    "maagd",
];

/// Stems of care for a complaint rather than a complaint: "hernia, operatie gepland in januari"
/// is one health fact, the operation part of it.
const CARE: &[&str] = &[
    "operatie",
    "geopereerd",
    "medicatie",
    "medicijn",
    "psycholoog",
    "psychiater",
    "revalidatie",
    "kinesist",
    "fysio",
    "chemo",
    "gehoorapparaat",
];

/// Whether a token names a complaint or care for one.
fn health_word(t: &crate::token::Token<'_>) -> bool {
    let w = t.lower.as_str();
    (weary(w) || w == "moeheid" || HEALTH.iter().chain(CARE).any(|h| w.starts_with(h)))
        && !NOT_HEALTH.iter().any(|n| w.starts_with(n))
        && !(w.starts_with("nek") && w.len() > 4)
        && !(w.starts_with("pols") && w.len() > 6)
        && !(w.starts_with("zicht") && w.len() > 6)
}

/// "moe", "doodmoe", "hondsmoe".
fn weary(w: &str) -> bool {
    matches!(w, "moe" | "doodmoe" | "hondsmoe" | "bekaf")
}

/// Complaint words that say nothing of which complaint: "pijn aan mijn knie" and "pijn in mijn
/// rug" are two.
const GENERAL: &[&str] = &["pijn", "klacht", "ziek"];

/// The stem a complaint word starts with ("rugpijn", "rugklachten" → "rug"; "doodmoe" →
/// "moe"): one complaint, however often it is told.
fn complaint_stem(w: &str) -> &str {
    if weary(w) || w == "moeheid" {
        return "moe";
    }
    HEALTH
        .iter()
        .chain(CARE)
        .copied()
        .filter(|h| w.starts_with(h))
        .max_by_key(|h| h.len())
        .unwrap_or(w)
}

/// A complaint word that is none here: "een ziek systeem" (an adjective of a thing), "Ik werk
/// in een ziekenhuis" (a workplace), "moe van al die brieven" (weary of the paperwork), "een
/// klacht ingediend" (a grievance), "zicht op werk" (a prospect), "een hart van goud", "een
/// beperking van de uren".
fn figurative_or_workplace(s: &Sentence<'_>, k: usize) -> bool {
    let word = |j: usize| s.word(j);
    let w = word(k);
    // "Ik ben zo moe van al die brieven": weary of the paperwork, no complaint.
    let weary_of = weary(w)
        && word(k + 1) == "van"
        && (k + 2..k + 6).any(|j| HASSLE.iter().any(|h| word(j).starts_with(h)));
    // A complaint lodged with someone, or about something: a grievance.
    let grievance = w.starts_with("klacht")
        && (k + 1..k + 6).any(|j| {
            let v = word(j);
            v.starts_with("ingedien")
                || v.starts_with("indien")
                || v.starts_with("neerge")
                || v.starts_with("neerleg")
                || matches!(v, "tegen" | "over")
        });
    // "zicht op een job", "een beperking van de uren": a prospect, a limit.
    let of_a_thing = (w == "zicht" && word(k + 1) == "op")
        || (w.starts_with("beperking") && matches!(word(k + 1), "van" | "op"));
    // A bare "hart" is a complaint with "met", "aan" or "van" or a word of its state before it
    // ("problemen met mijn hart", "geopereerd aan het hart", "last van mijn hart", "een zwak
    // hart") or a verb of its own after it ("mijn hart klopt onregelmatig").
    let figure_of_heart = w == "hart"
        && !(k.saturating_sub(3)..k).any(|j| {
            matches!(
                word(j),
                "met" | "aan" | "van" | "zwak" | "zwakke" | "slecht" | "slechte" | "ziek" | "zieke"
            )
        })
        && !matches!(
            word(k + 1),
            "is" | "doet" | "klopt" | "slaat" | "werkt" | "gaat"
        );
    let ill_thing = matches!(w, "ziek" | "zieke")
        && k > 0
        && word(k - 1) == "een"
        && s.tokens
            .get(k + 1)
            .is_some_and(|t| !t.is_numeric() && kin::kin(&t.lower).is_none());
    let workplace = w.starts_with("ziekenhuis")
        && s.tokens
            .iter()
            .any(|t| t.lower.starts_with("werk") || t.lower == "job");
    weary_of || grievance || of_a_thing || figure_of_heart || ill_thing || workplace
}

/// What one can be weary of without being ill: paperwork, waiting, the services.
const HASSLE: &[&str] = &[
    "brief",
    "brieven",
    "papier",
    "formulier",
    "administratie",
    "gedoe",
    "wachten",
    "instanties",
    "diensten",
    "regels",
    "telefoon",
    "deurwaarder",
    "aanmaning",
    "rekening",
    "gezeur",
    "geregel",
];

/// The complaints of a sentence, each quoted verbatim as its own clause: "Ik slaap slecht van
/// de stress, en mijn rug doet pijn" gives two; a clause of care only ("operatie gepland in
/// januari") stays with the complaint before it. A sentence with one complaint is quoted whole.
/// Each comes with the index of its complaint word and the stems of its complaint words that
/// say which complaint (not "pijn" or "klacht": see [`GENERAL`]).
fn complaints(s: &Sentence<'_>) -> Vec<(String, usize, Vec<String>)> {
    let text = &s.seg.text;
    // Clause starts: after a comma or semicolon, or at "en" before a new subject.
    let mut starts = vec![0];
    for k in 1..s.tokens.len() {
        let gap = &text[s.tokens[k - 1].end..s.tokens[k].start];
        let new_subject = s.tokens[k - 1].lower == "en"
            && matches!(
                s.tokens[k].lower.as_str(),
                "ik" | "ze"
                    | "zij"
                    | "hij"
                    | "mijn"
                    | "haar"
                    | "zijn"
                    | "hun"
                    | "mevrouw"
                    | "meneer"
            );
        if gap.contains([',', ';']) {
            starts.push(k);
        } else if new_subject {
            starts.push(k - 1);
        }
    }
    // Each complaint's clause (from, to), its first complaint word, and the stems of its words
    // that say which complaint.
    let mut with_complaint: Vec<(usize, usize, usize, Vec<String>)> = Vec::new();
    for (n, &a) in starts.iter().enumerate() {
        let b = starts.get(n + 1).copied().unwrap_or(s.tokens.len());
        let words: Vec<usize> = (a..b)
            .filter(|&k| health_word(&s.tokens[k]) && !figurative_or_workplace(s, k))
            .collect();
        let Some(&k) = words.first() else {
            continue;
        };
        let care_only = words
            .iter()
            .all(|&k| CARE.iter().any(|c| s.tokens[k].lower.starts_with(c)));
        let stems = words
            .iter()
            .map(|&k| complaint_stem(&s.tokens[k].lower).to_owned())
            .filter(|stem| !GENERAL.contains(&stem.as_str()));
        // Care right after a complaint belongs to it: one fact, quoted together.
        match with_complaint.last_mut() {
            Some(last) if care_only && last.1 == a => {
                last.1 = b;
                last.3.extend(stems);
            }
            _ => with_complaint.push((a, b, k, stems.collect())),
        }
    }
    match with_complaint.as_slice() {
        [] => Vec::new(),
        [(_, _, k, stems)] => vec![(s.text().to_owned(), *k, stems.clone())],
        many => many
            .iter()
            .map(|(a, b, k, stems)| {
                let first = if s.tokens[*a].lower == "en" {
                    a + 1
                } else {
                    *a
                };
                let quote = text[s.tokens[first].start..s.tokens[b - 1].end].to_owned();
                (quote, *k, stems.clone())
            })
            .collect(),
    }
}

/// Stems of work and training.
const WORK: &[&str] = &[
    "werk",
    "job",
    "opleiding",
    "cursus",
    "studie",
    "studeren",
    "diploma",
    "stage",
    "vrijwilliger",
    "solliciter",
    "taalles",
    "inburgering",
    "bijscholing",
    "omscholing",
    "slag",
    "worden",
    "administrati",
    "beroep",
    "vak",
];

/// Words that make a sentence a wish.
const WISH: &[&str] = &[
    "wil",
    "wilt",
    "willen",
    "graag",
    "hoop",
    "hoopt",
    "droom",
    "wens",
    "wenst",
    "ambitie",
    "interesse",
    "zoekt",
    "zoek",
    "plan",
    "plannen",
    "misschien",
    "liefst",
    "droomt",
];

/// Stems that make a sentence a referral.
const REFERRAL: &[&str] = &["verwijs", "verwijz", "doorverw", "aanmeld", "aangemeld"];

/// Whether a sentence makes a referral: a referral word ("verwijst door", "meldt … aan bij"),
/// and not one that is only discussed ("is besproken", "wil eerst nadenken").
fn refers(s: &Sentence<'_>) -> bool {
    let meld_aan = s
        .tokens
        .iter()
        .position(|t| matches!(t.lower.as_str(), "meld" | "meldt" | "melden"))
        .is_some_and(|k| {
            // "meldt zich aan" is the client coming in, not a referral.
            s.tokens.get(k + 1).is_none_or(|t| t.lower != "zich")
                && s.tokens[k + 1..].iter().any(|t| t.lower == "aan")
        });
    (s.has_stem(REFERRAL) || meld_aan)
        && !s.has_word(&[
            "besproken",
            "nadenken",
            "overweegt",
            "overwegen",
            "misschien",
        ])
}

/// Phrases of the next appointment.
const APPOINTMENT: &[&[&str]] = &[
    &["volgend", "gesprek"],
    &["volgende", "gesprek"],
    &["volgende", "afspraak"],
    &["nieuwe", "afspraak"],
    &["zie", "u"],
    &["zie", "ik", "u"],
    &["zie", "ik", "jullie"],
    &["zie", "ik", "je"],
    &["zien", "we", "elkaar"],
    &["kom", "ik"],
    &["volgende", "keer"],
    &["vervolgafspraak"],
    &["volgend", "overleg"],
    &["volgende", "overleg"],
    &["nieuw", "overleg"],
    &["komen", "we", "opnieuw", "samen"],
    &["afspraak", "om"],
    &["verwacht", "ik", "u"],
    &["verwacht", "u"],
    &["kom", "terug"],
    &["komt", "terug"],
    &["komen", "terug"],
    &["spreken", "af"],
    &["spreken", "we", "af"],
    &["opnieuw", "af"],
    &["volgende", "bespreking"],
    &["volgend", "huisbezoek"],
    &["volgende", "huisbezoek"],
    &["nieuwe", "afspraak"],
    &["zie", "je"],
    &["zien", "jullie"],
    &["terugkomgesprek"],
    &["evaluatiegesprek"],
    &["zien", "elkaar"],
    &["zien", "we", "elkaar"],
    &["huisbezoek"],
    &["afspraak", "op"],
    &["terugkomen"],
    &["opvolggesprek"],
    &["vervolggesprek"],
    &["nieuw", "gesprek"],
    &["vlgd", "gesprek"],
    &["vlg", "gesprek"],
    &["vlg", "afspraak"],
    &["vlgd", "afspraak"],
    &["volgende", "opvolging"],
    &["volgend", "opvolggesprek"],
    &["volgend", "contact"],
    &["volgende", "contact"],
];

/// Stems of a benefit or income that can end.
const BENEFIT: &[&str] = &[
    "uitkering",
    "leefloon",
    "werkloosheid",
    "ww",
    "bijstand",
    "ziekengeld",
    "contract",
    "pensioen",
    "toeslag",
    "groeipakket",
    "alimentatie",
    "ziekte",
    "invaliditeit",
    "toelage",
    "huurpremie",
    "kinderbijslag",
    "uitk",
];

/// Verbs of ending.
const ENDS: &[&str] = &[
    "stop",
    "eindig",
    "afloop",
    "loopt",
    "vervalt",
    "vervallen",
    "houdt",
    "ophoud",
    "einde",
    "gestopt",
    "tot",
    "wegval",
    "valt",
    "afgelopen",
];

/// A date in a sentence, with the weekday flag when the weekday said does not match it.
pub(crate) struct Dated {
    pub date: Date,
    pub flag: Option<Flag>,
    /// First token of the date.
    pub at: usize,
}

/// The dates of a sentence, resolved against the contact day.
pub(crate) fn dates_in(s: &Sentence<'_>, contact: Date) -> Vec<Dated> {
    dates::find(s.seg, &s.tokens, contact)
        .into_iter()
        .filter_map(|f| {
            let FactValue::Date { date } = f.value else {
                return None;
            };
            let at = s.tokens.iter().position(|t| t.start == f.span.start)?;
            let said = at.checked_sub(1).and_then(|k| {
                let w = s.tokens[k].lower.as_str();
                WEEKDAYS
                    .iter()
                    .position(|d| w.starts_with(d) || (w.len() == 2 && d.starts_with(w)))
            });
            let flag = said
                .filter(|w| *w != date.weekday())
                .map(|said| Flag::WeekdayConflict { date, said });
            Some(Dated { date, flag, at })
        })
        .chain(month_ends(s, contact))
        .collect()
}

/// The last day of the month meant by "eind februari", "eind deze maand", "eind volgende
/// maand": the first such day on or after the contact, except a month named that has just
/// passed.
fn month_ends(s: &Sentence<'_>, contact: Date) -> Vec<Dated> {
    let word = |k: usize| s.word(k);
    let last_day = |year: i32, month: u32| {
        let (y, m) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        Date::new(y, m, 1).map(|first| first.add_days(-1))
    };
    let mut out = Vec::new();
    for k in 0..s.tokens.len() {
        // "vandaag nog" (in notes "vandaag" alone), "eind deze week" (its Friday), "eind
        // volgende week".
        let friday = |weeks: i64| {
            let to_friday = 4 - contact.weekday() as i64;
            contact.add_days(to_friday.max(0) + 7 * weeks)
        };
        let day = match (word(k), word(k + 1), word(k + 2)) {
            ("vandaag", "nog", _) => Some(contact),
            // "MW vraagt vandaag bij Engie een afbetalingsplan aan."
            ("vandaag", ..) if s.seg.speaker == Speaker::Note => Some(contact),
            ("eind" | "einde", "deze", "week") => Some(friday(0)),
            ("eind" | "einde", "volgende", "week") => Some(friday(1)),
            _ => None,
        };
        if let Some(date) = day {
            out.push(Dated {
                date,
                flag: None,
                at: k,
            });
            continue;
        }
        if !matches!(word(k), "eind" | "einde" | "eindje") {
            continue;
        }
        let (month, year) = match (word(k + 1), word(k + 2)) {
            ("deze", "maand") => (contact.month, contact.year),
            ("volgende", "maand") if contact.month == 12 => (1, contact.year + 1),
            ("volgende", "maand") => (contact.month + 1, contact.year),
            (m, _) => match MONTHS.iter().position(|n| *n == m) {
                Some(i) => {
                    let month = i as u32 + 1;
                    // A month more than two months back is next year's.
                    let back = (contact.month + 12 - month) % 12;
                    let year = if month < contact.month && back > 2 {
                        contact.year + 1
                    } else {
                        contact.year
                    };
                    (month, year)
                }
                None => continue,
            },
        };
        if let Some(date) = last_day(year, month) {
            out.push(Dated {
                date,
                flag: None,
                at: k,
            });
        }
    }
    out
}

/// The time of day in a sentence: "om 9.30 uur", "om 14u", "9u30", "10.00 uur", "14:00",
/// "om tien uur", "om half tien".
fn time_in(s: &Sentence<'_>) -> Option<(u32, u32)> {
    let word = |k: usize| s.word(k);
    let hour_of = |w: &str| -> Option<u32> {
        w.parse::<u32>()
            .ok()
            .or_else(|| parse_words(w).and_then(|n| u32::try_from(n).ok()))
            .filter(|h| (1..=23).contains(h))
    };
    let minutes = |w: &str| -> Option<u32> {
        (w.len() == 2 && w.chars().all(|c| c.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
            .filter(|m| *m < 60)
    };
    for k in 0..s.tokens.len() {
        let t = &s.tokens[k];
        let after_om = k > 0 && word(k - 1) == "om";
        // "half tien" is 9.30.
        if t.lower == "half"
            && (after_om || matches!(word(k + 2), "uur" | "u"))
            && let Some(h) = hour_of(word(k + 1))
        {
            return Some((h - 1, 30));
        }
        // "9.30", "10.00 uur".
        if t.is_numeric() && (t.raw.contains('.') || t.raw.contains(',')) {
            if let Some((h, m)) = t.raw.split_once(['.', ',']) {
                let unit = matches!(word(k + 1), "uur" | "u" | "h");
                if let (Some(h), Some(m)) = (hour_of(h), minutes(m))
                    && (after_om || unit)
                {
                    return Some((h, m));
                }
            }
            continue;
        }
        let Some(h) = hour_of(&t.lower) else {
            continue;
        };
        match word(k + 1) {
            // "9u30", "9 u", "14h", "tien uur".
            "u" | "h" => return Some((h, minutes(word(k + 2)).unwrap_or(0))),
            "uur" => return Some((h, 0)),
            // "14:00"
            next if minutes(next).is_some()
                && s.seg.text[t.end..s.tokens[k + 1].start].trim() == ":" =>
            {
                return minutes(next).map(|m| (h, m));
            }
            _ if after_om && t.is_numeric() => return Some((h, 0)),
            _ => {}
        }
    }
    None
}

/// Carers and services named by what they are.
const CARERS: &[&str] = &[
    "kinderarts",
    "logopedist",
    "huisarts",
    "psycholoog",
    "psychiater",
    "kinesist",
    "fysiotherapeut",
    "diëtist",
    "tandarts",
    "ergotherapeut",
    "thuiszorg",
    "gezinszorg",
    "jeugdhulp",
    "opvoedingsondersteuning",
    "dienst",
];

/// Where a referral sends the client: the service after "naar" or "bij", in the words said
/// ("schuldhulpverlening", not the gazetteer's Flemish "schuldbemiddeling"), or the name or
/// noun there when the gazetteer does not know it ("naar Humanitas", "naar de kinderarts").
fn referred_to(s: &Sentence<'_>, gazetteer: &Gazetteer) -> Option<String> {
    let k = s
        .tokens
        .iter()
        .position(|t| t.lower == "naar" || t.lower == "bij")?;
    let from = s.tokens[k].start;
    let mut first = k + 1;
    while s
        .tokens
        .get(first)
        .is_some_and(|t| matches!(t.lower.as_str(), "de" | "het" | "een" | "onze" | "hun"))
    {
        first += 1;
    }
    if let Some(t) = s.tokens.get(first)
        && CARERS.iter().any(|c| t.lower.starts_with(c))
        && t.lower != "dienst"
    {
        return Some(t.raw.to_owned());
    }
    if let Some(f) = gazetteer
        .find(s.seg, &s.tokens)
        .into_iter()
        .find(|f| f.span.start > from)
    {
        return Some(f.evidence);
    }
    let t = s.tokens.get(first)?;
    if t.is_capitalised() {
        let mut last = first;
        while s.tokens.get(last + 1).is_some_and(|n| n.is_capitalised()) {
            last += 1;
        }
        return Some(s.seg.text[t.start..s.tokens[last].end].to_owned());
    }
    CARERS
        .iter()
        .any(|c| t.lower.starts_with(c))
        .then(|| t.raw.to_owned())
}

/// Verbs of an errand: "maandag kom ik het brengen" delivers what was asked; it is no
/// appointment.
const ERRAND: &[&str] = &[
    "brengen",
    "binnenbreng",
    "afgeven",
    "afgegeven",
    "bezorgen",
    "ophalen",
    "afhalen",
    "indienen",
];

/// Whether a sentence speaks of the next appointment.
pub(crate) fn is_appointment(s: &Sentence<'_>) -> bool {
    let errand = s.has_stem(ERRAND);
    (0..s.tokens.len()).any(|k| {
        APPOINTMENT
            .iter()
            .filter(|p| !(errand && matches!(p, ["kom", "ik"] | ["kom", "terug"])))
            .any(|p| crate::scan::phrase_at(&s.tokens, k, p))
    })
}

/// Frames told in words in every sentence.
pub(crate) fn find(sentences: &[Sentence<'_>], contact: Date, gazetteer: &Gazetteer) -> Vec<Frame> {
    let mut out = Vec::new();
    // Complaints already quoted: the report names each once, where it was first told.
    let mut complaints_told: Vec<String> = Vec::new();
    for s in sentences {
        let frame = |kind, value, flag| Frame {
            kind,
            value,
            said_by: s.seg.speaker,
            sources: vec![s.seg.id],
            flag,
        };
        let question = s.is_question();
        // Never a quotation of the worker, nor of a voice that may be the worker's.
        let worker = matches!(s.seg.speaker, Speaker::Worker | Speaker::Unknown);
        let told = !question && !worker;
        let quote = || FrameValue::Quote {
            text: s.text().to_owned(),
        };
        // Health, as the client or the notes tell it.
        if told && !s.has_word(&["euro", "eur", "€"]) {
            for (text, k, stems) in complaints(s) {
                // Told before: every word that says which complaint was quoted already.
                let again =
                    !stems.is_empty() && stems.iter().all(|st| complaints_told.contains(st));
                if blocked(s, k, None).is_none() && !again {
                    complaints_told.extend(stems);
                    out.push(frame(FrameKind::Health, FrameValue::Quote { text }, None));
                }
            }
        }
        // A work or training wish.
        if told
            && s.has_word(WISH)
            && let Some(k) = s
                .tokens
                .iter()
                .position(|t| WORK.iter().any(|w| t.lower.starts_with(w)))
            && !(k.saturating_sub(3)..k)
                .any(|j| matches!(s.tokens[j].lower.as_str(), "geen" | "niet"))
        {
            out.push(frame(FrameKind::Wish, quote(), None));
        }
        let dated = dates_in(s, contact);
        // A referral, by the worker or in the notes, to a named service.
        if !question
            && matches!(
                s.seg.speaker,
                Speaker::Worker | Speaker::Note | Speaker::Other | Speaker::Unknown
            )
            && refers(s)
            && let Some(name) = referred_to(s, gazetteer)
        {
            out.push(frame(
                FrameKind::Referral,
                FrameValue::Service { name },
                None,
            ));
        }
        // The next appointment.
        let appointment = is_appointment(s);
        if appointment
            && !(question && s.seg.speaker == Speaker::Client)
            && let Some(d) = dated.first()
        {
            out.push(frame(
                FrameKind::Appointment,
                FrameValue::Date {
                    date: d.date,
                    time: time_in(s),
                    what: None,
                },
                d.flag.clone(),
            ));
        }
        // A benefit that ends on a date.
        if !question
            && s.has_stem(BENEFIT)
            && s.has_stem(ENDS)
            && let Some(d) = dated.first()
            && !matches!(
                blocked(s, d.at, None),
                Some(Block::Negation | Block::Hypothetical)
            )
        {
            // The benefit nearest to the word of ending: "aanvraag leefloon ivm einde
            // werkloosheidsuitkering op 30/11" ends the unemployment benefit.
            let is =
                |stems: &[&str], k: usize| stems.iter().any(|b| s.tokens[k].lower.starts_with(b));
            let ends: Vec<usize> = (0..s.tokens.len()).filter(|&k| is(ENDS, k)).collect();
            let what = (0..s.tokens.len())
                .filter(|&k| is(BENEFIT, k))
                .min_by_key(|&k| ends.iter().map(|&e| (e.abs_diff(k), e > k)).min())
                .map(|k| s.tokens[k].lower.clone());
            out.push(frame(
                FrameKind::BenefitEnd,
                FrameValue::Date {
                    date: d.date,
                    time: None,
                    what,
                },
                d.flag.clone(),
            ));
        }
    }
    out
}
