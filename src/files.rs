//! Atomic writes, advisory lock files and the ownership check of the config dir.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::NamedTempFile;

/// How long a replace waits for other processes to close the file (Windows).
const REPLACE_PATIENCE: Duration = Duration::from_secs(5);

use crate::error::{Classify, Exit};

/// Writes `contents` to `path` so that readers see the old file or the new one,
/// never a torn mix: temp file in the same dir, fsync, rename. The temp file is
/// created 0600 and keeps that mode.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    create_private_dir(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".crmauth-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    replace_with(temp, path)?;
    if let Ok(dir) = File::open(dir) {
        // Makes the rename itself durable; not all platforms can fsync a dir.
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Renames `temp` over `path`. Windows refuses to replace a file that another
/// process has open (a concurrent `crmauth token` reading profiles.json), with
/// "access denied" or a sharing violation, for as long as that reader holds
/// it, which is a moment: so on Windows the rename is retried for a while.
fn replace_with(mut temp: NamedTempFile, path: &Path) -> io::Result<()> {
    let deadline = Instant::now() + REPLACE_PATIENCE;
    loop {
        match temp.persist(path) {
            Ok(_) => return Ok(()),
            Err(failed)
                if is_held_by_another_process(&failed.error) && Instant::now() < deadline =>
            {
                temp = failed.file;
                thread::sleep(Duration::from_millis(5));
            }
            Err(failed) => return Err(failed.error),
        }
    }
}

/// ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION
/// (33): what MoveFileEx says while the target is open elsewhere. Never on Unix,
/// where a rename replaces an open file.
fn is_held_by_another_process(err: &io::Error) -> bool {
    cfg!(windows) && matches!(err.raw_os_error(), Some(5 | 32 | 33))
}

/// Creates the config dir (and parents) readable only by the user.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// An exclusive advisory lock held until dropped. The kernel releases it when
/// the process dies, so a killed process never leaves a lock that blocks.
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

impl FileLock {
    pub fn acquire(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Another user who can open a lock file can hold its lock forever.
            options.mode(0o600);
        }
        let file = options.open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // One made by an older crmauth may be 0644.
            if file.metadata()?.permissions().mode() & 0o077 != 0 {
                file.set_permissions(fs::Permissions::from_mode(0o600))?;
            }
        }
        file.lock()?;
        Ok(Self { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// A config dir or file that someone other than the user could have
/// written: whatever it says (a URL to send a refresh token to) cannot be
/// trusted.
#[derive(Debug, thiserror::Error)]
#[error(
    "{path} {problem}; crmauth trusts its config dir and files only when they are yours and nobody else can write them"
)]
pub struct Untrusted {
    pub path: PathBuf,
    problem: String,
    fix: String,
}

impl Classify for Untrusted {
    fn exit(&self) -> Exit {
        Exit::Failure
    }

    fn hint(&self) -> Option<String> {
        Some(self.fix.clone())
    }
}

/// Like ssh with `~/.ssh`: `path` (if it exists) must belong to the user (or
/// root) and be writable by nobody else.
#[cfg(unix)]
pub fn check_trusted(path: &Path) -> Result<(), Untrusted> {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = fs::metadata(path) else {
        // Missing: nothing to trust yet. Unreadable: the read that follows says so.
        return Ok(());
    };
    // SAFETY: geteuid has no arguments and cannot fail.
    let me = unsafe { libc::geteuid() };
    let shown = path.display();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(Untrusted {
            path: path.to_path_buf(),
            problem: format!(
                "belongs to another user (uid {}, you are uid {me})",
                meta.uid()
            ),
            fix: format!(
                "if it is really yours, run 'chown {me} {shown}'; otherwise use another --config-dir"
            ),
        });
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(Untrusted {
            path: path.to_path_buf(),
            problem: format!("can be written by group or others (mode {mode:o})"),
            fix: format!("run 'chmod go-w {shown}' after checking its contents"),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_trusted(_path: &Path) -> Result<(), Untrusted> {
    Ok(())
}

/// `path` made absolute with symlinks, `.`, `..` and trailing slashes
/// resolved, also when it does not exist yet (its existing part is resolved,
/// the rest taken as written): one spelling per directory.
pub fn canonical_dir(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let mut resolved = loop {
        // dunce: on Windows a plain `C:\...` path, not the verbatim
        // `\\?\C:\...` that std's canonicalize returns, which people do not
        // recognise in messages and which names the keyring service.
        match dunce::canonicalize(existing) {
            Ok(resolved) => break resolved,
            Err(_) => match (existing.parent(), existing.components().next_back()) {
                (Some(parent), Some(last)) => {
                    rest.push(last);
                    existing = parent;
                }
                _ => break existing.to_path_buf(),
            },
        }
    };
    for component in rest.into_iter().rev() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windows refuses to replace a file another process has open; a reader
    /// (`crmauth token` reading profiles.json) holds it only for a moment, and
    /// the write waits for it. On Unix the rename never minds readers.
    #[test]
    fn a_replace_waits_for_a_reader_that_holds_the_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("profiles.json");
        write_atomic(&path, b"old")?;
        let reader = File::open(&path)?;
        let release = thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            drop(reader);
        });
        write_atomic(&path, b"new")?;
        let _ = release.join();
        assert_eq!(fs::read(&path)?, b"new");
        Ok(())
    }

    #[test]
    fn a_dir_that_does_not_exist_yet_has_one_spelling_too() -> io::Result<()> {
        let base = tempfile::tempdir()?;
        let real = dunce::canonicalize(base.path())?;
        // Windows: never the verbatim `\\?\C:\...` spelling.
        assert!(!real.to_string_lossy().starts_with(r"\\?\"), "{real:?}");
        let expected = real.join("new").join("dir");
        for spelling in [
            "new/dir",
            "new/dir/",
            "new/./dir",
            "new/x/../dir",
            "./new/dir",
        ] {
            assert_eq!(
                canonical_dir(&base.path().join(spelling))?,
                expected,
                "{spelling}"
            );
        }
        std::fs::create_dir_all(&expected)?;
        assert_eq!(canonical_dir(&base.path().join("new/x/../dir"))?, expected);
        Ok(())
    }
}
