//! `crmauth apikey set`: store a static API key (sent in the header its
//! provider reads).

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ApikeySetArgs;
use crate::context::Context;
use crate::credential::{Credential, CredentialInfo, CredentialKind};
use crate::error::UsageError;
use crate::input::{self, SecretSource};
use crate::profile::Profile;
use crate::provider::{LoginKind, ProviderKind};
use crate::session;

pub fn set(ctx: &Context, args: ApikeySetArgs) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let existing = profiles.get(&name);
    let takes_keys: Vec<ProviderKind> = ProviderKind::ALL
        .into_iter()
        .filter(|kind| kind.traits().api_keys)
        .collect();
    let provider = input::provider(args.provider.or(existing.map(|p| p.provider)), &takes_keys)?;
    let traits = provider.traits();
    if !traits.api_keys {
        let instead = match traits.login {
            LoginKind::AuthToken => traits.login_command(&name),
            LoginKind::OAuth => format!("crmauth login -p {name} --provider {}", traits.name),
        };
        return Err(
            UsageError::new(format!("{} profiles do not use API keys", traits.name))
                .with_hint(format!("run '{instead}'"))
                .into(),
        );
    }
    let allow_http = args.allow_http || existing.is_some_and(|p| p.allow_http);
    let known_url = args.url.or_else(|| {
        existing
            .filter(|p| p.provider == provider)
            .map(|p| p.url.clone())
    });
    let url = input::plain_value(known_url, "--url", "URL", provider.default_url())?;
    let url = input::validate_url(&url, allow_http)?;
    let key = input::read_secret(&SecretSource {
        from_stdin: args.key_stdin,
        stdin_flag: "--key-stdin",
        env_var: "CRMAUTH_API_KEY",
        prompt: "API key",
    })?;
    let credential = Credential::new(CredentialInfo::new(CredentialKind::ApiKey), key);
    let profile = Profile {
        provider,
        url,
        user: None,
        client_id: None,
        allow_http,
        store: None, // set when saved
        credential: credential.info.clone(),
    };
    let store = ctx.store();
    session::save(ctx, store.as_ref(), &name, &profile, &credential)?;
    ctx.notice_file_store();
    ctx.note(format!(
        "Stored the API key for profile '{name}' ({}, {})",
        provider.as_str(),
        profile.url
    ));
    Ok(ExitCode::SUCCESS)
}
