//! The OS keyring through keyring-core: the pure-Rust zbus Secret Service
//! store on Linux, the native stores on macOS and Windows.
//!
//! Every call runs on a worker thread under a 5 s deadline: a stopped or frozen
//! Secret Service daemon otherwise blocks a D-Bus call forever. There is never
//! a fallback to another store.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use keyring_core::api::CredentialStore;
use keyring_core::{Entry, Error as KeyringError};

use crate::secret::Secret;
#[cfg(windows)]
use crate::store::chunks;
use crate::store::{SecretStore, StoreError, StoreKind};

const DEADLINE: Duration = Duration::from_secs(5);
const SERVICE: &str = "crmauth";

pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    /// Entries use service `crmauth` for the default config dir and
    /// `crmauth:<absolute dir>` otherwise, so config dirs never share secrets.
    pub fn new(config_dir: &Path, is_default_dir: bool) -> Self {
        let service = if is_default_dir {
            SERVICE.to_string()
        } else {
            format!("{SERVICE}:{}", config_dir.display())
        };
        Self { service }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub(super) fn call<T: Send + 'static>(
        &self,
        profile: &str,
        operation: impl FnOnce(&Entry) -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, KeyringError> {
        let service = self.service.clone();
        let account = profile.to_string();
        let (sender, receiver) = mpsc::channel();
        let spawned = thread::Builder::new()
            .name("keyring".to_string())
            .spawn(move || {
                let label = match service.strip_prefix("crmauth:") {
                    Some(config_dir) => format!("crmauth profile '{account}' ({config_dir})"),
                    None => format!("crmauth profile '{account}'"),
                };
                let modifiers = entry_modifiers(&label);
                let result = open_platform_store()
                    .and_then(|store| store.build(&service, &account, modifiers.as_ref()))
                    .and_then(|entry| operation(&entry));
                // The receiver is gone only when the deadline passed.
                let _ = sender.send(result);
            });
        if spawned.is_err() {
            return Err(KeyringError::NotSupportedByStore(
                "cannot start a worker thread".to_string(),
            ));
        }
        match receiver.recv_timeout(DEADLINE) {
            Ok(result) => result,
            Err(_) => Err(KeyringError::NotSupportedByStore(format!(
                "no answer within {} s",
                DEADLINE.as_secs()
            ))),
        }
    }
}

/// What a person browsing the keyring (Seahorse, KeePassXC) sees as the
/// item's name; the Secret Service store takes it when the item is created.
#[cfg(target_os = "linux")]
fn entry_modifiers(label: &str) -> Option<HashMap<&str, &str>> {
    Some(HashMap::from([("label", label)]))
}

#[cfg(not(target_os = "linux"))]
fn entry_modifiers(_label: &str) -> Option<HashMap<&str, &str>> {
    None
}

#[cfg(target_os = "linux")]
fn open_platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn open_platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(windows)]
fn open_platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn open_platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Err(KeyringError::NotSupportedByStore(
        "no OS keyring is supported on this platform".to_string(),
    ))
}

/// Keeps the real reason (D-Bus error text, "locked", deadline) but never the
/// secret bytes some keyring errors carry.
fn unavailable(err: KeyringError) -> StoreError {
    let reason = match err {
        KeyringError::PlatformFailure(inner) | KeyringError::NoStorageAccess(inner) => {
            let text = inner.to_string();
            // A locked collection whose unlock prompt nobody can answer (no
            // desktop session) ends in "prompt dismissed" or "no result".
            if ["prompt dismissed", "result not returned", "locked"]
                .iter()
                .any(|sign| text.contains(sign))
            {
                format!("the keyring is locked and could not be unlocked ({text})")
            } else {
                text
            }
        }
        KeyringError::NotSupportedByStore(reason) => reason,
        KeyringError::Ambiguous(items) => {
            format!("{} keyring entries match; remove the extras", items.len())
        }
        other => other.to_string(),
    };
    StoreError::Unavailable(reason)
}

/// One entry per record; on Windows, whose entries are small, a long record
/// spans several (chunks.rs).
impl KeyringStore {
    fn read_record(&self, profile: &str) -> Result<Secret, KeyringError> {
        #[cfg(windows)]
        return chunks::load(self, profile);
        #[cfg(not(windows))]
        self.call(profile, |entry| entry.get_password().map(Secret::new))
    }

    fn write_record(&self, profile: &str, record: &Secret) -> Result<(), KeyringError> {
        #[cfg(windows)]
        return chunks::save(self, profile, record, chunks::WINDOWS_ENTRY_UNITS);
        #[cfg(not(windows))]
        {
            let record = record.clone();
            self.call(profile, move |entry| entry.set_password(record.expose()))
        }
    }

    fn remove_record(&self, profile: &str) -> Result<(), KeyringError> {
        #[cfg(windows)]
        return chunks::delete(self, profile);
        #[cfg(not(windows))]
        self.call(profile, |entry| entry.delete_credential())
    }
}

impl SecretStore for KeyringStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }

    fn load_raw(&self, profile: &str) -> Result<Option<Secret>, StoreError> {
        let damaged = |reason: &str| StoreError::Corrupt {
            profile: profile.to_string(),
            reason: reason.to_string(),
        };
        match self.read_record(profile) {
            Ok(record) => Ok(Some(record)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(KeyringError::BadStoreFormat(reason)) => Err(damaged(&reason)),
            // The keyring works; the record in it does not (exit 1, not 6).
            Err(KeyringError::BadEncoding(_)) => Err(damaged("the stored secret is not UTF-8")),
            Err(KeyringError::BadDataFormat(..)) => Err(damaged("the stored secret is malformed")),
            Err(err) => Err(unavailable(err)),
        }
    }

    fn save_raw(&self, profile: &str, record: &Secret) -> Result<(), StoreError> {
        self.write_record(profile, record).map_err(|err| match err {
            // keyring-core's number is bytes on Windows (2,560) and
            // characters elsewhere: name what it counts, not a unit.
            KeyringError::TooLong(what, limit) => StoreError::TooLong { what, limit },
            other => unavailable(other),
        })
    }

    fn delete(&self, profile: &str) -> Result<(), StoreError> {
        match self.remove_record(profile) {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(err) => Err(unavailable(err)),
        }
    }
}
