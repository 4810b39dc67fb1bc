//! Data rights and exit: export to the open format and import back, deleting a dossier, and the
//! pilot figures, through the same simulated store the workspace tests use.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::{FakeDb, PASS, draft};
use domain::archive::{Archive, Scope};
use domain::audit::{AuditKind, Problem};
use domain::consent::{Channel, ConsentChoice};
use domain::contact::ContactKind;
use domain::crypto::{KdfParams, Keyring};
use domain::record::{Record, Store};
use domain::report::{AiUse, Proposal, Report, ReportSection, Source, TemplateRef};
use domain::transcript::{AudioInfo, Transcript};
use domain::workspace::{Change, Workspace};
use domain::{RecordId, Timestamp, kpi};

struct Device {
    ws: Workspace,
    db: FakeDb,
}

impl Device {
    fn new() -> Self {
        let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
        let (mut ws, _) = Workspace::open(key, Vec::new());
        ws.set_device("toestel-a");
        Self {
            ws,
            db: FakeDb::default(),
        }
    }

    fn save(&mut self, change: Change) -> RecordId {
        let target = change.target;
        self.db.write(&change.writes);
        self.ws.apply(change);
        target
    }

    fn audio(&self) -> BTreeMap<RecordId, Vec<u8>> {
        self.db
            .0
            .iter()
            .filter(|((store, _), _)| *store == Store::Audio.name())
            .map(|((_, key), bytes)| (key.parse().unwrap(), bytes.clone()))
            .collect()
    }

    /// Records `text` on contact `ja` as the app does: a transcript with its WAV, sealed with
    /// the contact's key.
    fn record(&mut self, ja: RecordId, text: &str, wav: &[u8], at: i64) -> Transcript {
        let permit = self.ws.contact(ja).unwrap().processing_permit().unwrap();
        let t = Transcript::recorded(
            RecordId::random().unwrap(),
            ja,
            "whisper-base-nl 1",
            [(0, 2000, text.to_owned())],
            Some(AudioInfo {
                sample_rate: 16_000,
                duration_ms: 2000,
                bytes: wav.len() as u64,
            }),
            Timestamp(at),
        );
        self.save(self.ws.stage_recording(&permit, t.clone(), wav).unwrap());
        t
    }

    /// Export through the real zip writer and reader, as the app does.
    fn export(&mut self, scope: Scope, now: i64) -> Archive {
        let audio = self.audio();
        let (archive, change) = self
            .ws
            .export_archive(scope, &audio, Timestamp(now))
            .unwrap();
        let files = archive.files().unwrap();
        let entries: Vec<export::zip::Entry<'_>> = files
            .iter()
            .map(|(name, data)| export::zip::Entry { name, data })
            .collect();
        let zip = export::zip::write(&entries).unwrap();
        self.save(change);
        let read = export::zip::read(&zip, 1 << 30).unwrap();
        Archive::from_files(read.into_iter().map(|f| (f.name, f.data))).unwrap()
    }
}

fn report(contact: RecordId, dossier: RecordId, transcript: RecordId, created: i64) -> Report {
    Report::new(
        RecordId::random().unwrap(),
        contact,
        dossier,
        TemplateRef {
            id: "sociaal-verslag".into(),
            version: 1,
            sha256: "00".into(),
            title: "Sociaal verslag".into(),
        },
        ["situatie", "schulden", "afspraken"]
            .into_iter()
            .map(|id| ReportSection {
                id: id.into(),
                title: id.into(),
                worker_only: false,
            })
            .collect(),
        (1..=3)
            .map(|n| Proposal {
                check: None,
                section: if n == 3 { "afspraken" } else { "schulden" }.into(),
                text: format!("Voorstel {n} over de huurachterstal."),
                sources: vec![Source {
                    transcript,
                    segment: 1,
                }],
            })
            .collect(),
        AiUse {
            recording: true,
            transcription_model: Some("whisper-base-nl".into()),
            drafting: Some("extract 1".into()),
        },
        Timestamp(created),
    )
    .unwrap()
}

