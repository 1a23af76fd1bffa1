//! A studio's project: `GET {marketplace}/marketplace/{domain}` (#26), also embedded in the
//! collections answer (#23).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A project as the marketplace shows it.
///
/// Reads the bare object (since 2024-03) and the older `{"project":{…}}` wrapper, whose siblings
/// may carry `studioAddress`; reads `banner` or the older `userBanner` (written as `banner`).
/// Canonical:
/// `{"id":"6564b4f3fa203b318f65da05","address":"0x7d78…","network":null,"name":"Special project","description":"Project description","category":"MMORPG","tokenName":"","tokenLogo":"","logo":"https://…","banner":"https://…","trailer":"http://www.google.com","downloadLink":"http://www.google.com","socialMedias":{"twitter":"https://twitter.com/xerial","instagram":"https://instagram.com/xerial","discord":"https://discord.gg/r9s9cz","linkedin":"https://linkedin.com/in/xerial"},"symbol":"SPJ","domain":"xerial.io","developer":null,"wallet":null,"studioAddress":null}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// Project id (the `projectId` of other calls).
    pub id: String,
    /// The project's on-chain (studio) address.
    pub address: Option<String>,
    /// Chain the project lives on (older answers), e.g. `"polygon"`.
    pub network: Option<String>,
    /// Project name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Game category, e.g. `"MMORPG"`.
    pub category: Option<String>,
    /// Name of the game's token (often `""`).
    pub token_name: Option<String>,
    /// Logo URL of the game's token (often `""`).
    pub token_logo: Option<String>,
    /// Logo URL.
    pub logo: Option<String>,
    /// Banner URL (`userBanner` in older answers).
    pub banner: Option<String>,
    /// Trailer URL.
    pub trailer: Option<String>,
    /// Download link of the game.
    pub download_link: Option<String>,
    /// Social links.
    pub social_medias: Option<SocialMedias>,
    /// Token symbol.
    pub symbol: Option<String>,
    /// The marketplace domain.
    pub domain: Option<String>,
    /// Id of the developer account.
    pub developer: Option<String>,
    /// Id of the project's wallet.
    pub wallet: Option<String>,
    /// The studio address (a sibling of `project` in wrapped answers).
    pub studio_address: Option<String>,
}

/// A project's social links (`socialMedias`; each may be missing or `""`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SocialMedias {
    /// Twitter / X URL.
    #[serde(default)]
    pub twitter: Option<String>,
    /// Instagram URL.
    #[serde(default)]
    pub instagram: Option<String>,
    /// Discord invite URL.
    #[serde(default)]
    pub discord: Option<String>,
    /// LinkedIn URL.
    #[serde(default)]
    pub linkedin: Option<String>,
}

/// What Xerial sends for a project, both spellings of the banner included.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProjectFields {
    id: String,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    network: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    token_name: Option<String>,
    #[serde(default)]
    token_logo: Option<String>,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    banner: Option<String>,
    #[serde(default)]
    user_banner: Option<String>,
    #[serde(default)]
    trailer: Option<String>,
    #[serde(default)]
    download_link: Option<String>,
    #[serde(default)]
    social_medias: Option<SocialMedias>,
    #[serde(default)]
    symbol: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    developer: Option<String>,
    #[serde(default)]
    wallet: Option<String>,
    #[serde(default)]
    studio_address: Option<String>,
}

/// The older wrapper: `{"studioAddress"?, "project":{…}, …}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wrapped {
    project: ProjectFields,
    #[serde(default)]
    studio_address: Option<String>,
}

impl From<ProjectFields> for Project {
    fn from(p: ProjectFields) -> Project {
        Project {
            id: p.id,
            address: p.address,
            network: p.network,
            name: p.name,
            description: p.description,
            category: p.category,
            token_name: p.token_name,
            token_logo: p.token_logo,
            logo: p.logo,
            banner: p.banner.or(p.user_banner),
            trailer: p.trailer,
            download_link: p.download_link,
            social_medias: p.social_medias,
            symbol: p.symbol,
            domain: p.domain,
            developer: p.developer,
            wallet: p.wallet,
            studio_address: p.studio_address,
        }
    }
}

