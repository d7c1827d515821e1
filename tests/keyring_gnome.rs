//! crmauth against a private gnome-keyring: an item deleted behind crmauth's
//! back is exit 6 ("locked or deleted"), never "not logged in", and logout
//! refuses it unless --force; a bad CRMAUTH_KEYRING_TIMEOUT is a usage error.

mod support;

use support::crmauth::{Env, Store};
use support::keyring::{Impl, PrivateKeyring};

const KEY: &str = "gnome-keyring-test-key-1";

#[test]
fn a_deleted_item_is_exit_6_and_logout_refuses_it_unless_forced() {
    let keyring = PrivateKeyring::start(Impl::GnomeKeyring);
    let env = Env::new(Store::File);
    env.secret(KEY);
    keyring
        .run(
            &env,
            &[
                "-p",
                "p1",
                "apikey",
                "set",
                "--provider",
                "virtuous",
                "--key-stdin",
            ],
        )
        .stdin(KEY)
        .ok();
    let service = format!("crmauth:{}", env.config_dir().display());
    keyring.tool(
        "secret-tool",
        &["clear", "service", &service, "username", "p1"],
        "",
    );

    for args in [&["-p", "p1", "token"][..], &["-p", "p1", "whoami"]] {
        keyring
            .run(&env, args)
            .code(6)
            .stderr_has(
                "the keyring returned no secret for profile 'p1', which crmauth stored there",
            )
            .stderr_has("or the item was deleted")
            .stderr_has("crmauth logout -p p1 --force")
            .stderr_lines_at_most(2);
    }
    keyring.run(&env, &["-p", "p1", "logout"]).code(6);
    assert!(env.read("profiles.json").contains("\"p1\""));
    keyring
        .run(&env, &["-p", "p1", "logout", "--force"])
        .ok()
        .stderr_has("its keyring item may remain");
    assert!(!env.read("profiles.json").contains("\"p1\""));
    // Now nothing is recorded: plain "not logged in".
    keyring.run(&env, &["-p", "p1", "token"]).code(3);
}

#[test]
fn a_profile_in_the_file_store_without_a_secret_stays_not_logged_in() {
    // Only the keyring hides items; a file-store profile whose record is gone
    // is still exit 3.
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&[
        "-p",
        "p1",
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--key-stdin",
    ])
    .stdin(KEY)
    .ok();
    std::fs::write(env.path("credentials.json"), "{}").expect("empty the file store");
    env.run(&["-p", "p1", "token"]).code(3);
}

#[test]
fn a_bad_keyring_timeout_is_a_usage_error() {
    let keyring = PrivateKeyring::start(Impl::GnomeKeyring);
    let env = Env::new(Store::File);
    env.secret(KEY);
    for value in ["0", "soon", "-3"] {
        keyring
            .run(
                &env,
                &["apikey", "set", "--provider", "virtuous", "--key-stdin"],
            )
            .stdin(KEY)
            .env("CRMAUTH_KEYRING_TIMEOUT", value)
            .code(2)
            .stderr_has("CRMAUTH_KEYRING_TIMEOUT");
    }
}

/// With a person at the terminal, a keyring call that waits says so after
/// 1 s, on one line, and then waits on (here up to CRMAUTH_KEYRING_TIMEOUT).
#[cfg(unix)]
#[test]
fn on_a_terminal_a_waiting_keyring_call_says_so_after_a_second() {
    use std::process::Command;
    use std::time::{Duration, Instant};

    use expectrl::{Eof, Expect, Session};

    let keyring = PrivateKeyring::start(Impl::GnomeKeyring);
    let env = Env::new(Store::File);
    env.secret(KEY);
    keyring
        .run(
            &env,
            &[
                "-p",
                "p1",
                "apikey",
                "set",
                "--provider",
                "virtuous",
                "--key-stdin",
            ],
        )
        .stdin(KEY)
        .ok();
    keyring.signal("-STOP");
    let mut command = Command::new(env!("CARGO_BIN_EXE_crmauth"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CRMAUTH_") {
            command.env_remove(&key);
        }
    }
    command
        .env("CRMAUTH_CONFIG_DIR", env.config_dir())
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            keyring.var("DBUS_SESSION_BUS_ADDRESS"),
        )
        .env("CRMAUTH_KEYRING_TIMEOUT", "3")
        .env("NO_COLOR", "1")
        .args(["--store", "keyring", "-p", "p1", "token"]);
    let started = Instant::now();
    let mut session = Session::spawn(command).expect("spawn crmauth on a pty");
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session
        .expect("waiting for the keyring — is an unlock or access dialog open?")
        .expect("the waiting line");
    let noticed = started.elapsed();
    let rest = session.expect(Eof).expect("crmauth ends");
    // Eof matches with the rest of the output.
    let rest = format!(
        "{}{}",
        String::from_utf8_lossy(rest.before()),
        String::from_utf8_lossy(rest.get(0).unwrap_or_default())
    );
    let took = started.elapsed();
    keyring.signal("-CONT");
    assert!(
        noticed >= Duration::from_millis(900),
        "said it after {noticed:?}"
    );
    assert!(
        rest.contains("no answer within 3 s"),
        "then showed:\n{rest}"
    );
    assert!(
        !rest.contains("waiting for the keyring"),
        "said it twice:\n{rest}"
    );
    assert!(!rest.contains(KEY));
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(5),
        "took {took:?}"
    );
}
