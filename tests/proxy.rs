//! `proxy_url` through a tiny local proxy written here: a forwarding proxy for `http://` targets
//! (it records each request line) and CONNECT tunnelling for `https://`. With `proxy_url` set
//! every call goes through it and succeeds; without it nothing touches it, not even with the
//! proxy environment variables pointing at it. The proxy only ever connects to loopback.
//!
//! Run: `cargo test -p xerial --test proxy`.

mod support;

use std::ffi::{CStr, CString};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use support::{exclusive, init, poll_until, record, Delivery, Ledger};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use xerial::*;
use xerial_mock::MockServer;

const PLAYER: &CStr = c"0x8e9DD3c1Db3254d968967CbC367542C343273629";
const BALANCE: &str = "/api/wallet/0x8e9DD3c1Db3254d968967CbC367542C343273629/polygon/eth";
const LOGOUT: &str = "/api/auth/logout";
const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

// ---------------------------------------------------------------------------------------------
// The proxy.

/// A local HTTP proxy on its own thread and runtime; dropping it stops it.
struct Proxy {
    addr: SocketAddr,
    /// Every request line received (`GET http://… HTTP/1.1`, `CONNECT host:port HTTP/1.1`).
    seen: Arc<Mutex<Vec<String>>>,
    /// Every TCP connection accepted.
    connections: Arc<AtomicUsize>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    fn start() -> Proxy {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (stop, mut stopped) = oneshot::channel::<()>();
        let (seen_in, connections_in) = (Arc::clone(&seen), Arc::clone(&connections));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((client, _)) = accepted else { continue };
                            connections_in.fetch_add(1, Ordering::SeqCst);
                            let seen = Arc::clone(&seen_in);
                            tokio::spawn(async move {
                                let _ = serve(client, seen).await;
                            });
                        }
                    }
                }
            });
        });
        Proxy {
            addr,
            seen,
            connections,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `host:port` → a loopback socket address; anything else is refused (tests never leave loopback).
fn loopback(authority: &str) -> Option<SocketAddr> {
    let (host, port) = authority.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.parse::<IpAddr>().ok().filter(IpAddr::is_loopback)?
    };
    Some(SocketAddr::new(ip, port))
}

