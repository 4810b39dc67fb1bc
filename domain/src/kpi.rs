//! The pilot's figures, computed on the device from the workspace itself.
//!
//! Per report ([`ReportFigures`]):
//!
//! - **time to a validated report**: from the end of the contact to the validation. The end of
//!   a contact is the moment its last transcript was stored (recording stopped, or notes
//!   saved); a contact without any transcript counts from its start. Transcripts destroyed
//!   after a revocation no longer count, so such a contact also counts from its start.
//! - **what happened to the drafted proposals**: accepted as they were, changed, or removed,
//!   and how many sentences the worker wrote without a proposal. "Drafted" is the number the
//!   audit log recorded when the draft was made.
//! - **completeness**: template sections with at least one sentence, out of all sections.
//! - **incidents**: problems the worker reported on sentences ("meld een fout": wrong,
//!   incomplete, invented).
//!
//! [`Summary`] aggregates validated first versions (corrections would count the same work
//! twice). Nothing here names a client: rows carry the report's random id, its template and
//! times only, so the CSV can go to the pilot's evaluators as it is.

use std::collections::BTreeMap;

use crate::audit::{AuditKind, Problem};
use crate::report::{Mark, Report};
use crate::workspace::Workspace;
use crate::{RecordId, Timestamp};

/// The figures of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFigures {
    /// The report (a random id).
    pub report: RecordId,
    /// `id@version` of its template.
    pub template: String,
    /// Whether proposals were drafted from a transcript.
    pub drafted_with_ai: bool,
    /// Whether it corrects an earlier version.
    pub correction: bool,
    /// When the contact ended (see the module doc).
    pub contact_end: Timestamp,
    /// When it was validated; `None` for a draft.
    pub validated_at: Option<Timestamp>,
    /// Proposals drafted.
    pub drafted: u32,
    /// Proposals kept as they were.
    pub accepted: u32,
    /// Proposals changed by the worker.
    pub changed: u32,
    /// Proposals removed.
    pub removed: u32,
    /// Sentences the worker wrote.
    pub written: u32,
    /// Sections with at least one sentence.
    pub sections_filled: u32,
    /// Sections of the template.
    pub sections_total: u32,
    /// Problems reported, by kind.
    pub incidents: BTreeMap<Problem, u32>,
}

impl ReportFigures {
    /// Minutes from the end of the contact to the validation.
    pub fn minutes_to_validation(&self) -> Option<f64> {
        self.validated_at
            .map(|v| (v.millis() - self.contact_end.millis()).max(0) as f64 / 60_000.0)
    }

    /// All incidents.
    pub fn incident_count(&self) -> u32 {
        self.incidents.values().sum()
    }
}

/// Figures over validated first versions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Reports counted.
    pub reports: u32,
    /// Of which drafted with AI.
    pub drafted_with_ai: u32,
    /// Median minutes from the end of the contact to validation.
    pub median_minutes: Option<f64>,
    /// Proposals drafted.
    pub drafted: u32,
    /// Proposals kept as they were.
    pub accepted: u32,
    /// Proposals changed.
    pub changed: u32,
    /// Proposals removed.
    pub removed: u32,
    /// Sentences written by the worker.
    pub written: u32,
    /// Sections filled, out of all sections, over all reports counted (0–1).
    pub completeness: Option<f64>,
    /// Problems reported, by kind, over every report (drafts included).
    pub incidents: BTreeMap<Problem, u32>,
}

impl Summary {
    /// Share of drafted proposals kept as they were (0–1).
    pub fn accepted_share(&self) -> Option<f64> {
        share(self.accepted, self.drafted)
    }

    /// Share of drafted proposals changed (0–1).
    pub fn changed_share(&self) -> Option<f64> {
        share(self.changed, self.drafted)
    }

    /// Share of drafted proposals removed (0–1).
    pub fn removed_share(&self) -> Option<f64> {
        share(self.removed, self.drafted)
    }

    /// Share of final sentences the worker wrote without a proposal (0–1).
    pub fn written_share(&self) -> Option<f64> {
        share(self.written, self.accepted + self.changed + self.written)
    }

    /// All incidents.
    pub fn incident_count(&self) -> u32 {
        self.incidents.values().sum()
    }
}

fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn figures_of(ws: &Workspace, report: &Report) -> ReportFigures {
    let contact_end = ws
        .transcripts_of(report.contact)
        .iter()
        .map(|t| t.created_at)
        .chain(ws.contact(report.contact).map(|c| c.started_at))
        .max()
        .unwrap_or(report.created_at);
    let mut drafted = None;
    let mut incidents = BTreeMap::new();
    for event in ws.audit_of(report.dossier) {
        match &event.kind {
            AuditKind::ReportStarted {
                report: r,
                proposals,
                ..
            } if *r == report.id => drafted = Some(*proposals),
            AuditKind::ProblemReported {
                report: r, problem, ..
            } if *r == report.id => *incidents.entry(*problem).or_insert(0) += 1,
            _ => {}
        }
    }
    let with_proposal = count(
        report
            .sentences
            .iter()
            .filter(|s| s.proposal.is_some())
            .count(),
    );
    let drafted = drafted.unwrap_or(with_proposal).max(with_proposal);
    let marked = |m: Mark| {
        count(
            report
                .sentences
                .iter()
                .filter(|s| s.mark == Some(m))
                .count(),
        )
    };
    let filled = report
        .sections
        .iter()
        .filter(|sec| report.sentences.iter().any(|s| s.section == sec.id))
        .count();
    ReportFigures {
        report: report.id,
        template: format!("{}@{}", report.template.id, report.template.version),
        drafted_with_ai: report.ai.drafting.is_some(),
        correction: report.supersedes.is_some(),
        contact_end,
        validated_at: report.validated.as_ref().map(|v| v.at),
        drafted,
        accepted: marked(Mark::Accepted),
        changed: marked(Mark::Changed),
        removed: drafted - with_proposal,
        written: marked(Mark::Written),
        sections_filled: count(filled),
        sections_total: count(report.sections.len()),
        incidents,
    }
}

