//! The fonts a PDF export embeds (DejaVu Sans and DejaVu Sans Bold, shipped by `cargo xtask dist`
//! as content-hashed assets named in `index.html`).
//!
//! They are fetched the first time a PDF is made, not with the app (together about 700 KB
//! compressed), and kept in Cache Storage under their hashed URL, so later exports work without
//! a connection. A release with other fonts has other URLs; the old entries are deleted then.
//! The fonts are not personal data: deleting the workspace leaves them, like the speech model.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, Request, Response};

/// The Cache Storage bucket for the PDF fonts.
const FONT_CACHE: &str = "zorgvuldig-lettertypen-v1";

/// Both fonts' data.
#[derive(Debug)]
pub struct PdfFonts {
    /// DejaVu Sans.
    pub regular: Vec<u8>,
    /// DejaVu Sans Bold.
    pub bold: Vec<u8>,
}

thread_local! {
    static LOADED: RefCell<Option<Rc<PdfFonts>>> = const { RefCell::new(None) };
}

fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| format!("{err:?}"))
}

async fn bytes(response: &Response) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| describe(&e))?)
        .await
        .map_err(|e| describe(&e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

async fn cache() -> Result<Cache, String> {
    let window = web_sys::window().ok_or("geen venster")?;
    let caches = window.caches().map_err(|e| describe(&e))?;
    let cache = JsFuture::from(caches.open(FONT_CACHE))
        .await
        .map_err(|e| describe(&e))?;
    Ok(cache.unchecked_into())
}

/// The font at `url`: from the cache, or fetched and then cached.
async fn font(cache: Option<&Cache>, url: &str) -> Result<Vec<u8>, String> {
    if let Some(cache) = cache {
        let found = JsFuture::from(cache.match_with_str(url))
            .await
            .map_err(|e| describe(&e))?;
        if !found.is_undefined() {
            return bytes(found.unchecked_ref()).await;
        }
    }
    let window = web_sys::window().ok_or("geen venster")?;
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|e| describe(&e))?;
    if !response.ok() {
        return Err(format!("de server antwoordde {}", response.status()));
    }
    let data = bytes(&response).await?;
    if let Some(cache) = cache {
        // Without a cache the export still works; it needs the connection again next time.
        let body = Uint8Array::from(data.as_slice());
        if let Ok(copy) = Response::new_with_opt_buffer_source(Some(&body)) {
            let _ = JsFuture::from(cache.put_with_str(url, &copy)).await;
        }
    }
    Ok(data)
}

/// Deletes cached fonts of earlier releases.
async fn forget_others(cache: &Cache, keep: &[String]) {
    let Ok(keys) = JsFuture::from(cache.keys()).await else {
        return;
    };
    for request in js_sys::Array::from(&keys).iter() {
        let Ok(request) = request.dyn_into::<Request>() else {
            continue;
        };
        let url = request.url();
        if !keep.iter().any(|k| url.ends_with(k.as_str())) {
            let _ = JsFuture::from(cache.delete_with_request(&request)).await;
        }
    }
}

/// Both PDF fonts, loaded once per session.
///
/// # Errors
/// A Dutch message when this version of the app names no fonts or they cannot be fetched (for
/// example offline before the first PDF).
pub async fn load() -> Result<Rc<PdfFonts>, String> {
    if let Some(fonts) = LOADED.with_borrow(Clone::clone) {
        return Ok(fonts);
    }
    let url = |name| {
        crate::speech::meta_content(name)
            .ok_or("de lettertypen ontbreken in deze versie van de app")
    };
    let urls = [
        url("zorgvuldig-font-regular")?,
        url("zorgvuldig-font-bold")?,
    ];
    let cache = cache().await.ok();
    let regular = font(cache.as_ref(), &urls[0]).await?;
    let bold = font(cache.as_ref(), &urls[1]).await?;
    if let Some(cache) = &cache {
        forget_others(cache, &urls).await;
    }
    let fonts = Rc::new(PdfFonts { regular, bold });
    LOADED.set(Some(fonts.clone()));
    Ok(fonts)
}
