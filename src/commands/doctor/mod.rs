//! `crmauth doctor`: what a login needs, checked one line at a time, with
//! the fix under each failure (as `flutter doctor` and `brew doctor` do).
//! Never a secret: only names, paths, modes, times and hosts are shown.

mod check;
mod local;
mod online;
mod secret_service;
mod tools;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::DoctorArgs;
use crate::context::Context;

pub fn run(ctx: &Context, args: &DoctorArgs) -> Result<ExitCode> {
    let mut checks = vec![local::config_dir(ctx)];
    let (profiles_check, profiles) = local::profiles_file(ctx);
    checks.push(profiles_check);
    let (store_check, keyring_usable) = local::secret_store(ctx);
    checks.push(store_check);
    if let Some(file) = &profiles {
        checks.extend(local::profiles(ctx, file, keyring_usable));
    }
    checks.push(tools::curl());
    checks.push(tools::proxies(profiles.as_ref()));
    if args.online
        && let Some(file) = &profiles
    {
        checks.extend(online::servers(ctx, file));
    }

    let text = if args.json {
        check::render_json(&checks)
    } else {
        check::render_text(&checks, colour())
    };
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")?;
    Ok(if check::all_pass(&checks) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Colour only for a person at a terminal who has not asked for none.
fn colour() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}
