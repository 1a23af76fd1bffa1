//! The pure-Rust Xerial client: configuration, HTTP, session, typed models and errors.
//!
//! Nothing here knows about C. The FFI shell (`crate::ffi`) converts arguments, calls a
//! [`Client`] method to get a future, and runs it on the SDK's runtime; Rust programs can use
//! the client directly on any tokio runtime.

mod auth;
mod call;
pub mod clock;
mod config;
pub mod endpoint;
mod error;
mod error_answer;
mod hooks;
mod market;
pub mod models;
mod raw;
mod refresh;
mod session;
mod signin;
mod store;
pub(crate) mod sync;
mod time;
mod tokens;
mod transport;
mod tx;
mod validate;
mod wallet;

use std::sync::Arc;

pub use clock::{Clock, PolledTimers};
pub use config::{ClientConfig, GOOGLE_AUTHORIZE_URL, GOOGLE_TOKEN_URL, PRODUCTION_URL};
pub use error::{Error, ErrorKind};
pub use hooks::{observe, CallHooks};
pub(crate) use raw::request_endpoint;
pub use raw::RawJson;
pub use refresh::REFRESH_MARGIN;
pub use session::{AuthObserver, SessionStore, Token, TokenPair, CLOSE_WAIT, LOAD_WAIT};
pub use signin::{
    default_opener, OpenUrl, SignIn, SignInFuture, SignInMethod, SignInOptions,
    DEFAULT_SIGN_IN_TIMEOUT,
};
pub use store::{Background, HostStore, HostStoreRef, SessionStoreKind, Spawn, Work};
pub use transport::{HostExchanges, HostRequest, HostTransport, Io, MAX_BODY_BYTES};
pub(crate) use validate::utf8;

use refresh::Refresher;
use transport::Transport;

/// A successful answer: its HTTP status and the decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<T> {
    /// The 2xx status the server sent.
    pub status: u16,
    /// The typed model of the body.
    pub value: T,
}

/// The answer of an endpoint documented as `204 No Content`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoContent;

/// An async Xerial client. Cheap to clone: clones share one connection pool and one session.
///
/// Every method validates and prepares synchronously, then returns a `'static` future that does
/// the network part, so a caller may spawn it anywhere.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    transport: Transport,
    session: SessionStore,
    refresher: Refresher,
    config: ClientConfig,
}

impl Client {
    /// Validates `config` (URL rules of the ABI) and builds the built-in HTTP client (reqwest +
    /// rustls, on the tokio runtime the futures will run on); opens the session store
    /// (`session_store`) and loads what it holds (the OS's store: waited for at most
    /// [`LOAD_WAIT`]).
    #[cfg(not(target_os = "emscripten"))]
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        Client::with_io(config, Io::BuiltIn, Background::current())
    }

    /// As [`Client::new`], reaching the network and keeping time as `io` says (a host
    /// transport, timers advanced by the host), and running the protected session store's
    /// calls as `background` says (on the runtime's threads, or inside the host's poll).
    pub fn with_io(config: ClientConfig, io: Io, background: Background) -> Result<Client, Error> {
        let transport = Transport::new(&config, io)?;
        config::check_oauth_urls(&config)?;
        let session = SessionStore::open(store::plan(&config, background)?);
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                session,
                refresher: Refresher::default(),
                config,
            }),
        })
    }

    /// The open exchanges with the host transport (for its answers), when the client has one.
    pub fn host_exchanges(&self) -> Option<&HostExchanges> {
        self.inner.transport.host_exchanges()
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The player's session.
    pub fn session(&self) -> &SessionStore {
        &self.inner.session
    }
}
