//! The demo: a game loop driving the C ABI against the offline Xerial server.
//!
//! Run it with `cargo run --release --example quickstart`. It starts the offline server
//! in-process, initialises the SDK the way an engine does, and walks a player through the API:
//! log in → wallet → balances → inventory → buy → list → delist → transfer → logout. Each step
//! is issued, then the "game" runs frames (one `xerial_poll` per 16 ms frame) until its callback
//! has run on this thread, printing the call and its result.

use std::cell::RefCell;
use std::ffi::{c_char, c_void, CStr, CString};
use std::time::{Duration, Instant};

use xerial::*;
use xerial_mock::{MockServer, DEMO_PROJECT_ID};

const CHAIN: &CStr = c"polygon";
const GEAR: &CStr = c"0xC011EC7100000000000000000000000000000001";
const RIVAL: &CStr = c"0x1111111111111111111111111111111111111111";

thread_local! {
    /// The last result, filled by the callback (which runs on this thread, inside xerial_poll).
    static LAST: RefCell<Option<(i32, String)>> = const { RefCell::new(None) };
}

fn text(p: *const c_char) -> String {
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

unsafe extern "C" fn on_result(_user_data: *mut c_void, result: *const XerialResult) {
    let r = unsafe { &*result };
    let body = text(r.body);
    let shown = if body.len() > 160 {
        format!("{}…", &body[..160])
    } else {
        body.clone()
    };
    println!(
        "  <- #{} {} (HTTP {}) {} {}",
        r.request_id,
        text(xerial_code_name(r.code)),
        r.http_status,
        text(r.message),
        shown
    );
    LAST.with(|last| *last.borrow_mut() = Some((r.code, body)));
}

unsafe extern "C" fn on_auth(_user_data: *mut c_void, state: i32) {
    println!(
        "  [auth listener] {}",
        if state == XERIAL_AUTH_LOGGED_IN {
            "logged in"
        } else {
            "logged out"
        }
    );
}

unsafe extern "C" fn on_log(_user_data: *mut c_void, level: i32, message: *const c_char) {
    if level <= XERIAL_LOG_INFO {
        println!("  [sdk log] {}", text(message));
    }
}

/// Issues one call, then runs frames until its callback ran; returns the result's JSON body.
fn step(title: &str, issue: impl FnOnce() -> XerialRequestId) -> serde_json::Value {
    println!("{title}");
    LAST.with(|last| *last.borrow_mut() = None);
    let id = issue();
    println!("  -> request #{id}");
    let started = Instant::now();
    let mut frames = 0;
    while LAST.with(|last| last.borrow().is_none()) && started.elapsed() < Duration::from_secs(10) {
        frames += 1;
        xerial_poll(0); // once per frame, on the game thread
        std::thread::sleep(Duration::from_millis(16));
    }
    println!("  ({frames} frame(s))");
    let body = LAST
        .with(|last| last.borrow_mut().take())
        .map(|(_, body)| body)
        .unwrap_or_default();
    serde_json::from_str(&body).unwrap_or(serde_json::Value::Null)
}

/// One line per primary listing. `supply` is the original supply: it stays put while
/// `mintedTokens` counts sales up, so what is left is `supply - mintedTokens` (as Xerial's
/// marketplace shows it: "Original supply", "Available supply").
fn show_listings(listings: &serde_json::Value) {
    for l in listings.as_array().into_iter().flatten() {
        let supply = l["supply"].as_u64().unwrap_or(0);
        let minted = l["mintedTokens"].as_u64().unwrap_or(0);
        println!(
            "     {:<20} type {} at {}: original supply {supply}, minted {minted}, available {}{}",
            l["metadata"]["name"].as_str().unwrap_or("?"),
            l["typeId"].as_str().unwrap_or("?"),
            l["price"].as_str().unwrap_or("?"),
            supply.saturating_sub(minted),
            if l["inSale"] == true {
                ""
            } else {
                " (not for sale)"
            },
        );
    }
}

/// One line per inventory entry: the NFT type and the ids of the tokens held.
fn show_inventory(inventory: &serde_json::Value) {
    for entry in inventory.as_array().into_iter().flatten() {
        let ids: Vec<String> = entry["tokens"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| format!("#{}", t["tokenId"].as_str().unwrap_or("?")))
            .collect();
        println!(
            "     {:<20} x{}: {}",
            entry["metadata"]["name"].as_str().unwrap_or("?"),
            entry["quantity"],
            ids.join(", ")
        );
    }
}

fn main() {
    let server = MockServer::start();
    println!("offline Xerial server at {}", server.url());
    println!(
        "xerial {} (ABI {:#x})",
        text(xerial_version()),
        xerial_abi_version()
    );
    xerial_set_log_callback(Some(on_log), std::ptr::null_mut(), XERIAL_LOG_INFO);
    xerial_set_auth_listener(Some(on_auth), std::ptr::null_mut());

    let url = CString::new(server.url()).expect("url");
    let project = CString::new(DEMO_PROJECT_ID).expect("id");
    let mut config = std::mem::MaybeUninit::<XerialConfig>::uninit();
    let code = unsafe {
        xerial_config_init(config.as_mut_ptr(), std::mem::size_of::<XerialConfig>());
        let mut config = config.assume_init();
        config.base_url = url.as_ptr();
        config.marketplace_url = url.as_ptr();
        config.project_id = project.as_ptr();
        xerial_init(&config)
    };
    println!("xerial_init -> {}", text(xerial_code_name(code)));
    let ud = std::ptr::null_mut();
    let cb = Some(on_result as unsafe extern "C" fn(*mut c_void, *const XerialResult));

    step(
        "log in with Google (the offline server accepts tokens starting with google-ok):",
        || unsafe { xerial_login_google(c"google-ok".as_ptr(), c"demo-client".as_ptr(), cb, ud) },
    );
    let user = step("the player's wallets:", || xerial_user_get(cb, ud));
    let address = user["wallets"][0]["address"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let wallet = CString::new(address).expect("address");
    step("native balance:", || unsafe {
        xerial_wallet_native_balance(wallet.as_ptr(), CHAIN.as_ptr(), cb, ud)
    });
    step("ERC20 balances:", || unsafe {
        xerial_wallet_token_balances(wallet.as_ptr(), CHAIN.as_ptr(), cb, ud)
    });
    let inventory = step("inventory in this project:", || unsafe {
        xerial_wallet_project_inventory(wallet.as_ptr(), CHAIN.as_ptr(), std::ptr::null(), cb, ud)
    });
    show_inventory(&inventory);
    let listings = step("primary listings:", || unsafe {
        xerial_market_primary_listings(std::ptr::null(), CHAIN.as_ptr(), cb, ud)
    });
    show_listings(&listings);
    step("buy one Ice Shield (type 2):", || unsafe {
        xerial_tx_primary_purchase(
            wallet.as_ptr(),
            CHAIN.as_ptr(),
            GEAR.as_ptr(),
            c"2".as_ptr(),
            1,
            cb,
            ud,
        )
    });
    let listings = step(
        "primary listings again (supply stays, minted goes up):",
        || unsafe { xerial_market_primary_listings(std::ptr::null(), CHAIN.as_ptr(), cb, ud) },
    );
    show_listings(&listings);
    step("list Fire Sword #1 for 0.9:", || unsafe {
        xerial_tx_list_nft(
            wallet.as_ptr(),
            CHAIN.as_ptr(),
            GEAR.as_ptr(),
            c"1".as_ptr(),
            c"0.9".as_ptr(),
            cb,
            ud,
        )
    });
    let mine = step("my secondary listings:", || unsafe {
        xerial_market_secondary_listings(std::ptr::null(), CHAIN.as_ptr(), wallet.as_ptr(), cb, ud)
    });
    let item = mine[0]["marketItemId"].as_str().unwrap_or("0").to_owned();
    let item = CString::new(item).expect("id");
    step("delist it:", || unsafe {
        xerial_tx_delist_nft(wallet.as_ptr(), CHAIN.as_ptr(), item.as_ptr(), cb, ud)
    });
    step("transfer Fire Sword #1 to a friend:", || unsafe {
        xerial_tx_transfer_nft(
            wallet.as_ptr(),
            CHAIN.as_ptr(),
            GEAR.as_ptr(),
            c"1".as_ptr(),
            RIVAL.as_ptr(),
            cb,
            ud,
        )
    });
    step("transfer it again (no longer ours):", || unsafe {
        xerial_tx_transfer_nft(
            wallet.as_ptr(),
            CHAIN.as_ptr(),
            GEAR.as_ptr(),
            c"1".as_ptr(),
            RIVAL.as_ptr(),
            cb,
            ud,
        )
    });
    step(
        "log out (the local session is cleared before the answer):",
        || unsafe { xerial_logout(std::ptr::null(), cb, ud) },
    );
    step("read the wallets again without a session:", || {
        xerial_user_get(cb, ud)
    });

    println!(
        "xerial_shutdown -> {}",
        text(xerial_code_name(xerial_shutdown()))
    );
    xerial_set_log_callback(None, std::ptr::null_mut(), 0);
    xerial_set_auth_listener(None, std::ptr::null_mut());
}
