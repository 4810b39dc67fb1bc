//! Segments in, facts out.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::calendar::Date;

/// Who spoke a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The social worker.
    Worker,
    /// The client.
    Client,
    /// Someone else (a partner service in an MDO, a family member).
    Other,
    /// Typed notes by the worker (third person, no speaker).
    Note,
    /// A recorded voice whose speaker was not recognised: what it says may be the worker's or
    /// the client's, so it is never quoted as either and nobody is taken to own what it
    /// promises.
    Unknown,
}

impl Speaker {
    /// How quotations are attributed in a draft.
    pub fn attribution(self) -> &'static str {
        match self {
            Self::Worker => "maatschappelijk werker",
            Self::Client => "cliënt",
            Self::Other => "deelnemer",
            Self::Note => "notitie",
            Self::Unknown => "spreker niet herkend",
        }
    }
}

/// One utterance (or one typed paragraph) with a stable id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Id, unique within the contact; facts and draft sentences point here.
    pub id: u32,
    /// Who said it.
    pub speaker: Speaker,
    /// What was said or typed.
    pub text: String,
    /// Start in the recording, when there is one.
    #[serde(default)]
    pub start_ms: Option<u64>,
    /// End in the recording, when there is one.
    #[serde(default)]
    pub end_ms: Option<u64>,
}

/// The repetition a money amount is quoted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Per hour (wages, fees).
    Hour,
    /// Per day.
    Day,
    /// Per week.
    Week,
    /// Per month.
    Month,
    /// Per quarter.
    Quarter,
    /// Per year.
    Year,
}

impl Period {
    /// Dutch: "per maand".
    pub fn dutch(self) -> &'static str {
        match self {
            Self::Hour => "per uur",
            Self::Day => "per dag",
            Self::Week => "per week",
            Self::Month => "per maand",
            Self::Quarter => "per kwartaal",
            Self::Year => "per jaar",
        }
    }
}

/// Unit of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

/// Who owns an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The social worker.
    Worker,
    /// The client.
    Client,
    /// Another participant (a partner service in an MDO, a family member).
    Participant,
    /// Said by a voice that was not recognised: the worker sets who it is.
    Unknown,
}

impl Owner {
    /// Dutch label.
    pub fn dutch(self) -> &'static str {
        match self {
            Self::Worker => "maatschappelijk werker",
            Self::Client => "cliënt",
            Self::Participant => "deelnemer",
            Self::Unknown => "nog aan te vullen",
        }
    }
}

/// The kinds of fact, matching the template field kinds that are drafted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// Money.
    Money,
    /// Date.
    Date,
    /// Duration.
    Duration,
    /// Age.
    Age,
    /// Person.
    Person,
    /// Organisation.
    Organisation,
    /// Action.
    Action,
}

impl FactKind {
    /// All kinds.
    pub const ALL: [Self; 7] = [
        Self::Money,
        Self::Date,
        Self::Duration,
        Self::Age,
        Self::Person,
        Self::Organisation,
        Self::Action,
    ];

    /// snake_case name, as in template files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Money => "money",
            Self::Date => "date",
            Self::Duration => "duration",
            Self::Age => "age",
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Action => "action",
        }
    }
}

/// The value of a fact.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FactValue {
    /// An amount of money.
    Money {
        /// Euro cents.
        cents: u64,
        /// Repetition, if said.
        period: Option<Period>,
    },
    /// A calendar date.
    Date {
        /// The date.
        date: Date,
    },
    /// A length of time.
    Duration {
        /// Count in halves ("anderhalf" = 3).
        halves: u64,
        /// Unit.
        unit: TimeUnit,
    },
    /// A person's age.
    Age {
        /// Years.
        years: u32,
        /// Whose age: "cliënt" or a relation ("zoon Noah").
        who: String,
    },
    /// A person named in relation to the client.
    Person {
        /// Relation ("zoon", "moeder").
        relation: String,
        /// First name, if said.
        name: Option<String>,
    },
    /// An organisation or service.
    Organisation {
        /// Canonical name from the gazetteer.
        name: String,
    },
    /// An action agreed in the conversation.
    Action {
        /// Who does it.
        owner: Owner,
        /// The sentence in which it was agreed, verbatim.
        text: String,
        /// Due date, if said.
        due: Option<Date>,
    },
}

/// Formats cents as Dutch euros: `€ 1.250,50`, `€ 750`.
pub fn euros(cents: u64) -> String {
    let whole = cents / 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    match cents % 100 {
        0 => format!("€ {grouped}"),
        rest => format!("€ {grouped},{rest:02}"),
    }
}

