//! `<config-dir>/credentials.json`: secrets in a 0600 file for machines without
//! a keyring. A file that group or others can read is refused, never chmod-ed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use crate::files::{self, FileLock};
use crate::secret::Secret;
use crate::store::{SecretStore, StoreError, StoreKind};

pub const CREDENTIALS_FILE: &str = "credentials.json";

/// Who can read credentials.json, as the file store notice says it. Unix: the
/// mode, set at creation and checked on every read. Windows has no modes, and
/// crmauth neither sets nor checks an ACL there: the file inherits the config
/// dir's, which in the user's profile (%APPDATA%) grants the user, SYSTEM and
/// Administrators.
#[cfg(unix)]
pub const PROTECTION: &str = "plain file, mode 0600";
#[cfg(not(unix))]
pub const PROTECTION: &str = "plain file, readable by whoever the config dir's ACL allows: in %APPDATA%, you, SYSTEM and Administrators";
const LOCK_FILE: &str = "credentials.lock";

#[derive(Default, Serialize, Deserialize)]
struct CredentialsFile {
    #[serde(default)]
    credentials: BTreeMap<String, Record>,
}

/// One profile's record, kept as the JSON text it is (never parsed into
/// values that would leave unwiped copies of its secrets) and wiped on drop.
/// Not a [`Secret`] until it is handed out: the records of other profiles,
/// read along when the file is rewritten, need no redaction.
struct Record(Zeroizing<String>);

impl Record {
    /// The text must be JSON: it is written into credentials.json verbatim.
    fn new(text: &Secret) -> Option<Self> {
        RawValue::from_string(text.expose().to_string())
            .ok()
            .map(Self::from_raw)
    }

    /// `Box<RawValue>` to `Box<str>` to `String` keeps the one buffer, which
    /// is then wiped on drop.
    fn from_raw(raw: Box<RawValue>) -> Self {
        Self(Zeroizing::new(Box::<str>::from(raw).into_string()))
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Self::from_raw)
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.to_string()).map_err(S::Error::custom)?;
        let written = raw.serialize(serializer);
        drop(Self::from_raw(raw));
        written
    }
}

/// credentials.json as `token` reads it: every record stays borrowed text in
/// the file's buffer, and only the one asked for is copied out.
#[derive(Deserialize)]
struct UnparsedFile<'a> {
    #[serde(borrow, default)]
    credentials: BTreeMap<Cow<'a, str>, &'a RawValue>,
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
        match self.read_text()? {
            Some(text) => parse(&self.path(), &text),
            None => Ok(CredentialsFile::default()),
        }
    }

    /// The file's text in a buffer wiped on drop, after the checks that
    /// nobody else can read or could have written it; `None` when there is
    /// no file.
    fn read_text(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        let path = self.path();
        files::check_trusted(&self.dir)?;
        files::check_trusted(&path)?;
        let text = match fs::read(&path) {
            // Moved, not copied, into a buffer that is wiped on drop.
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Zeroizing::new(text),
                Err(err) => {
                    drop(Zeroizing::new(err.into_bytes()));
                    return Err(StoreError::CorruptFile {
                        path,
                        reason: "not UTF-8".to_string(),
                    });
                }
            },
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        check_private(&path)?;
        Ok(Some(text))
    }

    fn write(&self, file: &CredentialsFile) -> Result<(), StoreError> {
        let path = self.path();
        let json = crate::secret::to_json(file, true).map_err(|source| StoreError::Io {
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

fn parse<'a, T: Deserialize<'a>>(path: &Path, text: &'a str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|err| StoreError::CorruptFile {
        path: path.to_path_buf(),
        // serde's message can quote input: keep only where it failed.
        reason: format!(
            "not valid JSON at line {}, column {}",
            err.line(),
            err.column()
        ),
    })
}

#[cfg(unix)]
pub(crate) fn check_private(path: &Path) -> Result<(), StoreError> {
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
pub(crate) fn check_private(_path: &Path) -> Result<(), StoreError> {
    Ok(())
}

impl SecretStore for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn load_raw(&self, profile: &str) -> Result<Option<Secret>, StoreError> {
        let Some(text) = self.read_text()? else {
            return Ok(None);
        };
        let file: UnparsedFile = parse(&self.path(), &text)?;
        Ok(file
            .credentials
            .get(profile)
            .map(|record| Secret::new(record.get())))
    }

    fn save_raw(&self, profile: &str, record: &Secret) -> Result<(), StoreError> {
        let record = Record::new(record).ok_or_else(|| StoreError::Corrupt {
            profile: profile.to_string(),
            reason: "cannot encode the record".to_string(),
        })?;
        self.update(|file| {
            file.credentials.insert(profile.to_string(), record);
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
