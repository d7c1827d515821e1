//! Checks of what is on this machine: the config dir, profiles.json, the
//! secret store, and each profile's credential.

use std::time::Duration;

use jiff::Timestamp;

use super::check::Check;
use super::secret_service::{self, Collection, Finding};
use crate::context::Context;
use crate::credential::Credential;
use crate::error::Classify;
use crate::files;
use crate::output;
use crate::profile::ProfilesFile;
use crate::refresh_warning;
use crate::store::StoreKind;
use crate::store::file::{self, FileStore};

/// As long as any keyring call may take (DESIGN: 5 s).
const KEYRING_DEADLINE: Duration = Duration::from_secs(5);

pub fn config_dir(ctx: &Context) -> Check {
    const NAME: &str = "config dir";
    let dir = &ctx.config_dir;
    let shown = dir.display();
    let meta = match std::fs::metadata(dir) {
        Ok(meta) => meta,
        Err(_) => {
            return Check::fail(
                NAME,
                format!("{shown} does not exist"),
                "log in ('crmauth login') to create it, or point --config-dir or \
                 CRMAUTH_CONFIG_DIR at the directory that holds your profiles",
            );
        }
    };
    if !meta.is_dir() {
        return Check::fail(
            NAME,
            format!("{shown} is not a directory"),
            format!("remove or rename {shown}, or pass another --config-dir"),
        );
    }
    // The very check every command makes before it trusts the dir.
    match files::check_trusted(dir) {
        Err(untrusted) => Check::fail(NAME, untrusted.to_string(), hint_of(&untrusted)),
        Ok(()) => Check::pass(NAME, format!("{shown} ({})", describe_mode(&meta))),
    }
}

fn hint_of(err: &impl Classify) -> String {
    err.hint().unwrap_or_default()
}

#[cfg(unix)]
fn describe_mode(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!("yours, mode {:o}", meta.mode() & 0o777)
}

#[cfg(not(unix))]
fn describe_mode(_: &std::fs::Metadata) -> String {
    "present".to_string()
}

/// profiles.json parses; the profiles, when it does.
pub fn profiles_file(ctx: &Context) -> (Check, Option<ProfilesFile>) {
    const NAME: &str = "profiles.json";
    let repo = ctx.profiles();
    let path = repo.path();
    match repo.load() {
        Ok(file) if file.profiles.is_empty() => (
            Check::fail(
                NAME,
                format!("no profiles in {}", path.display()),
                "log in: 'crmauth login' (or 'crmauth apikey set')",
            ),
            Some(file),
        ),
        Ok(file) => {
            let names: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            let default = file
                .default
                .as_deref()
                .map(|name| format!(", default '{name}'"))
                .unwrap_or_default();
            (
                Check::pass(
                    NAME,
                    format!("{}: {}{default}", path.display(), names.join(", ")),
                ),
                Some(file),
            )
        }
        Err(err) => (
            Check::fail(
                NAME,
                err.to_string(),
                err.hint()
                    .unwrap_or_else(|| format!("fix or remove {}", path.display())),
            ),
            None,
        ),
    }
}

/// The store this command would use. Returns whether the OS keyring is
/// usable, so that profiles kept there are read only when it is (each
/// read would otherwise wait out its own deadline).
pub fn secret_store(ctx: &Context) -> (Check, bool) {
    match ctx.store_kind {
        // Not probed when not chosen: a profile kept there is still read.
        StoreKind::File => (file_store(ctx), true),
        StoreKind::Keyring => keyring(),
        StoreKind::Vault => (vault(ctx), true),
    }
}

/// Vault: address, token, mount and path, by listing the shared profiles
/// (the same requests `crmauth profiles` makes, under the request timeout).
fn vault(ctx: &Context) -> Check {
    const NAME: &str = "secret store";
    let location = ctx.store_location();
    match ctx.store().shared_profiles() {
        Ok(profiles) => Check::pass(
            NAME,
            format!("{location}: {} shared profile(s)", profiles.len()),
        ),
        Err(err) => Check::fail(
            NAME,
            format!("{location}: {err}"),
            err.hint()
                .unwrap_or_else(|| "check VAULT_ADDR, VAULT_TOKEN and --vault-mount".to_string()),
        ),
    }
}

fn file_store(ctx: &Context) -> Check {
    const NAME: &str = "secret store";
    let path = FileStore::new(&ctx.config_dir).path();
    let shown = path.display();
    let meta = match std::fs::metadata(&path) {
        Ok(meta) => meta,
        Err(_) => return Check::pass(NAME, format!("file {shown} (no secrets stored yet)")),
    };
    // What the file store itself checks before it reads the file.
    if let Err(untrusted) = files::check_trusted(&path) {
        return Check::fail(NAME, format!("file {untrusted}"), hint_of(&untrusted));
    }
    if let Err(err) = file::check_private(&path) {
        return Check::fail(
            NAME,
            format!("file {err}; crmauth refuses it"),
            hint_of(&err),
        );
    }
    Check::pass(NAME, format!("file {shown} ({})", describe_mode(&meta)))
}

