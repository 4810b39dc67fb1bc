//! A dedicated module worker for one request: started, asked once, then closed, so that whatever
//! it loaded (Argon2id's 64 MiB, the export writers) goes with it. The key worker and the export
//! worker run this way.

use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// Starts the module worker booted by the script at `url`, posts `message` (moving the buffers
/// in `transfer`), and returns the data of its first answer.
///
/// # Errors
/// A description of why the worker could not start or answer (an error event, a refused post).
pub async fn ask(url: &str, message: &JsValue, transfer: &Array) -> Result<JsValue, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(url, &options).map_err(describe)?;
    let answered = Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    });
    let outcome = match worker.post_message_with_transfer(message, transfer) {
        Ok(()) => JsFuture::from(answered).await,
        Err(err) => Err(err),
    };
    worker.terminate();
    Ok(outcome
        .map_err(describe)?
        .dyn_into::<MessageEvent>()
        .map_err(describe)?
        .data())
}

/// A readable line for a JavaScript error, error event or other value.
fn describe(err: JsValue) -> String {
    if let Some(event) = err.dyn_ref::<web_sys::ErrorEvent>() {
        return event.message();
    }
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| format!("{err:?}"))
}