/// Two dossiers: one with a recorded, reported contact and a revoked one; one with a "nee".
fn populated() -> (Device, RecordId, RecordId, RecordId) {
    let mut d = Device::new();
    let dossier = d.save(
        d.ws.stage_new_dossier(draft("Céline Peeters"), Timestamp(1))
            .unwrap(),
    );
    let other = d.save(
        d.ws.stage_new_dossier(draft("Jan Janssens"), Timestamp(1))
            .unwrap(),
    );
    d.save(
        d.ws.stage_new_contact(
            other,
            ContactKind::Huisbezoek,
            ConsentChoice::Refused,
            Timestamp(2),
        )
        .unwrap(),
    );
    let ja = d.save(
        d.ws.stage_new_contact(
            dossier,
            ContactKind::Gesprek,
            ConsentChoice::Given,
            Timestamp(60_000),
        )
        .unwrap(),
    );
    let t = d.record(
        ja,
        "De huur is 700 euro en er is een achterstal.",
        b"RIFF\x24\x00\x00\x00WAVEfmt de stem van de client",
        120_000,
    );
    let permit = d.ws.contact(ja).unwrap().processing_permit().unwrap();
    // Saved as drafted, then reviewed and validated, as the app does.
    let mut r = report(ja, dossier, t.id, 130_000);
    let report_id = d.save(d.ws.stage_new_report(Some(&permit), r.clone()).unwrap());
    r.accept(1, Timestamp(131_000)).unwrap();
    r.edit(
        2,
        "Voorstel 2, aangepast door de werker.",
        Timestamp(132_000),
    )
    .unwrap();
    r.remove(3, Timestamp(133_000)).unwrap();
    r.write("situatie", "Zelf geschreven zin.", Timestamp(134_000))
        .unwrap();
    r.validate("An Claes", Timestamp(120_000 + 30 * 60_000))
        .unwrap();
    d.save(d.ws.stage_report_update(r).unwrap());
    d.save(
        d.ws.stage_problem_report(report_id, 2, Problem::Incomplete, Timestamp(140_000))
            .unwrap(),
    );
    // A second "ja" contact, revoked: its transcript is gone for good.
    let revoked = d.save(
        d.ws.stage_new_contact(
            dossier,
            ContactKind::Telefonisch,
            ConsentChoice::Given,
            Timestamp(200_000),
        )
        .unwrap(),
    );
    let permit = d.ws.contact(revoked).unwrap().processing_permit().unwrap();
    let gone = Transcript::from_notes(
        RecordId::random().unwrap(),
        revoked,
        "Weg.",
        Timestamp(201_000),
    );
    d.save(d.ws.stage_transcript(&permit, gone).unwrap());
    d.save(
        d.ws.stage_revocation(revoked, Channel::Telefonisch, Timestamp(202_000))
            .unwrap(),
    );
    (d, dossier, t.id, revoked)
}

fn without_import_events(
    records: Vec<domain::archive::StoredRecord>,
) -> Vec<domain::archive::StoredRecord> {
    records
        .into_iter()
        .filter(|s| !matches!(&s.record, Record::Audit(a) if matches!(a.kind, AuditKind::Imported { .. })))
        .collect()
}