impl<'de> Deserialize<'de> for Project {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Project, D::Error> {
        // Both shapes are objects; a `project` member that is itself an object marks the
        // wrapper (in a bare project, and in a collection, `project` is absent or an id).
        let value = Value::deserialize(deserializer)?;
        if !value.is_object() {
            return Err(serde::de::Error::custom("a project must be a JSON object"));
        }
        let wrapped = value.get("project").is_some_and(Value::is_object);
        let result = if wrapped {
            Wrapped::deserialize(value).map(|w| {
                let mut project = Project::from(w.project);
                project.studio_address = project.studio_address.or(w.studio_address);
                project
            })
        } else {
            ProjectFields::deserialize(value).map(Project::from)
        };
        result.map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, encode};
    use crate::client::ErrorKind;

    /// marketplace-web3-sdk WEB2-FUNCTIONS.md `getProjectForDomain` (the wrapped, pre-2024-03
    /// answer), verbatim.
    const WRAPPED: &str = r#"{
  "project": {
    "id": "6564b4f3fa203b318f65da05",
    "address": "0x7d78B5a8b04151E0741875c2d6e3Cb6A8207jK8a",
    "name": "Special project",
    "description": "Project description",
    "category": "MMORPG",
    "tokenName": "",
    "tokenLogo": "",
    "userBanner": "https://xerial-main-bucket.s3.us-east-1.amazonaws.com/46935ee6d252d9510a71cd7452dadcb06aa6ad73433f4c3e642c541c138a436e-game%20banner.jpg",
    "logo": "https://xerial-main-bucket.s3.amazonaws.com/450ebc6038f65cb00973c284b893eec10c09cde7a1fd05edce21fa06493c9412-nezuko.jpg",
    "trailer": "http://www.google.com",
    "downloadLink": "http://www.google.com",
    "socialMedias": {
      "twitter": "https://twitter.com/xerial",
      "instagram": "https://instagram.com/xerial",
      "discord": "https://discord.gg/r9s9cz",
      "linkedin": "https://linkedin.com/in/xerial",
      "_id": "658c3cc10c24dd5e00161a34"
    },
    "symbol": "SPJ",
    "domain": "xerial.io"
  }
}"#;

    /// The Secondary Purchase doc page's (misplaced) example: a wrapper with `studioAddress`,
    /// `developer` and `wallet`.
    const WRAPPED_STUDIO: &str = r#"{
   "studioAddress":"0xf48b45F70a16FdcCe76d3E494Cb979144D1Ca0A8",
   "project":{
      "address":"0xf48b45F70a16FdcCe76d3E494Cb979144D1Ca0A8",
      "name":"god",
      "description":"lorem ipsum dolor sit amet",
      "category":"MMORPG",
      "tokenName":"",
      "tokenLogo":"",
      "logo":"https://dw34dswplasn9.cloudfront.net/1.jpg",
      "trailer":"3D",
      "downloadLink":"https://god.com",
      "userBanner":"https://dw344e88ccd9566-f721a73816-drift.jpg",
      "domain":"richard",
      "symbol":"GOD",
      "socialMedias":{
         "twitter":"",
         "instagram":"",
         "discord":"",
         "linkedin":"",
         "_id":"659866973ab5dd9fe0e5283b"
      },
      "developer":"659866963ab5dd9fe0e52838",
      "wallet":"65d3d2293a63ccc699e21136",
      "id":"659866973ab5dd9fe0e5283a"
   },
   "collections":[]
}"#;

    #[test]
    fn wrapped_and_bare_read_the_same() {
        let wrapped: Project = decode(WRAPPED.as_bytes()).unwrap();
        assert_eq!(wrapped.id, "6564b4f3fa203b318f65da05");
        assert_eq!(wrapped.name.as_deref(), Some("Special project"));
        assert!(wrapped
            .banner
            .as_deref()
            .unwrap()
            .ends_with("game%20banner.jpg"));
        assert_eq!(wrapped.token_name.as_deref(), Some(""));
        let social = wrapped.social_medias.as_ref().unwrap();
        assert_eq!(social.discord.as_deref(), Some("https://discord.gg/r9s9cz"));
        assert_eq!(
            (wrapped.developer.as_ref(), wrapped.studio_address.as_ref()),
            (None, None)
        );

        // The bare shape with the new key name.
        let bare_json =
            serde_json::to_string(&serde_json::from_str::<Value>(WRAPPED).unwrap()["project"])
                .unwrap()
                .replace("userBanner", "banner");
        let bare: Project = decode(bare_json.as_bytes()).unwrap();
        assert_eq!(bare, wrapped);

        let out = encode(&bare);
        assert!(out.starts_with(r#"{"id":"6564b4f3fa203b318f65da05","address":"0x7d78B5a8b04151E0741875c2d6e3Cb6A8207jK8a","network":null,"name":"Special project","#), "{out}");
        assert!(
            out.contains(r#""banner":"https://xerial-main-bucket"#),
            "{out}"
        );
        assert!(!out.contains("userBanner") && !out.contains("_id"), "{out}");
        assert!(out.ends_with(concat!(
            r#""socialMedias":{"twitter":"https://twitter.com/xerial","instagram":"https://instagram.com/xerial","#,
            r#""discord":"https://discord.gg/r9s9cz","linkedin":"https://linkedin.com/in/xerial"},"#,
            r#""symbol":"SPJ","domain":"xerial.io","developer":null,"wallet":null,"studioAddress":null}"#
        )), "{out}");
        assert_eq!(decode::<Project>(out.as_bytes()).unwrap(), bare);
    }

    #[test]
    fn wrapper_siblings_developer_and_wallet() {
        let p: Project = decode(WRAPPED_STUDIO.as_bytes()).unwrap();
        assert_eq!(p.id, "659866973ab5dd9fe0e5283a");
        assert_eq!(
            p.studio_address.as_deref(),
            Some("0xf48b45F70a16FdcCe76d3E494Cb979144D1Ca0A8")
        );
        assert_eq!(p.developer.as_deref(), Some("659866963ab5dd9fe0e52838"));
        assert_eq!(p.wallet.as_deref(), Some("65d3d2293a63ccc699e21136"));
        assert_eq!(
            p.banner.as_deref(),
            Some("https://dw344e88ccd9566-f721a73816-drift.jpg")
        );
        assert_eq!(
            p.social_medias.as_ref().unwrap().twitter.as_deref(),
            Some("")
        );
    }

    #[test]
    fn banner_wins_over_user_banner_and_minimal_project() {
        let p: Project = decode(br#"{"id":"p","banner":"new","userBanner":"old"}"#).unwrap();
        assert_eq!(p.banner.as_deref(), Some("new"));
        let p: Project = decode(br#"{"id":"p","socialMedias":{"_id":"x"}}"#).unwrap();
        assert_eq!(
            encode(&p),
            concat!(
                r#"{"id":"p","address":null,"network":null,"name":null,"description":null,"category":null,"#,
                r#""tokenName":null,"tokenLogo":null,"logo":null,"banner":null,"trailer":null,"downloadLink":null,"#,
                r#""socialMedias":{"twitter":null,"instagram":null,"discord":null,"linkedin":null},"#,
                r#""symbol":null,"domain":null,"developer":null,"wallet":null,"studioAddress":null}"#
            )
        );
    }

    #[test]
    fn bad_projects_fail_to_decode() {
        for bad in [
            &b"{}"[..],
            b"[]",
            b"null",
            br#"{"name":"no id"}"#,
            br#"{"project":{"name":"no id"}}"#,
            br#"{"project":{"id":"p"},"studioAddress":5}"#,
            br#"{"id":"p","socialMedias":"x"}"#,
            br#"{"id":7}"#,
        ] {
            let e = decode::<Project>(bad).unwrap_err();
            assert_eq!(
                e.kind(),
                ErrorKind::Decode,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
