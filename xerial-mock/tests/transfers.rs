//! Transfers and custom transactions (reference §3 #9, #11, #16), and auth/ownership checks.

mod support;

use serde_json::json;
use support::{access, demo, inventory_count, is_hash, tx, Api};
use xerial_mock::{MockServer, SessionOptions};

#[tokio::test]
async fn transfer_nft_moves_it_and_checks_ownership() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let body = json!({"collectionAddress": demo::GEAR, "tokenId": 1, "to": demo::RIVAL});
    let path = tx(demo::SMART, "polygon", "transfer-nft");

    assert_eq!(
        api.post(&path, None, body.clone()).await,
        (401, json!({"code": 401, "message": "Please Authenticate"}))
    );
    let (status, hash) = api.post(&path, Some(&token), body.clone()).await;
    assert_eq!(status, 200);
    assert!(is_hash(&hash), "{hash}");
    assert_eq!(hash.as_object().map(|o| o.len()), Some(1));
    assert_eq!(inventory_count(&api, demo::ADDRESS).await, 2);
    assert_eq!(
        inventory_count(&api, demo::RIVAL).await,
        2,
        "token 4 is listed, 5 held, plus 1"
    );

    let (status, err) = api.post(&path, Some(&token), body.clone()).await;
    assert_eq!(
        (status, err),
        (
            412,
            json!({"code": 412, "message": "You Don't Have This NFT"})
        )
    );
    // Wrong chain: the token is not there either.
    assert_eq!(
        api.post(
            &tx(demo::SMART, "telos", "transfer-nft"),
            Some(&token),
            json!({"collectionAddress": demo::GEAR, "tokenId": 2, "to": demo::RIVAL})
        )
        .await
        .0,
        412
    );
    // Someone else's wallet, an unknown wallet, a bad body.
    let (status, err) = api
        .post(
            &tx(demo::RIVAL, "polygon", "transfer-nft"),
            Some(&token),
            body.clone(),
        )
        .await;
    assert_eq!(
        (status, err),
        (403, json!({"code": 403, "message": "Forbidden"}))
    );
    let (status, err) = api
        .post(
            &tx(
                "0x00000000000000000000000000000000000000ff",
                "polygon",
                "transfer-nft",
            ),
            Some(&token),
            body,
        )
        .await;
    assert_eq!(
        (status, err),
        (404, json!({"code": 404, "message": "Wallet Not Found"}))
    );
    let (status, err) = api
        .post(
            &path,
            Some(&token),
            json!({"collectionAddress": demo::GEAR, "to": demo::RIVAL}),
        )
        .await;
    assert_eq!(
        (status, err["message"].clone()),
        (400, json!("\"tokenId\" is required"))
    );
    assert_eq!(server.transactions().len(), 1);
}

#[tokio::test]
async fn transfer_token_and_custom_transaction() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let path = tx(demo::ADDRESS, "polygon", "transfer-token");
    let (status, hash) = api
        .post(
            &path,
            Some(&token),
            json!({"tokenAddress": demo::USDC, "amount": 10, "to": demo::RIVAL_SMART}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(is_hash(&hash));
    let (_, mine) = api
        .get(
            &format!("/api/wallet/{}/polygon/tokens", demo::ADDRESS),
            None,
        )
        .await;
    assert_eq!(mine, json!({"balances": {"usdc": 90}}));
    let (_, theirs) = api
        .get(&format!("/api/wallet/{}/polygon/tokens", demo::RIVAL), None)
        .await;
    assert_eq!(theirs, json!({"balances": {"usdc": 30}}));
    let (status, err) = api
        .post(
            &path,
            Some(&token),
            json!({"tokenAddress": demo::USDC, "amount": 1000, "to": demo::RIVAL}),
        )
        .await;
    assert_eq!(
        (status, err["message"].clone()),
        (412, json!("Insufficient Funds"))
    );
    let (status, err) = api.post(&path, Some(&token), json!({"tokenAddress": "0x00000000000000000000000000000000000000aa", "amount": 1, "to": demo::RIVAL})).await;
    assert_eq!(
        (status, err["message"].clone()),
        (404, json!("Token Not Found"))
    );

    let custom = json!({"type": "CONTRACT_EXECUTION", "to": demo::USDC, "functionName": "transfer", "value": 0,
                        "inputs": [{"type": "address", "value": demo::RIVAL}, {"type": "uint256", "value": 73680000}]});
    let (status, hash) = api
        .post(
            &tx(demo::SMART, "polygon", "transaction"),
            Some(&token),
            custom.clone(),
        )
        .await;
    assert_eq!(status, 200);
    assert!(is_hash(&hash));
    let log = server.transactions();
    let last = log.last().expect("logged");
    assert_eq!(last["kind"], "transaction");
    assert_eq!(last["details"], custom);
    assert_eq!(last["transactionHash"], hash["transactionHash"]);
    let (status, err) = api
        .post(
            &tx(demo::SMART, "polygon", "transaction"),
            Some(&token),
            json!({"data": "0x"}),
        )
        .await;
    assert_eq!(
        (status, err["message"].clone()),
        (400, json!("\"to\" is required"))
    );
}
#[tokio::test]
async fn rival_can_delist_its_own_item() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let pair = server.create_session_with(&SessionOptions {
        user_id: Some(demo::RIVAL_ID.into()),
        ..Default::default()
    });
    let token = access(&pair);
    let (status, _) = api
        .post(
            &tx(demo::RIVAL_SMART, "polygon", "delist-nft"),
            Some(&token),
            json!({"marketItemId": 38}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(inventory_count(&api, demo::RIVAL).await, 2);
}
