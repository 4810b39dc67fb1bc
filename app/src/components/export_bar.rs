//! Export buttons: DOCX, PDF, plain text. Every export carries the disclosure.

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::RecordId;
use domain::audit::AuditKind;

use crate::clock;
use crate::download;
use crate::export_worker::{self, Format};
use crate::session::use_session;

/// Offers the document as DOCX, PDF and text; every export is written to the audit log.
#[component]
pub fn ExportBar(
    document: export::Document,
    file_stem: String,
    report: RecordId,
    dossier: RecordId,
    /// What the last export did; owned by the page so that a re-render keeps it.
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let log = move |format: &'static str| {
        spawn_local(async move {
            let kind = AuditKind::ReportExported {
                report,
                format: format.into(),
            };
            if let Err(e) = session
                .save(|ws| ws.stage_audit(dossier, kind, clock::now()))
                .await
            {
                status.set(Some(format!("Export niet in het logboek gezet: {e}")));
            }
        });
    };
    let doc = StoredValue::new(document);
    let stem = StoredValue::new(file_stem);
    // A download either failed (say so) or happened (write it to the audit log).
    let finish = move |result: Result<(), String>, format: &'static str| match result {
        Ok(()) => {
            status.set(None);
            log(format);
        }
        Err(e) => status.set(Some(format!("Exporteren mislukt: {e}"))),
    };
    // Both files are written in the export worker (see `export_worker`), fetched on the first
    // export. A message only lands while the page still shows this bar.
    let save = move |format: Format| {
        let document = doc.get_value();
        let name = format!("{}.{}", stem.get_value(), format.name());
        spawn_local(async move {
            let result = match format {
                Format::Docx => export_worker::write(format, &document, None).await,
                Format::Pdf => pdf(&document).await,
            };
            let result = result.and_then(|bytes| download::download(&name, format.mime(), &bytes));
            if status.try_get_untracked().is_some() {
                finish(result, format.name());
            }
        });
    };
    let save_docx = move |_| {
        save(Format::Docx);
    };
    let save_pdf = move |_| {
        status.set(Some("PDF wordt gemaakt…".into()));
        save(Format::Pdf);
    };
    let copy = move |_| {
        let text = doc.with_value(export::Document::plain_text);
        spawn_local(async move {
            status.set(Some(match download::copy_text(&text).await {
                Ok(()) => {
                    log("tekst");
                    "Tekst gekopieerd, met de vermelding over AI.".into()
                }
                Err(e) => format!("Kopiëren mislukt: {e}"),
            }));
        });
    };
    view! {
        <div class="row export-bar">
            <button type="button" class="secondary" id="export-docx" on:click=save_docx>"Download DOCX"</button>
            <button type="button" class="secondary" id="export-pdf" on:click=save_pdf>"Download PDF"</button>
            <button type="button" class="secondary" id="copy-text" on:click=copy>"Kopieer als tekst"</button>
            <span class="muted" role="status">{move || status.get()}</span>
        </div>
    }
}

/// The PDF of `document`. It embeds its fonts, loaded on the first PDF (see `pdf_fonts`).
/// Without them (offline before the first PDF) a report that needs nothing beyond the standard
/// fonts is still written with those; any other report is refused rather than printed with
/// wrong names.
async fn pdf(document: &export::Document) -> Result<Vec<u8>, String> {
    match crate::pdf_fonts::load().await {
        Ok(fonts) => export_worker::write(Format::Pdf, document, Some(&fonts)).await,
        Err(_) if export::pdf::fits_standard_fonts(document) => {
            export_worker::write(Format::Pdf, document, None).await
        }
        Err(e) => Err(format!(
            "het lettertype voor de PDF kon niet geladen worden ({e}). Probeer het opnieuw met \
             een verbinding; daarna lukt het ook zonder. DOCX en tekst werken altijd."
        )),
    }
}
