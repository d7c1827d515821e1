//! `crmauth logout [--all] [--revoke]`

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::NotLoggedIn;
use crate::provider::Revocation;
use crate::session::{self, Session};
use crate::store::StoreError;

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
            Some(session) if args.revoke => revoke(ctx, session),
            _ => Ok(()),
        });
        match forgotten {
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

fn revoke(ctx: &Context, session: &Session) -> Result<()> {
    let name = &session.name;
    let http = ctx.http()?;
    let outcome =
        session
            .profile
            .provider
            .protocol()
            .revoke(&http, &session.profile, &session.credential)?;
    match outcome {
        Revocation::Revoked => {
            ctx.note(format!("Revoked the credential of '{name}' on the server"))
        }
        Revocation::AlreadyInvalid(reason) => ctx.warn(format!(
            "the server already considered the credential of '{name}' invalid ({reason})"
        )),
        Revocation::Unsupported => ctx.warn(format!(
            "{} documents no way to revoke a credential; logging out locally only",
            session.profile.provider.as_str()
        )),
    }
    Ok(())
}

/// The secret store cannot show the profile's secret (unavailable, locked,
/// refused, or hiding it): what `--force` goes past.
fn unreadable_store(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<StoreError>(),
        Some(StoreError::Unavailable(_) | StoreError::Denied(_) | StoreError::Missing { .. })
    )
}
