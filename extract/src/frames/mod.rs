//! Fact frames: what a report section wants to know, filled from what was said.
//!
//! A frame is one statement of the kind a social report holds — the rent, an income with its
//! source, a debt with its creditor, a household member with name and age, an agreed action —
//! with whose word it is and the segments it rests on. Frames are built on the atomic facts of
//! the extractors (amounts, dates, people, ages, organisations) and the words around them:
//! - a frame fills within one sentence, or across a worker's question and the answer to it
//!   ("Hoeveel bedraagt uw huur?" — "Zevenhonderdvijftig euro.");
//! - negation, hypotheticals, the past and other people's money block a frame
//!   ([`context`]);
//! - nothing is chosen silently: a weekday that does not match its date, a deadline before the
//!   contact, and a corrected figure each carry a [`Flag`] for the worker.
//!
//! What fits no frame is left out: the worker adds it, nothing guesses it into a section.

mod actions;
mod context;
mod earner;
mod money;
mod people;
mod talk;

use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::fact::{Owner, Period, Segment, Speaker, euros};
use crate::gazetteer::Gazetteer;
use crate::token::{Token, sentences, tokenize};

/// The kinds of frame a template section can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameKind {
    /// The client's rent.
    Rent,
    /// Another housing cost (energy, water, charges).
    HousingCost,
    /// An income of the household, with its source.
    Income,
    /// A benefit or income that ends on a date.
    BenefitEnd,
    /// A debt or arrear, with its creditor.
    Debt,
    /// A household member: relation, first name, age.
    Household,
    /// The client's own age.
    ClientAge,
    /// A health complaint, in the words it was told.
    Health,
    /// A training or work wish, in the words it was told.
    Wish,
    /// A referral to a service.
    Referral,
    /// The next appointment.
    Appointment,
    /// An agreed action with owner and due date.
    Action,
}

impl FrameKind {
    /// Every kind, in report order.
    pub const ALL: [Self; 12] = [
        Self::Rent,
        Self::HousingCost,
        Self::Income,
        Self::BenefitEnd,
        Self::Debt,
        Self::Household,
        Self::ClientAge,
        Self::Health,
        Self::Wish,
        Self::Referral,
        Self::Appointment,
        Self::Action,
    ];

    /// Stable snake_case name, as in template files and evaluation cases.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rent => "rent",
            Self::HousingCost => "housing_cost",
            Self::Income => "income",
            Self::BenefitEnd => "benefit_end",
            Self::Debt => "debt",
            Self::Household => "household",
            Self::ClientAge => "client_age",
            Self::Health => "health",
            Self::Wish => "wish",
            Self::Referral => "referral",
            Self::Appointment => "appointment",
            Self::Action => "action",
        }
    }

    /// The kind with this [`FrameKind::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What a frame holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum FrameValue {
    /// An amount (rent, housing cost, income, debt) with what it is for or from.
    Amount {
        /// Euro cents.
        cents: u64,
        /// Repetition, if said.
        period: Option<Period>,
        /// The cost, the income's source or the kind of debt, as said ("energie", "leefloon",
        /// "huurachterstal").
        what: Option<String>,
        /// A debt's creditor, as said ("Engie").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        creditor: Option<String>,
        /// A household member whose own income this is, as said ("partner Sofie").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        earner: Option<String>,
    },
    /// A date (a benefit's end, an appointment), with the time when said.
    Date {
        /// The date.
        date: Date,
        /// Hours and minutes, when said.
        time: Option<(u32, u32)>,
        /// What ends or happens ("werkloosheidsuitkering").
        what: Option<String>,
    },
    /// A household member.
    Member {
        /// Relation ("dochter"), when said.
        relation: Option<String>,
        /// First name, when said.
        name: Option<String>,
        /// Age in years, when said.
        age: Option<u32>,
    },
    /// The client's age.
    Years {
        /// Years.
        years: u32,
    },
    /// A statement quoted verbatim (health, a wish).
    Quote {
        /// The words, verbatim.
        text: String,
    },
    /// A service.
    Service {
        /// Canonical name.
        name: String,
    },
    /// An action.
    Action {
        /// Who does it.
        owner: Owner,
        /// The sentence in which it was agreed, verbatim.
        text: String,
        /// Due date, if said.
        due: Option<Date>,
    },
}

