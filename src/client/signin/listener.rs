//! The loopback listener (RFC 8252 §7.3): the one place a browser talks to the game.
//!
//! It is an attack surface, so it is narrow:
//! * bound to `127.0.0.1` on an ephemeral port — never `localhost` (which may resolve elsewhere),
//!   never another interface;
//! * every path starts with a 256-bit secret: anything else is 404 and never reaches a flow;
//! * `Host` must be `127.0.0.1:{port}` (a page that rebinds its own DNS name to 127.0.0.1 sends
//!   its name), an `Origin` a browser sends must be the listener's own, and a POST must come
//!   from the listener's own page (`Origin`, `Referer` when sent) as JSON — which a page of
//!   another origin cannot send without a CORS preflight the listener never answers;
//! * bounded requests (`http.rs`), at most [`MAX_CONNECTIONS`] being read at once, each within
//!   [`READ_TIMEOUT`] (a connection that sends nothing, as a browser's speculative preconnect
//!   does, or a slow-loris, never holds up the others);
//! * it lives inside the sign-in's task: when that task ends or is aborted (success, failure,
//!   cancel, shutdown, deadline) the socket and every connection close with it.
//!
//! The flows see only well-formed requests under the secret, as [`Incoming`], and answer each.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::net::{TcpListener, TcpStream};

use super::http::{read_request, write_reply, Method, Reply, Request, Unreadable};
use super::secret::Secret;
use crate::client::{Error, ErrorKind};

/// Most connections being read at once; more are closed as they arrive.
pub(crate) const MAX_CONNECTIONS: usize = 16;
/// How long a connection may take to send its whole request.
pub(crate) const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long writing an answer may take (loopback: a client that does not read is dropped).
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

type Reading = Pin<Box<dyn Future<Output = (TcpStream, Result<Request, Unreadable>)> + Send>>;

/// A bound listener.
pub(crate) struct Listener {
    socket: TcpListener,
    secret: Secret,
    /// `127.0.0.1:{port}`, what `Host` must say.
    host: String,
    /// `http://127.0.0.1:{port}`, the listener's own origin.
    origin: String,
    reading: FuturesUnordered<Reading>,
    read_timeout: Duration,
}

/// A request under the secret that passed every check, with its connection to answer on.
pub(crate) struct Incoming {
    pub method: Method,
    /// The path after the secret (`/callback`, `/`, `/address`).
    pub path: String,
    /// The query, without `?`.
    pub query: Option<String>,
    pub body: Vec<u8>,
    stream: TcpStream,
}

impl Incoming {
    /// Answers and closes the connection (a failure only loses this answer).
    pub(crate) async fn answer(mut self, reply: Reply) {
        answer(&mut self.stream, &reply).await;
    }

    /// Answers the sign-in's last request without waiting for the browser to take the page: a
    /// login that took effect leaves its task nothing to await (cancel and shutdown then wait
    /// for it), and the page is bounded by the write timeout on its own.
    pub(crate) fn answer_last(self, reply: Reply) {
        tokio::spawn(self.answer(reply));
    }
}

async fn answer(stream: &mut TcpStream, reply: &Reply) {
    if tokio::time::timeout(WRITE_TIMEOUT, write_reply(stream, reply))
        .await
        .is_err()
    {
        log::debug!(target: "xerial::signin", "a browser connection did not take its answer");
    }
}

impl Listener {
    /// Binds `127.0.0.1:0` with a fresh path secret.
    pub(crate) async fn bind() -> Result<Listener, Error> {
        Listener::bind_with(READ_TIMEOUT).await
    }

    pub(crate) async fn bind_with(read_timeout: Duration) -> Result<Listener, Error> {
        let socket = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .map_err(|e| {
                Error::new(
                    ErrorKind::Unavailable,
                    format!("cannot listen on 127.0.0.1 for the browser's answer: {e}"),
                )
            })?;
        let port = socket
            .local_addr()
            .map_err(|e| Error::new(ErrorKind::Unavailable, format!("no local address: {e}")))?
            .port();
        log::debug!(target: "xerial::signin", "listening on 127.0.0.1:{port}");
        Ok(Listener {
            socket,
            secret: Secret::random()?,
            host: format!("127.0.0.1:{port}"),
            origin: format!("http://127.0.0.1:{port}"),
            reading: FuturesUnordered::new(),
            read_timeout,
        })
    }

