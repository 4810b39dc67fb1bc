//! Requests to the relay that served the app: JSON in, JSON out, errors in Dutch.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Why a relay request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelayError {
    /// No answer (offline, relay down).
    #[error("de relay is niet bereikbaar ({0}); er is niets verloren, probeer later opnieuw")]
    Network(String),
    /// The relay answered with an error code.
    #[error("{}", describe(.code, *.attempts_left))]
    Api {
        /// HTTP status.
        status: u16,
        /// The stable error code.
        code: String,
        /// PIN attempts left, for `pin_wrong`.
        attempts_left: Option<u8>,
    },
    /// The answer is not what this app version understands.
    #[error("onverwacht antwoord van de relay ({0})")]
    Format(String),
}

fn describe(code: &str, attempts_left: Option<u8>) -> String {
    match code {
        "unauthorized" => "dit toestel is niet (meer) gekoppeld aan de synchronisatie".into(),
        "payload_too_large" => "te groot om in één keer te versturen".into(),
        "rate_limited" => "te veel verzoeken; probeer over een minuut opnieuw".into(),
        "quota_exceeded" => "de opslagruimte op de relay is vol".into(),
        "last_device" => "het laatste gekoppelde toestel kan niet ontkoppeld worden; \
                          verwijder in plaats daarvan het account op de relay"
            .into(),
        "accounts_full" => "de relay neemt geen nieuwe accounts meer aan".into(),
        "not_found" => "niet gevonden (verlopen of al gebruikt)".into(),
        "share_revoked" => "deze link werd ingetrokken".into(),
        "share_expired" => "deze link is verlopen".into(),
        "share_locked" => "deze link is geblokkeerd na te veel foute pincodes".into(),
        "pin_required" => "voor dit verslag is een pincode nodig".into(),
        "pin_wrong" => format!(
            "de pincode klopt niet; nog {} poging(en)",
            attempts_left.unwrap_or(0)
        ),
        other => format!("de relay weigerde het verzoek ({other})"),
    }
}

fn js_text(err: &wasm_bindgen::JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "onbekende fout".into())
}

/// Sends `method path` with an optional bearer token, JSON body and extra headers, and decodes
/// the JSON answer (`null` for an empty one).
///
/// # Errors
/// [`RelayError`].
pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&impl Serialize>,
    headers: &[(&str, &str)],
) -> Result<T, RelayError> {
    let body = body
        .map(|b| serde_json::to_string(b).map_err(|e| RelayError::Format(e.to_string())))
        .transpose()?;
    let text = send(method, path, token, body, headers).await?;
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text).map_err(|e| RelayError::Format(e.to_string()))
}

/// `DELETE path` with the device token; the answer's body is ignored.
///
/// # Errors
/// [`RelayError`].
pub async fn delete(path: &str, token: &str) -> Result<(), RelayError> {
    send("DELETE", path, Some(token), None, &[])
        .await
        .map(|_| ())
}

/// `GET path`, answered as text (a template file, say).
///
/// # Errors
/// [`RelayError`].
pub async fn fetch_text(path: &str) -> Result<String, RelayError> {
    send("GET", path, None, None, &[]).await
}

async fn send(
    method: &str,
    path: &str,
    token: Option<&str>,
    json: Option<String>,
    headers: &[(&str, &str)],
) -> Result<String, RelayError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    let has_body = json.is_some();
    if let Some(json) = json {
        init.set_body(&json.into());
    }
    let request = Request::new_with_str_and_init(path, &init)
        .map_err(|e| RelayError::Network(js_text(&e)))?;
    let h = request.headers();
    let set = |k: &str, v: &str| h.set(k, v).map_err(|e| RelayError::Network(js_text(&e)));
    if has_body {
        set("Content-Type", "application/json")?;
    }
    if let Some(token) = token {
        set("Authorization", &format!("Bearer {token}"))?;
    }
    for (k, v) in headers {
        set(k, v)?;
    }
    let window = web_sys::window().ok_or_else(|| RelayError::Network("geen venster".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| RelayError::Network(js_text(&e)))?
        .dyn_into()
        .map_err(|e| RelayError::Network(js_text(&e)))?;
    let text = JsFuture::from(
        response
            .text()
            .map_err(|e| RelayError::Network(js_text(&e)))?,
    )
    .await
    .map_err(|e| RelayError::Network(js_text(&e)))?
    .as_string()
    .unwrap_or_default();
    if !response.ok() {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        return Err(RelayError::Api {
            status: response.status(),
            code: value["error"].as_str().unwrap_or("unknown").to_owned(),
            attempts_left: value["attempts_left"].as_u64().map(|n| n as u8),
        });
    }
    Ok(text)
}
