//! The export worker: writes a report as DOCX or PDF in a dedicated Web Worker.
//!
//! The writers (WordprocessingML, PDF with font subsetting, deflate) are most of what the
//! `export` crate weighs; the page only needs them when a worker exports, so they live here and
//! are fetched on the first export, not with the app. The page posts the [`export::Document`] as
//! JSON (and, for a PDF, the font files it loaded); the worker answers with the file's bytes or
//! a Dutch message, and is then closed by the page. It fetches nothing and keeps nothing.

use export::Document;
use export::pdf::{Fonts, PdfError};
use export::zip::TooLarge;

/// Why no file came out. The messages are Dutch: the page shows them after "Exporteren mislukt".
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The page sent something that is not a document.
    #[error("het verslag kwam onleesbaar bij de exportmodule aan ({0})")]
    Unreadable(#[from] serde_json::Error),
    /// The DOCX would exceed what a plain zip can hold.
    #[error("het verslag is te groot voor een DOCX-bestand")]
    TooLarge(#[from] TooLarge),
    /// The PDF writer refused (an unusable font, or a character the standard fonts lack).
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

fn document(json: &str) -> Result<Document, ExportError> {
    Ok(serde_json::from_str(json)?)
}

/// The DOCX of the document in `json`.
///
/// # Errors
/// [`ExportError::Unreadable`] for anything but a document; [`ExportError::TooLarge`].
pub fn docx(json: &str) -> Result<Vec<u8>, ExportError> {
    Ok(export::docx::to_docx(&document(json)?)?)
}

/// The PDF of the document in `json`, with the fonts `(regular, bold)` embedded, or the standard
/// fonts when there are none.
///
/// # Errors
/// [`ExportError::Unreadable`] for anything but a document; [`ExportError::Pdf`] when a font is
/// unusable or, without fonts, a character needs one.
pub fn pdf(json: &str, fonts: Option<(&[u8], &[u8])>) -> Result<Vec<u8>, ExportError> {
    let fonts = match fonts {
        Some((regular, bold)) => Fonts::Embedded { regular, bold },
        None => Fonts::Standard,
    };
    Ok(export::pdf::to_pdf(&document(json)?, fonts)?)
}

/// The worker's entry points, called by its boot script (`app/export-boot.js`).
#[cfg(target_arch = "wasm32")]
mod entry {
    use wasm_bindgen::prelude::wasm_bindgen;

    /// [`crate::docx`], with the message as the thrown error.
    #[wasm_bindgen]
    pub fn docx(json: &str) -> Result<Vec<u8>, String> {
        crate::docx(json).map_err(|e| e.to_string())
    }

    /// [`crate::pdf`]: both fonts or none; the message as the thrown error.
    #[wasm_bindgen]
    pub fn pdf(
        json: &str,
        regular: Option<Vec<u8>>,
        bold: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, String> {
        let fonts = regular.as_deref().zip(bold.as_deref());
        crate::pdf(json, fonts).map_err(|e| e.to_string())
    }
}
