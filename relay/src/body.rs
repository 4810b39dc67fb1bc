//! Request bodies, read only after the request is authenticated.
//!
//! # Design
//! A body costs the relay memory while it arrives, so it is never read for a request that will
//! be refused anyway: handlers take the raw [`web::Payload`], check the device token from the
//! headers first, and only then call [`read_json`] with the limit of their route. A body larger
//! than the limit is refused from its `Content-Length` before a byte is read, or as soon as it
//! grows past it; a body that has not arrived in full by the deadline is cut (408), as actix
//! already cuts slow request heads. An unread body of a refused request is not buffered: actix
//! closes the connection after the answer (or discards a chunked body as it arrives).

use std::time::Duration;

use actix_web::{HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Reads the whole body, at most `limit` bytes within `deadline`, and decodes it as JSON.
///
/// # Errors
/// [`ApiError::PayloadTooLarge`] past `limit`, [`ApiError::RequestTimeout`] past `deadline`,
/// [`ApiError::BadRequest`] for a broken stream or JSON that does not decode.
pub async fn read_json<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    deadline: Duration,
) -> Result<T, ApiError> {
    let announced = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::PayloadTooLarge);
    }
    let bytes = actix_web::rt::time::timeout(deadline, payload.to_bytes_limited(limit))
        .await
        .map_err(|_| ApiError::RequestTimeout)?
        .map_err(|_| ApiError::PayloadTooLarge)?
        .map_err(|_| ApiError::BadRequest)?;
    serde_json::from_slice(&bytes).map_err(|_| ApiError::BadRequest)
}
