//! `profiles.json`: the non-secret settings of every profile and the default.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use thiserror::Error;

use crate::credential::CredentialInfo;
use crate::error::{Classify, Exit};
use crate::files::{self, FileLock};
use crate::provider::{ProviderKind, Target};
use crate::store::StoreKind;

pub const PROFILES_FILE: &str = "profiles.json";
const LOCK_FILE: &str = "profiles.lock";
pub const FALLBACK_PROFILE: &str = "default";

#[derive(Debug, Error)]
pub enum ProfileError {
    #[error("{path} is not valid: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("cannot {action} {path}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error(
        "invalid profile name '{0}': use letters, digits, '.', '_' and '-', not starting with '.'"
    )]
    InvalidName(String),
    #[error("no profile named '{0}'")]
    Unknown(String),
    #[error(
        "{path} names a profile '{name}': profile names are letters, digits, '.', '_' and '-', not starting with '.'"
    )]
    InvalidStoredName { path: PathBuf, name: String },
    #[error(transparent)]
    Untrusted(#[from] files::Untrusted),
}

impl Classify for ProfileError {
    fn exit(&self) -> Exit {
        match self {
            Self::Corrupt { .. } | Self::Io { .. } => Exit::Failure,
            Self::InvalidName(_) | Self::InvalidStoredName { .. } => Exit::Usage,
            Self::Untrusted(err) => err.exit(),
            Self::Unknown(_) => Exit::NotLoggedIn,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Self::Corrupt { path, .. } => Some(format!(
                "fix or remove {} (crmauth will not overwrite it)",
                path.display()
            )),
            Self::Unknown(_) => Some("run 'crmauth profiles' to list profiles".to_string()),
            Self::InvalidStoredName { path, .. } => Some(format!(
                "fix or remove {} (crmauth will not overwrite it)",
                path.display()
            )),
            Self::Untrusted(err) => err.hint(),
            _ => None,
        }
    }
}

