//! The exports open in LibreOffice (Debian's, headless) and keep their text and disclosure.
//! `scripts/test.sh` installs LibreOffice and poppler-utils.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use export::{Document, Section};

fn document() -> Document {
    Document::new(
        "Sociaal verslag".into(),
        vec!["Cliënt: Céline Janssens".into(), "Contact: woensdag 25 november 2026".into()],
        vec![
            Section {
                heading: "Schulden".into(),
                paragraphs: vec![
                    "Vermeld bedrag (schulden): € 2.340.".into(),
                    "cliënt: “Ik betaal elke maand 50 euro af aan de bank, maar het lukt niet meer.”".into(),
                ],
            },
            Section {
                heading: "Voorstel".into(),
                paragraphs: vec!["Ik stel voor een schuldbemiddeling op te starten.".into()],
            },
        ],
        vec![
            "Bij dit verslag werd AI-ondersteuning gebruikt, met toestemming van de cliënt.".into(),
            "Nagelezen en gevalideerd door An Peeters; dit is de officiële versie 1.".into(),
        ],
    )
}

fn soffice(dir: &Path, args: &[&str]) {
    let profile = dir.join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore"])
        .args(args)
        .arg("--outdir")
        .arg(dir)
        .status()
        .expect("LibreOffice (soffice) is needed: scripts/test.sh installs it");
    assert!(status.success(), "soffice {args:?} failed");
}

fn expect_text(text: &str) {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Sociaal verslag",
        "Cliënt: Céline Janssens",
        "Vermeld bedrag (schulden): € 2.340.",
        "“Ik betaal elke maand 50 euro af",
        Document::DISCLOSURE_HEADING,
        "met toestemming van de cliënt",
        "gevalideerd door An Peeters",
    ] {
        assert!(flat.contains(needle), "missing {needle:?} in:\n{flat}");
    }
}

#[test]
fn docx_opens_in_libreoffice_with_its_disclosure() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verslag.docx");
    std::fs::write(&file, export::docx::to_docx(&document()).unwrap()).unwrap();
    soffice(
        dir.path(),
        &[
            "--convert-to",
            "txt:Text (encoded):UTF8",
            file.to_str().unwrap(),
        ],
    );
    expect_text(&std::fs::read_to_string(dir.path().join("verslag.txt")).unwrap());
}

#[test]
fn pdf_opens_in_libreoffice_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verslag.pdf");
    std::fs::write(&file, export::pdf::to_pdf(&document())).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: scripts/test.sh installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    expect_text(&String::from_utf8(out.stdout).unwrap());
    // LibreOffice Draw imports it and renders the first page.
    soffice(dir.path(), &["--convert-to", "png", file.to_str().unwrap()]);
    let png = std::fs::metadata(dir.path().join("verslag.png")).unwrap();
    assert!(png.len() > 1_000, "rendered page is empty");
}
