//! `crmauth login`

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::LoginArgs;
use crate::commands::authtoken;
use crate::context::Context;
use crate::error::NotImplemented;
use crate::input;
use crate::provider::ProviderKind;

pub fn run(ctx: &Context, args: LoginArgs) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let known = profiles.get(&name).map(|profile| profile.provider);
    match input::provider(args.provider.or(known))? {
        ProviderKind::Vertical => authtoken::login(ctx, args),
        ProviderKind::Virtuous | ProviderKind::Virto => Err(NotImplemented("login").into()),
    }
}
