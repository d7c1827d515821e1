//! `crmauth authtoken generate|delete`

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::AuthtokenGenerateArgs;
use crate::context::Context;
use crate::error::NotImplemented;

pub fn generate(_ctx: &Context, _args: AuthtokenGenerateArgs) -> Result<ExitCode> {
    Err(NotImplemented("authtoken generate").into())
}

pub fn delete(_ctx: &Context) -> Result<ExitCode> {
    Err(NotImplemented("authtoken delete").into())
}
