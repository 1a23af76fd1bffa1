//! [`Mock`]: the shared handle to everything a running server holds.
//!
//! It is a cheap `Clone` (an `Arc`) so the accept loop, every connection, the admin
//! routes and [`crate::MockServer`]'s synchronous helpers all see the same state. The
//! locks are plain `std::sync::Mutex`es held for microseconds and never across an
//! `.await`, so the helpers can be called from sync tests and async code alike.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::amount;
use crate::faults::{Fault, FaultRule, FaultSet};
use crate::fixture::{BalanceSeed, Fixture, DEMO_USER_ID};
use crate::store::sessions::{DEFAULT_ACCESS_TTL_SECS, DEFAULT_REFRESH_TTL_SECS};
use crate::store::Chain;
use crate::store::Store;

/// Options for minting a session through the admin API (`POST /_mock/sessions`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionOptions {
    /// Owner; defaults to the demo player.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Access-token lifetime in seconds (0 or negative mints an expired token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_ttl_secs: Option<i64>,
    /// Refresh-token lifetime in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_ttl_secs: Option<i64>,
}

/// How often one `method path` was requested.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCount {
    /// HTTP method, upper case as received.
    pub method: String,
    /// Path without query string.
    pub path: String,
    /// Number of requests seen since the last reset.
    pub count: u64,
}

/// Shared handle to the mock's state, fault rules and request log.
#[derive(Clone, Debug)]
pub struct Mock {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    store: Mutex<Store>,
    // The seed `reset` returns to; validated once at construction.
    seed: Fixture,
    faults: Mutex<FaultSet>,
    requests: Mutex<BTreeMap<(String, String), u64>>,
    // Connection tasks that panicked; `MockServer`'s Drop asserts this is zero so a
    // handler bug fails the test instead of looking like a network error.
    panics: AtomicUsize,
    verbose: AtomicBool,
    // `http(s)://HOST:PORT` the server is reached at (set when it starts serving): the
    // offline Google's issuer.
    public_url: Mutex<Option<String>>,
}

// A poisoned lock only means another request panicked mid-update; the mock keeps
// serving (and the panic is counted) rather than cascading panics into every test.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Default for Mock {
    fn default() -> Mock {
        Mock::new()
    }
}

impl Mock {
    /// A mock seeded with the built-in default fixture.
    pub fn new() -> Mock {
        match Mock::from_fixture(Fixture::default()) {
            Ok(m) => m,
            // The default fixture is covered by tests; an empty store is the safe fallback.
            Err(_) => Mock::build(Store::default(), Fixture::default()),
        }
    }

    /// A mock seeded from `fixture`; fails if the fixture is inconsistent.
    pub fn from_fixture(fixture: Fixture) -> Result<Mock, String> {
        let store = Store::from_fixture(&fixture)?;
        Ok(Mock::build(store, fixture))
    }

    fn build(store: Store, seed: Fixture) -> Mock {
        Mock {
            shared: Arc::new(Shared {
                store: Mutex::new(store),
                seed,
                faults: Mutex::new(FaultSet::default()),
                requests: Mutex::new(BTreeMap::new()),
                panics: AtomicUsize::new(0),
                verbose: AtomicBool::new(false),
                public_url: Mutex::new(None),
            }),
        }
    }

    /// Turns logging of each request to stderr on or off (the binary's `--verbose`).
    pub fn set_verbose(&self, on: bool) {
        self.shared.verbose.store(on, Ordering::Relaxed);
    }

    pub(crate) fn is_verbose(&self) -> bool {
        self.shared.verbose.load(Ordering::Relaxed)
    }

    /// Records the URL the server is reached at (the accept loop does, on start).
    pub(crate) fn set_public_url(&self, url: String) {
        *lock(&self.shared.public_url) = Some(url);
    }

    /// The offline Google's issuer (`iss` of its ID tokens): the server's own URL,
    /// `http://127.0.0.1:PORT`.
    pub fn issuer(&self) -> String {
        lock(&self.shared.public_url)
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1".to_owned())
    }

    /// How long authorization codes issued by the offline Google stay redeemable (default
    /// 120 s; 0 makes every code already expired, for tests). Reset restores the default.
    pub fn set_oauth_code_ttl_secs(&self, secs: i64) {
        self.store().oauth.set_code_ttl_secs(secs);
    }

