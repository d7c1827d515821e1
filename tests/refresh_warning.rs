//! A week before the refresh token dies, `token`, `curl` and `exec` say so on
//! stderr, once a day per profile, never under `-q`; stdout stays the same.
#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;

use support::FakeVirtuous;
use support::crmauth::{Env, Outcome, Store};

const USER: &str = "ann@example.org";
const PASSWORD: &str = "warn-pass-123";
const DAY: i64 = 86_400;

/// Logged in to a Virtuous fake whose refresh tokens live `refresh_secs`.
fn logged_in(refresh_secs: i64) -> (FakeVirtuous, Env) {
    let server = FakeVirtuous::start();
    server.add_user(USER, PASSWORD);
    server.set_refresh_expires_in(Some(refresh_secs));
    let env = Env::new(Store::File);
    env.run(&[
        "-p",
        "cron",
        "login",
        "--provider",
        "virtuous",
        "--url",
        &server.url(),
        "--username",
        USER,
        "--password-stdin",
    ])
    .stdin(PASSWORD)
    .secret(PASSWORD)
    .ok();
    for token in server
        .issued_access_tokens()
        .into_iter()
        .chain(server.issued_refresh_tokens())
    {
        env.secret(&token);
    }
    (server, env)
}

fn token(env: &Env, extra: &[&str]) -> Outcome {
    let mut args = extra.to_vec();
    args.extend(["-p", "cron", "token"]);
    env.run(&args).reveals().ok()
}

#[test]
fn token_warns_once_a_day_when_the_refresh_token_expires_within_a_week() {
    let (server, env) = logged_in(3 * DAY);
    let access = server.last_access_token().expect("issued");
    token(&env, &[])
        .stdout_is(&format!("{access}\n"))
        .stderr_has("warning: the refresh token of profile 'cron' expires")
        .stderr_has(" days); run") // relative, after the absolute time
        .stderr_has("crmauth login -p cron");
    // The second run the same day says nothing.
    let again = token(&env, &[]).stdout_is(&format!("{access}\n"));
    assert_eq!(again.stderr, "");
    let stamp = env.path("warned/cron");
    let mode = std::fs::metadata(&stamp)
        .expect("stamp")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // A day later it warns again.
    let yesterday = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(25);
    std::fs::write(&stamp, yesterday.to_string()).expect("age the stamp");
    token(&env, &[]).stderr_has("crmauth login -p cron");
}

#[test]
fn quiet_never_warns_and_leaves_the_day_s_warning_for_later() {
    let (_server, env) = logged_in(3 * DAY);
    let quiet = token(&env, &["-q"]);
    assert_eq!(quiet.stderr, "");
    token(&env, &[]).stderr_has("crmauth login -p cron");
}

#[test]
fn no_warning_when_the_refresh_token_lives_longer_than_a_week() {
    let (_server, env) = logged_in(8 * DAY);
    assert_eq!(token(&env, &[]).stderr, "");
    assert!(!env.path("warned/cron").exists());
}

#[test]
fn exec_and_curl_warn_too() {
    let (_server, env) = logged_in(2 * DAY);
    env.run(&["-p", "cron", "exec", "--", "sh", "-c", "printf out"])
        .ok()
        .stdout_is("out")
        .stderr_has("crmauth login -p cron");
    std::fs::remove_file(env.path("warned/cron")).expect("stamp");
    env.run(&["-p", "cron", "curl", "/x"])
        .env("CRMAUTH_CURL", "true")
        .ok()
        .stdout_is("")
        .stderr_has("crmauth login -p cron");
}

#[test]
fn whoami_shows_the_refresh_expiry_absolute_and_relative() {
    let (_server, env) = logged_in(3 * DAY);
    let json = env.run(&["-p", "cron", "whoami", "--json"]).ok().json();
    support::crmauth::assert_time_from_now(
        &json["refresh_expires_at"],
        jiff::SignedDuration::from_secs(3 * DAY),
    );
    let shown = json["refresh_expires_at"]
        .as_str()
        .expect("time")
        .to_string();
    env.run(&["-p", "cron", "whoami"])
        .ok()
        .stdout_has(&shown)
        .stdout_has(" days)");
}
