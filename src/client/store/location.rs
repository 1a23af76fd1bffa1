//! The default location of a session: per user, outside anything a developer copies into a
//! build, and keyed by project id and base URL so that staging and production sessions (or two
//! games) never mix.
//!
//! | system | where |
//! |---|---|
//! | Linux | the Secret Service; else `$XDG_DATA_HOME/xerial/sessions/<key>/session.json` (`~/.local/share`) |
//! | Windows | `%LOCALAPPDATA%\Xerial\sessions\<key>\session.dpapi` |
//! | macOS, iOS | the Keychain: generic password, service `io.xerial.session`, account `<key>` |
//! | Android | `/data/user/<user>/<package>/files/xerial/sessions/<key>/session.json` |

use std::fmt::Write;

/// What a stored session is filed under.
pub(crate) struct Key {
    /// 32 hex digits: the first 16 bytes of SHA-256(project id, NUL, base URL).
    pub id: String,
    /// For people reading a log or a keyring: the project and the base URL the session is of.
    pub label: String,
}

impl Key {
    /// The key of `project_id`'s sessions at `base_url` (compared without a trailing slash and
    /// with the scheme and host in lower case, as the URL parser writes them).
    pub(crate) fn new(project_id: Option<&str>, base_url: &str) -> Key {
        let base_url = url::Url::parse(base_url)
            .map(|url| url.as_str().trim_end_matches('/').to_owned())
            .unwrap_or_else(|_| base_url.to_owned());
        let project = project_id.unwrap_or("");
        let digest = ring::digest::digest(
            &ring::digest::SHA256,
            [project.as_bytes(), b"\0", base_url.as_bytes()]
                .concat()
                .as_slice(),
        );
        let mut id = String::with_capacity(32);
        for byte in &digest.as_ref()[..16] {
            let _ = write!(id, "{byte:02x}");
        }
        let label = match project_id {
            Some(project) => format!("session of project {project} at {base_url}"),
            None => format!("session at {base_url}"),
        };
        Key { id, label }
    }
}

/// The folder of `key`'s session in the per-user application data of this system, or why
/// there is none.
#[cfg(any(target_os = "linux", windows))]
pub(crate) fn private_dir(key: &Key) -> Result<std::path::PathBuf, String> {
    // XDG_DATA_HOME or ~/.local/share; the Known Folder FOLDERID_LocalAppData (not roamed to
    // other machines, unlike %APPDATA%).
    let base = dirs::data_local_dir().ok_or("no per-user data folder (HOME is not set)")?;
    let app = if cfg!(windows) { "Xerial" } else { "xerial" };
    Ok(base.join(app).join("sessions").join(&key.id))
}

/// The app's private storage: `/data/user/<user>/<package>/files`, which only this app's uid can
/// read (the per-app sandbox). Native code has no API for it without JNI, so it is derived as
/// Android lays it out: the package is the process name (`/proc/self/cmdline`, without a
/// `:service` suffix), the user is the uid's hundred-thousands (multi-user, work profiles).
#[cfg(target_os = "android")]
pub(crate) fn private_dir(key: &Key) -> Result<std::path::PathBuf, String> {
    let cmdline =
        std::fs::read("/proc/self/cmdline").map_err(|e| format!("/proc/self/cmdline: {e}"))?;
    let name = cmdline.split(|&b| b == 0).next().unwrap_or_default();
    let package = std::str::from_utf8(name)
        .ok()
        .and_then(|name| name.split(':').next())
        .filter(|package| !package.is_empty() && !package.contains('/'))
        .ok_or("the process name is not a package name")?;
    // SAFETY: getuid has no preconditions and cannot fail.
    let user = unsafe { libc::getuid() } / 100_000;
    let data = std::path::PathBuf::from(format!("/data/user/{user}/{package}"));
    if !data.is_dir() {
        return Err(format!("{} is not this app's data folder", data.display()));
    }
    Ok(data.join("files/xerial/sessions").join(&key.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_projects_and_hosts_and_ignore_spelling() {
        let production = Key::new(Some("p1"), "https://wallet.xerial.io");
        assert_eq!(production.id.len(), 32);
        assert!(production.id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            production.id,
            Key::new(Some("p1"), "HTTPS://Wallet.Xerial.io/").id
        );
        for other in [
            Key::new(Some("p1"), "https://wallet.staging.xerial.io"),
            Key::new(Some("p2"), "https://wallet.xerial.io"),
            Key::new(None, "https://wallet.xerial.io"),
            Key::new(Some("p1"), "https://wallet.xerial.io/prefix"),
        ] {
            assert_ne!(production.id, other.id, "{}", other.label);
        }
        assert_eq!(
            production.label,
            "session of project p1 at https://wallet.xerial.io"
        );
    }

    #[cfg(any(target_os = "linux", windows))]
    #[test]
    fn the_folder_is_per_user_application_data() {
        let key = Key::new(Some("p1"), "https://wallet.xerial.io");
        let dir = private_dir(&key).unwrap();
        assert!(dir.starts_with(dirs::data_local_dir().unwrap()));
        assert!(dir.ends_with(std::path::Path::new("sessions").join(&key.id)));
    }
}
