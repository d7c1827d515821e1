//! `crmauth login`

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::LoginArgs;
use crate::context::Context;
use crate::error::NotImplemented;

pub fn run(_ctx: &Context, _args: LoginArgs) -> Result<ExitCode> {
    Err(NotImplemented("login").into())
}
