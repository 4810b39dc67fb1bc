//! Money frames: rent, other housing costs, incomes and debts.
//!
//! An amount takes the frame of the cue words in its clause (then its sentence); an answer
//! without cue words takes the frame of the worker's question before it. A figure the speaker
//! corrects ("zeshonderd — nee, zevenhonderd") gives one frame with the correction, flagged.

use super::context::{blocked, clause, wide_clause};
use super::{Flag, Frame, FrameKind, FrameValue, Sentence};
use crate::fact::{FactValue, Period, Speaker};
use crate::money;
use crate::numbers::{parse_digits_hundredths, parse_words};
use crate::scan::number_at;
use crate::token::Token;

/// Stems that make an amount a debt.
const DEBT: &[&str] = &[
    "schuld",
    "openstaan",
    "factuur",
    "facturen",
    "terugvorder",
    "vorder",
    "terugbetal",
    "teruggev",
    "geleend",
    "incasso",
    "achterstal",
    "achterstand",
    "huurachterst",
    "openstaand",
    "onbetaald",
    "aanmaning",
    "deurwaarder",
    "boete",
    "lening",
    "krediet",
    "tekort",
    "rood",
];

/// Debt stems that name the kind of debt (not the bailiff or the letter about it).
const DEBT_NOUNS: &[&str] = &[
    "schuld",
    "achterstal",
    "achterstand",
    "huurachterst",
    "terugvordering",
    "factuur",
    "facturen",
    "boete",
    "lening",
    "krediet",
    "tekort",
];

/// Stems of a repayment ("ik los 50 per maand af"), which is not the debt itself.
const REPAYMENT: &[&str] = &["afbeta", "aflos", "los", "terugbeta", "afloss"];

/// Stems of housing costs other than rent, with the word used in the sentence.
const HOUSING: &[&str] = &[
    "energie",
    "elektriciteit",
    "stroom",
    "gas",
    "water",
    "verwarming",
    "stookkosten",
    "servicekosten",
    "syndic",
    "gemeenschappelijke",
    "vaste lasten",
];

/// Stems of an income, with the source word they give.
const INCOME: &[(&str, &str)] = &[
    ("leefloon", "leefloon"),
    ("loon", "loon"),
    ("salaris", "loon"),
    ("verdien", "loon"),
    ("netto", "loon"),
    ("werkloosheid", "werkloosheidsuitkering"),
    ("ww-uitkering", "WW-uitkering"),
    ("ww", "WW-uitkering"),
    ("rva", "werkloosheidsuitkering"),
    ("ziekte-uitkering", "ziekte-uitkering"),
    ("ziekteuitkering", "ziekte-uitkering"),
    ("ziekengeld", "ziekengeld"),
    ("mutualiteit", "uitkering van de mutualiteit"),
    ("invaliditeit", "invaliditeitsuitkering"),
    ("pensioen", "pensioen"),
    ("bijstand", "bijstand"),
    ("participatiewet", "bijstand"),
    ("groeipakket", "groeipakket"),
    ("kinderbijslag", "kinderbijslag"),
    ("kindgebonden", "kindgebonden budget"),
    ("kindergeld", "groeipakket"),
    ("huurtoeslag", "huurtoeslag"),
    ("zorgtoeslag", "zorgtoeslag"),
    ("kinderopvangtoeslag", "kinderopvangtoeslag"),
    ("toeslag", "toeslag"),
    ("huurpremie", "huurpremie"),
    ("huursubsidie", "huursubsidie"),
    ("huurtoelage", "huurtoelage"),
    ("alimentatie", "alimentatie"),
    ("vergoeding", "vergoeding"),
    ("onderhoudsgeld", "onderhoudsgeld"),
    ("uitkering", "uitkering"),
    ("uitk", "uitkering"),
    ("inkomen", "inkomen"),
    ("wajong", "Wajong"),
    ("gp", "groeipakket"),
    ("anw", "Anw-uitkering"),
    ("aow", "AOW"),
];

/// Words that look like rent stems but are not the rent.
const NOT_RENT: &[&str] = &[
    "huurcontract",
    "huurder",
    "huurwaarborg",
    "huurwoning",
    "huurbaas",
    "huurovereenkomst",
];

