//! The worker's answers to the JSON the page sends: the same files the writers make directly,
//! and Dutch messages instead of files where there can be none.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use export::{Document, Section};

fn report(client: &str) -> Document {
    Document::new(
        "Sociaal verslag".into(),
        vec![format!("Cliënt: {client}"), "Contact: 25-11-2026".into()],
        vec![Section {
            heading: "Schulden".into(),
            paragraphs: vec!["cliënt: “Ik betaal elke maand 50 euro af.”".into()],
        }],
        vec!["Bij dit verslag werd AI-ondersteuning gebruikt, met toestemming.".into()],
    )
}

fn font(file: &str) -> Vec<u8> {
    let dir =
        std::env::var("ZV_FONT_DIR").unwrap_or_else(|_| "/usr/share/fonts/truetype/dejavu".into());
    std::fs::read(format!("{dir}/{file}"))
        .expect("DejaVu Sans is needed: scripts/test.sh installs fonts-dejavu-core")
}

#[test]
fn a_docx_is_the_one_the_writer_makes() {
    let doc = report("Ayşe Yılmaz");
    let json = serde_json::to_string(&doc).unwrap();
    assert_eq!(
        export_worker::docx(&json).unwrap(),
        export::docx::to_docx(&doc).unwrap()
    );
}

#[test]
fn a_pdf_embeds_the_fonts_it_is_given() {
    let doc = report("Łukasz Wójcik");
    let json = serde_json::to_string(&doc).unwrap();
    let (regular, bold) = (font("DejaVuSans.ttf"), font("DejaVuSans-Bold.ttf"));
    let fonts = export::pdf::Fonts::Embedded {
        regular: &regular,
        bold: &bold,
    };
    let file = export_worker::pdf(&json, Some((&regular, &bold))).unwrap();
    assert_eq!(file, export::pdf::to_pdf(&doc, fonts).unwrap());
    assert!(file.starts_with(b"%PDF-"));
}

#[test]
fn without_fonts_only_a_western_report_is_written() {
    let western = serde_json::to_string(&report("Céline Janssens")).unwrap();
    assert!(
        export_worker::pdf(&western, None)
            .unwrap()
            .starts_with(b"%PDF-")
    );
    let turkish = serde_json::to_string(&report("Ayşe Yılmaz")).unwrap();
    let refused = export_worker::pdf(&turkish, None).unwrap_err().to_string();
    assert!(refused.contains("“ş”"), "{refused}");
}

#[test]
fn anything_but_a_document_gets_a_dutch_message() {
    for json in ["", "{}", "[1, 2]", r#"{"title": "x", "extra": 1}"#] {
        let docx = export_worker::docx(json).unwrap_err().to_string();
        let pdf = export_worker::pdf(json, None).unwrap_err().to_string();
        for message in [docx, pdf] {
            assert!(
                message.starts_with("het verslag kwam onleesbaar"),
                "{message}"
            );
        }
    }
}

#[test]
fn an_unusable_font_is_refused_with_a_message() {
    let json = serde_json::to_string(&report("Ayşe Yılmaz")).unwrap();
    let message = export_worker::pdf(&json, Some((b"not a font", b"nor this")))
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("het lettertype voor de PDF is onbruikbaar"),
        "{message}"
    );
}
