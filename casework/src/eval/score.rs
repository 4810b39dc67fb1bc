//! Scoring one drafted case against its annotation (rules in `docs/eval-format.md`).

use extract::{Frame, FrameKind, FrameValue};

use super::case::{Case, ExpectedAction, ExpectedFact};

/// One drafted sentence, as the scorer sees it.
#[derive(Debug, Clone)]
pub struct Drafted {
    /// Section id.
    pub section: String,
    /// The sentence.
    pub text: String,
    /// Texts of its source segments.
    pub sources: Vec<String>,
    /// The frame it states, for frame sentences.
    pub frame: Option<Frame>,
}

/// What happened to one expected fact or action, or to one drafted one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Drafted with the right section, value and detail.
    Correct,
    /// Drafted with a wrong value, section, owner or date.
    Wrong,
    /// Not drafted.
    Missing,
    /// Drafted, but nobody marked it.
    Unexpected,
}

/// One scored line, for the tables and the verbose listing.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Kind name (`rent`, …, `action`).
    pub kind: String,
    /// Section id (expected for expected lines, drafted otherwise).
    pub section: String,
    /// Outcome.
    pub outcome: Outcome,
    /// What it was, for the listing.
    pub what: String,
}

/// The score of one case.
#[derive(Debug, Clone, Default)]
pub struct CaseScore {
    /// Every expected and drafted line.
    pub lines: Vec<Scored>,
    /// Trap values drafted as facts.
    pub trap_hits: Vec<String>,
    /// The kind of fact each trap value was drafted as, in the order of `trap_hits`.
    pub trap_kinds: Vec<String>,
    /// Forbidden phrases found.
    pub forbidden_hits: Vec<String>,
    /// Sentences without a source.
    pub unsourced: usize,
    /// Expected flags found.
    pub flags_found: usize,
    /// Expected flags.
    pub flags_expected: usize,
    /// Flags drafted that nobody expected.
    pub flags_unexpected: usize,
    /// Expected actions drafted without an owner (said by a voice that was not recognised):
    /// counted correct, as the proposal claims no owner and asks the worker to set one.
    pub ownerless: usize,
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Whether the drafted frame states the expected value.
fn value_matches(expected: &ExpectedFact, d: &Drafted, frame: &Frame) -> bool {
    let want = lower(expected.value.trim());
    match frame.kind {
        FrameKind::Health | FrameKind::Wish => lower(&d.text).contains(&want),
        FrameKind::Referral => {
            lower(&frame.value.normalised()) == want || lower(&d.text).contains(&want)
        }
        _ => lower(&frame.value.normalised()) == want,
    }
}

fn detail_ok(expected: &ExpectedFact, d: &Drafted) -> bool {
    expected
        .detail
        .as_ref()
        .is_none_or(|w| lower(&d.text).contains(&lower(w)))
}

/// Whether a drafted sentence rests on the utterance an expected fact names.
fn same_source(expected_source: &str, d: &Drafted) -> bool {
    let e = expected_source.trim();
    !e.is_empty()
        && d.sources
            .iter()
            .any(|s| !s.trim().is_empty() && (e.contains(s.trim()) || s.contains(e)))
}

/// The amount part of a normalised value ("750 per maand" → "750").
fn number_part(v: &str) -> Option<&str> {
    let first = v.split_whitespace().next()?;
    first
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.')
        .then_some(first)
}

fn who_of(a: &ExpectedAction) -> &str {
    match a.who.trim() {
        "worker" | "W" => "worker",
        "client" | "C" => "client",
        _ => "other",
    }
}

fn action_matches(a: &ExpectedAction, d: &Drafted, frame: &Frame) -> (bool, bool) {
    let FrameValue::Action { owner, due, .. } = &frame.value else {
        return (false, false);
    };
    let owner = match owner {
        extract::Owner::Worker => "worker",
        extract::Owner::Client => "client",
        extract::Owner::Participant => "other",
        // Claims no owner: the worker sets it before accepting.
        extract::Owner::Unknown => who_of(a),
    };
    let what = lower(&d.text).contains(&lower(a.what.trim()));
    let deadline = due.map(|d| d.iso()).unwrap_or_default() == a.deadline.trim();
    (what && owner == who_of(a) && deadline, what)
}

/// Scores `drafted` sentences against `case`'s annotation.
pub fn score(case: &Case, drafted: &[Drafted]) -> CaseScore {
    let mut out = CaseScore::default();
    let facts: Vec<(usize, &Drafted, &Frame)> = drafted
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.frame.as_ref().map(|f| (i, d, f)))
        .filter(|(_, _, f)| f.kind != FrameKind::Action)
        .collect();
    let actions: Vec<(usize, &Drafted, &Frame)> = drafted
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.frame.as_ref().map(|f| (i, d, f)))
        .filter(|(_, _, f)| f.kind == FrameKind::Action)
        .collect();
    let mut used = vec![false; drafted.len()];
    let mut open: Vec<&ExpectedFact> = Vec::new();
    for e in &case.expected.fact {
        let hit = facts.iter().find(|(i, d, f)| {
            !used[*i]
                && f.kind.name() == e.kind
                && d.section == e.section
                && value_matches(e, d, f)
                && detail_ok(e, d)
        });
        match hit {
            Some((i, _, _)) => {
                used[*i] = true;
                out.lines
                    .push(line(&e.kind, &e.section, Outcome::Correct, &e.value));
            }
            None => open.push(e),
        }
    }
    // Drafted facts that match nothing: wrong when they stand for an open expected fact (same
    // kind, and the same value elsewhere or the same source), else unexpected.
    for (i, d, f) in &facts {
        if used[*i] {
            continue;
        }
        used[*i] = true;
        let value = f.value.normalised();
        let trap = case.expected.not_facts.values.iter().find(|t| {
            let (t, v) = (lower(t.trim()), lower(&value));
            t == v || number_part(&t).is_some_and(|n| Some(n) == number_part(&v))
        });
        if let Some(t) = trap {
            out.trap_hits.push(format!("{t} ← {}", d.text));
            out.trap_kinds.push(f.kind.name().to_owned());
        }
        let stands_for = open.iter().position(|e| {
            e.kind == f.kind.name() && ((value_matches(e, d, f)) || same_source(&e.source, d))
        });
        let outcome = match stands_for {
            Some(k) => {
                let e = open.remove(k);
                out.lines
                    .push(line(&e.kind, &e.section, Outcome::Wrong, &e.value));
                continue;
            }
            None => Outcome::Unexpected,
        };
        out.lines
            .push(line(f.kind.name(), &d.section, outcome, &d.text));
    }
    for e in open {
        out.lines
            .push(line(&e.kind, &e.section, Outcome::Missing, &e.value));
    }
    // Actions.
    let mut open_actions: Vec<&ExpectedAction> = Vec::new();
    for a in &case.expected.action {
        let hit = actions
            .iter()
            .find(|(i, d, f)| !used[*i] && action_matches(a, d, f).0);
        match hit {
            Some((i, _, f)) => {
                used[*i] = true;
                if matches!(
                    f.value,
                    FrameValue::Action {
                        owner: extract::Owner::Unknown,
                        ..
                    }
                ) {
                    out.ownerless += 1;
                }
                out.lines
                    .push(line("action", "afspraken", Outcome::Correct, &a.what));
            }
            None => open_actions.push(a),
        }
    }
    for (i, d, f) in &actions {
        if used[*i] {
            continue;
        }
        let stands_for = open_actions.iter().position(|a| action_matches(a, d, f).1);
        match stands_for {
            Some(k) => {
                let a = open_actions.remove(k);
                out.lines
                    .push(line("action", "afspraken", Outcome::Wrong, &a.what));
            }
            None => out
                .lines
                .push(line("action", &d.section, Outcome::Unexpected, &d.text)),
        }
    }
    for a in open_actions {
        out.lines
            .push(line("action", "afspraken", Outcome::Missing, &a.what));
    }
    // Flags.
    let flagged: Vec<(String, String)> = drafted
        .iter()
        .filter_map(|d| d.frame.as_ref())
        .filter_map(|f| {
            let flag = f.flag.as_ref()?;
            let value = match flag {
                extract::Flag::WeekdayConflict { date, .. } => date.iso(),
                extract::Flag::PastDeadline { due, .. } => due.iso(),
                extract::Flag::TwoValues { .. } => f.value.normalised(),
            };
            Some((flag.name().to_owned(), value))
        })
        .collect();
    out.flags_expected = case.expected.flag.len();
    let mut flag_used = vec![false; flagged.len()];
    for e in &case.expected.flag {
        if let Some(k) = flagged.iter().enumerate().position(|(k, (name, value))| {
            !flag_used[k] && *name == e.kind && lower(value) == lower(e.value.trim())
        }) {
            flag_used[k] = true;
            out.flags_found += 1;
        }
    }
    out.flags_unexpected = flag_used.iter().filter(|u| !**u).count();
    // Forbidden phrases and unsourced sentences.
    for p in &case.expected.forbidden.phrases {
        if drafted.iter().any(|d| lower(&d.text).contains(&lower(p))) {
            out.forbidden_hits.push(p.clone());
        }
    }
    out.unsourced = drafted.iter().filter(|d| d.sources.is_empty()).count();
    out
}

fn line(kind: &str, section: &str, outcome: Outcome, what: &str) -> Scored {
    Scored {
        kind: kind.to_owned(),
        section: section.to_owned(),
        outcome,
        what: what.to_owned(),
    }
}