/// Words before a creditor.
const CREDITOR_INTRO: &[&str] = &["bij", "aan", "tegenover", "namens"];

/// Small words skipped between "bij" and the creditor.
const ARTICLES: &[&str] = &["de", "het", "een", "mijn", "haar", "zijn", "onze", "m'n"];

/// Lowercase creditors named by what they are ("bij de huisbaas").
const CREDITOR_NOUNS: &[&str] = &[
    "energieleverancier",
    "huisbaas",
    "verhuurder",
    "zorgverzekering",
    "zorgverzekeraar",
    "ziekenhuis",
    "bank",
    "belastingen",
    "belastingdienst",
    "gemeente",
    "woonmaatschappij",
    "woningcorporatie",
    "huisvestingsmaatschappij",
    "mutualiteit",
    "ziekenfonds",
    "provider",
    "waterbedrijf",
    "watermaatschappij",
    "school",
    "tandarts",
    "apotheek",
    "incassobureau",
    "deurwaarder",
    "advocaat",
    "gsm-operator",
    "telefoonmaatschappij",
    "ocmw",
    "familie",
];

/// The frame a cue word gives, with what the amount is for or from.
/// Whether the sentence says a debt is paid: "maar dat is al betaald", "intussen vereffend"
/// ("nog niet betaald", "moet betaald worden" are open).
fn paid(s: &Sentence<'_>) -> bool {
    s.tokens.iter().enumerate().any(|(k, t)| {
        matches!(
            t.lower.as_str(),
            "betaald" | "afbetaald" | "terugbetaald" | "vereffend" | "afgelost" | "voldaan"
        ) && (k.saturating_sub(3)..k)
            .any(|j| matches!(s.tokens[j].lower.as_str(), "al" | "intussen" | "inmiddels"))
            && !(k.saturating_sub(3)..k).any(|j| {
                matches!(
                    s.tokens[j].lower.as_str(),
                    "niet" | "nog" | "moet" | "moeten" | "te" | "wordt" | "worden" | "geen"
                )
            })
    })
}

fn cue(t: &Token<'_>) -> Option<(FrameKind, Option<String>)> {
    let w = t.lower.as_str();
    if w.starts_with("huurachter") || w.starts_with("huurschuld") {
        return Some((FrameKind::Debt, Some(w.to_owned())));
    }
    if matches!(
        w,
        "open" | "achter" | "terug" | "rood" | "openstaan" | "openstaand"
    ) {
        return Some((FrameKind::Debt, None));
    }
    if DEBT
        .iter()
        .any(|s| w.starts_with(s) || (s.len() >= 6 && w.contains(s)))
    {
        // The kind of debt as said: "achterstal", "terugvordering", "schoolfactuur".
        let noun = DEBT_NOUNS
            .iter()
            .any(|n| w.starts_with(n) || (n.len() >= 6 && w.contains(n)));
        return Some((FrameKind::Debt, noun.then(|| w.to_owned())));
    }
    if matches!(
        w,
        "studio" | "woning" | "appartement" | "kamer" | "flat" | "huisje"
    ) {
        return Some((FrameKind::Rent, None));
    }
    if w.starts_with("huur") && !NOT_RENT.contains(&w) {
        if let Some((_, source)) = INCOME.iter().find(|(s, _)| w.starts_with(s)) {
            return Some((FrameKind::Income, Some((*source).to_owned())));
        }
        return Some((FrameKind::Rent, None));
    }
    if let Some(h) = HOUSING
        .iter()
        .find(|s| !s.contains(' ') && w.starts_with(*s))
    {
        let what = match *h {
            "gemeenschappelijke" => "de gemeenschappelijke delen",
            other => other,
        };
        return Some((FrameKind::HousingCost, Some(what.to_owned())));
    }
    INCOME
        .iter()
        .find(|(stem, _)| {
            if stem.len() <= 3 {
                w == *stem
            } else if stem.len() >= 7 {
                // "nabestaandenpensioen", "invaliditeitsuitkering".
                w.contains(stem)
            } else {
                w.starts_with(stem)
            }
        })
        .map(|(stem, source)| {
            // The source as said, unless the cue is a verb or a generic word.
            let said = w.len() > stem.len()
                && !matches!(*stem, "verdien" | "netto" | "salaris" | "loon" | "inkomen");
            let what = if said { w } else { source };
            (FrameKind::Income, Some(what.to_owned()))
        })
}

