//! The relay's one error type for HTTP responses.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

/// An error answered to a client as JSON with a stable snake_case code. The cause, if any, is
/// logged by the caller, never sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Nothing at this path.
    #[error("not found")]
    NotFound,
    /// The path exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request is malformed.
    #[error("bad request")]
    BadRequest,
    /// No valid device token (missing, malformed, or the device was unlinked).
    #[error("a valid device token is required")]
    Unauthorized,
    /// The body is larger than the relay accepts.
    #[error("request body too large")]
    PayloadTooLarge,
    /// The body did not arrive within the relay's deadline.
    #[error("request body too slow")]
    RequestTimeout,
    /// The requested byte range lies outside the file.
    #[error("range not satisfiable")]
    RangeNotSatisfiable,
    /// The device is the account's last one: delete the account instead.
    #[error("the last device cannot be unlinked; delete the account instead")]
    LastDevice,
    /// The relay holds as many accounts as it is set to.
    #[error("the relay accepts no new accounts")]
    AccountsFull,
    /// Too many requests from this device or address; retry later.
    #[error("too many requests")]
    TooManyRequests,
    /// The account's storage quota would be exceeded.
    #[error("storage quota exceeded")]
    QuotaExceeded,
    /// The id is already in use.
    #[error("already exists")]
    AlreadyExists,
    /// The share link was revoked by the worker.
    #[error("share revoked")]
    ShareRevoked,
    /// The share link has expired.
    #[error("share expired")]
    ShareExpired,
    /// The share link is locked after too many wrong PINs.
    #[error("share locked")]
    ShareLocked,
    /// The share needs a PIN.
    #[error("pin required")]
    PinRequired,
    /// The PIN was wrong.
    #[error("wrong pin; {left} attempts left")]
    PinWrong {
        /// Attempts left.
        left: u8,
    },
    /// The relay failed; the cause is in its log.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RequestTimeout => "request_timeout",
            Self::RangeNotSatisfiable => "range_not_satisfiable",
            Self::LastDevice => "last_device",
            Self::AccountsFull => "accounts_full",
            Self::TooManyRequests => "rate_limited",
            Self::QuotaExceeded => "quota_exceeded",
            Self::AlreadyExists => "already_exists",
            Self::ShareRevoked => "share_revoked",
            Self::ShareExpired => "share_expired",
            Self::ShareLocked => "share_locked",
            Self::PinRequired => "pin_required",
            Self::PinWrong { .. } => "pin_wrong",
            Self::Internal => "internal",
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        match err {
            crate::store::StoreError::Quota => Self::QuotaExceeded,
            other => {
                log::error!("store: {other}");
                Self::Internal
            }
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::PinRequired | Self::PinWrong { .. } => {
                StatusCode::UNAUTHORIZED
            }
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::LastDevice => StatusCode::CONFLICT,
            Self::AccountsFull => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::QuotaExceeded => StatusCode::INSUFFICIENT_STORAGE,
            Self::AlreadyExists => StatusCode::CONFLICT,
            Self::ShareRevoked | Self::ShareExpired | Self::ShareLocked => StatusCode::GONE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = serde_json::json!({
            "error": self.code(),
            "message": self.to_string(),
        });
        if let Self::PinWrong { left } = self {
            body["attempts_left"] = serde_json::json!(left);
        }
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, Self::TooManyRequests) {
            response.insert_header(("Retry-After", "60"));
        }
        if matches!(self, Self::RequestTimeout) {
            // The rest of the body may still be on its way: the connection is not reused.
            response.force_close();
        }
        response.json(body)
    }
}
