//! Primary and secondary market transactions move state (reference §3 #12–#15).

mod support;

use serde_json::json;
use support::{access, demo, inventory_count, is_hash, native, tx, Api};
use xerial_mock::MockServer;

#[tokio::test]
async fn primary_purchase_all_three_shapes() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let path = tx(demo::SMART, "polygon", "primary-purchase");
    let line = json!({"collectionAddress": demo::GEAR, "typeId": 1, "quantity": 2});

    let (status, hash) = api
        .post(&path, Some(&token), json!({"purchases": [line]}))
        .await;
    assert_eq!(status, 200);
    assert!(is_hash(&hash));
    assert_eq!(native(&api, demo::ADDRESS).await, "24");
    assert_eq!(inventory_count(&api, demo::ADDRESS).await, 5);
    let (_, listings) = api
        .get(
            &format!("/marketplace/{}/polygon/primary", demo::PROJECT),
            None,
        )
        .await;
    // `supply` is the original supply and stays; `mintedTokens` counts up (10 - 2 left).
    assert_eq!(listings[0]["supply"], 13);
    assert_eq!(listings[0]["mintedTokens"], 5);
    // The transaction is logged with its purchases.
    assert_eq!(
        server.mock().transactions()[0]["details"]["purchases"][0]["quantity"],
        2
    );

    let (status, _) = api
        .post(
            &path,
            Some(&token),
            json!({"purchases": {"collectionAddress": demo::GEAR, "typeId": 2, "quantity": 1}}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = api
        .post(
            &path,
            Some(&token),
            json!({"collectionAddress": demo::GEAR, "typeId": 1, "quantity": 1}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(native(&api, demo::ADDRESS).await, "22.5");
    assert_eq!(inventory_count(&api, demo::ADDRESS).await, 7);
}

#[tokio::test]
async fn supply_stays_and_minted_tokens_count_up_to_it() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let path = tx(demo::ADDRESS, "polygon", "primary-purchase");
    let shields = |quantity: u64| json!({"purchases": [{"collectionAddress": demo::GEAR, "typeId": 2, "quantity": quantity}]});
    let listing = || async {
        let (_, listings) = api
            .get(
                &format!("/marketplace/{}/polygon/primary", demo::PROJECT),
                None,
            )
            .await;
        (
            listings[1]["supply"].clone(),
            listings[1]["mintedTokens"].clone(),
        )
    };
    // Ice Shield: original supply 5, 2 minted, so 3 available.
    assert_eq!(listing().await, (json!(5), json!(2)));
    assert_eq!(api.post(&path, Some(&token), shields(3)).await.0, 200);
    assert_eq!(listing().await, (json!(5), json!(5)));
    let (status, err) = api.post(&path, Some(&token), shields(1)).await;
    assert_eq!((status, err["message"].as_str()), (412, Some("No Stock")));
    assert_eq!(listing().await, (json!(5), json!(5)));
}

#[tokio::test]
async fn primary_purchase_refusals_change_nothing() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let path = tx(demo::ADDRESS, "polygon", "primary-purchase");
    let buy = |type_id: u64, quantity: u64| json!({"purchases": [{"collectionAddress": demo::GEAR, "typeId": type_id, "quantity": quantity}]});

    let cases = [
        (buy(3, 1), 412, "Not For Sale"),
        (buy(2, 4), 412, "No Stock"),
        (buy(9, 1), 404, "Listing Not Found"),
        (
            buy(1, 0),
            400,
            "\"quantity\" must be greater than or equal to 1",
        ),
        (json!({}), 400, "\"purchases\" is required"),
        (
            json!({"purchases": []}),
            400,
            "\"purchases\" must contain at least 1 items",
        ),
    ];
    for (body, status, message) in cases {
        let (got, err) = api.post(&path, Some(&token), body.clone()).await;
        assert_eq!(
            (got, err["message"].as_str()),
            (status, Some(message)),
            "{body}"
        );
    }
    // The telos listing cannot be bought on polygon.
    let telos =
        json!({"purchases": [{"collectionAddress": demo::RELICS, "typeId": 1, "quantity": 1}]});
    assert_eq!(api.post(&path, Some(&token), telos.clone()).await.0, 404);
    assert_eq!(
        api.post(
            &tx(demo::ADDRESS, "telos", "primary-purchase"),
            Some(&token),
            telos
        )
        .await
        .0,
        200
    );

    server
        .mock()
        .set_balance(
            &serde_json::from_value(
                json!({"address": demo::ADDRESS, "chain": "polygon", "native": "0.4"}),
            )
            .expect("seed"),
        )
        .expect("set");
    let (status, err) = api.post(&path, Some(&token), buy(1, 1)).await;
    assert_eq!(
        (status, err),
        (412, json!({"code": 412, "message": "Insufficient Funds"}))
    );
    assert_eq!(native(&api, demo::ADDRESS).await, "0.4");
    assert_eq!(inventory_count(&api, demo::ADDRESS).await, 3);
}

#[tokio::test]
async fn list_delist_and_secondary_purchase() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let token = access(&server.create_session());
    let secondary = format!("/marketplace/{}/polygon/secondary", demo::PROJECT);

    let (status, _) = api
        .post(
            &tx(demo::SMART, "polygon", "list-nft"),
            Some(&token),
            json!({"collectionAddress": demo::GEAR, "tokenId": 3, "price": 2}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(inventory_count(&api, demo::ADDRESS).await, 2);
    let (_, mine) = api
        .get(&format!("{secondary}?seller={}", demo::ADDRESS), None)
        .await;
    let items = mine.as_array().expect("array");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["seller"], demo::SMART);
    assert_eq!(items[0]["price"], 2);
    assert_eq!(items[0]["tokenId"], 3);
    let item_id = items[0]["marketItemId"].as_u64().expect("id");
    assert!(item_id > 38);
    // Listing it again: it is in escrow now.
    assert_eq!(
        api.post(
            &tx(demo::SMART, "polygon", "list-nft"),
            Some(&token),
            json!({"collectionAddress": demo::GEAR, "tokenId": 3, "price": 2})
        )
        .await
        .0,
        412
    );
    let (status, err) = api
        .post(
            &tx(demo::SMART, "polygon", "list-nft"),
            Some(&token),
            json!({"collectionAddress": demo::GEAR, "tokenId": 1, "price": 0}),
        )
        .await;
    assert_eq!(
        (status, err["message"].clone()),
        (400, json!("\"price\" must be a positive number"))
    );

    // Delist with the SDK's body, then list again and delist with the docs' body.
    assert_eq!(
        api.post(
            &tx(demo::SMART, "polygon", "delist-nft"),
            Some(&token),
            json!({"marketItemId": item_id})
        )
        .await
        .0,
        200
    );
    assert_eq!(inventory_count(&api, demo::ADDRESS).await, 3);
    assert_eq!(
        api.post(
            &tx(demo::SMART, "polygon", "delist-nft"),
            Some(&token),
            json!({"marketItemId": item_id})
        )
        .await
        .0,
        404
    );
    api.post(
        &tx(demo::SMART, "polygon", "list-nft"),
        Some(&token),
        json!({"collectionAddress": demo::GEAR, "tokenId": 3, "price": "1.5"}),
    )
    .await;
    assert_eq!(
        api.post(
            &tx(demo::SMART, "polygon", "delist-nft"),
            Some(&token),
            json!({"collectionAddress": demo::GEAR, "tokenId": 3})
        )
        .await
        .0,
        200
    );
    // Not the seller of the rival's item 38.
    let (status, err) = api
        .post(
            &tx(demo::SMART, "polygon", "delist-nft"),
            Some(&token),
            json!({"marketItemId": 38}),
        )
        .await;
    assert_eq!(
        (status, err["message"].clone()),
        (412, json!("You Are Not The Seller"))
    );

    // Buy item 38 (0.75) from the rival.
    let (status, hash) = api
        .post(
            &tx(demo::SMART, "polygon", "secondary-purchase"),
            Some(&token),
            json!({"marketItemId": 38}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(is_hash(&hash));
    assert_eq!(native(&api, demo::ADDRESS).await, "24.25");
    assert_eq!(native(&api, demo::RIVAL).await, "5.75");
    assert_eq!(inventory_count(&api, demo::ADDRESS).await, 4);
    assert_eq!(api.get(&secondary, None).await.1, json!([]));
    assert_eq!(
        api.post(
            &tx(demo::SMART, "polygon", "secondary-purchase"),
            Some(&token),
            json!({"marketItemId": 38})
        )
        .await
        .0,
        404
    );

    // Reset brings the seed back.
    server.reset();
    assert_eq!(native(&api, demo::ADDRESS).await, "25");
    assert_eq!(
        api.get(&secondary, None).await.1.as_array().map(Vec::len),
        Some(1)
    );
}
