//! The escape hatch: any request on the wallet host, with the SDK's auth, refresh, retry and
//! error mapping, for endpoints the SDK does not know yet.

use std::future::Future;

use http::Method;

use super::call::Request;
use super::config::BaseUrl;
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
        let request = BaseUrl::parse(
            "base_url",
            &self.config().base_url,
            self.config().allow_insecure_http,
        )
        .and_then(|base| raw_request(&base, method, path, json_body, needs_player));
        let client = self.clone();
        async move {
            let request = request?;
            let answer = client.send(&request).await?;
            if !answer.body.is_empty() {
                models::decode::<serde::de::IgnoredAny>(&answer.body)
                    .map_err(|e| e.with_http_status(answer.status))?;
            }
            // Valid JSON is UTF-8. A token the server echoed is redacted (inside a JSON string
            // the replacement keeps the document valid): tokens only leave via the session.
            let text = String::from_utf8(answer.body.to_vec()).unwrap_or_default();
            let session = client.session().get();
            let secrets = Secrets {
                listed: &[],
                session: session.as_deref(),
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
    base: &BaseUrl,
    method: &str,
    path: &str,
    json_body: Option<&str>,
    needs_player: bool,
) -> Result<Request, Error> {
    method_of(method)?;
    let endpoint = request_endpoint(method, needs_player);
    if !path.starts_with('/') || path.contains(|c: char| c.is_control() || " #\\".contains(c)) {
        return Err(Error::invalid_argument(
            "path",
            "must start with / and contain no spaces, control characters, # or \\",
        ));
    }
    // Decide on the URL as it will be sent: the base URL's parser rewrites some paths (dot and
    // empty segments, characters it percent-encodes), and a server may decode `%2f` again.
    let sent = base.join(path);
    let (asked, _query) = path.split_once('?').unwrap_or((path, ""));
    if sent.path() != [base.prefix(), asked].concat() || asked.split('/').skip(1).any(str::is_empty)
    {
        return Err(Error::invalid_argument(
            "path",
            "changes when the URL is normalised (dot or empty segments, or characters to percent-encode): give it in its final form",
        ));
    }
    if reaches_auth(asked) {
        return Err(Error::invalid_argument(
            "path",
            "paths under /api/auth/ are refused (also percent-encoded): use the session functions",
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

/// How many rounds of percent-decoding a server is assumed to apply at most.
const DECODE_ROUNDS: usize = 4;

/// Whether `path` could reach Xerial's auth routes on a server that decodes it (once or more:
/// `%2f`, `%252f`), treats `\` as `/`, drops dot and empty segments and `;parameters`, ignores
/// trailing dots and case (Express routes are case-insensitive): `/api/auth` or under it.
fn reaches_auth(path: &str) -> bool {
    let mut text = path.to_owned();
    for _ in 0..DECODE_ROUNDS {
        if normalised_under_auth(&text) {
            return true;
        }
        let decoded = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == text {
            return false;
        }
        text = decoded;
    }
    // Still changing after this many rounds: nobody sends that on purpose.
    true
}

fn normalised_under_auth(path: &str) -> bool {
    let mut segments: Vec<String> = Vec::new();
    for segment in path.split(['/', '\\']) {
        let segment = segment.split(';').next().unwrap_or_default();
        let segment = segment.trim_matches(|c: char| c.is_whitespace() || c.is_control());
        if segment == ".." {
            segments.pop();
            continue;
        }
        let segment = segment.trim_end_matches('.');
        if !segment.is_empty() {
            segments.push(segment.to_ascii_lowercase());
        }
    }
    segments.len() >= 2 && segments[0] == "api" && segments[1] == "auth"
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn base() -> BaseUrl {
        BaseUrl::parse("base_url", "https://wallet.xerial.io", false).unwrap()
    }

    fn raw(method: &str, path: &str, body: Option<&str>) -> Result<Request, Error> {
        raw_request(&base(), method, path, body, true)
    }

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
            // The audit's reproductions: `\` and tab were normalised into /api/auth/… after the
            // check, and a server that decodes %2f routes the last one to logout.
            ("POST", "/api\\auth\\refresh-tokens", None),
            ("POST", "/api/au\tth/metamask", None),
            ("POST", "/api/x/..\\auth/logout", None),
            ("POST", "/api/auth%2flogout", None),
            ("POST", "/api%2fauth%2flogout", None),
            ("POST", "/api/auth%252flogout", None),
            ("POST", "/api%5cauth/logout", None),
            ("POST", "/api/x/%2e%2e/auth/logout", None),
            ("POST", "/api/x/..%2fauth/logout", None),
            ("POST", "/api/auth;v=1/logout", None),
            ("POST", "/api/auth./logout", None),
            ("GET", "/api/user\u{7f}", None),
            ("GET", "/api/user\n", None),
            ("FETCH", "/api/user", None),
            ("POST", "/api/x", Some("[1]")),
            ("POST", "/api/x", Some("{oops")),
        ] {
            assert!(
                raw(method, path, body).is_err(),
                "{method} {path:?} {body:?}"
            );
        }
        let ok = raw("POST", "/api/wallets", Some("{\"a\":1}")).unwrap();
        assert!(ok.endpoint.moves_value());
        assert_eq!(ok.endpoint.auth, Auth::Bearer);
        assert!(!raw("GET", "/api/wallets?x=1", None)
            .unwrap()
            .endpoint
            .moves_value());
        for fine in [
            "/api/authors",
            "/api/x/auth/logout",
            "/api/wallet/0xab/polygon/eth",
            "/api/user?next=/api/auth/x",
        ] {
            assert!(raw("GET", fine, None).is_ok(), "{fine}");
        }
    }

    /// Every way a server could read `path`: the path as sent and up to four rounds of
    /// percent-decoding, each normalised by the URL standard's parser (an independent oracle:
    /// `\` is `/`, tabs and newlines dropped, dot segments resolved), lowercased.
    fn server_readings(path: &str) -> Vec<String> {
        let mut readings = Vec::new();
        let mut text = path.to_owned();
        for _ in 0..=DECODE_ROUNDS {
            if let Ok(url) = url::Url::parse(&format!("http://h{text}")) {
                let collapsed = url
                    .path()
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("/");
                readings.push(format!("/{}", collapsed.to_ascii_lowercase()));
            }
            text = percent_encoding::percent_decode_str(&text)
                .decode_utf8_lossy()
                .into_owned();
        }
        readings
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "/", "/", "\\", ".", "..", "%2f", "%2F", "%5c", "%2e", "%2E", "%25", "%252f", "api",
            "API", "auth", "Auth", "au", "th", "\t", "\n", ";x", "?", "x", " ", "%00", "é", "%",
            "#", "//",
        ])
    }

    proptest! {
        #![proptest_config(crate::test_support::proptest_config(20_000, 20_000))]

        /// Whatever path a game passes, nothing whose final or decoded path is under
        /// `/api/auth` is ever sent.
        #[test]
        fn no_path_that_reaches_auth_is_ever_sent(
            pieces in prop::collection::vec(piece(), 0..14),
            prefix in prop::sample::select(vec!["", "/prefix"]),
        ) {
            let path = pieces.concat();
            let base = BaseUrl::parse("base_url", &format!("https://wallet.xerial.io{prefix}"), false).unwrap();
            if let Ok(request) = raw_request(&base, "POST", &path, None, true) {
                let sent = base.join(&request.path);
                let after_prefix = &sent.path()[prefix.len()..];
                for reading in server_readings(after_prefix) {
                    prop_assert!(
                        reading != "/api/auth" && !reading.starts_with("/api/auth/"),
                        "{path:?} was accepted and is sent as {} (read as {reading})", sent
                    );
                }
            }
        }
    }
}
