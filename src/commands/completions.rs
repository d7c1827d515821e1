//! `crmauth completions SHELL`

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::CompletionsArgs;
use crate::generation;

/// The same script `generate-docs` commits to completions/.
pub fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    io::stdout()
        .write_all(&generation::completion(args.shell))
        .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}