impl FactValue {
    /// The kind of fact.
    pub fn kind(&self) -> FactKind {
        match self {
            Self::Money { .. } => FactKind::Money,
            Self::Date { .. } => FactKind::Date,
            Self::Duration { .. } => FactKind::Duration,
            Self::Age { .. } => FactKind::Age,
            Self::Person { .. } => FactKind::Person,
            Self::Organisation { .. } => FactKind::Organisation,
            Self::Action { .. } => FactKind::Action,
        }
    }

    /// A short canonical form used to compare facts (evaluation, deduplication):
    /// `750.00/month`, `2026-12-03`, `6 months`, …
    pub fn canonical(&self) -> String {
        match self {
            Self::Money { cents, period } => {
                let p = period.map_or(String::new(), |p| format!("/{}", p.dutch()));
                format!("{}.{:02}{p}", cents / 100, cents % 100)
            }
            Self::Date { date } => date.iso(),
            Self::Duration { halves, unit } => {
                format!("{} {}", half_count(*halves), unit_name(*unit, *halves))
            }
            Self::Age { years, who } => format!("{who}: {years}"),
            Self::Person { relation, name } => match name {
                Some(n) => format!("{relation} {n}"),
                None => relation.clone(),
            },
            Self::Organisation { name } => name.clone(),
            Self::Action { owner, due, .. } => match due {
                Some(d) => format!("{} @ {}", owner.dutch(), d.iso()),
                None => owner.dutch().to_owned(),
            },
        }
    }

    /// The value of a template pattern slot (`value`, `period`, `who`, `relation`, `name`,
    /// `owner`, `action`, `due`), or `None` if this fact has no such slot.
    pub fn slot(&self, slot: &str) -> Option<String> {
        match (self, slot) {
            (Self::Money { cents, .. }, "value") => Some(euros(*cents)),
            (Self::Money { period, .. }, "period") => {
                Some(period.map_or(String::new(), |p| format!(" {}", p.dutch())))
            }
            (Self::Date { date }, "value") => Some(date.to_string()),
            (Self::Duration { halves, unit }, "value") => Some(format!(
                "{} {}",
                half_count(*halves),
                unit_name(*unit, *halves)
            )),
            (Self::Age { years, .. }, "value") => Some(format!("{years} jaar")),
            (Self::Age { who, .. }, "who") => Some(who.clone()),
            (Self::Person { relation, .. }, "relation") => Some(relation.clone()),
            (Self::Person { name, .. }, "name") => {
                Some(name.clone().unwrap_or_else(|| "(naam niet genoemd)".into()))
            }
            (Self::Organisation { name }, "value") => Some(name.clone()),
            (Self::Action { owner, .. }, "owner") => Some(owner.dutch().to_owned()),
            (Self::Action { text, .. }, "action") => Some(format!("“{text}”")),
            (Self::Action { due, .. }, "due") => {
                Some(due.map_or_else(|| "geen termijn genoemd".to_owned(), |d| d.to_string()))
            }
            _ => None,
        }
    }
}

fn half_count(halves: u64) -> String {
    if halves.is_multiple_of(2) {
        (halves / 2).to_string()
    } else {
        format!("{},5", halves / 2)
    }
}

fn unit_name(unit: TimeUnit, halves: u64) -> &'static str {
    let one = halves <= 2;
    match unit {
        TimeUnit::Day if one => "dag",
        TimeUnit::Day => "dagen",
        TimeUnit::Week if one => "week",
        TimeUnit::Week => "weken",
        TimeUnit::Month if one => "maand",
        TimeUnit::Month => "maanden",
        TimeUnit::Year => "jaar",
    }
}

/// A fact with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// What was found.
    pub value: FactValue,
    /// Segments it came from (at least one).
    pub sources: Vec<u32>,
    /// The exact words it rests on, from the first source.
    pub evidence: String,
    /// Byte range of the evidence in the first source's text.
    pub span: Range<usize>,
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ← \"{}\" {:?}",
            self.value.kind().name(),
            self.value.canonical(),
            self.evidence,
            self.sources
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_in_dutch_notation() {
        assert_eq!(euros(75_000), "€ 750");
        assert_eq!(euros(125_050), "€ 1.250,50");
        assert_eq!(euros(123_456_700), "€ 1.234.567");
        assert_eq!(euros(5), "€ 0,05");
    }

    #[test]
    fn slots_render_in_dutch() {
        let m = FactValue::Money {
            cents: 75_000,
            period: Some(Period::Month),
        };
        assert_eq!(m.slot("value").as_deref(), Some("€ 750"));
        assert_eq!(m.slot("period").as_deref(), Some(" per maand"));
        assert_eq!(m.slot("who"), None);
        let d = FactValue::Duration {
            halves: 3,
            unit: TimeUnit::Year,
        };
        assert_eq!(d.slot("value").as_deref(), Some("1,5 jaar"));
        let d = FactValue::Duration {
            halves: 6,
            unit: TimeUnit::Month,
        };
        assert_eq!(d.canonical(), "3 maanden");
    }
}
