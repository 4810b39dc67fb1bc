//! Thin wrappers over the worker's `fetch`, Cache Storage and timers.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Cache, DedicatedWorkerGlobalScope, ReadableStreamDefaultReader, Request, RequestInit, Response,
};

/// The Cache Storage bucket that holds model files (one entry per model file URL).
pub const MODEL_CACHE: &str = "zorgvuldig-modellen-v1";

/// The worker's global scope.
pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// A JavaScript error as text.
pub fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| format!("{err:?}"))
}

/// `GET url`, with a `Range` header when given.
pub async fn get(url: &str, range: Option<&str>) -> Result<Response, String> {
    let init = RequestInit::new();
    init.set_method("GET");
    // The model file is immutable and large: the HTTP cache must not keep a second copy.
    init.set_cache(web_sys::RequestCache::NoStore);
    let request = Request::new_with_str_and_init(url, &init).map_err(|e| describe(&e))?;
    if let Some(range) = range {
        request
            .headers()
            .set("Range", range)
            .map_err(|e| describe(&e))?;
    }
    let response = JsFuture::from(scope().fetch_with_request(&request))
        .await
        .map_err(|e| describe(&e))?;
    response.dyn_into().map_err(|e| describe(&e))
}

/// The next piece of a response body, or `None` at its end.
pub async fn next_chunk(reader: &ReadableStreamDefaultReader) -> Result<Option<Vec<u8>>, String> {
    let result = JsFuture::from(reader.read())
        .await
        .map_err(|e| describe(&e))?;
    let done = js_sys::Reflect::get(&result, &"done".into())
        .map_err(|e| describe(&e))?
        .as_bool()
        .unwrap_or(true);
    if done {
        return Ok(None);
    }
    let value = js_sys::Reflect::get(&result, &"value".into()).map_err(|e| describe(&e))?;
    Ok(Some(value.unchecked_into::<Uint8Array>().to_vec()))
}

/// A response body as text.
pub async fn text(response: &Response) -> Result<String, String> {
    let promise = response.text().map_err(|e| describe(&e))?;
    JsFuture::from(promise)
        .await
        .map_err(|e| describe(&e))?
        .as_string()
        .ok_or_else(|| "geen tekst".to_owned())
}

/// The model cache.
pub async fn model_cache() -> Result<Cache, String> {
    let caches = scope().caches().map_err(|e| describe(&e))?;
    let cache = JsFuture::from(caches.open(MODEL_CACHE))
        .await
        .map_err(|e| describe(&e))?;
    Ok(cache.unchecked_into())
}

/// The cached bytes stored under `url`, if any.
pub async fn cached(cache: &Cache, url: &str) -> Result<Option<Vec<u8>>, String> {
    let found = JsFuture::from(cache.match_with_str(url))
        .await
        .map_err(|e| describe(&e))?;
    if found.is_undefined() {
        return Ok(None);
    }
    let response: Response = found.unchecked_into();
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| describe(&e))?)
        .await
        .map_err(|e| describe(&e))?;
    Ok(Some(Uint8Array::new(&buffer).to_vec()))
}

/// URLs of every cached entry.
pub async fn cached_urls(cache: &Cache) -> Result<Vec<String>, String> {
    let keys = JsFuture::from(cache.keys())
        .await
        .map_err(|e| describe(&e))?;
    Ok(js_sys::Array::from(&keys)
        .iter()
        .filter_map(|r| r.dyn_into::<Request>().ok())
        .map(|r| r.url())
        .collect())
}

/// Stores `bytes` under `url`.
pub async fn store(cache: &Cache, url: &str, bytes: &[u8]) -> Result<(), String> {
    let body = Uint8Array::from(bytes);
    let response = Response::new_with_opt_buffer_source(Some(&body)).map_err(|e| describe(&e))?;
    JsFuture::from(cache.put_with_str(url, &response))
        .await
        .map_err(|e| describe(&e))?;
    Ok(())
}

/// Deletes the entry under `url`.
pub async fn forget(cache: &Cache, url: &str) {
    let _ = JsFuture::from(cache.delete_with_str(url)).await;
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(ms).unwrap_or(i32::MAX),
        );
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds since the worker started (high resolution).
pub fn now_ms() -> f64 {
    js_sys::Reflect::get(&scope(), &"performance".into())
        .ok()
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?;
            now.dyn_into::<js_sys::Function>()
                .ok()?
                .call0(&p)
                .ok()?
                .as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}
