//! [`MockServer`]: a mock on its own thread and runtime, for tests and demos.
//!
//! The server gets a dedicated OS thread with a current-thread tokio runtime, so it
//! works the same from a plain `#[test]`, a synchronous `main`, or inside another
//! runtime (no "cannot start a runtime from within a runtime" and no dependence on the
//! caller's executor making progress). The helpers talk to the shared [`Mock`] state
//! directly under short locks, so they are synchronous and never block on the server.

use std::io;
use std::net::SocketAddr;
use std::thread::JoinHandle;

use serde_json::Value;
use tokio::sync::oneshot;

use crate::faults::FaultRule;
use crate::state::{Mock, RequestCount, SessionOptions};
use crate::tls::{self, TlsAcceptor};

/// A running mock server on `127.0.0.1:<random port>`; dropping it stops the server.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    tls: bool,
    mock: Mock,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server with the default seed. Panics if it cannot (a test setup error).
    pub fn start() -> MockServer {
        MockServer::start_with(Mock::new())
    }

    /// Starts a server for `mock` (for example one built from a fixture).
    /// Panics if it cannot bind or build its runtime.
    pub fn start_with(mock: Mock) -> MockServer {
        match MockServer::try_start_with(mock) {
            Ok(server) => server,
            Err(e) => panic!("xerial-mock: cannot start the mock server: {e}"),
        }
    }

    /// Starts a server for `mock`, reporting bind/runtime failures.
    ///
    /// The port is bound before this returns, so the URL is usable immediately:
    /// connections made before the accept loop runs wait in the listen backlog.
    pub fn try_start_with(mock: Mock) -> io::Result<MockServer> {
        MockServer::spawn(mock, None)
    }

    /// Starts a server with the default seed that speaks HTTPS only, presenting the PEM
    /// certificate chain `cert_chain_pem` (leaf first) with its PEM private key `key_pem`.
    /// [`url`](MockServer::url) is then `https://127.0.0.1:PORT`; a client reaching it by name
    /// uses `https://localhost:PORT`, and the certificate decides which of them verify.
    /// Panics if the PEM is unusable or the server cannot start (a test setup error).
    pub fn start_tls(cert_chain_pem: &str, key_pem: &str) -> MockServer {
        match MockServer::try_start_tls_with(Mock::new(), cert_chain_pem, key_pem) {
            Ok(server) => server,
            Err(e) => panic!("xerial-mock: cannot start the TLS mock server: {e}"),
        }
    }

    /// [`start_tls`](MockServer::start_tls) for `mock`, reporting unusable PEM
    /// (`InvalidInput`) and bind/runtime failures.
    pub fn try_start_tls_with(
        mock: Mock,
        cert_chain_pem: &str,
        key_pem: &str,
    ) -> io::Result<MockServer> {
        let acceptor = tls::acceptor(cert_chain_pem, key_pem)?;
        MockServer::spawn(mock, Some(acceptor))
    }

    fn spawn(mock: Mock, tls: Option<TlsAcceptor>) -> io::Result<MockServer> {
        let is_tls = tls.is_some();
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let server_mock = mock.clone();
        let thread = std::thread::Builder::new()
            .name(format!("xerial-mock-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            let shutdown = async {
                                // A dropped sender (MockServer leaked into a panic) also stops.
                                let _ = stopped.await;
                            };
                            match tls {
                                Some(acceptor) => {
                                    crate::run_tls(listener, server_mock, acceptor, shutdown).await;
                                }
                                None => crate::run(listener, server_mock, shutdown).await,
                            }
                        }
                        Err(e) => eprintln!("xerial-mock: cannot register listener: {e}"),
                    }
                });
            })?;
        Ok(MockServer {
            addr,
            tls: is_tls,
            mock,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://…` for a TLS server), no trailing slash. API routes
    /// live under `/api`, the marketplace routes at the root, so this is both the wallet and
    /// marketplace base.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Whether this server speaks HTTPS ([`start_tls`](MockServer::start_tls)).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state, for anything the helpers below do not cover.
    pub fn mock(&self) -> &Mock {
        &self.mock
    }

    /// Mints a live session for the demo player; returns Xerial's token-pair JSON.
    pub fn create_session(&self) -> Value {
        self.mock.create_session(&SessionOptions::default())
    }

    /// Mints a live session with a chosen user and lifetimes.
    pub fn create_session_with(&self, opts: &SessionOptions) -> Value {
        self.mock.create_session(opts)
    }

    /// Adds a fault rule. Panics if the rule is invalid (a test bug); use
    /// [`Mock::add_fault`] through [`MockServer::mock`] to get the error instead.
    pub fn add_fault(&self, rule: FaultRule) {
        if let Err(e) = self.mock.add_fault(rule) {
            panic!("xerial-mock: invalid fault rule: {e}");
        }
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.mock.clear_faults();
    }

    /// How many `method path` requests the server has received (faulted ones
    /// included, admin calls excluded) since the last reset.
    pub fn request_count(&self, method: &str, path: &str) -> u64 {
        self.mock.request_count(method, path)
    }

    /// Every `method path` seen, with counts.
    pub fn requests(&self) -> Vec<RequestCount> {
        self.mock.requests()
    }

    /// Zeroes the request counters.
    pub fn clear_requests(&self) {
        self.mock.clear_requests();
    }

    /// Every transaction the server answered (`{transactionHash, kind, chain, from, details}`).
    pub fn transactions(&self) -> Vec<Value> {
        self.mock.transactions()
    }

    /// Clears faults and counters and puts the state back to the seed.
    pub fn reset(&self) {
        self.mock.reset();
    }
}

impl Drop for MockServer {
    /// Stops the server and joins its thread. Panics (unless already panicking) if the
    /// server thread or any connection task panicked, so mock bugs fail the test.
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let joined = self.thread.take().map(JoinHandle::join);
        if std::thread::panicking() {
            return;
        }
        if let Some(Err(_)) = joined {
            panic!("xerial-mock: the server thread panicked");
        }
        let panics = self.mock.panics();
        if panics > 0 {
            panic!("xerial-mock: {panics} connection task(s) panicked while serving");
        }
    }
}
