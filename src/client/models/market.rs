//! The marketplace API: a project's collections (#23) and its primary (#24) and secondary (#25)
//! listings.

use serde::{Deserialize, Serialize};

use super::decimal::{Decimal, Uint};
use super::metadata::NftMetadata;
use super::project::Project;

/// A project's collections: `GET {marketplace}/collections?project={projectId}` (#23).
///
/// Canonical: `{"projectId":"6564b4f3fa203b9Klsa2Ju7d0","studioAddress":null,"project":{Project…},"collections":[Collection…]}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collections {
    /// The project id asked for.
    #[serde(default)]
    pub project_id: Option<String>,
    /// The studio address (older answers).
    #[serde(default)]
    pub studio_address: Option<String>,
    /// The project.
    #[serde(default)]
    pub project: Option<Project>,
    /// Its collections.
    pub collections: Vec<Collection>,
}

/// One NFT collection (contract) of a project.
///
/// Canonical:
/// `{"id":"6585de73487f1429cb10bcb9","address":"0x8a63860fF851bb1391a295dF717a3bD210eB2170","name":"Desc","symbol":"123","description":"LL","image":"https://…","externalUrl":"http://external-url.com","chain":"polygon","txHash":"0x11bb…","project":"6564b4f3fa203b9Klsa2Ju7d0"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    /// Collection id.
    pub id: String,
    /// Contract address: the `collectionAddress` of purchases, transfers and listings.
    pub address: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Symbol.
    #[serde(default)]
    pub symbol: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Image URL.
    #[serde(default)]
    pub image: Option<String>,
    /// The studio's link for the collection.
    #[serde(default)]
    pub external_url: Option<String>,
    /// Chain, `"polygon"` or `"telos"`.
    #[serde(default)]
    pub chain: Option<String>,
    /// Hash of the deployment transaction.
    #[serde(default)]
    pub tx_hash: Option<String>,
    /// Id of the owning project.
    #[serde(default)]
    pub project: Option<String>,
}

/// The answer of #24.
pub type PrimaryListings = Vec<PrimaryListing>;

/// The answer of #25.
pub type SecondaryListings = Vec<SecondaryListing>;

/// An NFT type on sale by the studio (an element of #24).
///
/// Buy it with a primary purchase of `typeId` from `metadata.contract.address`.
/// Canonical:
/// `{"id":"6585de99487f1429cb10bcc8","typeId":"1","supply":3,"price":"1","inSale":true,"metadata":{NftMetadata…},"mintedTokens":1}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrimaryListing {
    /// Listing id.
    pub id: String,
    /// The token type id (uint256).
    pub type_id: Uint,
    /// The type's original supply: how many tokens it was created with (equal to
    /// `metadata.maxSupply` in Xerial's examples). It does not go down as tokens sell; what is
    /// still available is `supply - mintedTokens`, as Xerial's marketplace shows it.
    pub supply: u64,
    /// Price per token in the chain's native currency (MATIC, TLOS).
    pub price: Decimal,
    /// Whether it can be bought now.
    pub in_sale: bool,
    /// The NFT type's metadata.
    pub metadata: NftMetadata,
    /// How many have been minted (sold) so far; goes up with each primary purchase.
    pub minted_tokens: u64,
}

