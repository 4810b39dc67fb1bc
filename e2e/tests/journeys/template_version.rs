//! A new template version: the relay publishes version 2 of the decision letter (see
//! `e2e::server`); the app fetches it, checks it, offers only the newest version for a new
//! report, and the report records the version it was made with.

use anyhow::ensure;
use e2e::page::{click, exists, find, wait_text};
use fantoccini::Client;

use super::pages::{contact_with_notes, create_dossier, create_workspace};

/// Issue 6: the relay publishes version 2 of the decision letter (see `e2e::server`); the app
/// fetches it, checks it, offers only the newest version for a new report, and the report
/// records the version it was made with.
pub(crate) async fn a_new_template_version_is_fetched_and_offered(
    c: &Client,
    base: &str,
) -> anyhow::Result<()> {
    create_workspace(c, base).await?;
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    wait_text(
        c,
        "#templates-status",
        "Beslissingsbrief in eenvoudige taal versie 2",
    )
    .await?;
    wait_text(
        c,
        "#templates",
        "Beslissingsbrief in eenvoudige taal (versie 2)",
    )
    .await?;
    click(c, ".top-bar nav a[href='/']").await?;
    create_dossier(c, "Ilse Wouters", "D-2026-3301").await?;
    contact_with_notes(c, "Mevrouw vraagt een tussenkomst in de huur.").await?;
    ensure!(
        exists(c, "#report-template option[value='beslissingsbrief@2']").await,
        "version 2 is not offered"
    );
    ensure!(
        !exists(c, "#report-template option[value='beslissingsbrief@1']").await,
        "the superseded version 1 is still offered for new reports"
    );
    find(c, "#report-template option[value='beslissingsbrief@2']")
        .await?
        .click()
        .await?;
    click(c, "#write-report").await?;
    wait_text(c, "#report-title", "Beslissingsbrief in eenvoudige taal").await?;
    wait_text(c, "#report-template", "beslissingsbrief (versie 2)").await?;
    // A second check finds nothing new: the version is kept on the device.
    click(c, ".top-bar nav a[href='/instellingen']").await?;
    click(c, "#refresh-templates").await?;
    wait_text(c, "#templates-status", "geen nieuwe versies").await?;
    Ok(())
}
