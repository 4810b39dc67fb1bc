//! Dates: "3 december", "drie december 2026", "03/12/2026", weekdays ("vrijdag", "volgende week
//! dinsdag"), "morgen", "overmorgen", all resolved against the date of the contact.

use crate::calendar::{Date, MONTHS, WEEKDAYS};
use crate::fact::{Fact, FactValue, Segment};
use crate::numbers::parse_words;
use crate::scan::{fact, phrase_at};
use crate::token::Token;

fn month_of(word: &str) -> Option<u32> {
    // Full names, or the usual three-letter abbreviations ("dec").
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() == 3 && m.starts_with(word)))
        .map(|i| i as u32 + 1)
}

/// A day written as an ordinal at token `i`: "29ste", "3de", "1e" (digits and suffix are two
/// tokens, written together). Gives the day and the suffix token.
fn ordinal_at(tokens: &[Token<'_>], i: usize) -> Option<(u32, usize)> {
    let (digits, suffix) = (tokens.get(i)?, tokens.get(i + 1)?);
    if !digits.raw.chars().all(|c| c.is_ascii_digit())
        || digits.end != suffix.start
        || !matches!(suffix.lower.as_str(), "ste" | "de" | "e")
    {
        return None;
    }
    let n: u32 = digits.raw.parse().ok()?;
    (1..=31).contains(&n).then_some((n, i + 1))
}

/// Words that may follow a bare ordinal day ("tegen de 29ste de brief binnenbrengen"); any
/// other word makes it something else ("de 2de verdieping").
const AFTER_BARE_DAY: &[&str] = &[
    "de", "het", "een", "uw", "je", "jouw", "jullie", "zijn", "haar", "om", "van", "en", "of",
    "binnen", "bij", "mee", "langs", "alles", "alle",
];

/// "tegen de 29ste": the first such day of a month on or after `contact`, with its last token.
fn bare_day(tokens: &[Token<'_>], i: usize, contact: Date) -> Option<(Date, usize)> {
    let (day, last) = ordinal_at(tokens, i)?;
    let the = i.checked_sub(1).map(|k| tokens[k].lower.as_str()) == Some("de");
    let intro = i.checked_sub(2).map(|k| tokens[k].lower.as_str());
    let follows = tokens
        .get(last + 1)
        .is_none_or(|t| AFTER_BARE_DAY.contains(&t.lower.as_str()));
    if !(the && matches!(intro, Some("tegen" | "op" | "voor" | "vóór" | "tot")) && follows) {
        return None;
    }
    let date = (0..3).find_map(|ahead| {
        let months = contact.month - 1 + ahead;
        let year = contact.year + i32::try_from(months / 12).ok()?;
        Date::new(year, months % 12 + 1, day).filter(|d| *d >= contact)
    })?;
    Some((date, last))
}

fn day_of(token: &Token<'_>) -> Option<u32> {
    let n = if token.raw.chars().all(|c| c.is_ascii_digit()) {
        token.raw.parse().ok()?
    } else {
        u32::try_from(parse_words(&token.lower)?).ok()?
    };
    (1..=31).contains(&n).then_some(n)
}

/// The year that puts `month`/`day` closest to `around`.
fn nearest_year(month: u32, day: u32, around: Date) -> Option<Date> {
    [around.year - 1, around.year, around.year + 1]
        .into_iter()
        .filter_map(|y| Date::new(y, month, day))
        .min_by_key(|d| (d.days_since_epoch() - around.days_since_epoch()).abs())
}

fn numeric_date(raw: &str, around: Date) -> Option<Date> {
    let sep = if raw.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = raw.split(sep).collect();
    let num = |s: &str| s.parse::<u32>().ok();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => Date::new(y.parse().ok()?, num(m)?, num(d)?),
        [d, m] if !raw.contains('.') => nearest_year(num(m)?, num(d)?, around),
        _ => None,
    }
}

fn weekday_of(word: &str) -> Option<usize> {
    // "vrijdag", also "vrijdagochtend", "vrijdagnamiddag".
    WEEKDAYS.iter().position(|w| word.starts_with(w))
}

/// Finds dates in one segment; `contact` is the day of the conversation.
pub fn find(seg: &Segment, tokens: &[Token<'_>], contact: Date) -> Vec<Fact> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // "3 december [2026]", "12de januari"
        let (day, day_last) = match ordinal_at(tokens, i) {
            Some((day, last)) => (Some(day), last),
            None => (day_of(t), i),
        };
        if let (Some(day), Some(month)) = (
            day,
            tokens.get(day_last + 1).and_then(|m| month_of(&m.lower)),
        ) {
            let year = tokens
                .get(day_last + 2)
                .filter(|y| y.raw.len() == 4 && y.raw.chars().all(|c| c.is_ascii_digit()))
                .and_then(|y| y.raw.parse::<i32>().ok())
                .filter(|y| (1900..=2199).contains(y));
            let date = match year {
                Some(y) => Date::new(y, month, day),
                None => nearest_year(month, day, contact),
            };
            if let Some(date) = date {
                let last = day_last + 1 + usize::from(year.is_some());
                found.push(fact(seg, tokens, i, last, FactValue::Date { date }));
                i = last + 1;
                continue;
            }
        }
        // "tegen de 29ste"
        if let Some((date, last)) = bare_day(tokens, i, contact) {
            found.push(fact(seg, tokens, i - 1, last, FactValue::Date { date }));
            i = last + 1;
            continue;
        }
        // "03/12/2026", "3-12"
        if t.is_numeric() && (t.raw.contains('/') || t.raw.contains('-')) {
            if let Some(date) = numeric_date(t.raw, contact) {
                found.push(fact(seg, tokens, i, i, FactValue::Date { date }));
            }
            i += 1;
            continue;
        }
        // "morgen", "overmorgen"
        let offset = match t.lower.as_str() {
            "morgen" => Some(1),
            "overmorgen" => Some(2),
            _ => None,
        };
        if let Some(days) = offset {
            found.push(fact(
                seg,
                tokens,
                i,
                i,
                FactValue::Date {
                    date: contact.add_days(days),
                },
            ));
            i += 1;
            continue;
        }
        // Weekdays, with "volgende week" / "vorige (week)" / "afgelopen" before them. A weekday
        // followed by its date ("maandag 5 oktober") is the date, found on the next token.
        let dated = tokens
            .get(i + 1)
            .zip(tokens.get(i + 2))
            .is_some_and(|(d, m)| day_of(d).is_some() && month_of(&m.lower).is_some());
        if let Some(wd) = weekday_of(&t.lower).filter(|_| !dated) {
            let today = contact.weekday() as i64;
            let wd = wd as i64;
            let (first, date) = if i >= 2 && phrase_at(tokens, i - 2, &["volgende", "week"]) {
                // The weekday in the week after this one (weeks start on Monday).
                let next_monday = contact.add_days(7 - today);
                (i - 2, next_monday.add_days(wd))
            } else if i >= 2 && phrase_at(tokens, i - 2, &["vorige", "week"]) {
                // The weekday in the week before this one.
                let last_monday = contact.add_days(-today - 7);
                (i - 2, last_monday.add_days(wd))
            } else if i >= 1 && matches!(tokens[i - 1].lower.as_str(), "vorige" | "afgelopen") {
                let back = (today - wd).rem_euclid(7);
                (i - 1, contact.add_days(-(if back == 0 { 7 } else { back })))
            } else {
                let ahead = (wd - today).rem_euclid(7);
                let first =
                    if i >= 1 && matches!(tokens[i - 1].lower.as_str(), "volgende" | "komende") {
                        i - 1
                    } else {
                        i
                    };
                (first, contact.add_days(if ahead == 0 { 7 } else { ahead }))
            };
            found.push(fact(seg, tokens, first, i, FactValue::Date { date }));
        }
        i += 1;
    }
    found
}
