//! Sign-in test helpers: an authorization server that plays Google (consent is a function call;
//! its token endpoint checks every RFC 6749/7636 rule), a minimal browser over plain HTTP, and
//! an `open_url` callback that records what the SDK asks to open.

use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::ThreadId;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use url::Url;

/// The client the tests register.
pub const CLIENT_ID: &str = "1234-test.apps.googleusercontent.com";
/// Its installed-app "secret".
pub const CLIENT_SECRET: &str = "GOCSPX-desktop-secret";

/// A code the consent issued, bound to what the authorization request said.
struct Grant {
    challenge: String,
    client_id: String,
    redirect_uri: String,
    email: String,
    used: bool,
}

#[derive(Default)]
struct Issued {
    grants: HashMap<String, Grant>,
    /// Every token request's form, in order.
    token_requests: Vec<HashMap<String, String>>,
    next_code: u32,
}

/// The authorization server.
pub struct FakeGoogle {
    port: u16,
    issued: Arc<Mutex<Issued>>,
}

/// What the consent hands the browser: where to go next.
pub struct Consent {
    pub redirect: String,
    pub code: String,
}

impl FakeGoogle {
    pub fn start() -> FakeGoogle {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let issued = Arc::new(Mutex::new(Issued::default()));
        let shared = Arc::clone(&issued);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        FakeGoogle { port, issued }
    }

    pub fn authorize_url(&self) -> String {
        format!("http://127.0.0.1:{}/authorize", self.port)
    }

    pub fn token_url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    fn issued(&self) -> std::sync::MutexGuard<'_, Issued> {
        self.issued.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The player clicks Allow on the authorization request `authorization_url` (as `email`):
    /// the redirect the browser is sent to, with a fresh code bound to the request's challenge.
    pub fn allow(&self, authorization_url: &str, email: &str) -> Consent {
        let params = params_of(authorization_url);
        assert_eq!(params["response_type"], "code");
        assert_eq!(params["code_challenge_method"], "S256");
        assert_eq!(params["scope"], "openid email");
        let mut issued = self.issued();
        issued.next_code += 1;
        let code = format!("4/0A-code-{}-{}", issued.next_code, "x".repeat(20));
        issued.grants.insert(
            code.clone(),
            Grant {
                challenge: params["code_challenge"].clone(),
                client_id: params["client_id"].clone(),
                redirect_uri: params["redirect_uri"].clone(),
                email: email.to_owned(),
                used: false,
            },
        );
        let redirect = with_query(
            &params["redirect_uri"],
            &[("code", &code), ("state", &params["state"])],
        );
        Consent { redirect, code }
    }

    /// The player clicks Deny: the redirect with `error=access_denied`.
    pub fn deny(&self, authorization_url: &str) -> String {
        let params = params_of(authorization_url);
        with_query(
            &params["redirect_uri"],
            &[("error", "access_denied"), ("state", &params["state"])],
        )
    }

    /// Every token request's form so far.
    pub fn token_requests(&self) -> Vec<HashMap<String, String>> {
        self.issued().token_requests.clone()
    }
}

/// The query parameters of `url`.
pub fn params_of(url: &str) -> HashMap<String, String> {
    Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// `base` with `pairs` as its query.
pub fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = Url::parse(base).unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    url.into()
}

