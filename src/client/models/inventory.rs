//! A wallet's NFTs of one project: `GET …/{chain}/project-inventory/{projectId}` (#7).

use serde::{Deserialize, Serialize};

use super::decimal::Uint;
use super::metadata::NftMetadata;

/// The answer of #7: one entry per NFT type the wallet holds.
pub type ProjectInventory = Vec<InventoryEntry>;

/// The tokens of one NFT type a wallet holds (an element of #7's array).
///
/// Xerial's answers name the tokens two ways: `tokens`, ethers tuples with `tokenId` and
/// `metadataURI` (the reference's examples), and `tokenIds`, bare ids (what Xerial's current
/// marketplace UI reads: `nft.tokenIds.map(…)`). Either is read; when both are sent, `tokens` is
/// read (it also carries the metadata URIs). The SDK always delivers `tokens`; ids read from
/// `tokenIds` have `"metadataURI":null`. An entry with neither is a decode error.
///
/// Canonical:
/// `{"collection":{"id":"6585de73487f1429cb10bcb9","txHash":"0x11bb…"},"quantity":1,"metadata":{NftMetadata…},"tokens":[{"tokenId":"1","metadataURI":"https://…/ipfs/Qm…"}]}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WireEntry")]
pub struct InventoryEntry {
    /// The collection the tokens belong to.
    pub collection: CollectionRef,
    /// How many tokens of this type the wallet holds.
    pub quantity: u64,
    /// The NFT type's metadata.
    pub metadata: NftMetadata,
    /// The individual tokens (from `tokens`, else from `tokenIds`).
    pub tokens: Vec<TokenRef>,
}

/// An entry as Xerial sends it: `tokens`, `tokenIds`, or both.
#[derive(Deserialize)]
struct WireEntry {
    collection: CollectionRef,
    quantity: u64,
    metadata: NftMetadata,
    #[serde(default)]
    tokens: Option<Vec<TokenRef>>,
    #[serde(rename = "tokenIds", default)]
    token_ids: Option<Vec<Uint>>,
}

impl TryFrom<WireEntry> for InventoryEntry {
    type Error = &'static str;

    fn try_from(wire: WireEntry) -> Result<InventoryEntry, &'static str> {
        let tokens = match (wire.tokens, wire.token_ids) {
            (Some(tokens), _) => tokens,
            (None, Some(ids)) => ids
                .into_iter()
                .map(|token_id| TokenRef {
                    token_id,
                    metadata_uri: None,
                })
                .collect(),
            (None, None) => return Err("missing field `tokens` (or `tokenIds`)"),
        };
        Ok(InventoryEntry {
            collection: wire.collection,
            quantity: wire.quantity,
            metadata: wire.metadata,
            tokens,
        })
    }
}

/// A reference to a collection (`collection` of #7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionRef {
    /// Collection id.
    pub id: String,
    /// Hash of the collection's deployment transaction (older answers only).
    #[serde(default)]
    pub tx_hash: Option<String>,
}

