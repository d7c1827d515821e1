//! `<config-dir>/credentials.json`: secrets in a 0600 file for machines without
//! a keyring. A file that group or others can read is refused, never chmod-ed.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::{self, FileLock};
use crate::secret::Secret;
use crate::store::{SecretStore, StoreError};

pub const CREDENTIALS_FILE: &str = "credentials.json";
const LOCK_FILE: &str = "credentials.lock";

#[derive(Default, Serialize, Deserialize)]
struct CredentialsFile {
    #[serde(default)]
    credentials: BTreeMap<String, serde_json::Value>,
}

pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    pub fn new(config_dir: &Path) -> Self {
        Self {
            dir: config_dir.to_path_buf(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(CREDENTIALS_FILE)
    }

    fn read(&self) -> Result<CredentialsFile, StoreError> {
        let path = self.path();
        let text = match fs::read(&path) {
            Ok(bytes) => Secret::new(String::from_utf8_lossy(&bytes).into_owned()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Ok(CredentialsFile::default());
            }
            Err(source) => {
                return Err(StoreError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        check_private(&path)?;
        serde_json::from_str(text.expose()).map_err(|err| StoreError::CorruptFile {
            path,
            // serde's message can quote input: keep only where it failed.
            reason: format!(
                "not valid JSON at line {}, column {}",
                err.line(),
                err.column()
            ),
        })
    }

    fn write(&self, file: &CredentialsFile) -> Result<(), StoreError> {
        let path = self.path();
        let json = serde_json::to_string_pretty(file)
            .map(Secret::new)
            .map_err(|source| StoreError::Io {
                action: "encode",
                path: path.clone(),
                source: io::Error::other(source),
            })?;
        files::write_atomic(&path, json.expose().as_bytes()).map_err(|source| StoreError::Io {
            action: "write",
            path,
            source,
        })
    }

    fn update(&self, change: impl FnOnce(&mut CredentialsFile)) -> Result<(), StoreError> {
        let lock_path = self.dir.join(LOCK_FILE);
        let _lock = FileLock::acquire(&lock_path).map_err(|source| StoreError::Io {
            action: "lock",
            path: lock_path.clone(),
            source,
        })?;
        let mut file = self.read()?;
        change(&mut file);
        self.write(&file)
    }
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)
        .map_err(|source| StoreError::Io {
            action: "inspect",
            path: path.to_path_buf(),
            source,
        })?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(StoreError::Permissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), StoreError> {
    Ok(())
}

impl SecretStore for FileStore {
    fn load_raw(&self, profile: &str) -> Result<Option<Secret>, StoreError> {
        let file = self.read()?;
        Ok(file
            .credentials
            .get(profile)
            .map(|record| Secret::new(record.to_string())))
    }

    fn save_raw(&self, profile: &str, record: &Secret) -> Result<(), StoreError> {
        let value: serde_json::Value =
            serde_json::from_str(record.expose()).map_err(|_| StoreError::Corrupt {
                profile: profile.to_string(),
                reason: "cannot encode the record".to_string(),
            })?;
        self.update(|file| {
            file.credentials.insert(profile.to_string(), value);
        })
    }

    fn delete(&self, profile: &str) -> Result<(), StoreError> {
        if !self.path().exists() {
            return Ok(());
        }
        self.update(|file| {
            file.credentials.remove(profile);
        })
    }
}