/// A token listed by a player (an element of #25).
///
/// Buy it with a secondary purchase of `marketItemId`. Canonical:
/// `{"tokenId":"1","price":"1","seller":"0x7d78B5a8b04151E0741875c2d6e3Cb6A82098Ac5","marketItemId":"38","metadata":{NftMetadata…}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecondaryListing {
    /// The token id (uint256).
    pub token_id: Uint,
    /// Price in the chain's native currency (MATIC, TLOS).
    pub price: Decimal,
    /// The seller's address.
    pub seller: String,
    /// The marketplace item id (uint256).
    pub market_item_id: Uint,
    /// The token's metadata.
    pub metadata: NftMetadata,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, encode};
    use crate::client::ErrorKind;

    /// marketplace-web3-sdk WEB2-FUNCTIONS.md `getGameStudioCollections`, verbatim (the
    /// source of xerial-api.md §3.2 #23).
    const COLLECTIONS: &str = r#"{
  "projectId": "6564b4f3fa203b9Klsa2Ju7d0",
  "project": {
    "address": "0x7d78B5a8b04151E0741875c2d6e3Cb6A82098Ac5",
    "network": "polygon",
    "name": "ProyectM",
    "description": "Desc",
    "category": "MMORPG",
    "tokenName": "",
    "tokenLogo": "",
    "logo": "https:///your_project_image.jpg",
    "trailer": "http://www.google.com",
    "downloadLink": "http://www.google.com",
    "userBanner": "https://your_banner.jpg",
    "domain": "your.domain.example",
    "symbol": "NEZ",
    "socialMedias": {
      "_id": "658c2ae20c24dd5e00161a1a"
    },
    "id": "6564b4f3fa203b9Klsa2Ju7d0"
  },
  "collections": [
    {
      "address": "0x8a63860fF851bb1391a295dF717a3bD210eB2170",
      "name": "Desc",
      "symbol": "123",
      "description": "LL",
      "image": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/287b86e8de6d472910015e048b04d08bc4a721aabb3e20651442c3a3c7946f94-anime%20armor.jpg",
      "externalUrl": "http://external-url.com",
      "chain": "polygon",
      "txHash": "0x11bb4d5fadbb9f6ab1b0d1be1bb50c52a5ac997c495e8e29131629e21774e06a",
      "project": "6564b4f3fa203b9Klsa2Ju7d0",
      "id": "6585de73487f1429cb10bcb9"
    },
    {
      "address": "0x11FF517B5e01fd22148F085FcA04F707d5b6e4DC",
      "name": "DS",
      "symbol": "23",
      "description": "Description",
      "image": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/2940477b2bead3482008d9be12f37a6b0c4f2372d47104a322be3e7e59f31e18-tanjiro.jpg",
      "externalUrl": "http://external-url.com",
      "chain": "polygon",
      "txHash": "0x83a2d2ec69755693cc98766cd3ac1c9a697beec45aa8496a2bddba3d27ee7f7c",
      "project": "6564b4f3fa203b9Klsa2Ju7d0",
      "id": "6585deb8487f1429cb10bcdc"
    }
  ]
}"#;

    const METADATA: &str = r#"{"name":"Tanjiro","description":"NFT description","image":"https://img",
      "externalUrl":"https://www.google.com","animationUrls":[],
      "attributes":[{"type":"boost","name":"magical damage","value":"222"}],
      "contract":{"address":"0x8a63860fF851bb1391a295dF717a3bD210eB2170","name":"NFT description",
        "symbol":"NZH","image":"https://cimg","description":"Contract description",
        "externalUrl":"https://www.youtube.com/"},
      "maxSupply":"3","edition":1}"#;

    #[test]
    fn collections_example() {
        let v: Collections = decode(COLLECTIONS.as_bytes()).unwrap();
        assert_eq!(v.project_id.as_deref(), Some("6564b4f3fa203b9Klsa2Ju7d0"));
        let project = v.project.as_ref().unwrap();
        assert_eq!(project.network.as_deref(), Some("polygon"));
        assert_eq!(project.banner.as_deref(), Some("https://your_banner.jpg"));
        assert_eq!(v.collections.len(), 2);
        assert_eq!(
            v.collections[1].address,
            "0x11FF517B5e01fd22148F085FcA04F707d5b6e4DC"
        );
        let out = encode(&v);
        assert!(out.starts_with(r#"{"projectId":"6564b4f3fa203b9Klsa2Ju7d0","studioAddress":null,"project":{"id":"6564b4f3fa203b9Klsa2Ju7d0","#), "{out}");
        assert!(
            out.contains(
                r#""socialMedias":{"twitter":null,"instagram":null,"discord":null,"linkedin":null}"#
            ),
            "{out}"
        );
        assert!(out.contains(concat!(
            r#"{"id":"6585deb8487f1429cb10bcdc","address":"0x11FF517B5e01fd22148F085FcA04F707d5b6e4DC","#,
            r#""name":"DS","symbol":"23","description":"Description","#,
            r#""image":"https://xerial-main-bucket.s3.us-east-1.amazonaws.com/2940477b2bead3482008d9be12f37a6b0c4f2372d47104a322be3e7e59f31e18-tanjiro.jpg","#,
            r#""externalUrl":"http://external-url.com","chain":"polygon","#,
            r#""txHash":"0x83a2d2ec69755693cc98766cd3ac1c9a697beec45aa8496a2bddba3d27ee7f7c","project":"6564b4f3fa203b9Klsa2Ju7d0"}]}"#
        )), "{out}");
        assert_eq!(decode::<Collections>(out.as_bytes()).unwrap(), v);
    }

    #[test]
    fn collections_older_studio_shape_and_minimal() {
        let body =
            br#"{"studioAddress":"0xf48b","project":{"id":"p","userBanner":"b"},"collections":[]}"#;
        let v: Collections = decode(body).unwrap();
        assert_eq!(v.studio_address.as_deref(), Some("0xf48b"));
        assert_eq!(v.project_id, None);
        let v: Collections = decode(br#"{"collections":[{"id":"c","address":"0x1"}]}"#).unwrap();
        assert_eq!(
            encode(&v),
            concat!(
                r#"{"projectId":null,"studioAddress":null,"project":null,"collections":[{"id":"c","address":"0x1","#,
                r#""name":null,"symbol":null,"description":null,"image":null,"externalUrl":null,"#,
                r#""chain":null,"txHash":null,"project":null}]}"#
            )
        );
        for bad in [
            &b"{}"[..],
            br#"{"collections":[{"id":"c"}]}"#,
            br#"{"collections":[{"address":"0x1"}]}"#,
            br#"{"collections":{}}"#,
            br#"{"project":{"name":"no id"},"collections":[]}"#,
        ] {
            assert_eq!(
                decode::<Collections>(bad).unwrap_err().kind(),
                ErrorKind::Decode
            );
        }
    }

    #[test]
    fn primary_listing_example() {
        // xerial-api.md §3.2 #24 (marketplace-web3-sdk `getListedNfts`, first entry).
        let body = format!(
            r#"[{{"id":"6585de99487f1429cb10bcc8","typeId":1,"supply":3,"price":1,"inSale":true,"metadata":{METADATA},"mintedTokens":1}}]"#
        );
        let v: PrimaryListings = decode(body.as_bytes()).unwrap();
        let l = &v[0];
        assert_eq!((l.type_id.as_str(), l.price.as_str()), ("1", "1"));
        assert_eq!((l.supply, l.minted_tokens, l.in_sale), (3, 1, true));
        assert_eq!(
            l.metadata.contract.as_ref().unwrap().symbol.as_deref(),
            Some("NZH")
        );
        let out = encode(&v);
        assert!(out.starts_with(r#"[{"id":"6585de99487f1429cb10bcc8","typeId":"1","supply":3,"price":"1","inSale":true,"metadata":{"name":"Tanjiro","#), "{out}");
        assert!(
            out.ends_with(r#""maxSupply":"3","edition":1},"mintedTokens":1}]"#),
            "{out}"
        );

        // Prices as strings or fractions; ids as strings.
        let body = br#"[{"id":"x","typeId":"2","supply":10,"price":"0.5","inSale":false,"metadata":{},"mintedTokens":0},
                        {"id":"y","typeId":3,"supply":1,"price":0.25,"inSale":true,"metadata":{},"mintedTokens":1}]"#;
        let v: PrimaryListings = decode(body).unwrap();
        assert_eq!((v[0].type_id.as_str(), v[0].price.as_str()), ("2", "0.5"));
        assert_eq!(v[1].price.as_str(), "0.25");
    }

    #[test]
    fn bad_primary_listings_fail_to_decode() {
        let ok = r#"{"id":"x","typeId":1,"supply":3,"price":1,"inSale":true,"metadata":{},"mintedTokens":1}"#;
        assert!(decode::<PrimaryListings>(format!("[{ok}]").as_bytes()).is_ok());
        for (from, to) in [
            (r#""typeId":1"#, r#""typeId":-1"#),
            (r#""typeId":1"#, r#""typeId":1.5"#),
            (r#""price":1"#, r#""price":"free""#),
            (r#""price":1"#, r#""price":null"#),
            (r#""inSale":true"#, r#""inSale":"yes""#),
            (r#""supply":3"#, r#""supply":"3""#),
            (r#""id":"x","#, ""),
            (r#","mintedTokens":1"#, ""),
        ] {
            let body = format!("[{}]", ok.replacen(from, to, 1));
            let e = decode::<PrimaryListings>(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
        }
    }

    #[test]
    fn secondary_listing_example() {
        // xerial-api.md §3.2 #25 (marketplace-web3-sdk `getListedNftsOnSecondaryMarket`).
        let body = format!(
            r#"[{{"tokenId":1,"price":1,"seller":"0x7d78B5a8b04151E0741875c2d6e3Cb6A82098Ac5","marketItemId":38,"metadata":{METADATA}}}]"#
        );
        let v: SecondaryListings = decode(body.as_bytes()).unwrap();
        let l = &v[0];
        assert_eq!(
            (l.token_id.as_str(), l.market_item_id.as_str()),
            ("1", "38")
        );
        assert_eq!(l.seller, "0x7d78B5a8b04151E0741875c2d6e3Cb6A82098Ac5");
        let out = encode(&v);
        assert!(out.starts_with(r#"[{"tokenId":"1","price":"1","seller":"0x7d78B5a8b04151E0741875c2d6e3Cb6A82098Ac5","marketItemId":"38","metadata":{"name":"Tanjiro""#), "{out}");
        assert_eq!(decode::<SecondaryListings>(out.as_bytes()).unwrap(), v);

        let ok = r#"{"tokenId":1,"price":1,"seller":"0x1","marketItemId":38,"metadata":{}}"#;
        for (from, to) in [
            (r#""tokenId":1,"#, ""),
            (r#""marketItemId":38"#, r#""marketItemId":"item-38""#),
            (r#""seller":"0x1""#, r#""seller":null"#),
            (r#""price":1"#, r#""price":[1]"#),
            (r#","metadata":{}"#, ""),
        ] {
            let body = format!("[{}]", ok.replacen(from, to, 1));
            let e = decode::<SecondaryListings>(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
        }
    }
}
