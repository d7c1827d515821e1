//! Shell completion. The committed scripts (completions/) are small shims
//! that ask `crmauth` itself what to offer at each TAB (clap_complete's
//! dynamic completion): subcommands and flags from the clap definition, and
//! the profile names of the config dir for `-p` and `profiles use`.

use std::ffi::OsStr;
use std::io;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::cli::Cli;
use crate::context::default_config_dir;
use crate::profile::ProfileRepo;

/// Set by the scripts when they call crmauth for candidates.
const VAR: &str = "CRMAUTH_COMPLETE";
const BIN: &str = "crmauth";

/// Answers a completion request and exits, when this process is one.
pub fn respond_if_asked() {
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(VAR)
        .bin(BIN)
        .completer(BIN)
        .complete();
}

/// The script that registers completion for `shell`.
pub fn registration(shell: Shell) -> Vec<u8> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Elvish => &Elvish,
        _ => &Bash,
    };
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _: io::Result<()> = completer.write_registration(VAR, BIN, BIN, BIN, &mut out);
    out
}

/// Profiles of the config dir (`CRMAUTH_CONFIG_DIR`, else the default; a
/// `--config-dir` on the line being completed is not known here) whose
/// names start with what was typed, each with its provider and URL.
pub fn profile_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let dir = std::env::var_os("CRMAUTH_CONFIG_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(default_config_dir);
    let Some(Ok(file)) = dir.map(|dir| ProfileRepo::new(&dir).load()) else {
        return Vec::new();
    };
    file.profiles
        .iter()
        .filter(|(name, _)| name.starts_with(typed.as_ref()))
        .map(|(name, profile)| {
            CompletionCandidate::new(name.as_str()).help(Some(
                format!("{} {}", profile.provider.as_str(), profile.url).into(),
            ))
        })
        .collect()
}
