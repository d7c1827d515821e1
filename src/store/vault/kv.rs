//! A client of one KV version 2 engine's folder: read, check-and-set write,
//! delete and list, through crmauth's one HTTP client (timeouts, TLS,
//! proxies, `-v` logging without secrets). Each Vault answer that is not
//! what a KV v2 engine sends becomes a [`VaultError`] naming what fixes it.

use std::cell::OnceCell;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::http::{Answer, Field, Http, HttpError, Method, Request};
use crate::secret::Secret;
use crate::store::vault::VaultError;
use crate::store::vault::config::VaultConfig;

/// A record and the version it was read at; `data` is `None` for a key
/// that does not exist (version 0) or whose last version was deleted.
pub struct Versioned {
    pub version: u64,
    /// The JSON object under `data`, as text.
    pub data: Option<Secret>,
}

pub enum Written {
    Version(u64),
    /// The check-and-set version was not the current one: re-read.
    Conflict,
}

pub struct Kv {
    http: Http,
    config: VaultConfig,
    mount: String,
    path: String,
    /// The mount is checked once per process, before the first record.
    mount_checked: OnceCell<()>,
}

#[derive(Deserialize)]
struct Errors {
    #[serde(default)]
    errors: Vec<String>,
}

#[derive(Deserialize)]
struct ReadAnswer<'a> {
    #[serde(borrow)]
    data: Option<ReadData<'a>>,
}

#[derive(Deserialize)]
struct ReadData<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    version: u64,
}

#[derive(Deserialize)]
struct DataOf<T> {
    data: T,
}

#[derive(Deserialize)]
struct WriteData {
    version: u64,
}

#[derive(Deserialize)]
struct KeyMetadata {
    #[serde(default)]
    current_version: u64,
}

#[derive(Deserialize)]
struct Keys {
    #[serde(default)]
    keys: Vec<String>,
}

#[derive(Deserialize)]
struct MountInfo {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    options: Option<MountOptions>,
}

#[derive(Deserialize)]
struct MountOptions {
    #[serde(default)]
    version: Option<String>,
}

impl Kv {
    pub fn new(http: Http, config: VaultConfig, mount: &str, path: &str) -> Self {
        Self {
            http,
            config,
            mount: mount.to_string(),
            path: path.to_string(),
            mount_checked: OnceCell::new(),
        }
    }

    /// `<mount>/data/<path>/<key>`, as people name it in policies and errors.
    pub fn location(&self, key: &str) -> String {
        format!("{}/data/{}/{key}", self.mount, self.path)
    }

    /// Fails unless the mount is a KV version 2 engine: a KV v1 engine would
    /// take `<mount>/data/...` as a plain key and keep records unversioned.
    pub fn check_mount(&self) -> Result<(), VaultError> {
        if self.mount_checked.get().is_some() {
            return Ok(());
        }
        let api = format!("sys/internal/ui/mounts/{}", self.mount);
        let answer = self.call(Method::Get, &api, false, None)?;
        let missing = || VaultError::MountMissing {
            mount: self.mount.clone(),
        };
        match answer.status {
            200 => {
                let info: DataOf<MountInfo> =
                    parse(&answer).ok_or_else(|| self.unexpected("the mount check", &answer))?;
                let version = info.data.options.and_then(|options| options.version);
                match (info.data.kind.as_str(), version.as_deref()) {
                    ("kv", Some("2")) => {}
                    ("kv", _) => {
                        return Err(VaultError::NotKv2 {
                            mount: self.mount.clone(),
                            found: "a KV version 1 engine".to_string(),
                        });
                    }
                    (kind, _) => {
                        return Err(VaultError::NotKv2 {
                            mount: self.mount.clone(),
                            found: format!("a '{}' engine", clean(kind)),
                        });
                    }
                }
            }
            // Vault answers a path outside every mount as a failed
            // "preflight capability check".
            400 | 404 => return Err(missing()),
            403 if errors(&answer).iter().any(|e| e.contains("preflight")) => {
                return Err(missing());
            }
            _ => {
                return Err(self.failure(&format!("the mount check of '{}/'", self.mount), &answer));
            }
        }
        let _ = self.mount_checked.set(());
        Ok(())
    }

    pub fn read(&self, key: &str) -> Result<Versioned, VaultError> {
        let api = format!("{}/data/{}/{key}", self.mount, self.path);
        let answer = self.call(Method::Get, &api, false, None)?;
        if !matches!(answer.status, 200 | 404) {
            return Err(self.failure(&format!("reading {}", self.location(key)), &answer));
        }
        // A deleted version is a 404 that still carries its metadata.
        let text = std::str::from_utf8(&answer.body).ok();
        let read: Option<ReadAnswer<'_>> = text.and_then(|text| serde_json::from_str(text).ok());
        match read.and_then(|read| read.data) {
            Some(ReadData {
                data,
                metadata: Some(metadata),
            }) => Ok(Versioned {
                version: metadata.version,
                data: data
                    .filter(|raw| raw.get() != "null")
                    .map(|raw| Secret::new(raw.get())),
            }),
            _ if answer.status == 404 => {
                if errors(&answer).iter().any(|e| e.contains("no handler")) {
                    return Err(VaultError::MountMissing {
                        mount: self.mount.clone(),
                    });
                }
                Ok(Versioned {
                    version: 0,
                    data: None,
                })
            }
            _ => Err(self.unexpected(&format!("reading {}", self.location(key)), &answer)),
        }
    }

