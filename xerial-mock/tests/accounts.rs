//! Auth flows, bearer handling, users and wallet reads (reference §2.1, §3 #1–#8, #18–#21).

mod support;

use serde_json::json;
use support::{access, demo, Api};
use xerial_mock::{MockServer, SessionOptions, DEMO_USER_ID};

#[tokio::test]
async fn get_user_has_the_documented_shape() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let (status, body) = api.get("/api/user", Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "user": {"identifier": "player@example.com", "id": DEMO_USER_ID},
            "wallets": [{
                "id": "656ab9db6a378b91ab1871be",
                "address": demo::ADDRESS,
                "smartAccount": demo::SMART,
                "custodial": true,
                "user": DEMO_USER_ID,
                "type": "evm"
            }]
        })
    );
}

#[tokio::test]
async fn bearer_is_required_and_checked() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let unauth = json!({"code": 401, "message": "Please Authenticate"});
    assert_eq!(api.get("/api/user", None).await, (401, unauth.clone()));
    assert_eq!(
        api.get("/api/user", Some("garbage")).await,
        (401, unauth.clone())
    );
    let expired = server.create_session_with(&SessionOptions {
        access_ttl_secs: Some(0),
        ..SessionOptions::default()
    });
    assert_eq!(
        api.get("/api/user", Some(&access(&expired))).await,
        (401, unauth.clone())
    );
    // Scheme must be Bearer (case-insensitive), separated by whitespace.
    let token = access(&server.create_session());
    let r = support::client()
        .get(format!("{}/api/user", server.url()))
        .header("Authorization", format!("bearer  {token}"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let r = support::client()
        .get(format!("{}/api/user", server.url()))
        .header("Authorization", format!("Basic {token}"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn refresh_rotates_the_pair() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let pair = server.create_session();
    let old = pair["refresh"]["token"].clone();
    let (status, fresh) = api
        .post(
            "/api/auth/refresh-tokens",
            None,
            json!({"refreshToken": old}),
        )
        .await;
    assert_eq!(status, 200);
    assert_ne!(fresh["refresh"]["token"], old);
    assert_eq!(api.get("/api/user", Some(&access(&fresh))).await.0, 200);
    let (status, body) = api
        .post(
            "/api/auth/refresh-tokens",
            None,
            json!({"refreshToken": old}),
        )
        .await;
    assert_eq!(
        (status, body),
        (401, json!({"code": 401, "message": "Please Authenticate"}))
    );
    let (status, body) = api.post("/api/auth/refresh-tokens", None, json!({})).await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("\"refreshToken\" is required"))
    );
    // Logout then refresh: revoked.
    let again = fresh["refresh"]["token"].clone();
    assert_eq!(
        api.post("/api/auth/logout", None, json!({"refreshToken": again}))
            .await
            .0,
        204
    );
    assert_eq!(
        api.post(
            "/api/auth/refresh-tokens",
            None,
            json!({"refreshToken": again})
        )
        .await
        .0,
        401
    );
    // An expired refresh token cannot be used.
    let stale = server.create_session_with(&SessionOptions {
        refresh_ttl_secs: Some(-1),
        ..SessionOptions::default()
    });
    let body = json!({"refreshToken": stale["refresh"]["token"]});
    assert_eq!(
        api.post("/api/auth/refresh-tokens", None, body).await.0,
        401
    );
}

#[tokio::test]
async fn google_login_convention() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let login =
        |token: &str| json!({"token": token, "clientId": "cid", "projectId": demo::PROJECT});
    let (status, pair) = api.post("/api/auth/google", None, login("google-ok")).await;
    assert_eq!(status, 200);
    let (_, me) = api.get("/api/user", Some(&access(&pair))).await;
    assert_eq!(me["user"]["id"], DEMO_USER_ID);

    let (_, pair) = api
        .post("/api/auth/google", None, login("google-ok:new@example.com"))
        .await;
    let (_, me) = api.get("/api/user", Some(&access(&pair))).await;
    assert_eq!(me["user"]["identifier"], "new@example.com");
    let wallets = me["wallets"].as_array().expect("wallets");
    assert_eq!(wallets.len(), 1);
    assert_eq!(wallets[0]["custodial"], true);
    assert!(wallets[0]["smartAccount"]
        .as_str()
        .is_some_and(|a| a.len() == 42));
    let (_, again) = api
        .post("/api/auth/google", None, login("google-ok:new@example.com"))
        .await;
    let (_, me2) = api.get("/api/user", Some(&access(&again))).await;
    assert_eq!(me2["user"]["id"], me["user"]["id"]);

    let fail = json!({"code": 400, "message": "Auth Failed"});
    assert_eq!(
        api.post("/api/auth/google", None, login("forged")).await,
        (400, fail)
    );
    let (status, body) = api
        .post("/api/auth/google", None, json!({"token": "google-ok"}))
        .await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("\"clientId\" is required"))
    );
}

