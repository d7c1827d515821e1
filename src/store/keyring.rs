//! The OS keyring: the Secret Service on Linux (our own lean client,
//! secret_service.rs), the native stores through keyring-core on macOS and
//! Windows.
//!
//! Every call runs under a deadline: a stopped or frozen
//! daemon otherwise blocks a D-Bus call forever, and an unlock or access
//! dialog may be waiting for a person. Without a terminal the deadline is
//! 5 s; with stderr a terminal, a call still waiting after 1 s says so on one
//! line and waits up to 60 s; `CRMAUTH_KEYRING_TIMEOUT` (seconds) sets the
//! deadline in both cases. There is never a fallback to another store.

use std::io::IsTerminal as _;
use std::path::Path;
use std::time::Duration;

use crate::secret::Secret;
use crate::store::deadline::Deadline;
use crate::store::{SecretStore, StoreError, StoreKind};

const SERVICE: &str = "crmauth";
/// Without a person to answer a dialog.
const DEADLINE: Duration = Duration::from_secs(5);
/// With a terminal: when to say that we wait, and for how long at most.
const NOTICE_AFTER: Duration = Duration::from_secs(1);
const INTERACTIVE_DEADLINE: Duration = Duration::from_secs(60);
const TIMEOUT_VAR: &str = "CRMAUTH_KEYRING_TIMEOUT";

pub struct KeyringStore {
    service: String,
    quiet: bool,
}

/// Why a keyring call failed, before it becomes a [`StoreError`].
#[derive(Debug)]
enum Failure {
    /// The keyring cannot be used (missing, locked, denied, broken, slow).
    Unavailable(String),
    /// The person at the keyring refused (a dialog denied or dismissed).
    /// Only the Secret Service tells this apart.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Denied(String),
    /// The keyring works; the record in it does not (exit 1, not 6).
    Corrupt(&'static str),
    /// The record is longer than the keyring takes: what is counted, and
    /// the limit.
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    TooLong(String, u32),
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
        Self {
            service,
            quiet: false,
        }
    }

    /// `-q`: no "waiting for the keyring" line.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// What a person browsing the keyring (Seahorse, KeePassXC) sees as the
    /// item's name.
    fn label(&self, account: &str) -> String {
        match self.service.strip_prefix("crmauth:") {
            Some(config_dir) => format!("crmauth profile '{account}' ({config_dir})"),
            None => format!("crmauth profile '{account}'"),
        }
    }

    /// Runs `operation` under the deadline of the module documentation.
    fn call<T: Send + 'static>(
        &self,
        profile: &str,
        operation: impl FnOnce(Deadline) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, StoreError> {
        let wait = Wait::from_env()?;
        platform::run(wait.deadline(self.quiet), operation)
            .map_err(|failure| into_store_error(profile, failure))
    }
}

/// What is said when a keyring call is still waiting after a while.
const WAITING: &str = "waiting for the keyring — is an unlock or access dialog open?";

fn no_answer(waited: Duration) -> Failure {
    Failure::Unavailable(format!(
        "no answer within {} s (an unlock or access dialog may be open; {TIMEOUT_VAR} sets how long to wait)",
        waited.as_secs()
    ))
}

/// How long a keyring call may take, and when to say that it is waiting.
struct Wait {
    deadline: Duration,
    notice_after: Option<Duration>,
}

impl Wait {
    /// From now: the end, and the one line said (unless `quiet`) when the
    /// call is still waiting at the notice time.
    fn deadline(&self, quiet: bool) -> Deadline {
        let mut deadline = Deadline::after(self.deadline);
        if let Some(after) = self.notice_after.filter(|after| *after < self.deadline)
            && !quiet
        {
            deadline.notice = Some((
                deadline.started + after,
                Box::new(|| eprintln!("{WAITING}")),
            ));
        }
        deadline
    }

    fn from_env() -> Result<Self, StoreError> {
        let person = std::io::stderr().is_terminal();
        let deadline = match std::env::var_os(TIMEOUT_VAR) {
            None => {
                if person {
                    INTERACTIVE_DEADLINE
                } else {
                    DEADLINE
                }
            }
            Some(value) => value
                .to_str()
                .and_then(|text| text.trim().parse::<u64>().ok())
                .filter(|seconds| *seconds > 0)
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    StoreError::BadSetting(format!(
                        "{TIMEOUT_VAR} must be a whole number of seconds above 0"
                    ))
                })?,
        };
        Ok(Self {
            deadline,
            notice_after: person.then_some(NOTICE_AFTER),
        })
    }
}

fn into_store_error(profile: &str, failure: Failure) -> StoreError {
    match failure {
        Failure::Unavailable(reason) => StoreError::Unavailable(reason),
        Failure::Denied(reason) => StoreError::Denied(reason),
        Failure::Corrupt(reason) => damaged(profile, reason),
        Failure::TooLong(what, limit) => StoreError::TooLong { what, limit },
    }
}