    /// The key's current version (0 when it does not exist), without
    /// reading its secrets.
    pub fn current_version(&self, key: &str) -> Result<u64, VaultError> {
        let api = format!("{}/metadata/{}/{key}", self.mount, self.path);
        let answer = self.call(Method::Get, &api, false, None)?;
        match answer.status {
            200 => parse::<DataOf<KeyMetadata>>(&answer)
                .map(|meta| meta.data.current_version)
                .ok_or_else(|| self.unexpected("a metadata read", &answer)),
            404 => Ok(0),
            _ => Err(self.failure(
                &format!("reading the metadata of {}", self.location(key)),
                &answer,
            )),
        }
    }

    /// Writes `data` (a JSON object) if the key is still at version `cas`
    /// (0: does not exist yet).
    pub fn write(&self, key: &str, cas: u64, data: &Secret) -> Result<Written, VaultError> {
        let api = format!("{}/data/{}/{key}", self.mount, self.path);
        let body = Secret::new(format!(
            "{{\"options\":{{\"cas\":{cas}}},\"data\":{}}}",
            data.expose()
        ));
        let answer = self.call(Method::Post, &api, false, Some(&body))?;
        match answer.status {
            200 | 204 => parse::<DataOf<WriteData>>(&answer)
                .map(|written| Written::Version(written.data.version))
                .ok_or_else(|| self.unexpected("a write", &answer)),
            400 if errors(&answer).iter().any(|e| e.contains("check-and-set")) => {
                Ok(Written::Conflict)
            }
            _ => Err(self.failure(&format!("writing {}", self.location(key)), &answer)),
        }
    }

    /// Removes the key and all its versions; a missing key is no error.
    pub fn delete(&self, key: &str) -> Result<(), VaultError> {
        let api = format!("{}/metadata/{}/{key}", self.mount, self.path);
        let answer = self.call(Method::Delete, &api, false, None)?;
        match answer.status {
            200 | 204 | 404 => Ok(()),
            _ => Err(self.failure(&format!("deleting {}", self.location(key)), &answer)),
        }
    }

    /// The keys in the folder (sub-folders end in `/`).
    pub fn list(&self) -> Result<Vec<String>, VaultError> {
        let api = format!("{}/metadata/{}", self.mount, self.path);
        let answer = self.call(Method::Get, &api, true, None)?;
        match answer.status {
            200 => parse::<DataOf<Keys>>(&answer)
                .map(|keys| keys.data.keys)
                .ok_or_else(|| self.unexpected("a list", &answer)),
            404 => Ok(Vec::new()),
            _ => Err(self.failure(
                &format!("listing {}/metadata/{}", self.mount, self.path),
                &answer,
            )),
        }
    }

    fn call(
        &self,
        method: Method,
        api: &str,
        list: bool,
        json: Option<&Secret>,
    ) -> Result<Answer, VaultError> {
        let url = format!("{}/v1/{api}", self.config.addr);
        let mut headers = vec![("X-Vault-Token", Field::Secret(&self.config.token))];
        if let Some(namespace) = &self.config.namespace {
            headers.push(("X-Vault-Namespace", Field::Plain(namespace)));
        }
        let list_query = [("list", Field::Plain("true"))];
        let request = Request {
            method,
            url: &url,
            query: if list { &list_query } else { &[] },
            form: None,
            json,
            headers: &headers,
        };
        let answer = self
            .http
            .send(&request)
            .map_err(|err| unreachable(&self.config.addr, &err))?;
        if answer.status == 503 && errors(&answer).iter().any(|e| e.contains("sealed")) {
            return Err(VaultError::Sealed {
                addr: self.config.addr.clone(),
            });
        }
        Ok(answer)
    }

    /// An answer that is not the one asked for: the token refused, or Vault
    /// in trouble.
    fn failure(&self, what: &str, answer: &Answer) -> VaultError {
        match answer.status {
            401 | 403 => VaultError::Denied {
                source_name: self.config.token_source,
                what: what.to_string(),
                mount: self.mount.clone(),
                path: self.path.clone(),
            },
            _ => self.unexpected(what, answer),
        }
    }

    fn unexpected(&self, what: &str, answer: &Answer) -> VaultError {
        let errors = errors(answer);
        VaultError::Unexpected {
            what: what.to_string(),
            status: answer.status,
            detail: if errors.is_empty() {
                String::new()
            } else {
                format!(": {}", errors.join("; "))
            },
        }
    }
}

fn parse<'a, T: Deserialize<'a>>(answer: &'a Answer) -> Option<T> {
    serde_json::from_slice(&answer.body).ok()
}

/// Vault's `errors` list, without control characters and cut short: it is
/// printed.
fn errors(answer: &Answer) -> Vec<String> {
    parse::<Errors>(answer)
        .map(|errors| errors.errors.iter().map(|e| clean(e)).collect())
        .unwrap_or_default()
}

fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// crmauth's own network error, as a Vault store error with Vault's hints.
pub fn unreachable(addr: &str, err: &HttpError) -> VaultError {
    let hint = match err {
        HttpError::CaBundle { .. } => "check VAULT_CACERT (or BAO_CACERT): it must name a PEM file",
        HttpError::Unreachable { reason, .. } if reason.starts_with("TLS") => {
            "set VAULT_CACERT to the CA certificate of your Vault, or check VAULT_ADDR"
        }
        _ => "is Vault up at that address? check VAULT_ADDR (or BAO_ADDR) and your network",
    };
    VaultError::Unreachable {
        addr: addr.to_string(),
        reason: err.to_string(),
        hint,
    }
}
