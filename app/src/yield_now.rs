//! Lets the browser paint before a long synchronous step (key derivation).

use wasm_bindgen_futures::JsFuture;

/// Resolves after the browser had a chance to render (a 30 ms timeout).
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            // If scheduling fails the promise never resolves; fall back to resolving now.
            if window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30)
                .is_err()
            {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