impl FrameValue {
    /// The normalised form used by evaluation cases: `750 per maand`, `2026-12-10`,
    /// `2027-01-14 09:30`, `Lotte 6`, `34`, the quoted words, the service name, or for an action
    /// `worker @ 2026-12-12`.
    pub fn normalised(&self) -> String {
        match self {
            Self::Amount { cents, period, .. } => {
                let amount = if cents % 100 == 0 {
                    (cents / 100).to_string()
                } else {
                    format!("{}.{:02}", cents / 100, cents % 100)
                };
                match period {
                    Some(p) => format!("{amount} {}", p.dutch()),
                    None => amount,
                }
            }
            Self::Date { date, time, .. } => match time {
                Some((h, m)) => format!("{} {h:02}:{m:02}", date.iso()),
                None => date.iso(),
            },
            Self::Member {
                relation,
                name,
                age,
            } => {
                let who = name
                    .clone()
                    .or_else(|| relation.clone())
                    .unwrap_or_default();
                match age {
                    Some(a) => format!("{who} {a}"),
                    None => who,
                }
            }
            Self::Years { years } => years.to_string(),
            Self::Quote { text } => text.clone(),
            Self::Service { name } => name.clone(),
            Self::Action { owner, due, .. } => {
                let who = match owner {
                    Owner::Worker => "worker",
                    Owner::Client => "client",
                    Owner::Participant => "other",
                    Owner::Unknown => "unknown",
                };
                match due {
                    Some(d) => format!("{who} @ {}", d.iso()),
                    None => who.to_owned(),
                }
            }
        }
    }

    /// The amount in Dutch notation with its period: `€ 750 per maand`.
    pub fn amount_text(&self) -> Option<String> {
        match self {
            Self::Amount { cents, period, .. } => Some(match period {
                Some(p) => format!("{} {}", euros(*cents), p.dutch()),
                None => euros(*cents),
            }),
            _ => None,
        }
    }
}

/// Something the worker must decide: the draft shows both readings and chooses neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// A date said with a weekday it does not fall on ("dinsdag 10 december" in 2026).
    WeekdayConflict {
        /// The date as written (day and month, in the nearest year).
        date: Date,
        /// The weekday said, 0 = Monday.
        said: usize,
    },
    /// A deadline that lies before the contact.
    PastDeadline {
        /// The deadline.
        due: Date,
        /// The contact day.
        contact: Date,
    },
    /// A corrected figure: the frame holds the correction, `earlier` what was said first.
    TwoValues {
        /// The value said first, normalised like the frame's.
        earlier: String,
    },
}

impl Flag {
    /// Stable name, as in evaluation cases.
    pub fn name(&self) -> &'static str {
        match self {
            Self::WeekdayConflict { .. } => "weekday_conflict",
            Self::PastDeadline { .. } => "past_deadline",
            Self::TwoValues { .. } => "two_values",
        }
    }

    /// The Dutch note the worker sees next to the proposal.
    pub fn dutch(&self) -> String {
        match self {
            Self::WeekdayConflict { date, said } => {
                let said_name = crate::calendar::WEEKDAYS.get(*said).copied().unwrap_or("");
                format!(
                    "Controleer de datum: in het gesprek staat “{said_name} {}”, maar {} valt op \
                     een {}. Kies de juiste datum.",
                    date.day_month(),
                    date.day_month_year(),
                    date.weekday_name()
                )
            }
            Self::PastDeadline { due, contact } => format!(
                "Controleer de termijn: {} ligt vóór de datum van het contact ({}).",
                due.day_month_year(),
                contact.day_month_year()
            ),
            Self::TwoValues { earlier } => format!(
                "Controleer het bedrag: eerst werd {earlier} gezegd, daarna verbeterd. Het \
                 voorstel neemt de verbetering over."
            ),
        }
    }
}

/// One filled frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// Its kind.
    pub kind: FrameKind,
    /// What it holds.
    pub value: FrameValue,
    /// Whose word it is: the speaker of the statement (for an answer: the one who answered).
    pub said_by: Speaker,
    /// Segments it rests on (at least one; a question and its answer give two).
    pub sources: Vec<u32>,
    /// What the worker must decide, if anything.
    pub flag: Option<Flag>,
}

impl Frame {
    /// The Dutch note the worker reads before accepting the proposal: its flag's, or, for an
    /// action said by a voice nobody recognised, that its owner is still to be set.
    pub fn check(&self) -> Option<String> {
        if let Some(flag) = &self.flag {
            return Some(flag.dutch());
        }
        matches!(
            self.value,
            FrameValue::Action {
                owner: Owner::Unknown,
                ..
            }
        )
        .then(|| {
            "Wie dit doet, werd in de opname niet herkend: vul aan wie het doet, of verwijder de \
             afspraak."
                .to_owned()
        })
    }
}

/// One sentence of a segment, tokenised, with the segment it belongs to.
pub(crate) struct Sentence<'a> {
    /// The segment.
    pub seg: &'a Segment,
    /// The sentence's byte range in the segment text.
    pub range: std::ops::Range<usize>,
    /// Its tokens (positions in the segment text).
    pub tokens: Vec<Token<'a>>,
}

