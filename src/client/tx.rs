//! Transactions: they move value, so they are never retried once anything may have been sent,
//! and a lost answer is `OutcomeUnknown` (see `transport`).

use std::future::Future;

use super::call::Request;
use super::endpoint::{
    CUSTOM_TRANSACTION, DELIST_NFT, LIST_NFT, PRIMARY_PURCHASE, SECONDARY_PURCHASE, TRANSFER_NFT,
    TRANSFER_TOKEN,
};
use super::models::TransactionHash;
use super::validate::{self, JsonBody};
use super::wallet::wallet_request;
use super::{Client, Error, Response};

type Answer = Result<Response<TransactionHash>, Error>;

impl Client {
    /// Transfers an NFT: `POST …/transfer-nft` `{collectionAddress, tokenId, to}`.
    pub fn transfer_nft(
        &self,
        address: &str,
        chain: &str,
        collection_address: &str,
        token_id: &str,
        to: &str,
    ) -> impl Future<Output = Answer> + Send + 'static {
        let request = validate::address("collection_address", collection_address)
            .and_then(|()| validate::uint("token_id", token_id))
            .and_then(|()| validate::address("to", to))
            .and_then(|()| wallet_request(&TRANSFER_NFT, address, chain))
            .map(|request| {
                request.body(
                    JsonBody::new()
                        .string("collectionAddress", collection_address)
                        .number("tokenId", token_id)
                        .string("to", to)
                        .finish(),
                )
            });
        self.run(request)
    }

    /// Transfers ERC20 tokens: `POST …/transfer-token` `{tokenAddress, amount, to}`.
    pub fn transfer_token(
        &self,
        address: &str,
        chain: &str,
        token_address: &str,
        amount: &str,
        to: &str,
    ) -> impl Future<Output = Answer> + Send + 'static {
        let request = validate::address("token_address", token_address)
            .and_then(|()| validate::decimal("amount", amount))
            .and_then(|()| validate::address("to", to))
            .and_then(|()| wallet_request(&TRANSFER_TOKEN, address, chain))
            .map(|request| {
                request.body(
                    JsonBody::new()
                        .string("tokenAddress", token_address)
                        .number("amount", amount)
                        .string("to", to)
                        .finish(),
                )
            });
        self.run(request)
    }

    /// Buys from a primary listing: `POST …/primary-purchase`
    /// `{"purchases":[{collectionAddress, typeId, quantity}]}` (the array form Xerial's own
    /// marketplace sends; the docs' object form is a copy-paste slip, see the README).
    pub fn primary_purchase(
        &self,
        address: &str,
        chain: &str,
        collection_address: &str,
        type_id: &str,
        quantity: u32,
    ) -> impl Future<Output = Answer> + Send + 'static {
        let request = validate::address("collection_address", collection_address)
            .and_then(|()| validate::uint("type_id", type_id))
            .and_then(|()| validate::quantity("quantity", quantity))
            .and_then(|()| wallet_request(&PRIMARY_PURCHASE, address, chain))
            .map(|request| {
                let purchase = JsonBody::new()
                    .string("collectionAddress", collection_address)
                    .number("typeId", type_id)
                    .number("quantity", &quantity.to_string())
                    .finish();
                request.body(
                    JsonBody::new()
                        .raw("purchases", &format!("[{purchase}]"))
                        .finish(),
                )
            });
        self.run(request)
    }

    /// Buys a community listing: `POST …/secondary-purchase` `{marketItemId}`.
    pub fn secondary_purchase(
        &self,
        address: &str,
        chain: &str,
        market_item_id: &str,
    ) -> impl Future<Output = Answer> + Send + 'static {
        self.run(market_item_request(
            &SECONDARY_PURCHASE,
            address,
            chain,
            market_item_id,
        ))
    }

    /// Lists an NFT for sale: `POST …/list-nft` `{collectionAddress, tokenId, price}`.
    pub fn list_nft(
        &self,
        address: &str,
        chain: &str,
        collection_address: &str,
        token_id: &str,
        price: &str,
    ) -> impl Future<Output = Answer> + Send + 'static {
        let request = validate::address("collection_address", collection_address)
            .and_then(|()| validate::uint("token_id", token_id))
            .and_then(|()| validate::decimal("price", price))
            .and_then(|()| wallet_request(&LIST_NFT, address, chain))
            .map(|request| {
                request.body(
                    JsonBody::new()
                        .string("collectionAddress", collection_address)
                        .number("tokenId", token_id)
                        .number("price", price)
                        .finish(),
                )
            });
        self.run(request)
    }

    /// Takes a listing off the market: `POST …/delist-nft` `{marketItemId}` (the body Xerial's
    /// own marketplace sends; see the README).
    pub fn delist_nft(
        &self,
        address: &str,
        chain: &str,
        market_item_id: &str,
    ) -> impl Future<Output = Answer> + Send + 'static {
        self.run(market_item_request(
            &DELIST_NFT,
            address,
            chain,
            market_item_id,
        ))
    }

    /// Sends a custom transaction object as the body: `POST …/transaction`.
    pub fn custom_transaction(
        &self,
        address: &str,
        chain: &str,
        transaction_json: &str,
    ) -> impl Future<Output = Answer> + Send + 'static {
        let request = json_object("transaction_json", transaction_json)
            .and_then(|()| wallet_request(&CUSTOM_TRANSACTION, address, chain))
            .map(|request| request.body(transaction_json.to_owned()));
        self.run(request)
    }
}

fn market_item_request(
    endpoint: &super::endpoint::Endpoint,
    address: &str,
    chain: &str,
    market_item_id: &str,
) -> Result<Request, Error> {
    validate::uint("market_item_id", market_item_id)?;
    let request = wallet_request(endpoint, address, chain)?;
    Ok(request.body(
        JsonBody::new()
            .number("marketItemId", market_item_id)
            .finish(),
    ))
}

/// Checks that `text` is a JSON object.
pub(crate) fn json_object(name: &str, text: &str) -> Result<(), Error> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) if value.is_object() => Ok(()),
        Ok(_) => Err(Error::invalid_argument(name, "must be a JSON object")),
        Err(e) => Err(Error::invalid_argument(
            name,
            &format!("not valid JSON ({e})"),
        )),
    }
}
