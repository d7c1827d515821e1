//! One file per subcommand: read the flags, call the core, print.

mod apikey;
mod authtoken;
mod completions;
pub(crate) mod curl;
mod doctor;
mod exec;
mod login;
mod logout;
mod profiles;
mod refresh;
mod token;
mod whoami;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;

use crate::cli::{ApikeyCommand, AuthtokenCommand, Cli, Command};
use crate::context::Context;
use crate::provider::Header;
use crate::refresh_warning;
use crate::session::Session;

pub fn run(cli: Cli) -> Result<ExitCode> {
    // Built per command: completions need no profile, store or config dir.
    let ctx = || Context::from_args(&cli.global);
    match cli.command {
        Command::Login(args) => login::run(&ctx()?, args),
        Command::Refresh => refresh::run(&ctx()?),
        Command::Apikey(ApikeyCommand::Set(args)) => apikey::set(&ctx()?, args),
        Command::Authtoken(AuthtokenCommand::Generate(args)) => authtoken::generate(&ctx()?, args),
        Command::Authtoken(AuthtokenCommand::Delete) => authtoken::delete(&ctx()?),
        Command::Token(args) => token::run(&ctx()?, &args),
        Command::Whoami(args) => whoami::run(&ctx()?, &args),
        Command::Curl(args) => curl::run(&ctx()?, args),
        Command::Exec(args) => exec::run(&ctx()?, args),
        Command::Doctor(args) => doctor::run(&ctx()?, &args),
        Command::Logout(args) => logout::run(&ctx()?, &args),
        Command::Profiles(args) => profiles::run(&ctx()?, args),
        Command::Completions(args) => completions::run(&args),
    }
}

/// What `token`, `curl` and `exec` hand out: the profile's credential,
/// refreshed first when it expires within `min_valid`, and the header it is
/// sent in. Warns (once a day) when its refresh token is about to die.
fn credential_for_use(ctx: &Context, min_valid: Duration) -> Result<(Session, Header)> {
    let (profiles, name) = ctx.load_profile()?;
    let store = ctx.store();
    let session = Session::load(store.as_ref(), &profiles, &name)?.ensure_fresh(
        ctx,
        store.as_ref(),
        min_valid,
    )?;
    refresh_warning::warn_if_due(ctx, &session.name, &session.credential.info);
    let credential = &session.credential;
    let header = session
        .profile
        .provider
        .header(credential.info.kind, &credential.access_token);
    Ok((session, header))
}
