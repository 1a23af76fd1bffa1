//! The checks Google's authorization server makes on what a client sends (OAuth 2.0, RFC 6749;
//! PKCE, RFC 7636; native apps, RFC 8252), as far as an offline mock can make them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::digest::{digest, SHA256};
use url::{Host, Url};

/// Longest parameter value read anywhere (client ids, URIs, scopes, states, nonces, emails).
pub const MAX_PARAM_BYTES: usize = 2048;

/// Every Google OAuth client id ends so (`1234-abc.apps.googleusercontent.com`).
const CLIENT_ID_SUFFIX: &str = ".apps.googleusercontent.com";

/// Whether `id` has the shape of a Google OAuth client id. The mock keeps no client
/// registry: any id of that shape is a registered client; anything else is one Google
/// would not find (`invalid_client`).
pub fn is_client_id(id: &str) -> bool {
    id.len() <= MAX_PARAM_BYTES
        && id.strip_suffix(CLIENT_ID_SUFFIX).is_some_and(|prefix| {
            !prefix.is_empty()
                && prefix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Checks a `redirect_uri` as an installed app's (RFC 8252 §7): plain `http` to a loopback
/// host (`127.0.0.1`, `[::1]`, `localhost`, any port), or a private-use scheme in reverse
/// domain form (`com.example.game:/callback`). Never `https`, never `http` to another host:
/// the mock must not send a code to an arbitrary web site. No fragment (RFC 6749 §3.1.2).
pub fn redirect_uri(text: &str) -> Result<Url, &'static str> {
    if text.len() > MAX_PARAM_BYTES {
        return Err("redirect_uri is too long");
    }
    let url = Url::parse(text).map_err(|_| "redirect_uri is not an absolute URI")?;
    if url.fragment().is_some() {
        return Err("redirect_uri must not contain a fragment");
    }
    match url.scheme() {
        "http" => match url.host() {
            Some(Host::Ipv4(ip)) if ip.is_loopback() => Ok(url),
            Some(Host::Ipv6(ip)) if ip.is_loopback() => Ok(url),
            Some(Host::Domain("localhost")) => Ok(url),
            _ => Err("redirect_uri: plain http is allowed only to a loopback address"),
        },
        "https" => {
            Err("redirect_uri: an installed app redirects to loopback http or its own scheme")
        }
        scheme if scheme.contains('.') => Ok(url),
        _ => Err("redirect_uri: a custom scheme must be in reverse domain form (com.example.app)"),
    }
}

/// PKCE's characters: ALPHA / DIGIT / "-" / "." / "_" / "~", 43 to 128 of them (RFC 7636 §4.1
/// and §4.2).
pub fn is_pkce_value(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// `BASE64URL(SHA256(verifier))`, no padding: the S256 challenge of `verifier` (RFC 7636 §4.2).
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

/// Whether `text` will do as an e-mail address for a test account.
pub fn is_email(text: &str) -> bool {
    text.len() <= 254
        && text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && text
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '<' && c != '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids() {
        assert!(is_client_id("1234-abc.apps.googleusercontent.com"));
        for bad in [
            "",
            ".apps.googleusercontent.com",
            "demo-client",
            "a b.apps.googleusercontent.com",
            "x.apps.googleusercontent.com.evil",
        ] {
            assert!(!is_client_id(bad), "{bad}");
        }
    }

    #[test]
    fn redirect_uris() {
        for good in [
            "http://127.0.0.1:5000/secret/callback",
            "http://127.9.9.9/cb",
            "http://[::1]:8080/cb?x=1",
            "http://localhost:1/cb",
            "com.example.game:/oauth2redirect",
        ] {
            assert!(redirect_uri(good).is_ok(), "{good}");
        }
        for bad in [
            "https://127.0.0.1/cb",
            "https://evil.example/cb",
            "http://evil.example/cb",
            "http://127.0.0.1.evil.example/cb",
            "http://localhost.evil.example/cb",
            "http://10.0.0.1/cb",
            "http://127.0.0.1/cb#frag",
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "/relative",
            "",
        ] {
            assert!(redirect_uri(bad).is_err(), "{bad}");
        }
        // Userinfo does not change the host.
        assert!(redirect_uri("http://evil.example@127.0.0.1/cb").is_ok());
    }

    #[test]
    fn pkce() {
        // RFC 7636 appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(
            s256(verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(is_pkce_value(verifier));
        assert!(!is_pkce_value(&verifier[..42]));
        assert!(!is_pkce_value(&"a".repeat(129)));
        assert!(!is_pkce_value(&format!("{}+", &verifier[..42])));
    }

    #[test]
    fn emails() {
        assert!(is_email("player@example.com"));
        for bad in [
            "",
            "player",
            "@example.com",
            "a@b",
            "a b@c.d",
            "a@.com",
            "<a@b.c>",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
