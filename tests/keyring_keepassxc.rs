//! crmauth against a real, headless KeePassXC as the Secret Service
//! (scripts/with-keyring with CRMAUTH_TEST_KEYRING_IMPL=keepassxc): records
//! round-trip and are stored as text; a locked database, which hides its
//! items, is exit 6 and never "not logged in", and logout keeps what it
//! cannot see unless --force; an unlock or access dialog nobody answers ends
//! at the deadline; a stopped KeePassXC is exit 6 at once.

mod support;

use std::time::{Duration, Instant};

use support::crmauth::{Env, Store};
use support::keyring::{Impl, PrivateKeyring};

const KEY: &str = "keepassxc-test-key-1";
const LOCKED: &str = "which crmauth stored there: the keyring may be locked";

fn keepassxc(unlock_before_search: bool) -> PrivateKeyring {
    PrivateKeyring::start(Impl::KeePassXc {
        unlock_before_search,
        confirm_access: false,
    })
}

/// Waits until the database as KeePassXC saved it (it saves shortly after a
/// change), exported to XML with protected values in clear, satisfies
/// `check`; panics with `what` after 10 s.
fn saved_database(kpx: &PrivateKeyring, what: &str, check: impl Fn(&str) -> bool) {
    let password = format!("{}\n", kpx.var("CRMAUTH_TEST_KEEPASSXC_PASSWORD"));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let xml = kpx.tool(
            "keepassxc-cli",
            &[
                "export",
                "-q",
                "-f",
                "xml",
                kpx.var("CRMAUTH_TEST_KEEPASSXC_DB"),
            ],
            &password,
        );
        if check(&xml) {
            return;
        }
        assert!(Instant::now() < deadline, "the saved database: {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn lock(kpx: &PrivateKeyring) {
    kpx.tool("keepassxc", &["--lock"], "");
    // `--lock` returns once the running instance has the request.
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let locked = kpx.tool(
            "dbus-send",
            &[
                "--session",
                "--print-reply=literal",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets/aliases/default",
                "org.freedesktop.DBus.Properties.Get",
                "string:org.freedesktop.Secret.Collection",
                "string:Locked",
            ],
            "",
        );
        if locked.contains("true") {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("KeePassXC did not lock");
}

#[test]
fn unlocked_keepassxc_round_trips_records_stored_as_text() {
    let kpx = keepassxc(true);
    let env = Env::new(Store::File);
    let long_key = format!("k{}", "x".repeat(3_000));
    env.secret(KEY).secret(&long_key);
    kpx.run(
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
    kpx.run(&env, &["-p", "p1", "token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
    // Replaced, a long record, a second profile.
    kpx.run(
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
    .stdin(&long_key)
    .ok();
    kpx.run(
        &env,
        &[
            "-p",
            "p2",
            "apikey",
            "set",
            "--provider",
            "virtuous",
            "--key-stdin",
        ],
    )
    .stdin(KEY)
    .ok();
    kpx.run(&env, &["-p", "p1", "token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{long_key}\n"));
    // Other Secret Service clients read what crmauth wrote.
    let service = format!("crmauth:{}", env.config_dir().display());
    let record = kpx.tool(
        "secret-tool",
        &["lookup", "service", &service, "username", "p2"],
        "",
    );
    assert!(record.contains(KEY), "secret-tool read no record");
    // KeePassXC keeps a text record in the password field, not as an
    // FDO_SECRETS_DATA attachment, under the label crmauth gave it.
    saved_database(&kpx, "p2 under crmauth's label", |xml| {
        xml.contains("<Value>crmauth profile 'p2' (")
    });
    saved_database(&kpx, "p1's replaced record in a text field", |xml| {
        xml.contains(&long_key)
    });
    saved_database(&kpx, "no attachment", |xml| {
        !xml.contains("FDO_SECRETS_DATA")
    });
    // Logout removes the item; the other profile stays.
    kpx.run(&env, &["-p", "p1", "logout"]).ok();
    kpx.run(&env, &["-p", "p1", "token"]).code(3);
    let (found, _, _) = kpx.try_tool(
        "secret-tool",
        &["lookup", "service", &service, "username", "p1"],
        "",
    );
    assert!(!found, "logout left the item in the exposed group");
    kpx.run(&env, &["-p", "p2", "token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
}

#[test]
fn a_locked_database_that_hides_items_is_exit_6_and_logout_keeps_it() {
    let kpx = keepassxc(false);
    let env = Env::new(Store::File);
    env.secret(KEY);
    kpx.run(
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
    lock(&kpx);
    for args in [&["-p", "p1", "token"][..], &["-p", "p1", "whoami"]] {
        kpx.run(&env, args)
            .code(6)
            .stderr_has(LOCKED)
            .stderr_has("crmauth logout -p p1 --force");
    }
    kpx.run(&env, &["-p", "p1", "logout"])
        .code(6)
        .stderr_has(LOCKED);
    assert!(
        env.read("profiles.json").contains("\"p1\""),
        "logout forgot the profile"
    );
    kpx.run(&env, &["-p", "p1", "logout", "--force"])
        .ok()
        .stderr_has("may remain");
    assert!(!env.read("profiles.json").contains("\"p1\""));
    kpx.run(&env, &["-p", "p1", "token"]).code(3);
    // Nothing was lost: the item is still in the database.
    saved_database(&kpx, "the item is still there", |xml| xml.contains(KEY));
}

#[test]
fn a_locked_database_waiting_for_its_unlock_dialog_is_exit_6_at_the_deadline() {
    let kpx = keepassxc(true);
    let env = Env::new(Store::File);
    env.secret(KEY);
    kpx.run(
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
    lock(&kpx);
    let started = Instant::now();
    kpx.run(&env, &["-p", "p1", "token"])
        .env("CRMAUTH_KEYRING_TIMEOUT", "2")
        .code(6)
        .stderr_has("no answer within 2 s")
        .stderr_has("dialog");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

#[test]
fn a_stopped_keepassxc_is_exit_6_at_once() {
    let kpx = keepassxc(true);
    let env = Env::new(Store::File);
    env.secret(KEY);
    kpx.run(
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
    kpx.signal("-KILL");
    let started = Instant::now();
    let outcome = kpx
        .run(&env, &["-p", "p1", "token"])
        .code(6)
        .stderr_has("--store file");
    // Right after the kill the bus may not have released the name yet: the
    // call then reaches the dying process and gets no reply.
    assert!(
        outcome.stderr.contains("no Secret Service")
            || outcome.stderr.contains("stopped answering"),
        "{}",
        outcome.stderr
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn an_access_dialog_nobody_answers_is_exit_6_at_the_deadline() {
    let kpx = PrivateKeyring::start(Impl::KeePassXc {
        unlock_before_search: true,
        confirm_access: true,
    });
    let env = Env::new(Store::File);
    env.secret(KEY);
    kpx.run(
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
    let started = Instant::now();
    kpx.run(&env, &["-p", "p1", "token"])
        .env("CRMAUTH_KEYRING_TIMEOUT", "2")
        .code(6)
        .stderr_has("no answer within 2 s")
        .stderr_has("access dialog");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "took {took:?}");
}
