//! "Herbeluisteren": cited stretches the recogniser was unsure of are listed before
//! validation; the worker corrects or confirms each, and only then can the report be validated.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::consent::{ConsentChoice, ProcessingPermit};
use domain::contact::ContactKind;
use domain::crypto::{KdfParams, Keyring};
use domain::report::{AiUse, Proposal, Report, ReportSection, Source, TemplateRef};
use domain::transcript::{AudioInfo, Transcript, TranscriptError};
use domain::workspace::{Change, Workspace, WorkspaceError};
use domain::{RecordId, Timestamp};

mod common;

use common::{FakeDb, PASS, draft};

struct Case {
    ws: Workspace,
    db: FakeDb,
    contact: RecordId,
    transcript: RecordId,
    report: RecordId,
}

impl Case {
    fn permit(&self) -> ProcessingPermit {
        self.ws
            .contact(self.contact)
            .unwrap()
            .processing_permit()
            .unwrap()
    }

    fn apply(&mut self, change: Change) {
        self.db.write(&change.writes);
        self.ws.apply(change);
    }

    fn report(&self) -> Report {
        self.ws.report(self.report).unwrap().clone()
    }

    /// Accepts every proposal and validates, as the app's "Valideren" does.
    fn validate(&mut self) -> Result<(), WorkspaceError> {
        let mut report = self.report();
        for id in report.sentences.iter().map(|s| s.id).collect::<Vec<_>>() {
            if report
                .sentences
                .iter()
                .any(|s| s.id == id && s.mark.is_none())
            {
                report.accept(id, Timestamp(20)).unwrap();
            }
        }
        report.validate("Ann Peeters", Timestamp(21))?;
        let change = self.ws.stage_report_update(report)?;
        self.apply(change);
        Ok(())
    }
}

/// A recording of three segments, the first two with unsure words, and a report whose
/// sentences cite segment 1 (twice), 2 and 3.
fn case() -> Case {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (ws, _) = Workspace::open(key, Vec::new());
    let mut case = Case {
        ws,
        db: FakeDb::default(),
        contact: RecordId::random().unwrap(),
        transcript: RecordId::random().unwrap(),
        report: RecordId::random().unwrap(),
    };
    let change = case
        .ws
        .stage_new_dossier(draft("Ayşe Yılmaz"), Timestamp(1))
        .unwrap();
    let dossier = change.target;
    case.apply(change);
    let change = case
        .ws
        .stage_new_contact(
            dossier,
            ContactKind::Gesprek,
            ConsentChoice::Given,
            Timestamp(2),
        )
        .unwrap();
    let contact = change.target;
    case.contact = contact;
    case.apply(change);
    let mut t = Transcript::recorded(
        case.transcript,
        contact,
        "whisper-base-nl 1",
        [
            (
                0,
                2_000,
                "Ik ben bij de schuld me medeling geweest.".to_owned(),
            ),
            (2_500, 5_000, "De huur is 650 euro per maand.".to_owned()),
            (5_500, 7_000, "Mijn dochter is zes jaar.".to_owned()),
        ],
        Some(AudioInfo {
            sample_rate: 16_000,
            duration_ms: 7_000,
            bytes: 224_044,
        }),
        Timestamp(3),
    );
    t.mark_unsure([
        vec!["schuld".to_owned(), "medeling".to_owned()],
        vec!["650".to_owned()],
        Vec::new(),
    ]);
    let change = case
        .ws
        .stage_recording(&case.permit(), t, b"RIFF audio")
        .unwrap();
    case.apply(change);
    let src = |segment| Source {
        transcript: case.transcript,
        segment,
    };
    let proposal = |section: &str, text: &str, sources: Vec<Source>| Proposal {
        section: section.into(),
        text: text.into(),
        sources,
        check: None,
    };
    let report = Report::new(
        case.report,
        contact,
        dossier,
        TemplateRef {
            id: "sociaal-verslag".into(),
            version: 1,
            sha256: "00".into(),
            title: "Sociaal verslag".into(),
        },
        ["hulpvraag", "wonen", "gezin"]
            .into_iter()
            .map(|id| ReportSection {
                id: id.into(),
                title: id.into(),
                worker_only: false,
            })
            .collect(),
        vec![
            proposal(
                "hulpvraag",
                "Mevrouw ging naar de schuldbemiddeling.",
                vec![src(1)],
            ),
            proposal("wonen", "De huur bedraagt € 650 per maand.", vec![src(2)]),
            proposal(
                "gezin",
                "Mevrouw heeft een dochter van 6 jaar.",
                vec![src(3)],
            ),
            proposal(
                "hulpvraag",
                "Mevrouw vraagt hulp bij haar schulden.",
                vec![src(1)],
            ),
        ],
        AiUse {
            recording: true,
            transcription_model: Some("whisper-base-nl 1".into()),
            drafting: Some("extract".into()),
        },
        Timestamp(10),
    )
    .unwrap();
    let change = case
        .ws
        .stage_new_report(Some(&case.permit()), report)
        .unwrap();
    case.apply(change);
    case
}

