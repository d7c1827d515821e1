//! Single-flight refresh across processes: 20 `crmauth token` processes
//! started at once on a stale token, against a server that rotates single-use
//! refresh tokens and takes ~1 s to answer, make exactly one refresh grant and
//! all print the same valid token.

mod support;

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::crmauth::{Env, Store, stores};
use support::virto::FakeVirto;
use support::virtuous::FakeVirtuous;

const PROCESSES: usize = 20;
const USER: &str = "race@example.org";
const PASSWORD: &str = "race-password";

/// Starts `PROCESSES` `crmauth token ...` at once and waits for all of them.
fn token_stampede(env: &Env, args: &[&str]) -> Vec<Output> {
    start_tokens(env, args)
        .into_iter()
        .map(|child| child.wait_with_output().expect("wait for crmauth"))
        .collect()
}

/// Starts `PROCESSES` `crmauth token ...` at once.
fn start_tokens(env: &Env, args: &[&str]) -> Vec<Child> {
    let binary = assert_cmd::cargo::cargo_bin("crmauth");
    (0..PROCESSES)
        .map(|_| {
            let mut command = Command::new(&binary);
            for (key, _) in std::env::vars_os() {
                if key.to_string_lossy().starts_with("CRMAUTH_") && key != "CRMAUTH_TEST_KEYRING" {
                    command.env_remove(&key);
                }
            }
            command
                .env("CRMAUTH_CONFIG_DIR", env.config_dir())
                .env("CRMAUTH_STORE", env.store.name())
                .env("XDG_CONFIG_HOME", env.config_dir().join("xdg"))
                .env("NO_COLOR", "1")
                .arg("token")
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn crmauth")
        })
        .collect()
}

/// `crmauth login` with the password from the environment.
fn login(env: &Env, provider: &str, url: &str, user: &str, password: &str) {
    env.run(&[
        "login",
        "--provider",
        provider,
        "--url",
        url,
        "--username",
        user,
    ])
    .env("CRMAUTH_PASSWORD", password)
    .secret(password)
    .ok();
}

