//! The inspector's admin API over HTTP: the request journal (live cursor, redaction, bodies),
//! fault rules with ids and hits, the world snapshot and its session controls, fixture
//! loading, and the page itself (served, never counted or faulted). The page's behaviour in
//! a browser is tested by `tests/browser/inspector.test.mjs`.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::{access, demo, raw, tx, Api};
use xerial_mock::{Fault, FaultRule, MockServer};

/// Fails if `text` holds `secret` or any 16-character piece of it.
fn hides(text: &str, secret: &str) {
    for piece in secret.as_bytes().windows(16) {
        let piece = String::from_utf8_lossy(piece);
        assert!(
            !text.contains(piece.as_ref()),
            "{piece} of a token in {text}"
        );
    }
}

async fn log(api: &Api, since: u64) -> Value {
    api.get(&format!("/_mock/log?since={since}"), None).await.1
}

async fn every_detail(api: &Api) -> String {
    let mut all = log(api, 0).await.to_string();
    for entry in log(api, 0).await["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let (status, detail) = api.get(&format!("/_mock/log/{}", entry["id"]), None).await;
        assert_eq!(status, 200);
        all.push_str(&detail.to_string());
    }
    all
}

#[tokio::test]
async fn the_journal_records_redacted_exchanges_with_a_live_cursor() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let pair = server.create_session();
    let (token, refresh) = (
        access(&pair),
        pair["refresh"]["token"].as_str().unwrap_or("").to_owned(),
    );

    assert_eq!(api.get("/api/user", Some(&token)).await.0, 200);
    let line = json!({"collectionAddress": demo::GEAR, "typeId": 1, "quantity": 1});
    let buy = tx(demo::ADDRESS, "polygon", "primary-purchase");
    let (status, hash) = api
        .post(&buy, Some(&token), json!({"purchases": [line]}))
        .await;
    assert_eq!(status, 200);
    let (status, renewed) = api
        .post(
            "/api/auth/refresh-tokens",
            None,
            json!({"refreshToken": refresh}),
        )
        .await;
    assert_eq!(status, 200);

    let first = log(&api, 0).await;
    let entries = first["entries"].as_array().cloned().unwrap_or_default();
    let paths: Vec<&str> = entries.iter().filter_map(|e| e["path"].as_str()).collect();
    assert_eq!(
        paths,
        ["/api/auth/refresh-tokens", buy.as_str(), "/api/user"],
        "newest first"
    );
    assert_eq!(
        (
            entries[1]["status"].as_u64(),
            entries[1]["outcome"].as_str()
        ),
        (Some(200), Some("answered"))
    );
    assert!(entries[1]["latencyMs"].is_f64() && entries[1]["userAgent"].is_null());

    let (_, detail) = api
        .get(&format!("/_mock/log/{}", entries[1]["id"]), None)
        .await;
    let auth = detail["requestHeaders"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h[0] == "authorization"))
        .cloned()
        .unwrap_or_default();
    let hint = &token[token.len() - 6..];
    assert_eq!(auth[1], format!("Bearer [redacted …{hint}]"));
    let sent: Value = serde_json::from_str(detail["requestBody"]["text"].as_str().unwrap_or(""))
        .unwrap_or_default();
    assert_eq!(sent["purchases"][0]["collectionAddress"], demo::GEAR);
    assert!(detail["responseBody"]["text"]
        .as_str()
        .unwrap_or("")
        .contains(hash["transactionHash"].as_str().unwrap_or("?")));

    // No token, old or new, anywhere in what the admin API returns.
    let everything = every_detail(&api).await + &api.get("/_mock/world", None).await.1.to_string();
    for secret in [
        &token,
        &refresh,
        &access(&renewed),
        &renewed["refresh"]["token"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
    ] {
        hides(&everything, secret);
    }

    // The cursor: nothing new, then exactly the new request.
    let rev = first["rev"].as_u64().unwrap_or_default();
    assert_eq!(log(&api, rev).await["entries"], json!([]));
    api.get("/marketplace/demo-arena", None).await;
    let delta = log(&api, rev).await;
    assert_eq!(delta["entries"].as_array().map(Vec::len), Some(1));
    assert_eq!(delta["entries"][0]["path"], "/marketplace/demo-arena");

    // Clearing the counters (or a reset) empties the log; `first` tells a client to drop all.
    assert_eq!(
        raw(server.addr(), "DELETE", "/_mock/requests", None)
            .await
            .status,
        204
    );
    let cleared = log(&api, 0).await;
    assert_eq!(cleared["entries"], json!([]));
    assert!(cleared["first"].as_u64() > delta["entries"][0]["id"].as_u64());
    assert_eq!(api.get("/_mock/log/1", None).await.0, 404);
    assert_eq!(api.get("/_mock/log/x", None).await.0, 404);
}

