//! The Dutch sentence of each fact frame, per audience: a fixed pattern filled with the frame's
//! values, saying whose word it is ("Volgens cliënt bedraagt de huur € 750 per maand."), or in
//! the client's letter (B1) "U vertelde dat …". Health and wishes are quoted verbatim.

use extract::{Date, Flag, Frame, FrameKind, FrameValue, Owner, Speaker};

use crate::model::Audience;

/// The Dutch label of a frame kind, for the worker's screens.
pub fn label(kind: FrameKind) -> &'static str {
    match kind {
        FrameKind::Rent => "Huur",
        FrameKind::HousingCost => "Andere woonkosten",
        FrameKind::Income => "Inkomen",
        FrameKind::BenefitEnd => "Einde van een uitkering",
        FrameKind::Debt => "Schulden",
        FrameKind::Household => "Gezin",
        FrameKind::ClientAge => "Leeftijd",
        FrameKind::Health => "Gezondheid",
        FrameKind::Wish => "Werk en opleiding",
        FrameKind::Referral => "Doorverwijzing",
        FrameKind::Appointment => "Volgend gesprek",
        FrameKind::Action => "Afspraken",
    }
}

/// "volgens cliënt", "volgens de notities", …: whose word a statement is.
fn according_to(said_by: Speaker) -> &'static str {
    match said_by {
        Speaker::Client => "volgens cliënt",
        Speaker::Note => "volgens de notities",
        Speaker::Other => "volgens een deelnemer aan het gesprek",
        Speaker::Worker => "volgens de maatschappelijk werker",
        Speaker::Unknown => "zo werd gezegd in het gesprek",
    }
}

/// Who tells something verbatim: "Cliënt vertelt", "In de notities staat", ….
fn tells(said_by: Speaker) -> &'static str {
    match said_by {
        Speaker::Client => "Cliënt vertelt",
        Speaker::Note => "De notities vermelden",
        Speaker::Other => "Een deelnemer vertelt",
        Speaker::Worker => "De maatschappelijk werker vertelt",
        Speaker::Unknown => "In het gesprek werd gezegd",
    }
}

/// A date in full, without its weekday when the weekday said in the conversation was another
/// one (the worker chooses; the draft does not).
fn date_text(date: Date, time: Option<(u32, u32)>, flag: Option<&Flag>) -> String {
    let day = match flag {
        Some(Flag::WeekdayConflict { .. }) => date.day_month_year(),
        _ => date.to_string(),
    };
    match time {
        Some((h, 0)) => format!("{day} om {h} uur"),
        Some((h, m)) => format!("{day} om {h}.{m:02} uur"),
        None => day,
    }
}

/// "het leefloon", "de uitkering".
fn with_article(word: &str) -> String {
    let het = [
        "leefloon",
        "contract",
        "pensioen",
        "groeipakket",
        "ziekengeld",
        "loon",
        "inkomen",
    ];
    if het.iter().any(|h| word.ends_with(h)) {
        format!("het {word}")
    } else {
        format!("de {word}")
    }
}

/// The noun for a kind of debt as said: singular ("schulden" → "schuld", "facturen" →
/// "openstaande factuur"), so it reads in "een … van € 1.200".
fn debt_noun(word: &str) -> &str {
    match word {
        "schulden" => "schuld",
        "facturen" | "rekeningen" => "openstaande rekening",
        "boetes" => "boete",
        "aanmaningen" | "aanmaning" => "schuld",
        w => w,
    }
}

/// A household member: "dochter Lotte (6 jaar)".
fn member(relation: Option<&str>, name: Option<&str>, age: Option<u32>) -> String {
    let who = match (relation, name) {
        (Some(r), Some(n)) => format!("{r} {n}"),
        (Some(r), None) => r.to_owned(),
        (None, Some(n)) => n.to_owned(),
        (None, None) => "een gezinslid".to_owned(),
    };
    match age {
        Some(a) => format!("{who} ({a} jaar)"),
        None => who,
    }
}

