//! `crmauth exec -- CMD`: CMD runs with the profile's token and header in its
//! environment, refreshed first, without crmauth's secret inputs, and with
//! its own stdin, stdout, exit status and death by a signal.
#![cfg(unix)]

mod support;

use std::process::Command;

use support::FakeVirtuous;
use support::crmauth::{Env, Store};

const KEY: &str = "vk_exec_0123456789abcdef";
const USER: &str = "ann@example.org";
const PASSWORD: &str = "exec-pass-123";

/// A file-store env holding a Virtuous API key (sent as Bearer).
fn with_api_key() -> Env {
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin(KEY)
        .ok();
    env
}

#[test]
fn cmd_gets_the_token_the_header_and_the_authorization_value() {
    let env = with_api_key();
    env.run(&[
        "exec",
        "--",
        "sh",
        "-c",
        r#"printf '%s|%s|%s' "$CRMAUTH_TOKEN" "$CRMAUTH_HEADER" "$CRMAUTH_AUTHORIZATION""#,
    ])
    .reveals()
    .ok()
    .stdout_is(&format!("{KEY}|Authorization: Bearer {KEY}|Bearer {KEY}"));
}

#[test]
fn a_virto_api_key_gets_its_own_header_and_no_authorization_variable() {
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&[
        "apikey",
        "set",
        "--provider",
        "virto",
        "--url",
        "http://127.0.0.1:9/",
        "--key-stdin",
    ])
    .stdin(KEY)
    .ok();
    env.run(&[
        "exec",
        "--",
        "sh",
        "-c",
        r#"printf '%s|%s' "$CRMAUTH_HEADER" "${CRMAUTH_AUTHORIZATION-unset}""#,
    ])
    .env("CRMAUTH_AUTHORIZATION", "Bearer stale-from-an-earlier-eval")
    .reveals()
    .ok()
    .stdout_is(&format!("api_key: {KEY}|unset"));
}

#[test]
fn the_exit_code_is_the_commands() {
    let env = with_api_key();
    env.run(&["exec", "--", "sh", "-c", "exit 7"]).code(7);
    env.run(&["exec", "--", "false"]).code(1);
    env.run(&["exec", "--", "true"]).ok().stdout_is("");
}

#[test]
fn stdin_and_arguments_reach_the_command_unchanged() {
    let env = with_api_key();
    env.run(&[
        "exec",
        "--",
        "sh",
        "-c",
        "cat; printf '|%s' \"$@\"",
        "sh",
        "-v",
        "--min-valid",
        "a b",
    ])
    .stdin("line one\nline two\n")
    .ok()
    .stdout_is("line one\nline two\n|-v|--min-valid|a b");
}

#[test]
fn a_missing_command_exits_127_like_a_shell() {
    let env = with_api_key();
    let outcome = env
        .run(&["exec", "--", "crmauth-no-such-command-xyz", "arg"])
        .code(127)
        .stderr_has("crmauth: crmauth-no-such-command-xyz: command not found");
    assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);
    env.run(&["exec", "--", "./no/such/path"]).code(127);
}

#[test]
fn a_file_that_cannot_be_executed_exits_126_like_a_shell() {
    let env = with_api_key();
    let script = env.path("not-executable.sh");
    std::fs::write(&script, "#!/bin/sh\necho ran\n").expect("write");
    env.run(&["exec", "--", script.to_str().expect("utf-8")])
        .code(126)
        .stdout_is("")
        .stderr_has("crmauth: ")
        .stderr_has("not-executable.sh: ");
}

#[test]
fn no_secret_input_variable_reaches_the_command() {
    let env = with_api_key();
    let outcome = env
        .run(&["exec", "--", "env"])
        .env("CRMAUTH_PASSWORD", "pw-should-not-pass")
        .env("CRMAUTH_CLIENT_SECRET", "cs-should-not-pass")
        .env("CRMAUTH_API_KEY", "ak-should-not-pass")
        .env("CRMAUTH_OTP", "123456")
        .env("VAULT_TOKEN", "users-own-vault-token")
        .env("BAO_TOKEN", "users-own-bao-token")
        .reveals()
        .ok();
    for gone in [
        "CRMAUTH_PASSWORD=",
        "CRMAUTH_CLIENT_SECRET=",
        "CRMAUTH_API_KEY=",
        "CRMAUTH_OTP=",
    ] {
        assert!(!outcome.stdout.contains(gone), "{gone} reached CMD");
    }
    let outcome = outcome
        .stdout_has("VAULT_TOKEN=users-own-vault-token")
        .stdout_has("BAO_TOKEN=users-own-bao-token");
    // The config dir and store settings are not secrets: a nested crmauth needs them.
    outcome.stdout_has("CRMAUTH_CONFIG_DIR=");
}

#[test]
fn a_token_about_to_expire_is_refreshed_before_the_command_runs() {
    let server = FakeVirtuous::start();
    server.add_user(USER, PASSWORD);
    server.set_expires_in(Some(30)); // within the default 60 s margin
    let env = Env::new(Store::File);
    env.run(&[
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
    for token in server.issued_access_tokens() {
        env.secret(&token);
    }
    server.set_expires_in(Some(3600));
    let outcome = env
        .run(&["exec", "--", "sh", "-c", r#"printf '%s' "$CRMAUTH_TOKEN""#])
        .reveals()
        .ok();
    assert_eq!(server.grant_count("refresh_token"), 1);
    let fresh = server.last_access_token().expect("refreshed");
    assert_eq!(outcome.stdout, fresh);
    // --min-valid longer than the new token's life: refreshed again.
    env.run(&["exec", "--min-valid", "2h", "--", "true"]).ok();
    assert_eq!(server.grant_count("refresh_token"), 2);
}

#[test]
fn not_logged_in_is_exit_3_and_the_command_does_not_run() {
    let env = Env::new(Store::File);
    let marker = env.path("ran");
    env.run(&["exec", "--", "touch", marker.to_str().expect("utf-8")])
        .code(3)
        .stderr_has("crmauth login -p default");
    assert!(!marker.exists());
}

/// A shell running `crmauth exec -- CMD` sees CMD's death by a signal as its
/// own: `$?` is 128 + the signal number, as for CMD run directly.
#[test]
fn a_death_by_signal_is_reported_as_the_shell_reports_it() {
    let env = with_api_key();
    let binary = assert_cmd::cargo::cargo_bin("crmauth");
    let output = Command::new("sh")
        .args([
            "-c",
            r#""$0" exec -- sh -c 'kill -TERM $$'; echo "status=$?""#,
        ])
        .arg(&binary)
        .env("CRMAUTH_CONFIG_DIR", env.config_dir())
        .env("CRMAUTH_STORE", "file")
        .env_remove("CRMAUTH_PROFILE")
        .output()
        .expect("run sh");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "status=143\n");
}
