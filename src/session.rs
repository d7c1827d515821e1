//! A profile's usable credential: load it, and refresh it (single-flight
//! across processes) when it expires within the asked-for margin.

use std::time::Duration;

use anyhow::{Context as _, Result};
use jiff::Timestamp;

use crate::context::Context;
use crate::credential::{Credential, CredentialKind};
use crate::error::{NotLoggedIn, UsageError};
use crate::files::FileLock;
use crate::profile::{Profile, ProfilesFile};
use crate::provider::ProviderError;
use crate::store::{HeldLease, SecretStore, StoreError, StoreKind};

/// A profile together with its stored credential.
pub struct Session {
    pub name: String,
    pub profile: Profile,
    pub credential: Credential,
}

impl Session {
    /// The stored profile and credential: "not logged in" (exit 3) when there
    /// is none, a usage error when the profile's secrets are in the other store.
    pub fn load(store: &dyn SecretStore, profiles: &ProfilesFile, name: &str) -> Result<Self> {
        // A store shared by machines (vault) keeps the settings with the
        // secret, and they win over this machine's copy.
        if let Some((settings, credential)) = store.load_shared_credential(name)? {
            return Ok(Self {
                name: name.to_string(),
                profile: Profile {
                    store: Some(store.kind()),
                    credential: credential.info.clone(),
                    ..settings
                },
                credential,
            });
        }
        let not_logged_in = || NotLoggedIn {
            profile: name.to_string(),
        };
        let profile = profiles.get(name).cloned().ok_or_else(not_logged_in)?;
        if let Some(kept_in) = profile.store.filter(|kind| *kind != store.kind()) {
            return Err(other_store(name, kept_in, store.kind()).into());
        }
        let credential = match store.load(name)? {
            Some(credential) => credential,
            // The keyring hides what it cannot show (a locked KeePassXC
            // database) or lost the item: "not logged in" would send the
            // user to log in again for nothing.
            None if profile.store == Some(StoreKind::Keyring) => {
                return Err(StoreError::Missing {
                    profile: name.to_string(),
                }
                .into());
            }
            None => return Err(not_logged_in().into()),
        };
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
        let read_before = self.credential.info.obtained_at;
        let _lock = lock_profile(ctx, &self.name)?;
        let session = self.reload(ctx, store)?;
        if session.needs_no_refresh(read_before, min_valid) {
            return Ok(session);
        }
        // The same question again once the machines sharing the store took
        // their turns (vault): another one may have refreshed meanwhile.
        let read_before = session.credential.info.obtained_at;
        let (session, _lease) = session.lease(ctx, store)?;
        if session.needs_no_refresh(read_before, min_valid) {
            return Ok(session);
        }
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

    /// After waiting for the lock (or the lease): fresh enough, or refreshed
    /// by another process while this one waited (`obtained_at` moved past
    /// what it read first). The server gives nothing fresher then, so its
    /// token is used even when a --min-valid longer than the token's
    /// lifetime makes it "stale": 20 waiters must not each refresh in turn.
    fn needs_no_refresh(&self, read_before: Timestamp, min_valid: Duration) -> bool {
        let info = &self.credential.info;
        let now = Timestamp::now();
        info.is_fresh(now, min_valid) || (info.obtained_at > read_before && !info.is_expired(now))
    }

    /// Refreshes unconditionally (`crmauth refresh`), under the profile's lock.
    pub fn refresh(self, ctx: &Context, store: &dyn SecretStore) -> Result<Self> {
        let _lock = lock_profile(ctx, &self.name)?;
        let (session, _lease) = self.reload(ctx, store)?.lease(ctx, store)?;
        session.refresh_locked(ctx, store)
    }

    /// Takes the store's refresh lease, where machines share the store
    /// (vault), and re-reads what another machine may have refreshed while
    /// this one waited. Local stores have no lease: the lock is enough.
    fn lease<'s>(
        self,
        ctx: &Context,
        store: &'s dyn SecretStore,
    ) -> Result<(Self, Option<HeldLease<'s>>)> {
        match store.refresh_lease(&self.name)? {
            Some(lease) => Ok((self.reload(ctx, store)?, Some(lease))),
            None => Ok((self, None)),
        }
    }

    /// Refreshes and stores the result, for a caller that already holds the
    /// profile's lock (a revocation inside [`forget`]). Machines sharing the
    /// store take their turns as for any refresh, so that a rotating refresh
    /// token is never spent twice.
    pub fn refresh_holding_lock(&self, ctx: &Context, store: &dyn SecretStore) -> Result<Self> {
        match store.refresh_lease(&self.name)? {
            Some(lease) => {
                let profiles = ctx.profiles().load()?;
                let refreshed =
                    Self::load(store, &profiles, &self.name)?.refresh_locked(ctx, store);
                drop(lease);
                refreshed
            }
            None => self.refresh_locked(ctx, store),
        }
    }

