//! Sign-in options through the C ABI (§9): every bad option is refused through the callback,
//! naming its field, before any browser opens; a newer header's unknown fields are refused.

mod support;

use support::oauth::{record_url, Opened};
use support::signin::world;
use support::{exclusive, init, poll_until, record, Ledger};
use xerial::*;
use xerial_mock::MockServer;

#[test]
fn bad_options_are_refused_through_the_callback_naming_the_field() {
    let _sdk = exclusive();
    let mut world = world(XERIAL_DISPATCH_POLL);
    let good = world.options();
    let size = std::mem::size_of::<XerialSignInOptions>() as u32;
    let mut cases: Vec<(&str, XerialSignInOptions)> = Vec::new();
    let mut with = |name, change: &dyn Fn(&mut XerialSignInOptions)| {
        let mut options = good;
        change(&mut options);
        cases.push((name, options));
    };
    with("struct_size", &|o| o.struct_size = 8);
    with("struct_size", &|o| o.struct_size = size - 8);
    with("method", &|o| o.method = 0);
    with("method", &|o| o.method = 3);
    with("client_id", &|o| o.client_id = std::ptr::null());
    with("timeout_ms", &|o| o.timeout_ms = u64::MAX);
    with("redirect_uri", &|o| {
        o.redirect_uri = c"http://game.example/cb".as_ptr()
    });
    with("redirect_uri", &|o| {
        o.method = XERIAL_SIGNIN_BROWSER_WALLET;
        o.redirect_uri = c"com.example.game:/cb".as_ptr();
    });
    for (field, options) in cases {
        let result = world.result(world.start(&options));
        assert_eq!(result.code, XERIAL_E_INVALID_ARGUMENT, "{field}");
        assert!(
            result.message.starts_with(&format!("{field}: ")),
            "{field}: {}",
            result.message
        );
    }
    let null =
        unsafe { xerial_signin_start(std::ptr::null(), Some(record), world.ledger.user_data()) };
    assert_eq!(world.result(null).message, "options: must not be NULL");
    // A newer header's options with a field this library does not know set: refused.
    let mut newer = [0u64; 16];
    unsafe {
        std::ptr::copy_nonoverlapping(
            &good as *const _ as *const u8,
            newer.as_mut_ptr().cast(),
            size as usize,
        )
    };
    newer[0] = (newer[0] & !0xffff_ffff) | u64::from(size + 16);
    newer[size as usize / 8 + 1] = 1;
    let result =
        world.result(world.start(unsafe { &*(newer.as_ptr() as *const XerialSignInOptions) }));
    assert!(
        result.message.contains("does not know"),
        "{}",
        result.message
    );
    let none = unsafe { xerial_signin_start(&good, None, std::ptr::null_mut()) };
    assert_eq!(none, 0, "no callback, no request");
    assert!(world.opened.urls().is_empty());
    drop(world.server);
}

#[test]
fn a_sign_in_needs_the_project_id_before_the_browser_opens() {
    let _sdk = exclusive();
    let server = MockServer::start();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let ledger: &'static Ledger = Box::leak(Box::default());
    let opened: &'static Opened = Box::leak(Box::default());
    let options = XerialSignInOptions {
        struct_size: std::mem::size_of::<XerialSignInOptions>() as u32,
        method: XERIAL_SIGNIN_BROWSER_WALLET,
        client_id: std::ptr::null(),
        client_secret: std::ptr::null(),
        redirect_uri: std::ptr::null(),
        timeout_ms: 0,
        open_url: Some(record_url),
        open_url_user_data: opened.user_data(),
    };
    let id = unsafe { xerial_signin_start(&options, Some(record), ledger.user_data()) };
    assert!(poll_until(|| !ledger.get(id).is_empty()));
    assert!(ledger.only(id).message.starts_with("project_id: "));
    assert!(opened.urls().is_empty());
}
