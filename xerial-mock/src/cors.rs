//! CORS, answered the way Xerial's backend answers it: express's `cors()` middleware with its
//! defaults (node-express-boilerplate's `app.use(cors())`; reference §8, inferred).
//!
//! Xerial's browser SDKs call the API from game pages on other origins. So, for every path
//! (admin routes included, so a web page can drive the mock):
//! * an `OPTIONS` request is a preflight: `204` (no body), `Access-Control-Allow-Origin: *`,
//!   `Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE`, and
//!   `Access-Control-Allow-Headers` echoing the request's `Access-Control-Request-Headers`
//!   (with `Vary: Access-Control-Request-Headers`); it is counted and can be faulted like any
//!   request;
//! * every other answer, errors and injected faults included, carries
//!   `Access-Control-Allow-Origin: *`.
//!
//! As with `cors()`'s defaults: no credentials, no max-age and no exposed headers (a page reads
//! only the CORS-safelisted response headers: not `Retry-After`).

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_HEADERS, VARY,
};
use axum::http::{HeaderValue, Method, Response, StatusCode};
use axum::middleware::Next;

/// What `cors()` allows by default.
const ALLOWED_METHODS: &str = "GET,HEAD,PUT,PATCH,POST,DELETE";

/// Router middleware: answers every `OPTIONS` request as a preflight; passes the rest on.
pub async fn preflight(req: Request, next: Next) -> Response<Body> {
    if req.method() != Method::OPTIONS {
        return next.run(req).await;
    }
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    let headers = resp.headers_mut();
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOWED_METHODS),
    );
    if let Some(asked) = req.headers().get(ACCESS_CONTROL_REQUEST_HEADERS) {
        headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
        headers.insert(
            VARY,
            HeaderValue::from_static("Access-Control-Request-Headers"),
        );
    }
    resp
}

/// Lets any origin read `resp` (applied to every answer, faulted or routed).
pub fn allow_any_origin(mut resp: Response<Body>) -> Response<Body> {
    resp.headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    resp
}
