//! `crmauth exec -- CMD [ARGS]...`: run one command with the profile's token
//! and header in its environment, as `op run` and `aws-vault exec` do.
//!
//! On Unix crmauth *becomes* CMD (`execve`), so CMD's stdin, stdout, stderr,
//! exit status, death by a signal and the signals sent to it are all its
//! own. Elsewhere CMD runs as a child whose exit code crmauth passes on.
//! The token never passes through a shell, a file or a command line.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use anyhow::{Result, anyhow};

use crate::child_env;
use crate::cli::ExecArgs;
use crate::context::Context;
use crate::provider::AUTHORIZATION;

/// What a shell exits with when it cannot find a command, or cannot run it.
const NOT_FOUND: u8 = 127;
const NOT_EXECUTABLE: u8 = 126;

pub fn run(ctx: &Context, args: ExecArgs) -> Result<ExitCode> {
    let Some((program, program_args)) = args.command.split_first() else {
        return Err(anyhow!("no command given"));
    };
    // Before the refresh: a typo costs no grant.
    let Some(path) = find(program) else {
        eprintln!("crmauth: {}: command not found", program.to_string_lossy());
        return Ok(ExitCode::from(NOT_FOUND));
    };

    let (session, header) = super::credential_for_use(ctx, args.min_valid)?;
    let credential = &session.credential;
    let mut command = Command::new(&path);
    command
        .args(program_args)
        .env("CRMAUTH_TOKEN", credential.access_token.expose())
        .env("CRMAUTH_HEADER", header.line().expose());
    if header.name == AUTHORIZATION {
        command.env("CRMAUTH_AUTHORIZATION", header.value.expose());
    } else {
        // One left over from an earlier `eval` would be another credential's.
        command.env_remove("CRMAUTH_AUTHORIZATION");
    }
    child_env::scrub(&mut command);
    hand_over(command, program)
}

/// CMD as a shell would find it: a name on `PATH`, or a path as given (an
/// existing file that cannot be run is left for exec to report, exit 126).
fn find(program: &OsString) -> Option<PathBuf> {
    let path = std::path::Path::new(program);
    if path.components().count() > 1 && path.exists() {
        return Some(path.to_path_buf());
    }
    which::which(program).ok()
}

/// Replaces this process with CMD.
#[cfg(unix)]
fn hand_over(mut command: Command, program: &OsString) -> Result<ExitCode> {
    use std::os::unix::process::CommandExt;

    // CMD sees its name as typed, as from a shell.
    let err = command.arg0(program).exec();
    let name = program.to_string_lossy();
    let code = match err.kind() {
        std::io::ErrorKind::NotFound => NOT_FOUND,
        _ => NOT_EXECUTABLE,
    };
    eprintln!("crmauth: {name}: {err}");
    Ok(ExitCode::from(code))
}

/// Runs CMD as a child and exits with its exit code (which may not fit the
/// u8 of an `ExitCode`, so the process exits directly).
#[cfg(not(unix))]
fn hand_over(mut command: Command, program: &OsString) -> Result<ExitCode> {
    let status = match command.status() {
        Ok(status) => status,
        Err(err) => {
            eprintln!("crmauth: {}: {err}", program.to_string_lossy());
            return Ok(ExitCode::from(NOT_EXECUTABLE));
        }
    };
    std::process::exit(status.code().unwrap_or(1));
}
