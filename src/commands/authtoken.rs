//! `crmauth authtoken generate|delete`

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{AuthtokenGenerateArgs, LoginArgs};
use crate::context::Context;
use crate::error::NotImplemented;

pub fn generate(_ctx: &Context, _args: AuthtokenGenerateArgs) -> Result<ExitCode> {
    Err(NotImplemented("authtoken generate").into())
}

pub fn delete(_ctx: &Context) -> Result<ExitCode> {
    Err(NotImplemented("authtoken delete").into())
}

/// `crmauth login --provider vertical`: the same as `authtoken generate`.
pub fn login(_ctx: &Context, _args: LoginArgs) -> Result<ExitCode> {
    Err(NotImplemented("login --provider vertical").into())
}
