//! The HTTP surface: Xerial's API routes plus the `/_mock/` admin API, in one axum
//! [`Router`], and the request conventions they share.
//!
//! Xerial's backend is node-express-boilerplate (API reference §2.1, inferred), so the
//! conventions here copy it: handled errors are `{"code": <status>, "message": "…"}`,
//! request bodies are validated Joi-style (`"refreshToken" is required`), a body that
//! is missing or not JSON behaves like express's `req.body = {}`, and authentication
//! runs before validation, which runs before any lookup.
//!
//! Wallet-API routes live under `/api` (Xerial's wallet base URL ends in `/api`);
//! marketplace routes (`/collections`, `/marketplace/…`) live at the root, so one
//! server URL is both the wallet host and the marketplace host (the docs' API base, which
//! Xerial's JS wallet-sdk uses, is `{url}/api`).

pub mod auth;
mod extract;
pub mod login_attempt;
pub mod marketplace;
pub mod oauth;
pub mod transactions;
pub mod users;
pub mod wallet;

use axum::Router;

pub use crate::error::ApiError;
pub use extract::{chain, Bearer, JsonBody};

use crate::{admin, cors, Mock};

/// Builds the router for `mock`: API routes, admin routes, and a JSON 404 fallback.
pub fn router(mock: Mock) -> Router {
    Router::new()
        .merge(auth::routes())
        .merge(login_attempt::routes())
        .merge(users::routes())
        .merge(wallet::routes())
        .merge(transactions::routes())
        .merge(marketplace::routes())
        .merge(oauth::routes())
        .merge(admin::routes())
        .fallback(not_found)
        // Express answers an unrouted method with 404, not 405.
        .method_not_allowed_fallback(not_found)
        // Preflights before routing, on every path (express's `app.use(cors())`).
        .layer(axum::middleware::from_fn(cors::preflight))
        .with_state(mock)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}
