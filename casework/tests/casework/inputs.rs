//! Inputs under consent: only contacts with a processing permit feed a draft or the overview.

use casework::{draft, inputs};
use domain::consent::ConsentError;
use domain::workspace::WorkspaceError;

use crate::util::{Desk, at, day, sociaal};

#[test]
fn a_revoked_contact_is_no_input_even_while_its_transcript_is_still_present() {
    let mut desk = Desk::new();
    let first = desk.contact(0, true);
    let kept = desk.record(first, &["Haar partner Youssef werkt bij Colruyt."]);
    let revoked = desk.contact(7, true);
    let gone = desk.record(revoked, &["De huur is gestegen naar 800 euro per maand."]);
    let now = desk.contact(14, true);
    desk.record(now, &["De huur is 650 euro per maand."]);

    let ws = desk.revoke_leaving_transcripts(revoked);
    assert!(ws.contact(revoked).unwrap().revoked.is_some());
    assert!(
        ws.transcript(gone).is_some(),
        "the revoked contact's transcript is still readable here"
    );

    let c = ws.contact(now).unwrap();
    let found = inputs::for_draft(&ws, c, &day).unwrap();
    let earlier: Vec<_> = found.earlier.iter().map(|i| i.transcript.id).collect();
    assert_eq!(earlier, [kept]);
    assert!(found.earlier.iter().all(|i| i.permit.covers(first).is_ok()));

    let overview: Vec<_> = inputs::for_overview(&ws, desk.dossier, &day)
        .iter()
        .map(|i| i.transcript.id)
        .collect();
    assert!(!overview.contains(&gone), "{overview:?}");
    assert!(overview.contains(&kept));

    let report = draft::generate(&ws, now, &sociaal(), at(14), day).unwrap();
    let mut ws = ws;
    let id = report.target;
    ws.apply(report);
    let report = ws.report(id).unwrap();
    assert!(
        report
            .sentences
            .iter()
            .flat_map(|s| &s.sources)
            .all(|s| s.transcript != gone)
    );
    assert!(report.sentences.iter().all(|s| !s.text.contains("800")));

    // The revoked contact itself cannot be drafted, transcript or not.
    assert!(matches!(
        draft::generate(&ws, revoked, &sociaal(), at(30), day),
        Err(WorkspaceError::Consent(ConsentError::Revoked { .. }))
    ));
}

#[test]
fn refused_and_later_contacts_are_no_input() {
    let mut desk = Desk::new();
    let refused = desk.contact(0, false);
    desk.note(refused, "Ze heeft schulden bij Proximus.");
    let now = desk.contact(7, true);
    let later = desk.contact(14, true);
    desk.record(later, &["De huur is 650 euro per maand."]);
    let c = desk.ws.contact(now).unwrap();
    let found = inputs::for_draft(&desk.ws, c, &day).unwrap();
    assert!(found.earlier.is_empty());
    assert!(found.recorded.is_empty());
    assert_eq!(found.permit.contact(), now);
    let c = desk.ws.contact(refused).unwrap();
    assert!(inputs::for_draft(&desk.ws, c, &day).is_err());
}

#[test]
fn a_fully_revoked_contact_leaves_nothing_to_read() {
    let mut desk = Desk::new();
    let first = desk.contact(0, true);
    desk.record(first, &["De huur is 650 euro per maand."]);
    desk.revoke(first);
    assert!(inputs::for_overview(&desk.ws, desk.dossier, &day).is_empty());
}