#[tokio::test]
async fn metamask_login_needs_a_nonce_and_an_ok_signature() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let addr = "0xAbCdEf0000000000000000000000000000000001";
    let login = |sig: &str| json!({"address": addr, "signature": sig, "projectId": demo::PROJECT});
    let (status, body) = api.post("/api/auth/metamask", None, login("0xok")).await;
    assert_eq!(
        (status, body),
        (404, json!({"code": 404, "message": "Nonce Not Found"}))
    );
    let (status, body) = api.post("/api/nonce", None, json!({"address": addr})).await;
    assert_eq!(status, 200);
    assert!(body["nonce"].as_str().is_some_and(|n| !n.is_empty()));
    let (status, body) = api
        .post("/api/auth/metamask", None, login("0xdeadbeef"))
        .await;
    assert_eq!(
        (status, body),
        (400, json!({"code": 400, "message": "Auth Failed"}))
    );
    let (status, pair) = api
        .post("/api/auth/metamask", None, login("0xok-signed"))
        .await;
    assert_eq!(status, 200);
    // The nonce is consumed.
    assert_eq!(
        api.post("/api/auth/metamask", None, login("0xok")).await.0,
        404
    );
    let token = access(&pair);
    let (_, me) = api.get("/api/user", Some(&token)).await;
    assert_eq!(me["wallets"][0]["address"], addr);
    assert_eq!(me["wallets"][0]["custodial"], false);
    assert!(me["wallets"][0].get("smartAccount").is_none());
    // Xerial cannot sign for a MetaMask wallet.
    let body = json!({"collectionAddress": demo::GEAR, "tokenId": 1, "to": demo::RIVAL});
    let (status, body) = api
        .post(
            &format!("/api/wallet/{addr}/polygon/transfer-nft"),
            Some(&token),
            body,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            405,
            json!({"code": 405, "message": "This Method Is Not Supported For Non-Custodial Wallets"})
        )
    );
}

