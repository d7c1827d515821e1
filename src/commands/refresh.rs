//! `crmauth refresh`

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::output;
use crate::session::Session;

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let store = ctx.store();
    let session = Session::load(store.as_ref(), &profiles, &name)?;
    let session = session.refresh(ctx, store.as_ref())?;
    ctx.note(format!(
        "Refreshed profile '{}': expires {}",
        session.name,
        output::absolute_and_relative(session.credential.info.expires_at, jiff::Timestamp::now())
    ));
    // A refresh writes new secrets; the silent one inside `token` says nothing.
    ctx.notice_file_store();
    Ok(ExitCode::SUCCESS)
}
