//! What blocks a frame: a statement that is negated, hypothetical, in the past, or about someone
//! outside the household is not a fact of the client's situation now.

use super::Sentence;

/// Why a statement does not make a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Block {
    /// "geen schulden bij de bank".
    Negation,
    /// "als ik zou werken, …".
    Hypothetical,
    /// "vroeger betaalde ik 500 euro huur".
    Past,
    /// "het loon van haar broer".
    ThirdParty,
}

/// Words that make a sentence hypothetical wherever they stand.
const HYPOTHETICAL: &[&str] = &[
    "zou",
    "zouden",
    "stel",
    "stel dat",
    "indien",
    "mocht",
    "misschien",
    "eventueel",
    "hypothetisch",
];

/// Pronouns after "als" that open a condition ("als ik werk", "als hij betaalt").
const PRONOUNS: &[&str] = &[
    "ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "mw", "cl",
];

/// Words that put a clause in the past.
const PAST: &[&str] = &[
    "vroeger",
    "destijds",
    "toen",
    "voordien",
    "vroegere",
    "vorige",
    "vorig",
    "ooit",
    "betaalde",
    "betaalden",
    "verdiende",
    "verdienden",
    "kreeg",
    "kregen",
    "woonde",
    "woonden",
    "had",
    "hadden",
    "bedroeg",
    "ontving",
    "afbetaald",
    "terugbetaald",
    "vereffend",
    "aangezuiverd",
    "kwijtgescholden",
    "overleden",
];

/// People outside the household whose money is not the client's.
const THIRD_PARTIES: &[&str] = &[
    "broer",
    "broers",
    "zus",
    "zussen",
    "zuster",
    "vriend",
    "vriendin",
    "vrienden",
    "buurman",
    "buurvrouw",
    "buren",
    "collega",
    "collega's",
    "kennis",
    "kennissen",
    "neef",
    "nicht",
    "oom",
    "tante",
    "schoonmoeder",
    "schoonvader",
    "schoonzus",
    "schoonbroer",
    "zwager",
    "ouders",
    "moeder",
    "vader",
    "ex",
    "ex-partner",
    "ex-man",
    "ex-vrouw",
    "nonkel",
    "buurjongen",
    "kennisje",
];

/// The token range of the clause around token `i`: bounded by commas, dashes, colons,
/// brackets and "maar".
pub(crate) fn clause(s: &Sentence<'_>, i: usize) -> std::ops::Range<usize> {
    bounded(s, i, &[',', '–', '—', ':', '(', ')', ';'])
}

/// The clause around token `i` with what stands in brackets or after a dash taken in: "Vroeger
/// (tot 2025) loon ca. 2.400" is one statement about the past.
pub(crate) fn wide_clause(s: &Sentence<'_>, i: usize) -> std::ops::Range<usize> {
    bounded(s, i, &[',', ':', ';'])
}

fn bounded(s: &Sentence<'_>, i: usize, marks: &[char]) -> std::ops::Range<usize> {
    let text = &s.seg.text;
    let breaks = |a: usize| {
        // Between token a - 1 and token a.
        let gap = &text[s.tokens[a - 1].end..s.tokens[a].start];
        gap.contains(marks)
            || (marks.contains(&'–') && gap.contains(" - "))
            || matches!(s.tokens[a].lower.as_str(), "maar" | "want" | "terwijl")
    };
    let mut lo = i;
    while lo > 0 && !breaks(lo) {
        lo -= 1;
    }
    let mut hi = i + 1;
    while hi < s.tokens.len() && !breaks(hi) {
        hi += 1;
    }
    lo..hi
}

/// Whether any token in `range` is one of `words`.
pub(crate) fn any_word(s: &Sentence<'_>, range: std::ops::Range<usize>, words: &[&str]) -> bool {
    s.tokens[range]
        .iter()
        .any(|t| words.contains(&t.lower.as_str()))
}

/// Words by which the client speaks or is spoken of as themselves: with one of them, a "je"
/// sentence ("bij een voltijdse job verdien je …") is about the client, not anyone.
const CLIENT_HERSELF: &[&str] = &["ik", "mijn", "m'n", "mevrouw", "meneer", "mw", "dhr", "cl"];