#[test]
fn export_delete_everything_import_gives_identical_data() {
    let (mut a, _, transcript, _) = populated();
    let archive = a.export(Scope::Workspace, 300_000);
    let before = a.ws.all_records();
    let audio_before =
        a.ws.open_audio(transcript, &a.audio()[&transcript])
            .unwrap();

    // Everything deleted: a new device with a new passphrase and nothing in it.
    let mut b = Device::new();
    let (change, summary) = b.ws.stage_import(&archive, Timestamp(400_000)).unwrap();
    b.save(change);
    assert_eq!(summary.kept_here, 0);
    assert_eq!(summary.recordings, 1);
    assert_eq!(summary.added as usize, archive.records.len());

    // Every record identical, with its version; the only extra records are the import events.
    // (The export's own audit events were written after the archive was made.)
    let exported: Vec<_> = before
        .into_iter()
        .filter(|s| !matches!(&s.record, Record::Audit(a) if matches!(a.kind, AuditKind::Exported { .. })))
        .collect();
    assert_eq!(without_import_events(b.ws.all_records()), exported);
    // The recording opens with the new device's fresh contact key, byte for byte.
    assert_eq!(
        b.ws.open_audio(transcript, &b.audio()[&transcript])
            .unwrap(),
        audio_before
    );
    // And it all survives a reload from storage.
    let key = b.ws.all_records().len();
    let (reopened, unreadable) = b.ws.reload(b.db.entries());
    assert!(unreadable.is_empty(), "{unreadable:?}");
    assert_eq!(reopened.all_records().len(), key);
    assert!(!b.db.contains_text("Peeters"), "imported data is sealed");
    assert!(!b.db.contains_text("achterstal"), "imported data is sealed");
}

#[test]
fn importing_twice_changes_nothing_and_local_edits_are_never_overwritten() {
    let (mut a, dossier, _, _) = populated();
    let archive = a.export(Scope::Dossier { dossier }, 300_000);
    assert_eq!(
        archive.manifest.counts.dossiers, 1,
        "only the chosen dossier"
    );

    let (change, summary) = a.ws.stage_import(&archive, Timestamp(310_000)).unwrap();
    assert_eq!(summary.added, 0);
    assert_eq!(summary.kept_here, 0);
    assert!(
        change.writes.is_empty(),
        "an identical import writes nothing"
    );

    let mut edited = domain::dossier::DossierDraft::from_dossier(a.ws.dossier(dossier).unwrap());
    edited.notes = "Nieuwe notitie na de export".into();
    a.save(
        a.ws.stage_dossier_update(dossier, edited, Timestamp(320_000))
            .unwrap(),
    );
    let (change, summary) = a.ws.stage_import(&archive, Timestamp(330_000)).unwrap();
    assert_eq!(summary.kept_here, 1);
    a.save(change);
    assert_eq!(
        a.ws.dossier(dossier).unwrap().notes,
        "Nieuwe notitie na de export"
    );
}

#[test]
fn an_older_export_never_brings_back_what_a_revocation_destroyed() {
    let mut d = Device::new();
    let dossier = d.save(
        d.ws.stage_new_dossier(draft("Céline"), Timestamp(1))
            .unwrap(),
    );
    let ja = d.save(
        d.ws.stage_new_contact(
            dossier,
            ContactKind::Gesprek,
            ConsentChoice::Given,
            Timestamp(2),
        )
        .unwrap(),
    );
    let t = d.record(ja, "Geheim gesprek.", b"RIFF stem", 3);
    let mut old = d.export(Scope::Workspace, 4);
    d.save(
        d.ws.stage_revocation(ja, Channel::Email, Timestamp(5))
            .unwrap(),
    );
    // One record of that dossier is not here any more (it is new to this device).
    old.records.push(domain::archive::StoredRecord {
        version: 1,
        record: Record::Audit(domain::audit::AuditEvent {
            id: RecordId::random().unwrap(),
            dossier,
            at: Timestamp(4),
            device: "toestel-b".into(),
            kind: AuditKind::ActionHandled {
                action: "huur".into(),
                done: true,
            },
        }),
    });

    let (change, summary) = d.ws.stage_import(&old, Timestamp(6)).unwrap();
    assert_eq!(
        summary.refused_after_revocation, 2,
        "transcript and recording"
    );
    assert!(
        change
            .writes
            .iter()
            .all(|w| w.store != Store::Audio && w.store != Store::Keys)
    );
    d.save(change);
    assert!(d.ws.transcript(t.id).is_none());
    assert!(!d.ws.has_contact_key(ja));
    let imported: Vec<u32> =
        d.ws.audit_of(dossier)
            .iter()
            .filter_map(|e| match e.kind {
                AuditKind::Imported { records } => Some(records),
                _ => None,
            })
            .collect();
    assert_eq!(
        imported,
        [1],
        "the log counts what was added, not the refused transcript"
    );
}