    /// The profile and its credential as they are now. Called under the
    /// profile's lock: another process may have refreshed while this one
    /// waited for it (refreshing again would spend a rotating refresh token
    /// twice), or logged in anew.
    fn reload(self, ctx: &Context, store: &dyn SecretStore) -> Result<Self> {
        let profiles = ctx.profiles().load()?;
        Self::load(store, &profiles, &self.name)
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
            .refresh(&http, self.profile.target(&self.name), &self.credential)
            .map_err(|err| err.with_hint(provider.traits().login_hint(&self.name)))?;
        save_locked(
            ctx,
            store,
            &self.name,
            &self.profile,
            &refreshed,
            Origin::Refresh,
        )?;
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

/// The profile's secrets are in the other store than this command was told.
fn other_store(name: &str, kept_in: StoreKind, asked: StoreKind) -> UsageError {
    let describe = |kind: StoreKind| match kind {
        StoreKind::Keyring => "the OS keyring",
        StoreKind::File => "the file store",
        StoreKind::Vault => "Vault",
    };
    UsageError::new(format!(
        "profile '{name}' keeps its secrets in {}, not {}",
        describe(kept_in),
        describe(asked)
    ))
    .with_hint(format!(
        "pass --store {} (or set CRMAUTH_STORE={0}), or log in again with --store {} to move it",
        kept_in.as_str(),
        asked.as_str()
    ))
}

/// The profile's lock file, held while its credential is refreshed or
/// replaced, so that one process's secret never ends up under another's
/// profile settings and a refresh never overwrites a newer login.
fn lock_profile(ctx: &Context, name: &str) -> Result<FileLock> {
    let path = ctx.lock_path(name);
    FileLock::acquire(&path).with_context(|| format!("cannot lock {}", path.display()))
}

/// Stores a new credential for the profile (a login), under its lock. The
/// first login sets the default profile when there is none.
pub fn save(
    ctx: &Context,
    store: &dyn SecretStore,
    name: &str,
    profile: &Profile,
    credential: &Credential,
) -> Result<()> {
    let _lock = lock_profile(ctx, name)?;
    save_locked(ctx, store, name, profile, credential, Origin::Login)
}

/// Whether a save comes from a login, which may set the default profile, or
/// from a refresh, which never does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Login,
    Refresh,
}

/// Stores the credential, then records its non-secret part in profiles.json.
fn save_locked(
    ctx: &Context,
    store: &dyn SecretStore,
    name: &str,
    profile: &Profile,
    credential: &Credential,
    origin: Origin,
) -> Result<()> {
    // A new login into the other store moves the profile: the old secret
    // goes, rather than staying behind where nothing points to it.
    let moved_from = match origin {
        Origin::Login => ctx
            .profiles()
            .load()?
            .get(name)
            .and_then(|old| old.store)
            // A shared record stays: other machines still use it.
            .filter(|kind| *kind != store.kind() && !kind.is_shared()),
        Origin::Refresh => None,
    };
    let profile = Profile {
        store: Some(store.kind()),
        credential: credential.info.clone(),
        ..profile.clone()
    };
    store.save(name, &profile, credential)?;
    if let Some(old_store) = moved_from {
        ctx.store_of(old_store).delete(name)?;
    }
    ctx.profiles().update(|file| {
        match origin {
            Origin::Login => file.insert_login(name, profile),
            // A machine that uses a shared profile without having logged
            // in keeps no local copy of it.
            Origin::Refresh if file.get(name).is_none() => {}
            Origin::Refresh => file.insert(name, profile),
        }
        Ok(())
    })?;
    Ok(())
}

/// Deletes the profile's secret and settings (logout) under its lock, after
/// running `first` on what is stored now: a revocation must see the refresh
/// token a concurrent refresh just rotated, not one read before. An error
/// from `first` keeps everything. A refresh in flight finishes before this
/// starts; one that starts later finds the profile gone when it reloads, so
/// neither writes the credential back.
pub fn forget<T>(
    ctx: &Context,
    store: &dyn SecretStore,
    name: &str,
    first: impl FnOnce(Option<&Session>) -> Result<T>,
) -> Result<T> {
    let _lock = lock_profile(ctx, name)?;
    let profiles = ctx.profiles().load()?;
    let current = match Session::load(store, &profiles, name) {
        Ok(session) => Some(session),
        Err(err) if err.downcast_ref::<NotLoggedIn>().is_some() => None,
        Err(err) => return Err(err),
    };
    let outcome = first(current.as_ref())?;
    store.delete(name)?;
    ctx.profiles().update(|file| {
        file.remove(name);
        Ok(())
    })?;
    Ok(outcome)
}

/// `logout --force` when the secret cannot be read: removes the profile's
/// settings under its lock and tries to delete the keyring item, which may
/// fail or find nothing (a locked store hides it). Returns why the item may
/// remain, if it may.
pub fn forget_settings(
    ctx: &Context,
    store: &dyn SecretStore,
    name: &str,
) -> Result<Option<String>> {
    let _lock = lock_profile(ctx, name)?;
    let remains = match store.delete(name) {
        Ok(()) => None,
        Err(err) => Some(err.to_string()),
    };
    ctx.profiles().update(|file| {
        file.remove(name);
        Ok(())
    })?;
    Ok(remains)
}
