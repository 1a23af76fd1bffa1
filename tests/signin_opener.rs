//! The default opener: with no `open_url`, a desktop sign-in opens the player's default browser
//! itself (`xdg-open` on Linux), and answers `XERIAL_E_UNAVAILABLE` when there is none. A test
//! binary of its own, because it points `PATH` at a fake `xdg-open` that records its argument.
#![cfg(target_os = "linux")]

mod support;

use std::ffi::CString;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use support::oauth::post_json;
use support::{exclusive, init, poll_until, record, Ledger};
use xerial::*;
use xerial_mock::{MockServer, DEMO_PROJECT_ID};

fn wallet_sign_in(ledger: &Ledger) -> u64 {
    let options = XerialSignInOptions {
        struct_size: std::mem::size_of::<XerialSignInOptions>() as u32,
        method: XERIAL_SIGNIN_BROWSER_WALLET,
        client_id: std::ptr::null(),
        client_secret: std::ptr::null(),
        redirect_uri: std::ptr::null(),
        timeout_ms: 0,
        open_url: None,
        open_url_user_data: std::ptr::null_mut(),
    };
    unsafe { xerial_signin_start(&options, Some(record), ledger.user_data()) }
}

#[test]
fn without_open_url_the_sdk_opens_the_default_browser() {
    let _sdk = exclusive();
    let dir = std::env::temp_dir().join(format!("xerial-opener-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let opened = dir.join("opened");
    let script = dir.join("bin/xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > {}.tmp && mv {0}.tmp {0}\n",
            opened.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Before the first init: the SDK's threads start later and nothing reads PATH concurrently.
    std::env::set_var(
        "PATH",
        format!("{}:/usr/bin:/bin", dir.join("bin").display()),
    );

    let server = MockServer::start();
    let project = CString::new(DEMO_PROJECT_ID).unwrap();
    assert_eq!(
        init(&server.url(), |c| c.project_id = project.as_ptr()),
        XERIAL_OK
    );
    let ledger: &'static Ledger = Box::leak(Box::default());
    let id = wallet_sign_in(ledger);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !opened.exists() && Instant::now() < deadline {
        xerial_poll(0);
        std::thread::sleep(Duration::from_millis(10));
    }
    let page = std::fs::read_to_string(&opened).expect("xdg-open ran");
    assert!(page.starts_with("http://127.0.0.1:"), "{page}");
    let address = r#"{"address":"0x8e9dd3c1db3254d968967cbc367542c343273629"}"#;
    assert_eq!(post_json(&page, "address", None, address).0, 200);
    assert_eq!(
        post_json(&page, "signature", None, r#"{"signature":"0xok"}"#).0,
        200
    );
    assert!(poll_until(|| !ledger.get(id).is_empty()));
    assert_eq!(ledger.only(id).code, XERIAL_OK);

    // No opener on this machine: the sign-in cannot reach the player.
    std::env::set_var("PATH", dir.join("empty"));
    let id = wallet_sign_in(ledger);
    assert!(poll_until(|| !ledger.get(id).is_empty()));
    let result = ledger.only(id);
    assert_eq!(result.code, XERIAL_E_UNAVAILABLE, "{}", result.message);
    assert!(
        result.message.contains("give open_url"),
        "{}",
        result.message
    );
    let _ = std::fs::remove_dir_all(&dir);
}
