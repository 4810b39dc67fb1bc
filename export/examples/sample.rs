//! Writes a sample report as `verslag.docx` and `verslag.pdf` into the given directory, for a
//! look in LibreOffice: `cargo run -p export --example sample -- /tmp/out`. The PDF embeds
//! DejaVu Sans from Debian's `fonts-dejavu-core` (`scripts/setup.sh` installs it).

use export::{Document, Section};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let doc = Document::new(
        "Sociaal verslag".into(),
        vec!["Cliënt: Céline Janssens".into(), "Ook aanwezig: Ayşe Yılmaz, Łukasz Wójcik, Nguyễn Văn Anh, Ștefan Popescu, Дмитрий Иванов, محمد".into(), "Contact: woensdag 25 november 2026".into()],
        vec![
            Section {
                heading: "Schulden".into(),
                paragraphs: vec![
                    "Vermeld bedrag (schulden): € 2.340.".into(),
                    "cliënt: “Ik betaal elke maand 50 euro af aan de bank, maar het lukt niet meer.”".into(),
                ],
            },
            Section { heading: "Analyse".into(), paragraphs: vec![] },
        ],
        vec!["Bij dit verslag werd AI-ondersteuning gebruikt, met toestemming van de cliënt.".into()],
    );
    std::fs::create_dir_all(&dir)?;
    std::fs::write(format!("{dir}/verslag.docx"), export::docx::to_docx(&doc)?)?;
    let fonts = "/usr/share/fonts/truetype/dejavu";
    let regular = std::fs::read(format!("{fonts}/DejaVuSans.ttf"))?;
    let bold = std::fs::read(format!("{fonts}/DejaVuSans-Bold.ttf"))?;
    let pdf = export::pdf::to_pdf(
        &doc,
        export::pdf::Fonts::Embedded {
            regular: &regular,
            bold: &bold,
        },
    )?;
    std::fs::write(format!("{dir}/verslag.pdf"), pdf)?;
    Ok(())
}
