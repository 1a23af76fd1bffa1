//! Opening the player's default browser when the game gives no `open_url` (desktop only).
//!
//! The system browser, never a webview (RFC 8252 §8.12): `xdg-open` on Linux and the BSDs, `open`
//! on macOS, `rundll32 url.dll,FileProtocolHandler` on Windows (the shell's URL handler, with no
//! command interpreter to misread `&` in the URL). The URL is one argument of a direct exec; no
//! shell ever sees it.

use std::process::{Command, Stdio};

use crate::client::{Error, ErrorKind};

/// Opens a URL somewhere the player can act on it; the sign-in fails with its error.
pub type OpenUrl = Box<dyn FnOnce(String) -> Result<(), Error> + Send>;

/// The program (and leading arguments) that opens a URL in the default browser here.
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
const OPENER: Option<(&str, &[&str])> = Some(("xdg-open", &[]));
#[cfg(target_os = "macos")]
const OPENER: Option<(&str, &[&str])> = Some(("open", &[]));
#[cfg(windows)]
const OPENER: Option<(&str, &[&str])> = Some(("rundll32", &["url.dll,FileProtocolHandler"]));
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    windows
)))]
const OPENER: Option<(&str, &[&str])> = None;

/// The default opener of this platform, or `None` where the game must give one (mobile,
/// consoles, WebAssembly).
pub fn default_opener() -> Option<OpenUrl> {
    let (program, leading) = OPENER?;
    Some(Box::new(move |url: String| {
        open_with(program, leading, &url)
    }))
}

/// Starts `program leading… url` without waiting for it; a thread reaps it and logs a failure.
fn open_with(program: &str, leading: &[&str], url: &str) -> Result<(), Error> {
    let mut child = Command::new(program)
        .args(leading)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            Error::new(
                ErrorKind::Unavailable,
                format!("cannot open the default browser with {program} ({e}); give open_url"),
            )
        })?;
    let program = program.to_owned();
    let reaped = std::thread::Builder::new()
        .name("xerial-open-url".to_owned())
        .spawn(move || match child.wait() {
            Ok(status) if !status.success() => {
                log::warn!(target: "xerial::signin", "{program} could not open the browser ({status})");
            }
            Ok(_) => {}
            Err(e) => log::warn!(target: "xerial::signin", "{program}: {e}"),
        });
    if reaped.is_err() {
        log::warn!(target: "xerial::signin", "no thread to wait for the browser opener");
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_missing_opener_is_unavailable() {
        let error =
            open_with("/nonexistent/xerial-opener", &[], "http://127.0.0.1:1/").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Unavailable);
        assert!(error.message().contains("give open_url"));
    }

    #[test]
    fn the_url_is_one_argument_of_a_direct_exec() {
        let dir = std::env::temp_dir().join(format!("xerial-opener-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("args");
        let url = "http://127.0.0.1:1/s?a=1&b=$(touch x);c";
        open_with(
            "/bin/sh",
            &[
                "-c",
                &format!("printf '%s' \"$1\" > {}", out.display()),
                "sh",
            ],
            url,
        )
        .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::fs::read_to_string(&out).map_or(true, |s| s.is_empty())
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(std::fs::read_to_string(&out).unwrap(), url);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
