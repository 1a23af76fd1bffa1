//! Every NFT of a wallet on a chain: `GET …/{chain}/global-inventory` (#8, Polygon only).
//!
//! Xerial passes on Alchemy's NFT API v3 `getNFTsForOwner` answer; the useful fields are
//! modelled, the rest (`raw`, `openSeaMetadata`, `mint`, `validAt`, …) is dropped.

use serde::{Deserialize, Serialize};

use super::decimal::Uint;

/// The answer of #8.
///
/// Canonical: `{"ownedNfts":[OwnedNft…],"totalCount":1,"pageKey":null}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalInventory {
    /// The NFTs the wallet owns.
    pub owned_nfts: Vec<OwnedNft>,
    /// How many NFTs the wallet owns in all (Alchemy's count; may exceed this page).
    #[serde(default)]
    pub total_count: Option<u64>,
    /// Alchemy's key of the next page, `null` on the last page.
    #[serde(default)]
    pub page_key: Option<String>,
}

/// One NFT owned (`ownedNfts[]` of #8).
///
/// Canonical:
/// `{"contract":{NftContract…},"tokenId":"6","tokenType":"ERC721","name":"Rongo Sunn","description":"Player","tokenUri":"https://ipfs.io/ipfs/Qm…","image":{NftImage…},"balance":null,"timeLastUpdated":null}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnedNft {
    /// The NFT's contract.
    pub contract: NftContract,
    /// The token id (decimal).
    pub token_id: Uint,
    /// `"ERC721"` or `"ERC1155"` (Alchemy's other values pass through).
    #[serde(default)]
    pub token_type: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// The token's metadata URI (through an IPFS gateway).
    #[serde(default)]
    pub token_uri: Option<String>,
    /// Image URLs.
    #[serde(default)]
    pub image: Option<NftImage>,
    /// How many of this token the wallet holds (ERC-1155; Alchemy sends it as a string).
    #[serde(default)]
    pub balance: Option<Uint>,
    /// When Alchemy last refreshed the token (ISO-8601).
    #[serde(default)]
    pub time_last_updated: Option<String>,
}

/// An NFT contract as Alchemy describes it (`ownedNfts[].contract`).
///
/// Canonical:
/// `{"address":"0xb441…EB4C","name":"Avatars","symbol":"AVA","totalSupply":null,"tokenType":"ERC721","contractDeployer":"0x7cA1…c125","deployedBlockNumber":43924399,"isSpam":null}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NftContract {
    /// Contract address.
    pub address: String,
    /// Contract name.
    #[serde(default)]
    pub name: Option<String>,
    /// Contract symbol.
    #[serde(default)]
    pub symbol: Option<String>,
    /// Total supply, when the contract reports one.
    #[serde(default)]
    pub total_supply: Option<Uint>,
    /// `"ERC721"`, `"ERC1155"`, …
    #[serde(default)]
    pub token_type: Option<String>,
    /// Address that deployed the contract.
    #[serde(default)]
    pub contract_deployer: Option<String>,
    /// Block the contract was deployed in.
    #[serde(default)]
    pub deployed_block_number: Option<u64>,
    /// Alchemy's spam verdict (`null` when it has none).
    #[serde(default)]
    pub is_spam: Option<bool>,
}

/// An NFT's image URLs (`ownedNfts[].image`).
///
/// Canonical: `{"cachedUrl":"https://…","thumbnailUrl":null,"pngUrl":null,"contentType":null,"size":null,"originalUrl":"https://…"}`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NftImage {
    /// Alchemy's cached copy.
    #[serde(default)]
    pub cached_url: Option<String>,
    /// A thumbnail.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// A PNG rendering.
    #[serde(default)]
    pub png_url: Option<String>,
    /// MIME type.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<u64>,
    /// The URL in the token's metadata.
    #[serde(default)]
    pub original_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, encode};
    use crate::client::ErrorKind;

    /// The Get Global Inventory doc page's example (GB:`xerial-apis/xerial-global-wallets/
    /// get-global-inventory`), verbatim up to where the readable page stops (inside
    /// `raw.metadata`, §3.2 #8 "trailing fields unknown"); closed with `"attributes": []`.
    const DOC: &str = r#"{
