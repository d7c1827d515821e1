//! `--store vault`: each profile's record in a HashiCorp Vault or OpenBao KV
//! version 2 engine, at `<mount>/data/<path>/<profile>`, shared by every
//! machine that has the Vault token. The record carries the profile's
//! non-secret settings too, so a machine that never logged in can use it.
//!
//! Every write is a check-and-set on the version read; refreshes take a
//! lease first (see [`lease`]).

mod config;
mod error;
mod kv;
mod lease;

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

pub use error::VaultError;

use crate::http::{Http, HttpSettings};
use crate::profile::{self, Profile};
use crate::secret::Secret;
use crate::store::{HeldLease, SecretStore, StoreError, StoreKind};
use config::VaultConfig;
use kv::{Kv, Written};

pub const DEFAULT_MOUNT: &str = "secret";
pub const DEFAULT_PATH: &str = "crmauth";
const LEASE_SUFFIX: &str = ".lease";
/// The `crmauth` field of a record: which layout it has.
const RECORD_FORMAT: u32 = 1;
/// A login replaces what is there; if another machine writes between the
/// version read and the write, it reads the version again, this many times.
const LOGIN_ATTEMPTS: usize = 3;

/// Where in Vault: `--vault-mount` and `--vault-path`.
#[derive(Debug, Clone)]
pub struct VaultLocation {
    pub mount: String,
    pub path: String,
}

/// The record as kept in Vault: the credential as every store keeps it,
/// and the settings that profiles.json keeps on one machine.
#[derive(Serialize)]
struct RecordOut<'a> {
    crmauth: u32,
    settings: &'a Profile,
    credential: &'a RawValue,
}

#[derive(Deserialize)]
struct RecordIn<'a> {
    crmauth: u32,
    settings: Profile,
    #[serde(borrow)]
    credential: &'a RawValue,
}

pub struct VaultStore {
    location: VaultLocation,
    http: HttpSettings,
    /// Connected on first use: building the store never fails, using it may.
    kv: OnceCell<Result<Kv, VaultError>>,
    /// The version of each record as last read or written here: the
    /// check-and-set of the next write.
    versions: RefCell<HashMap<String, u64>>,
}

impl VaultStore {
    pub fn new(location: VaultLocation, http: HttpSettings) -> Self {
        Self {
            location,
            http,
            kv: OnceCell::new(),
            versions: RefCell::new(HashMap::new()),
        }
    }

    /// `vault secret/data/crmauth/ at https://...`, for `whoami`.
    pub fn describe(&self) -> String {
        let addr = VaultConfig::from_env()
            .map(|config| config.addr)
            .unwrap_or_else(|_| "(VAULT_ADDR not set)".to_string());
        format!(
            "vault {}/data/{}/ at {addr}",
            self.location.mount, self.location.path
        )
    }

    fn kv(&self) -> Result<&Kv, VaultError> {
        let kv = self
            .kv
            .get_or_init(|| self.connect())
            .as_ref()
            .map_err(Clone::clone)?;
        kv.check_mount()?;
        Ok(kv)
    }

    fn connect(&self) -> Result<Kv, VaultError> {
        check_location("mount", &self.location.mount)?;
        check_location("path", &self.location.path)?;
        let config = VaultConfig::from_env()?;
        let http = Http::new(HttpSettings {
            ca_bundle: config
                .cacert
                .clone()
                .or_else(|| self.http.ca_bundle.clone()),
            ..self.http.clone()
        })
        .map_err(|err| kv::unreachable(&config.addr, &err))?;
        Ok(Kv::new(
            http,
            config,
            &self.location.mount,
            &self.location.path,
        ))
    }

    /// The record's key; `P.lease` is the lease of profile `P`, never a profile.
    fn key(profile: &str) -> Result<&str, VaultError> {
        if profile.ends_with(LEASE_SUFFIX) {
            return Err(VaultError::ReservedName(profile.to_string()));
        }
        Ok(profile)
    }

    fn read_record(&self, profile: &str) -> Result<Option<(Profile, Secret)>, VaultError> {
        let kv = self.kv()?;
        let key = Self::key(profile)?;
        let read = kv.read(key)?;
        self.versions
            .borrow_mut()
            .insert(key.to_string(), read.version);
        let Some(data) = read.data else {
            return Ok(None);
        };
        let foreign = || VaultError::Foreign {
            location: kv.location(key),
        };
        let record: RecordIn<'_> = serde_json::from_str(data.expose()).map_err(|_| foreign())?;
        if record.crmauth != RECORD_FORMAT {
            return Err(foreign());
        }
        Ok(Some((
            record.settings,
            Secret::new(record.credential.get()),
        )))
    }

