//! TLS for real: the offline server behind HTTPS with a CA made at test time, through the C ABI.
//!
//! With the test CA in `extra_root_ca_pem` calls succeed; without it, or with a certificate
//! for another host, they fail with `XERIAL_E_NETWORK` and a message that says why; a malformed
//! `extra_root_ca_pem` is refused by `xerial_init`. Production builds verify against the bundled
//! web PKI roots only (reqwest `rustls-tls` = webpki-roots): the default config builds, and a
//! server whose CA is not among them fails — the same proof as "without the CA".
//!
//! Run: `cargo test -p xerial --test tls`.

mod support;

use std::ffi::{CStr, CString};
use std::time::Duration;

use rcgen::{BasicConstraints, Certificate, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use support::{exclusive, init, poll_until, record, Ledger};
use xerial::client::{Client, ClientConfig, ErrorKind};
use xerial::*;
use xerial_mock::MockServer;

const PLAYER: &CStr = c"0x8e9DD3c1Db3254d968967CbC367542C343273629";
const LOGOUT: &str = "/api/auth/logout";

/// A test CA made now, able to sign leaves.
struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).expect("CA cert");
        TestCa {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A server leaf (`basicConstraints CA:FALSE`) for `names` (DNS names or IP addresses):
    /// (certificate PEM, key PEM).
    fn leaf(&self, names: &[&str], tweak: impl FnOnce(&mut CertificateParams)) -> (String, String) {
        let key = KeyPair::generate().expect("leaf key");
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).expect("leaf params");
        params.is_ca = IsCa::ExplicitNoCa;
        params
            .distinguished_name
            .push(DnType::CommonName, "xerial test server");
        tweak(&mut params);
        let cert: Certificate = params.signed_by(&key, &self.issuer).expect("leaf cert");
        (cert.pem(), key.serialize_pem())
    }
}

fn tls_server(ca: &TestCa, names: &[&str]) -> MockServer {
    let (cert, key) = ca.leaf(names, |_| {});
    MockServer::start_tls(&cert, &key)
}

fn leak_ledger() -> &'static Ledger {
    Box::leak(Box::default())
}

/// Initialises the SDK on `base_url` with `extra_root_ca_pem` (NULL when `None`), one attempt.
fn init_tls(base_url: &str, ca_pem: Option<&str>) -> i32 {
    let pem = ca_pem.map(|p| CString::new(p).unwrap());
    init(base_url, |c| {
        c.max_retries = 0;
        c.timeout_ms = 5_000;
        c.extra_root_ca_pem = pem.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    })
}

fn logout(server: &MockServer, ledger: &Ledger) -> support::Delivery {
    let pair = server.create_session();
    let token = pair["refresh"]["token"].as_str().unwrap();
    let id = support::logout(token, ledger);
    assert_ne!(id, 0);
    assert!(poll_until(|| !ledger.get(id).is_empty()), "answered");
    ledger.only(id)
}

