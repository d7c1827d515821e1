//! The global options resolved once: config dir, store, profile, verbosity,
//! HTTP settings. Commands get what they need from here.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::cli::GlobalArgs;
use crate::error::UsageError;
use crate::files;
use crate::http::{DEFAULT_TIMEOUT, Http, HttpSettings};
use crate::profile::{self, FALLBACK_PROFILE, ProfileRepo, ProfilesFile};
use crate::secret;
use crate::store::file::FileStore;
use crate::store::keyring::KeyringStore;
use crate::store::vault::{VaultLocation, VaultStore};
use crate::store::{SecretStore, StoreKind};

pub struct Context {
    pub config_dir: PathBuf,
    is_default_dir: bool,
    pub store_kind: StoreKind,
    explicit_profile: Option<String>,
    pub verbose: bool,
    pub quiet: bool,
    timeout: Duration,
    cacert: Option<PathBuf>,
    vault: VaultLocation,
}

impl Context {
    pub fn from_args(args: &GlobalArgs) -> Result<Self> {
        // One spelling per directory (`dir`, `dir/`, `./dir`, a symlink): the
        // keyring service name is made from it.
        let default_dir = || default_config_dir().and_then(|dir| files::canonical_dir(&dir).ok());
        let (config_dir, is_default_dir) = match &args.config_dir {
            Some(dir) if dir.as_os_str().is_empty() => {
                return Err(UsageError::new("--config-dir must not be empty").into());
            }
            Some(dir) => {
                let dir = files::canonical_dir(dir)
                    .with_context(|| format!("cannot resolve config dir {}", dir.display()))?;
                // Resolving the default dir costs a readlink per component:
                // only done when the names could match (`token` is called
                // in loops).
                let maybe_default = default_config_dir()
                    .is_some_and(|default| default.file_name() == dir.file_name());
                let is_default = maybe_default && default_dir().as_deref() == Some(dir.as_path());
                (dir, is_default)
            }
            None => {
                let dir = default_dir().ok_or_else(|| {
                    UsageError::new("cannot find a config directory for this user")
                        .with_hint("pass --config-dir DIR or set CRMAUTH_CONFIG_DIR")
                })?;
                (dir, true)
            }
        };
        if let Some(name) = &args.profile {
            profile::validate_name(name)?;
        }
        Ok(Self {
            config_dir,
            is_default_dir,
            store_kind: args.store.unwrap_or(StoreKind::Keyring),
            explicit_profile: args.profile.clone(),
            verbose: args.verbose,
            quiet: args.quiet,
            timeout: args
                .timeout
                .map(Duration::from_secs)
                .unwrap_or(DEFAULT_TIMEOUT),
            cacert: args.cacert.clone(),
            vault: VaultLocation {
                mount: args.vault_mount.clone(),
                path: args.vault_path.clone(),
            },
        })
    }

    pub fn profiles(&self) -> ProfileRepo {
        ProfileRepo::new(&self.config_dir)
    }

    /// `-p`/`CRMAUTH_PROFILE`, else the default profile, else `default`.
    pub fn profile_name(&self, profiles: &ProfilesFile) -> String {
        self.pick_profile(profiles.default.as_deref())
    }

    fn pick_profile(&self, default: Option<&str>) -> String {
        self.explicit_profile
            .as_deref()
            .or(default)
            .unwrap_or(FALLBACK_PROFILE)
            .to_string()
    }

    /// The profiles file with only the profile this command uses parsed,
    /// and that profile's name (see [`ProfileRepo::load_one`]).
    pub fn load_profile(&self) -> Result<(ProfilesFile, String)> {
        Ok(self
            .profiles()
            .load_one(|default| self.pick_profile(default))?)
    }

    pub fn store(&self) -> Box<dyn SecretStore> {
        self.store_of(self.store_kind)
    }

    pub fn store_of(&self, kind: StoreKind) -> Box<dyn SecretStore> {
        match kind {
            StoreKind::Keyring => {
                Box::new(KeyringStore::new(&self.config_dir, self.is_default_dir).quiet(self.quiet))
            }
            StoreKind::File => Box::new(FileStore::new(&self.config_dir)),
            StoreKind::Vault => Box::new(self.vault_store()),
        }
    }

    fn vault_store(&self) -> VaultStore {
        VaultStore::new(self.vault.clone(), self.http_settings())
    }

    /// A short description of where secrets live, for `whoami`.
    pub fn store_location(&self) -> String {
        match self.store_kind {
            StoreKind::Keyring => format!(
                "keyring (service {})",
                KeyringStore::new(&self.config_dir, self.is_default_dir).service()
            ),
            StoreKind::File => {
                format!("file {}", FileStore::new(&self.config_dir).path().display())
            }
            StoreKind::Vault => self.vault_store().describe(),
        }
    }

    /// Built only by commands that talk to a server: `token` on a fresh
    /// credential never pays for TLS set-up.
    pub fn http(&self) -> Result<Http> {
        Ok(Http::new(self.http_settings())?)
    }

    fn http_settings(&self) -> HttpSettings {
        HttpSettings {
            timeout: self.timeout,
            ca_bundle: self.cacert.clone(),
            verbose: self.verbose,
        }
    }

    /// The extra CA certificate file (`--cacert` / `CRMAUTH_CA_BUNDLE`).
    pub fn ca_bundle(&self) -> Option<&Path> {
        self.cacert.as_deref()
    }

    pub fn lock_path(&self, profile: &str) -> PathBuf {
        self.config_dir
            .join("locks")
            .join(format!("{profile}.lock"))
    }

    /// A remark for people (notices, progress); silenced by `-q`. Any
    /// secret the command knows is redacted from it.
    pub fn note(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", secret::redact(message.as_ref()));
        }
    }

    pub fn warn(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", secret::redact(message.as_ref()));
        }
    }

    /// Said whenever a secret is written to the plain file store.
    pub fn notice_file_store(&self) {
        if self.store_kind == StoreKind::File {
            self.note(format!(
                "note: secret written to {} ({}; --store keyring keeps it in the OS keyring)",
                FileStore::new(&self.config_dir).path().display(),
                crate::store::file::PROTECTION
            ));
        }
    }
}

pub fn default_config_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.config_dir().join("crmauth"))
}
