//! A profile's usable credential: load it, and refresh it (single-flight
//! across processes) when it expires within the asked-for margin.

use std::time::Duration;

use anyhow::{Context as _, Result};
use jiff::Timestamp;

use crate::context::Context;
use crate::credential::{Credential, CredentialKind};
use crate::error::NotLoggedIn;
use crate::files::FileLock;
use crate::profile::{Profile, ProfilesFile};
use crate::provider::ProviderError;
use crate::store::SecretStore;

/// A profile together with its stored credential.
pub struct Session {
    pub name: String,
    pub profile: Profile,
    pub credential: Credential,
}

impl Session {
    /// The stored profile and credential, or "not logged in" (exit 3).
    pub fn load(store: &dyn SecretStore, profiles: &ProfilesFile, name: &str) -> Result<Self> {
        let not_logged_in = || NotLoggedIn {
            profile: name.to_string(),
        };
        let profile = profiles.get(name).cloned().ok_or_else(not_logged_in)?;
        let credential = store.load(name)?.ok_or_else(not_logged_in)?;
        Ok(Self {
            name: name.to_string(),
            profile,
            credential,
        })
    }

    /// Returns a credential valid for at least `min_valid`, refreshing first if
    /// needed. If the refresh fails while the current token still works, the
    /// current token is used with a warning.
    pub fn ensure_fresh(
        self,
        ctx: &Context,
        store: &dyn SecretStore,
        min_valid: Duration,
    ) -> Result<Self> {
        if self.credential.info.is_fresh(Timestamp::now(), min_valid)
            || !self.credential.info.kind.is_refreshable()
        {
            return Ok(self);
        }
        let lock_path = ctx.lock_path(&self.name);
        let _lock = FileLock::acquire(&lock_path)
            .with_context(|| format!("cannot lock {}", lock_path.display()))?;
        // Another process may have refreshed while this one waited for the lock;
        // refreshing again would spend a rotating refresh token twice.
        let current = store.load(&self.name)?.ok_or_else(|| NotLoggedIn {
            profile: self.name.clone(),
        })?;
        if current.info.is_fresh(Timestamp::now(), min_valid) {
            return Ok(Self {
                credential: current,
                ..self
            });
        }
        let session = Self {
            credential: current,
            ..self
        };
        match session.refresh_locked(ctx, store) {
            Ok(refreshed) => Ok(refreshed),
            Err(err) if !session.credential.info.is_expired(Timestamp::now()) => {
                ctx.warn(format!(
                    "could not refresh the token of profile '{}' ({err:#}); using the current one",
                    session.name
                ));
                Ok(session)
            }
            Err(err) => Err(err),
        }
    }

    /// Refreshes unconditionally (`crmauth refresh`), under the profile's lock.
    pub fn refresh(self, ctx: &Context, store: &dyn SecretStore) -> Result<Self> {
        let lock_path = ctx.lock_path(&self.name);
        let _lock = FileLock::acquire(&lock_path)
            .with_context(|| format!("cannot lock {}", lock_path.display()))?;
        let current = store.load(&self.name)?.ok_or_else(|| NotLoggedIn {
            profile: self.name.clone(),
        })?;
        Self {
            credential: current,
            ..self
        }
        .refresh_locked(ctx, store)
    }

    fn refresh_locked(&self, ctx: &Context, store: &dyn SecretStore) -> Result<Self> {
        if !self.credential.info.kind.is_refreshable() {
            return Err(ProviderError::Usage(format!(
                "nothing to refresh: profile '{}' holds {} that does not expire",
                self.name,
                match self.credential.info.kind {
                    CredentialKind::ApiKey => "an API key",
                    _ => "an auth token",
                }
            ))
            .into());
        }
        let http = ctx.http()?;
        let provider = self.profile.provider.protocol();
        let refreshed = provider
            .refresh(&http, &self.profile, &self.credential)
            .map_err(|err| with_login_hint(err, &self.name))?;
        save(ctx, store, &self.name, &self.profile, &refreshed)?;
        Ok(Self {
            name: self.name.clone(),
            profile: Profile {
                credential: refreshed.info.clone(),
                ..self.profile.clone()
            },
            credential: refreshed,
        })
    }
}

/// Stores the credential, then records its non-secret part in profiles.json.
pub fn save(
    ctx: &Context,
    store: &dyn SecretStore,
    name: &str,
    profile: &Profile,
    credential: &Credential,
) -> Result<()> {
    store.save(name, credential)?;
    let profile = Profile {
        credential: credential.info.clone(),
        ..profile.clone()
    };
    ctx.profiles().update(|file| {
        file.insert(name, profile);
        Ok(())
    })?;
    Ok(())
}

/// A rejected refresh means the user must log in again.
fn with_login_hint(err: ProviderError, profile: &str) -> ProviderError {
    match err {
        ProviderError::Rejected {
            what,
            code,
            description,
            ..
        } => ProviderError::Rejected {
            what,
            code,
            description,
            hint: format!("run 'crmauth login -p {profile}'"),
        },
        other => other,
    }
}
