//! The core client against the offline server: the whole player journey, sessions and refresh,
//! and the never-retry rule for value-moving requests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use xerial::client::{Client, ClientConfig, ErrorKind, SessionStoreKind, TokenPair};
use xerial_mock::{Fault, FaultRule, MockServer, SessionOptions, DEMO_PROJECT_ID};

const PLAYER: &str = "0x8e9DD3c1Db3254d968967CbC367542C343273629";
const RIVAL: &str = "0x1111111111111111111111111111111111111111";
const GEAR: &str = "0xC011EC7100000000000000000000000000000001";
const REFRESH: &str = "/api/auth/refresh-tokens";

fn client_config(server: &MockServer) -> ClientConfig {
    ClientConfig {
        base_url: server.url(),
        marketplace_url: Some(server.url()),
        project_id: Some(DEMO_PROJECT_ID.to_owned()),
        timeout: Duration::from_secs(5),
        session_store: SessionStoreKind::Memory,
        ..ClientConfig::default()
    }
}

fn client(server: &MockServer) -> Client {
    Client::new(client_config(server)).expect("config")
}

fn session(server: &MockServer, access_ttl_secs: i64) -> TokenPair {
    let pair = server.create_session_with(&SessionOptions {
        access_ttl_secs: Some(access_ttl_secs),
        ..SessionOptions::default()
    });
    TokenPair::from_json(&pair.to_string()).expect("token pair")
}

fn path(address: &str, tail: &str) -> String {
    format!("/api/wallet/{address}/polygon/{tail}")
}

#[tokio::test]
async fn a_player_journey_from_login_to_logout() {
    let server = MockServer::start();
    let client = client(&server);
    let flips = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&flips);
    client.session().set_observer(Box::new(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    }));

    let login = client
        .login_google("google-ok", "client-1")
        .await
        .expect("login");
    assert!(client.session().is_logged_in());
    assert!(!login.value.access_expires().is_empty());
    assert_eq!(flips.load(Ordering::SeqCst), 1, "logged in");

    let user = client.user().await.expect("user").value;
    assert_eq!(user.wallets[0].address, PLAYER);

    let native = client
        .native_balance(PLAYER, "polygon")
        .await
        .expect("balance")
        .value;
    assert_eq!(native.balance.as_str(), "25");
    let tokens = client
        .token_balances(PLAYER, "polygon")
        .await
        .expect("tokens")
        .value;
    assert_eq!(tokens.balances["usdc"].as_str(), "100");

    let before = client
        .project_inventory(PLAYER, "polygon", None)
        .await
        .expect("inventory")
        .value;
    let listings = client
        .primary_listings(None, "polygon")
        .await
        .expect("listings")
        .value;
    assert!(listings.iter().any(|l| l.type_id.as_str() == "2"));

    let bought = client
        .primary_purchase(PLAYER, "polygon", GEAR, "2", 1)
        .await
        .expect("purchase")
        .value;
    assert!(bought.transaction_hash.starts_with("0x"));
    let native = client
        .native_balance(PLAYER, "polygon")
        .await
        .expect("balance")
        .value;
    assert_eq!(native.balance.as_str(), "24", "the price (1) was taken");
    let after = client
        .project_inventory(PLAYER, "polygon", None)
        .await
        .expect("inventory")
        .value;
    let count = |inv: &[xerial::client::models::InventoryEntry]| {
        inv.iter().map(|e| e.tokens.len()).sum::<usize>()
    };
    assert_eq!(count(&after), count(&before) + 1);

    client
        .list_nft(PLAYER, "polygon", GEAR, "1", "0.9")
        .await
        .expect("list");
    let mine = client
        .secondary_listings(None, "polygon", Some(PLAYER))
        .await
        .expect("secondary")
        .value;
    let item = mine
        .iter()
        .find(|l| l.token_id.as_str() == "1")
        .expect("listed")
        .market_item_id
        .clone();
    client
        .delist_nft(PLAYER, "polygon", item.as_str())
        .await
        .expect("delist");
    assert!(client
        .secondary_listings(None, "polygon", Some(PLAYER))
        .await
        .expect("secondary")
        .value
        .is_empty());

    client
        .transfer_nft(PLAYER, "polygon", GEAR, "1", RIVAL)
        .await
        .expect("transfer");
    let error = client
        .transfer_nft(PLAYER, "polygon", GEAR, "1", RIVAL)
        .await
        .expect_err("no longer owned");
    assert_eq!(error.kind(), ErrorKind::PreconditionFailed);
    assert_eq!(error.message(), "You Don't Have This NFT");

    client.logout(None).await.expect("logout");
    assert!(!client.session().is_logged_in());
    assert_eq!(flips.load(Ordering::SeqCst), 2, "logged out");
    assert_eq!(
        client.user().await.unwrap_err().kind(),
        ErrorKind::NotLoggedIn
    );
}

