//! A dossier across its contacts: the actions agreed (overdue and due-soon first) and the facts
//! that changed from one contact to the next.

use extract::{Date, FactValue, FrameKind, Gazetteer, Owner, Segment, extract};

use crate::fill::draft;
use crate::model::Template;
use crate::sentences::label;

/// Days ahead that count as "due soon".
pub const DUE_SOON_DAYS: i64 = 7;

/// One contact's conversation, for the overview.
#[derive(Debug, Clone, Copy)]
pub struct ContactText<'a> {
    /// A stable key of the transcript (used to mark actions done).
    pub key: &'a str,
    /// Day of the contact.
    pub date: Date,
    /// Its segments.
    pub segments: &'a [Segment],
}

/// How urgent an action is today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Due before today.
    Overdue,
    /// Due today or within [`DUE_SOON_DAYS`].
    DueSoon,
    /// Due later.
    Later,
    /// No due date said.
    NoDate,
}

impl Urgency {
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Overdue => "te laat",
            Self::DueSoon => "binnenkort",
            Self::Later => "later",
            Self::NoDate => "geen termijn",
        }
    }
}

/// An action agreed in one of the dossier's contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// `transcript-key#segment`: stable, to mark it done.
    pub key: String,
    /// Day of the contact where it was agreed.
    pub agreed_on: Date,
    /// Who does it.
    pub owner: Owner,
    /// The sentence, verbatim.
    pub text: String,
    /// Due date, if said.
    pub due: Option<Date>,
    /// Urgency today.
    pub urgency: Urgency,
}

/// Every action of the given contacts that is not in `done`, most urgent first: overdue (oldest
/// due date first), due soon, later, then those without a date (newest contact first).
pub fn actions(contacts: &[ContactText<'_>], today: Date, done: &[String]) -> Vec<Action> {
    let gazetteer = Gazetteer::default();
    let mut out = Vec::new();
    for c in contacts {
        for fact in extract(c.segments, c.date, &gazetteer) {
            let FactValue::Action { owner, text, due } = fact.value else {
                continue;
            };
            let key = format!("{}#{}", c.key, fact.sources.first().copied().unwrap_or(0));
            if done.contains(&key) {
                continue;
            }
            let urgency = match due {
                None => Urgency::NoDate,
                Some(d) if d < today => Urgency::Overdue,
                Some(d) if d.days_since_epoch() - today.days_since_epoch() <= DUE_SOON_DAYS => {
                    Urgency::DueSoon
                }
                Some(_) => Urgency::Later,
            };
            out.push(Action {
                key,
                agreed_on: c.date,
                owner,
                text,
                due,
                urgency,
            });
        }
    }
    extract::order::sort_by(&mut out, |a, b| {
        a.urgency
            .cmp(&b.urgency)
            .then(a.due.cmp(&b.due))
            .then(b.agreed_on.cmp(&a.agreed_on))
    });
    out
}

/// A field whose drafted value differs between two contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The field's label in the template.
    pub field: String,
    /// Day of the earlier contact.
    pub before_on: Date,
    /// What the earlier contact said (sentences joined).
    pub before: String,
    /// Day of the later contact.
    pub after_on: Date,
    /// What the later contact said.
    pub after: String,
}

