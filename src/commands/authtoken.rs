//! `crmauth authtoken generate|delete`, and `crmauth login --provider vertical`.

use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{AuthtokenGenerateArgs, LoginArgs};
use crate::context::Context;
use crate::error::{NotLoggedIn, UsageError};
use crate::input::{self, SecretSource};
use crate::profile::Profile;
use crate::provider::{LoginKind, LoginRequest, ProviderKind, Revocation};
use crate::session;

pub fn generate(ctx: &Context, args: AuthtokenGenerateArgs) -> Result<ExitCode> {
    run_generate(ctx, args, None)
}

/// Whether `provider`'s logins are permanent auth tokens (`authtoken`'s own).
fn issues_auth_tokens(provider: ProviderKind) -> bool {
    provider.traits().login == LoginKind::AuthToken
}

/// `crmauth login --provider vertical`: the same as `authtoken generate`.
pub fn login(ctx: &Context, args: LoginArgs, provider: ProviderKind) -> Result<ExitCode> {
    let unused = [
        ("--otp", args.otp.is_some()),
        ("--client-id", args.client_id.is_some()),
        ("--client-secret-stdin", args.client_secret_stdin),
        ("--scope", !args.scope.is_empty()),
    ];
    if let Some((flag, _)) = unused.iter().find(|(_, given)| *given) {
        return Err(UsageError::new(format!(
            "{flag} does not apply to {}, which issues permanent auth tokens",
            provider.as_str()
        ))
        .into());
    }
    run_generate(
        ctx,
        AuthtokenGenerateArgs {
            url: args.url,
            username: args.username,
            password_stdin: args.password_stdin,
            display_name: args.display_name,
            allow_http: args.allow_http,
        },
        Some(provider),
    )
}

/// `chosen`: `login --provider P` may turn a profile of another provider
/// into one of P, as the user asked; `authtoken generate` names no provider,
/// so it refuses rather than replace it.
fn run_generate(
    ctx: &Context,
    args: AuthtokenGenerateArgs,
    chosen: Option<ProviderKind>,
) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let stored = profiles.get(&name).map(|profile| profile.provider);
    if let Some(other) = stored.filter(|kind| !issues_auth_tokens(*kind) && chosen.is_none()) {
        return Err(UsageError::new(format!(
            "profile '{name}' is a {} profile, which does not use auth tokens",
            other.as_str()
        ))
        .with_hint(format!(
            "use another profile (-p NAME), or run 'crmauth login -p {name} --provider vertical' \
             to replace it"
        ))
        .into());
    }
    let issuers: Vec<ProviderKind> = ProviderKind::ALL
        .into_iter()
        .filter(|kind| issues_auth_tokens(*kind))
        .collect();
    let provider = match (chosen, stored, issuers.as_slice()) {
        (Some(kind), _, _) => kind,
        (None, Some(kind), _) => kind,
        (None, None, [only]) => *only,
        (None, None, several) => input::provider(None, several)?,
    };
    // A new token for an existing profile of the provider reuses its URL and user.
    let existing = profiles
        .get(&name)
        .filter(|profile| profile.provider == provider);
    let allow_http = args.allow_http || existing.is_some_and(|p| p.allow_http);
    let url = input::plain_value(
        args.url.or_else(|| existing.map(|p| p.url.clone())),
        "--url",
        "URL",
        None,
    )?;
    let url = input::validate_url(&url, allow_http)?;
    let email = input::plain_value(
        args.username
            .or_else(|| existing.and_then(|p| p.user.clone())),
        "--username",
        "Email",
        None,
    )?;
    if email.trim().is_empty() {
        return Err(UsageError::new("the email must not be empty: pass --username EMAIL").into());
    }
    if args.display_name.as_deref().is_some_and(str::is_empty) {
        return Err(UsageError::new("--display-name must not be empty").into());
    }
    let password = input::read_secret(&SecretSource {
        from_stdin: args.password_stdin,
        stdin_flag: "--password-stdin",
        env_var: "CRMAUTH_PASSWORD",
        prompt: "Password",
    })?;
    let http = ctx.http()?;
    let credential = provider.protocol().login(
        &http,
        &LoginRequest {
            profile: name.clone(),
            url: url.clone(),
            username: Some(email.clone()),
            password: Some(password),
            display_name: args.display_name,
            ..LoginRequest::default()
        },
    )?;
    let profile = Profile {
        provider,
        url,
        user: Some(email),
        client_id: None,
        allow_http,
        store: None, // set when saved
        credential: credential.info.clone(),
    };
    let replaced = existing.is_some();
    let store = ctx.store();
    session::save(ctx, store.as_ref(), &name, &profile, &credential)?;
    ctx.notice_file_store();
    ctx.note(format!(
        "Generated an auth token for {} and stored it in profile '{name}' ({})",
        profile.user.as_deref().unwrap_or_default(),
        profile.url
    ));
    if replaced {
        // Vertical tokens never expire and count toward the user's limit;
        // the old one may still be in use elsewhere, so it is not deleted.
        ctx.warn(format!(
            "the auth token profile '{name}' held before is still valid on the server; \
             delete it in the CRM's settings if nothing else uses it"
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Deletes the token on the server, then forgets the profile. A token the
/// server already considers invalid is forgotten with a warning; any other
/// failure keeps it.
pub fn delete(ctx: &Context) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let store = ctx.store();
    // Checked and deleted under the profile's lock, on the token stored now:
    // a concurrent generate may have replaced an earlier read of it.
    let outcome = session::forget(ctx, store.as_ref(), &name, |current| {
        let current = current.ok_or_else(|| NotLoggedIn {
            profile: name.clone(),
        })?;
        let provider = current.profile.provider;
        if !issues_auth_tokens(provider) {
            return Err(UsageError::new(format!(
                "profile '{name}' is a {} profile, which does not use auth tokens",
                provider.as_str()
            ))
            .with_hint(format!("run 'crmauth logout --revoke -p {name}'"))
            .into());
        }
        provider
            .protocol()
            .revoke(
                &ctx.http()?,
                current.profile.target(&name),
                &current.credential,
            )
            .with_context(|| {
                format!("cannot delete the auth token of profile '{name}' (kept locally)")
            })
    })?;
    match outcome {
        Revocation::AlreadyInvalid(cause) => ctx.warn(format!(
            "the server already considered the auth token of profile '{name}' invalid ({cause}); removed it locally"
        )),
        Revocation::Revoked { .. } => {
            ctx.note(format!("Deleted the auth token of profile '{name}' on the server and locally"))
        }
        Revocation::NotRevoked(reason) => ctx.warn(format!("{reason}; removed it locally")),
    }
    Ok(ExitCode::SUCCESS)
}