impl Sentence<'_> {
    /// The lowercased word at token `k`; empty past the end.
    pub fn word(&self, k: usize) -> &str {
        self.tokens.get(k).map_or("", |t| t.lower.as_str())
    }

    /// The sentence's text, trimmed.
    pub fn text(&self) -> &str {
        self.seg.text[self.range.clone()].trim()
    }

    /// Whether the sentence is a question.
    pub fn is_question(&self) -> bool {
        self.text().ends_with('?')
    }

    /// Whether any token's lowercase form starts with one of `stems`.
    pub fn has_stem(&self, stems: &[&str]) -> bool {
        self.tokens
            .iter()
            .any(|t| stems.iter().any(|s| t.lower.starts_with(s)))
    }

    /// Whether any token is exactly one of `words`.
    pub fn has_word(&self, words: &[&str]) -> bool {
        self.tokens
            .iter()
            .any(|t| words.contains(&t.lower.as_str()))
    }
}

/// Splits every segment into sentences.
pub(crate) fn split(segments: &[Segment]) -> Vec<Sentence<'_>> {
    let mut out: Vec<Sentence<'_>> = Vec::new();
    for seg in segments {
        let all = tokenize(&seg.text);
        for range in sentences(&seg.text) {
            let tokens: Vec<Token<'_>> = all
                .iter()
                .filter(|t| t.start >= range.start && t.end <= range.end)
                .cloned()
                .collect();
            if tokens.is_empty() {
                continue;
            }
            // "Zeshonderd euro. Nee, zevenhonderd.": a correction belongs to what it corrects.
            let corrects = matches!(
                tokens[0].lower.as_str(),
                "nee" | "neen" | "sorry" | "pardon" | "excuseer"
            ) || (tokens[0].lower == "ik"
                && tokens.get(1).is_some_and(|t| t.lower == "bedoel"));
            match out.last_mut() {
                Some(prev) if corrects && std::ptr::eq(prev.seg, seg) => {
                    prev.range = prev.range.start..range.end;
                    prev.tokens.extend(tokens);
                }
                _ => out.push(Sentence { seg, range, tokens }),
            }
        }
    }
    out
}

/// Whether two frames of one kind say the same: the same normalised value, and for actions
/// also the same words, unless one accepts the other ("Kunt u ze tegen vrijdag brengen?" —
/// "Ja, dat breng ik vrijdag"): two actions of one owner due the same day are two actions.
fn same_value(a: &FrameValue, b: &FrameValue) -> bool {
    let accepts = |text: &str| {
        let first = text
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("")
            .to_lowercase();
        matches!(
            first.as_str(),
            "ja" | "oké" | "oke" | "ok" | "goed" | "prima" | "akkoord" | "zeker" | "natuurlijk"
        )
    };
    match (a, b) {
        (FrameValue::Action { text: x, .. }, FrameValue::Action { text: y, .. })
            if x != y && !accepts(x) && !accepts(y) =>
        {
            false
        }
        _ => a.normalised() == b.normalised(),
    }
}

/// Fills every frame from `segments` of a contact held on `contact`. Frames with the same kind
/// and value are merged, keeping every source.
pub fn find(segments: &[Segment], contact: Date, gazetteer: &Gazetteer) -> Vec<Frame> {
    let sentences = split(segments);
    let mut frames = Vec::new();
    frames.extend(money::find(&sentences));
    frames.extend(people::find(&sentences));
    frames.extend(talk::find(&sentences, contact, gazetteer));
    let referrals: Vec<u32> = frames
        .iter()
        .filter(|f| f.kind == FrameKind::Referral)
        .flat_map(|f| f.sources.iter().copied())
        .collect();
    frames.extend(actions::find(segments, contact, &referrals));
    // "voor de volgende keer", "bij de volgende afspraak": due at the next appointment.
    let next = frames.iter().find_map(|f| match (&f.kind, &f.value) {
        (FrameKind::Appointment, FrameValue::Date { date, .. }) => Some((*date, f.flag.clone())),
        _ => None,
    });
    for f in &mut frames {
        if let FrameValue::Action { text, due, .. } = &mut f.value
            && due.is_none()
            && let Some((date, flag)) = &next
        {
            let lower = text.to_lowercase();
            if ["volgende keer", "volgende afspraak", "volgend gesprek"]
                .iter()
                .any(|p| lower.contains(p))
            {
                *due = Some(*date);
                // The appointment's weekday question is this deadline's too.
                if f.flag.is_none() {
                    f.flag.clone_from(flag);
                }
            }
        }
    }
    let mut merged: Vec<Frame> = Vec::new();
    for f in frames {
        match merged
            .iter_mut()
            .find(|m| m.kind == f.kind && same_value(&m.value, &f.value))
        {
            Some(m) => {
                for s in f.sources {
                    if !m.sources.contains(&s) {
                        m.sources.push(s);
                    }
                }
                if m.flag.is_none() {
                    m.flag = f.flag;
                }
            }
            None => merged.push(f),
        }
    }
    merged
}