fn keyring() -> (Check, bool) {
    const NAME: &str = "secret store";
    if !cfg!(target_os = "linux") {
        return (
            Check::pass(NAME, "the OS keyring (not probed on this system)"),
            true,
        );
    }
    const FILE_STORE: &str =
        "or keep secrets in a 0600 file instead: --store file (or CRMAUTH_STORE=file)";
    let check = match secret_service::probe(KEYRING_DEADLINE) {
        Finding::NoBus { address, reason } => Check::fail(
            NAME,
            format!("no D-Bus session bus, so no Secret Service ({address}; {reason})"),
            format!(
                "on a machine without a desktop session, start a bus and a keyring: \
                 'dbus-run-session -- bash', then in it \
                 'echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets'; \
                 {FILE_STORE}"
            ),
        ),
        Finding::NoService => Check::fail(
            NAME,
            "the session bus has no Secret Service (nobody owns org.freedesktop.secrets)",
            format!(
                "install and start one: 'sudo apt-get install gnome-keyring' (or enable \
                 KeePassXC's Secret Service integration); {FILE_STORE}"
            ),
        ),
        Finding::NoAnswer { after } => Check::fail(
            NAME,
            format!(
                "the Secret Service did not answer within {} s",
                after.as_secs()
            ),
            format!("restart your keyring daemon, or log out and in again; {FILE_STORE}"),
        ),
        Finding::Service { daemon, default } => match default {
            Collection::Unlocked { label } => Check::pass(
                NAME,
                format!("Secret Service by {daemon}, default collection '{label}' unlocked"),
            ),
            Collection::Locked { label } => {
                let unlock = if daemon.to_lowercase().contains("keepassxc") {
                    "unlock the database in KeePassXC".to_string()
                } else {
                    "unlock it: log in to the desktop session, or run \
                     'echo -n PASSWORD | gnome-keyring-daemon --unlock' (your login password)"
                        .to_string()
                };
                Check::fail(
                    NAME,
                    format!(
                        "Secret Service by {daemon}: the default collection '{label}' is locked"
                    ),
                    format!("{unlock}; {FILE_STORE}"),
                )
            }
            Collection::None => Check::fail(
                NAME,
                format!("Secret Service by {daemon} has no default collection"),
                format!(
                    "create one (Seahorse: 'Passwords and Keys', or \
                     'echo -n PASSWORD | gnome-keyring-daemon --unlock'); {FILE_STORE}"
                ),
            ),
            Collection::Error(reason) => Check::fail(
                NAME,
                format!("Secret Service by {daemon} answered with an error: {reason}"),
                format!("restart your keyring daemon; {FILE_STORE}"),
            ),
        },
    };
    let usable = check.ok;
    (check, usable)
}

/// One check per profile: its credential is there and usable.
pub fn profiles(ctx: &Context, file: &ProfilesFile, keyring_usable: bool) -> Vec<Check> {
    let now = Timestamp::now();
    file.profiles
        .iter()
        .map(|(name, profile)| {
            let check_name = format!("profile {name}");
            let kind = profile.store.unwrap_or(ctx.store_kind);
            let login = format!("run 'crmauth login -p {name}'");
            if kind == StoreKind::Keyring && !keyring_usable {
                return Check::fail(
                    check_name,
                    "not checked: its secrets are in the OS keyring, which is unavailable",
                    "see the secret store check above",
                );
            }
            match ctx.store_of(kind).load(name) {
                Ok(Some(credential)) => credential_check(check_name, name, &credential, now),
                Ok(None) => Check::fail(
                    check_name,
                    format!("no credential in the {} store", kind.as_str()),
                    login,
                ),
                Err(err) => Check::fail(check_name, err.to_string(), err.hint().unwrap_or(login)),
            }
        })
        .collect()
}

fn credential_check(
    check_name: String,
    name: &str,
    credential: &Credential,
    now: Timestamp,
) -> Check {
    let info = &credential.info;
    let kind = info.kind.as_str();
    if !info.kind.is_refreshable() {
        return Check::pass(check_name, format!("{kind}, does not expire"));
    }
    let access = match info.expires_at {
        None => "access token does not expire".to_string(),
        Some(at) => format!(
            "access token {}",
            output::absolute_and_relative(Some(at), now)
        ),
    };
    let login = format!("run 'crmauth login -p {name}'");
    if !info.has_refresh_token {
        if info.is_expired(now) && info.kind == crate::credential::CredentialKind::OauthPassword {
            return Check::fail(
                check_name,
                format!("{kind}, {access}, and there is no refresh token"),
                login,
            );
        }
        return Check::pass(check_name, format!("{kind}, {access}"));
    }
    let refresh = info
        .refresh_expires_at
        .map(|at| {
            format!(
                "refresh token {}",
                output::absolute_and_relative(Some(at), now)
            )
        })
        .unwrap_or_else(|| "refresh token without a stated expiry".to_string());
    let detail = format!("{kind}, {access}, {refresh}");
    match info.refresh_expires_at {
        Some(at) if at <= now => Check::fail(check_name, detail, login),
        Some(at) if at.duration_since(now) <= refresh_warning::NOTICE => Check::fail(
            check_name,
            detail,
            format!("{login} before the refresh token expires"),
        ),
        _ => Check::pass(check_name, detail),
    }
}
