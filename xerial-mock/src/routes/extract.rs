//! Request helpers: bearer authentication, chain segments, Joi-style body fields.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::store::Chain;
use crate::{amount, Mock};

/// The authenticated user: extracted from `Authorization: Bearer <access token>`.
///
/// Rejects with `401 {"code":401,"message":"Please Authenticate"}` when the header is
/// missing or malformed, the token unknown or expired, or its user gone, as passport-jwt
/// does in node-express-boilerplate (the scheme is matched case-insensitively).
#[derive(Clone, Debug)]
pub struct Bearer(pub String);

impl FromRequestParts<Mock> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, mock: &Mock) -> Result<Bearer, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let (scheme, token) = header
            .trim()
            .split_once(char::is_whitespace)
            .ok_or_else(ApiError::unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::unauthorized());
        }
        let store = mock.store();
        let user = store
            .sessions
            .authenticate(token.trim())
            .ok_or_else(ApiError::unauthorized)?;
        let user = store
            .accounts
            .user(user)
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Bearer(user.id.clone()))
    }
}

/// Parses a `{chain}` path segment or answers Joi's 400.
pub fn chain(segment: &str) -> Result<Chain, ApiError> {
    Chain::parse(segment)
        .ok_or_else(|| ApiError::bad_request("\"chain\" must be one of [polygon, telos]"))
}

/// A request body read the way express's `express.json()` + Joi would see it.
#[derive(Clone, Debug, Default)]
pub struct JsonBody(Map<String, Value>);

impl JsonBody {
    /// Parses `bytes` as a JSON object; anything else (empty, invalid, an array) is
    /// treated as `{}` so that validation reports the missing fields.
    pub fn parse(bytes: &[u8]) -> JsonBody {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => JsonBody(map),
            _ => JsonBody::default(),
        }
    }

    /// A body made of an already-parsed JSON object (e.g. one line of a list).
    pub fn from_map(map: Map<String, Value>) -> JsonBody {
        JsonBody(map)
    }

    /// The body as a JSON value.
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }

    /// A field's raw value, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// A required, non-empty string field, with Joi's messages when it is not.
    pub fn required_str(&self, key: &str) -> Result<&str, ApiError> {
        match self.0.get(key) {
            None => Err(required(key)),
            Some(v) => as_str(key, v),
        }
    }

    /// An optional string field (absent or null is `None`; other types are 400).
    pub fn optional_str(&self, key: &str) -> Result<Option<&str>, ApiError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => as_str(key, v).map(Some),
        }
    }

    /// A required non-negative integer (Joi converts numeric strings, so do we).
    pub fn required_u64(&self, key: &str) -> Result<u64, ApiError> {
        let v = self.0.get(key).ok_or_else(|| required(key))?;
        as_u64(key, v)
    }

    /// A required positive amount in human units (number or decimal string), as wei.
    pub fn required_amount(&self, key: &str) -> Result<u128, ApiError> {
        let v = self.0.get(key).ok_or_else(|| required(key))?;
        match amount::parse(v) {
            Some(0) => Err(ApiError::bad_request(format!(
                "\"{key}\" must be a positive number"
            ))),
            Some(wei) => Ok(wei),
            None => Err(ApiError::bad_request(format!("\"{key}\" must be a number"))),
        }
    }
}

fn required(key: &str) -> ApiError {
    ApiError::bad_request(format!("\"{key}\" is required"))
}

fn as_str<'a>(key: &str, v: &'a Value) -> Result<&'a str, ApiError> {
    match v {
        Value::String(s) if s.is_empty() => Err(ApiError::bad_request(format!(
            "\"{key}\" is not allowed to be empty"
        ))),
        Value::String(s) => Ok(s),
        _ => Err(ApiError::bad_request(format!("\"{key}\" must be a string"))),
    }
}

/// A non-negative integer from a JSON number or numeric string (Joi-style messages).
pub fn as_u64(key: &str, v: &Value) -> Result<u64, ApiError> {
    let n = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    n.ok_or_else(|| ApiError::bad_request(format!("\"{key}\" must be a non-negative integer")))
}