/// One client connection: one request (forwarded with `Connection: close`) or one tunnel.
async fn serve(mut client: TcpStream, seen: Arc<Mutex<Vec<String>>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let early_body = buf[head_end..].to_vec();
    let mut lines = head.split("\r\n").filter(|l| !l.is_empty());
    let request_line = lines.next().unwrap_or_default().to_owned();
    seen.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request_line.clone());
    let mut parts = request_line.split(' ');
    let (method, target, version) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or("HTTP/1.1"),
    );

    if method == "CONNECT" {
        let Some(upstream) = loopback(target) else {
            return refuse(&mut client, "403 Forbidden").await;
        };
        let Ok(mut upstream) = TcpStream::connect(upstream).await else {
            return refuse(&mut client, "502 Bad Gateway").await;
        };
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
        upstream.write_all(&early_body).await?;
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
        return Ok(());
    }

    // Absolute-form `http://host:port/path` → origin-form to the target, one request only.
    let Some(rest) = target.strip_prefix("http://") else {
        return refuse(&mut client, "400 Bad Request").await;
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let Some(upstream) = loopback(authority) else {
        return refuse(&mut client, "403 Forbidden").await;
    };
    let Ok(mut upstream) = TcpStream::connect(upstream).await else {
        return refuse(&mut client, "502 Bad Gateway").await;
    };
    let mut out = format!("{method} {path} {version}\r\n");
    for line in lines {
        let name = line.split(':').next().unwrap_or_default().trim();
        if [
            "connection",
            "proxy-connection",
            "keep-alive",
            "proxy-authorization",
        ]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
        {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    upstream.write_all(out.as_bytes()).await?;
    upstream.write_all(&early_body).await?;
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    Ok(())
}

async fn refuse(client: &mut TcpStream, status: &str) -> std::io::Result<()> {
    let answer = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    client.write_all(answer.as_bytes()).await
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn leak_ledger() -> &'static Ledger {
    Box::leak(Box::default())
}

/// A CA and a mock behind TLS with a leaf for localhost signed by it: (server, CA PEM).
fn tls_server() -> (MockServer, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "xerial proxy test CA");
    let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    leaf.is_ca = IsCa::ExplicitNoCa;
    let cert = leaf.signed_by(&key, &issuer).unwrap().pem();
    (MockServer::start_tls(&cert, &key.serialize_pem()), ca_pem)
}

/// Initialises the SDK on `base_url`, with `proxy_url` and `extra_root_ca_pem` when given.
fn init_with(base_url: &str, proxy: Option<&str>, ca_pem: Option<&str>) -> i32 {
    let proxy = proxy.map(|p| CString::new(p).unwrap());
    let ca = ca_pem.map(|p| CString::new(p).unwrap());
    init(base_url, |c| {
        c.max_retries = 0;
        c.proxy_url = proxy.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
        c.extra_root_ca_pem = ca.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    })
}

fn wait(ledger: &Ledger, id: u64) -> Delivery {
    assert_ne!(id, 0);
    assert!(poll_until(|| !ledger.get(id).is_empty()), "answered");
    ledger.only(id)
}

fn read(ledger: &Ledger) -> Delivery {
    let id = unsafe {
        xerial_wallet_native_balance(
            PLAYER.as_ptr(),
            c"polygon".as_ptr(),
            Some(record),
            ledger.user_data(),
        )
    };
    wait(ledger, id)
}

fn logout(server: &MockServer, ledger: &Ledger) -> Delivery {
    let pair = server.create_session();
    let id = support::logout(pair["refresh"]["token"].as_str().unwrap(), ledger);
    wait(ledger, id)
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[test]
fn with_proxy_url_http_calls_go_through_the_proxy() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let proxy = Proxy::start();
    let ledger = leak_ledger();
    assert_eq!(
        init_with(&server.url(), Some(&proxy.url()), None),
        XERIAL_OK
    );

    let balance = read(ledger);
    assert_eq!(
        (balance.code, balance.body.as_str()),
        (XERIAL_OK, r#"{"balance":"25"}"#)
    );
    let revoked = logout(&server, ledger);
    assert_eq!((revoked.code, revoked.http_status), (XERIAL_OK, 204));
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    let origin = server.url();
    assert_eq!(
        proxy.seen(),
        vec![
            format!("GET {origin}{BALANCE} HTTP/1.1"),
            format!("POST {origin}{LOGOUT} HTTP/1.1"),
        ],
        "the proxy saw both requests, in absolute form"
    );
    assert_eq!(server.request_count("GET", BALANCE), 1);
    assert_eq!(server.request_count("POST", LOGOUT), 1);
}

#[test]
fn with_proxy_url_https_calls_are_tunnelled_with_connect() {
    let _sdk = exclusive();
    let (server, ca) = tls_server();
    let proxy = Proxy::start();
    let ledger = leak_ledger();
    let port = server.addr().port();
    let url = format!("https://localhost:{port}");
    assert_eq!(init_with(&url, Some(&proxy.url()), Some(&ca)), XERIAL_OK);

    let revoked = logout(&server, ledger);
    assert_eq!((revoked.code, revoked.http_status), (XERIAL_OK, 204));
    assert_eq!(read(ledger).code, XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    let seen = proxy.seen();
    assert!(!seen.is_empty(), "the proxy saw the tunnel");
    assert!(
        seen.iter()
            .all(|line| *line == format!("CONNECT localhost:{port} HTTP/1.1")),
        "only CONNECT, never a plaintext request: {seen:?}"
    );
    assert_eq!(server.request_count("POST", LOGOUT), 1);
    assert_eq!(server.request_count("GET", BALANCE), 1);
}

#[test]
fn without_proxy_url_nothing_touches_the_proxy_not_even_env_proxies() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let (tls, ca) = tls_server();
    let proxy = Proxy::start();
    let ledger = leak_ledger();
    // The environment points every scheme at the proxy (as a player's machine might).
    for var in PROXY_VARS {
        std::env::set_var(var, proxy.url());
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");

    // Control: a default HTTP client does pick the environment up, so the SDK's directness
    // below is its own doing.
    let control = std::thread::spawn({
        let url = format!("{}{BALANCE}", server.url());
        move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .unwrap();
                client.get(url).send().await.map(|r| r.status().as_u16())
            })
        }
    })
    .join()
    .unwrap();
    assert_eq!(control.ok(), Some(200));
    assert_eq!(proxy.connections(), 1, "the control went through the proxy");

    assert_eq!(init_with(&server.url(), None, None), XERIAL_OK);
    assert_eq!(read(ledger).code, XERIAL_OK);
    assert_eq!(logout(&server, ledger).code, XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    let url = format!("https://localhost:{}", tls.addr().port());
    assert_eq!(init_with(&url, None, Some(&ca)), XERIAL_OK);
    assert_eq!(logout(&tls, ledger).code, XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    for var in PROXY_VARS {
        std::env::remove_var(var);
    }
    assert_eq!(
        proxy.connections(),
        1,
        "the SDK never connected to the proxy"
    );
    assert_eq!(proxy.seen().len(), 1, "{:?}", proxy.seen());
    assert_eq!(server.request_count("GET", BALANCE), 2, "control + SDK");
    assert_eq!(server.request_count("POST", LOGOUT), 1);
    assert_eq!(tls.request_count("POST", LOGOUT), 1);
}

#[test]
fn a_proxy_that_is_down_is_a_network_error_and_nothing_is_sent() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let port = {
        let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        l.local_addr().unwrap().port()
    };
    let ledger = leak_ledger();
    let proxy = format!("http://127.0.0.1:{port}");
    assert_eq!(init_with(&server.url(), Some(&proxy), None), XERIAL_OK);
    let done = logout(&server, ledger);
    assert_eq!(
        (done.code, done.http_status),
        (XERIAL_E_NETWORK, 0),
        "{done:?}"
    );
    assert!(
        done.message.starts_with("connection failed"),
        "{:?}",
        done.message
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(server.request_count("POST", LOGOUT), 0);
}

#[test]
fn a_malformed_proxy_url_is_refused_by_init() {
    let _sdk = exclusive();
    for bad in ["not a url", "http://", ""] {
        assert_eq!(
            init_with("http://127.0.0.1:1", Some(bad), None),
            XERIAL_E_INVALID_ARGUMENT,
            "{bad:?}"
        );
        assert_eq!(xerial_session_clear(), XERIAL_E_NOT_INITIALIZED, "{bad:?}");
    }
}

/// The header documents `proxy_url` as `http://host:port`. A scheme the SDK cannot use must be
/// refused by `xerial_init`: `ftp://` is accepted and then *ignored* (calls go direct, around the
/// proxy the studio configured), `socks5://` is accepted and then every call fails.
#[test]
fn a_proxy_url_with_an_unusable_scheme_is_refused_by_init() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let proxy = Proxy::start();
    let ledger = leak_ledger();
    let mut wrong = Vec::new();
    for scheme in ["ftp", "socks5"] {
        let url = proxy.url().replace("http://", &format!("{scheme}://"));
        let code = init_with(&server.url(), Some(&url), None);
        if code != XERIAL_E_INVALID_ARGUMENT {
            let d = read(ledger);
            wrong.push(format!(
                "{url}: xerial_init {code}; a read then gave {} ({:?}); proxy connections {}",
                d.code,
                d.message,
                proxy.connections()
            ));
        }
        assert_eq!(xerial_shutdown(), XERIAL_OK);
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
