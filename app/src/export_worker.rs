//! DOCX and PDF off the page: the writers live in the export worker (`export-worker` crate),
//! fetched on the first export instead of with the app, and run there once per file.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::one_shot;
use crate::pdf_fonts::PdfFonts;
use crate::speech::meta_content;

/// The file formats the export worker writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// WordprocessingML.
    Docx,
    /// PDF, with the fonts embedded when given.
    Pdf,
}

impl Format {
    /// Its name: the file extension, the worker's word for it and the audit log's.
    pub fn name(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Pdf => "pdf",
        }
    }

    /// Its media type, for the download.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pdf => "application/pdf",
        }
    }
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(target, &JsValue::from_str(key), value)
        .map(drop)
        .map_err(|_| "het verzoek aan de exportmodule kon niet opgesteld worden".to_owned())
}

/// The bytes of `document` as `format`; a PDF embeds `fonts` when given (the standard fonts
/// otherwise, which the caller checks first).
///
/// # Errors
/// A Dutch message: the worker is missing or could not start, or it refused the document.
pub async fn write(
    format: Format,
    document: &export::Document,
    fonts: Option<&PdfFonts>,
) -> Result<Vec<u8>, String> {
    let url = meta_content("zorgvuldig-export-worker")
        .ok_or("de exportmodule ontbreekt in deze versie van de app")?;
    let json = serde_json::to_string(document).map_err(|e| e.to_string())?;
    let message = Object::new();
    let transfer = Array::new();
    set(&message, "format", &JsValue::from_str(format.name()))?;
    set(&message, "document", &JsValue::from_str(&json))?;
    if let Some(fonts) = fonts {
        for (key, data) in [("regular", &fonts.regular), ("bold", &fonts.bold)] {
            // A fresh copy, moved to the worker: the page keeps its own for the next PDF.
            let copy = Uint8Array::from(data.as_slice());
            transfer.push(&copy.buffer());
            set(&message, key, &copy)?;
        }
    }
    let reply = one_shot::ask(&url, &message, &transfer)
        .await
        .map_err(|e| format!("de exportmodule kon niet starten ({e})"))?;
    let field = |key: &str| Reflect::get(&reply, &JsValue::from_str(key)).unwrap_or_default();
    if let Ok(file) = field("file").dyn_into::<Uint8Array>() {
        return Ok(file.to_vec());
    }
    Err(field("error")
        .as_string()
        .unwrap_or_else(|| "de exportmodule gaf geen bestand terug".into()))
}
