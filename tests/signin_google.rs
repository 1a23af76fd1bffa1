//! Sign in with Google through the C ABI (§9): the desktop loopback flow and the mobile redirect,
//! every refusal of the listener, and the request promises (deadline, cancel, shutdown, one
//! sign-in at a time). The authorization server is `support::oauth::FakeGoogle` (its token
//! endpoint checks PKCE, single use, the redirect URI and the client); the player's browser is a
//! plain HTTP client. The same flows in headless Chromium: `tests/browser/signin.test.mjs`.

mod support;

use std::ffi::CString;
use std::time::{Duration, Instant};

use support::oauth::{
    browse, browse_with, params_of, port_open, with_query, CLIENT_ID, CLIENT_SECRET,
};
use support::signin::{world, World};
use support::{exclusive, poll_until, record};
use xerial::*;

fn player_is_logged_in(world: &World) {
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    let id = xerial_user_get(Some(record), world.ledger.user_data());
    assert_eq!(world.result(id).code, XERIAL_OK, "xerial_user_get");
}

#[test]
fn a_desktop_player_signs_in_with_google() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let options = world.options();
    let id = world.start(&options);
    let url = world.url(0);
    assert_eq!(
        world.opened.threads(),
        vec![std::thread::current().id()],
        "inside xerial_poll"
    );
    assert!(url.starts_with(&format!(
        "{}?response_type=code&",
        world.google.authorize_url()
    )));
    let params = params_of(&url);
    assert_eq!(params["client_id"], CLIENT_ID);
    assert_eq!(params["code_challenge"].len(), 43);
    assert_eq!(params["state"].len(), 43);
    let redirect = &params["redirect_uri"];
    assert!(
        redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"),
        "{redirect}"
    );

    let consent = world.google.allow(&url, "alice@example.com");
    let (status, page) = browse(&consent.redirect);
    assert_eq!(status, 200);
    assert!(page.contains("You are signed in"), "{page}");
    assert!(!page.contains(&consent.code), "the page shows no code");

    let result = world.result(id);
    assert_eq!(result.code, XERIAL_OK, "{}", result.message);
    assert!(result.body.contains("\"accessExpires\"") && !result.body.contains("token"));
    player_is_logged_in(&world);
    let form = &world.google.token_requests()[0];
    assert_eq!(form["client_secret"], CLIENT_SECRET);
    assert_eq!(form["redirect_uri"], *redirect);
    assert!(!port_open(redirect), "the listener closed after success");
}

#[test]
fn foreign_answers_are_404_and_the_sign_in_goes_on() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let options = world.options();
    let id = world.start(&options);
    let url = world.url(0);
    let consent = world.google.allow(&url, "bob@example.com");
    let params = params_of(&consent.redirect);
    let callback = params_of(&url)["redirect_uri"].clone();
    let origin = callback.split('/').take(3).collect::<Vec<_>>().join("/");
    for (what, foreign) in [
        (
            "wrong state",
            with_query(&callback, &[("code", &params["code"]), ("state", "forged")]),
        ),
        (
            "no state",
            with_query(&callback, &[("code", &params["code"])]),
        ),
        (
            "a state twice",
            format!("{}&state=forged", consent.redirect),
        ),
        (
            "no secret",
            with_query(
                &format!("{origin}/callback"),
                &[("code", &params["code"]), ("state", &params["state"])],
            ),
        ),
        (
            "the state but no code",
            with_query(&callback, &[("state", &params["state"])]),
        ),
    ] {
        assert_eq!(browse(&foreign).0, 404, "{what}");
    }
    let evil = "Origin: http://evil.example\r\n";
    assert_eq!(
        browse_with(&consent.redirect, evil).0,
        403,
        "another origin"
    );
    assert!(world.ledger.get(id).is_empty(), "still waiting");
    assert!(
        world.google.token_requests().is_empty(),
        "nothing exchanged"
    );

    assert_eq!(browse(&consent.redirect).0, 200);
    assert_eq!(world.result(id).code, XERIAL_OK);
    // Exactly one completion: the listener is gone, and the game cannot hand it over again.
    assert_eq!(browse(&consent.redirect).0, 0, "connection refused");
    let again = CString::new(consent.redirect).unwrap();
    assert_eq!(
        unsafe { xerial_signin_complete(again.as_ptr()) },
        XERIAL_E_NOT_FOUND
    );
    assert_eq!(world.google.token_requests().len(), 1);
}

#[test]
fn deny_ends_the_sign_in_as_denied() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let options = world.options();
    let id = world.start(&options);
    let denied = world.google.deny(&world.url(0));
    let (status, page) = browse(&denied);
    assert_eq!(status, 200);
    assert!(page.contains("cancelled"), "{page}");
    let result = world.result(id);
    assert_eq!(result.code, XERIAL_E_DENIED);
    assert_eq!(result.message, "access_denied");
    assert!(world.google.token_requests().is_empty());
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
}

