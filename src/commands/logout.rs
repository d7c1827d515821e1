//! `crmauth logout [--all] [--revoke]`

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::NotLoggedIn;
use crate::output;
use crate::provider::{ProviderError, Revocation};
use crate::session::{self, Session};
use crate::store::{SecretStore, StoreError};

pub fn run(ctx: &Context, args: &LogoutArgs) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let store = ctx.store();
    let names: Vec<String> = if args.all {
        profiles.profiles.keys().cloned().collect()
    } else {
        let name = ctx.profile_name(&profiles);
        if profiles.get(&name).is_none() && store.load_raw(&name)?.is_none() {
            return Err(NotLoggedIn { profile: name }.into());
        }
        vec![name]
    };
    for name in &names {
        let forgotten = session::forget(ctx, store.as_ref(), name, |current| match current {
            // Nothing stored to revoke: the local clean-up still happens.
            Some(session) if args.revoke => revoke(ctx, store.as_ref(), session),
            _ => Ok(()),
        });
        match forgotten {
            Ok(()) if store.kind().is_shared() => ctx.note(format!(
                "Logged out of profile '{name}' on every machine that shares it: its record is gone from Vault"
            )),
            Ok(()) => ctx.note(format!("Logged out of profile '{name}'")),
            Err(err) if args.force && unreadable_store(&err) => {
                let remains = session::forget_settings(ctx, store.as_ref(), name)?;
                let why = match err.downcast_ref::<StoreError>() {
                    Some(StoreError::Missing { .. }) => "the keyring did not show it".to_string(),
                    _ => err.to_string(),
                };
                ctx.warn(format!(
                    "forgot profile '{name}' without reading its secret ({why}); its keyring item may remain{}",
                    remains.map(|also| format!(" ({also})")).unwrap_or_default()
                ));
            }
            Err(err) => return Err(err),
        }
    }
    if names.is_empty() {
        ctx.note("No profiles to log out of");
    }
    Ok(ExitCode::SUCCESS)
}

/// Revokes what is stored, under the profile's lock. A provider that
/// revokes by the caller's access token gets a live one: an expired token is
/// refreshed (and the new one stored) first.
fn revoke(ctx: &Context, store: &dyn SecretStore, session: &Session) -> Result<()> {
    let name = &session.name;
    let provider = session.profile.provider.protocol();
    let needs_refresh = provider.revoke_needs_live_token(session.credential.info.kind)
        && !session
            .credential
            .info
            .is_fresh(Timestamp::now(), LIVE_MARGIN);
    let refreshed;
    let session = if needs_refresh {
        match session.refresh_holding_lock(ctx, store) {
            Ok(fresh) => {
                refreshed = fresh;
                &refreshed
            }
            // The whole login is dead at the server already: nothing to revoke.
            Err(err) if is_rejection(&err) => {
                ctx.warn(format!(
                    "the server no longer accepts the login of profile '{name}' ({err:#}); \
                     nothing left to revoke, logging out locally"
                ));
                return Ok(());
            }
            Err(err) => return Err(err),
        }
    } else {
        session
    };
    let http = ctx.http()?;
    let outcome = provider.revoke(&http, session.profile.target(name), &session.credential)?;
    match outcome {
        Revocation::Revoked {
            access_token_survives,
        } => {
            ctx.note(format!(
                "Revoked the credential of profile '{name}' on the server"
            ));
            if access_token_survives {
                let until = match session.credential.info.expires_at {
                    Some(at) => format!(
                        "until it expires, {}",
                        output::absolute_and_relative(Some(at), Timestamp::now())
                    ),
                    None => "until it expires (the server gave no expiry)".to_string(),
                };
                ctx.warn(format!(
                    "the access token already issued stays valid {until}: the server cannot \
                     recall it"
                ));
            }
        }
        Revocation::AlreadyInvalid(reason) => ctx.warn(format!(
            "the server already considered the credential of '{name}' invalid ({reason})"
        )),
        Revocation::NotRevoked(reason) => {
            ctx.warn(format!("{reason}; logging out locally only"));
        }
    }
    Ok(())
}

/// An access token this close to expiry may be dead when the server reads it.
const LIVE_MARGIN: Duration = Duration::from_secs(10);

fn is_rejection(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<ProviderError>(),
            Some(ProviderError::Rejected { .. })
        )
    })
}

/// The secret store cannot show the profile's secret (unavailable, locked,
/// refused, or hiding it): what `--force` goes past.
fn unreadable_store(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<StoreError>(),
        Some(StoreError::Unavailable(_) | StoreError::Denied(_) | StoreError::Missing { .. })
    )
}