fn serve(mut stream: TcpStream, issued: &Mutex<Issued>) {
    let Some((head, body)) = read_http(&mut stream) else {
        return;
    };
    let (status, answer) = if head.starts_with("POST /token ") {
        let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let content_type_ok = head
            .to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded");
        token(issued, form, content_type_ok)
    } else {
        (404, r#"{"error":"not_found"}"#.to_owned())
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

/// RFC 6749 §4.1.3 + RFC 7636 §4.6, as Google's token endpoint applies them.
fn token(
    issued: &Mutex<Issued>,
    form: HashMap<String, String>,
    content_type_ok: bool,
) -> (u16, String) {
    let mut issued = issued.lock().unwrap_or_else(PoisonError::into_inner);
    issued.token_requests.push(form.clone());
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    // Echoes the code, as a careless server might: the SDK must redact it.
    let code = field("code").replace(['"', '\\'], "");
    let refuse = |error: &str| {
        (
            400,
            format!(r#"{{"error":"{error}","error_description":"Bad Request for {code}"}}"#),
        )
    };
    if !content_type_ok || field("grant_type") != "authorization_code" {
        return refuse("invalid_request");
    }
    if field("client_secret") != CLIENT_SECRET && form.contains_key("client_secret") {
        return (401, r#"{"error":"invalid_client"}"#.to_owned());
    }
    let Some(grant) = issued.grants.get_mut(field("code")) else {
        return refuse("invalid_grant");
    };
    let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        field("code_verifier").as_bytes(),
    ));
    let ok = !grant.used
        && grant.client_id == field("client_id")
        && grant.redirect_uri == field("redirect_uri")
        && grant.challenge == challenge;
    // A code is spent by its first exchange, good or bad.
    grant.used = true;
    if !ok {
        return refuse("invalid_grant");
    }
    let id_token = format!("google-ok:{}", grant.email);
    (
        200,
        format!(
            r#"{{"access_token":"ya29.fake","expires_in":3599,"id_token":"{id_token}","token_type":"Bearer","scope":"openid email"}}"#
        ),
    )
}

/// Reads one request (head, body) with `Content-Length`.
fn read_http(stream: &mut TcpStream) -> Option<(String, String)> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        bytes.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = text[..end].to_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                return Some((head, text[end + 4..end + 4 + length].to_owned()));
            }
        }
    }
}

/// What a browser gets for a GET: status and body (0 and "" when the connection was refused).
pub fn browse(url: &str) -> (u16, String) {
    browse_with(url, "")
}

/// [`browse`] with extra header lines (each ending in `\r\n`).
pub fn browse_with(url: &str, headers: &str) -> (u16, String) {
    let url = Url::parse(url).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let target = &url[url::Position::BeforePath..];
    let Ok(mut stream) = TcpStream::connect(&host) else {
        return (0, String::new());
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}

/// Whether something accepts connections on `url`'s port.
pub fn port_open(url: &str) -> bool {
    let url = Url::parse(url).unwrap();
    TcpStream::connect(("127.0.0.1", url.port().unwrap())).is_ok()
}

/// The URLs the SDK asked to open, with the thread each `open_url` ran on. Passed as
/// `open_url_user_data`.
#[derive(Default)]
pub struct Opened(Mutex<Vec<(String, ThreadId)>>);

impl Opened {
    pub fn user_data(&self) -> *mut c_void {
        self as *const Opened as *mut c_void
    }

    pub fn urls(&self) -> Vec<String> {
        let opened = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        opened.iter().map(|(url, _)| url.clone()).collect()
    }

    pub fn threads(&self) -> Vec<ThreadId> {
        let opened = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        opened.iter().map(|(_, thread)| *thread).collect()
    }
}

/// The `open_url` every sign-in test passes: records into the `Opened` behind `user_data`.
pub unsafe extern "C" fn record_url(user_data: *mut c_void, url: *const c_char) {
    let opened = unsafe { &*(user_data as *const Opened) };
    let url = unsafe { CStr::from_ptr(url) }.to_str().unwrap().to_owned();
    opened
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((url, std::thread::current().id()));
}

/// What the wallet page's `fetch(step, {method: 'POST', …})` sends: JSON from the page's own
/// origin (or `origin`, to play another page). Status and body.
pub fn post_json(page: &str, step: &str, origin: Option<&str>, body: &str) -> (u16, String) {
    let page = Url::parse(page).unwrap();
    let own = page.origin().ascii_serialization();
    let url = page.join(step).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let Ok(mut stream) = TcpStream::connect(&host) else {
        return (0, String::new());
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST {} HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nReferer: {page}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        url.path(),
        origin.unwrap_or(&own),
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}