/// Profile names become file names (lock files) and keyring accounts.
pub fn validate_name(name: &str) -> Result<(), ProfileError> {
    let valid = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if valid {
        Ok(())
    } else {
        Err(ProfileError::InvalidName(name.escape_debug().to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub provider: ProviderKind,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default)]
    pub allow_http: bool,
    /// Where its secrets are: a command run with the other store must not
    /// report "not logged in" or log out leaving them behind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreKind>,
    pub credential: CredentialInfo,
}

impl Profile {
    /// What the provider needs of this profile, named `name`.
    pub fn target<'a>(&'a self, name: &'a str) -> Target<'a> {
        Target {
            profile: name,
            url: &self.url,
            client_id: self.client_id.as_deref(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ProfilesFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

impl ProfilesFile {
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Records a profile after a successful login; the first one becomes the
    /// default when none is set.
    pub fn insert_login(&mut self, name: &str, profile: Profile) {
        self.insert(name, profile);
        if self.default.is_none() {
            self.default = Some(name.to_string());
        }
    }

    /// Records a profile's new state (a refresh): the default stays as it is.
    pub fn insert(&mut self, name: &str, profile: Profile) {
        self.profiles.insert(name.to_string(), profile);
    }

    /// Forgets a profile; removing the default leaves no default.
    pub fn remove(&mut self, name: &str) -> Option<Profile> {
        if self.default.as_deref() == Some(name) {
            self.default = None;
        }
        self.profiles.remove(name)
    }

    pub fn set_default(&mut self, name: &str) -> Result<(), ProfileError> {
        if !self.profiles.contains_key(name) {
            return Err(ProfileError::Unknown(name.to_string()));
        }
        self.default = Some(name.to_string());
        Ok(())
    }
}

/// Reads and writes `profiles.json` in one config dir.
#[derive(Debug, Clone)]
pub struct ProfileRepo {
    dir: PathBuf,
}

impl ProfileRepo {
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(PROFILES_FILE)
    }

    /// A missing file is an empty one; an unreadable or unparsable one is an
    /// error, and so is one (or a config dir) that another user could have
    /// written, or one naming a profile that could not be named on the
    /// command line (names become lock file names).
    pub fn load(&self) -> Result<ProfilesFile, ProfileError> {
        let path = self.path();
        let Some(text) = self.read_trusted(&path)? else {
            return Ok(ProfilesFile::default());
        };
        let profiles: ProfilesFile =
            serde_json::from_str(&text).map_err(|err| corrupt(&path, &err))?;
        check_names(&path, profiles.profiles.keys(), profiles.default.as_deref())?;
        Ok(profiles)
    }

    /// As [`ProfileRepo::load`], but only the profile `pick` chooses (given
    /// the default's name) is parsed; the others stay unparsed text, and
    /// the file holds only that one. For `token`, `curl` and `exec`, which
    /// use one profile and are called in loops: a thousand profiles must not
    /// cost a thousand parses.
    pub fn load_one(
        &self,
        pick: impl FnOnce(Option<&str>) -> String,
    ) -> Result<(ProfilesFile, String), ProfileError> {
        #[derive(Deserialize)]
        struct Unparsed<'a> {
            #[serde(default)]
            default: Option<String>,
            #[serde(borrow, default)]
            profiles: BTreeMap<Cow<'a, str>, &'a RawValue>,
        }
        let path = self.path();
        let text = self.read_trusted(&path)?;
        let unparsed = match &text {
            Some(text) => serde_json::from_str(text).map_err(|err| corrupt(&path, &err))?,
            None => Unparsed {
                default: None,
                profiles: BTreeMap::new(),
            },
        };
        check_names(&path, unparsed.profiles.keys(), unparsed.default.as_deref())?;
        let name = pick(unparsed.default.as_deref());
        let mut profiles = BTreeMap::new();
        if let Some(raw) = unparsed.profiles.get(name.as_str()) {
            let profile = serde_json::from_str(raw.get()).map_err(|err| corrupt(&path, &err))?;
            profiles.insert(name.clone(), profile);
        }
        let file = ProfilesFile {
            default: unparsed.default,
            profiles,
        };
        Ok((file, name))
    }

    /// The file's text, after checking that nobody else could have written
    /// it or its dir; `None` when there is no file.
    fn read_trusted(&self, path: &Path) -> Result<Option<String>, ProfileError> {
        files::check_trusted(&self.dir)?;
        files::check_trusted(path)?;
        match fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ProfileError::Io {
                action: "read",
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Read-modify-write under the config dir's lock so that two processes
    /// updating different profiles never lose each other's change. A corrupt
    /// file fails the load and is therefore never overwritten.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut ProfilesFile) -> Result<T, ProfileError>,
    ) -> Result<T, ProfileError> {
        let lock_path = self.dir.join(LOCK_FILE);
        let _lock = FileLock::acquire(&lock_path).map_err(|source| ProfileError::Io {
            action: "lock",
            path: lock_path.clone(),
            source,
        })?;
        let mut profiles = self.load()?;
        let result = change(&mut profiles)?;
        self.save(&profiles)?;
        Ok(result)
    }

    fn save(&self, profiles: &ProfilesFile) -> Result<(), ProfileError> {
        let path = self.path();
        let mut json = serde_json::to_string_pretty(profiles).map_err(|err| ProfileError::Io {
            action: "encode",
            path: path.clone(),
            source: io::Error::other(err),
        })?;
        json.push('\n');
        files::write_atomic(&path, json.as_bytes()).map_err(|source| ProfileError::Io {
            action: "write",
            path,
            source,
        })
    }
}

/// Every profile name (and the default's) must be one the command line
/// could name: names become lock file names.
fn check_names<'a>(
    path: &Path,
    names: impl Iterator<Item = &'a (impl AsRef<str> + 'a + ?Sized)>,
    default: Option<&'a str>,
) -> Result<(), ProfileError> {
    let mut names = names.map(AsRef::as_ref).chain(default);
    match names.find(|name| validate_name(name).is_err()) {
        Some(bad) => Err(ProfileError::InvalidStoredName {
            name: bad.escape_debug().to_string(),
            path: path.to_path_buf(),
        }),
        None => Ok(()),
    }
}

fn corrupt(path: &Path, err: &serde_json::Error) -> ProfileError {
    ProfileError::Corrupt {
        path: path.to_path_buf(),
        reason: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_safe_file_names() {
        for good in ["default", "prod", "eu-west_2", "a.b", "X9"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in ["", ".hidden", "a/b", "..", "a b", "tab\t", "é"] {
            assert!(validate_name(bad).is_err(), "{bad:?}");
        }
    }
}