/// One token held (`tokens[]` of #7).
///
/// Xerial sends an ethers tuple here (`"0"`, `"1"` keys besides the named ones); only the
/// named fields are kept. Canonical: `{"tokenId":"1","metadataURI":"https://…/ipfs/Qm…"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRef {
    /// The token id (a number on Xerial's side, a string here).
    #[serde(rename = "tokenId")]
    pub token_id: Uint,
    /// The token's metadata URI.
    #[serde(rename = "metadataURI", default)]
    pub metadata_uri: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, decode_model, encode};
    use crate::client::ErrorKind;

    /// xerial-api.md §3.2 #7, verbatim.
    const DOC: &str = r#"[{
  "collection": { "id": "6585de73487f1429cb10bcb9", "txHash": "0x11bb…" },
  "quantity": 1,
  "metadata": {
    "name": "…", "description": "…", "image": "https://…", "externalUrl": "https://…",
    "animationUrls": [ { "type": "video", "value": "https://…mp4" } ],
    "attributes": [ { "type": "boost", "name": "magical damage", "value": "2000" } ],
    "contract": { "address": "0x…", "name": "…", "symbol": "…", "image": "…",
                  "description": "…", "externalUrl": "…" },
    "maxSupply": "3",
    "edition": 1
  },
  "tokens": [ { "0": {"type":"BigNumber","hex":"0x01"}, "1": "https://…/ipfs/Qm…",
                "tokenId": 1, "metadataURI": "https://…/ipfs/Qm…" } ]
}]"#;

    /// marketplace-web3-sdk WEB2-FUNCTIONS.md `getInventory`, verbatim.
    const MP: &str = r#"[
  {
    "collection": {
      "id": "6585de73487f1429cb10bcb9",
      "txHash": "0x11bb4d5fadbb9f6ab1b0d1be1bb50c52a5ac997c495e8e29131629e21774e06a"
    },
    "quantity": 1,
    "metadata": {
      "name": "Tanjiro",
      "description": "Desc",
      "image": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/287b86e8de6d472910015e048b04d08bc4a721aabb3e20651442c3a3c7946f94-anime%20armor.jpg",
      "externalUrl": "https://www.google.com",
      "animationUrls": [],
      "attributes": [
        {
          "type": "boost",
          "name": "magical damage",
          "value": "2000"
        }
      ],
      "contract": {
        "address": "0x8a63860fF851bb1391a295dF717a3bD210eB2170",
        "name": "Desc",
        "symbol": "123",
        "image": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/287b86e8de6d472910015e048b04d08bc4a721aabb3e20651442c3a3c7946f94-anime%20armor.jpg",
        "description": "LL",
        "externalUrl": "https://xerial.io/"
      },
      "maxSupply": "3",
      "edition": 1
    },
    "tokens": [
      {
        "0": {
          "type": "BigNumber",
          "hex": "0x01"
        },
        "1": "https://purple-jealous-spoonbill-384.mypinata.cloud/ipfs/QmS2ErVJV7tp9YFGmSVahEjEzP5uzpub6MTRawnXpJDYJc",
        "tokenId": 1,
        "metadataURI": "https://purple-jealous-spoonbill-384.mypinata.cloud/ipfs/QmS2ErVJV7tp9YFGmSVahEjEzP5uzpub6MTRawnXpJDYJc"
      }
    ]
  }
]"#;

    #[test]
    fn documented_example() {
        let v: ProjectInventory = decode(DOC.as_bytes()).unwrap();
        assert_eq!(v.len(), 1);
        let e = &v[0];
        assert_eq!(e.collection.id, "6585de73487f1429cb10bcb9");
        assert_eq!(e.collection.tx_hash.as_deref(), Some("0x11bb…"));
        assert_eq!(e.quantity, 1);
        assert_eq!(e.metadata.max_supply.as_ref().unwrap().as_str(), "3");
        assert_eq!(e.metadata.contract.as_ref().unwrap().address, "0x…");
        assert_eq!(e.tokens.len(), 1);
        assert_eq!(e.tokens[0].token_id.as_str(), "1");
        assert_eq!(
            e.tokens[0].metadata_uri.as_deref(),
            Some("https://…/ipfs/Qm…")
        );
        let out = encode(&v);
        assert!(out.ends_with(r#""tokens":[{"tokenId":"1","metadataURI":"https://…/ipfs/Qm…"}]}]"#));
        assert!(!out.contains("BigNumber"), "{out}");
        assert_eq!(decode::<ProjectInventory>(out.as_bytes()).unwrap(), v);
    }

    #[test]
    fn marketplace_sdk_example_canonical_form() {
        let v: ProjectInventory = decode(MP.as_bytes()).unwrap();
        let img = "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/287b86e8de6d472910015e048b04d08bc4a721aabb3e20651442c3a3c7946f94-anime%20armor.jpg";
        let uri = "https://purple-jealous-spoonbill-384.mypinata.cloud/ipfs/QmS2ErVJV7tp9YFGmSVahEjEzP5uzpub6MTRawnXpJDYJc";
        let want = format!(
            concat!(
                r#"[{{"collection":{{"id":"6585de73487f1429cb10bcb9","txHash":"0x11bb4d5fadbb9f6ab1b0d1be1bb50c52a5ac997c495e8e29131629e21774e06a"}},"#,
                r#""quantity":1,"metadata":{{"name":"Tanjiro","description":"Desc","image":"{img}","#,
                r#""externalUrl":"https://www.google.com","animationUrls":[],"#,
                r#""attributes":[{{"type":"boost","name":"magical damage","value":"2000"}}],"#,
                r#""contract":{{"address":"0x8a63860fF851bb1391a295dF717a3bD210eB2170","name":"Desc","symbol":"123","#,
                r#""image":"{img}","description":"LL","externalUrl":"https://xerial.io/"}},"#,
                r#""maxSupply":"3","edition":1}},"tokens":[{{"tokenId":"1","metadataURI":"{uri}"}}]}}]"#
            ),
            img = img,
            uri = uri
        );
        assert_eq!(encode(&v), want);
    }

    #[test]
    fn newer_shape_without_tx_hash_and_string_token_ids() {
        let body = br#"[{"collection":{"id":"c1"},"quantity":2,"metadata":{},
            "tokens":[{"tokenId":"7"},{"tokenId":8,"metadataURI":"ipfs://x"}]}]"#;
        let v: ProjectInventory = decode(body).unwrap();
        assert_eq!(v[0].collection.tx_hash, None);
        assert_eq!(
            encode(&v[0].tokens),
            r#"[{"tokenId":"7","metadataURI":null},{"tokenId":"8","metadataURI":"ipfs://x"}]"#
        );
        assert!(encode(&v).starts_with(r#"[{"collection":{"id":"c1","txHash":null},"quantity":2,"#));
        assert_eq!(encode(&decode::<ProjectInventory>(b"[]").unwrap()), "[]");
    }

    /// What Xerial's current marketplace UI reads: bare ids under `tokenIds`.
    const TOKEN_IDS: &str = r#"[{"collection":{"id":"c1"},"quantity":2,"metadata":{"name":"Blade"},
        "tokenIds":[4,"17"]}]"#;

    #[test]
    fn token_ids_form_delivers_tokens() {
        let v: ProjectInventory = decode_model(TOKEN_IDS.as_bytes()).unwrap();
        let ids: Vec<&str> = v[0].tokens.iter().map(|t| t.token_id.as_str()).collect();
        assert_eq!(ids, ["4", "17"]);
        assert!(encode(&v).ends_with(
            r#""tokens":[{"tokenId":"4","metadataURI":null},{"tokenId":"17","metadataURI":null}]}]"#
        ));
        assert!(!encode(&v).contains("tokenIds"));
        // The canonical output reads back to the same entry.
        assert_eq!(
            decode_model::<ProjectInventory>(encode(&v).as_bytes()).unwrap(),
            v
        );
    }

    #[test]
    fn null_tokens_beside_token_ids_reads_the_ids() {
        let v: ProjectInventory = decode_model(
            br#"[{"collection":{"id":"c1"},"quantity":1,"metadata":{},"tokens":null,"tokenIds":[3]}]"#,
        )
        .unwrap();
        assert_eq!(
            encode(&v[0].tokens),
            r#"[{"tokenId":"3","metadataURI":null}]"#
        );
    }

    #[test]
    fn both_forms_read_tokens_with_their_uris() {
        let both = br#"[{"collection":{"id":"c1"},"quantity":2,"metadata":{},
            "tokenIds":[1,2],
            "tokens":[{"0":{"type":"BigNumber","hex":"0x01"},"1":"ipfs://a","tokenId":1,"metadataURI":"ipfs://a"},
                      {"tokenId":"2","metadataURI":"ipfs://b"}]}]"#;
        let v: ProjectInventory = decode_model(both).unwrap();
        assert_eq!(
            encode(&v[0].tokens),
            r#"[{"tokenId":"1","metadataURI":"ipfs://a"},{"tokenId":"2","metadataURI":"ipfs://b"}]"#
        );
        // When the two disagree, `tokens` is what is read (documented on InventoryEntry).
        let disagree = br#"[{"collection":{"id":"c1"},"quantity":1,"metadata":{},
            "tokenIds":[9],"tokens":[{"tokenId":1}]}]"#;
        let v: ProjectInventory = decode_model(disagree).unwrap();
        assert_eq!(
            encode(&v[0].tokens),
            r#"[{"tokenId":"1","metadataURI":null}]"#
        );
        // `tokenIds: null` beside `tokens` is no obstacle.
        let null_ids = br#"[{"collection":{"id":"c1"},"quantity":1,"metadata":{},
            "tokenIds":null,"tokens":[{"tokenId":1}]}]"#;
        assert_eq!(decode_model::<ProjectInventory>(null_ids).unwrap(), v);
    }

    #[test]
    fn bad_token_ids_fail_to_decode() {
        for ids in [
            r#"[-1]"#,
            "[1.5]",
            r#"["0x01"]"#,
            r#"[{"tokenId":1}]"#,
            r#""1""#,
            "{}",
        ] {
            let body = format!(
                r#"[{{"collection":{{"id":"c"}},"quantity":1,"metadata":{{}},"tokenIds":{ids}}}]"#
            );
            let e = decode_model::<ProjectInventory>(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
        }
        let neither = br#"[{"collection":{"id":"c"},"quantity":1,"metadata":{}}]"#;
        let e = decode_model::<ProjectInventory>(neither).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.message().contains("tokenIds"), "{}", e.message());
    }

    #[test]
    fn bad_inventories_fail_to_decode() {
        let entry = |collection: &str, quantity: &str, tokens: &str| {
            format!(
                r#"[{{"collection":{collection},"quantity":{quantity},"metadata":{{}},"tokens":{tokens}}}]"#
            )
        };
        let bad = [
            String::from("{}"),
            entry(r#"{"txHash":"0x1"}"#, "1", "[]"),
            entry(r#"{"id":"c"}"#, "-1", "[]"),
            entry(r#"{"id":"c"}"#, "\"1\"", "[]"),
            entry(r#"{"id":"c"}"#, "1", r#"[{"metadataURI":"x"}]"#),
            entry(r#"{"id":"c"}"#, "1", r#"[{"tokenId":1.5}]"#),
            entry(r#"{"id":"c"}"#, "1", r#"[{"tokenId":"0x01"}]"#),
            String::from(r#"[{"collection":{"id":"c"},"quantity":1,"tokens":[]}]"#),
            String::from(r#"[{"collection":{"id":"c"},"quantity":1,"metadata":{}}]"#),
        ];
        for body in bad {
            let e = decode::<ProjectInventory>(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
        }
    }
}
