//! Client configuration and the base-URL rules of the ABI (§2 of the contract).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use url::{Host, Url};

use super::error::Error;
use super::store::SessionStoreKind;

/// Xerial's production wallet host. Staging is `https://wallet.staging.xerial.io`.
pub const PRODUCTION_URL: &str = "https://wallet.xerial.io";

/// Everything a [`Client`](super::Client) needs, with the defaults the C ABI documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Wallet host; paths are `/api/…` as in Xerial's docs. A path prefix is kept.
    pub base_url: String,
    /// Host of the marketplace/collections API (not published by Xerial).
    pub marketplace_url: Option<String>,
    /// The studio's project id.
    pub project_id: Option<String>,
    /// Deadline of a whole call, retries included.
    pub timeout: Duration,
    /// Deadline of establishing one connection.
    pub connect_timeout: Duration,
    /// Extra attempts for requests that are safe to repeat.
    pub max_retries: u32,
    /// File the session is kept in (see `session_store`).
    pub session_path: Option<PathBuf>,
    /// How the session is kept between runs; the default is the OS's protected store, or the
    /// `session_path` file when that is set.
    pub session_store: SessionStoreKind,
    /// Allow plain `http://` to hosts other than loopback.
    pub allow_insecure_http: bool,
    /// PEM certificates trusted in addition to the bundled web PKI roots.
    pub extra_root_ca_pem: Option<String>,
    /// Proxy for every request (`http://host:port`); `None` connects directly.
    pub proxy_url: Option<String>,
    /// Authorization endpoint of Google sign-in; `None`: [`GOOGLE_AUTHORIZE_URL`].
    pub oauth_authorize_url: Option<String>,
    /// Token endpoint of Google sign-in; `None`: [`GOOGLE_TOKEN_URL`].
    pub oauth_token_url: Option<String>,
}

/// Google's OAuth 2.0 authorization endpoint (the default `oauth_authorize_url`).
pub const GOOGLE_AUTHORIZE_URL: &str = "https://accounts.google.com/o/oauth2/v2/auth";
/// Google's OAuth 2.0 token endpoint (the default `oauth_token_url`).
pub const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

impl Default for ClientConfig {
    fn default() -> ClientConfig {
        ClientConfig {
            base_url: PRODUCTION_URL.to_owned(),
            marketplace_url: None,
            project_id: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 2,
            session_path: None,
            session_store: SessionStoreKind::Default,
            allow_insecure_http: false,
            extra_root_ca_pem: None,
            proxy_url: None,
            oauth_authorize_url: None,
            oauth_token_url: None,
        }
    }
}

/// A validated base URL, kept parsed: each request's URL is this one with its path set to the
/// prefix (without a trailing slash) followed by the endpoint's path
/// (`https://host/prefix` + `/api/auth/logout`), so no request parses URL text again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// The base URL with a long placeholder path: what [`join`](BaseUrl::join) clones. A clone's
    /// text is allocated at the length of the original's, so the joined path then replaces the
    /// placeholder in place, where the base's own short text would grow twice on the way.
    pattern: Url,
    /// The base URL's own path without its trailing slash; usually empty.
    prefix: String,
}

/// Bytes of placeholder path in [`BaseUrl::pattern`]: more than any endpoint's filled path.
const JOIN_ROOM: usize = 160;

impl BaseUrl {
    /// Applies the ABI's rules: parses, scheme `http`/`https`, plain HTTP only to loopback unless
    /// allowed, no query or fragment (they would swallow the appended path).
    pub(crate) fn parse(
        field: &str,
        text: &str,
        allow_insecure_http: bool,
    ) -> Result<BaseUrl, Error> {
        let url = Url::parse(text)
            .map_err(|e| Error::invalid_argument(field, &format!("not a valid URL ({e})")))?;
        match url.scheme() {
            "https" => {}
            "http" if allow_insecure_http || is_loopback(&url) => {}
            "http" => return Err(Error::invalid_argument(
                field,
                "plain http:// is only allowed to loopback hosts unless allow_insecure_http is 1",
            )),
            other => {
                return Err(Error::invalid_argument(
                    field,
                    &format!("scheme must be http or https, not {other}"),
                ))
            }
        }
        if url.host().is_none() {
            return Err(Error::invalid_argument(field, "URL has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid_argument(
                field,
                "URL must not have a query or fragment",
            ));
        }
        let prefix = url.path().trim_end_matches('/').to_owned();
        let mut pattern = url;
        pattern.set_path(&[prefix.as_str(), "/", &"x".repeat(JOIN_ROOM)].concat());
        Ok(BaseUrl { pattern, prefix })
    }

    /// The base URL's own path without its trailing slash (usually empty).
    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The full URL of `path` (which starts with `/` and may end with a `?query`).
    pub(crate) fn join(&self, path: &str) -> Url {
        let (path, query) = match super::endpoint::find_byte(path, b'?') {
            Some(at) => (&path[..at], Some(&path[at + 1..])),
            None => (path, None),
        };
        let mut url = self.pattern.clone();
        if self.prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&[self.prefix.as_str(), path].concat());
        }
        url.set_query(query);
        url
    }
}

/// Applies `base_url`'s rules to the sign-in endpoints the configuration overrides.
pub(crate) fn check_oauth_urls(config: &ClientConfig) -> Result<(), Error> {
    for (field, url) in [
        ("oauth_authorize_url", &config.oauth_authorize_url),
        ("oauth_token_url", &config.oauth_token_url),
    ] {
        if let Some(url) = url {
            BaseUrl::parse(field, url, config.allow_insecure_http)?;
        }
    }
    Ok(())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BaseUrl, Error> {
        BaseUrl::parse("base_url", text, false)
    }

    #[test]
    fn accepts_https_and_loopback_http() {
        for ok in [
            "https://wallet.xerial.io",
            "http://localhost:8080",
            "http://127.0.0.5:1",
            "http://[::1]:9",
            "HTTP://LOCALHOST",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_what_the_abi_refuses() {
        for bad in [
            "not a url",
            "ftp://x",
            "http://example.com",
            "http://10.0.0.1",
            "https://x/?q=1",
            "https://x/#f",
            "file:///tmp",
        ] {
            let err = parse(bad).expect_err(bad);
            assert_eq!(
                err.kind(),
                super::super::ErrorKind::InvalidArgument,
                "{bad}"
            );
            assert!(err.message().starts_with("base_url: "), "{}", err.message());
        }
        assert!(BaseUrl::parse("base_url", "http://example.com", true).is_ok());
    }

    #[test]
    fn internationalised_hosts_must_be_given_in_punycode() {
        // The build carries no Unicode tables for host names (Cargo.toml: idna_adapter).
        let err = parse("https://bücher.example").unwrap_err();
        assert!(err.message().starts_with("base_url: "), "{}", err.message());
        assert!(parse("https://xn--bcher-kva.example").is_ok());
    }

    #[test]
    fn keeps_a_prefix_and_drops_a_trailing_slash() {
        assert_eq!(
            parse("https://host/prefix/")
                .unwrap()
                .join("/api/auth/logout")
                .as_str(),
            "https://host/prefix/api/auth/logout"
        );
        assert_eq!(
            parse("https://host").unwrap().join("/api/user").as_str(),
            "https://host/api/user"
        );
        assert_eq!(
            parse("http://127.0.0.1:8080/")
                .unwrap()
                .join("/collections?project=p1")
                .as_str(),
            "http://127.0.0.1:8080/collections?project=p1"
        );
    }
}
