//! Marketplace routes (reference §3 #23–#26), served at the server root.

mod support;

use serde_json::json;
use support::{demo, Api};
use xerial_mock::{Fixture, Mock, MockServer};

#[tokio::test]
async fn collections_of_a_project() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let (status, body) = api
        .get(&format!("/collections?project={}", demo::PROJECT), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["projectId"], demo::PROJECT);
    assert_eq!(body["project"]["name"], "Xerial Demo Arena");
    assert!(body["project"]["socialMedias"]["_id"].is_string());
    let collections = body["collections"].as_array().expect("collections");
    assert_eq!(collections.len(), 2);
    let gear = &collections[0];
    for key in [
        "address",
        "name",
        "symbol",
        "description",
        "image",
        "externalUrl",
        "chain",
        "txHash",
        "project",
        "id",
    ] {
        assert!(gear[key].is_string(), "{key}");
    }
    assert_eq!(gear["project"], demo::PROJECT);
    assert_eq!(
        gear.as_object().map(|o| o.len()),
        Some(10),
        "no seed-only keys leak: {gear}"
    );

    let (status, body) = api.get("/collections", None).await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("\"project\" is required"))
    );
    let (status, _) = api
        .get("/collections?project=000000000000000000000000", None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn primary_listings() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let (status, body) = api
        .get(
            &format!("/marketplace/{}/polygon/primary", demo::PROJECT),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let listings = body.as_array().expect("array");
    assert_eq!(listings.len(), 3);
    let first = &listings[0];
    assert_eq!(first["typeId"], 1);
    // Xerial's UI: "Original supply: supply", "Available supply: supply - mintedTokens".
    assert_eq!(first["supply"], 13);
    assert_eq!(first["metadata"]["maxSupply"], "13");
    assert_eq!(first["price"], 0.5);
    assert_eq!(first["inSale"], true);
    assert_eq!(first["mintedTokens"], 3);
    assert_eq!(first["metadata"]["contract"]["address"], demo::GEAR);
    assert_eq!(first.as_object().map(|o| o.len()), Some(7));
    assert_eq!(listings[1]["price"], 1);
    assert_eq!(listings[2]["inSale"], false);

    let (_, telos) = api
        .get(
            &format!("/marketplace/{}/telos/primary", demo::PROJECT),
            None,
        )
        .await;
    assert_eq!(telos.as_array().map(Vec::len), Some(1));
    assert_eq!(telos[0]["price"], 2);
    assert_eq!(
        api.get(
            &format!("/marketplace/{}/solana/primary", demo::PROJECT),
            None
        )
        .await
        .0,
        400
    );
    assert_eq!(
        api.get(
            "/marketplace/000000000000000000000000/polygon/primary",
            None
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn secondary_listings_and_seller_filter() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let base = format!("/marketplace/{}/polygon/secondary", demo::PROJECT);
    let (status, body) = api.get(&base, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!([{
            "tokenId": 4,
            "price": 0.75,
            "seller": demo::RIVAL_SMART,
            "marketItemId": 38,
            "metadata": body[0]["metadata"].clone()
        }])
    );
    assert_eq!(body[0]["metadata"]["name"], "Fire Sword");
    // The filter accepts the EOA or the smart account of the seller.
    for seller in [demo::RIVAL, demo::RIVAL_SMART] {
        let (_, mine) = api.get(&format!("{base}?seller={seller}"), None).await;
        assert_eq!(mine.as_array().map(Vec::len), Some(1), "{seller}");
    }
    let (_, none) = api
        .get(&format!("{base}?seller={}", demo::ADDRESS), None)
        .await;
    assert_eq!(none, json!([]));
    let (_, telos) = api
        .get(
            &format!("/marketplace/{}/telos/secondary", demo::PROJECT),
            None,
        )
        .await;
    assert_eq!(telos, json!([]));
}

#[tokio::test]
async fn project_by_domain() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let (status, body) = api.get("/marketplace/demo-arena", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], demo::PROJECT);
    assert_eq!(body["domain"], "demo-arena");
    for key in [
        "address",
        "name",
        "description",
        "category",
        "tokenName",
        "tokenLogo",
        "logo",
        "banner",
        "trailer",
        "downloadLink",
        "symbol",
    ] {
        assert!(body[key].is_string(), "{key}");
    }
    assert!(body.get("collections").is_none());
    let (status, body) = api.get("/marketplace/nope", None).await;
    assert_eq!(
        (status, body),
        (404, json!({"code": 404, "message": "Project Not Found"}))
    );
}

#[tokio::test]
async fn custom_fixture_project_without_the_demo() {
    let fixture = Fixture::from_json(
        r#"{"includeDefaultSeed": false,
            "users": [{"id": "aaaaaaaaaaaaaaaaaaaaaaaa", "identifier": "dev@studio.test",
                       "wallets": [{"address": "0x00000000000000000000000000000000000000d1"}]}],
            "balances": [{"address": "0x00000000000000000000000000000000000000d1", "chain": "polygon", "native": 3}],
            "projects": [{"id": "bbbbbbbbbbbbbbbbbbbbbbbb", "address": "0x00000000000000000000000000000000000000b0",
                          "domain": "my-game", "name": "My Game",
                          "collections": [{"id": "cccccccccccccccccccccccc", "address": "0x00000000000000000000000000000000000000c0",
                                           "chain": "polygon", "name": "Swords",
                                           "listings": [{"typeId": 7, "supply": 2, "price": 1.25, "metadata": {"name": "Blade"}}]}]}]}"#,
    )
    .expect("fixture");
    let server = MockServer::start_with(Mock::from_fixture(fixture).expect("consistent"));
    let api = Api::new(&server);
    assert_eq!(api.get("/marketplace/demo-arena", None).await.0, 404);
    let (_, project) = api.get("/marketplace/my-game", None).await;
    assert_eq!(
        project,
        json!({"id": "bbbbbbbbbbbbbbbbbbbbbbbb", "address": "0x00000000000000000000000000000000000000b0", "domain": "my-game", "name": "My Game"})
    );
    let (_, listings) = api
        .get(
            "/marketplace/bbbbbbbbbbbbbbbbbbbbbbbb/polygon/primary",
            None,
        )
        .await;
    assert_eq!(listings[0]["typeId"], 7);
    assert_eq!(listings[0]["metadata"]["maxSupply"], "2");
    assert_eq!(listings[0]["id"].as_str().map(str::len), Some(24));

    let pair = server.create_session_with(&xerial_mock::SessionOptions {
        user_id: Some("aaaaaaaaaaaaaaaaaaaaaaaa".into()),
        ..Default::default()
    });
    let token = support::access(&pair);
    let buy = json!({"purchases": [{"collectionAddress": "0x00000000000000000000000000000000000000C0", "typeId": 7, "quantity": 2}]});
    let (status, _) = api
        .post(
            "/api/wallet/0x00000000000000000000000000000000000000d1/polygon/primary-purchase",
            Some(&token),
            buy,
        )
        .await;
    assert_eq!(status, 200);
    let (_, bal) = api
        .get(
            "/api/wallet/0x00000000000000000000000000000000000000d1/polygon/eth",
            None,
        )
        .await;
    assert_eq!(bal, json!({"balance": "0.5"}));
}

#[test]
fn inconsistent_fixtures_are_rejected() {
    let bad = [
        r#"{"projects": [{"id": "x", "domain": "d"}]}"#,
        r#"{"projects": [{"id": "x", "address": "0x1", "domain": "d", "collections": [{"id": "c", "address": "0x2", "chain": "eth"}]}]}"#,
        r#"{"marketItems": [{"marketItemId": 1, "collectionAddress": "0x9", "tokenId": 1, "price": 1, "seller": "0x1"}]}"#,
        r#"{"balances": [{"address": "0x1", "chain": "polygon", "native": "-3"}]}"#,
        // `supply` is the original supply: it cannot be below what was minted.
        r#"{"projects": [{"id": "x", "address": "0x1", "domain": "d", "collections": [{"id": "c", "address": "0x2", "chain": "polygon",
            "listings": [{"typeId": 1, "supply": 1, "price": 1, "mintedTokens": 2}]}]}]}"#,
    ];
    for text in bad {
        let fixture = Fixture::from_json(text).expect("parses");
        assert!(Mock::from_fixture(fixture).is_err(), "{text}");
    }
}
