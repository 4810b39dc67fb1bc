//! Export buttons: DOCX, PDF, plain text. Every export carries the disclosure.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::download;

/// Offers the document as DOCX, PDF and text.
#[component]
pub fn ExportBar(document: export::Document, file_stem: String) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    let doc = StoredValue::new(document);
    let stem = StoredValue::new(file_stem);
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
        status.set(result.err().map(|e| format!("Exporteren mislukt: {e}")));
    };
    let save_pdf = move |_| {
        let bytes = doc.with_value(export::pdf::to_pdf);
        let result = download::download(
            &format!("{}.pdf", stem.get_value()),
            "application/pdf",
            &bytes,
        );
        status.set(result.err().map(|e| format!("Exporteren mislukt: {e}")));
    };
    let copy = move |_| {
        let text = doc.with_value(export::Document::plain_text);
        spawn_local(async move {
            status.set(Some(match download::copy_text(&text).await {
                Ok(()) => "Tekst gekopieerd, met de vermelding over AI.".into(),
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