#[test]
fn cited_unsure_stretches_are_listed_once_in_report_order_with_their_span() {
    let case = case();
    let list = case.ws.relisten(&case.report());
    assert_eq!(list.len(), 2, "segment 3 has no unsure words: {list:?}");
    assert_eq!(list[0].source.segment, 1);
    assert_eq!(list[0].sentences, [1, 4], "both sentences citing it");
    assert_eq!(list[0].words, ["schuld", "medeling"]);
    assert_eq!(list[0].span_ms, Some((0, 2_000)));
    assert_eq!(list[1].source.segment, 2);
    assert_eq!(list[1].text, "De huur is 650 euro per maand.");
}

#[test]
fn validation_waits_until_every_stretch_is_corrected_or_confirmed() {
    let mut case = case();
    assert!(matches!(
        case.validate(),
        Err(WorkspaceError::NotRelistened(2))
    ));
    assert!(case.report().validated.is_none(), "nothing was stored");
    // Corrected: the worker's text stands.
    let change = case
        .ws
        .stage_segment_correction(
            &case.permit(),
            case.transcript,
            1,
            "Ik ben bij de schuldbemiddeling geweest.",
            Timestamp(11),
        )
        .unwrap();
    case.apply(change);
    assert!(matches!(
        case.validate(),
        Err(WorkspaceError::NotRelistened(1))
    ));
    // Confirmed as heard: the marks go, the text stays.
    let change = case
        .ws
        .stage_heard_confirmation(&case.permit(), case.transcript, 2, Timestamp(12))
        .unwrap();
    case.apply(change);
    let t = case.ws.transcript(case.transcript).unwrap();
    assert!(t.unsure_in(2).is_empty());
    assert_eq!(t.segment(2).unwrap().text, "De huur is 650 euro per maand.");
    assert!(case.ws.relisten(&case.report()).is_empty());
    case.validate().unwrap();
    assert!(case.report().validated.is_some());
    assert!(
        case.ws.relisten(&case.report()).is_empty(),
        "a validated report lists nothing"
    );
}

#[test]
fn only_a_segment_with_unsure_words_can_be_confirmed_and_the_confirmation_is_kept() {
    let mut case = case();
    assert!(matches!(
        case.ws
            .stage_heard_confirmation(&case.permit(), case.transcript, 3, Timestamp(12)),
        Err(WorkspaceError::Transcript(TranscriptError::NothingUnsure))
    ));
    assert!(matches!(
        case.ws
            .stage_heard_confirmation(&case.permit(), case.transcript, 9, Timestamp(12)),
        Err(WorkspaceError::Transcript(TranscriptError::SegmentNotFound))
    ));
    let change = case
        .ws
        .stage_heard_confirmation(&case.permit(), case.transcript, 1, Timestamp(12))
        .unwrap();
    case.apply(change);
    assert!(matches!(
        case.ws
            .stage_heard_confirmation(&case.permit(), case.transcript, 1, Timestamp(13)),
        Err(WorkspaceError::Transcript(TranscriptError::NothingUnsure))
    ));
    // Stored sealed and read back after a reopen.
    let t = case.ws.transcript(case.transcript).unwrap();
    let json = serde_json::to_string(t).unwrap();
    let back: Transcript = serde_json::from_str(&json).unwrap();
    assert!(back.unsure_in(1).is_empty());
    assert_eq!(back.unsure_in(2), ["650"]);
    assert!(!case.db.contains_text("medeling"));
}