/// Waits until a refresh grant has reached `server` (requests are recorded
/// on arrival, before the delay), so that what the test runs next overlaps
/// the refresh.
fn refresh_in_flight(server: &FakeVirto) {
    let started = Instant::now();
    let arrived = || {
        server
            .requests_to("/connect/token")
            .iter()
            .any(|request| request.form_value("grant_type") == Some("refresh_token"))
    };
    while !arrived() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no refresh arrived"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Every process succeeded, printed the same token on stdout and nothing on stderr.
fn the_one_token(outputs: &[Output]) -> String {
    let mut tokens: Vec<String> = Vec::new();
    for output in outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "crmauth token failed: {stderr}");
        assert_eq!(stderr, "", "crmauth token wrote to stderr");
        tokens.push(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let first = tokens[0].clone();
    let differing = tokens.iter().filter(|t| **t != first).count();
    assert_eq!(differing, 0, "{differing} processes printed another token");
    first.trim_end_matches('\n').to_string()
}

#[test]
fn twenty_processes_make_one_refresh_grant_virtuous() {
    for store in stores() {
        let server = FakeVirtuous::start();
        server.add_user(USER, PASSWORD);
        server.set_expires_in(Some(30)); // within the default --min-valid of 60s
        let env = Env::new(store);
        login(&env, "virtuous", &server.url(), USER, PASSWORD);
        let stale = server.last_access_token().expect("issued");
        server.set_expires_in(Some(3600));
        server.set_delay_for("/Token", Duration::from_secs(1));

        let outputs = token_stampede(&env, &[]);
        let token = the_one_token(&outputs);

        assert_eq!(server.grant_count("refresh_token"), 1, "{}", store.name());
        assert_ne!(token, stale);
        assert_eq!(Some(&token), server.last_access_token().as_ref());
        assert!(server.valid_access_token(&token));
        // The rotated refresh token was stored, not lost: refreshing works.
        let refresh = server.last_refresh_token().expect("rotated");
        assert!(server.valid_refresh_token(&refresh));
        server.set_delay_for("/Token", Duration::ZERO);
        for secret in server
            .issued_access_tokens()
            .iter()
            .chain(&server.issued_refresh_tokens())
        {
            env.secret(secret);
        }
        env.run(&["refresh"]).ok();
        assert_eq!(server.grant_count("refresh_token"), 2);
    }
}

#[test]
fn twenty_processes_make_one_refresh_grant_virto_with_min_valid() {
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    server.set_expires_in(Some(600));
    let env = Env::new(Store::File);
    login(&env, "virto", &server.url(), USER, PASSWORD);
    // Asking for 20 minutes makes the stored token (10 minutes) stale and
    // the refreshed one (30 minutes) fresh enough.
    server.set_expires_in(Some(1800));
    server.set_delay_for("/connect/token", Duration::from_secs(1));
    let outputs = token_stampede(&env, &["--min-valid", "20m"]);
    let token = the_one_token(&outputs);
    assert_eq!(server.grant_count("refresh_token"), 1);
    assert!(server.valid_access_token(&token));
}

/// DESIGN "Single-flight": with a --min-valid longer than any token the
/// server gives, a process that waited for the lock uses the token obtained
/// while it waited instead of refreshing again in turn.
#[test]
fn a_min_valid_beyond_the_token_lifetime_still_makes_one_grant() {
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    let env = Env::new(Store::File);
    login(&env, "virto", &server.url(), USER, PASSWORD);
    // Every process must be waiting while the one refresh is in flight: one
    // that starts after it ended did not wait, and refreshes by the rule.
    // Wine takes about 2 s to start twenty processes.
    let overlap = if cfg!(windows) { 8 } else { 1 };
    server.set_delay_for("/connect/token", Duration::from_secs(overlap));
    let outputs = token_stampede(&env, &["--min-valid", "2h"]);
    let token = the_one_token(&outputs);
    assert_eq!(server.grant_count("refresh_token"), 1);
    assert!(server.valid_access_token(&token));
}

/// A login that finishes while a slow refresh of the same profile is in
/// flight is what remains afterwards: the refresh must not write the old
/// user's token and settings over it.
#[test]
fn a_login_during_a_refresh_is_not_overwritten_by_it() {
    let slow = FakeVirto::start();
    slow.add_user(USER, PASSWORD);
    let other = FakeVirto::start();
    other.add_user("bob", "bob-password");
    let env = Env::new(Store::File);
    login(&env, "virto", &slow.url(), USER, PASSWORD);
    for secret in slow
        .issued_access_tokens()
        .iter()
        .chain(&slow.issued_refresh_tokens())
    {
        env.secret(secret);
    }
    slow.set_delay_for("/connect/token", Duration::from_secs(1));
    std::thread::scope(|scope| {
        scope.spawn(|| env.run(&["refresh"]).ok());
        refresh_in_flight(&slow);
        login(&env, "virto", &other.url(), "bob", "bob-password");
    });
    assert_eq!(slow.grant_count("refresh_token"), 1, "the refresh ran");
    let bobs = other.last_access_token().expect("bob's token");
    env.secret(&bobs);
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    assert_eq!(whoami["user"], "bob");
    assert_eq!(whoami["url"], other.url());
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{bobs}\n"));
}

/// `logout --revoke` while a slow refresh rotates the refresh token revokes
/// the token the refresh stored, not the one it read before: otherwise the
/// new refresh token stays valid on the server, forgotten by crmauth.
#[test]
fn logout_revoke_during_a_refresh_revokes_the_rotated_token() {
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    let env = Env::new(Store::File);
    login(&env, "virto", &server.url(), USER, PASSWORD);
    let first = server.last_refresh_token().expect("issued");
    env.secret(&first);
    server.set_delay_for("/connect/token", Duration::from_secs(1));
    std::thread::scope(|scope| {
        scope.spawn(|| env.run(&["refresh"]).ok());
        refresh_in_flight(&server);
        env.run(&["logout", "--revoke"]).ok();
    });
    let rotated = server.last_refresh_token().expect("rotated");
    env.secret(&rotated);
    assert_ne!(rotated, first, "the refresh rotated the token");
    let revoked: Vec<String> = server.revocations().into_iter().map(|r| r.token).collect();
    assert_eq!(
        revoked,
        std::slice::from_ref(&rotated),
        "revoked the stale token"
    );
    assert!(
        !server.valid_refresh_token(&rotated),
        "the live token survived"
    );
    env.run(&["token"]).code(3);
}

/// The read path takes no lock (issue #18): with the profile's lock held by
/// another process (this test, as a refresh would hold it), 20 `token` calls
/// on a valid token all answer, none waits for it.
#[test]
fn reading_a_valid_token_takes_no_lock() {
    for store in stores() {
        let server = FakeVirtuous::start();
        server.add_user(USER, PASSWORD);
        server.set_expires_in(Some(3600));
        let env = Env::new(store);
        login(&env, "virtuous", &server.url(), USER, PASSWORD);
        let lock = std::fs::OpenOptions::new()
            .write(true)
            .open(env.config_dir().join("locks").join("default.lock"))
            .expect("the profile's lock file, made by login");
        lock.lock().expect("hold the profile's lock");

        let mut children = start_tokens(&env, &[]);
        let started = Instant::now();
        while children
            .iter_mut()
            .any(|child| child.try_wait().expect("poll crmauth").is_none())
        {
            if started.elapsed() > Duration::from_secs(10) {
                let mut waiting = 0;
                for child in &mut children {
                    if child.try_wait().ok().flatten().is_none() {
                        let _ = child.kill();
                        waiting += 1;
                    }
                }
                panic!(
                    "{waiting} token calls waited for the profile's lock ({})",
                    store.name()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|child| child.wait_with_output().expect("wait for crmauth"))
            .collect();
        let token = the_one_token(&outputs);
        assert_eq!(Some(&token), server.last_access_token().as_ref());
        assert_eq!(server.grant_count("refresh_token"), 0, "{}", store.name());
        drop(lock);
    }
}
