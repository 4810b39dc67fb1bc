//! Amounts of money: "€ 750", "750 euro", "zevenhonderdvijftig euro", "1.250,50 EUR", with the
//! period when said ("per maand", "maandelijks").

use crate::fact::{Fact, FactValue, Period, Segment};
use crate::scan::{fact, number_at, number_before, phrase_at};
use crate::token::Token;

const PERIODS: &[(&[&str], Period)] = &[
    (&["per", "maand"], Period::Month),
    (&["in", "de", "maand"], Period::Month),
    (&["elke", "maand"], Period::Month),
    (&["maandelijks"], Period::Month),
    (&["per", "week"], Period::Week),
    (&["elke", "week"], Period::Week),
    (&["wekelijks"], Period::Week),
    (&["per", "dag"], Period::Day),
    (&["per", "uur"], Period::Hour),
    (&["per", "kwartaal"], Period::Quarter),
    (&["per", "jaar"], Period::Year),
    (&["jaarlijks"], Period::Year),
];

/// The period said right after the amount ("750 euro per maand", two words may sit between) or
/// shortly before it ("per maand 750 euro", "maandelijks betaal ik 120 euro"), with the token
/// range it occupies. A period before the amount lies at or after `free` (what an earlier
/// amount took is its own: "650 euro per maand, exclusief 60 euro kosten").
fn period_near(
    tokens: &[Token<'_>],
    first: usize,
    after: usize,
    free: usize,
) -> Option<(Period, usize, usize)> {
    for skip in 0..=2 {
        for (words, period) in PERIODS {
            if phrase_at(tokens, after + skip, words) {
                return Some((*period, after + skip, after + skip + words.len() - 1));
            }
        }
    }
    // Nearest first, at most three words between the period and the amount.
    for at in (first.saturating_sub(6).max(free)..first).rev() {
        for (words, period) in PERIODS {
            let end = at + words.len();
            if end <= first && first - end <= 3 && phrase_at(tokens, at, words) {
                return Some((*period, at, first - 1));
            }
        }
    }
    None
}

/// Finds amounts of money in one segment.
pub fn find(seg: &Segment, tokens: &[Token<'_>]) -> Vec<Fact> {
    let mut found = Vec::new();
    let mut used_until = 0;
    for (i, t) in tokens.iter().enumerate() {
        if i < used_until {
            continue;
        }
        let amount = match t.lower.as_str() {
            "€" => number_at(tokens, i + 1)
                .map(|(end, v)| {
                    // "€ 750 euro": swallow the redundant unit.
                    let end = if tokens
                        .get(end)
                        .is_some_and(|t| matches!(t.lower.as_str(), "euro" | "eur"))
                    {
                        end + 1
                    } else {
                        end
                    };
                    (i, end, v)
                })
                // "720 €", as typed notes write it.
                .or_else(|| number_before(tokens, i).map(|(start, v)| (start, i + 1, v))),
            "euro" | "eur" | "euros" => {
                number_before(tokens, i).map(|(start, v)| (start, i + 1, v))
            }
            _ => None,
        };
        let Some((first, after, hundredths)) = amount else {
            continue;
        };
        if first < used_until || hundredths == 0 {
            continue;
        }
        let (period, lo, hi) = match period_near(tokens, first, after, used_until) {
            Some((p, lo, hi)) => (Some(p), lo.min(first), hi.max(after - 1)),
            None => (None, first, after - 1),
        };
        used_until = hi + 1;
        found.push(fact(
            seg,
            tokens,
            lo,
            hi,
            FactValue::Money {
                cents: hundredths,
                period,
            },
        ));
    }
    found
}