/// The best cue of the tokens in `range`: a debt cue wins over the others (a rent arrear is a
/// debt), then the cue nearest to `at`.
fn best_cue(
    s: &Sentence<'_>,
    range: std::ops::Range<usize>,
    at: usize,
) -> Option<(usize, FrameKind, Option<String>)> {
    let found: Vec<(usize, FrameKind, Option<String>)> = range
        .filter_map(|k| cue(&s.tokens[k]).map(|(kind, what)| (k, kind, what)))
        .collect();
    found
        .iter()
        .find(|(_, k, _)| *k == FrameKind::Debt)
        .or_else(|| {
            // A payer ("de mutualiteit") says less than the income it pays
            // ("invaliditeitsuitkering van de mutualiteit").
            found
                .iter()
                .min_by_key(|(k, _, _)| (s.tokens[*k].lower == "mutualiteit", k.abs_diff(at)))
        })
        .cloned()
}

/// The creditor of a debt: a name or creditor noun after "bij"/"aan" in `range` ("bij mijn
/// zorgverzekering VGZ" → "VGZ"), or a name that opens the clause ("Het CJIB wil 860 euro").
fn creditor(s: &Sentence<'_>, range: std::ops::Range<usize>) -> Option<String> {
    let end = range.end;
    let name_from = |first: usize| {
        let mut last = first;
        while last + 1 < end && s.tokens[last + 1].is_capitalised() {
            last += 1;
        }
        s.seg.text[s.tokens[first].start..s.tokens[last].end].to_owned()
    };
    let named = |t: &Token<'_>| {
        t.is_capitalised()
            && !t.is_numeric()
            && !matches!(
                t.lower.as_str(),
                "ik" | "u" | "ze" | "hij" | "zij" | "het" | "de" | "mw" | "dhr"
            )
    };
    for k in range.clone() {
        if !CREDITOR_INTRO.contains(&s.tokens[k].lower.as_str()) {
            continue;
        }
        let mut first = k + 1;
        while first < end && ARTICLES.contains(&s.tokens[first].lower.as_str()) {
            first += 1;
        }
        let Some(t) = s.tokens.get(first).filter(|_| first < end) else {
            continue;
        };
        if named(t) {
            return Some(name_from(first));
        }
        if CREDITOR_NOUNS
            .iter()
            .any(|n| t.lower.starts_with(n) || (n.len() >= 5 && t.lower.contains(n)))
        {
            // "bij mijn zorgverzekering VGZ": the name after the noun.
            if s.tokens
                .get(first + 1)
                .is_some_and(|n| first + 1 < end && named(n))
            {
                return Some(name_from(first + 1));
            }
            return Some(t.raw.to_owned());
        }
    }
    // "Het CJIB wil 860 euro", "Fluvius vraagt 300 euro", "De Watergroep heeft een
    // deurwaarder ingeschakeld voor een achterstal van 275 euro".
    let start = range.start;
    let mut first = start;
    while first < end && ARTICLES.contains(&s.tokens[first].lower.as_str()) {
        first += 1;
    }
    let collects = s.has_stem(&["deurwaarder", "aanmaning", "incasso", "ingebrekestelling"]);
    let demands = |k: usize| {
        s.tokens.get(k).is_some_and(|t| {
            matches!(
                t.lower.as_str(),
                "wil" | "vraagt" | "eist" | "vordert" | "claimt" | "stuurt" | "rekent"
            ) || (collects
                && matches!(
                    t.lower.as_str(),
                    "heeft" | "stuurde" | "schakelde" | "dreigt" | "schakelt"
                ))
        })
    };
    let person = |t: &Token<'_>| {
        TITLE_WORDS.contains(&t.lower.as_str())
            || matches!(
                t.lower.as_str(),
                "meneer" | "mijnheer" | "cliënte" | "client" | "betrokkene" | "we" | "wij" | "zij"
            )
    };
    s.tokens
        .get(first)
        .filter(|t| {
            let acronym = t.raw.len() >= 2 && t.raw.chars().all(|c| c.is_uppercase());
            first < end && named(t) && !person(t) && (acronym || demands(first + 1))
        })
        .map(|_| name_from(first))
}