    /// The absolute URL of `path` (which starts with `/`) under the secret.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/{}{path}", self.origin, self.secret.as_str())
    }

    /// The absolute URL a request was made to.
    pub(crate) fn url_of(&self, incoming: &Incoming) -> String {
        match &incoming.query {
            Some(query) => format!("{}?{query}", self.url(&incoming.path)),
            None => self.url(&incoming.path),
        }
    }

    /// The port, for tests that knock on it.
    #[cfg(test)]
    pub(crate) fn port(&self) -> u16 {
        self.socket.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The next request a flow must answer. Everything else (no secret, foreign origin, bad or
    /// oversized requests) is answered here and never surfaces. Cancel-safe: connections being
    /// read stay in the listener.
    pub(crate) async fn next(&mut self) -> Incoming {
        loop {
            tokio::select! {
                accepted = self.socket.accept() => match accepted {
                    Ok((stream, _)) if self.reading.len() < MAX_CONNECTIONS => {
                        let timeout = self.read_timeout;
                        self.reading.push(Box::pin(read_within(stream, timeout)));
                    }
                    Ok((stream, _)) => drop(stream),
                    // Out of descriptors, say: wait a little rather than spin.
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                },
                Some((mut stream, read)) = self.reading.next(), if !self.reading.is_empty() => {
                    let refusal = match read {
                        Ok(request) => match self.admit(request) {
                            Ok((method, path, query, body)) => {
                                return Incoming { method, path, query, body, stream };
                            }
                            Err(status) => status,
                        },
                        Err(Unreadable::Status(status)) => status,
                        Err(Unreadable::Gone) => continue,
                    };
                    answer(&mut stream, &Reply::status(refusal)).await;
                }
            }
        }
    }

    /// Applies the checks of the module comment; the parts of an admitted request, or the status
    /// that refuses it.
    #[allow(clippy::type_complexity)]
    fn admit(&self, request: Request) -> Result<(Method, String, Option<String>, Vec<u8>), u16> {
        let refuse = |status: u16, why: &str| {
            log::debug!(target: "xerial::signin", "refused a browser request: {why}");
            Err(status)
        };
        if !request
            .host
            .as_deref()
            .is_some_and(|host| host.eq_ignore_ascii_case(&self.host))
        {
            return refuse(400, "Host is not 127.0.0.1:port");
        }
        if request.origin.as_deref().is_some_and(|o| o != self.origin) {
            return refuse(403, "another origin");
        }
        let method = request.method();
        if method == Method::Post {
            let own_page = request.origin.is_some()
                && request.referer.as_deref().is_none_or(|referer| {
                    referer
                        .strip_prefix(&self.origin)
                        .is_some_and(|rest| rest.starts_with('/'))
                });
            if !own_page {
                return refuse(403, "a POST not from the listener's page");
            }
            let json = request.content_type.as_deref().is_some_and(|t| {
                t.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
            if !json {
                return refuse(415, "a POST that is not JSON");
            }
        }
        let (path, query) = match request.target.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (request.target.as_str(), None),
        };
        let Some(rest) = path.strip_prefix('/') else {
            return refuse(404, "not a path");
        };
        let (first, after) = match rest.find('/') {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        if !self.secret.is(first) || after.is_empty() {
            return refuse(404, "no secret");
        }
        let path = after.to_owned();
        Ok((method, path, query, request.body))
    }
}

async fn read_within(
    mut stream: TcpStream,
    timeout: Duration,
) -> (TcpStream, Result<Request, Unreadable>) {
    let read = match tokio::time::timeout(timeout, read_request(&mut stream)).await {
        Ok(read) => read,
        Err(_) => Err(Unreadable::Gone),
    };
    (stream, read)
}

#[cfg(test)]
#[path = "listener_tests.rs"]
mod tests;
