//! What can go wrong with the Vault store, and the variable or command that
//! fixes each. Nothing here ever holds the Vault token or a record's secrets.

use thiserror::Error;

use crate::error::{Classify, Exit};

#[derive(Debug, Clone, Error)]
pub enum VaultError {
    #[error("no Vault address: VAULT_ADDR (or BAO_ADDR) is not set")]
    NoAddress,
    #[error("VAULT_ADDR {addr} is not a valid http(s) address")]
    BadAddress { addr: String },
    #[error("VAULT_ADDR {addr} is plain http to a host that is not loopback")]
    PlainHttp { addr: String },
    #[error(
        "no Vault token: VAULT_TOKEN (or BAO_TOKEN) is not set and ~/.vault-token does not exist"
    )]
    NoToken,
    #[error(
        "invalid --vault-{what} '{value}': use letters, digits, '-', '_' and '.' in '/'-separated parts"
    )]
    BadLocation { what: &'static str, value: String },
    #[error("profile name '{0}' ends in '.lease', which the Vault store keeps for refresh leases")]
    ReservedName(String),
    #[error("Vault at {addr} is unreachable: {reason}")]
    Unreachable {
        addr: String,
        reason: String,
        hint: &'static str,
    },
    #[error("Vault at {addr} is sealed")]
    Sealed { addr: String },
    #[error("Vault refused the token from {source_name}: permission denied on {what}")]
    Denied {
        source_name: &'static str,
        what: String,
        mount: String,
        path: String,
    },
    #[error("no secrets engine is mounted at '{mount}/' in Vault")]
    MountMissing { mount: String },
    #[error("'{mount}/' in Vault is {found}, not a KV version 2 engine")]
    NotKv2 { mount: String, found: String },
    #[error("the record at {location} in Vault was not written by crmauth")]
    Foreign { location: String },
    #[error(
        "the shared record of profile '{profile}' changed in Vault while this process wrote it (another machine logged in or refreshed)"
    )]
    Conflict { profile: String },
    #[error(
        "another process ({owner}) is refreshing profile '{profile}' and still holds its lease in Vault"
    )]
    LeaseBusy { profile: String, owner: String },
    #[error("Vault answered {what} with HTTP {status}{detail}")]
    Unexpected {
        what: String,
        status: u16,
        detail: String,
    },
}

impl Classify for VaultError {
    fn exit(&self) -> Exit {
        match self {
            Self::BadAddress { .. }
            | Self::PlainHttp { .. }
            | Self::BadLocation { .. }
            | Self::ReservedName(_) => Exit::Usage,
            Self::Conflict { .. } => Exit::Failure,
            _ => Exit::StoreUnavailable,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NoAddress => {
                "set VAULT_ADDR (or BAO_ADDR) to your Vault's address, e.g. https://vault.example.com:8200"
                    .to_string()
            }
            Self::BadAddress { .. } => "set VAULT_ADDR to https://HOST:PORT".to_string(),
            Self::PlainHttp { .. } => {
                "use an https:// VAULT_ADDR: the Vault token would cross the network in clear"
                    .to_string()
            }
            Self::NoToken => {
                "set VAULT_TOKEN (or BAO_TOKEN), or run 'vault login' (or 'bao login') to write ~/.vault-token"
                    .to_string()
            }
            Self::BadLocation { what, .. } => format!("pass another --vault-{what}"),
            Self::ReservedName(_) => "use another profile name with --store vault".to_string(),
            Self::Unreachable { hint, .. } => (*hint).to_string(),
            Self::Sealed { .. } => {
                "unseal it ('vault operator unseal' or 'bao operator unseal'), or point VAULT_ADDR at an unsealed node"
                    .to_string()
            }
            Self::Denied {
                source_name,
                mount,
                path,
                ..
            } => format!(
                "the token in {source_name} is expired, revoked or lacks a policy: log in again \
                 ('vault login') or grant create, read, update, delete and list on \
                 {mount}/data/{path}/* and {mount}/metadata/{path}/*"
            ),
            Self::MountMissing { mount } => format!(
                "pass --vault-mount (or CRMAUTH_VAULT_MOUNT), or enable one: 'vault secrets enable -path={mount} kv-v2'"
            ),
            Self::NotKv2 { mount, .. } => format!(
                "pass the --vault-mount of a KV version 2 engine, or upgrade this one: 'vault kv enable-versioning {mount}'"
            ),
            Self::Foreign { .. } => {
                "pass another --vault-path (or CRMAUTH_VAULT_PATH), or remove that record".to_string()
            }
            Self::Conflict { .. } => "run the command again".to_string(),
            Self::LeaseBusy { .. } => {
                "try again; a lease whose holder died expires after twice the request timeout"
                    .to_string()
            }
            Self::Unexpected { .. } => {
                "check VAULT_ADDR (or BAO_ADDR) and the Vault server's log".to_string()
            }
        })
    }
}