/// With several amounts in one sentence, each takes the creditor named nearest to it between
/// its neighbours: "Bij Luminus heb ik 640 euro achterstal en bij Proximus 210."
fn nearest_creditor(
    s: &Sentence<'_>,
    around: &std::ops::Range<usize>,
    found: &[Amount],
    n: usize,
) -> Option<String> {
    if found.len() < 2 {
        return None;
    }
    let at = found[n].first;
    let from = n
        .checked_sub(1)
        .map_or(around.start, |p| (found[p].last + 1).max(around.start));
    let to = found
        .get(n + 1)
        .map_or(around.end, |next| next.first.min(around.end));
    (from..to)
        .filter(|&k| CREDITOR_INTRO.contains(&s.tokens[k].lower.as_str()))
        .filter_map(|k| creditor(s, k..to).map(|name| (k.abs_diff(at), name)))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// The name nearest before token `at` in `range`, skipping up to three lowercase words:
/// "deurwaarder Fluvius 2.300 €", "DUO studieschuld ca. 8.000 €". The sentence's first word
/// counts only as an acronym ("CZ").
fn name_before(s: &Sentence<'_>, range: std::ops::Range<usize>, at: usize) -> Option<String> {
    let mut skipped = 0;
    let mut k = at;
    while k > range.start {
        k -= 1;
        let t = &s.tokens[k];
        if t.is_capitalised() && !t.is_numeric() {
            let acronym = t.raw.chars().all(|c| c.is_uppercase()) && t.raw.len() >= 2;
            if (k == 0 && !acronym) || TITLE_WORDS.contains(&t.lower.as_str()) {
                return None;
            }
            let mut first = k;
            while first > range.start
                && s.tokens[first - 1].is_capitalised()
                && first - 1 != 0
                && !TITLE_WORDS.contains(&s.tokens[first - 1].lower.as_str())
            {
                first -= 1;
            }
            return Some(s.seg.text[s.tokens[first].start..t.end].to_owned());
        }
        if t.is_numeric() || t.lower == "€" || t.lower == "euro" {
            return None;
        }
        skipped += 1;
        if skipped > 3 {
            return None;
        }
    }
    None
}

/// Capitalised words that name the client or the worker, not a creditor.
const TITLE_WORDS: &[&str] = &[
    "mw", "mevrouw", "meneer", "dhr", "cl", "cliënt", "ik", "u", "mevr",
];

/// An amount found in a sentence: token range and value.
struct Amount {
    first: usize,
    last: usize,
    cents: u64,
    period: Option<Period>,
}

/// Period abbreviations of typed notes right after an amount: "p/m", "pm", "/mnd", "p.w.".
fn abbreviated_period(s: &Sentence<'_>, after: usize) -> Option<(Period, usize)> {
    let word = |k: usize| s.tokens.get(k).map(|t| t.lower.as_str());
    match (word(after), word(after + 1)) {
        (Some("p"), Some("m" | "mnd")) => Some((Period::Month, after + 1)),
        (Some("p"), Some("w")) => Some((Period::Week, after + 1)),
        (Some("p"), Some("j")) => Some((Period::Year, after + 1)),
        (Some("pm" | "mnd" | "maand"), _) => Some((Period::Month, after)),
        (Some("per"), Some("mnd")) => Some((Period::Month, after + 1)),
        _ => None,
    }
}

/// Whether token `k` holds a plain number that reads as euros in telegram notes.
fn bare_number(t: &Token<'_>) -> Option<u64> {
    if !t.is_numeric() || t.raw.contains('/') || t.raw.contains('-') {
        return None;
    }
    parse_digits_hundredths(t.raw).filter(|v| *v >= 1_000)
}

/// The amounts of a sentence: with "€"/"euro", and in notes bare numbers after a cue word or
/// before a period abbreviation ("huur 650", "650 p/m").
fn amounts(s: &Sentence<'_>) -> Vec<Amount> {
    let mut out: Vec<Amount> = money::find(s.seg, &s.tokens)
        .into_iter()
        .filter_map(|f| {
            let FactValue::Money { cents, period } = f.value else {
                return None;
            };
            let first = s.tokens.iter().position(|t| t.start == f.span.start)?;
            let last = s.tokens.iter().rposition(|t| t.end == f.span.end)?;
            let (period, last) = match (period, abbreviated_period(s, last + 1)) {
                (None, Some((p, end))) => (Some(p), end),
                _ => (period, last),
            };
            Some(Amount {
                first,
                last,
                cents,
                period,
            })
        })
        .collect();
    for (k, t) in s.tokens.iter().enumerate() {
        // "1.850 per maand", "Wajong, 1.280 per maand": a figure with a period is money.
        let word = |j: usize| s.tokens.get(j).map_or("", |t| t.lower.as_str());
        let per = matches!(
            (word(k + 1), word(k + 2)),
            ("per", "maand" | "week" | "jaar" | "kwartaal") | ("in", "de")
        ) && !(word(k + 1) == "in" && word(k + 3) != "maand");
        if !per || out.iter().any(|a| (a.first..=a.last).contains(&k)) {
            continue;
        }
        if let Some(cents) = bare_number(t) {
            let period = match word(k + 2) {
                "week" => Period::Week,
                "jaar" => Period::Year,
                "kwartaal" => Period::Quarter,
                _ => Period::Month,
            };
            out.push(Amount {
                first: k,
                last: k + 2 + usize::from(word(k + 1) == "in"),
                cents,
                period: Some(period),
            });
        }
    }
    // In a sentence about debts, a bare figure next to a creditor or "open": "bij Proximus
    // 210", "bij Wehkamp staat nog 530 open", "waarvan 6.200 bij Cofidis".
    if owing(s) {
        for (k, t) in s.tokens.iter().enumerate() {
            if out.iter().any(|a| (a.first..=a.last).contains(&k)) {
                continue;
            }
            let Some(cents) = bare_number(t).filter(|c| !(190_000..=210_000).contains(c)) else {
                continue;
            };
            let word = |j: usize| s.tokens.get(j).map_or("", |t| t.lower.as_str());
            let gap_before = match k.checked_sub(1) {
                Some(j) => &s.seg.text[s.tokens[j].end..t.start],
                None => "",
            };
            let before_name = k >= 2
                && s.tokens[k - 1].is_capitalised()
                && !s.tokens[k - 1].is_numeric()
                && !gap_before.contains('(');
            let next_ok = matches!(
                word(k + 1),
                "open" | "openstaan" | "bij" | "achterstal" | "achter" | ""
            );
            let prev_ok = matches!(
                word(k.wrapping_sub(1)),
                "nog" | "ca" | "ongeveer" | "waarvan" | "zo'n"
            );
            let unit_after = matches!(
                word(k + 1),
                "jaar"
                    | "maanden"
                    | "maand"
                    | "weken"
                    | "dagen"
                    | "uur"
                    | "kinderen"
                    | "km"
                    | "keer"
            );
            if (before_name || next_ok || prev_ok) && !unit_after {
                out.push(Amount {
                    first: k,
                    last: k,
                    cents,
                    period: None,
                });
            }
        }
    }
    if s.seg.speaker == Speaker::Note || s.seg.speaker == Speaker::Client {
        for (k, t) in s.tokens.iter().enumerate() {
            if out.iter().any(|a| (a.first..=a.last).contains(&k)) {
                continue;
            }
            let Some(cents) = bare_number(t) else {
                continue;
            };
            // "1.720 netto p/m": the period may follow "netto" or "bruto".
            let abbreviated = abbreviated_period(s, k + 1).or_else(|| {
                s.tokens
                    .get(k + 1)
                    .filter(|n| matches!(n.lower.as_str(), "netto" | "bruto"))
                    .and_then(|_| abbreviated_period(s, k + 2))
            });
            // "huur 650", "Loon art. 60: ca. 1.720": the cue may stand a few words before.
            let previous = k.checked_sub(1).map(|j| &s.tokens[j]);
            let approximate = previous
                .is_some_and(|p| matches!(p.lower.as_str(), "ca" | "ong" | "ongeveer" | "zo'n"));
            let cue_before = (k.saturating_sub(4)..k).any(|j| cue(&s.tokens[j]).is_some());
            let after_cue =
                previous.is_some_and(|p| cue(p).is_some()) || (cue_before && approximate);
            let unit_after = s.tokens.get(k + 1).is_some_and(|n| {
                matches!(
                    n.lower.as_str(),
                    "jaar" | "maanden" | "maand" | "weken" | "dagen" | "uur" | "kinderen" | "km"
                )
            });
            if (abbreviated.is_some() || (after_cue && s.seg.speaker == Speaker::Note))
                && !(unit_after && abbreviated.is_none())
            {
                out.push(Amount {
                    first: k,
                    last: abbreviated.map_or(k, |(_, e)| e),
                    cents,
                    period: abbreviated.map(|(p, _)| p),
                });
            }
        }
    }
    crate::order::sort_by_key(&mut out, |a| a.first);
    out
}

/// "Ik verdien zo'n 2.100 per maand." — "Nee, dat is bruto. Netto is het 1.850 per maand.": the
/// income said first was gross; the net figure after it is the income, flagged with both.
fn gross_corrected(sentences: &[Sentence<'_>], out: &mut Vec<Frame>) {
    for (i, s) in sentences.iter().enumerate() {
        if !s.has_word(&["bruto"]) || !amounts(s).is_empty() {
            continue;
        }
        let here = s.seg.id;
        // The income just before (within the three previous segments).
        let Some(gross) = out.iter().rposition(|f| {
            f.kind == FrameKind::Income && f.sources.iter().all(|&id| id < here && here - id <= 3)
        }) else {
            continue;
        };
        let earlier = out[gross].value.normalised();
        let later: Vec<u32> = sentences[i + 1..]
            .iter()
            .take(2)
            .filter(|n| n.has_word(&["netto"]))
            .map(|n| n.seg.id)
            .collect();
        let net = out.iter().position(|f| {
            f.kind == FrameKind::Income && f.sources.iter().any(|id| later.contains(id))
        });
        if let Some(net) = net {
            out[net].flag = Some(Flag::TwoValues { earlier });
            out.remove(gross);
        }
    }
}

/// Whether the sentence is a line of notes under a debt heading: "Schulden: energie ca. 1.400,
/// water 260, telecom 310", "Openstaande facturen: …".
fn debt_heading(s: &Sentence<'_>) -> bool {
    let text = &s.seg.text;
    (0..s.tokens.len().min(2)).any(|k| {
        let t = &s.tokens[k];
        let next = s.tokens.get(k + 1).map_or(text.len(), |n| n.start);
        matches!(cue(t), Some((FrameKind::Debt, _))) && text[t.end..next].contains(':')
    })
}

/// What a listed debt is for, as the notes name it: the word that opens its clause ("energie
/// ca. 1.400" → "energie", "telecom 310" → "telecom").
fn heading_item(s: &Sentence<'_>, around: &std::ops::Range<usize>) -> Option<String> {
    let t = s.tokens.get(around.start)?;
    let word = t.raw.trim_start_matches(['-', '•', '*']);
    let is_item = word.chars().count() >= 3
        && word.chars().all(char::is_alphabetic)
        && !matches!(cue(t), Some((FrameKind::Debt, _)))
        && !matches!(
            t.lower.as_str(),
            "nog" | "bij" | "aan" | "van" | "voor" | "ook" | "een"
        );
    is_item.then(|| word.to_owned())
}

/// Whether a sentence speaks of money owed: a debt word, or "nog … betalen", "niet betaald".
fn owing(s: &Sentence<'_>) -> bool {
    s.tokens
        .iter()
        .any(|t| matches!(cue(t), Some((FrameKind::Debt, _))))
        || s.has_word(&["tegoed"])
        || (s.has_word(&["betalen", "terugbetalen"]) && s.has_word(&["nog"]))
        || s.tokens
            .windows(2)
            .any(|w| w[0].lower == "niet" && w[1].lower == "betaald")
}

/// A correction marker between two amounts: "nee", "sorry", "ik bedoel".
fn corrected_between(s: &Sentence<'_>, from: usize, to: usize) -> bool {
    (from..to).any(|k| {
        matches!(
            s.tokens[k].lower.as_str(),
            "nee"
                | "neen"
                | "sorry"
                | "pardon"
                | "excuseer"
                | "correctie"
                | "verbetering"
                | "corrigeert"
                | "verbetert"
                | "gecorrigeerd"
                | "verbeterd"
        ) || (s.tokens[k].lower == "ik" && s.tokens.get(k + 1).is_some_and(|t| t.lower == "bedoel"))
    })
}

/// A bare number before a correction marker just before the amount at `first` ("Elfhonderd —
/// nee, twaalfhonderdveertig euro"), in hundredths.
fn corrected_before(s: &Sentence<'_>, first: usize) -> Option<u64> {
    let marker = (first.saturating_sub(3)..first).find(|&k| corrected_between(s, k, k + 1))?;
    let end = marker;
    let start = (end.saturating_sub(4)..end)
        .find(|&j| s.tokens[j].is_numeric() || parse_words(&s.tokens[j].lower).is_some())?;
    let (stop, v) = number_at(&s.tokens, start)?;
    (stop == end && v >= 1_000).then_some(v)
}

/// A number after a correction marker without its unit ("Nee, zevenhonderd."), in hundredths.
fn corrected_number(s: &Sentence<'_>, after: usize) -> Option<(usize, u64)> {
    let k = (after..s.tokens.len()).find(|&k| corrected_between(s, k, k + 1))?;
    let start = (k + 1..s.tokens.len().min(k + 4))
        .find(|&j| s.tokens[j].is_numeric() || parse_words(&s.tokens[j].lower).is_some())?;
    number_at(&s.tokens, start).map(|(end, v)| (end - 1, v))
}

/// "Drie maanden huur", "2 maand huur": the rent cue at `k` counts months of rent, which is
/// what is owed (an arrear), not what the rent is.
fn months_of_rent(s: &Sentence<'_>, k: usize) -> bool {
    let Some(months) = k.checked_sub(1).map(|m| &s.tokens[m]) else {
        return false;
    };
    months.lower.starts_with("maand")
        && k.checked_sub(2)
            .map(|n| &s.tokens[n])
            .is_some_and(|n| n.is_numeric() || parse_words(&n.lower).is_some())
}

/// The frame of the worker's question just before `index` (the previous one or two sentences),
/// for an answer without cue words.
fn asked(sentences: &[Sentence<'_>], index: usize) -> Option<(u32, FrameKind, Option<String>)> {
    let here = sentences[index].seg.id;
    sentences[..index]
        .iter()
        .rev()
        .take(3)
        .find(|q| {
            matches!(q.seg.speaker, Speaker::Worker | Speaker::Unknown)
                && q.is_question()
                && q.seg.id != here
        })
        .and_then(|q| {
            let all = 0..q.tokens.len();
            best_cue(q, all, q.tokens.len()).map(|(_, kind, what)| (q.seg.id, kind, what))
        })
}

/// Money frames of every sentence.
pub(crate) fn find(sentences: &[Sentence<'_>]) -> Vec<Frame> {
    let mut out = Vec::new();
    for (index, s) in sentences.iter().enumerate() {
        // The worker's own figures are questions or summaries: the client's answer counts. An
        // unrecognised voice's question may be the worker's.
        if s.seg.speaker == Speaker::Worker
            || (s.seg.speaker == Speaker::Unknown && s.is_question())
        {
            continue;
        }
        let found = amounts(s);
        let heading = debt_heading(s);
        let mut skip_until = 0;
        for (n, a) in found.iter().enumerate() {
            if a.first < skip_until {
                continue;
            }
            // A correction: this amount, a marker, then another amount or a bare number.
            let mut value = (a.cents, a.period, a.last);
            let mut flag = None;
            let mut earlier_bare: Option<Amount> = None;
            if let Some(next) = found
                .get(n + 1)
                .filter(|b| corrected_between(s, a.last + 1, b.first))
            {
                value = (next.cents, next.period.or(a.period), next.last);
                skip_until = next.last + 1;
                flag = Some(a);
            } else if let Some((end, cents)) =
                corrected_number(s, a.last + 1).filter(|(_, v)| *v >= 1_000 && *v != a.cents)
            {
                value = (cents, a.period, end);
                skip_until = end + 1;
                flag = Some(a);
            } else if let Some(earlier) = corrected_before(s, a.first) {
                // "Elfhonderd — nee, twaalfhonderdveertig euro per maand."
                earlier_bare = Some(Amount {
                    first: a.first,
                    last: a.last,
                    cents: earlier,
                    period: a.period,
                });
            }
            let around = clause(s, a.first);
            // Under a heading "Schulden:" every amount is a debt, whatever its item is.
            let item = heading.then(|| heading_item(s, &around)).flatten();
            let cued = heading
                .then_some((a.first, FrameKind::Debt, None))
                .or_else(|| best_cue(s, around.clone(), a.first))
                .or_else(|| best_cue(s, 0..s.tokens.len(), a.first))
                .or_else(|| owing(s).then_some((a.first, FrameKind::Debt, None)))
                .map(|(k, kind, what)| match kind {
                    FrameKind::Rent if months_of_rent(s, k) => {
                        (k, FrameKind::Debt, Some("huurachterstal".to_owned()))
                    }
                    _ => (k, kind, what),
                });
            let (kind, what, cue_at, mut sources) = match cued {
                Some((k, kind, what)) => (kind, what, Some(k), vec![s.seg.id]),
                None => match asked(sentences, index) {
                    Some((q, kind, what))
                        if matches!(s.seg.speaker, Speaker::Client | Speaker::Unknown) =>
                    {
                        (kind, what, None, vec![q, s.seg.id])
                    }
                    _ => continue,
                },
            };
            if blocked(s, a.first, cue_at).is_some() {
                continue;
            }
            let (cents, period, _) = value;
            if kind == FrameKind::Debt && (period.is_some() && s.has_stem(REPAYMENT) || paid(s)) {
                continue;
            }
            // A debt cue without a noun ("staat nog open"): the kind of debt named elsewhere in
            // the sentence ("van de terugvordering", "Afbetaling huurachterstal").
            let what = match (kind, what) {
                (FrameKind::Debt, None) => s
                    .tokens
                    .iter()
                    .filter_map(|t| match cue(t) {
                        Some((FrameKind::Debt, Some(noun))) => Some(noun),
                        _ => None,
                    })
                    .next(),
                (_, what) => what,
            };
            let owed_to = match kind {
                // A listed debt: a name in its own item ("ziekenhuis AZ Delta 620 €"), else
                // the item itself ("energie ca. 1.400").
                FrameKind::Debt if heading => nearest_creditor(s, &around, &found, n)
                    .or_else(|| creditor(s, around.clone()))
                    .or_else(|| name_before(s, around.clone(), a.first))
                    .or(item),
                FrameKind::Debt => nearest_creditor(s, &around, &found, n)
                    .or_else(|| creditor(s, around.clone()))
                    .or_else(|| name_before(s, wide_clause(s, a.first), a.first))
                    .or_else(|| {
                        // "Deurwaarder namens Proximus: 760 euro": the clause before.
                        let before = around.start.checked_sub(1)?;
                        creditor(s, clause(s, before))
                            .or_else(|| name_before(s, clause(s, before), before + 1))
                    })
                    .or_else(|| creditor(s, around.end..s.tokens.len()))
                    .or_else(|| creditor(s, 0..s.tokens.len())),
                _ => None,
            };
            let earner = match kind {
                FrameKind::Income => super::earner::earner(sentences, index, a.first, cue_at),
                _ => None,
            };
            if earner
                .as_deref()
                .is_some_and(|e| super::earner::lives_elsewhere(sentences, e))
            {
                continue;
            }
            crate::order::sort(&mut sources);
            sources.dedup();
            let earlier = flag.or(earlier_bare.as_ref()).map(|e| {
                FrameValue::Amount {
                    cents: e.cents,
                    period: e.period.or(period),
                    what: None,
                    creditor: None,
                    earner: None,
                }
                .normalised()
            });
            out.push(Frame {
                kind,
                value: FrameValue::Amount {
                    cents,
                    period,
                    what,
                    creditor: owed_to,
                    earner,
                },
                said_by: s.seg.speaker,
                sources,
                flag: earlier.map(|earlier| Flag::TwoValues { earlier }),
            });
        }
    }
    gross_corrected(sentences, &mut out);
    out
}
