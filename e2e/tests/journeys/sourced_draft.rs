//! The report journey: typed notes → "Verslag genereren" → every proposal has a source
//! chip → edit one → validating with unreviewed proposals is refused → review → validate →
//! DOCX and PDF downloads both carry the disclosure.

use anyhow::{Context, ensure};
use e2e::browser::Browser;
use e2e::page::{absent, clear_field, click, count, screen, type_into, wait_download, wait_text};

use super::pages::{accept_all, contact_with_notes, create_dossier, create_workspace, flat};

const NOTES: &str = "Mevrouw komt langs samen met haar partner Youssef. \
Ze heeft een huurachterstal van drie maanden bij de sociale huisvestingsmaatschappij. \
De huur is 650 euro per maand. \
Er is een schuld van 1.200 euro bij de deurwaarder. \
MW belt het CAW voor vrijdag. \
Cliënt brengt de aanmaningen binnen op maandag.";

/// The report journey: typed notes → "Verslag genereren" → every proposal has a source
/// chip → edit one → validating with unreviewed proposals is refused → review → validate →
/// DOCX and PDF downloads both carry the disclosure.
pub(crate) async fn sourced_draft_is_reviewed_validated_and_exported(
    b: &Browser,
    base: &str,
) -> anyhow::Result<()> {
    let c = &b.client;
    create_workspace(c, base).await?;
    // A name the standard PDF fonts cannot show: it must read back from both exports.
    create_dossier(c, "Ayşe Yılmaz", "D-2026-1201").await?;
    contact_with_notes(c, NOTES).await?;
    click(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    screen(c, "13-report-draft").await?;

    // Every proposal points to its source, and the source can be read.
    let sentences = count(c, ".sentence").await?;
    ensure!(
        sentences >= 5,
        "expected a real draft, got {sentences} sentences"
    );
    let with_chip = count(c, ".sentence .source-chip").await?;
    ensure!(
        with_chip >= sentences,
        "{sentences} sentences but {with_chip} source chips"
    );
    ensure!(
        count(c, ".sentence[data-pending='true']").await? == sentences,
        "every proposal starts unreviewed"
    );
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        "€ 650 per maand",
    )
    .await?;
    wait_text(c, ".report-section[data-section='schulden']", "€ 1.200").await?;
    wait_text(
        c,
        ".report-section[data-section='afspraken']",
        "maatschappelijk werker",
    )
    .await?;
    ensure!(
        count(c, ".report-section[data-section='voorstel'] .sentence").await? == 0,
        "the proposal section must never be drafted"
    );
    // "De huur is 650 euro per maand." is the third sentence of the notes: source 3.
    let chips = c
        .find_all(fantoccini::Locator::Css(
            ".report-section[data-section='huisvesting'] .source-chip",
        ))
        .await?;
    let mut opened = false;
    for chip in chips {
        if chip.text().await? == "bron 3" {
            chip.click().await?;
            opened = true;
            break;
        }
    }
    ensure!(opened, "no chip for source 3 in the housing section");
    wait_text(
        c,
        ".report-section[data-section='huisvesting'] .source-panel",
        "bron 3: notitie: “De huur is 650 euro per maand.”",
    )
    .await?;
    screen(c, "14-source").await?;

    // Edit one sentence.
    click(
        c,
        ".report-section[data-section='schulden'] .sentence .change",
    )
    .await?;
    clear_field(c, ".sentence-edit").await?;
    type_into(
        c,
        ".sentence-edit",
        "Schuld bij de gerechtsdeurwaarder: € 1.200 (na te kijken).",
    )
    .await?;
    click(c, ".save-sentence").await?;
    wait_text(
        c,
        ".report-section[data-section='schulden']",
        "(na te kijken)",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='schulden']",
        "AI-voorstel aangepast",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='schulden'] .history",
        "Eerdere versies (1)",
    )
    .await?;

    // Validation is refused while proposals are unreviewed.
    type_into(c, "#validator", "An Peeters").await?;
    click(c, "#validate").await?;
    wait_text(c, ".validate-box .error", "nog niet nagelezen").await?;
    screen(c, "15-validation-refused").await?;

    // Review the rest, and write the analysis.
    accept_all(c).await?;
    type_into(
        c,
        "#add-analyse",
        "Mevrouw wil de achterstal aflossen met begeleiding.",
    )
    .await?;
    click(c, ".report-section[data-section='analyse'] .add-button").await?;
    wait_text(
        c,
        ".report-section[data-section='analyse']",
        "zelf geschreven",
    )
    .await?;
    click(c, "#validate").await?;
    wait_text(c, "#report-status", "Gevalideerd door An Peeters").await?;
    wait_text(c, "#disclosure", "AI-ondersteuning").await?;
    wait_text(c, "#disclosure", "aangepast, 1 zelf geschreven").await?;
    absent(c, "#validate", "a validated report still offers validation").await?;
    absent(
        c,
        ".sentence .change",
        "a validated report is still editable",
    )
    .await?;
    screen(c, "16-report-validated").await?;

    // Export: both files carry the disclosure.
    click(c, "#export-docx").await?;
    click(c, "#export-pdf").await?;
    let downloads = b.downloads();
    let stem = {
        let names: Vec<String> = loop {
            let names: Vec<String> = std::fs::read_dir(&downloads)?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".docx"))
                .collect();
            if !names.is_empty() {
                break names;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };
        names[0].trim_end_matches(".docx").to_owned()
    };
    ensure!(
        stem.starts_with("sociaal-verslag-"),
        "unexpected file name {stem}"
    );
    wait_download(&downloads, &format!("{stem}.docx")).await?;
    wait_download(&downloads, &format!("{stem}.pdf")).await?;
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/lo",
            downloads.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
        ])
        .arg(&downloads)
        .arg(downloads.join(format!("{stem}.docx")))
        .status()
        .context("LibreOffice is needed (scripts/test.sh installs it)")?;
    ensure!(status.success(), "LibreOffice could not open the DOCX");
    let docx_text = flat(&std::fs::read_to_string(
        downloads.join(format!("{stem}.txt")),
    )?);
    let pdf = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(downloads.join(format!("{stem}.pdf")))
        .arg("-")
        .output()
        .context("pdftotext is needed (scripts/test.sh installs it)")?;
    ensure!(pdf.status.success(), "pdftotext could not read the PDF");
    let pdf_text = flat(&String::from_utf8_lossy(&pdf.stdout));
    for (kind, text) in [("DOCX", &docx_text), ("PDF", &pdf_text)] {
        for needle in [
            "Gebruik van AI bij dit verslag",
            "met toestemming van de cliënt",
            "gevalideerd door An Peeters",
            "Cliënt: Ayşe Yılmaz",
            "(na te kijken)",
        ] {
            ensure!(text.contains(needle), "{kind} lacks {needle:?}: {text}");
        }
    }

    // The dossier overview lists the actions agreed, due soon, and lets the worker close one.
    click(c, ".report > p a").await?;
    click(c, ".contact > p a").await?;
    wait_text(c, "#open-actions", "belt het CAW voor vrijdag").await?;
    wait_text(
        c,
        "#open-actions",
        "brengt de aanmaningen binnen op maandag",
    )
    .await?;
    wait_text(c, "#open-actions", "binnenkort").await?;
    wait_text(c, "#audit", "Verslag geëxporteerd (docx)").await?;
    wait_text(c, "#audit", "Verslag geëxporteerd (pdf)").await?;
    screen(c, "17-dossier-overview").await?;
    let before = count(c, "#open-actions li").await?;
    click(c, "#open-actions li button").await?;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while count(c, "#open-actions li").await? >= before {
        ensure!(
            tokio::time::Instant::now() < deadline,
            "marking an action handled had no effect"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // A second contact: its report also draws on the first contact, and the overview shows
    // what changed.
    contact_with_notes(c, "De huur is gestegen naar 720 euro per maand.").await?;
    click(c, "#generate-report").await?;
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        "€ 720 per maand",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        "€ 650 per maand",
    )
    .await?;
    wait_text(
        c,
        ".report-section[data-section='huisvesting']",
        ", contact ",
    )
    .await?;
    click(c, ".report > p a").await?;
    click(c, ".contact > p a").await?;
    wait_text(c, "#changed-facts", "€ 650 per maand").await?;
    wait_text(c, "#changed-facts", "€ 720 per maand").await?;
    screen(c, "18-dossier-changes").await?;
    Ok(())
}