#[test]
fn an_archive_that_points_nowhere_is_refused_whole() {
    let (mut a, dossier, _, _) = populated();
    let mut archive = a.export(Scope::Dossier { dossier }, 300_000);
    archive
        .records
        .retain(|s| !matches!(s.record, Record::Dossier(_)));
    let b = Device::new();
    assert!(matches!(
        b.ws.stage_import(&archive, Timestamp(1)),
        Err(domain::workspace::WorkspaceError::Import(_))
    ));
}

#[test]
fn deleting_a_dossier_removes_everything_of_it_and_leaves_one_trace() {
    let (mut d, dossier, transcript, _) = populated();
    let others_before: Vec<_> =
        d.ws.all_records()
            .into_iter()
            .filter(|s| match &s.record {
                Record::Dossier(x) => x.id != dossier,
                Record::Contact(c) => c.dossier != dossier,
                Record::Report(r) => r.dossier != dossier,
                Record::Audit(a) => a.dossier != dossier,
                Record::Transcript(_) => false,
                Record::Preferences(_) => true,
            })
            .collect();
    let change =
        d.ws.stage_dossier_deletion(dossier, Timestamp(500_000))
            .unwrap();
    d.save(change);
    assert!(d.ws.dossier(dossier).is_none());
    assert!(d.ws.transcript(transcript).is_none());
    assert!(!d.db.0.contains_key(&("audio", transcript.to_string())));
    assert!(
        d.db.0.keys().all(|(store, _)| *store != "keys"),
        "contact keys gone"
    );
    let trace = d.ws.deleted_dossiers();
    assert_eq!(trace.len(), 1);
    assert!(matches!(
        trace[0].kind,
        AuditKind::DossierDeleted {
            contacts: 2,
            reports: 1,
            validated_reports: 1,
            transcripts: 1
        }
    ));
    // The other dossier is untouched; storage holds exactly what the workspace shows.
    let after: Vec<_> = d
        .ws
        .all_records()
        .into_iter()
        .filter(|s| !matches!(&s.record, Record::Audit(a) if matches!(a.kind, AuditKind::DossierDeleted { .. })))
        .collect();
    assert_eq!(after, others_before);
    let (reopened, bad) = d.ws.reload(d.db.entries());
    assert!(bad.is_empty());
    assert_eq!(reopened.all_records().len(), after.len() + 1);
}

#[test]
fn pilot_figures_come_from_what_happened() {
    let (d, _, _, _) = populated();
    let rows = kpi::figures(&d.ws);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.drafted, 3);
    assert_eq!(
        (row.accepted, row.changed, row.removed, row.written),
        (1, 1, 1, 1)
    );
    assert_eq!((row.sections_filled, row.sections_total), (2, 3));
    assert_eq!(
        row.minutes_to_validation(),
        Some(30.0),
        "from the end of the recording"
    );
    assert_eq!(row.incidents.get(&Problem::Incomplete), Some(&1));
    let summary = kpi::summarize(&rows);
    assert_eq!(summary.median_minutes, Some(30.0));
    assert_eq!(summary.incident_count(), 1);
    let csv = kpi::csv(&rows);
    assert!(!csv.contains("Peeters") && !csv.contains("Céline"));
    assert_eq!(csv.lines().count(), 2);

    // Only drafted sentences can be reported, and only in existing reports.
    let written =
        d.ws.report(row.report)
            .unwrap()
            .sentences
            .iter()
            .find(|s| s.proposal.is_none())
            .unwrap()
            .id;
    assert!(
        d.ws.stage_problem_report(row.report, written, Problem::Wrong, Timestamp(1))
            .is_err()
    );
    assert!(
        d.ws.stage_problem_report(RecordId::random().unwrap(), 1, Problem::Wrong, Timestamp(1))
            .is_err()
    );
}
