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
