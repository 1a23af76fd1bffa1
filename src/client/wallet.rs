//! Wallet reads (balances, inventories), the player's wallets, and custodial creation.

use std::future::Future;

use super::call::Request;
use super::endpoint::{
    Endpoint, CREATE_USER, CREATE_WALLET, GLOBAL_INVENTORY, NATIVE_BALANCE, PROJECT_INVENTORY,
    TOKEN_BALANCES, USER,
};
use super::models::{
    CreatedUser, GlobalInventory, InventoryEntry, NativeBalance, TokenBalances, UserWallets, Wallet,
};
use super::validate::{self, JsonBody};
use super::{Client, Error, Response};

/// A request to `endpoint` under `/api/wallet/{address}/{chain}` after checking both.
pub(crate) fn wallet_request(
    endpoint: &Endpoint,
    address: &str,
    chain: &str,
) -> Result<Request, Error> {
    wallet_request_with(endpoint, address, chain, &[])
}

/// As [`wallet_request`], with more (validated) path values.
pub(crate) fn wallet_request_with(
    endpoint: &Endpoint,
    address: &str,
    chain: &str,
    more: &[(&str, &str)],
) -> Result<Request, Error> {
    validate::address("address", address)?;
    validate::chain("chain", chain)?;
    let wallet = [("address", address), ("chain", chain)];
    // Most wallet paths have no more values: then no list is built.
    let path = match more {
        [] => endpoint.fill(&wallet),
        _ => endpoint.fill(&[&wallet[..], more].concat()),
    };
    Ok(Request::new(endpoint, path))
}

type Answer<T> = Result<Response<T>, Error>;

impl Client {
    /// The player and their wallets: `GET /api/user` (Bearer).
    pub fn user(&self) -> impl Future<Output = Answer<UserWallets>> + Send + 'static {
        self.run(Ok(Request::new(&USER, USER.path)))
    }

    /// Native-currency balance: `GET /api/wallet/{address}/{chain}/eth`.
    pub fn native_balance(
        &self,
        address: &str,
        chain: &str,
    ) -> impl Future<Output = Answer<NativeBalance>> + Send + 'static {
        self.run(wallet_request(&NATIVE_BALANCE, address, chain))
    }

    /// ERC20 balances: `GET /api/wallet/{address}/{chain}/tokens`.
    pub fn token_balances(
        &self,
        address: &str,
        chain: &str,
    ) -> impl Future<Output = Answer<TokenBalances>> + Send + 'static {
        self.run(wallet_request(&TOKEN_BALANCES, address, chain))
    }

    /// The wallet's items of one project (`None`: the configured project):
    /// `GET /api/wallet/{address}/{chain}/project-inventory/{projectId}`.
    pub fn project_inventory(
        &self,
        address: &str,
        chain: &str,
        project_id: Option<&str>,
    ) -> impl Future<Output = Answer<Vec<InventoryEntry>>> + Send + 'static {
        let request = self
            .project_id_or_configured(project_id)
            .and_then(|project| {
                wallet_request_with(
                    &PROJECT_INVENTORY,
                    address,
                    chain,
                    &[("projectId", &project)],
                )
            });
        self.run(request)
    }

    /// Every NFT the wallet holds: `GET /api/wallet/{address}/{chain}/global-inventory`.
    pub fn global_inventory(
        &self,
        address: &str,
        chain: &str,
    ) -> impl Future<Output = Answer<GlobalInventory>> + Send + 'static {
        self.run(wallet_request(&GLOBAL_INVENTORY, address, chain))
    }

    /// Custodial: creates a user, `POST /api/user` `{reference}` (Bearer).
    pub fn create_user(
        &self,
        reference: Option<&str>,
    ) -> impl Future<Output = Answer<CreatedUser>> + Send + 'static {
        let body = match reference {
            Some(reference) => JsonBody::new().string("reference", reference).finish(),
            None => JsonBody::new().finish(),
        };
        self.run(Ok(Request::new(&CREATE_USER, CREATE_USER.path).body(body)))
    }

    /// Custodial: creates an EVM wallet for a user, `POST /api/wallet/{userId}` `{"type":"evm"}`.
    pub fn create_wallet(
        &self,
        user_id: &str,
    ) -> impl Future<Output = Answer<Wallet>> + Send + 'static {
        let request = validate::path_id("user_id", user_id).map(|()| {
            let body = JsonBody::new().string("type", "evm").finish();
            Request::new(&CREATE_WALLET, CREATE_WALLET.fill(&[("userId", user_id)])).body(body)
        });
        self.run(request)
    }
}
