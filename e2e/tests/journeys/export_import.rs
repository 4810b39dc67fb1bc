//! Exit and return: a drafted report with a reported problem shows in the pilot figures and
//! their CSV; "alles exporteren" → "alles verwijderen" (IndexedDB empty) → a new workspace →
//! import → a second export holds every file of the first, byte for byte. Then the dossier is
//! deleted and only its trace stays.

use anyhow::{Context, ensure};
use e2e::browser::Browser;
use e2e::idb;
use e2e::page::{click, find, screen, type_into, wait_text};

use super::pages::{
    accept_all, contact_with_notes, create_dossier, create_workspace, new_download, unzip,
};

/// Exit and return: a drafted report with a reported problem shows in the pilot figures and
/// their CSV; "alles exporteren" → "alles verwijderen" (IndexedDB empty) → a new workspace →
/// import → a second export holds every file of the first, byte for byte. Then the dossier is
/// deleted and only its trace stays.
pub(crate) async fn export_delete_everything_import_gives_identical_data(
    b: &Browser,
    base: &str,
) -> anyhow::Result<()> {
    let c = &b.client;
    let downloads = b.downloads();
    let mut seen = std::collections::BTreeSet::new();
    create_workspace(c, base).await?;
    create_dossier(c, "Lotte Vermeulen", "D-2026-2201").await?;
    contact_with_notes(
        c,
        "De huur is 640 euro per maand. Er is een achterstal van twee maanden.",
    )
    .await?;
    click(c, "#generate-report").await?;
    wait_text(c, "#report-title", "Sociaal verslag").await?;
    click(c, ".sentence .report-problem summary").await?;
    click(c, ".sentence .report-problem [data-problem='invented']").await?;
    wait_text(c, ".problem-reported", "Gemeld: verzonnen").await?;
    accept_all(c).await?;
    type_into(c, "#validator", "An Peeters").await?;
    click(c, "#validate").await?;
    wait_text(c, "#report-status", "Gevalideerd door").await?;

    // Pilot figures.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    click(c, "#open-kpi").await?;
    wait_text(c, "#kpi-reports", "1 (waarvan 1 met AI-voorstellen)").await?;
    wait_text(c, "#kpi-incidents", "1 verzonnen").await?;
    find(c, "#kpi-chart rect").await?;
    screen(c, "24-pilot-figures").await?;
    click(c, "#kpi-csv").await?;
    let csv =
        String::from_utf8(new_download(&downloads, "zorgvuldig-pilotcijfers-", &mut seen).await?)?;
    let lines: Vec<&str> = csv.lines().collect();
    ensure!(lines.len() == 2, "one report, one CSV line: {csv}");
    ensure!(
        lines[1].ends_with(",0,0,1"),
        "the invented-sentence incident: {}",
        lines[1]
    );
    ensure!(!csv.contains("Vermeulen"), "the CSV names the client");

    // Export everything.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    click(c, "#export-all").await?;
    wait_text(c, "#data-status", "Export bewaard als").await?;
    let first = new_download(&downloads, "zorgvuldig-export-", &mut seen).await?;
    let first_files = unzip(&first)?;
    ensure!(first_files.keys().any(|k| k.starts_with("dossiers/")));
    ensure!(first_files.keys().any(|k| k.starts_with("transcripts/")));
    let manifest = String::from_utf8_lossy(&first_files["manifest.json"]).into_owned();
    ensure!(manifest.contains("\"schema_version\": 1"), "{manifest}");

    // A second tab holds the database open; deleting everything must not wait for it.
    let first_tab = c.window().await?;
    let second_tab = c.new_window(true).await?.handle;
    c.switch_to_window(second_tab.clone()).await?;
    c.goto(base).await?;
    find(c, "#passphrase").await?;
    c.switch_to_window(first_tab.clone()).await?;

    // Delete everything: back to a first visit, nothing left in IndexedDB.
    click(c, "#delete-all").await?;
    type_into(c, "#delete-all-word", "VERWIJDER").await?;
    click(c, "#delete-all-confirm").await?;
    find(c, "#setup-form").await?;
    // Only template files the relay publishes may be there again (fetched on the new start).
    let left: Vec<String> = idb::dump(c)
        .await?
        .into_iter()
        .filter(|v| !(v.store == "meta" && v.key == "templates"))
        .map(|v| format!("{}/{}", v.store, v.key))
        .collect();
    ensure!(left.is_empty(), "IndexedDB still holds {left:?}");
    // The other tab let go of the database and started over.
    c.switch_to_window(second_tab).await?;
    find(c, "#setup-form").await?;
    c.close_window().await?;
    c.switch_to_window(first_tab).await?;

    // A new workspace, and the export imported into it.
    create_workspace(c, base).await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    let path = downloads.join(
        seen.iter()
            .find(|n| n.starts_with("zorgvuldig-export-"))
            .context("export name")?,
    );
    find(c, "#import-file")
        .await?
        .send_keys(&path.display().to_string())
        .await?;
    click(c, "#import").await?;
    wait_text(c, "#data-status", "Geïmporteerd:").await?;
    wait_text(c, "#data-status", "0 waren er al").await?;
    screen(c, "25-imported").await?;
    ensure!(
        !idb::dump(c)
            .await?
            .iter()
            .any(|v| v.utf8.contains("Vermeulen")),
        "imported data is stored in plain text"
    );

    // A second export holds every record file of the first, byte for byte.
    click(c, "#export-all").await?;
    wait_text(c, "#data-status", "Export bewaard als").await?;
    // Same day, same name: the browser adds " (1)".
    let second = new_download(&downloads, "zorgvuldig-export-", &mut seen).await?;
    let second_files = unzip(&second)?;
    for (name, bytes) in &first_files {
        if name == "manifest.json" {
            continue;
        }
        ensure!(
            second_files.get(name) == Some(bytes),
            "{name} differs or is missing after export → delete → import"
        );
    }

    // Deleting the dossier leaves only its trace.
    click(c, ".top-bar nav a[href='/']").await?;
    click(c, "#dossier-list a").await?;
    wait_text(c, "#dossier-title", "Lotte Vermeulen").await?;
    click(c, "#delete-dossier").await?;
    type_into(c, "#delete-dossier-name", "Lotte Vermeulen").await?;
    click(c, "#delete-dossier-confirm").await?;
    wait_text(c, "#notice", "Het dossier is verwijderd").await?;
    let dump = idb::dump(c).await?;
    let stores: Vec<&str> = dump
        .iter()
        .filter(|v| v.store != "meta")
        .map(|v| v.store.as_str())
        .collect();
    ensure!(
        stores == ["records"],
        "after deleting the only dossier, expected one trace record; found {stores:?}"
    );
    Ok(())
}
