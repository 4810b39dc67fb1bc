//! Action frames: who does what by when, flagged when the deadline lies before the contact or
//! its weekday does not match its date.

use super::talk::dates_in;
use super::{Flag, Frame, FrameKind, FrameValue, split};
use crate::actions;
use crate::calendar::Date;
use crate::fact::{Fact, FactValue, Segment};

/// Action frames of every segment of a contact held on `contact`.
pub(crate) fn find(segments: &[Segment], contact: Date) -> Vec<Frame> {
    let mut out = Vec::new();
    for seg in segments {
        let sentences = split(std::slice::from_ref(seg));
        let dated: Vec<(Fact, Option<Flag>)> = sentences
            .iter()
            .flat_map(|s| {
                dates_in(s, contact).into_iter().map(|d| {
                    let t = &s.tokens[d.at];
                    (
                        Fact {
                            value: FactValue::Date { date: d.date },
                            sources: vec![seg.id],
                            evidence: t.raw.to_owned(),
                            span: t.start..t.end,
                        },
                        d.flag,
                    )
                })
            })
            .collect();
        let dates: Vec<Fact> = dated.iter().map(|(f, _)| f.clone()).collect();
        let tokens = crate::token::tokenize(&seg.text);
        for f in actions::find(seg, &tokens, &dates) {
            let FactValue::Action { owner, text, due } = f.value else {
                continue;
            };
            let weekday = dated
                .iter()
                .find(|(d, flag)| {
                    flag.is_some() && d.span.start >= f.span.start && d.span.end <= f.span.end
                })
                .and_then(|(_, flag)| flag.clone());
            let flag = weekday.or_else(|| {
                due.filter(|d| *d < contact)
                    .map(|due| Flag::PastDeadline { due, contact })
            });
            out.push(Frame {
                kind: FrameKind::Action,
                value: FrameValue::Action { owner, text, due },
                said_by: seg.speaker,
                sources: vec![seg.id],
                flag,
            });
        }
    }
    out
}
