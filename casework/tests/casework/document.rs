//! A report as an export document: the Dutch status lines and the disclosure, always.

use casework::{document, draft};
use domain::Timestamp;

use crate::util::{Desk, at, day, sociaal};

fn moment(t: Timestamp) -> String {
    format!("dag {}", t.millis() / 86_400_000)
}

#[test]
fn the_document_carries_status_lines_sentences_and_the_disclosure() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    desk.record(contact, &["De huur is 650 euro per maand."]);
    let id = desk.save(draft::generate(&desk.ws, contact, &sociaal(), at(0), day).unwrap());
    let mut report = desk.ws.report(id).unwrap().clone();

    let doc = document::document(&report, "Céline Janssens", at(0), moment);
    assert_eq!(doc.title, report.template.title);
    assert_eq!(doc.subtitle[0], "Cliënt: Céline Janssens");
    assert_eq!(doc.subtitle[1], format!("Contact: {}", moment(at(0))));
    assert_eq!(
        doc.subtitle[2],
        format!(
            "Sjabloon: sociaal-verslag versie {}",
            report.template.version
        )
    );
    assert_eq!(doc.subtitle[3], "ONTWERP, versie 1 – nog niet gevalideerd");
    let disclosure = doc.disclosure().join("\n");
    assert!(disclosure.contains("AI-ondersteuning"), "{disclosure}");
    assert!(disclosure.contains("whisper-base-nl 1"), "{disclosure}");
    assert!(doc.plain_text().contains("650"));
    assert!(doc.plain_text().contains("AI-ondersteuning"));

    // A sentence without text (its source destroyed) is not printed.
    let empty = report.sentences.len();
    report.sentences.push(domain::report::Sentence {
        id: 999,
        section: report.sentences[0].section.clone(),
        text: String::new(),
        sources: Vec::new(),
        proposal: None,
        mark: None,
        source_removed: true,
        check: None,
        history: Vec::new(),
    });
    let doc = document::document(&report, "C", at(0), moment);
    let printed: usize = doc.sections.iter().map(|s| s.paragraphs.len()).sum();
    assert_eq!(printed, empty);

    // Validated: the status line says so.
    report.sentences.pop();
    for s in report.sentences.clone() {
        report.accept(s.id, at(1)).unwrap();
    }
    report.validate("An De Smet", at(1)).unwrap();
    assert_eq!(
        document::status_line(&report),
        "Gevalideerd verslag, versie 1"
    );
}

#[test]
fn a_report_written_by_hand_discloses_that_no_ai_was_used() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, false);
    let id = desk.save(draft::by_hand(&desk.ws, contact, &sociaal(), at(0)).unwrap());
    let report = desk.ws.report(id).unwrap();
    let doc = document::document(report, "C", at(0), moment);
    assert!(!doc.disclosure().is_empty());
    assert!(!doc.disclosure().join(" ").contains("whisper"));
}

#[test]
fn the_client_reads_plain_words_and_who_approved_it() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    desk.record(contact, &["Mijn huur is 650 euro per maand."]);
    let id = desk.save(draft::generate(&desk.ws, contact, &sociaal(), at(0), day).unwrap());
    let mut report = desk.ws.report(id).unwrap().clone();
    for s in report.sentences.clone() {
        report.accept(s.id, at(1)).unwrap();
    }
    report.validate("An De Smet", at(1)).unwrap();
    let shared = document::for_client(
        &report,
        "Ayşe Yılmaz",
        at(0),
        Some("Van: Łukasz Wójcik, OCMW Sint-Niklaas".into()),
        moment,
    );
    let all = [
        shared.subtitle.join("\n"),
        shared.disclosure.join("\n"),
        shared
            .sections
            .iter()
            .flat_map(|s| s.paragraphs.clone())
            .collect::<Vec<_>>()
            .join("\n"),
    ]
    .join("\n");
    assert!(all.contains("Ayşe Yılmaz"), "{all}");
    assert!(
        shared.subtitle.last().map(String::as_str) == Some("Van: Łukasz Wójcik, OCMW Sint-Niklaas"),
        "{all}"
    );
    assert!(all.contains("650"), "{all}");
    for internal in [
        "Sjabloon",
        "sociaal-verslag",
        "AI-voorstel",
        "whisper",
        "extractie",
    ] {
        assert!(
            !all.contains(internal),
            "{internal:?} on the client's page: {all}"
        );
    }
    let disclosure = shared.disclosure.join("\n");
    assert!(disclosure.contains("AI-ondersteuning"), "{disclosure}");
    assert!(disclosure.contains("opgenomen"), "{disclosure}");
    assert!(
        disclosure.contains(&format!(
            "An De Smet las het verslag na en keurde het goed op {}",
            moment(at(1))
        )),
        "{disclosure}"
    );
    // Written by hand: no programme at all.
    let contact = desk.contact(2, false);
    let id = desk.save(draft::by_hand(&desk.ws, contact, &sociaal(), at(2)).unwrap());
    let by_hand = document::for_client(desk.ws.report(id).unwrap(), "C", at(2), None, moment);
    assert!(
        by_hand
            .disclosure
            .join(" ")
            .contains("schreef dit verslag zelf")
    );
}

#[test]
fn the_client_sees_only_sections_that_say_something() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    desk.record(contact, &["Mijn huur is 650 euro per maand."]);
    let id = desk.save(draft::generate(&desk.ws, contact, &sociaal(), at(0), day).unwrap());
    let report = desk.ws.report(id).unwrap();
    let shared = document::for_client(report, "C", at(0), None, moment);
    let official = document::document(report, "C", at(0), moment);
    assert!(!shared.sections.is_empty());
    assert!(shared.sections.len() < official.sections.len());
    assert!(shared.sections.iter().all(|s| !s.paragraphs.is_empty()));
}
