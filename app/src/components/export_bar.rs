//! Export buttons: DOCX, PDF, plain text. Every export carries the disclosure.

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::RecordId;
use domain::audit::AuditKind;

use crate::clock;
use crate::download;
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
    let save_docx = move |_| {
        let result = doc
            .with_value(export::docx::to_docx)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                download::download(
                    &format!("{}.docx", stem.get_value()),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    &bytes,
                )
            });
        finish(result, "docx");
    };
    // The PDF embeds its fonts, loaded on the first PDF (see `pdf_fonts`). Without them (offline
    // before the first PDF) a report that needs nothing beyond the standard fonts is still
    // written with those; any other report is refused rather than printed with wrong names.
    let save_pdf = move |_| {
        let document = doc.get_value();
        let name = format!("{}.pdf", stem.get_value());
        status.set(Some("PDF wordt gemaakt…".into()));
        spawn_local(async move {
            let result = match crate::pdf_fonts::load().await {
                Ok(fonts) => {
                    export::pdf::to_pdf(&document, fonts.fonts()).map_err(|e| e.to_string())
                }
                Err(_) if export::pdf::fits_standard_fonts(&document) => {
                    export::pdf::to_pdf(&document, export::pdf::Fonts::Standard)
                        .map_err(|e| e.to_string())
                }
                Err(e) => Err(format!(
                    "het lettertype voor de PDF kon niet geladen worden ({e}). Probeer het \
                     opnieuw met een verbinding; daarna lukt het ook zonder. DOCX en tekst \
                     werken altijd."
                )),
            };
            let result =
                result.and_then(|bytes| download::download(&name, "application/pdf", &bytes));
            if status.try_get_untracked().is_some() {
                finish(result, "pdf");
            }
        });
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
