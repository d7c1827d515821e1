//! Where secrets live: the OS keyring (default) or a 0600 file. One record per
//! profile holds every secret of its credential, so they change together.

#[cfg(any(windows, test))]
pub mod chunks;
pub mod file;
pub mod keyring;

use std::path::PathBuf;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::credential::Credential;
use crate::error::{Classify, Exit};
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring (Secret Service, Keychain, Credential Manager)
    Keyring,
    /// <config-dir>/credentials.json, mode 0600, for machines without a keyring
    File,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyring => "keyring",
            Self::File => "file",
        }
    }
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the OS keyring is unavailable: {0}")]
    Unavailable(String),
    /// Only Unix has modes to check (see `file::check_private`).
    #[cfg(unix)]
    #[error("{path} is readable by other users (mode {mode:o})")]
    Permissions { path: PathBuf, mode: u32 },
    /// The keyring's own limit, in its own unit (Windows counts the bytes
    /// of one entry, chunks.rs the UTF-16 code units of a whole record).
    #[error("the credential is too long for the OS keyring: the limit of its {what} is {limit}")]
    TooLong { what: String, limit: u32 },
    #[error("the stored credential for '{profile}' is damaged: {reason}")]
    Corrupt { profile: String, reason: String },
    #[error("{path} is not valid: {reason}")]
    CorruptFile { path: PathBuf, reason: String },
    #[error("cannot {action} {path}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Classify for StoreError {
    fn exit(&self) -> Exit {
        match self {
            Self::Unavailable(_) => Exit::StoreUnavailable,
            _ => Exit::Failure,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Self::Unavailable(_) => Some(
                "unlock or start your keyring, or use '--store file' (or CRMAUTH_STORE=file) to keep secrets in a 0600 file"
                    .to_string(),
            ),
            #[cfg(unix)]
            Self::Permissions { path, .. } => Some(format!("run 'chmod 600 {}'", path.display())),
            Self::Corrupt { profile, .. } => {
                Some(format!("run 'crmauth logout -p {profile}' and log in again"))
            }
            Self::CorruptFile { path, .. } => Some(format!("fix or remove {}", path.display())),
            Self::TooLong { .. } => Some(
                "use '--store file' (or CRMAUTH_STORE=file), which has no such limit".to_string(),
            ),
            Self::Io { .. } => None,
        }
    }
}

/// A place that keeps one secret record per profile.
pub trait SecretStore {
    fn kind(&self) -> StoreKind;
    fn load_raw(&self, profile: &str) -> Result<Option<Secret>, StoreError>;
    fn save_raw(&self, profile: &str, record: &Secret) -> Result<(), StoreError>;
    /// Removes the record; removing a missing record is not an error.
    fn delete(&self, profile: &str) -> Result<(), StoreError>;
}

impl dyn SecretStore + '_ {
    pub fn load(&self, profile: &str) -> Result<Option<Credential>, StoreError> {
        let Some(raw) = self.load_raw(profile)? else {
            return Ok(None);
        };
        serde_json::from_str(raw.expose())
            .map(Some)
            .map_err(|err| StoreError::Corrupt {
                profile: profile.to_string(),
                // serde's message can quote input: keep only where it failed.
                reason: format!(
                    "unreadable record (line {}, column {})",
                    err.line(),
                    err.column()
                ),
            })
    }

    pub fn save(&self, profile: &str, credential: &Credential) -> Result<(), StoreError> {
        let record = serde_json::to_string(credential).map_err(|_| StoreError::Corrupt {
            profile: profile.to_string(),
            reason: "cannot encode the record".to_string(),
        })?;
        self.save_raw(profile, &Secret::new(record))
    }
}
