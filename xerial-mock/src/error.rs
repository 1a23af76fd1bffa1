//! [`ApiError`]: a handled error, rendered the way Xerial renders them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A handled error, rendered as `{"code": status, "message": message}` (API reference §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Human-readable message, with Xerial's exact capitalisation.
    pub message: String,
}

impl ApiError {
    /// An error with an arbitrary status (invalid codes become 500).
    pub fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: message.into(),
        }
    }

    /// `400` with a validation message.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, message)
    }

    /// `401 Please Authenticate`: missing, invalid or expired access token.
    pub fn unauthorized() -> ApiError {
        ApiError::new(401, "Please Authenticate")
    }

    /// `403 Forbidden`: the wallet is not the bearer's.
    pub fn forbidden() -> ApiError {
        ApiError::new(403, "Forbidden")
    }

    /// `404 Not Found`.
    pub fn not_found() -> ApiError {
        ApiError::new(404, "Not Found")
    }

    /// `404` with a specific message (`Wallet Not Found`, `Nonce Not Found`, …).
    pub fn not_found_msg(message: impl Into<String>) -> ApiError {
        ApiError::new(404, message)
    }

    /// `412` precondition failure (`You Don't Have This NFT`, `Insufficient Funds`, …).
    pub fn precondition(message: impl Into<String>) -> ApiError {
        ApiError::new(412, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"code": self.status.as_u16(), "message": self.message});
        (self.status, Json(body)).into_response()
    }
}
