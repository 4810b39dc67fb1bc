//! Saving a file to the worker's device, reading one the worker chose, and copying text.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn js_error(err: JsValue) -> String {
    err.as_string().unwrap_or_else(|| format!("{err:?}"))
}

/// The bytes of a file the worker chose.
///
/// # Errors
/// A message for the worker when the browser cannot read it.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "Het bestand kon niet gelezen worden.".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers `bytes` as a download named `name`.
///
/// # Errors
/// A browser error message.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let window = web_sys::window().ok_or("geen venster")?;
    let document = window.document().ok_or("geen document")?;
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "geen link")?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url).map_err(js_error)?;
    Ok(())
}

/// Copies `text` to the clipboard.
///
/// # Errors
/// A browser error message (for example when the page has no clipboard permission).
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("geen venster")?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(js_error)
}
