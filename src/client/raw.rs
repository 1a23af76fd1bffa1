//! The escape hatch: any request on the wallet host, with the SDK's auth, refresh, retry and
//! error mapping, for endpoints the SDK does not know yet.

use std::future::Future;

use http::Method;

use super::call::Request;
use super::endpoint::{Auth, Endpoint, Host, Repeat};
use super::error_answer::{redact, Secrets};
use super::models;
use super::tx::json_object;
use super::{Client, Error, Response};

/// The server's JSON answer as it sent it (validated to be JSON), or "" for no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawJson(pub String);

impl Client {
    /// Sends `method path` with an optional JSON object body, as the player when `needs_player`.
    ///
    /// GET is retried like any read; every other method is treated as value-moving (never
    /// retried once sent; a lost answer is `OutcomeUnknown`). Paths under `/api/auth/` are
    /// refused: tokens only travel through the session functions.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        json_body: Option<&str>,
        needs_player: bool,
    ) -> impl Future<Output = Result<Response<RawJson>, Error>> + Send + 'static {
        let request = raw_request(method, path, json_body, needs_player);
        let client = self.clone();
        async move {
            let answer = client.send(request?).await?;
            if !answer.body.is_empty() {
                models::decode::<serde::de::IgnoredAny>(&answer.body)
                    .map_err(|e| e.with_http_status(answer.status))?;
            }
            // Valid JSON is UTF-8. A token the server echoed is redacted (inside a JSON string
            // the replacement keeps the document valid): tokens only leave via the session.
            let text = String::from_utf8(answer.body.to_vec()).unwrap_or_default();
            let session = client.session_secrets();
            let secrets = Secrets {
                listed: &session,
                bearer: None,
            };
            let text = redact(text, secrets);
            Ok(Response {
                status: answer.status,
                value: RawJson(text),
            })
        }
    }
}

/// The endpoint row of a `request` call: GET is a read, any other method is treated as
/// value-moving (never retried once sent; a lost answer is `OutcomeUnknown`). An unknown method
/// gets a value-moving row too; `raw_request` refuses it before anything is sent.
pub(crate) fn request_endpoint(method: &str, needs_player: bool) -> Endpoint {
    let (method, repeat) = match method_of(method) {
        Ok(Method::GET) => (Method::GET, Repeat::Safe),
        Ok(other) => (other, Repeat::Never),
        Err(_) => (Method::POST, Repeat::Never),
    };
    Endpoint {
        name: "REQUEST",
        method,
        path: "",
        host: Host::Wallet,
        auth: if needs_player {
            Auth::Bearer
        } else {
            Auth::None
        },
        repeat,
    }
}

fn method_of(method: &str) -> Result<Method, Error> {
    match method {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PUT" => Ok(Method::PUT),
        "PATCH" => Ok(Method::PATCH),
        "DELETE" => Ok(Method::DELETE),
        _ => Err(Error::invalid_argument(
            "method",
            "must be GET, POST, PUT, PATCH or DELETE",
        )),
    }
}

fn raw_request(
    method: &str,
    path: &str,
    json_body: Option<&str>,
    needs_player: bool,
) -> Result<Request, Error> {
    method_of(method)?;
    let endpoint = request_endpoint(method, needs_player);
    if !path.starts_with('/') || path.contains(['\r', '\n', ' ', '#']) {
        return Err(Error::invalid_argument(
            "path",
            "must start with / and contain no spaces, line breaks or #",
        ));
    }
    if refused_path(path) {
        return Err(Error::invalid_argument(
            "path",
            "paths under /api/auth/ (or with dot or empty segments) are refused: use the session functions",
        ));
    }
    if let Some(body) = json_body {
        json_object("json_body", body)?;
    }
    let request = Request::new(&endpoint, path.to_owned());
    Ok(match json_body {
        Some(body) => request.body(body.to_owned()),
        None => request,
    })
}

/// Whether `path` reaches `/api/auth/` or could after normalisation: a `.`/`..` segment (also
/// percent-encoded) or an empty one is refused outright, since URL parsers remove them.
fn refused_path(path: &str) -> bool {
    let path = path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let dotted = path.split('/').skip(1).any(|segment| {
        segment.is_empty() || segment.replace("%2e", ".").trim_matches('.').is_empty()
    });
    dotted || path.starts_with("/api/auth/") || path == "/api/auth"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_auth_paths_and_bad_input() {
        for (method, path, body) in [
            ("GET", "/api/auth/refresh-tokens", None),
            ("GET", "/API/AUTH/logout", None),
            ("GET", "api/user", None),
            ("GET", "/api/../api/auth/x", None),
            ("POST", "/api/./auth/logout", None),
            ("POST", "/api/%2E/auth/logout", None),
            ("POST", "/./api/auth/logout", None),
            ("POST", "//api/auth/logout", None),
            ("GET", "/api/auth", None),
            ("FETCH", "/api/user", None),
            ("POST", "/api/x", Some("[1]")),
            ("POST", "/api/x", Some("{oops")),
        ] {
            assert!(
                raw_request(method, path, body, false).is_err(),
                "{method} {path} {body:?}"
            );
        }
        let ok = raw_request("POST", "/api/wallets", Some("{\"a\":1}"), true).unwrap();
        assert!(ok.endpoint.moves_value());
        assert_eq!(ok.endpoint.auth, Auth::Bearer);
        assert!(!raw_request("GET", "/api/wallets?x=1", None, false)
            .unwrap()
            .endpoint
            .moves_value());
    }
}
