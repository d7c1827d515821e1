//! `crmauth token`: the current credential for scripts.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::TokenArgs;
use crate::context::Context;
use crate::output::{self, TokenView};
use crate::refresh_warning;
use crate::session::Session;

pub fn run(ctx: &Context, args: &TokenArgs) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let store = ctx.store();
    let session = Session::load(store.as_ref(), &profiles, &name)?.ensure_fresh(
        ctx,
        store.as_ref(),
        args.min_valid,
    )?;
    refresh_warning::warn_if_due(ctx, &session.name, &session.credential.info);
    let credential = &session.credential;
    let header = session
        .profile
        .provider
        .header(credential.info.kind, &credential.access_token);
    let text = output::render_token(
        &TokenView {
            profile: &session.name,
            provider: session.profile.provider.as_str(),
            kind: credential.info.kind,
            token: &credential.access_token,
            header: &header,
            expires_at: credential.info.expires_at,
        },
        args.format,
    );
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.expose().as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}