impl SecretStore for KeyringStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }

    fn load_raw(&self, profile: &str) -> Result<Option<Secret>, StoreError> {
        let (service, account) = (self.service.clone(), profile.to_string());
        match self.call(profile, move |deadline| {
            platform::load(deadline, &service, &account)
        })? {
            Some(bytes) => String::from_utf8(bytes)
                .map(|text| Some(Secret::new(text)))
                .map_err(|_| damaged(profile, "the stored secret is not UTF-8")),
            None => Ok(None),
        }
    }

    fn save_raw(&self, profile: &str, record: &Secret) -> Result<(), StoreError> {
        let (service, account) = (self.service.clone(), profile.to_string());
        let label = self.label(profile);
        let record = record.clone();
        self.call(profile, move |deadline| {
            platform::save(
                deadline,
                &service,
                &account,
                &label,
                record.expose().as_bytes(),
            )
        })
    }

    fn delete(&self, profile: &str) -> Result<(), StoreError> {
        let (service, account) = (self.service.clone(), profile.to_string());
        self.call(profile, move |deadline| {
            platform::delete(deadline, &service, &account)
        })
    }
}

fn damaged(profile: &str, reason: &str) -> StoreError {
    StoreError::Corrupt {
        profile: profile.to_string(),
        reason: reason.to_string(),
    }
}

#[cfg(target_os = "linux")]
mod platform {
    //! The Secret Service. Items carry the attributes `service` and
    //! `username`, as the keyring crate's Secret Service store wrote them,
    //! so that items stored by earlier versions are found.

    use std::collections::HashMap;

    use super::Failure;
    use crate::store::deadline::Deadline;
    use crate::store::secret_service::{SecretService, ServiceError};

    /// On this thread: the D-Bus connection keeps the deadline itself.
    pub fn run<T>(
        deadline: Deadline,
        operation: impl FnOnce(Deadline) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        operation(deadline)
    }