/// The sentence for `frame` in a document for `audience`, or `None` for a frame this audience's
/// documents do not state.
pub fn sentence(frame: &Frame, audience: Audience) -> Option<String> {
    match audience {
        Audience::Professional => professional(frame),
        Audience::Client => plain(frame),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn professional(frame: &Frame) -> Option<String> {
    let by = according_to(frame.said_by);
    let amount = frame.value.amount_text();
    let flag = frame.flag.as_ref();
    Some(match (&frame.kind, &frame.value) {
        (FrameKind::Rent, _) => format!("{} bedraagt de huur {}.", capitalised(by), amount?),
        (FrameKind::HousingCost, FrameValue::Amount { what, .. }) => match what {
            Some(w) => format!(
                "{} bedragen de kosten voor {w} {}.",
                capitalised(by),
                amount?
            ),
            None => format!("{} bedragen de woonkosten {}.", capitalised(by), amount?),
        },
        (
            FrameKind::Income,
            FrameValue::Amount {
                what,
                earner: Some(earner),
                ..
            },
        ) => format!(
            "{} heeft {earner} een inkomen uit {} van {}.",
            capitalised(by),
            what.as_deref().unwrap_or("werk"),
            amount?
        ),
        (FrameKind::Income, FrameValue::Amount { what, .. }) => match what {
            Some(w) => format!(
                "{} bedraagt het inkomen uit {w} {}.",
                capitalised(by),
                amount?
            ),
            None => format!("{} bedraagt het inkomen {}.", capitalised(by), amount?),
        },
        (FrameKind::Debt, FrameValue::Amount { what, creditor, .. }) => {
            let nature = what.as_deref().map_or("schuld", debt_noun);
            match creditor {
                Some(c) => format!(
                    "{} is er een {nature} van {} bij {c}.",
                    capitalised(by),
                    amount?
                ),
                None => format!("{} is er een {nature} van {}.", capitalised(by), amount?),
            }
        }
        (FrameKind::BenefitEnd, FrameValue::Date { date, what, .. }) => format!(
            "{} stopt {} op {}.",
            capitalised(by),
            with_article(what.as_deref().unwrap_or("uitkering")),
            date_text(*date, None, flag)
        ),
        (
            FrameKind::Household,
            FrameValue::Member {
                relation,
                name,
                age,
            },
        ) => format!(
            "{} hoort {} bij het gezin.",
            capitalised(by),
            member(relation.as_deref(), name.as_deref(), *age)
        ),
        (FrameKind::ClientAge, FrameValue::Years { years }) => match frame.said_by {
            Speaker::Client => format!("Cliënt is volgens eigen zeggen {years} jaar."),
            _ => format!("Cliënt is {by} {years} jaar."),
        },
        (FrameKind::Health, FrameValue::Quote { text }) => {
            format!("{} over de gezondheid: “{text}”", tells(frame.said_by))
        }
        (FrameKind::Wish, FrameValue::Quote { text }) => {
            format!("{} over werk of opleiding: “{text}”", tells(frame.said_by))
        }
        (FrameKind::Referral, FrameValue::Service { name }) => {
            format!("Cliënt wordt doorverwezen naar {name}.")
        }
        (FrameKind::Appointment, FrameValue::Date { date, time, .. }) => {
            format!("Volgend gesprek: {}.", date_text(*date, *time, flag))
        }
        (FrameKind::Action, FrameValue::Action { owner, text, due }) => {
            let due = due.map_or_else(
                || "geen termijn genoemd".to_owned(),
                |d| format!("tegen {}", date_text(d, None, flag)),
            );
            match owner {
                Owner::Unknown => {
                    format!("Afspraak (wie dit doet, is nog aan te vullen): “{text}” ({due}).")
                }
                _ => format!("Afspraak voor {}: “{text}” ({due}).", owner.dutch()),
            }
        }
        _ => return None,
    })
}

fn plain(frame: &Frame) -> Option<String> {
    let intro = match frame.said_by {
        Speaker::Client => "U vertelde dat",
        _ => "In het gesprek werd gezegd dat",
    };
    let amount = frame.value.amount_text();
    let flag = frame.flag.as_ref();
    Some(match (&frame.kind, &frame.value) {
        (FrameKind::Rent, _) => format!("{intro} uw huur {} is.", amount?),
        (FrameKind::HousingCost, FrameValue::Amount { what, .. }) => format!(
            "{intro} u {} betaalt voor {}.",
            amount?,
            what.as_deref().unwrap_or("uw woning")
        ),
        (
            FrameKind::Income,
            FrameValue::Amount {
                earner: Some(earner),
                ..
            },
        ) => format!("{intro} uw {earner} {} krijgt.", amount?),
        (FrameKind::Income, FrameValue::Amount { what, .. }) => match what {
            Some(w) => format!("{intro} u {} krijgt ({w}).", amount?),
            None => format!("{intro} u {} krijgt.", amount?),
        },
        (FrameKind::Debt, FrameValue::Amount { what, creditor, .. }) => {
            let nature = what.as_deref().map_or("schuld", debt_noun);
            match creditor {
                Some(c) => format!("{intro} u een {nature} van {} heeft bij {c}.", amount?),
                None => format!("{intro} u een {nature} van {} heeft.", amount?),
            }
        }
        (FrameKind::BenefitEnd, FrameValue::Date { date, what, .. }) => format!(
            "{intro} uw {} stopt op {}.",
            what.as_deref().unwrap_or("uitkering"),
            date_text(*date, None, flag)
        ),
        (
            FrameKind::Household,
            FrameValue::Member {
                relation,
                name,
                age,
            },
        ) => format!(
            "{intro} {} bij u woont.",
            member(relation.as_deref(), name.as_deref(), *age)
        ),
        (FrameKind::ClientAge, FrameValue::Years { years }) => {
            format!("{intro} u {years} jaar bent.")
        }
        (FrameKind::Health, FrameValue::Quote { text }) => {
            format!("Over uw gezondheid: “{text}”")
        }
        (FrameKind::Wish, FrameValue::Quote { text }) => {
            format!("Over werk of opleiding: “{text}”")
        }
        (FrameKind::Referral, FrameValue::Service { name }) => {
            format!("Wij verwijzen u door naar {name}.")
        }
        (FrameKind::Appointment, FrameValue::Date { date, time, .. }) => {
            format!(
                "Ons volgende gesprek is op {}.",
                date_text(*date, *time, flag)
            )
        }
        (FrameKind::Action, FrameValue::Action { owner, text, due }) => {
            let who = match owner {
                Owner::Worker => "Wij doen dit",
                Owner::Client => "U doet dit",
                Owner::Participant => "Een andere dienst doet dit",
                Owner::Unknown => "Afgesproken",
            };
            match due {
                Some(d) => format!("{who} tegen {}: “{text}”", date_text(*d, None, flag)),
                None => format!("{who}: “{text}”"),
            }
        }
        _ => return None,
    })
}