/// Figures for every report in the workspace, oldest contact first.
pub fn figures(ws: &Workspace) -> Vec<ReportFigures> {
    let mut rows: Vec<ReportFigures> = ws
        .all_reports()
        .into_iter()
        .map(|r| figures_of(ws, r))
        .collect();
    extract::order::sort_by_key(&mut rows, |r| (r.contact_end, r.report));
    rows
}

/// The summary of `rows` (see [`Summary`] for what counts).
pub fn summarize(rows: &[ReportFigures]) -> Summary {
    let mut s = Summary::default();
    let mut minutes = Vec::new();
    let (mut filled, mut total) = (0u32, 0u32);
    for row in rows {
        for (problem, n) in &row.incidents {
            *s.incidents.entry(*problem).or_insert(0) += n;
        }
        if row.correction {
            continue;
        }
        let Some(m) = row.minutes_to_validation() else {
            continue;
        };
        minutes.push(m);
        s.reports += 1;
        s.drafted_with_ai += u32::from(row.drafted_with_ai);
        s.drafted += row.drafted;
        s.accepted += row.accepted;
        s.changed += row.changed;
        s.removed += row.removed;
        s.written += row.written;
        filled += row.sections_filled;
        total += row.sections_total;
    }
    extract::order::sort_by(&mut minutes, f64::total_cmp);
    s.median_minutes = match minutes.len() {
        0 => None,
        n if n % 2 == 1 => Some(minutes[n / 2]),
        n => Some(f64::midpoint(minutes[n / 2 - 1], minutes[n / 2])),
    };
    s.completeness = share(filled, total);
    s
}

/// RFC 4180 CSV (comma-separated, `.` decimals, CRLF line ends) of `rows`, one line per report,
/// with times as UTC ISO 8601.
pub fn csv(rows: &[ReportFigures]) -> String {
    let mut out = String::from(
        "report,template,drafted_with_ai,correction,contact_end_utc,validated_utc,\
         minutes_to_validation,drafted,accepted,changed,removed,written,sections_filled,\
         sections_total,incidents_wrong,incidents_incomplete,incidents_invented\r\n",
    );
    for r in rows {
        let n = |p: Problem| r.incidents.get(&p).copied().unwrap_or(0);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            r.report,
            r.template,
            r.drafted_with_ai,
            r.correction,
            iso_utc(r.contact_end),
            r.validated_at.map(iso_utc).unwrap_or_default(),
            r.minutes_to_validation()
                .map(|m| format!("{m:.1}"))
                .unwrap_or_default(),
            r.drafted,
            r.accepted,
            r.changed,
            r.removed,
            r.written,
            r.sections_filled,
            r.sections_total,
            n(Problem::Wrong),
            n(Problem::Incomplete),
            n(Problem::Invented),
        ));
    }
    out
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a timestamp (proleptic Gregorian, UTC).
pub fn iso_utc(t: Timestamp) -> String {
    let secs = t.millis().div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_match_known_moments() {
        assert_eq!(iso_utc(Timestamp(0)), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(Timestamp(951_782_400_000)), "2000-02-29T00:00:00Z");
        assert_eq!(
            iso_utc(Timestamp(1_796_169_600_000 + 43_323_000)),
            "2026-12-02T12:02:03Z"
        );
    }

    fn row(minutes: i64, correction: bool) -> ReportFigures {
        ReportFigures {
            report: RecordId::from_bytes([1; 16]),
            template: "sociaal-verslag@1".into(),
            drafted_with_ai: true,
            correction,
            contact_end: Timestamp(0),
            validated_at: Some(Timestamp(minutes * 60_000)),
            drafted: 4,
            accepted: 2,
            changed: 1,
            removed: 1,
            written: 1,
            sections_filled: 3,
            sections_total: 4,
            incidents: BTreeMap::from([(Problem::Invented, 1)]),
        }
    }

    #[test]
    fn summary_takes_the_median_and_skips_corrections() {
        let rows = [
            row(10, false),
            row(30, false),
            row(20, false),
            row(99, true),
        ];
        let s = summarize(&rows);
        assert_eq!(s.reports, 3);
        assert_eq!(s.median_minutes, Some(20.0));
        assert_eq!(s.drafted, 12);
        assert_eq!(s.accepted_share(), Some(0.5));
        assert_eq!(s.written_share(), Some(0.25));
        assert_eq!(s.completeness, Some(0.75));
        // Incidents count on every report, corrections too.
        assert_eq!(s.incident_count(), 4);
        let even = summarize(&rows[..2]);
        assert_eq!(even.median_minutes, Some(20.0));
    }

    #[test]
    fn csv_has_one_line_per_report_and_no_names() {
        let text = csv(&[row(15, false)]);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].split(',').count(), lines[1].split(',').count());
        assert!(
            lines[1].contains(",15.0,4,2,1,1,1,3,4,0,0,1"),
            "{}",
            lines[1]
        );
    }
}