    fn attributes<'a>(service: &'a str, account: &'a str) -> HashMap<&'a str, &'a str> {
        HashMap::from([("service", service), ("username", account)])
    }

    fn failure(err: ServiceError) -> Failure {
        match err {
            ServiceError::BadRecord(_) => Failure::Corrupt("the stored secret cannot be decrypted"),
            ServiceError::Denied(_) => Failure::Denied(err.to_string()),
            ServiceError::NoAnswer(waited) => super::no_answer(waited),
            other => Failure::Unavailable(other.to_string()),
        }
    }

    pub fn load(
        deadline: Deadline,
        service: &str,
        account: &str,
    ) -> Result<Option<Vec<u8>>, Failure> {
        let attributes = attributes(service, account);
        SecretService::with(deadline, |ss| ss.lookup(&attributes)).map_err(failure)
    }

    pub fn save(
        deadline: Deadline,
        service: &str,
        account: &str,
        label: &str,
        secret: &[u8],
    ) -> Result<(), Failure> {
        let attributes = attributes(service, account);
        SecretService::with(deadline, |ss| ss.store(label, &attributes, secret)).map_err(failure)
    }

    pub fn delete(deadline: Deadline, service: &str, account: &str) -> Result<(), Failure> {
        let attributes = attributes(service, account);
        SecretService::with(deadline, |ss| ss.delete(&attributes).map(|_| ())).map_err(failure)
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    //! keyring-core's native stores.

    use std::sync::Arc;

    #[cfg(not(windows))]
    use keyring_core::Entry;
    use keyring_core::Error as KeyringError;
    use keyring_core::api::CredentialStore;

    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Instant;

    use super::Failure;
    use crate::store::deadline::Deadline;

    /// keyring-core's calls have no deadline: a worker thread makes them,
    /// and is left behind when the deadline passes (the process ends soon).
    pub fn run<T: Send + 'static>(
        mut deadline: Deadline,
        operation: impl FnOnce(Deadline) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let notice = deadline.notice.take();
        let (end, limit) = (deadline.end, deadline.limit());
        let (sender, receiver) = mpsc::channel();
        thread::Builder::new()
            .name("keyring".to_string())
            .spawn(move || {
                // The receiver is gone only when the deadline passed.
                let _ = sender.send(operation(deadline));
            })
            .map_err(|_| Failure::Unavailable("cannot start a worker thread".to_string()))?;
        let worker_died =
            || Failure::Unavailable("the keyring call ended without an answer".to_string());
        if let Some((at, say)) = notice {
            match receiver.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(result) => return result,
                Err(RecvTimeoutError::Disconnected) => return Err(worker_died()),
                Err(RecvTimeoutError::Timeout) => say(),
            }
        }
        match receiver.recv_timeout(end.saturating_duration_since(Instant::now())) {
            Ok(result) => result,
            Err(RecvTimeoutError::Disconnected) => Err(worker_died()),
            Err(RecvTimeoutError::Timeout) => Err(super::no_answer(limit)),
        }
    }

    #[cfg(not(windows))]
    fn entry(service: &str, account: &str) -> Result<Entry, Failure> {
        open_platform_store()
            .and_then(|store| store.build(service, account, None))
            .map_err(failure)
    }

    /// Keeps the real reason but never the secret bytes some keyring errors
    /// carry.
    fn failure(err: KeyringError) -> Failure {
        match err {
            KeyringError::BadEncoding(_) => Failure::Corrupt("the stored secret is malformed"),
            KeyringError::BadDataFormat(..) => Failure::Corrupt("the stored secret is malformed"),
            KeyringError::PlatformFailure(inner) | KeyringError::NoStorageAccess(inner) => {
                Failure::Unavailable(inner.to_string())
            }
            KeyringError::NotSupportedByStore(reason) => Failure::Unavailable(reason),
            // keyring-core's number is bytes on Windows and characters
            // elsewhere: name what it counts, not a unit.
            KeyringError::TooLong(what, limit) => Failure::TooLong(what, limit),
            KeyringError::Ambiguous(items) => Failure::Unavailable(format!(
                "{} keyring entries match; remove the extras",
                items.len()
            )),
            other => Failure::Unavailable(other.to_string()),
        }
    }

    #[cfg(not(windows))]
    pub fn load(
        _deadline: Deadline,
        service: &str,
        account: &str,
    ) -> Result<Option<Vec<u8>>, Failure> {
        match entry(service, account)?.get_secret() {
            Ok(record) => Ok(Some(record)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(err) => Err(failure(err)),
        }
    }

    #[cfg(not(windows))]
    pub fn save(
        _deadline: Deadline,
        service: &str,
        account: &str,
        _label: &str,
        secret: &[u8],
    ) -> Result<(), Failure> {
        entry(service, account)?.set_secret(secret).map_err(failure)
    }

    #[cfg(not(windows))]
    pub fn delete(_deadline: Deadline, service: &str, account: &str) -> Result<(), Failure> {
        match entry(service, account)?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(err) => Err(failure(err)),
        }
    }

    /// Credential Manager entries are small (2,560 bytes): a record may span
    /// several (chunks.rs).
    #[cfg(windows)]
    struct ServiceEntries<'a> {
        service: &'a str,
    }

    #[cfg(windows)]
    impl crate::store::chunks::Entries for ServiceEntries<'_> {
        fn get(&self, account: &str) -> Result<crate::secret::Secret, KeyringError> {
            open_platform_store()?
                .build(self.service, account, None)?
                .get_password()
                .map(crate::secret::Secret::new)
        }

        fn set(&self, account: &str, value: &crate::secret::Secret) -> Result<(), KeyringError> {
            open_platform_store()?
                .build(self.service, account, None)?
                .set_password(value.expose())
        }

        fn delete(&self, account: &str) -> Result<(), KeyringError> {
            open_platform_store()?
                .build(self.service, account, None)?
                .delete_credential()
        }
    }

    #[cfg(windows)]
    pub fn load(
        _deadline: Deadline,
        service: &str,
        account: &str,
    ) -> Result<Option<Vec<u8>>, Failure> {
        use crate::store::chunks;
        match chunks::load(&ServiceEntries { service }, account) {
            Ok(record) => Ok(Some(record.expose().as_bytes().to_vec())),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(err) => Err(failure(err)),
        }
    }

    #[cfg(windows)]
    pub fn save(
        _deadline: Deadline,
        service: &str,
        account: &str,
        _label: &str,
        secret: &[u8],
    ) -> Result<(), Failure> {
        use crate::store::chunks;
        let text = std::str::from_utf8(secret)
            .map_err(|_| Failure::Corrupt("the record to store is not UTF-8"))?;
        let record = crate::secret::Secret::new(text);
        chunks::save(
            &ServiceEntries { service },
            account,
            &record,
            chunks::WINDOWS_ENTRY_UNITS,
        )
        .map_err(failure)
    }

    #[cfg(windows)]
    pub fn delete(_deadline: Deadline, service: &str, account: &str) -> Result<(), Failure> {
        use crate::store::chunks;
        match chunks::delete(&ServiceEntries { service }, account) {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(err) => Err(failure(err)),
        }
    }

    #[cfg(target_os = "macos")]
    fn open_platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
        Ok(apple_native_keyring_store::keychain::Store::new()?)
    }

    #[cfg(windows)]
    fn open_platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
        Ok(windows_native_keyring_store::Store::new()?)
    }

    #[cfg(not(any(target_os = "macos", windows)))]
    fn open_platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
        Err(KeyringError::NotSupportedByStore(
            "no OS keyring is supported on this platform".to_string(),
        ))
    }
}
