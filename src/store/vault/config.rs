//! Where the Vault is and who we are to it, read as Vault's own CLI reads
//! it: `VAULT_ADDR`, `VAULT_TOKEN` (else `~/.vault-token`), `VAULT_CACERT`,
//! `VAULT_NAMESPACE`, and OpenBao's `BAO_*` names of the same.

use std::path::PathBuf;

use crate::secret::Secret;
use crate::store::vault::VaultError;
use crate::urls;

pub struct VaultConfig {
    /// Without a trailing `/`.
    pub addr: String,
    pub token: Secret,
    /// Where the token came from, for hints: never the token itself.
    pub token_source: &'static str,
    pub namespace: Option<String>,
    pub cacert: Option<PathBuf>,
}

impl VaultConfig {
    pub fn from_env() -> Result<Self, VaultError> {
        let addr = var("VAULT_ADDR")
            .or_else(|| var("BAO_ADDR"))
            .ok_or(VaultError::NoAddress)?;
        let addr = checked_address(&addr)?;
        let (token, token_source) = token()?;
        Ok(Self {
            addr,
            token,
            token_source,
            namespace: var("VAULT_NAMESPACE").or_else(|| var("BAO_NAMESPACE")),
            cacert: var("VAULT_CACERT")
                .or_else(|| var("BAO_CACERT"))
                .map(PathBuf::from),
        })
    }
}

/// A set, non-empty variable.
fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// An http(s) address; plain http only to loopback, since every request
/// carries the Vault token.
fn checked_address(addr: &str) -> Result<String, VaultError> {
    let addr = addr.trim().trim_end_matches('/');
    // Never a user name, password or query: they may hold secrets.
    let shown = || urls::shown(addr);
    let Some(url) = url::Url::parse(addr).ok().filter(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host().is_some()
            && url.query().is_none()
            && url.username().is_empty()
    }) else {
        return Err(VaultError::BadAddress { addr: shown() });
    };
    // Every request carries the Vault token: clear text only to loopback.
    if url.scheme() == "http" && !urls::is_loopback(&url) {
        return Err(VaultError::PlainHttp { addr: shown() });
    }
    Ok(addr.to_string())
}

fn token() -> Result<(Secret, &'static str), VaultError> {
    for name in ["VAULT_TOKEN", "BAO_TOKEN"] {
        if let Ok(value) = std::env::var(name) {
            let token = Secret::new(value.trim().to_string());
            drop(zeroize::Zeroizing::new(value));
            if !token.is_empty() {
                return Ok((token, name));
            }
        }
    }
    let file = directories::BaseDirs::new()
        .map(|dirs| dirs.home_dir().join(".vault-token"))
        .ok_or(VaultError::NoToken)?;
    match std::fs::read_to_string(file) {
        Ok(text) => {
            let token = Secret::new(text.trim().to_string());
            drop(zeroize::Zeroizing::new(text));
            if token.is_empty() {
                Err(VaultError::NoToken)
            } else {
                Ok((token, "~/.vault-token"))
            }
        }
        Err(_) => Err(VaultError::NoToken),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(checked_address("http://127.0.0.1:8200/").is_ok());
        assert!(checked_address("https://vault.example.com:8200").is_ok());
        assert!(matches!(
            checked_address("http://vault.example.com:8200"),
            Err(VaultError::PlainHttp { .. })
        ));
        assert!(matches!(
            checked_address("vault:8200"),
            Err(VaultError::BadAddress { .. })
        ));
    }
}