#[test]
fn with_the_test_ca_in_extra_root_ca_pem_calls_succeed() {
    let _sdk = exclusive();
    let ca = TestCa::new("xerial test CA");
    let server = tls_server(&ca, &["localhost", "127.0.0.1"]);
    let port = server.addr().port();
    let ledger = leak_ledger();

    // By name (DNS SAN) …
    assert_eq!(
        init_tls(&format!("https://localhost:{port}"), Some(&ca.pem)),
        XERIAL_OK
    );
    let done = logout(&server, ledger);
    assert_eq!(
        (done.code, done.http_status, done.message.as_str()),
        (XERIAL_OK, 204, "")
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    // … and by address (IP SAN), for a read.
    assert_eq!(init_tls(&server.url(), Some(&ca.pem)), XERIAL_OK);
    let id = unsafe {
        xerial_wallet_native_balance(
            PLAYER.as_ptr(),
            c"polygon".as_ptr(),
            Some(record),
            ledger.user_data(),
        )
    };
    assert!(poll_until(|| !ledger.get(id).is_empty()));
    let read = ledger.only(id);
    assert_eq!(
        (read.code, read.body.as_str()),
        (XERIAL_OK, r#"{"balance":"25"}"#)
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(server.request_count("POST", LOGOUT), 1);
}

/// Asserts a TLS failure: `XERIAL_E_NETWORK`, no HTTP status, a message naming the reason, and
/// nothing reached the server's HTTP layer.
fn assert_tls_refused(done: &support::Delivery, server: &MockServer, reasons: &[&str]) {
    assert_eq!(done.code, XERIAL_E_NETWORK, "{done:?}");
    assert_eq!(done.http_status, 0, "{done:?}");
    assert!(
        done.message.contains("certificate"),
        "the message says it is the certificate: {:?}",
        done.message
    );
    assert!(
        reasons.iter().any(|r| done.message.contains(r)),
        "the message says why ({reasons:?}): {:?}",
        done.message
    );
    assert_eq!(
        server.request_count("POST", LOGOUT),
        0,
        "no request was sent"
    );
}

#[test]
fn without_the_ca_the_call_fails_with_unknown_issuer() {
    let _sdk = exclusive();
    let ca = TestCa::new("xerial test CA");
    let server = tls_server(&ca, &["localhost", "127.0.0.1"]);
    let ledger = leak_ledger();
    // No extra root: only the bundled web PKI roots, which do not know the test CA.
    let url = format!("https://localhost:{}", server.addr().port());
    assert_eq!(init_tls(&url, None), XERIAL_OK);
    let done = logout(&server, ledger);
    assert_tls_refused(&done, &server, &["UnknownIssuer"]);
    println!("without the CA: {:?}", done.message);
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    // Another CA in extra_root_ca_pem does not help either.
    let other = TestCa::new("some other CA");
    assert_eq!(init_tls(&url, Some(&other.pem)), XERIAL_OK);
    assert_tls_refused(&logout(&server, ledger), &server, &["UnknownIssuer"]);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
}

#[test]
fn a_certificate_for_another_host_fails_with_not_valid_for_name() {
    let _sdk = exclusive();
    let ca = TestCa::new("xerial test CA");
    let server = tls_server(&ca, &["other.example"]);
    let ledger = leak_ledger();
    for url in [
        format!("https://localhost:{}", server.addr().port()),
        server.url(),
    ] {
        assert_eq!(init_tls(&url, Some(&ca.pem)), XERIAL_OK);
        let done = logout(&server, ledger);
        assert_tls_refused(&done, &server, &["NotValidForName", "not valid for name"]);
        println!("{url} with a cert for other.example: {:?}", done.message);
        assert_eq!(xerial_shutdown(), XERIAL_OK);
    }
}

#[test]
fn an_expired_or_self_signed_server_certificate_fails_with_the_reason() {
    let _sdk = exclusive();
    let ca = TestCa::new("xerial test CA");
    let ledger = leak_ledger();

    let (cert, key) = ca.leaf(&["localhost"], |p| {
        p.not_before = rcgen::date_time_ymd(2020, 1, 1);
        p.not_after = rcgen::date_time_ymd(2021, 1, 1);
    });
    let expired = MockServer::start_tls(&cert, &key);
    let url = format!("https://localhost:{}", expired.addr().port());
    assert_eq!(init_tls(&url, Some(&ca.pem)), XERIAL_OK);
    assert_tls_refused(&logout(&expired, ledger), &expired, &["Expired", "expired"]);
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    // A self-signed CA certificate served as the leaf (the `openssl req -x509` pitfall) is
    // refused even when trusted: it is a CA, not an end entity.
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap().pem();
    let self_signed = MockServer::start_tls(&cert, &key.serialize_pem());
    let url = format!("https://localhost:{}", self_signed.addr().port());
    assert_eq!(init_tls(&url, Some(&cert)), XERIAL_OK);
    assert_tls_refused(
        &logout(&self_signed, ledger),
        &self_signed,
        &["CaUsedAsEndEntity"],
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);
}

#[test]
fn a_malformed_extra_root_ca_pem_is_refused_by_init() {
    let _sdk = exclusive();
    let ca = TestCa::new("xerial test CA");
    let (_, key_pem) = ca.leaf(&["localhost"], |_| {});
    let cases = [
        ("not PEM at all", "hello".to_owned()),
        ("empty", String::new()),
        (
            "a private key, no certificate",
            key_pem, // PEM, but no CERTIFICATE block
        ),
        (
            "armour around bad base64",
            "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n".to_owned(),
        ),
        (
            "a certificate cut short",
            ca.pem[..ca.pem.len() / 2].to_owned(),
        ),
    ];
    let wrong = refused_by_init(&cases);
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The same PEM rules in the core client.
    let err = Client::new(ClientConfig {
        extra_root_ca_pem: Some("hello".to_owned()),
        ..ClientConfig::default()
    })
    .expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().starts_with("extra_root_ca_pem"), "{err}");
}

/// abi.md §5: `XERIAL_E_INVALID_ARGUMENT` is "bad input to an `xerial_*` call"; a PEM block whose
/// content is not a certificate is bad input, not a bug of the SDK (`XERIAL_E_INTERNAL`).
#[test]
fn a_pem_block_that_is_not_a_certificate_is_invalid_argument() {
    let _sdk = exclusive();
    let cases = [(
        "armour around bytes that are not a certificate",
        "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n".to_owned(),
    )];
    let wrong = refused_by_init(&cases);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Runs `xerial_init` with each PEM; lists the ones not answered `XERIAL_E_INVALID_ARGUMENT`.
fn refused_by_init(cases: &[(&str, String)]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (what, pem) in cases {
        let code = init_tls("https://localhost:1", Some(pem));
        if code != XERIAL_E_INVALID_ARGUMENT {
            wrong.push(format!("{what}: xerial_init returned {code}"));
        }
        if code == XERIAL_OK {
            assert_eq!(xerial_shutdown(), XERIAL_OK);
        } else {
            assert_eq!(
                xerial_session_clear(),
                XERIAL_E_NOT_INITIALIZED,
                "{what}: stays uninitialised"
            );
        }
    }
    wrong
}

#[test]
fn production_defaults_verify_against_the_bundled_web_pki_roots() {
    let _sdk = exclusive();
    // The default config (production URL, bundled roots, no extra CA, no proxy) builds …
    assert_eq!(unsafe { xerial_init(std::ptr::null()) }, XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    let mut config = std::mem::MaybeUninit::<XerialConfig>::uninit();
    unsafe { xerial_config_init(config.as_mut_ptr(), std::mem::size_of::<XerialConfig>()) };
    let config = unsafe { config.assume_init() };
    assert!(config.extra_root_ca_pem.is_null() && config.proxy_url.is_null());
    assert_eq!(
        unsafe { CStr::from_ptr(config.base_url) }.to_str().unwrap(),
        "https://wallet.xerial.io"
    );
    assert!(Client::new(ClientConfig::default()).is_ok());

    // … and it verifies: a server whose CA is not a web PKI root is refused (no extra root,
    // no "accept invalid certs" switch exists), while the same server verifies once its CA is
    // added — so the refusal is the verification, not a broken handshake.
    let ca = TestCa::new("not a web PKI root");
    let server = tls_server(&ca, &["localhost"]);
    let url = format!("https://localhost:{}", server.addr().port());
    let ledger = leak_ledger();
    assert_eq!(init_tls(&url, None), XERIAL_OK);
    assert_tls_refused(&logout(&server, ledger), &server, &["UnknownIssuer"]);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(init_tls(&url, Some(&ca.pem)), XERIAL_OK);
    assert_eq!(logout(&server, ledger).code, XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    std::thread::sleep(Duration::from_millis(1));
}
