//! "Verslag genereren" from a recording and from typed notes.

use casework::draft::{self, DRAFTING};
use domain::consent::ConsentError;
use domain::transcript::TranscriptOrigin;
use domain::workspace::WorkspaceError;

use crate::util::{Desk, at, day, sociaal};

#[test]
fn a_draft_from_a_recorded_transcript_cites_its_segments_and_discloses_the_model() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    let recorded = desk.record(
        contact,
        &[
            "De huur is 650 euro per maand.",
            "Ze werkt halftijds als poetshulp.",
        ],
    );
    let change = draft::generate(&desk.ws, contact, &sociaal(), at(0), day).unwrap();
    let id = desk.save(change);

    let ws = desk.reopen();
    let report = ws.report(id).expect("the report is stored");
    assert_eq!(report.contact, contact);
    assert!(report.ai.recording);
    assert_eq!(
        report.ai.transcription_model.as_deref(),
        Some("whisper-base-nl 1")
    );
    assert_eq!(report.ai.drafting.as_deref(), Some(DRAFTING));
    let proposed: Vec<_> = report
        .sentences
        .iter()
        .filter(|s| s.proposal.is_some())
        .collect();
    assert!(
        proposed.iter().any(|s| s.text.contains("650")),
        "{proposed:#?}"
    );
    for s in &proposed {
        assert!(!s.sources.is_empty(), "every proposal has a source: {s:?}");
        for source in &s.sources {
            assert_eq!(source.transcript, recorded);
            assert!(
                ws.transcript(recorded)
                    .unwrap()
                    .segment(source.segment)
                    .is_some()
            );
        }
    }
    // No notes: no typed transcript was added.
    assert_eq!(ws.transcripts_of(contact).len(), 1);
}

#[test]
fn a_draft_from_typed_notes_stores_the_notes_transcript_with_the_report() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    desk.note(
        contact,
        "De huur is 720 euro per maand.\nMW belt het OCMW op 2 december.",
    );
    let change = draft::generate(&desk.ws, contact, &sociaal(), at(0), day).unwrap();
    let id = desk.save(change);

    let ws = desk.reopen();
    let report = ws.report(id).unwrap();
    assert!(!report.ai.recording);
    assert_eq!(report.ai.transcription_model, None);
    let notes = ws.transcripts_of(contact);
    assert_eq!(notes.len(), 1, "the notes became one transcript");
    assert_eq!(notes[0].origin, TranscriptOrigin::Typed);
    let cited: Vec<_> = report.sentences.iter().flat_map(|s| &s.sources).collect();
    assert!(!cited.is_empty());
    assert!(cited.iter().all(|s| s.transcript == notes[0].id));
    assert!(report.sentences.iter().any(|s| s.text.contains("720")));
}

#[test]
fn a_draft_also_reads_earlier_consented_contacts_against_their_own_day() {
    let mut desk = Desk::new();
    let first = desk.contact(0, true);
    let earlier = desk.record(first, &["Mijn partner Youssef werkt bij Colruyt."]);
    let second = desk.contact(14, true);
    desk.record(second, &["De huur is 650 euro per maand."]);
    let change = draft::generate(&desk.ws, second, &sociaal(), at(14), day).unwrap();
    let id = desk.save(change);
    let report = desk.ws.report(id).unwrap();
    let sources: Vec<_> = report.sentences.iter().flat_map(|s| &s.sources).collect();
    assert!(
        sources.iter().any(|s| s.transcript == earlier),
        "{:#?}",
        report.sentences
    );
}

#[test]
fn without_consent_or_without_input_nothing_is_staged() {
    let mut desk = Desk::new();
    let refused = desk.contact(0, false);
    desk.note(refused, "De huur is 650 euro per maand.");
    assert!(matches!(
        draft::generate(&desk.ws, refused, &sociaal(), at(0), day),
        Err(WorkspaceError::Consent(ConsentError::Refused { .. }))
    ));
    let empty = desk.contact(1, true);
    assert!(matches!(
        draft::generate(&desk.ws, empty, &sociaal(), at(1), day),
        Err(WorkspaceError::TranscriptNotFound)
    ));
    // By hand needs no permit and has no AI.
    let change = draft::by_hand(&desk.ws, refused, &sociaal(), at(0)).unwrap();
    let id = desk.save(change);
    let report = desk.ws.report(id).unwrap();
    assert!(report.sentences.is_empty());
    assert_eq!(report.ai, Default::default());
}

#[test]
fn a_badly_heard_segment_is_not_drafted_from_until_the_worker_confirms_it() {
    use domain::transcript::Transcript;
    use domain::{RecordId, Timestamp};

    let id = RecordId::random().unwrap();
    let mut t = Transcript::recorded(
        id,
        id,
        "whisper-base-nl 1",
        [
            (
                0,
                2500,
                "De huur is zevenhonderdvijftig euro per maand.".to_owned(),
            ),
            (
                3000,
                5500,
                "Ik heb 400 euro schuld bij Proximus.".to_owned(),
            ),
        ],
        None,
        Timestamp(0),
    );
    // Three of seven words unsure in the first segment, one of seven in the second.
    t.mark_unsure([
        vec!["huur".into(), "zevenhonderdvijftig".into(), "maand".into()],
        vec!["Proximus".into()],
    ]);
    let texts = |t: &Transcript| {
        draft::propose(&sociaal(), &[(t, day(Timestamp(0)))])
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
    };
    let before = texts(&t);
    assert!(before.iter().any(|s| s.contains("400")), "{before:#?}");
    assert!(
        !before.iter().any(|s| s.contains("750")),
        "a segment with more than a third of its words unsure is not drafted from: {before:#?}"
    );
    assert!(!draft::heard_well(&t, &t.segments[0]));

    t.confirm_heard(1, Timestamp(1)).unwrap();
    let after = texts(&t);
    assert!(after.iter().any(|s| s.contains("750")), "{after:#?}");
}

#[test]
fn the_badly_heard_segments_of_a_contact_are_listed_until_confirmed() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    let recorded = desk.record(
        contact,
        &[
            "De huur is zevenhonderdvijftig euro per maand.",
            "Ik werk halftijds.",
        ],
    );
    let mut t = desk.ws.transcript(recorded).unwrap().clone();
    t.mark_unsure([
        vec!["huur".into(), "zevenhonderdvijftig".into(), "maand".into()],
        vec!["halftijds".into()],
    ]);
    let change = desk
        .ws
        .stage_transcript(
            &desk
                .ws
                .contact(contact)
                .unwrap()
                .processing_permit()
                .unwrap(),
            t,
        )
        .unwrap();
    desk.save(change);
    let first = desk.ws.transcript(recorded).unwrap().segments[0].id;
    let left_out = draft::badly_heard(&desk.ws, contact);
    assert_eq!(
        left_out.len(),
        1,
        "one word of three is no more than a third"
    );
    assert_eq!(left_out[0].transcript, recorded);
    assert_eq!(left_out[0].segment, first);

    desk.revoke(contact);
    assert!(draft::badly_heard(&desk.ws, contact).is_empty());
}
