//! The recogniser's prompt: the region's terms, then the dossier's names, only from consenting
//! contacts.

use casework::vocabulary::{for_recording, prompt_text, terms};
use domain::speech::WorkerRequest;

use crate::util::{Desk, day};

#[test]
fn the_prompt_ends_with_the_client_and_what_consenting_contacts_said() {
    let mut desk = Desk::new();
    let earlier = desk.contact(0, true);
    desk.typed(
        earlier,
        "Haar zoon Noah gaat naar school. Ze is ingeschreven bij het CAW.",
    );
    let refused = desk.contact(3, false);
    desk.note(
        refused,
        "Haar dochter Sarah woont bij de vader. Afspraak bij de VDAB.",
    );
    let now = desk.contact(7, true);
    let c = desk.ws.contact(now).unwrap();
    let text = for_recording(&desk.ws, c, "nl-BE", &day).unwrap();
    assert!(
        text.starts_with("Het gaat over OCMW, leefloon, ")
            && text.ends_with(". Gesprek met Céline Janssens, Noah en CAW."),
        "{text}"
    );
    assert!(!text.contains("Sarah"), "{text}");
    // CAW is named once, as a name of the dossier, not again among the terms.
    assert_eq!(text.matches("CAW").count(), 1, "{text}");
    // No permit, no prompt (and no recording).
    let c = desk.ws.contact(refused).unwrap();
    assert!(for_recording(&desk.ws, c, "nl-BE", &day).is_err());
}

#[test]
fn the_region_picks_its_own_terms() {
    let flemish = prompt_text(&[], "nl-BE");
    let dutch = prompt_text(&[], "nl-nl");
    assert!(
        flemish.starts_with("Het gaat over OCMW, CAW, leefloon"),
        "{flemish}"
    );
    assert!(
        dutch.contains("Participatiewet") && !dutch.contains("leefloon"),
        "{dutch}"
    );
    assert_eq!(terms("nl"), terms("nl-BE"));
}

#[test]
fn the_workers_start_request_carries_the_vocabulary_and_reads_older_requests() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    let permit = desk
        .ws
        .contact(contact)
        .unwrap()
        .processing_permit()
        .unwrap();
    let json = serde_json::to_string(&WorkerRequest::start(&permit, "Gesprek met Peeters.", None))
        .unwrap();
    match serde_json::from_str(&json).unwrap() {
        WorkerRequest::Start(start) => assert_eq!(start.vocabulary(), "Gesprek met Peeters."),
        other => panic!("{other:?}"),
    }
    let older = format!(r#"{{"kind":"start","contact":"{contact}"}}"#);
    match serde_json::from_str(&older).unwrap() {
        WorkerRequest::Start(start) => assert_eq!(start.vocabulary(), ""),
        other => panic!("{other:?}"),
    }
}
