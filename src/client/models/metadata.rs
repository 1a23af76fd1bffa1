//! Xerial's NFT metadata object, shared by the project inventory (#7) and both marketplace
//! listings (#24, #25).

use serde::{Deserialize, Serialize};

use super::decimal::{opt_string_or_number, Uint};

/// Metadata of a Xerial NFT type (`metadata` in #7, #24, #25).
///
/// Every field is optional. Canonical:
/// `{"name":"Tanjiro","description":"Desc","image":"https://…","externalUrl":"https://…","animationUrls":[],"attributes":[{"type":"boost","name":"magical damage","value":"2000"}],"contract":{ContractInfo…},"maxSupply":"3","edition":1}`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NftMetadata {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Image URL.
    #[serde(default)]
    pub image: Option<String>,
    /// The studio's link for the item.
    #[serde(default)]
    pub external_url: Option<String>,
    /// Animations (videos, 3D models…).
    #[serde(default)]
    pub animation_urls: Option<Vec<AnimationUrl>>,
    /// Game attributes.
    #[serde(default)]
    pub attributes: Option<Vec<Attribute>>,
    /// The collection contract.
    #[serde(default)]
    pub contract: Option<ContractInfo>,
    /// How many tokens of this type can exist (a string on Xerial's side, kept as a string).
    #[serde(default)]
    pub max_supply: Option<Uint>,
    /// Edition number.
    #[serde(default)]
    pub edition: Option<u64>,
}

/// One animation of an NFT: `{"type":"video","value":"https://….mp4"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnimationUrl {
    /// Media kind, e.g. `"video"`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The URL.
    pub value: String,
}

/// One game attribute of an NFT: `{"type":"boost","name":"magical damage","value":"2000"}`.
///
/// Kinds seen: `"boost"`, `"property"`, `"stat"`. `value` is a string (a number on input is
/// written as a string).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// Attribute kind.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Attribute name.
    #[serde(default)]
    pub name: Option<String>,
    /// Attribute value.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub value: Option<String>,
}

/// The collection contract an NFT type belongs to (`metadata.contract`).
///
/// Canonical: `{"address":"0x8a63…2170","name":"Desc","symbol":"123","image":"https://…","description":"LL","externalUrl":"https://xerial.io/"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractInfo {
    /// Contract address: the `collectionAddress` of purchases and transfers.
    pub address: String,
    /// Collection name.
    #[serde(default)]
    pub name: Option<String>,
    /// Collection symbol.
    #[serde(default)]
    pub symbol: Option<String>,
    /// Collection image URL.
    #[serde(default)]
    pub image: Option<String>,
    /// Collection description.
    #[serde(default)]
    pub description: Option<String>,
    /// The studio's link for the collection.
    #[serde(default)]
    pub external_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, encode};
    use crate::client::ErrorKind;

    #[test]
    fn full_metadata_round_trips() {
        let body = r#"{
    "name": "Tanjiro", "description": "Desc", "image": "https://img",
    "externalUrl": "https://ext",
    "animationUrls": [ { "type": "video", "value": "https://v.mp4" } ],
    "attributes": [ { "type": "boost", "name": "magical damage", "value": "2000" } ],
    "contract": { "address": "0x8a63860fF851bb1391a295dF717a3bD210eB2170", "name": "Desc",
                  "symbol": "123", "image": "https://cimg", "description": "LL",
                  "externalUrl": "https://xerial.io/" },
    "maxSupply": "3",
    "edition": 1
  }"#;
        let m: NftMetadata = decode(body.as_bytes()).unwrap();
        assert_eq!(m.max_supply.as_ref().map(Uint::as_str), Some("3"));
        assert_eq!(m.edition, Some(1));
        assert_eq!(
            m.animation_urls.as_ref().unwrap()[0].kind.as_deref(),
            Some("video")
        );
        let want = concat!(
            r#"{"name":"Tanjiro","description":"Desc","image":"https://img","externalUrl":"https://ext","#,
            r#""animationUrls":[{"type":"video","value":"https://v.mp4"}],"#,
            r#""attributes":[{"type":"boost","name":"magical damage","value":"2000"}],"#,
            r#""contract":{"address":"0x8a63860fF851bb1391a295dF717a3bD210eB2170","name":"Desc","#,
            r#""symbol":"123","image":"https://cimg","description":"LL","externalUrl":"https://xerial.io/"},"#,
            r#""maxSupply":"3","edition":1}"#
        );
        assert_eq!(encode(&m), want);
        assert_eq!(decode::<NftMetadata>(want.as_bytes()).unwrap(), m);
    }

    #[test]
    fn missing_metadata_fields_are_null() {
        let m: NftMetadata = decode(b"{}").unwrap();
        assert_eq!(m, NftMetadata::default());
        assert_eq!(
            encode(&m),
            concat!(
                r#"{"name":null,"description":null,"image":null,"externalUrl":null,"#,
                r#""animationUrls":null,"attributes":null,"contract":null,"maxSupply":null,"edition":null}"#
            )
        );
    }

    #[test]
    fn attribute_values_may_be_numbers() {
        let a: Attribute = decode(br#"{"type":"stat","name":"Float","value":0.18201123}"#).unwrap();
        assert_eq!(a.value.as_deref(), Some("0.18201123"));
        let a: Attribute = decode(br#"{"name":"Level","value":7}"#).unwrap();
        assert_eq!(encode(&a), r#"{"type":null,"name":"Level","value":"7"}"#);
        assert!(decode::<Attribute>(br#"{"name":"x","value":true}"#).is_err());
    }

    #[test]
    fn metadata_wrong_types_fail() {
        for bad in [
            &br#"{"maxSupply": "three"}"#[..],
            br#"{"edition": "1st"}"#,
            br#"{"edition": -1}"#,
            br#"{"attributes": {}}"#,
            br#"{"animationUrls": [{"type": "video"}]}"#,
            br#"{"contract": {"name": "no address"}}"#,
            br#"{"name": 5}"#,
        ] {
            assert_eq!(
                decode::<NftMetadata>(bad).unwrap_err().kind(),
                ErrorKind::Decode
            );
        }
    }
}
