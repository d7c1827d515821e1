//! The refresh lease: `<path>/<profile>.lease`, taken with a check-and-set
//! before a token-endpoint call, so that of all the machines sharing a
//! profile one refreshes and the others wait, re-read and use its token.
//!
//! A lease names its owner and an expiry (twice the request timeout: the
//! holder's token request has given up by then). A holder that died leaves
//! its lease behind; the next process takes it over once it has expired.
//! Expiry is the holder's clock: machines must agree on the time within a
//! few seconds, as for the tokens themselves.

use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::secret::Secret;
use crate::store::Lease;
use crate::store::vault::VaultError;
use crate::store::vault::kv::{Kv, Written};

/// How often a waiting process looks at the lease again.
const POLL: Duration = Duration::from_millis(100);

#[derive(Serialize, Deserialize)]
struct LeaseRecord {
    crmauth_lease: u32,
    owner: String,
    expires_at: Timestamp,
}

/// A lease this process holds; released (its expiry set to now, with a
/// check-and-set on the version written) when dropped. A failed release
/// only leaves the lease to expire.
pub struct VaultLease<'a> {
    kv: &'a Kv,
    key: String,
    version: u64,
    owner: String,
}

impl Lease for VaultLease<'_> {}

impl Drop for VaultLease<'_> {
    fn drop(&mut self) {
        if let Ok(released) = encode(&self.owner, Timestamp::now()) {
            let _ = self.kv.write(&self.key, self.version, &released);
        }
    }
}

/// Waits until the profile's lease is free (released, expired or never
/// taken) and takes it. Gives up after twice the lease's `duration`: by
/// then a live holder has finished and a dead one's lease has expired.
pub fn acquire<'a>(
    kv: &'a Kv,
    profile: &str,
    duration: Duration,
) -> Result<VaultLease<'a>, VaultError> {
    let key = format!("{profile}.lease");
    let owner = owner();
    let give_up = Instant::now() + duration * 2;
    loop {
        let current = kv.read(&key)?;
        let holder = match &current.data {
            None => None,
            Some(text) => Some(serde_json::from_str::<LeaseRecord>(text.expose()).map_err(
                |_| VaultError::Foreign {
                    location: kv.location(&key),
                },
            )?),
        };
        let now = Timestamp::now();
        match holder {
            Some(holder) if holder.expires_at > now => {
                if Instant::now() >= give_up {
                    return Err(VaultError::LeaseBusy {
                        profile: profile.to_string(),
                        owner: holder.owner.chars().filter(|c| !c.is_control()).collect(),
                    });
                }
                thread::sleep(POLL + jitter());
            }
            _ => {
                let expires_at = now.checked_add(duration).unwrap_or(Timestamp::MAX);
                let record = encode(&owner, expires_at)?;
                match kv.write(&key, current.version, &record)? {
                    Written::Version(version) => {
                        return Ok(VaultLease {
                            kv,
                            key,
                            version,
                            owner,
                        });
                    }
                    // Another machine took it first: look again.
                    Written::Conflict => {}
                }
            }
        }
    }
}

fn encode(owner: &str, expires_at: Timestamp) -> Result<Secret, VaultError> {
    serde_json::to_string(&LeaseRecord {
        crmauth_lease: 1,
        owner: owner.to_string(),
        expires_at,
    })
    .map(Secret::new)
    .map_err(|_| VaultError::Unexpected {
        what: "encoding a lease".to_string(),
        status: 0,
        detail: String::new(),
    })
}

/// Who holds a lease, for people reading it: host and process.
fn owner() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|host| host.trim().to_string())
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "unknown host".to_string());
    format!("crmauth on {host}, pid {}", std::process::id())
}

/// Spreads the pollers of several machines apart.
fn jitter() -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.subsec_nanos())
        .unwrap_or(0);
    Duration::from_millis(u64::from(nanos % 50))
}
