//! The accept loop: one hyper HTTP/1.1 connection task per client, faults first.
//!
//! The server is not `axum::serve` because fault injection needs control below the
//! router: to close a connection without a response byte, hyper's service must return
//! `Err`, which `axum::serve` never does. Each request is counted, checked against the
//! fault rules, and only then (if at all) handed to the axum router. [`run_tls`] is the same
//! loop with a TLS handshake in front of each connection.

use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinError, JoinSet};

use crate::inject::{self, Dropped};
use crate::tls::TlsAcceptor;
use crate::{cors, routes, Mock};

/// How long in-flight requests get to finish after shutdown before being cut off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);
/// How long a client gets to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `mock` on `listener` until `shutdown` completes.
///
/// Shaped like mini-redis's `server::run`: the caller binds (so tests can use port 0
/// and learn the address first) and decides when to stop. On shutdown the listener
/// closes, idle keep-alive connections close, in-flight requests get a short grace
/// period (hanging ones are released at once), then everything left is aborted.
pub async fn run(listener: TcpListener, mock: Mock, shutdown: impl Future<Output = ()>) {
    run_with(listener, mock, None, shutdown).await;
}

/// [`run`] over TLS: every connection first completes a handshake with `acceptor` (built by
/// [`crate::tls::acceptor`]); one that fails (the client rejected the certificate) is closed and
/// counts no request. Faults, counters and routes are the same.
pub async fn run_tls(
    listener: TcpListener,
    mock: Mock,
    acceptor: TlsAcceptor,
    shutdown: impl Future<Output = ()>,
) {
    run_with(listener, mock, Some(acceptor), shutdown).await;
}

async fn run_with(
    listener: TcpListener,
    mock: Mock,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    if let Ok(addr) = listener.local_addr() {
        mock.set_public_url(public_url(addr, tls.is_some()));
    }
    let router = routes::router(mock.clone());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(done) = conns.join_next(), if !conns.is_empty() => reap(&mock, done),
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let conn = connection(
                        stream,
                        tls.clone(),
                        mock.clone(),
                        router.clone(),
                        stop_rx.clone(),
                    );
                    conns.spawn(conn);
                }
                Err(e) => {
                    // Usually EMFILE: back off instead of spinning; the loop survives.
                    if mock.is_verbose() {
                        eprintln!("xerial-mock: accept failed: {e}");
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while let Some(done) = conns.join_next().await {
            reap(&mock, done);
        }
    })
    .await;
    if drained.is_err() {
        conns.shutdown().await;
    }
}

/// The URL a client on this machine reaches a server bound to `addr` at: a wildcard bind
/// (`0.0.0.0`, `::`) is reached through loopback.
pub fn public_url(addr: SocketAddr, tls: bool) -> String {
    let mut reach = addr;
    if reach.ip().is_unspecified() {
        reach.set_ip(match addr {
            SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("{}://{reach}", if tls { "https" } else { "http" })
}

fn reap(mock: &Mock, done: Result<(), JoinError>) {
    if let Err(e) = done {
        if e.is_panic() {
            mock.record_panic();
            eprintln!("xerial-mock: a connection task panicked: {e}");
        }
    }
}

/// One accepted connection: the TLS handshake when serving TLS, then HTTP/1.1.
async fn connection(
    stream: TcpStream,
    tls: Option<TlsAcceptor>,
    mock: Mock,
    router: Router,
    stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let Some(acceptor) = tls else {
        return serve(stream, mock, router, stop).await;
    };
    let mut stop_handshake = stop.clone();
    let handshake = tokio::select! {
        done = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)) => done,
        () = stopping(&mut stop_handshake) => return,
    };
    match handshake {
        Ok(Ok(stream)) => serve(stream, mock, router, stop).await,
        Ok(Err(e)) if mock.is_verbose() => eprintln!("xerial-mock: TLS handshake failed: {e}"),
        Err(_) if mock.is_verbose() => eprintln!("xerial-mock: TLS handshake timed out"),
        _ => {}
    }
}

/// Drives one HTTP/1.1 connection until the client closes it or shutdown is signalled.
async fn serve<S>(stream: S, mock: Mock, router: Router, mut stop: watch::Receiver<bool>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let stop_for_requests = stop.clone();
    let service = service_fn(move |req: Request<Incoming>| {
        let (mock, router, stop) = (mock.clone(), router.clone(), stop_for_requests.clone());
        async move { handle(req, mock, router, stop).await }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = stopping(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Completes once shutdown has been signalled (or the signal's sender is gone).
pub(crate) async fn stopping(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`; drop it before anything else awaits.
    let _ = stop.wait_for(|stopping| *stopping).await;
}

/// One request: admin paths go straight to the router; everything else is counted,
/// then either faulted or routed.
async fn handle(
    req: Request<Incoming>,
    mock: Mock,
    router: Router,
    stop: watch::Receiver<bool>,
) -> Result<Response<Body>, Dropped> {
    let req = req.map(Body::new);
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let is_admin = path == "/_mock" || path.starts_with("/_mock/");
    let fault = if is_admin {
        None
    } else {
        mock.observe(&method, &path)
    };
    let label = fault.as_ref().map(|f| format!(" [fault {:?}]", f.kind));
    let result = match fault {
        None => Ok(inject::call(&router, req).await),
        Some(fault) => inject::apply(fault, req, &router, stop).await,
    }
    .map(cors::allow_any_origin);
    if mock.is_verbose() {
        let outcome = match &result {
            Ok(resp) => resp.status().as_u16().to_string(),
            Err(_) => "connection closed".to_owned(),
        };
        eprintln!("{method} {path} -> {outcome}{}", label.unwrap_or_default());
    }
    result
}
