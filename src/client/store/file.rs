//! A session kept in one file: plain JSON at the game's `session_path`, or sealed by the OS
//! (DPAPI on Windows) at the default location.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use zeroize::Zeroizing;

use super::{SessionBackend, StoreError};

/// Bytes in, bytes out (wiped when dropped), or why not.
pub(crate) type Transform = fn(&[u8]) -> Result<Zeroizing<Vec<u8>>, String>;

/// How a file's bytes relate to the session's JSON.
pub(crate) struct Codec {
    /// Named in log records: "plain", "DPAPI-encrypted".
    pub name: &'static str,
    /// The JSON's bytes to the file's bytes.
    pub seal: Transform,
    /// The file's bytes back to the JSON's bytes.
    pub open: Transform,
}

/// The file holds the JSON as is.
pub(crate) static PLAIN: Codec = Codec {
    name: "plain",
    seal: copy,
    open: copy,
};

fn copy(bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    Ok(Zeroizing::new(bytes.to_vec()))
}

/// A session file. Written atomically (a new private temporary file, flushed, renamed over the
/// target), mode 0600 on Unix from the moment it exists.
pub(crate) struct FileBackend {
    path: PathBuf,
    codec: &'static Codec,
    /// Create the parent folder (mode 0700 on Unix) when missing: the default location's own
    /// folder. A folder the game names is the game's to create.
    make_dir: bool,
}

impl FileBackend {
    /// Plain JSON at a path the game gave.
    pub(crate) fn plain(path: PathBuf) -> FileBackend {
        FileBackend {
            path,
            codec: &PLAIN,
            make_dir: false,
        }
    }

    /// `codec`'s bytes in a folder of the default location, created when missing.
    #[cfg(any(target_os = "linux", target_os = "android", windows))]
    pub(crate) fn private(path: PathBuf, codec: &'static Codec) -> FileBackend {
        FileBackend {
            path,
            codec,
            make_dir: true,
        }
    }

    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file exists (an unreadable folder counts as no).
    #[cfg(not(target_os = "emscripten"))]
    pub(crate) fn exists(&self) -> bool {
        self.path.exists()
    }
}

impl SessionBackend for FileBackend {
    fn describe(&self) -> String {
        format!("the {} file {}", self.codec.name, self.path.display())
    }

    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::new(format!("cannot read it: {e}"))),
        };
        let json = (self.codec.open)(&bytes).map_err(StoreError::new)?;
        match std::str::from_utf8(&json) {
            Ok(text) => Ok(Some(Zeroizing::new(text.to_owned()))),
            Err(_) => Err(StoreError::new("it is not UTF-8 text")),
        }
    }

    fn save(&self, json: &str) -> Result<(), StoreError> {
        let bytes = (self.codec.seal)(json.as_bytes()).map_err(StoreError::new)?;
        if self.make_dir {
            if let Some(dir) = self.path.parent() {
                make_private_dir(dir)
                    .map_err(|e| StoreError::new(format!("cannot create its folder: {e}")))?;
            }
        }
        write_atomically(&self.path, &bytes).map_err(|e| StoreError::new(e.to_string()))
    }

    fn remove(&self) -> Result<(), StoreError> {
        match fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::new(format!("cannot remove it: {e}")))
            }
            _ => {
                if let Some(dir) = self.path.parent().filter(|_| self.make_dir) {
                    // The key's own folder, once empty (never the game's, never a non-empty one).
                    let _ = fs::remove_dir(dir);
                }
                Ok(())
            }
        }
    }
}

fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Writes `bytes` to `path` atomically: a private temporary file in the same folder, flushed,
/// then renamed over the target, so a crash leaves either the old file or the new one.
///
/// The temporary file is created new (`O_EXCL`) under a name no other write uses, so a file or
/// symlink left at that name is never reused, and its mode is 0600 from the start.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);
    let mut temp = path.as_os_str().to_owned();
    let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
    temp.push(format!(".tmp-{}-{n}", std::process::id()));
    let temp = PathBuf::from(temp);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = options.open(&temp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    // Emscripten's in-memory file system before 3.1.74 (Unity's 3.1.8 and 3.1.38 included)
    // keeps the replaced file visible after a rename onto it, so a later delete leaves the old
    // session behind (emscripten-core/emscripten#23074). There, the old file goes first: the
    // file system is in memory, so no crash can leave the half-done state on disk.
    #[cfg(target_os = "emscripten")]
    let result = result.and_then(|()| match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    });
    match result.and_then(|()| fs::rename(&temp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIR: &str = r#"{"access":{"token":"a.b.c","expires":"2024-01-12T17:34:35.725Z"},"refresh":{"token":"d.e.f","expires":"2027-12-22T15:14:35.726Z"}}"#;

    fn temp_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("xerial-file-{name}-{}", std::process::id()))
    }

    #[test]
    fn saves_atomically_with_private_mode_loads_and_removes() {
        let dir = temp_dir("plain");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let file = FileBackend::plain(dir.join("session.json"));
        assert!(file.load().unwrap().is_none());
        file.save(PAIR).unwrap();
        assert_eq!(fs::read_to_string(file.path()).unwrap(), PAIR);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(file.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            file.load().unwrap().as_deref().map(String::as_str),
            Some(PAIR)
        );
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        file.remove().unwrap();
        file.remove().unwrap();
        assert!(!file.exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_private_file_creates_its_folder_private() {
        let dir = temp_dir("private");
        let _ = fs::remove_dir_all(&dir);
        let file = FileBackend {
            path: dir.join("a/b/session.json"),
            codec: &PLAIN,
            make_dir: true,
        };
        file.save(PAIR).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("a/b")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        file.remove().unwrap();
        assert!(!dir.join("a/b").exists(), "its emptied folder goes too");
        assert!(dir.join("a").exists(), "but nothing above it");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_game_path_in_a_missing_folder_fails_without_creating_it() {
        let file = FileBackend::plain(PathBuf::from("/nonexistent-dir/xerial/session.json"));
        assert!(file.save(PAIR).is_err());
        assert!(!Path::new("/nonexistent-dir").exists());
    }
}
