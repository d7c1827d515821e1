//! crmauth: parse, dispatch, map errors to exit codes — nothing else.

mod child_env;
mod cli;
mod commands;
mod completion;
mod context;
mod credential;
mod error;
mod files;
mod generation;
mod hardening;
mod http;
mod input;
mod output;
mod profile;
mod provider;
mod refresh_warning;
mod secret;
mod session;
mod store;
mod terminal;
mod urls;
mod usage_error;

use std::process::ExitCode;

use crate::error::{Classify, Exit, NotLoggedIn, UsageError};

fn main() -> ExitCode {
    hardening::make_undumpable();
    let code = run();
    // Wipes the copies kept for redaction; on `exec` (curl) the memory goes anyway.
    secret::forget_all();
    code
}

fn run() -> ExitCode {
    completion::respond_if_asked();
    if let Some(code) = generation::maintainer_command() {
        return code;
    }
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(err) => {
            let help = matches!(
                err.kind(),
                clap::error::ErrorKind::DisplayHelp
                    | clap::error::ErrorKind::DisplayVersion
                    | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if help {
                let _ = err.print();
            } else {
                let argv: Vec<_> = std::env::args_os().collect();
                eprint!("{}", usage_error::render(&err, &argv));
            }
            return if err.use_stderr() {
                ExitCode::from(Exit::Usage.code())
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let (exit, hint) = classify(&err);
            // Whatever a server echoed into the error, no secret is printed.
            eprintln!("error: {}", secret::redact(&format!("{err:#}")));
            if let Some(hint) = hint {
                eprintln!("help: {}", secret::redact(&hint));
            }
            ExitCode::from(exit.code())
        }
    }
}

/// The exit code and next step of the first typed error in the chain.
fn classify(err: &anyhow::Error) -> (Exit, Option<String>) {
    fn of<E: Classify + std::error::Error + 'static>(
        cause: &(dyn std::error::Error + 'static),
    ) -> Option<(Exit, Option<String>)> {
        cause.downcast_ref::<E>().map(|e| (e.exit(), e.hint()))
    }
    err.chain()
        .find_map(|cause| {
            of::<UsageError>(cause)
                .or_else(|| of::<NotLoggedIn>(cause))
                .or_else(|| of::<profile::ProfileError>(cause))
                .or_else(|| of::<store::StoreError>(cause))
                .or_else(|| of::<provider::ProviderError>(cause))
                .or_else(|| of::<http::HttpError>(cause))
        })
        .unwrap_or((Exit::Failure, None))
}