"ownedNfts": [
{
"contract": {
"address": "0xb4412c146Ec8b02c27045F1f969a87e2B900EB4C",
"name": "Avatars",
"symbol": "AVA",
"totalSupply": null,
"tokenType": "ERC721",
"contractDeployer": "0x7cA139225dA1bC1cC88cA05A45aFF05E32E8c125",
"deployedBlockNumber": 43924399,
"openSeaMetadata": {
"floorPrice": null,
"collectionName": null,
"collectionSlug": null,
"safelistRequestStatus": null,
"imageUrl": null,
"description": null,
"externalUrl": null,
"twitterUsername": null,
"discordUrl": null,
"bannerImageUrl": null,
"lastIngestedAt": "2024-01-03T17:12:35.000Z"
},
"isSpam": null,
"spamClassifications": []
},
"tokenId": "6",
"tokenType": "ERC721",
"name": "Rongo Sunn",
"description": "Player",
"tokenUri": "https://ipfs.io/ipfs/QmbMRP8Vk3H8yko2FxxYe1WJwPfmYRQbgGqsHpwKGEDCmF",
"image": {
"cachedUrl": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/d8f646ba9597ad9db1811b3484bd36afb92974f64ea48ead66c0e3042edb08ee-Screen%20Shot%202023-12-27%20at%2016.13.00.png",
"thumbnailUrl": null,
"pngUrl": null,
"contentType": null,
"size": null,
"originalUrl": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/d8f646ba9597ad9db1811b3484bd36afb92974f64ea48ead66c0e3042edb08ee-Screen%20Shot%202023-12-27%20at%2016.13.00.png"
},
"raw": {
"tokenUri": "https://purple-jealous-spoonbill-384.mypinata.cloud/ipfs/QmbMRP8Vk3H8yko2FxxYe1WJwPfmYRQbgGqsHpwKGEDCmF",
"metadata": {
"name": "Rongo Sunn",
"description": "Player",
"image": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/d8f646ba9597ad9db1811b3484bd36afb92974f64ea48ead66c0e3042edb08ee-Screen%20Shot%202023-12-27%20at%2016.13.00.png",
"externalUrl": "https://joko.xerial.io/",
"animationUrls": [],
"attributes": []
}
}
}
]
}"#;

    #[test]
    fn documented_example() {
        let v: GlobalInventory = decode(DOC.as_bytes()).unwrap();
        assert_eq!(v.owned_nfts.len(), 1);
        let nft = &v.owned_nfts[0];
        assert_eq!(nft.token_id.as_str(), "6");
        assert_eq!(
            nft.contract.address,
            "0xb4412c146Ec8b02c27045F1f969a87e2B900EB4C"
        );
        assert_eq!(nft.contract.total_supply, None);
        assert_eq!(nft.contract.deployed_block_number, Some(43924399));
        assert_eq!(nft.contract.is_spam, None);
        assert_eq!(nft.token_type.as_deref(), Some("ERC721"));
        assert_eq!(nft.name.as_deref(), Some("Rongo Sunn"));
        let image = nft.image.as_ref().unwrap();
        assert!(image
            .cached_url
            .as_deref()
            .unwrap()
            .ends_with("16.13.00.png"));
        assert_eq!(image.size, None);
        assert_eq!(v.total_count, None);
        assert_eq!(v.page_key, None);

        let img = "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/d8f646ba9597ad9db1811b3484bd36afb92974f64ea48ead66c0e3042edb08ee-Screen%20Shot%202023-12-27%20at%2016.13.00.png";
        let want = format!(
            concat!(
                r#"{{"ownedNfts":[{{"contract":{{"address":"0xb4412c146Ec8b02c27045F1f969a87e2B900EB4C","#,
                r#""name":"Avatars","symbol":"AVA","totalSupply":null,"tokenType":"ERC721","#,
                r#""contractDeployer":"0x7cA139225dA1bC1cC88cA05A45aFF05E32E8c125","#,
                r#""deployedBlockNumber":43924399,"isSpam":null}},"tokenId":"6","tokenType":"ERC721","#,
                r#""name":"Rongo Sunn","description":"Player","#,
                r#""tokenUri":"https://ipfs.io/ipfs/QmbMRP8Vk3H8yko2FxxYe1WJwPfmYRQbgGqsHpwKGEDCmF","#,
                r#""image":{{"cachedUrl":"{img}","thumbnailUrl":null,"pngUrl":null,"contentType":null,"#,
                r#""size":null,"originalUrl":"{img}"}},"balance":null,"timeLastUpdated":null}}],"#,
                r#""totalCount":null,"pageKey":null}}"#
            ),
            img = img
        );
        assert_eq!(encode(&v), want);
        assert_eq!(decode::<GlobalInventory>(want.as_bytes()).unwrap(), v);
    }

    #[test]
    fn alchemy_extras_and_paging() {
        let body = br#"{"ownedNfts":[{"contract":{"address":"0xabc","totalSupply":"10000",
            "isSpam":false,"tokenType":"ERC1155"},"tokenId":"115792089237316195423570985008687907853269984665640564039457584007913129639935",
            "tokenType":"ERC1155","balance":"3","timeLastUpdated":"2024-01-03T17:12:35.000Z",
            "image":{"size":2048,"contentType":"image/png"},"collection":{"name":"x"},
            "mint":{"mintAddress":null},"acquiredAt":{"blockTimestamp":null}}],
            "totalCount":1,"pageKey":"abc123","validAt":{"blockNumber":1}}"#;
        let v: GlobalInventory = decode(body).unwrap();
        let nft = &v.owned_nfts[0];
        assert_eq!(
            nft.contract.total_supply.as_ref().unwrap().as_str(),
            "10000"
        );
        assert_eq!(nft.contract.is_spam, Some(false));
        assert_eq!(nft.balance.as_ref().unwrap().as_str(), "3");
        assert_eq!(nft.image.as_ref().unwrap().size, Some(2048));
        assert_eq!(nft.name, None);
        assert_eq!(
            (v.total_count, v.page_key.as_deref()),
            (Some(1), Some("abc123"))
        );
        let out = encode(&v);
        assert!(out.contains(r#""tokenId":"115792089237316195423570985008687907853269984665640564039457584007913129639935""#));
        assert!(
            out.ends_with(r#""totalCount":1,"pageKey":"abc123"}"#),
            "{out}"
        );
        assert!(!out.contains("validAt") && !out.contains("mint"), "{out}");
        let empty: GlobalInventory = decode(br#"{"ownedNfts":[]}"#).unwrap();
        assert_eq!(
            encode(&empty),
            r#"{"ownedNfts":[],"totalCount":null,"pageKey":null}"#
        );
    }

    #[test]
    fn bad_global_inventories_fail_to_decode() {
        for bad in [
            &br#"{}"#[..],
            br#"[]"#,
            br#"{"ownedNfts":{}}"#,
            br#"{"ownedNfts":[{"contract":{"address":"0x1"}}]}"#,
            br#"{"ownedNfts":[{"tokenId":"1"}]}"#,
            br#"{"ownedNfts":[{"contract":{"name":"x"},"tokenId":"1"}]}"#,
            br#"{"ownedNfts":[{"contract":{"address":"0x1"},"tokenId":"0x01"}]}"#,
            br#"{"ownedNfts":[{"contract":{"address":"0x1"},"tokenId":true}]}"#,
            br#"{"ownedNfts":[],"totalCount":"many"}"#,
        ] {
            assert_eq!(
                decode::<GlobalInventory>(bad).unwrap_err().kind(),
                ErrorKind::Decode
            );
        }
    }
}
