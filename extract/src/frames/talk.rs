//! Frames told in words: health, a work or training wish, a referral, the next appointment, a
//! benefit that ends.

use super::context::blocked;
use super::{Flag, Frame, FrameKind, FrameValue, Sentence};
use crate::calendar::{Date, WEEKDAYS};
use crate::dates;
use crate::fact::{FactValue, Speaker};
use crate::gazetteer::Gazetteer;
use crate::numbers::parse_words;

/// Stems of health complaints, as clients and notes say them.
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
    "operatie",
    "geopereerd",
    "medicatie",
    "medicijn",
    "psycholoog",
    "psychiater",
    "burn-out",
    "burnout",
    "overspannen",
    "hernia",
    "migraine",
    "hoofdpijn",
    "moe",
    "vermoeid",
    "zwanger",
    "beperking",
    "handicap",
    "revalidatie",
    "kinesist",
    "fysio",
    "ptss",
    "trauma",
    "stress",
    "somber",
    "epilep",
    "kanker",
    "chemo",
    "longen",
    "copd",
    "reuma",
    "artrose",
];

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
];

/// Stems that make a sentence a referral.
const REFERRAL: &[&str] = &[
    "verwijs",
    "verwijz",
    "doorverw",
    "aanmeld",
    "meld",
    "aangemeld",
];

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
        .collect()
}

/// The time of day in a sentence: "om 9.30 uur", "om 14u", "9u30", "10.00 uur", "14:00",
/// "om tien uur", "om half tien".
fn time_in(s: &Sentence<'_>) -> Option<(u32, u32)> {
    let word = |k: usize| s.tokens.get(k).map_or("", |t| t.lower.as_str());
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

/// Whether a sentence speaks of the next appointment.
pub(crate) fn is_appointment(s: &Sentence<'_>) -> bool {
    (0..s.tokens.len()).any(|k| {
        APPOINTMENT
            .iter()
            .any(|p| crate::scan::phrase_at(&s.tokens, k, p))
    })
}

/// Frames told in words in every sentence.
pub(crate) fn find(sentences: &[Sentence<'_>], contact: Date, gazetteer: &Gazetteer) -> Vec<Frame> {
    let mut out = Vec::new();
    for s in sentences {
        let frame = |kind, value, flag| Frame {
            kind,
            value,
            said_by: s.seg.speaker,
            sources: vec![s.seg.id],
            flag,
        };
        let question = s.is_question();
        let worker = s.seg.speaker == Speaker::Worker;
        let told = !question && !worker;
        let quote = || FrameValue::Quote {
            text: s.text().to_owned(),
        };
        // Health, as the client or the notes tell it.
        if told
            && let Some(k) = s
                .tokens
                .iter()
                .position(|t| HEALTH.iter().any(|h| t.lower.starts_with(h)))
            && blocked(s, k, None).is_none()
        {
            out.push(frame(FrameKind::Health, quote(), None));
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
            && matches!(s.seg.speaker, Speaker::Worker | Speaker::Note)
            && s.has_stem(REFERRAL)
            && s.has_word(&["naar", "bij"])
        {
            let services = gazetteer.find(s.seg, &s.tokens);
            let naar = s
                .tokens
                .iter()
                .position(|t| t.lower == "naar" || t.lower == "bij")
                .map_or(0, |k| s.tokens[k].start);
            if let Some(FactValue::Organisation { name }) = services
                .into_iter()
                .find(|f| f.span.start > naar)
                .map(|f| f.value)
            {
                out.push(frame(
                    FrameKind::Referral,
                    FrameValue::Service { name },
                    None,
                ));
            }
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
            && blocked(s, d.at, None).is_none()
        {
            let what = s
                .tokens
                .iter()
                .find(|t| BENEFIT.iter().any(|b| t.lower.starts_with(b)))
                .map(|t| t.lower.clone());
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