    fn write_record(
        &self,
        profile: &str,
        settings: &Profile,
        record: &Secret,
    ) -> Result<(), VaultError> {
        let kv = self.kv()?;
        let key = Self::key(profile)?;
        let credential: &RawValue =
            serde_json::from_str(record.expose()).map_err(|_| VaultError::Unexpected {
                what: "encoding the record".to_string(),
                status: 0,
                detail: String::new(),
            })?;
        let settings = Profile {
            // Which store a machine uses is that machine's business.
            store: None,
            ..settings.clone()
        };
        let data = serde_json::to_string(&RecordOut {
            crmauth: RECORD_FORMAT,
            settings: &settings,
            credential,
        })
        .map(Secret::new)
        .map_err(|_| VaultError::Unexpected {
            what: "encoding the record".to_string(),
            status: 0,
            detail: String::new(),
        })?;
        let read = self.versions.borrow().get(key).copied();
        let mut cas = match read {
            Some(version) => version,
            None => kv.current_version(key)?,
        };
        for _ in 0..LOGIN_ATTEMPTS {
            match kv.write(key, cas, &data)? {
                Written::Version(version) => {
                    self.versions.borrow_mut().insert(key.to_string(), version);
                    return Ok(());
                }
                // What this process read is no longer there (a refresh
                // under the lease loses only to a new login): keep theirs.
                Written::Conflict if read.is_some() => break,
                // A login replaces whatever is there: read its version again.
                Written::Conflict => cas = kv.current_version(key)?,
            }
        }
        Err(VaultError::Conflict {
            profile: profile.to_string(),
        })
    }
}

/// Mount and path are `/`-separated parts of safe characters: they become
/// URL paths and policy paths.
fn check_location(what: &'static str, value: &str) -> Result<(), VaultError> {
    let valid = !value.is_empty()
        && value.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if valid {
        Ok(())
    } else {
        Err(VaultError::BadLocation {
            what,
            value: value.escape_debug().to_string(),
        })
    }
}

impl SecretStore for VaultStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Vault
    }

    fn load_raw(&self, profile: &str) -> Result<Option<Secret>, StoreError> {
        Ok(self.read_record(profile)?.map(|(_, record)| record))
    }

    /// Keeps the settings already in Vault (every crmauth write goes
    /// through `save_with_settings`).
    fn save_raw(&self, profile: &str, record: &Secret) -> Result<(), StoreError> {
        let (settings, _) = self
            .read_record(profile)?
            .ok_or_else(|| StoreError::Corrupt {
                profile: profile.to_string(),
                reason: "no settings to keep with the secret in Vault".to_string(),
            })?;
        Ok(self.write_record(profile, &settings, record)?)
    }

    fn save_with_settings(
        &self,
        profile: &str,
        settings: &Profile,
        record: &Secret,
    ) -> Result<(), StoreError> {
        Ok(self.write_record(profile, settings, record)?)
    }

    /// Every version of the record, and its lease.
    fn delete(&self, profile: &str) -> Result<(), StoreError> {
        let kv = self.kv()?;
        let key = Self::key(profile)?;
        kv.delete(key)?;
        kv.delete(&format!("{key}{LEASE_SUFFIX}"))?;
        self.versions.borrow_mut().remove(key);
        Ok(())
    }

    fn load_shared(&self, profile: &str) -> Result<Option<(Profile, Secret)>, StoreError> {
        Ok(self.read_record(profile)?)
    }

    /// The profiles in the folder; leases, sub-folders and records that are
    /// not crmauth's are left out.
    fn shared_profiles(&self) -> Result<Vec<(String, Profile)>, StoreError> {
        let kv = self.kv()?;
        let mut shared = Vec::new();
        for name in kv.list()? {
            if name.ends_with(LEASE_SUFFIX) || profile::validate_name(&name).is_err() {
                continue;
            }
            match self.read_record(&name) {
                Ok(Some((settings, _))) => shared.push((name, settings)),
                Ok(None) | Err(VaultError::Foreign { .. }) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Ok(shared)
    }

    fn refresh_lease(&self, profile: &str) -> Result<Option<HeldLease<'_>>, StoreError> {
        let kv = self.kv()?;
        let key = Self::key(profile)?;
        let duration = self
            .http
            .timeout
            .saturating_mul(2)
            .max(Duration::from_secs(2));
        let held = lease::acquire(kv, key, duration)?;
        Ok(Some(Box::new(held)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_and_path_are_plain_folder_names() {
        for good in ["secret", "crmauth", "team/kv-2", "a.b/c_d"] {
            assert!(check_location("path", good).is_ok(), "{good}");
        }
        for bad in [
            "", "/secret", "secret/", "a//b", "..", "a/../b", "a b", "a?b", "é",
        ] {
            assert!(check_location("path", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_lease_is_never_a_profile() {
        assert!(VaultStore::key("shop").is_ok());
        assert!(matches!(
            VaultStore::key("shop.lease"),
            Err(VaultError::ReservedName(_))
        ));
    }
}