#[tokio::test]
async fn bearer_calls_refresh_an_expiring_token_first() {
    let server = MockServer::start();
    let client = client(&server);
    let expired = session(&server, 0);
    client.session().set(expired.clone());
    client.user().await.expect("user after refresh");
    assert_eq!(server.request_count("POST", REFRESH), 1);
    let now = client.session().get().expect("still logged in");
    assert_ne!(
        now.access.token, expired.access.token,
        "the new pair is installed"
    );
    client.user().await.expect("user");
    assert_eq!(
        server.request_count("POST", REFRESH),
        1,
        "a fresh token is not refreshed again"
    );
}

#[tokio::test]
async fn concurrent_calls_share_one_refresh() {
    let server = MockServer::start();
    let client = client(&server);
    client.session().set(session(&server, 0));
    server.add_fault(FaultRule::new("POST", REFRESH, Fault::delay(200)));
    let calls: Vec<_> = (0..8).map(|_| tokio::spawn(client.user())).collect();
    for call in calls {
        call.await.expect("join").expect("user");
    }
    assert_eq!(server.request_count("POST", REFRESH), 1);
}

#[tokio::test]
async fn a_401_is_refreshed_once_then_is_the_answer() {
    let server = MockServer::start();
    let client = client(&server);
    client.session().set(session(&server, 3600));
    server.add_fault(FaultRule::new("GET", "/api/user", Fault::status(401)).times(1));
    client.user().await.expect("refreshed after one 401");
    assert_eq!(server.request_count("GET", "/api/user"), 2);
    assert_eq!(server.request_count("POST", REFRESH), 1);

    server.add_fault(FaultRule::new("GET", "/api/user", Fault::status(401)).times(2));
    let error = client.user().await.expect_err("second 401");
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    assert_eq!(server.request_count("GET", "/api/user"), 4);
}

#[tokio::test]
async fn a_refused_refresh_ends_the_session() {
    let server = MockServer::start();
    let client = client(&server);
    client.session().set(session(&server, 0));
    server.add_fault(FaultRule::new(
        "POST",
        REFRESH,
        Fault::status_json(
            401,
            serde_json::json!({"code": 401, "message": "Please Authenticate"}),
        ),
    ));
    let error = client.user().await.expect_err("refresh refused");
    assert_eq!(
        (error.kind(), error.http_status()),
        (ErrorKind::NotLoggedIn, 401)
    );
    assert!(!client.session().is_logged_in());
    assert_eq!(
        server.request_count("GET", "/api/user"),
        0,
        "nothing sent without a token"
    );
}

#[tokio::test]
async fn a_purchase_whose_answer_is_lost_is_outcome_unknown_and_sent_once() {
    let server = MockServer::start();
    let client = client(&server);
    client.session().set(session(&server, 3600));
    let purchase = path(PLAYER, "primary-purchase");
    for fault in [Fault::drop_connection(), Fault::truncate()] {
        server.clear_requests();
        server.add_fault(FaultRule::new("POST", &purchase, fault).times(1));
        let error = client
            .primary_purchase(PLAYER, "polygon", GEAR, "1", 1)
            .await
            .expect_err("lost");
        assert_eq!(error.kind(), ErrorKind::OutcomeUnknown);
        assert!(!error.is_retryable());
        assert_eq!(server.request_count("POST", &purchase), 1, "never retried");
    }
    server.clear_requests();
    server.add_fault(FaultRule::new("POST", &purchase, Fault::status(503)).times(1));
    let error = client
        .primary_purchase(PLAYER, "polygon", GEAR, "1", 1)
        .await
        .expect_err("503");
    assert_eq!(error.kind(), ErrorKind::Server);
    assert!(
        !error.is_retryable(),
        "a 5xx after a purchase may have moved value"
    );
    assert_eq!(server.request_count("POST", &purchase), 1);
}

