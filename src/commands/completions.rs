//! `crmauth completions SHELL`

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "crmauth", &mut io::stdout());
    Ok(ExitCode::SUCCESS)
}
