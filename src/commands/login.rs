//! `crmauth login`: password grant (virtuous, virto), client_credentials
//! (virto with `--client-id` and no user name), auth-token generation (vertical).

use std::process::ExitCode;

use anyhow::Result;
use jiff::Timestamp;

use crate::cli::LoginArgs;
use crate::commands::authtoken;
use crate::context::Context;
use crate::credential::CredentialKind;
use crate::error::UsageError;
use crate::input::{self, SecretSource};
use crate::output;
use crate::profile::{Profile, ProfilesFile};
use crate::provider::{LoginKind, LoginRequest, ProviderError, ProviderKind};
use crate::secret::Secret;
use crate::session;

pub fn run(ctx: &Context, args: LoginArgs) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let known = profiles.get(&name).map(|profile| profile.provider);
    let provider = input::provider(args.provider.or(known), &ProviderKind::ALL)?;
    match provider.traits().login {
        LoginKind::AuthToken => authtoken::login(ctx, args, provider),
        LoginKind::OAuth => oauth_login(ctx, args, provider, &profiles, &name),
    }
}

fn oauth_login(
    ctx: &Context,
    args: LoginArgs,
    provider: ProviderKind,
    profiles: &ProfilesFile,
    name: &str,
) -> Result<ExitCode> {
    // A re-login reuses what the profile knows, unless it was another provider's.
    let existing = profiles.get(name).filter(|p| p.provider == provider);
    let allow_http = args.allow_http || existing.is_some_and(|p| p.allow_http);
    let known_url = args.url.clone().or_else(|| existing.map(|p| p.url.clone()));
    let url = input::plain_value(known_url, "--url", "URL", provider.default_url())?;
    let url = input::validate_url(&url, allow_http)?;
    if args.password_stdin && args.client_secret_stdin {
        return Err(UsageError::new(
            "--password-stdin and --client-secret-stdin cannot both read standard input",
        )
        .with_hint("pass one of them in CRMAUTH_PASSWORD or CRMAUTH_CLIENT_SECRET instead")
        .into());
    }

    let traits = provider.traits();
    for (flag, given, takes) in [
        (
            "--client-id",
            args.client_id.is_some(),
            traits.oauth_clients,
        ),
        ("--otp", args.otp.is_some(), traits.two_factor),
    ] {
        if given && !takes {
            return Err(UsageError::new(format!("{} logins take no {flag}", traits.name)).into());
        }
    }
    let client_id = args
        .client_id
        .clone()
        .or_else(|| existing.and_then(|p| p.client_id.clone()))
        .filter(|_| traits.oauth_clients);
    let client_credentials = traits.oauth_clients
        && args.username.is_none()
        && (args.client_id.is_some()
            || existing
                .is_some_and(|p| p.credential.kind == CredentialKind::OauthClientCredentials));

    let mut request = LoginRequest {
        profile: name.to_string(),
        url,
        scopes: args.scope.clone(),
        client_id: client_id.clone(),
        ..LoginRequest::default()
    };
    if !client_credentials {
        let known_user = args
            .username
            .clone()
            .or_else(|| existing.and_then(|p| p.user.clone()));
        let flag = if traits.oauth_clients {
            "--username USER (or --client-id ID for a client login)"
        } else {
            "--username USER"
        };
        request.username = Some(input::plain_value(known_user, flag, "User name", None)?);
        request.password = Some(input::read_secret(&SecretSource {
            from_stdin: args.password_stdin,
            stdin_flag: "--password-stdin",
            env_var: "CRMAUTH_PASSWORD",
            prompt: "Password",
        })?);
    }
    if client_id.is_some() {
        request.client_secret = client_secret(ctx, &args, client_credentials, existing, name)?;
    }
    if traits.two_factor {
        request.otp = otp(&args)?;
    }

    let http = ctx.http()?;
    let protocol = provider.protocol();
    let credential = match protocol.login(&http, &request) {
        Err(ProviderError::OtpRequired) if request.otp.is_none() && input::interactive() => {
            request.otp = Some(input::read_secret(&SecretSource {
                from_stdin: false,
                stdin_flag: "--otp",
                env_var: "CRMAUTH_OTP",
                prompt: "Two-factor code",
            })?);
            protocol.login(&http, &request)
        }
        other => other,
    }
    .map_err(|err| {
        err.with_hint(format!(
            "check the credentials and run 'crmauth login -p {name}' again"
        ))
    })?;

    let profile = Profile {
        provider,
        url: request.url.clone(),
        user: request.username.clone(),
        client_id,
        allow_http,
        store: None, // set when saved
        credential: credential.info.clone(),
    };
    let store = ctx.store();
    session::save(ctx, store.as_ref(), name, &profile, &credential)?;
    let who = match &profile.user {
        Some(user) => format!("as {user}"),
        None => format!("as client {}", profile.client_id.as_deref().unwrap_or("?")),
    };
    ctx.note(format!(
        "Logged in to {} {who} (profile '{name}'); the token expires {}",
        provider.as_str(),
        output::absolute_and_relative(credential.info.expires_at, Timestamp::now())
    ));
    ctx.notice_file_store();
    Ok(ExitCode::SUCCESS)
}

/// The client secret: `--client-secret-stdin`, else `CRMAUTH_CLIENT_SECRET`,
/// else the one stored for the same client, else (client_credentials only,
/// which cannot work without it) a prompt or a usage error.
fn client_secret(
    ctx: &Context,
    args: &LoginArgs,
    required: bool,
    existing: Option<&Profile>,
    name: &str,
) -> Result<Option<Secret>> {
    const ENV: &str = "CRMAUTH_CLIENT_SECRET";
    if args.client_secret_stdin || std::env::var_os(ENV).is_some() {
        return Ok(Some(input::read_secret(&source(args.client_secret_stdin))?));
    }
    let same_client = existing.is_some_and(|p| {
        p.client_id.is_some() && (args.client_id.is_none() || args.client_id == p.client_id)
    });
    if same_client
        && let Some(stored) = ctx.store().load(name)?
        && stored.client_secret.is_some()
    {
        return Ok(stored.client_secret);
    }
    if required {
        return Ok(Some(input::read_secret(&source(false))?));
    }
    Ok(None)
}

fn source(from_stdin: bool) -> SecretSource<'static> {
    SecretSource {
        from_stdin,
        stdin_flag: "--client-secret-stdin",
        env_var: "CRMAUTH_CLIENT_SECRET",
        prompt: "Client secret",
    }
}

/// `--otp`, else `CRMAUTH_OTP`: when known, the first request carries it.
fn otp(args: &LoginArgs) -> Result<Option<Secret>, UsageError> {
    let value = match &args.otp {
        Some(code) => Some(code.clone()),
        None => std::env::var("CRMAUTH_OTP").ok(),
    };
    match value.map(|code| code.trim().to_string()) {
        Some(code) if code.is_empty() => Err(UsageError::new("the two-factor code is empty")
            .with_hint("pass it with --otp CODE or CRMAUTH_OTP")),
        other => Ok(other.map(Secret::new)),
    }
}
