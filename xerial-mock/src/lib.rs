//! An offline, stateful stand-in for Xerial's HTTP API, with fault injection.
//!
//! Written from the public API reference (`xerial-api.md`), independently of the SDK:
//! it shares no models or paths with the client, so a wrong field name or path in the
//! SDK shows up as a failing test here instead of being mirrored. It serves the SDK's
//! tests, its demo, and game developers working without network access.
//!
//! # Using it from Rust
//!
//! ```no_run
//! use xerial_mock::{Fault, FaultRule, MockServer};
//!
//! let server = MockServer::start();              // own thread + runtime, 127.0.0.1:0
//! let tokens = server.create_session();          // {"access":{…},"refresh":{…}}
//! server.add_fault(FaultRule::new("POST", "/api/auth/logout", Fault::status(503)).times(1));
//! // … configure the SDK with base_url = marketplace_url = server.url() (the host: the
//! //   SDK appends /api/… itself); a client using the docs' paths (/user, /auth/…), like
//! //   Xerial's JS wallet-sdk, takes format!("{}/api", server.url()) …
//! assert_eq!(server.request_count("POST", "/api/auth/logout"), 0);
//! # drop(tokens);
//! ```
//!
//! Or, mini-redis style, inside your own runtime: bind a [`tokio::net::TcpListener`]
//! and `tokio::spawn(xerial_mock::run(listener, Mock::new(), shutdown_future))`.
//!
//! # Layout
//!
//! - [`server`]: the accept loop ([`run`]); counts each request and applies faults
//!   before handing it to the router.
//! - [`routes`]: Xerial's API routes (`auth`, `users`, `wallet`, `transactions`,
//!   `marketplace`) and their shared bearer/validation conventions.
//! - [`admin`]: the `/_mock/` admin API used by out-of-process test drivers.
//! - [`cors`]: preflights and `Access-Control-Allow-Origin` on every answer, as express's
//!   `cors()` gives them.
//! - [`faults`]: the [`FaultRule`] type (one serde representation for HTTP and Rust);
//!   `inject` carries faults out (dropped connections, truncated and slow bodies).
//! - [`state`]: [`Mock`], the shared handle to state, rules and request counters.
//! - [`store`]: the in-memory world: sessions, accounts (users, wallets, nonces), the
//!   market (projects, collections, listings, NFTs, market items, balances) and the
//!   transactions that change it, built from a [`Fixture`].
//! - [`fixture`]: the seed format read by `--fixture` and restored by reset; the demo
//!   world is `fixtures/demo.json`.
//! - [`amount`]: exact 18-decimal money; [`error`]: the `{"code","message"}` error.
//! - [`oauth`]: Google's sign-in played offline (authorization code + PKCE, RS256 ID tokens).
//! - [`tokens`]: JWT-shaped tokens, Mongo-style ids, ISO-8601 times.
//! - [`personal_sign`]: the address behind a wallet's EIP-191 signature (wallet sign-in).
//! - [`MockServer`]: a server on its own thread, with synchronous helpers
//!   ([`MockServer::start_tls`] serves HTTPS with a certificate the caller made).
//! - [`tls`]: the rustls (*ring*) acceptor used by [`run_tls`].

#![warn(missing_docs)]

pub mod admin;
pub mod amount;
pub mod cors;
pub mod error;
pub mod faults;
pub mod fixture;
mod inject;
mod mock_server;
pub mod oauth;
pub mod personal_sign;
pub mod routes;
pub mod server;
pub mod state;
pub mod store;
pub mod tls;
pub mod tokens;

pub use error::ApiError;
pub use faults::{Fault, FaultKind, FaultRule};
pub use fixture::{Fixture, DEMO_PROJECT_ID, DEMO_USER_ID};
pub use mock_server::MockServer;
pub use server::{run, run_tls};
pub use state::{Mock, RequestCount, SessionOptions};
