//! The authorization request and what comes back to the redirect URI (RFC 6749 §4.1, RFC 7636,
//! RFC 8252): the URL the player's browser opens, the redirect URIs a game may register, and the
//! answer a redirect carries (a code, or an `error`), accepted only with this sign-in's `state`.

use std::borrow::Cow;
use std::net::IpAddr;

use url::{Host, Position, Url};
use zeroize::Zeroizing;

use super::secret::Secret;
use crate::client::{Error, ErrorKind};

/// What Xerial's `POST /api/auth/google` needs from Google: an ID token with the player's e-mail.
const SCOPE: &str = "openid%20email";
/// Longest `error` / `error_description` kept from a provider (RFC 6749 restricts both to
/// printable ASCII; a longer or odd value is cut, never echoed raw).
const MAX_PROVIDER_TEXT: usize = 200;

/// The URL the player's browser opens: `authorize_url` with the code-flow parameters.
pub(crate) fn authorization_url(
    authorize_url: &str,
    client_id: &str,
    redirect_uri: &str,
    verifier: &Secret,
    state: &Secret,
) -> String {
    let encode = |value: &str| url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let parts: [(&str, Cow<str>); 7] = [
        ("response_type", "code".into()),
        ("client_id", Cow::Owned(encode(client_id))),
        ("redirect_uri", Cow::Owned(encode(redirect_uri))),
        ("scope", SCOPE.into()),
        ("code_challenge", verifier.challenge().into()),
        ("code_challenge_method", "S256".into()),
        ("state", state.as_str().into()),
    ];
    let mut url = String::with_capacity(authorize_url.len() + 400);
    url.push_str(authorize_url);
    for (i, (name, value)) in parts.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(name);
        url.push('=');
        url.push_str(value);
    }
    url
}

/// A redirect URI the game registered (`XerialSignInOptions.redirect_uri`): a private-use scheme
/// (`com.googleusercontent.apps.123-abc:/oauth2redirect`, RFC 8252 §7.1), a claimed `https` URL
/// (§7.2), or `http` to a loopback address (§7.3). No query or fragment: the answer's own
/// parameters are appended to it.
pub(crate) fn registered_redirect(text: &str) -> Result<Url, Error> {
    let refuse = |why: &str| Error::invalid_argument("redirect_uri", why);
    let url = Url::parse(text).map_err(|e| refuse(&format!("not a URL ({e})")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("must not have a query or fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(refuse(
                "plain http:// is only allowed to a loopback address",
            ))
        }
        "javascript" | "data" | "file" | "blob" | "about" | "ftp" | "ws" | "wss" => {
            return Err(refuse("not a scheme an app can receive a redirect on"))
        }
        _ => {}
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// What the authorization server sent back.
pub(crate) enum Answer {
    /// The authorization code, to exchange with the verifier.
    Code(Zeroizing<String>),
    /// `error` (and `error_description`): the player or the provider refused.
    Refused(String),
}

impl Answer {
    /// The code, or the refusal as `Denied`.
    pub(crate) fn into_code(self) -> Result<Zeroizing<String>, Error> {
        match self {
            Answer::Code(code) => Ok(code),
            Answer::Refused(why) => Err(Error::new(ErrorKind::Denied, why)),
        }
    }
}

/// Why a redirect is not taken.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NotTaken {
    /// Not this sign-in's: another redirect URI, or its `state` is missing or different.
    Foreign,
    /// This sign-in's `state`, but neither a code nor an `error`.
    Malformed,
}

/// Reads `url` as an answer to the sign-in that registered `redirect` with `state`.
pub(crate) fn read_answer(url: &Url, redirect: &Url, state: &Secret) -> Result<Answer, NotTaken> {
    if url[..Position::AfterPath] != redirect[..Position::AfterPath] {
        return Err(NotTaken::Foreign);
    }
    let (mut states, mut code, mut error, mut description) = (0, None, None, None);
    let mut state_matches = false;
    for (name, value) in url.query_pairs() {
        match &*name {
            "state" => {
                states += 1;
                state_matches = state.is(&value);
            }
            "code" => code = Some(Zeroizing::new(value.into_owned())),
            "error" => error = Some(value),
            "error_description" => description = Some(value),
            _ => {}
        }
    }
    // Exactly one `state`, and it is ours: a second one could smuggle another value past a
    // reader that looks at a different occurrence.
    if states != 1 || !state_matches {
        return Err(NotTaken::Foreign);
    }
    match (code, error) {
        (_, Some(error)) => Ok(Answer::Refused(refusal(&error, description.as_deref()))),
        (Some(code), None) if !code.is_empty() => Ok(Answer::Code(code)),
        _ => Err(NotTaken::Malformed),
    }
}

