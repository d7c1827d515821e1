//! `crmauth curl`

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::CurlArgs;
use crate::context::Context;
use crate::error::NotImplemented;

pub fn run(_ctx: &Context, _args: CurlArgs) -> Result<ExitCode> {
    Err(NotImplemented("curl").into())
}
