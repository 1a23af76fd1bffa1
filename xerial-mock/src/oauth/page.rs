//! The two pages a player sees: the consent page and the error page. Small, plain HTML with
//! no external assets; stable element ids so a browser test can drive them (`#allow`, `#deny`,
//! `#email`, `#account-0`…, `#error-code`, `#error-description`).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;\
padding:0 1rem;color:#202124}h1{font-size:1.4rem}.note{color:#5f6368;font-size:.9rem}\
fieldset{border:1px solid #dadce0;border-radius:8px;margin:1rem 0}label{display:block;\
margin:.4rem 0}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}";

/// `text` safe inside HTML text and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n",
        escape(title)
    );
    (
        status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// What the consent page shows and carries.
pub struct Consent<'a> {
    /// Id of the held request, posted back with the decision.
    pub request_id: &'a str,
    /// The client asking.
    pub client_id: &'a str,
    /// The scopes asked for.
    pub scope: &'a str,
    /// The test accounts to choose from (e-mails); the first is preselected unless `hint`
    /// names one of them.
    pub accounts: &'a [String],
    /// `login_hint`: preselects that account, or fills the e-mail field when it is not one.
    pub hint: Option<&'a str>,
}

/// The consent page: one radio button per account (the preselected one checked, so clicking
/// `#allow` suffices), an `#email` field that wins when filled, `#allow` and `#deny`.
pub fn consent(c: &Consent<'_>) -> Response {
    let chosen = c
        .hint
        .and_then(|hint| c.accounts.iter().position(|a| a.eq_ignore_ascii_case(hint)))
        .unwrap_or(0);
    let typed = c
        .hint
        .filter(|hint| !c.accounts.iter().any(|a| a.eq_ignore_ascii_case(hint)))
        .unwrap_or("");
    let radios: String = c
        .accounts
        .iter()
        .enumerate()
        .map(|(i, account)| {
            format!(
                "<label><input type=\"radio\" name=\"account\" id=\"account-{i}\" value=\"{0}\"{1}> {0}</label>\n",
                escape(account),
                if i == chosen { " checked" } else { "" }
            )
        })
        .collect();
    let body = format!(
        "<h1>Choose an account</h1>\n\
         <p>to continue to <b id=\"client-id\">{client}</b>, which asks for <code id=\"scope\">{scope}</code></p>\n\
         <p class=\"note\">Google, played offline by xerial-mock: no password; nothing leaves this machine.</p>\n\
         <form method=\"post\" action=\"/oauth/authorize\">\n\
         <input type=\"hidden\" name=\"request\" value=\"{request}\">\n\
         <fieldset><legend>Test accounts</legend>\n{radios}\
         <label>or another e-mail: <input type=\"email\" name=\"email\" id=\"email\" value=\"{typed}\" autocomplete=\"off\"></label>\n\
         </fieldset>\n\
         <button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow\">Allow</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\n\
         </form>",
        client = escape(c.client_id),
        scope = escape(c.scope),
        request = escape(c.request_id),
        typed = escape(typed),
    );
    html(StatusCode::OK, "Sign in - Google (xerial-mock)", &body)
}

/// An error page, as Google shows one instead of redirecting when it cannot trust the request
/// (`Error 400: invalid_request`): nothing is sent to the `redirect_uri`.
pub fn error(code: &str, description: &str) -> Response {
    let body = format!(
        "<h1>Access blocked: this request is invalid</h1>\n\
         <p>Error 400: <b id=\"error-code\">{}</b></p>\n<p id=\"error-description\">{}</p>",
        escape(code),
        escape(description)
    );
    html(
        StatusCode::BAD_REQUEST,
        "Error 400 - Google (xerial-mock)",
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