/// Words that make the client the subject of a clause.
const CLIENT_SUBJECTS: &[&str] = &[
    "ik",
    "mijn",
    "m'n",
    "we",
    "wij",
    "ons",
    "onze",
    "mevrouw",
    "meneer",
    "mijnheer",
    "mw",
    "dhr",
    "cl",
    "cliënt",
    "cliënte",
    "client",
    "betrokkene",
    "mevr",
    "zij",
    "ze",
    "hij",
    "haar",
    "zijn",
    "u",
    "uw",
];

/// A price or a rate in general, not the client's: "Een studio kost hier al gauw 800 euro per
/// maand", "Het leefloon voor een alleenstaande is 1.260 euro", "een huur van 950 euro voor een
/// grotere woning" — an indefinite thing that costs, or "voor een …", in a clause nobody in
/// the client's household is the subject of.
fn general(s: &Sentence<'_>, i: usize, cue: Option<usize>) -> bool {
    let mut range = wide_clause(s, i);
    if let Some(c) = cue {
        let around = wide_clause(s, c);
        range = range.start.min(around.start)..range.end.max(around.end);
    }
    if any_word(s, range.clone(), CLIENT_SUBJECTS) {
        return false;
    }
    let word = |k: usize| s.word(k);
    // "voor een achterstal van 275 euro" names the debt itself.
    let debt_word = |k: usize| {
        [
            "achter",
            "schuld",
            "factuur",
            "rekening",
            "aanmaning",
            "boete",
        ]
        .iter()
        .any(|d| word(k).starts_with(d))
    };
    let for_one = range
        .clone()
        .filter(|&k| cue.is_some_and(|c| k > c))
        .any(|k| word(k) == "voor" && word(k + 1) == "een" && !debt_word(k + 2));
    let priced = cue.is_some_and(|c| c > 0 && word(c - 1) == "een")
        && any_word(s, range, &["kost", "kosten", "kostte"]);
    for_one || priced
}

/// An amount someone believed or means to ask, not one that is: "Ik dacht dat de huur 700
/// was, maar het is 720" (the amount in the clause of "dacht"), "De verhuurder wil de huur
/// verhogen naar 800 euro", "Bij een voltijdse job verdien je zo'n 1.900 euro".
fn believed_or_intended(s: &Sentence<'_>, i: usize) -> bool {
    let word = |k: usize| s.word(k);
    let range = wide_clause(s, i);
    let believed = (range.start..i).any(|k| {
        matches!(word(k), "dacht" | "dachten" | "meende" | "meenden") && word(k + 1) == "dat"
    });
    let intended = (range.start..i)
        .any(|k| matches!(word(k), "wil" | "wilt" | "willen" | "zal" | "zullen"))
        && (range.start..i).any(|k| {
            ["verhog", "verlag", "verminder", "optrek"]
                .iter()
                .any(|v| word(k).starts_with(v))
        });
    let generic_you = any_word(s, range.clone(), &["je"])
        && (range.start..i)
            .any(|k| matches!(word(k), "bij" | "met" | "voor") && word(k + 1) == "een")
        && !any_word(s, range, CLIENT_HERSELF);
    believed || intended || generic_you
}

/// Whether the other person of the clause is the client's creditor: "mijn broer heeft me 500
/// euro geleend", "ik heb 500 euro geleend van mijn broer", "ik moet mijn zus nog 200 euro
/// teruggeven", "ik ben mijn moeder 300 euro schuldig" — a debt of the client's, not someone
/// else's money. Not when the client lent ("ik heb mijn broer 500 euro geleend") or is owed
/// ("mijn broer moet mij nog 500 euro teruggeven").
fn owed_to_them(s: &Sentence<'_>, clause: std::ops::Range<usize>, cue: Option<usize>) -> bool {
    let Some(w) = cue.map(|c| s.word(c)) else {
        return false;
    };
    let has = |words: &[&str]| any_word(s, clause.clone(), words);
    if w.starts_with("geleend") {
        // Borrowed from them ("van mijn broer", "bij mijn zus"), or they lent to the client
        // ("me", "mij"); not "mijn broer heeft geleend bij de bank".
        let from_them = clause.clone().any(|k| {
            matches!(s.word(k), "van" | "bij")
                && (k + 1..k + 3).any(|j| THIRD_PARTIES.contains(&s.word(j)))
        });
        from_them || has(&["me", "mij"])
    } else if ["teruggev", "terugbeta", "schuldig"]
        .iter()
        .any(|stem| w.starts_with(stem))
    {
        // The client gives back or owes: "ik" and nobody giving back to the client.
        has(&["ik"]) && !has(&["me", "mij"])
    } else {
        false
    }
}

