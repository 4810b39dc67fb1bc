//! Consent below the screen: a recording starts only with a permit, and audio that arrives
//! after a revocation is refused and dropped.

use casework::capture::{Capture, permit_now};
use domain::consent::ConsentError;
use domain::speech::WorkerRequest;

use crate::util::Desk;

#[test]
fn audio_arriving_after_a_revocation_is_refused_and_everything_captured_dropped() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    let permit = permit_now(&desk.ws, contact).unwrap();
    let mut capture = Capture::new(&permit);
    let piece = [0.25_f32; 1600];
    capture.push(permit_now(&desk.ws, contact), &piece).unwrap();
    capture.push(permit_now(&desk.ws, contact), &piece).unwrap();
    assert_eq!(capture.samples().len(), 3200);

    desk.revoke(contact);
    let refused = capture.push(permit_now(&desk.ws, contact), &piece);
    assert!(
        matches!(refused, Err(ConsentError::Revoked { .. })),
        "{refused:?}"
    );
    assert!(capture.is_refused());
    assert!(capture.samples().is_empty(), "what was captured is dropped");

    // A permit held from before the revocation does not reopen it.
    assert!(capture.push(Ok(permit), &piece).is_err());
    assert!(capture.samples().is_empty());
}

#[test]
fn a_capture_takes_no_audio_under_another_contacts_permit_or_without_a_contact() {
    let mut desk = Desk::new();
    let a = desk.contact(0, true);
    let b = desk.contact(1, true);
    let refused = desk.contact(2, false);
    let mut capture = Capture::new(&permit_now(&desk.ws, a).unwrap());
    assert!(matches!(
        capture.push(permit_now(&desk.ws, b), &[0.0; 10]),
        Err(ConsentError::OtherContact { .. })
    ));
    assert!(capture.samples().is_empty());
    assert!(matches!(
        permit_now(&desk.ws, refused),
        Err(ConsentError::Refused { .. })
    ));
    assert!(matches!(
        permit_now(&desk.ws, domain::RecordId::from_bytes([7; 16])),
        Err(ConsentError::PermitMissing { .. })
    ));
}

#[test]
fn the_workers_start_request_names_the_permitted_contact() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    let permit = permit_now(&desk.ws, contact).unwrap();
    let request = WorkerRequest::start(&permit, "", None);
    let json = serde_json::to_string(&request).unwrap();
    assert!(json.contains(&contact.to_string()), "{json}");
    let back: WorkerRequest = serde_json::from_str(&json).unwrap();
    match back {
        WorkerRequest::Start(start) => assert_eq!(start.contact(), contact),
        other => panic!("{other:?}"),
    }
}