/// The message of a provider's refusal: `error` and its description, printable ASCII only,
/// bounded (RFC 6749 §4.1.2.1 allows nothing else in them).
fn refusal(error: &str, description: Option<&str>) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .take(MAX_PROVIDER_TEXT)
            .collect()
    };
    match description.map(clean).filter(|d| !d.is_empty()) {
        Some(description) => format!("{}: {description}", clean(error)),
        None => clean(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorization_url_carries_every_parameter() {
        let (verifier, state) = (Secret::random().unwrap(), Secret::random().unwrap());
        let url = authorization_url(
            "https://accounts.google.com/o/oauth2/v2/auth",
            "123-abc.apps.googleusercontent.com",
            "http://127.0.0.1:5000/s3cr3t/callback",
            &verifier,
            &state,
        );
        let expected = format!(
            "https://accounts.google.com/o/oauth2/v2/auth?response_type=code\
             &client_id=123-abc.apps.googleusercontent.com\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fs3cr3t%2Fcallback\
             &scope=openid%20email&code_challenge={}&code_challenge_method=S256&state={}",
            verifier.challenge(),
            state.as_str()
        );
        assert_eq!(url, expected);
        let parsed = Url::parse(&url).unwrap();
        let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
        assert!(pairs.contains(&(
            "redirect_uri".into(),
            "http://127.0.0.1:5000/s3cr3t/callback".into()
        )));
        assert!(pairs.contains(&("scope".into(), "openid email".into())));
        assert!(
            !url.contains(verifier.as_str()),
            "the verifier never leaves"
        );
    }

    #[test]
    fn registered_redirects_follow_rfc_8252() {
        for ok in [
            "com.googleusercontent.apps.123-abc:/oauth2redirect",
            "com.example.game:/signin",
            "https://game.example/signin",
            "http://127.0.0.1:8123/cb",
            "http://[::1]:8123/cb",
        ] {
            assert!(registered_redirect(ok).is_ok(), "{ok}");
        }
        for bad in [
            "not a url",
            "http://game.example/cb",
            "https://game.example/cb?x=1",
            "https://game.example/cb#f",
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///tmp/x",
        ] {
            let error = registered_redirect(bad).expect_err(bad);
            assert!(error.message().starts_with("redirect_uri: "), "{bad}");
        }
    }

    fn answer(redirect: &str, query: &str, state: &Secret) -> Result<Answer, NotTaken> {
        let url = Url::parse(&format!("{redirect}?{query}")).unwrap();
        read_answer(&url, &Url::parse(redirect).unwrap(), state)
    }

    #[test]
    fn answers_are_taken_only_with_this_state() {
        let state = Secret::random().unwrap();
        let s = state.as_str();
        let redirect = "com.example.game:/signin";
        match answer(redirect, &format!("code=4%2F0Ab&state={s}"), &state) {
            Ok(Answer::Code(code)) => assert_eq!(code.as_str(), "4/0Ab"),
            _ => panic!("a code"),
        }
        match answer(
            redirect,
            &format!("error=access_denied&error_description=The+user+said+no%0A%1B&state={s}"),
            &state,
        ) {
            Ok(Answer::Refused(why)) => assert_eq!(why, "access_denied: The user said no"),
            _ => panic!("a refusal"),
        }
        let other = Secret::random().unwrap();
        for foreign in [
            format!("code=x&state={}", other.as_str()),
            "code=x".to_owned(),
            format!("code=x&state={s}&state={}", other.as_str()),
            format!("code=x&state={s}&state={s}"),
            format!("code=x&state={}", &s[..42]),
        ] {
            assert_eq!(
                answer(redirect, &foreign, &state).err(),
                Some(NotTaken::Foreign),
                "{foreign}"
            );
        }
        let elsewhere = Url::parse(&format!("com.example.game:/other?code=x&state={s}")).unwrap();
        assert_eq!(
            read_answer(&elsewhere, &Url::parse(redirect).unwrap(), &state).err(),
            Some(NotTaken::Foreign)
        );
        for malformed in [format!("state={s}"), format!("code=&state={s}")] {
            assert_eq!(
                answer(redirect, &malformed, &state).err(),
                Some(NotTaken::Malformed)
            );
        }
    }

    #[test]
    fn a_provider_refusal_is_bounded_printable_text() {
        let long = "x".repeat(5000);
        let why = refusal("access_denied", Some(&long));
        assert_eq!(why.len(), "access_denied: ".len() + MAX_PROVIDER_TEXT);
        assert_eq!(refusal("bad\u{7}\u{202e}error", None), "baderror");
    }
}
