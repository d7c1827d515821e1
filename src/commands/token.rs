//! `crmauth token`: the current credential for scripts.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::TokenArgs;
use crate::context::Context;
use crate::output::{self, TokenView};

pub fn run(ctx: &Context, args: &TokenArgs) -> Result<ExitCode> {
    let (session, header) = super::credential_for_use(ctx, args.min_valid)?;
    let credential = &session.credential;
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
