//! Where secrets live: the OS keyring (default), a 0600 file, or a Vault
//! shared by machines. One record per profile holds every secret of its
//! credential, so they change together.

#[cfg(any(windows, test))]
pub mod chunks;
#[cfg(target_os = "linux")]
pub mod dbus;
pub mod deadline;
pub mod file;
pub mod keyring;
#[cfg(target_os = "linux")]
mod secret_service;
#[cfg(target_os = "linux")]
mod secret_session;
pub mod vault;

use std::path::PathBuf;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::credential::Credential;
use crate::error::{Classify, Exit};
use crate::profile::Profile;
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring (Secret Service, Keychain, Credential Manager)
    Keyring,
    /// <config-dir>/credentials.json, mode 0600, for machines without a keyring
    File,
    /// A HashiCorp Vault or OpenBao KV v2 engine shared by machines (VAULT_ADDR, VAULT_TOKEN)
    Vault,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyring => "keyring",
            Self::File => "file",
            Self::Vault => "vault",
        }
    }

    /// Whether other machines use the same records (and their settings).
    pub fn is_shared(self) -> bool {
        self == Self::Vault
    }
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the OS keyring is unavailable: {0}")]
    Unavailable(String),
    #[error("the OS keyring refused: {0}")]
    Denied(String),
    /// profiles.json says the secret is in the keyring; the keyring has none.
    #[error(
        "the keyring returned no secret for profile '{profile}', which crmauth stored there: the keyring may be locked (KeePassXC hides a locked database's items) or the item was deleted"
    )]
    Missing { profile: String },
    #[error("{0}")]
    BadSetting(String),
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
    #[error(transparent)]
    Untrusted(#[from] crate::files::Untrusted),
    #[error(transparent)]
    Vault(#[from] vault::VaultError),
}

impl Classify for StoreError {
    fn exit(&self) -> Exit {
        match self {
            Self::Unavailable(_) | Self::Denied(_) | Self::Missing { .. } => Exit::StoreUnavailable,
            Self::BadSetting(_) => Exit::Usage,
            Self::Untrusted(err) => err.exit(),
            Self::Vault(err) => err.exit(),
            _ => Exit::Failure,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Self::Unavailable(_) => Some(
                "unlock or start your keyring, or use '--store file' (or CRMAUTH_STORE=file) to keep secrets in a 0600 file"
                    .to_string(),
            ),
            Self::Denied(_) => Some(
                "allow crmauth in the keyring's dialog when it asks, or use '--store file'".to_string(),
            ),
            Self::Missing { profile } => Some(format!(
                "unlock the keyring (open the KeePassXC database) and try again; or run 'crmauth logout -p {profile} --force' to forget the profile"
            )),
            Self::BadSetting(_) => None,
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
            Self::Untrusted(err) => err.hint(),
            Self::Vault(err) => err.hint(),
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

    /// Saves the record with the profile's settings. Only a store shared by
    /// machines keeps them (a machine without profiles.json needs them);
    /// the others leave them to profiles.json.
    fn save_with_settings(
        &self,
        profile: &str,
        _settings: &Profile,
        record: &Secret,
    ) -> Result<(), StoreError> {
        self.save_raw(profile, record)
    }

    /// The record and the settings kept with it, from a store shared by
    /// machines; `None` from the others, and for a profile it does not hold.
    fn load_shared(&self, _profile: &str) -> Result<Option<(Profile, Secret)>, StoreError> {
        Ok(None)
    }

    /// The profiles a shared store holds, with their settings.
    fn shared_profiles(&self) -> Result<Vec<(String, Profile)>, StoreError> {
        Ok(Vec::new())
    }

    /// Taken before a token-endpoint call, after the profile's local lock:
    /// in a store shared by machines, the machines take turns too, so that a
    /// rotating refresh token is spent once. `None` for local stores, where
    /// the lock is enough. Released when dropped.
    fn refresh_lease(&self, _profile: &str) -> Result<Option<HeldLease<'_>>, StoreError> {
        Ok(None)
    }
}

/// A refresh lease held until dropped.
pub trait Lease {}

pub type HeldLease<'a> = Box<dyn Lease + 'a>;

impl dyn SecretStore + '_ {
    pub fn load(&self, profile: &str) -> Result<Option<Credential>, StoreError> {
        self.load_raw(profile)?
            .map(|raw| parse_record(profile, &raw))
            .transpose()
    }

    /// The profile's settings and credential from a store shared by machines.
    pub fn load_shared_credential(
        &self,
        profile: &str,
    ) -> Result<Option<(Profile, Credential)>, StoreError> {
        let Some((settings, raw)) = self.load_shared(profile)? else {
            return Ok(None);
        };
        Ok(Some((settings, parse_record(profile, &raw)?)))
    }

    pub fn save(
        &self,
        profile: &str,
        settings: &Profile,
        credential: &Credential,
    ) -> Result<(), StoreError> {
        let record =
            crate::secret::to_json(credential, false).map_err(|_| StoreError::Corrupt {
                profile: profile.to_string(),
                reason: "cannot encode the record".to_string(),
            })?;
        self.save_with_settings(profile, settings, &record)
    }
}

fn parse_record(profile: &str, raw: &Secret) -> Result<Credential, StoreError> {
    serde_json::from_str(raw.expose()).map_err(|err| StoreError::Corrupt {
        profile: profile.to_string(),
        // serde's message can quote input: keep only where it failed.
        reason: format!(
            "unreadable record (line {}, column {})",
            err.line(),
            err.column()
        ),
    })
}