#[test]
fn a_replayed_code_and_a_wrong_verifier_are_refused_once_and_not_retried() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let options = world.options();
    // Sign-in A completes: its code is spent.
    let first = world.start(&options);
    let spent = world.google.allow(&world.url(0), "carol@example.com");
    assert_eq!(browse(&spent.redirect).0, 200);
    assert_eq!(world.result(first).code, XERIAL_OK);
    // Sign-in B is handed A's spent code (with B's own state).
    let second = world.start(&options);
    let url = world.url(1);
    let replay = with_query(
        &params_of(&url)["redirect_uri"],
        &[("code", &spent.code), ("state", &params_of(&url)["state"])],
    );
    let (_, page) = browse(&replay);
    assert!(page.contains("did not complete"), "{page}");
    let result = world.result(second);
    assert_eq!(
        (result.code, result.http_status),
        (XERIAL_E_BAD_REQUEST, 400)
    );
    assert_eq!(result.message, "invalid_grant");
    // Sign-in C is handed a fresh code issued for D's challenge: C's verifier does not match it.
    let third = world.start(&options);
    let url_c = world.url(2);
    assert_eq!(xerial_cancel(third), XERIAL_OK);
    let fourth = world.start(&options);
    let url_d = world.url(3);
    let foreign = world.google.allow(&url_c, "dave@example.com");
    let wrong = with_query(
        &params_of(&url_d)["redirect_uri"],
        &[
            ("code", &foreign.code),
            ("state", &params_of(&url_d)["state"]),
        ],
    );
    browse(&wrong);
    let result = world.result(fourth);
    assert_eq!(
        (result.code, result.message.as_str()),
        (XERIAL_E_BAD_REQUEST, "invalid_grant")
    );
    assert_eq!(
        world.google.token_requests().len(),
        3,
        "each code sent once, never retried"
    );
}

#[test]
fn the_deadline_ends_a_waiting_sign_in_and_closes_the_listener() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let mut options = world.options();
    options.timeout_ms = 300;
    let started = Instant::now();
    let id = world.start(&options);
    let callback = params_of(&world.url(0))["redirect_uri"].clone();
    let result = world.result(id);
    assert_eq!(result.code, XERIAL_E_TIMEOUT, "{}", result.message);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(poll_until(|| !port_open(&callback)), "closed");
}

#[test]
fn cancel_and_shutdown_close_the_listener_and_free_the_slot() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let options = world.options();
    let id = world.start(&options);
    let callback = params_of(&world.url(0))["redirect_uri"].clone();
    assert!(port_open(&callback));
    assert_eq!(xerial_cancel(id), XERIAL_OK);
    assert_eq!(world.result(id).code, XERIAL_E_CANCELLED);
    assert!(poll_until(|| !port_open(&callback)), "closed after cancel");
    // The next sign-in starts at once; shutdown ends it.
    let next = world.start(&options);
    let callback = params_of(&world.url(1))["redirect_uri"].clone();
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(world.ledger.only(next).code, XERIAL_E_SHUTDOWN);
    let deadline = Instant::now() + Duration::from_secs(5);
    while port_open(&callback) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!port_open(&callback), "closed after shutdown");
}

#[test]
fn a_sign_in_cancelled_before_the_game_polled_opens_nothing() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let options = world.options();
    let id = world.start(&options);
    std::thread::sleep(Duration::from_millis(200)); // the URL is queued by now
    assert_eq!(xerial_cancel(id), XERIAL_OK);
    assert_eq!(world.result(id).code, XERIAL_E_CANCELLED);
    assert!(world.opened.urls().is_empty(), "open_url never ran");
}

#[test]
fn only_one_sign_in_waits() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let options = world.options();
    let first = world.start(&options);
    let url = world.url(0);
    let second = world.start(&options);
    let refused = world.result(second);
    assert_eq!(refused.code, XERIAL_E_INVALID_ARGUMENT);
    assert!(
        refused.message.contains("a sign-in is already waiting"),
        "{}",
        refused.message
    );
    assert_eq!(world.opened.urls().len(), 1);
    assert_eq!(
        browse(&world.google.allow(&url, "erin@example.com").redirect).0,
        200
    );
    assert_eq!(world.result(first).code, XERIAL_OK);
}

#[test]
fn a_mobile_redirect_is_handed_over_by_the_game() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let mut options = world.options();
    let scheme = "com.googleusercontent.apps.1234-test:/oauth2redirect";
    options.redirect_uri = world.text(scheme);
    options.client_secret = std::ptr::null();
    let id = world.start(&options);
    let url = world.url(0);
    assert_eq!(params_of(&url)["redirect_uri"], scheme);
    let consent = world.google.allow(&url, "frank@example.com");
    let complete = |url: &str| {
        let url = CString::new(url).unwrap();
        unsafe { xerial_signin_complete(url.as_ptr()) }
    };
    let state = params_of(&consent.redirect)["state"].clone();
    assert_eq!(complete("not a url"), XERIAL_E_INVALID_ARGUMENT);
    assert_eq!(
        complete(&with_query(scheme, &[("code", "x"), ("state", "forged")])),
        XERIAL_E_NOT_FOUND
    );
    assert_eq!(
        complete(&with_query(
            "com.example.other:/oauth2redirect",
            &[("code", "x"), ("state", &state)]
        )),
        XERIAL_E_NOT_FOUND
    );
    assert_eq!(
        complete(&with_query(scheme, &[("state", &state)])),
        XERIAL_E_INVALID_ARGUMENT
    );
    assert!(unsafe { xerial_signin_complete(std::ptr::null()) } == XERIAL_E_INVALID_ARGUMENT);
    assert_eq!(complete(&consent.redirect), XERIAL_OK);
    assert_eq!(
        complete(&consent.redirect),
        XERIAL_E_NOT_FOUND,
        "one completion"
    );
    assert_eq!(world.result(id).code, XERIAL_OK);
    assert!(!world.google.token_requests()[0].contains_key("client_secret"));
    player_is_logged_in(&world);
    assert_eq!(
        complete(&consent.redirect),
        XERIAL_E_NOT_FOUND,
        "nothing waits"
    );
}

#[test]
fn in_immediate_mode_open_url_runs_on_a_worker() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_IMMEDIATE);
    let options = world.options();
    let id = world.start(&options);
    let url = world.url(0);
    assert_ne!(world.opened.threads()[0], std::thread::current().id());
    assert_eq!(
        browse(&world.google.allow(&url, "gina@example.com").redirect).0,
        200
    );
    assert_eq!(world.result(id).code, XERIAL_OK);
}