#[tokio::test]
async fn create_user_and_wallet() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let (status, _) = api.post("/api/user", None, json!({})).await;
    assert_eq!(status, 401);
    let (status, user) = api
        .post(
            "/api/user",
            Some(&token),
            json!({"reference": "xerial@example.io"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(user["refrence"], "xerial@example.io");
    assert_eq!(user["project"], demo::PROJECT);
    let id = user["id"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 24);
    assert_eq!(user.as_object().map(|o| o.len()), Some(3));

    let (status, wallet) = api
        .post(
            &format!("/api/wallet/{id}"),
            Some(&token),
            json!({"type": "evm"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(wallet["user"], id.as_str());
    assert_eq!(wallet["custodial"], true);
    assert_eq!(wallet["type"], "evm");
    for key in ["id", "address", "smartAccount"] {
        assert!(wallet[key].is_string(), "{key}");
    }
    // The new wallet is a real wallet: its balance can be read.
    let address = wallet["address"].as_str().expect("address");
    assert_eq!(
        api.get(&format!("/api/wallet/{address}/polygon/eth"), None)
            .await,
        (200, json!({"balance": "0"}))
    );

    let (status, body) = api
        .post(&format!("/api/wallet/{id}"), Some(&token), json!({}))
        .await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("\"type\" is required"))
    );
    let (status, body) = api
        .post(
            "/api/wallet/000000000000000000000000",
            Some(&token),
            json!({"type": "evm"}),
        )
        .await;
    assert_eq!(
        (status, body["message"].clone()),
        (404, json!("User Not Found"))
    );
}

#[tokio::test]
async fn balances_by_address_or_smart_account() {
    let server = MockServer::start();
    let api = Api::new(&server);
    for addr in [demo::ADDRESS, demo::SMART, &demo::SMART.to_lowercase()] {
        let (status, body) = api
            .get(&format!("/api/wallet/{addr}/polygon/eth"), None)
            .await;
        assert_eq!((status, body), (200, json!({"balance": "25"})));
    }
    let (_, body) = api
        .get(&format!("/api/wallet/{}/telos/eth", demo::ADDRESS), None)
        .await;
    assert_eq!(body, json!({"balance": "10"}));
    let (_, body) = api
        .get(&format!("/api/wallet/{}/polygon/tokens", demo::SMART), None)
        .await;
    assert_eq!(body, json!({"balances": {"usdc": 100}}));
    let (status, body) = api
        .get(
            "/api/wallet/0x0000000000000000000000000000000000000bad/polygon/eth",
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (404, json!({"code": 404, "message": "Wallet Not Found"}))
    );
    let (status, body) = api
        .get(&format!("/api/wallet/{}/ethereum/eth", demo::ADDRESS), None)
        .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn project_and_global_inventory_shapes() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let path = format!(
        "/api/wallet/{}/polygon/project-inventory/{}",
        demo::SMART,
        demo::PROJECT
    );
    let (status, inv) = api.get(&path, None).await;
    assert_eq!(status, 200);
    let entries = inv.as_array().expect("array");
    assert_eq!(entries.len(), 2, "{inv}");
    let sword = &entries[0];
    assert_eq!(sword["collection"]["id"], "6585de73487f1429cb10bcb9");
    assert_eq!(sword["quantity"], 2);
    assert_eq!(sword["metadata"]["name"], "Fire Sword");
    assert_eq!(sword["metadata"]["maxSupply"], "13");
    assert_eq!(sword["metadata"]["edition"], 1);
    assert_eq!(
        sword["metadata"]["attributes"][0],
        json!({"type": "boost", "name": "magical damage", "value": "2000"})
    );
    assert_eq!(sword["metadata"]["contract"]["address"], demo::GEAR);
    let token = &sword["tokens"][0];
    assert_eq!(token["tokenId"], 1);
    assert!(token["metadataURI"]
        .as_str()
        .is_some_and(|u| u.contains("/ipfs/Qm")));
    assert_eq!(token["0"], json!({"type": "BigNumber", "hex": "0x01"}));
    assert_eq!(token["1"], token["metadataURI"]);
    // Xerial's current UI reads `nft.tokenIds.map(…)`: the same ids, bare, in the same order.
    assert_eq!(sword["tokenIds"], json!([1, 2]));
    for entry in entries {
        let from_tokens: Vec<_> = entry["tokens"]
            .as_array()
            .expect("tokens")
            .iter()
            .map(|t| t["tokenId"].clone())
            .collect();
        assert_eq!(entry["tokenIds"], json!(from_tokens));
        assert_eq!(entry["quantity"], json!(from_tokens.len()));
    }
    assert_eq!(entries[1]["metadata"]["name"], "Ice Shield");

    let (_, telos) = api
        .get(
            &format!(
                "/api/wallet/{}/telos/project-inventory/{}",
                demo::ADDRESS,
                demo::PROJECT
            ),
            None,
        )
        .await;
    assert_eq!(telos, json!([]));

    let (status, global) = api
        .get(
            &format!("/api/wallet/{}/polygon/global-inventory", demo::ADDRESS),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let owned = global["ownedNfts"].as_array().expect("ownedNfts");
    assert_eq!(owned.len(), 3);
    assert_eq!(owned[0]["tokenId"], "1", "tokenId is a string here");
    assert_eq!(owned[0]["contract"]["address"], demo::GEAR);
    assert!(owned[0]["raw"]["metadata"].is_object());
    let (status, _) = api
        .get(
            &format!("/api/wallet/{}/telos/global-inventory", demo::ADDRESS),
            None,
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn faults_apply_to_every_route() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let path = format!("/api/wallet/{}/polygon/eth", demo::ADDRESS);
    server.add_fault(
        xerial_mock::FaultRule::new("GET", &path, xerial_mock::Fault::status(503)).times(1),
    );
    assert_eq!(api.get(&path, None).await.0, 503);
    assert_eq!(api.get(&path, None).await.0, 200);
    assert_eq!(server.request_count("GET", &path), 2);
}