    /// Locks the domain state. Do not hold the guard across an `.await`.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.shared.store)
    }

    /// Mints a live session and returns Xerial's token-pair JSON.
    pub fn create_session(&self, opts: &SessionOptions) -> Value {
        let user = opts.user_id.as_deref().unwrap_or(DEMO_USER_ID);
        let mut store = self.store();
        store.ensure_user(user);
        store
            .sessions
            .issue(
                user,
                opts.access_ttl_secs.unwrap_or(DEFAULT_ACCESS_TTL_SECS),
                opts.refresh_ttl_secs.unwrap_or(DEFAULT_REFRESH_TTL_SECS),
            )
            .to_json()
    }

    /// Sets balances of one address on one chain: `native` replaces the native balance
    /// when given; each entry of `tokens` replaces that token's balance.
    pub fn set_balance(&self, seed: &BalanceSeed) -> Result<(), String> {
        let chain = Chain::parse(&seed.chain).ok_or("\"chain\" must be one of [polygon, telos]")?;
        let native = match &seed.native {
            Some(v) => Some(amount::parse(v).ok_or("\"native\" must be a non-negative amount")?),
            None => None,
        };
        let mut tokens = Vec::new();
        for (symbol, v) in &seed.tokens {
            let wei = amount::parse(v)
                .ok_or_else(|| format!("\"tokens.{symbol}\" must be a non-negative amount"))?;
            tokens.push((symbol.clone(), wei));
        }
        let mut store = self.store();
        let holder = store.accounts.holder(&seed.address);
        let balance = store.market.balance_mut(&holder, chain);
        if let Some(n) = native {
            balance.native = n;
        }
        balance.tokens.extend(tokens);
        Ok(())
    }

    /// Every transaction answered so far: `{transactionHash, kind, chain, from, details}`.
    pub fn transactions(&self) -> Vec<Value> {
        self.store().transactions.clone()
    }

    /// The login attempts Xerial's hosted page set a session on (#22), oldest first:
    /// `{"id","accessToken","refreshToken","userId","setAt"}`.
    pub fn login_attempts(&self) -> Vec<Value> {
        self.store()
            .login_attempts
            .all()
            .map(|a| a.to_json())
            .collect()
    }

    /// One login attempt (as in [`Mock::login_attempts`]), if a session was set on it.
    pub fn login_attempt(&self, id: &str) -> Option<Value> {
        self.store().login_attempts.get(id).map(|a| a.to_json())
    }

    /// Adds a fault rule after validating it.
    pub fn add_fault(&self, rule: FaultRule) -> Result<(), String> {
        rule.validate()?;
        lock(&self.shared.faults).add(rule);
        Ok(())
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The active fault rules.
    pub fn faults(&self) -> Vec<FaultRule> {
        lock(&self.shared.faults).rules()
    }

    /// Counts a request and returns the fault to apply to it, if any.
    pub(crate) fn observe(&self, method: &str, path: &str) -> Option<Fault> {
        *lock(&self.shared.requests)
            .entry((method.to_owned(), path.to_owned()))
            .or_insert(0) += 1;
        lock(&self.shared.faults).take(method, path)
    }

    /// How many `method path` requests arrived (method case-insensitive, exact path).
    pub fn request_count(&self, method: &str, path: &str) -> u64 {
        lock(&self.shared.requests)
            .iter()
            .filter(|((m, p), _)| m.eq_ignore_ascii_case(method) && p == path)
            .map(|(_, n)| *n)
            .sum()
    }

    /// Every `method path` seen, with counts, sorted by path then method.
    pub fn requests(&self) -> Vec<RequestCount> {
        let mut out: Vec<RequestCount> = lock(&self.shared.requests)
            .iter()
            .map(|((method, path), count)| RequestCount {
                method: method.clone(),
                path: path.clone(),
                count: *count,
            })
            .collect();
        out.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        out
    }

    /// Zeroes the request counters.
    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Clears faults and counters and puts the state back to the seed.
    pub fn reset(&self) {
        self.clear_faults();
        self.clear_requests();
        let fresh = Store::from_fixture(&self.shared.seed).unwrap_or_default();
        *self.store() = fresh;
    }

    /// How many connection tasks panicked (a mock bug; should stay zero).
    pub fn panics(&self) -> usize {
        self.shared.panics.load(Ordering::Relaxed)
    }

    pub(crate) fn record_panic(&self) {
        self.shared.panics.fetch_add(1, Ordering::Relaxed);
    }
}