/// Why the statement at token `i` (with its cue word at `cue`, when there is one) is not a
/// fact, if it is not.
pub(crate) fn blocked(s: &Sentence<'_>, i: usize, cue: Option<usize>) -> Option<Block> {
    let all = 0..s.tokens.len();
    // Negation right before the value or its cue ("geen 500 euro", "geen schulden", "niet ziek").
    let negated = |at: usize| {
        (at.saturating_sub(3)..at).any(|k| {
            matches!(
                s.tokens[k].lower.as_str(),
                "geen" | "nooit" | "niks" | "niets" | "g" | "gn"
            ) || (k + 1 == at && s.tokens[k].lower == "niet")
        })
    };
    if negated(i) || cue.is_some_and(negated) {
        return Some(Block::Negation);
    }

    if general(s, i, cue) || believed_or_intended(s, i) {
        return Some(Block::Hypothetical);
    }
    let opens_with_condition = s
        .tokens
        .first()
        .is_some_and(|t| matches!(t.lower.as_str(), "als" | "indien" | "wanneer" | "mocht"));
    if opens_with_condition
        || any_word(s, all.clone(), HYPOTHETICAL)
        || (0..s.tokens.len().saturating_sub(1)).any(|k| {
            s.tokens[k].lower == "als" && PRONOUNS.contains(&s.tokens[k + 1].lower.as_str())
        })
    {
        return Some(Block::Hypothetical);
    }
    let mut range = wide_clause(s, i);
    if let Some(c) = cue {
        let cue_clause = wide_clause(s, c);
        range = range.start.min(cue_clause.start)..range.end.max(cue_clause.end);
    }
    // "Vorige keer had ik nog 600 euro schuld bij Engie, nu is het nog 350": an amount in a
    // clause of now is not in the past of the clause its cue stands in.
    let own = wide_clause(s, i);
    let past = if any_word(
        s,
        own.clone(),
        &["nu", "momenteel", "intussen", "ondertussen", "inmiddels"],
    ) {
        own
    } else {
        range.clone()
    };
    if any_word(s, past.clone(), PAST)
        || (past.start..past.end.saturating_sub(1)).any(|k| {
            s.tokens[k].lower == "vorig" && s.tokens[k + 1].lower == "jaar"
                || s.tokens[k].lower == "in"
                    && s.tokens[k + 1].lower == "het"
                    && k + 2 < past.end
                    && s.tokens[k + 2].lower == "verleden"
        })
    {
        return Some(Block::Past);
    }
    // "Mijn vriendin doet die opleiding al, ze verdient 50 euro": "ze" is the third party.
    let third_person = any_word(s, range.clone(), &["ze", "zij", "hij"])
        && matches!(
            s.seg.speaker,
            crate::fact::Speaker::Client
                | crate::fact::Speaker::Other
                | crate::fact::Speaker::Unknown
        );
    if (any_word(s, range.clone(), THIRD_PARTIES)
        || (third_person && any_word(s, all, THIRD_PARTIES)))
        && !owed_to_them(s, range.clone(), cue)
    {
        return Some(Block::ThirdParty);
    }
    // "Mijn ex-man verdient goed, zo'n 3.000 netto": the sentence's subject is the third
    // party, and the amount's clause names no other.
    let word = |k: usize| s.word(k);
    let first = usize::from(matches!(
        word(0),
        "mijn" | "m'n" | "haar" | "zijn" | "hun" | "de" | "een"
    ));
    if THIRD_PARTIES.contains(&word(first))
        && !range
            .clone()
            .any(|k| CLIENT_SUBJECTS.contains(&word(k)) && !(k == 0 && first == 1))
        && !owed_to_them(s, range.clone(), cue)
    {
        return Some(Block::ThirdParty);
    }
    None
}