#[tokio::test]
async fn reads_are_retried_on_5xx_and_429() {
    let server = MockServer::start();
    let client = client(&server);
    let eth = path(PLAYER, "eth");
    server.add_fault(FaultRule::new("GET", &eth, Fault::status(503)).times(2));
    client
        .native_balance(PLAYER, "polygon")
        .await
        .expect("third attempt");
    assert_eq!(server.request_count("GET", &eth), 3);
    server.clear_requests();
    server.add_fault(FaultRule::new("GET", &eth, Fault::status(429).retry_after(0)).times(1));
    client
        .native_balance(PLAYER, "polygon")
        .await
        .expect("after 429");
    assert_eq!(server.request_count("GET", &eth), 2);
}

#[tokio::test]
async fn arguments_are_checked_before_anything_is_sent() {
    let server = MockServer::start();
    let client = client(&server);
    client.session().set(session(&server, 3600));
    let cases = [
        (
            client.native_balance("0x123", "polygon").await.unwrap_err(),
            "address",
        ),
        (
            client.native_balance(PLAYER, "Polygon").await.unwrap_err(),
            "chain",
        ),
        (
            client
                .transfer_nft(PLAYER, "polygon", GEAR, "01", RIVAL)
                .await
                .unwrap_err(),
            "token_id",
        ),
        (
            client
                .list_nft(PLAYER, "polygon", GEAR, "1", "1.")
                .await
                .unwrap_err(),
            "price",
        ),
        (
            client
                .primary_purchase(PLAYER, "polygon", GEAR, "1", 0)
                .await
                .unwrap_err(),
            "quantity",
        ),
        (client.create_wallet("../x").await.unwrap_err(), "user_id"),
        (
            client
                .custom_transaction(PLAYER, "polygon", "[1]")
                .await
                .unwrap_err(),
            "transaction_json",
        ),
        (
            client
                .request("GET", "/api/auth/logout", None, false)
                .await
                .unwrap_err(),
            "path",
        ),
    ];
    for (error, argument) in cases {
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(
            error.message().starts_with(argument),
            "{argument}: {}",
            error.message()
        );
    }
    assert!(
        server.requests().is_empty(),
        "nothing was sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn the_escape_hatch_sends_as_the_player() {
    let server = MockServer::start();
    let client = client(&server);
    client.session().set(session(&server, 3600));
    let raw = client
        .request("GET", "/api/user", None, true)
        .await
        .expect("raw user");
    let value: serde_json::Value = serde_json::from_str(&raw.value.0).expect("json");
    assert_eq!(value["wallets"][0]["address"], PLAYER);
    let error = client
        .request("GET", "/api/user", None, false)
        .await
        .expect_err("no bearer");
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_64_requests_are_on_the_wire_at_once() {
    const CAP: u64 = 64; // transport::MAX_CONNECTIONS
    let server = MockServer::start();
    let client = Client::new(ClientConfig {
        timeout: Duration::from_millis(2000),
        max_retries: 0,
        ..client_config(&server)
    })
    .expect("config");
    let eth = path(PLAYER, "eth");
    server.add_fault(FaultRule::new("GET", &eth, Fault::hang()));
    let calls: Vec<_> = (0..CAP + 16)
        .map(|_| tokio::spawn(client.native_balance(PLAYER, "polygon")))
        .collect();
    let started = std::time::Instant::now();
    while server.request_count("GET", &eth) < CAP && started.elapsed() < Duration::from_secs(1) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        server.request_count("GET", &eth),
        CAP,
        "the rest wait for a connection"
    );
    for call in calls {
        let error = call.await.expect("task").expect_err("held");
        assert_eq!(error.kind(), ErrorKind::Timeout);
    }
}
