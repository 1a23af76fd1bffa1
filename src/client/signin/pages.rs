//! What the player's browser tab shows: the short "return to the game" pages, and the browser
//! wallet's page. None of them carries a token, a code or a signature.

use super::http::{Reply, LOCKED_DOWN};

/// The wallet page: asks the page's EIP-1193 provider for the account and a `personal_sign` of
/// the nonce, posting each step back to the listener.
const WALLET_PAGE: &str = include_str!("wallet.html");
/// The wallet page runs its own inline script and calls only its own origin.
const WALLET_POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// How a sign-in ended, as far as the browser tab is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    SignedIn,
    Cancelled,
    Failed,
}

/// The page that ends a browser sign-in.
pub(crate) fn ending(ending: Ending) -> Reply {
    let (title, text) = match ending {
        Ending::SignedIn => (
            "Signed in",
            "You are signed in. You can close this tab and return to the game.",
        ),
        Ending::Cancelled => (
            "Sign-in cancelled",
            "Sign-in was cancelled. You can close this tab and return to the game.",
        ),
        Ending::Failed => (
            "Sign-in failed",
            "Sign-in did not complete. Return to the game to see why and try again.",
        ),
    };
    Reply {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <style>body{{font:18px/1.5 system-ui,sans-serif;margin:4em auto;max-width:32em;padding:0 1em}}</style>\
             </head><body><h1 id=\"title\">{title}</h1><p>{text}</p></body></html>"
        ),
        policy: LOCKED_DOWN,
    }
}

/// The wallet page.
pub(crate) fn wallet() -> Reply {
    Reply {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: WALLET_PAGE.to_owned(),
        policy: WALLET_POLICY,
    }
}
