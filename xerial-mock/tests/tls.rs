//! The mock behind TLS: same routes, counters and faults; handshake failures hurt nobody.

use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use xerial_mock::{Fault, FaultRule, Mock, MockServer};

const BALANCE: &str = "/api/wallet/0x8e9DD3c1Db3254d968967CbC367542C343273629/polygon/eth";

/// A test CA and a leaf for `localhost`/`127.0.0.1` it signed: (ca PEM, leaf PEM, key PEM).
fn pki() -> (String, String, String) {
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "xerial-mock test CA");
    let ca_cert = ca.self_signed(&ca_key).expect("ca cert");
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().expect("leaf key");
    let mut leaf =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    leaf.is_ca = IsCa::ExplicitNoCa;
    let cert = leaf.signed_by(&key, &issuer).expect("leaf cert");
    (ca_cert.pem(), cert.pem(), key.serialize_pem())
}

fn client(ca_pem: Option<&str>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .use_rustls_tls();
    if let Some(pem) = ca_pem {
        builder =
            builder.add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap());
    }
    builder.build().expect("client")
}

#[tokio::test]
async fn serves_https_with_the_callers_certificate() {
    let (ca, cert, key) = pki();
    let server = MockServer::start_tls(&cert, &key);
    assert!(server.is_tls());
    assert!(server.url().starts_with("https://127.0.0.1:"));
    let port = server.addr().port();

    let trusted = client(Some(&ca));
    for base in [server.url(), format!("https://localhost:{port}")] {
        let r = trusted
            .get(format!("{base}{BALANCE}"))
            .send()
            .await
            .expect("https request");
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.json::<serde_json::Value>().await.unwrap(),
            serde_json::json!({"balance": "25"})
        );
    }
    assert_eq!(server.request_count("GET", BALANCE), 2);

    // Faults apply behind TLS as well.
    server.add_fault(FaultRule::new("GET", BALANCE, Fault::drop_connection()).times(1));
    let err = trusted
        .get(format!("{}{BALANCE}", server.url()))
        .send()
        .await
        .expect_err("dropped");
    assert!(!err.is_connect(), "the request was sent: {err}");
    assert_eq!(server.request_count("GET", BALANCE), 3);

    // A client that does not trust the CA fails the handshake; no request is counted, and the
    // server keeps serving.
    let err = client(None)
        .get(format!("{}{BALANCE}", server.url()))
        .send()
        .await
        .expect_err("untrusted");
    assert!(err.is_connect(), "{err}");
    let plain = client(None)
        .get(format!("http://127.0.0.1:{port}{BALANCE}"))
        .send()
        .await;
    assert!(plain.is_err(), "plain HTTP is not served on a TLS port");
    assert_eq!(server.request_count("GET", BALANCE), 3);
    let r = trusted
        .get(format!("{}{BALANCE}", server.url()))
        .send()
        .await
        .expect("still serving");
    assert_eq!(r.status(), 200);
}

#[test]
fn unusable_pem_is_invalid_input() {
    let (_, cert, key) = pki();
    for (cert, key) in [
        ("not a pem", key.as_str()),
        (cert.as_str(), "not a key"),
        (key.as_str(), key.as_str()),
    ] {
        let err = MockServer::try_start_tls_with(Mock::new(), cert, key).expect_err("refused");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{err}");
    }
}