#[tokio::test]
async fn fault_rules_have_ids_hits_and_can_be_turned_off_one_by_one() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let id = server
        .mock()
        .add_fault(FaultRule::new("*", "*", Fault::status(503)).times(2))
        .unwrap_or_default();
    let other = server
        .mock()
        .add_fault(FaultRule::new("GET", "/api/wallet/*", Fault::hang()))
        .unwrap_or_default();
    assert_eq!(api.get("/marketplace/demo-arena", None).await.0, 503);
    assert_eq!(api.post("/api/nonce", None, json!({})).await.0, 503);
    let log_ids: Vec<u64> = log(&api, 0).await["entries"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["id"].as_u64()).rev().collect())
        .unwrap_or_default();
    let entry = &log(&api, 0).await["entries"][0];
    assert_eq!(entry["fault"], json!({"rule": id, "label": "status 503"}));

    let (_, active) = api.get("/_mock/faults", None).await;
    assert_eq!(
        active,
        json!([{"id": other, "method": "GET", "path": "/api/wallet/*",
        "fault": {"kind": "hang"}, "hits": 0, "requests": []}])
    );
    let (_, ended) = api.get("/_mock/faults/ended", None).await;
    assert_eq!(
        (ended[0]["id"].as_u64(), ended[0]["hits"].as_u64()),
        (Some(id), Some(2))
    );
    assert_eq!(ended[0]["requests"], json!(log_ids));
    assert_eq!(ended[0]["ended"], "used up");

    let delete = format!("/_mock/faults/{other}");
    assert_eq!(
        raw(server.addr(), "DELETE", &delete, None).await.status,
        204
    );
    assert_eq!(
        raw(server.addr(), "DELETE", &delete, None).await.status,
        404
    );
    assert_eq!(
        api.get(&format!("/api/wallet/{}/polygon/eth", demo::ADDRESS), None)
            .await
            .0,
        200
    );
    assert_eq!(
        api.get("/_mock/faults/ended", None).await.1[0]["ended"],
        "turned off"
    );
    let bad = r#"{"method":"GET","path":"/a*b","fault":{"kind":"drop"}}"#;
    assert_eq!(
        raw(server.addr(), "POST", "/_mock/faults", Some(bad))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn a_hanging_request_shows_as_pending_then_closed() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let hang = r#"{"method":"GET","path":"/api/user","fault":{"kind":"hang","maxMs":600}}"#;
    assert_eq!(
        raw(server.addr(), "POST", "/_mock/faults", Some(hang))
            .await
            .status,
        204
    );
    let addr = server.addr();
    let waiting =
        tokio::spawn(async move { support::raw_bytes(addr, "GET", "/api/user", None).await });
    let mut seen_pending = false;
    for _ in 0..40 {
        let entry = log(&api, 0).await["entries"][0].clone();
        if entry["outcome"] == "pending" {
            assert_eq!(entry["fault"]["label"], "hang");
            seen_pending = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(seen_pending, "the hanging request is listed while it hangs");
    assert_eq!(
        waiting.await.map(|bytes| bytes.len()).ok(),
        Some(0),
        "no answer byte"
    );
    let entry = log(&api, 0).await["entries"][0].clone();
    assert_eq!(
        (entry["outcome"].as_str(), entry["status"].as_u64()),
        (Some("closed"), None)
    );
    assert!(entry["latencyMs"].as_f64() >= Some(550.0));
}

#[tokio::test]
async fn the_world_lists_sessions_without_tokens_and_controls_them() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let pair = server.create_session();
    let (token, refresh) = (
        access(&pair),
        pair["refresh"]["token"].as_str().unwrap_or("").to_owned(),
    );
    let (status, world) = api.get("/_mock/world", None).await;
    assert_eq!(status, 200);
    let text = world.to_string();
    hides(&text, &token);
    hides(&text, &refresh);
    let player = world["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["identifier"] == "player@example.com"))
        .cloned()
        .unwrap_or_default();
    let wallet = &player["wallets"][0];
    assert_eq!(
        (wallet["address"].as_str(), wallet["custodial"].as_bool()),
        (Some(demo::ADDRESS), Some(true))
    );
    assert_eq!(wallet["smartAccount"], demo::SMART);
    assert_eq!(
        wallet["balances"][0],
        json!({"chain": "polygon", "native": "25", "tokens": {"usdc": "100"}})
    );
    assert_eq!(wallet["inventory"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        wallet["inventory"][0]["collectionName"],
        "Arena Heroes Gear"
    );
    let session = &player["sessions"][0];
    assert_eq!(
        session["access"]["hint"],
        format!("[redacted …{}]", &token[token.len() - 6..])
    );
    assert_eq!(session["access"]["expired"], false);
    let listing = &world["projects"][0]["collections"][0]["listings"][0];
    assert_eq!(
        listing,
        &json!({"typeId": 1, "name": "Fire Sword", "supply": 13, "minted": 3, "price": "0.5", "inSale": true})
    );
    assert_eq!(world["market"][0]["marketItemId"], 38);
    assert_eq!(world["market"][0]["token"]["name"], "Fire Sword");

    // A purchase shows up as a transaction with who was paid and how much.
    let line = json!({"collectionAddress": demo::GEAR, "typeId": 2, "quantity": 2});
    api.post(
        &tx(demo::ADDRESS, "polygon", "primary-purchase"),
        Some(&token),
        json!({"purchases": [line]}),
    )
    .await;
    let world = api.get("/_mock/world", None).await.1;
    let bought = &world["transactions"][0];
    assert_eq!(bought["type"], "primary-purchase");
    assert_eq!(
        (bought["from"].as_str(), bought["amount"].as_str()),
        (Some(demo::ADDRESS), Some("2"))
    );
    assert_eq!(bought["to"], "0x5a1eD00d5a1eD00d5a1eD00d5a1eD00d5a1eD00d");
    assert_eq!(bought["item"], "Ice Shield × 2");
    let studio = &world["otherBalances"][0];
    assert_eq!(
        (studio["native"].as_str(), studio["label"].as_str()),
        (Some("2"), Some("studio of Xerial Demo Arena"))
    );

    // Expire the access token: 401 now, but the refresh token still works.
    let id = session["id"].as_str().unwrap_or("").to_owned();
    let expire = format!("/_mock/sessions/{id}/expire-access");
    assert_eq!(raw(server.addr(), "POST", &expire, None).await.status, 204);
    assert_eq!(api.get("/api/user", Some(&token)).await.0, 401);
    let (status, renewed) = api
        .post(
            "/api/auth/refresh-tokens",
            None,
            json!({"refreshToken": refresh}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        raw(server.addr(), "POST", &expire, None).await.status,
        404,
        "rotated away"
    );

    // Log the player out: the access token stops working and the refresh is refused.
    let world = api.get("/_mock/world", None).await.1;
    let sessions = world["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["identifier"] == "player@example.com"))
        .map(|u| u["sessions"].clone())
        .unwrap_or_default();
    assert_eq!(sessions.as_array().map(Vec::len), Some(1));
    let logout = format!(
        "/_mock/sessions/{}/logout",
        sessions[0]["id"].as_str().unwrap_or("")
    );
    assert_eq!(raw(server.addr(), "POST", &logout, None).await.status, 204);
    assert_eq!(api.get("/api/user", Some(&access(&renewed))).await.0, 401);
    let again = json!({"refreshToken": renewed["refresh"]["token"]});
    assert_eq!(
        api.post("/api/auth/refresh-tokens", None, again).await.0,
        401
    );
    assert_eq!(raw(server.addr(), "POST", &logout, None).await.status, 404);
}

#[tokio::test]
async fn a_loaded_fixture_becomes_the_seed() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let fixture = r#"{"users":[{"id":"aaaaaaaaaaaaaaaaaaaaaaaa","identifier":"dev@studio.test",
        "wallets":[{"address":"0x00000000000000000000000000000000000000aa"}]}]}"#;
    let identifiers = |world: &Value| -> Vec<String> {
        world["users"]
            .as_array()
            .map(|u| {
                u.iter()
                    .filter_map(|u| u["identifier"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        raw(server.addr(), "POST", "/_mock/fixture", Some(fixture))
            .await
            .status,
        204
    );
    let world = api.get("/_mock/world", None).await.1;
    assert!(identifiers(&world).contains(&"dev@studio.test".to_owned()));
    assert!(
        identifiers(&world).contains(&"player@example.com".to_owned()),
        "extends the demo"
    );
    assert_eq!(
        raw(server.addr(), "POST", "/_mock/reset", None)
            .await
            .status,
        204
    );
    assert!(
        identifiers(&api.get("/_mock/world", None).await.1).contains(&"dev@studio.test".to_owned())
    );

    let bad = raw(
        server.addr(),
        "POST",
        "/_mock/fixture",
        Some(r#"{"users":[{"id":"x"}]}"#),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(bad.json()["message"]
        .as_str()
        .unwrap_or("")
        .contains("identifier"));
    assert!(
        identifiers(&api.get("/_mock/world", None).await.1).contains(&"dev@studio.test".to_owned()),
        "unchanged"
    );

    assert_eq!(
        raw(server.addr(), "POST", "/_mock/fixture", Some("{}"))
            .await
            .status,
        204
    );
    assert!(!identifiers(&api.get("/_mock/world", None).await.1)
        .contains(&"dev@studio.test".to_owned()));
}

#[tokio::test]
async fn the_page_is_served_and_never_counted_faulted_or_journaled() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("*", "*", Fault::status(503)));
    let page = raw(server.addr(), "GET", "/", None).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").unwrap_or("");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let html = String::from_utf8_lossy(&page.body).to_string();
    assert!(
        html.contains("/_mock/inspector/app.js") && html.contains("/_mock/inspector/style.css")
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched from elsewhere"
    );
    for (asset, kind) in [("app.js", "text/javascript"), ("style.css", "text/css")] {
        let r = raw(
            server.addr(),
            "GET",
            &format!("/_mock/inspector/{asset}"),
            None,
        )
        .await;
        assert_eq!(r.status, 200, "{asset}");
        assert!(r.header("content-type").unwrap_or("").starts_with(kind));
        assert!(!r.body.is_empty());
    }
    assert_eq!(
        raw(server.addr(), "GET", "/_mock/inspector/nope.js", None)
            .await
            .status,
        404
    );
    assert_eq!(server.requests(), []);
    assert_eq!(
        Api::new(&server).get("/_mock/log", None).await.1["entries"],
        json!([])
    );
    assert_eq!(server.mock().fault_report()[0].hits, 0);
}

#[tokio::test]
async fn no_secret_of_a_google_sign_in_reaches_the_log() {
    use support::google::{code_for, exchange, google_login, token_form, CLIENT, VERIFIER};
    let server = MockServer::start();
    let api = Api::new(&server);
    let code = code_for(&server, None).await;
    let (status, answer) = exchange(&server, &token_form(&code)).await;
    assert_eq!(status, 200);
    let id_token = answer["id_token"].as_str().unwrap_or("").to_owned();
    let (status, pair) = google_login(&api, &id_token, CLIENT).await;
    assert_eq!(status, 200);
    let (access, refresh) = (
        access(&pair),
        pair["refresh"]["token"].as_str().unwrap_or("").to_owned(),
    );
    let set = json!({"accessToken": access, "refreshToken": refresh});
    let (status, _) = api
        .post("/api/login-attempt/attempt-1/set-session", None, set)
        .await;
    assert_eq!(status, 204);

    let everything = every_detail(&api).await;
    for path in [
        "/oauth/authorize",
        "/oauth/token",
        "/api/auth/google",
        "/set-session",
    ] {
        assert!(everything.contains(path), "{path} is logged");
    }
    assert!(everything.contains("code=[redacted"), "the redirect's code");
    assert!(!everything.contains(&code));
    for secret in [code.as_str(), VERIFIER, &id_token, &access, &refresh] {
        hides(&everything, secret);
    }
}
