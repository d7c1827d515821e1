//! `crmauth profiles [--json]` and `crmauth profiles use NAME`.

use std::process::ExitCode;

use anyhow::Result;
use jiff::Timestamp;

use crate::cli::{ProfilesArgs, ProfilesCommand};
use crate::context::Context;
use crate::output::{self, ProfileJson};
use crate::profile;

pub fn run(ctx: &Context, args: ProfilesArgs) -> Result<ExitCode> {
    match args.command {
        Some(ProfilesCommand::Use { name }) => use_profile(ctx, &name),
        None => list(ctx, args.json),
    }
}

fn use_profile(ctx: &Context, name: &str) -> Result<ExitCode> {
    profile::validate_name(name)?;
    ctx.profiles().update(|file| file.set_default(name))?;
    ctx.note(format!("Default profile is now '{name}'"));
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, json: bool) -> Result<ExitCode> {
    let mut file = ctx.profiles().load()?;
    // A shared store's profiles (vault), as other machines logged them in.
    for (name, settings) in ctx.store().shared_profiles()? {
        file.profiles.insert(name, settings);
    }
    let rows: Vec<ProfileJson<'_>> = file
        .profiles
        .iter()
        .map(|(name, profile)| {
            ProfileJson::new(name, profile, file.default.as_deref() == Some(name))
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else if rows.is_empty() {
        ctx.note("No profiles yet: run 'crmauth login' or 'crmauth apikey set'");
    } else {
        print!("{}", output::profiles_table(&rows, Timestamp::now()));
    }
    Ok(ExitCode::SUCCESS)
}