/// For every drafted field of `template`, compares the two latest contacts that mention it and
/// reports it when they differ. A field one contact does not mention is not a change.
pub fn changes(template: &Template, contacts: &[ContactText<'_>]) -> Vec<Change> {
    let gazetteer = Gazetteer::default();
    let mut ordered: Vec<&ContactText<'_>> = contacts.iter().collect();
    extract::order::sort_by_key(&mut ordered, |c| c.date);
    let per_contact: Vec<(Date, Vec<(String, String)>)> = ordered
        .iter()
        .map(|c| {
            let facts = extract(c.segments, c.date, &gazetteer);
            let frames = extract::frames::find(c.segments, c.date, &gazetteer);
            let d = draft(template, c.segments, &facts, &frames);
            let mut by_field: Vec<(String, String)> = Vec::new();
            for s in d.sections.iter().flat_map(|s| s.sentences.iter()) {
                if s.origin != crate::fill::Origin::Pattern {
                    continue;
                }
                match by_field.iter_mut().find(|(f, _)| *f == s.field) {
                    Some((_, text)) => {
                        text.push(' ');
                        text.push_str(&s.text);
                    }
                    None => by_field.push((s.field.clone(), s.text.clone())),
                }
            }
            (c.date, by_field)
        })
        .collect();
    // Legacy fields (version 1 templates) and fact frames, by their sentence's field key.
    let watched = template.sections.iter().flat_map(|section| {
        let fields = section
            .fields
            .iter()
            .filter(|f| f.kind.drafted() && f.kind != crate::model::FieldKind::Action)
            .map(|f| (f.id.clone(), f.label.clone()));
        let frames = section
            .frames
            .iter()
            .filter(|k| CHANGING.contains(k))
            .map(|k| (format!("frame:{}", k.name()), label(*k).to_owned()));
        fields.chain(frames).collect::<Vec<_>>()
    });
    let mut out = Vec::new();
    for (key, label) in watched {
        let mentions: Vec<(Date, &String)> = per_contact
            .iter()
            .filter_map(|(date, fields)| {
                fields
                    .iter()
                    .find(|(f, _)| *f == key)
                    .map(|(_, t)| (*date, t))
            })
            .collect();
        if let [.., (before_on, before), (after_on, after)] = mentions.as_slice()
            && before != after
        {
            out.push(Change {
                field: label,
                before_on: *before_on,
                before: (*before).clone(),
                after_on: *after_on,
                after: (*after).clone(),
            });
        }
    }
    out
}

/// The frames whose change from one contact to the next the overview shows.
const CHANGING: &[FrameKind] = &[
    FrameKind::Rent,
    FrameKind::HousingCost,
    FrameKind::Income,
    FrameKind::BenefitEnd,
    FrameKind::Debt,
    FrameKind::Household,
];

#[cfg(test)]
mod tests {
    use super::*;
    use extract::Speaker;

    fn seg(id: u32, text: &str) -> Segment {
        Segment {
            id,
            speaker: Speaker::Note,
            text: text.into(),
            start_ms: None,
            end_ms: None,
        }
    }

    fn day(m: u32, d: u32) -> Date {
        Date::new(2026, m, d).unwrap()
    }

    #[test]
    fn actions_are_sorted_by_urgency_and_done_ones_hidden() {
        let first = [
            seg(1, "MW belt het CAW op 20 november."),
            seg(2, "Cliënt brengt de loonbrieven binnen."),
        ];
        let second = [
            seg(1, "Cliënt brengt het attest binnen tegen 28 november."),
            seg(2, "MW belt de VDAB op 15 december."),
        ];
        let contacts = [
            ContactText {
                key: "t1",
                date: day(11, 10),
                segments: &first,
            },
            ContactText {
                key: "t2",
                date: day(11, 24),
                segments: &second,
            },
        ];
        let list = actions(&contacts, day(11, 25), &[]);
        let order: Vec<(Urgency, &str)> =
            list.iter().map(|a| (a.urgency, a.key.as_str())).collect();
        assert_eq!(
            order,
            [
                (Urgency::Overdue, "t1#1"),
                (Urgency::DueSoon, "t2#1"),
                (Urgency::Later, "t2#2"),
                (Urgency::NoDate, "t1#2")
            ]
        );
        let without = actions(&contacts, day(11, 25), &["t1#1".to_owned()]);
        assert_eq!(without.len(), 3);
        assert_eq!(without[0].key, "t2#1");
    }

    #[test]
    fn changed_facts_compare_the_latest_two_mentions() {
        let sv = crate::builtin()
            .unwrap()
            .into_iter()
            .find(|t| t.id == "sociaal-verslag")
            .unwrap();
        let a = [
            seg(1, "De huur is 650 euro per maand."),
            seg(2, "Haar partner Youssef werkt."),
        ];
        let b = [seg(1, "De huur is gestegen naar 720 euro per maand.")];
        let c = [seg(1, "Ze heeft een afspraak bij de huisarts.")];
        let contacts = [
            ContactText {
                key: "a",
                date: day(10, 1),
                segments: &a,
            },
            ContactText {
                key: "c",
                date: day(11, 20),
                segments: &c,
            },
            ContactText {
                key: "b",
                date: day(11, 1),
                segments: &b,
            },
        ];
        let changes = changes(&sv, &contacts);
        assert_eq!(changes.len(), 1, "{changes:?}");
        let ch = &changes[0];
        assert_eq!(ch.field, "Huur en woonkosten");
        assert_eq!((ch.before_on, ch.after_on), (day(10, 1), day(11, 1)));
        assert!(
            ch.before.contains("€ 650") && ch.after.contains("€ 720"),
            "{ch:?}"
        );
    }
}
