//! The exports open in LibreOffice (Debian's, headless) and keep their text and disclosure, and
//! every client's name reads back exactly as written, whatever its script.
//! `scripts/test.sh` installs LibreOffice, poppler-utils and the DejaVu fonts.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use export::pdf::Fonts;
use export::{Document, Section};

/// Names as clients write them: Turkish, Polish, Vietnamese, Romanian, Russian, Arabic.
const NAMES: [&str; 6] = [
    "Ayşe Yılmaz",
    "Łukasz Wójcik",
    "Nguyễn Văn Anh",
    "Ștefan Popescu",
    "Дмитрий Иванов",
    "محمد",
];

/// DejaVu Sans from Debian's fonts-dejavu-core, as `cargo xtask dist` ships it.
fn font(file: &str) -> Vec<u8> {
    let dir =
        std::env::var("ZV_FONT_DIR").unwrap_or_else(|_| "/usr/share/fonts/truetype/dejavu".into());
    std::fs::read(Path::new(&dir).join(file))
        .expect("DejaVu Sans is needed: scripts/test.sh installs fonts-dejavu-core")
}

fn pdf(doc: &Document) -> Vec<u8> {
    let (regular, bold) = (font("DejaVuSans.ttf"), font("DejaVuSans-Bold.ttf"));
    export::pdf::to_pdf(
        doc,
        Fonts::Embedded {
            regular: &regular,
            bold: &bold,
        },
    )
    .unwrap()
}

/// `pdftotext` of a PDF file, with its extra arguments. Poppler wraps right-to-left text in
/// directional embedding marks (U+202B … U+202C); they are not part of the text and are dropped.
fn pdftotext(file: &Path, args: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .args(args)
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: scripts/test.sh installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

/// Every name stands on a line of its own, exactly as written.
fn expect_names(text: &str) {
    for name in NAMES {
        assert!(
            text.lines().any(|line| line.trim() == name),
            "{name:?} does not read back; got:\n{text}"
        );
    }
}

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
                heading: "Aanwezig".into(),
                paragraphs: NAMES.iter().map(|&n| n.into()).collect(),
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
    let text = std::fs::read_to_string(dir.path().join("verslag.txt")).unwrap();
    expect_text(&text);
    expect_names(&text);
}

#[test]
fn pdf_opens_in_libreoffice_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verslag.pdf");
    std::fs::write(&file, pdf(&document())).unwrap();
    let text = pdftotext(&file, &[]);
    expect_text(&text);
    expect_names(&text);
    // LibreOffice Draw imports it and renders the first page.
    soffice(dir.path(), &["--convert-to", "png", file.to_str().unwrap()]);
    let png = std::fs::metadata(dir.path().join("verslag.png")).unwrap();
    assert!(png.len() > 1_000, "rendered page is empty");
}

#[test]
fn pdf_lines_stay_inside_the_margins_and_pages_are_numbered() {
    let mut doc = document();
    doc.sections[0].paragraphs = vec![
        "Łukasz Wójcik en Ayşe Yılmaz bespraken met Дмитрий Иванов en محمد de situatie, \
         waarbij Nguyễn Văn Anh en Ștefan Popescu aanvulden wat er in het gesprek gezegd werd."
            .into();
        60
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lang.pdf");
    std::fs::write(&file, pdf(&doc)).unwrap();
    let text = pdftotext(&file, &[]);
    let pages = text.matches("Sociaal verslag – pagina ").count();
    assert!(pages >= 3, "expected several pages:\n{text}");
    for n in 1..=pages {
        assert!(text.contains(&format!("pagina {n} van {pages}")));
    }
    expect_names(&text);
    // Word boxes: nothing runs into the right margin (595.28 − 56 pt).
    let boxes = pdftotext(&file, &["-bbox"]);
    let widest = boxes
        .split("xMax=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse::<f32>().unwrap())
        .fold(0.0, f32::max);
    assert!(
        widest > 400.0 && widest <= 539.5,
        "widest line ends at {widest} pt"
    );
}

#[test]
fn pdf_embeds_only_the_glyphs_it_uses() {
    let bytes = pdf(&document());
    // Both DejaVu files together are about 1.4 MB; the subsets are a few kilobytes.
    assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verslag.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let out = Command::new("pdffonts").arg(&file).output().unwrap();
    let fonts = String::from_utf8(out.stdout).unwrap();
    for name in ["+DejaVuSans ", "+DejaVuSans-Bold "] {
        let line = fonts.lines().find(|l| l.contains(name)).unwrap();
        // Embedded, subset, with a ToUnicode map.
        assert!(
            line.contains("CID TrueType") && line.contains("yes yes yes"),
            "{fonts}"
        );
    }
}

#[test]
fn standard_fonts_still_write_a_dutch_report() {
    let mut doc = document();
    doc.sections.retain(|s| s.heading != "Aanwezig");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verslag.pdf");
    std::fs::write(&file, export::pdf::to_pdf(&doc, Fonts::Standard).unwrap()).unwrap();
    expect_text(&pdftotext(&file, &[]));
}
