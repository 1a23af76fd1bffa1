//! TLS for the mock: the same accept loop and faults, behind a certificate the caller gives.
//!
//! The mock makes no certificates itself: a test makes a CA and a leaf at test time (e.g. with
//! `rcgen`) and passes the leaf's chain and key as PEM. The handshake runs in the connection's
//! own task, so a client that rejects the certificate (or never finishes the handshake) only
//! ends its own connection. Crypto is rustls with *ring*, as in the SDK.

use std::io;
use std::sync::Arc;

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub use tokio_rustls::TlsAcceptor;

/// Builds a TLS acceptor from a PEM certificate chain (leaf first) and its PEM private key
/// (PKCS#8, PKCS#1 or SEC1). Offers ALPN `http/1.1`, TLS 1.2 and 1.3.
pub fn acceptor(cert_chain_pem: &str, key_pem: &str) -> io::Result<TlsAcceptor> {
    let certs = CertificateDer::pem_slice_iter(cert_chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("certificate PEM: {e}")))?;
    if certs.is_empty() {
        return Err(invalid("certificate PEM: no CERTIFICATE block".to_owned()));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| invalid(format!("private key PEM: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS versions: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| invalid(format!("certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}
