//! `crmauth whoami`: what is stored for the profile, never a secret.

use std::process::ExitCode;

use anyhow::Result;
use jiff::Timestamp;

use crate::cli::WhoamiArgs;
use crate::context::Context;
use crate::credential;
use crate::output::{self, WhoamiJson};
use crate::session::Session;

pub fn run(ctx: &Context, args: &WhoamiArgs) -> Result<ExitCode> {
    let profiles = ctx.profiles().load()?;
    let name = ctx.profile_name(&profiles);
    let store = ctx.store();
    let mut session = Session::load(store.as_ref(), &profiles, &name)?;
    let mut verified = None;
    if args.verify {
        session = session.ensure_fresh(ctx, store.as_ref(), args.min_valid)?;
        let http = ctx.http()?;
        verified = Some(session.profile.provider.protocol().verify(
            &http,
            session.profile.target(&session.name),
            &session.credential,
        )?);
    }
    let info = &session.credential.info;
    let now = Timestamp::now();
    let view = WhoamiJson {
        profile: session.name.clone(),
        provider: session.profile.provider.as_str().to_string(),
        url: session.profile.url.clone(),
        user: session.profile.user.clone(),
        kind: info.kind.as_str().to_string(),
        store: ctx.store_kind.as_str().to_string(),
        obtained_at: output::rfc3339(info.obtained_at),
        expires_at: info.expires_at.map(output::rfc3339),
        expires_in: info.expires_in(now),
        has_refresh_token: session.credential.refresh_token.is_some(),
        refresh_expires_at: info.refresh_expires_at.map(output::rfc3339),
        scopes: info.scopes.clone(),
        jwt_claims: credential::jwt_claims(&session.credential.access_token),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&view)?);
    } else {
        print!("{}", view.render_text(&ctx.store_location(), now));
        if let Some(verified) = verified {
            match verified.who {
                Some(who) => println!("verified: the server accepts the credential ({who})"),
                None => println!("verified: the server accepts the credential"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
