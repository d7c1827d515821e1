//! Hostile local state: corrupt or truncated files, a missing, read-only or
//! full config dir, stale locks from killed processes, concurrent writers.
//! Each ends with a clear error (exit 1) or success, and nothing is lost.
//! The read-only and disk-full rows mount a tiny tmpfs, which needs root;
//! without it they say so and pass vacuously.

mod support;

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::FakeVirto;
use support::crmauth::{Env, Store};

const KEY: &str = "hostile-local-key-1";

fn with_key(env: &Env) {
    env.secret(KEY);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin(KEY)
        .ok();
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

#[test]
fn a_corrupt_or_truncated_credentials_file_is_named_and_never_rewritten() {
    let env = Env::new(Store::File);
    with_key(&env);
    let valid = std::fs::read(env.path("credentials.json")).expect("read");
    let truncated = valid[..valid.len() / 2].to_vec();
    for corrupt in [
        truncated,
        b"\x00\x01garbage".to_vec(),
        b"\xff\xfe{}".to_vec(),
        Vec::new(),
    ] {
        std::fs::write(env.path("credentials.json"), &corrupt).expect("write");
        for args in [
            &["token"][..],
            &["whoami"][..],
            &["apikey", "set", "--provider", "virtuous", "--key-stdin"][..],
            &["logout"][..],
        ] {
            env.secret("other-key-2");
            env.run(args)
                .stdin("other-key-2")
                .code(1)
                .stderr_has("credentials.json")
                .stderr_lines_at_most(2);
        }
        assert_eq!(
            std::fs::read(env.path("credentials.json")).expect("read"),
            corrupt,
            "the corrupt file was rewritten"
        );
    }
}

#[test]
fn an_empty_or_truncated_profiles_file_is_named_and_never_rewritten() {
    let env = Env::new(Store::File);
    with_key(&env);
    let valid = env.read("profiles.json");
    for corrupt in [&valid[..valid.len() / 2], ""] {
        std::fs::write(env.path("profiles.json"), corrupt).expect("write");
        env.run(&["token"])
            .code(1)
            .stderr_has("profiles.json")
            .stderr_lines_at_most(2);
        env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
            .stdin(KEY)
            .code(1)
            .stderr_has("profiles.json");
        assert_eq!(env.read("profiles.json"), corrupt);
    }
}

#[test]
fn a_missing_config_dir_is_created_private_on_first_write() {
    let env = Env::new(Store::File);
    let dir = env.path("deep/er/crmauth");
    env.secret(KEY);
    env.run(&["token"]).env("CRMAUTH_CONFIG_DIR", &dir).code(3);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .stdin(KEY)
        .ok();
    #[cfg(unix)] // Windows has ACLs, not modes
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("credentials.json")), 0o600);
    }
    env.run(&["token"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
}

/// A process holding `lock` (an OS file lock, as crmauth takes), killed
/// before the command runs: this test binary itself, running
/// `lock_holder_child`.
fn killed_holder(lock: &Path) {
    std::fs::create_dir_all(lock.parent().expect("parent")).expect("mkdir");
    let mut holder = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "lock_holder_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(HOLD_LOCK, lock)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn holder");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(
        holder.stdout.take().expect("stdout"),
    ));
    assert!(
        // libtest may print "test lock_holder_child ... " on the same line.
        lines.any(|line| line.expect("holder output").ends_with(HOLDING)),
        "the holder did not take the lock"
    );
    holder.kill().expect("kill holder");
    holder.wait().expect("reap holder");
    assert!(lock.exists());
}

const HOLD_LOCK: &str = "CRMAUTH_TEST_HOLD_LOCK";
const HOLDING: &str = "holder: locked";

/// Not a test: the lock holder that `killed_holder` starts and kills. Does
/// nothing unless CRMAUTH_TEST_HOLD_LOCK names a lock file.
#[test]
fn lock_holder_child() {
    let Some(path) = std::env::var_os(HOLD_LOCK) else {
        return;
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .expect("open lock");
    file.lock().expect("lock");
    println!("{HOLDING}");
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn a_stale_lock_from_a_killed_process_does_not_block() {
    let env = Env::new(Store::File);
    with_key(&env);
    killed_holder(&env.path("credentials.lock"));
    killed_holder(&env.path("locks/default.lock"));
    let started = Instant::now();
    env.secret("after-the-kill-3");
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin("after-the-kill-3")
        .ok();
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is("after-the-kill-3\n");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn concurrent_apikey_sets_end_with_one_consistent_record() {
    let env = Env::new(Store::File);
    let keys: Vec<String> = (0..6).map(|i| format!("concurrent-key-{i}")).collect();
    for key in &keys {
        env.secret(key);
    }
    std::thread::scope(|scope| {
        for key in &keys {
            let env = &env;
            scope.spawn(move || {
                env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
                    .stdin(key)
                    .ok();
            });
        }
    });
    let token = env.run(&["token"]).reveals().ok().stdout;
    assert!(
        keys.iter().any(|key| token == format!("{key}\n")),
        "{token:?}"
    );
    let credentials: serde_json::Value =
        serde_json::from_str(&env.read("credentials.json")).expect("valid credentials.json");
    let profiles: serde_json::Value =
        serde_json::from_str(&env.read("profiles.json")).expect("valid profiles.json");
    assert!(credentials.to_string().contains("default"));
    assert_eq!(profiles["default"], "default");
    #[cfg(unix)] // Windows has ACLs, not modes
    assert_eq!(mode(&env.path("credentials.json")), 0o600);
    let leftovers: Vec<PathBuf> = std::fs::read_dir(env.config_dir())
        .expect("ls")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Two people (or scripts) logging in to one profile at once: each login
/// succeeds, and what is left is one login whole — the user in profiles.json
/// is the user the stored token belongs to, never one's user with the
/// other's token.
#[test]
fn concurrent_logins_to_one_profile_leave_one_whole_login() {
    // The race is narrow: many quick rounds on the file store, a few on the
    // (slower) keyring.
    // A process start under Wine takes ~100 ms: fewer rounds there.
    let file_rounds = if cfg!(windows) { 10 } else { 50 };
    for (store, rounds) in [(Store::File, file_rounds), (Store::Keyring, 3)] {
        let server = FakeVirto::start();
        let users: Vec<(String, String)> = (0..6)
            .map(|i| (format!("user{i}"), format!("concurrent-pw-{i}")))
            .collect();
        for (user, password) in &users {
            server.add_user(user, password);
        }
        for round in 0..rounds {
            let env = Env::new(store);
            std::thread::scope(|scope| {
                for (user, password) in &users {
                    let (env, url) = (&env, server.url());
                    env.secret(password);
                    scope.spawn(move || {
                        env.run(&[
                            "login",
                            "--provider",
                            "virto",
                            "--url",
                            &url,
                            "--username",
                            user,
                            "--password-stdin",
                        ])
                        .stdin(password)
                        .ok();
                    });
                }
            });
            for token in server.issued_access_tokens() {
                env.secret(&token);
            }
            let whoami = env.run(&["whoami", "--json"]).ok().json();
            assert_eq!(
                whoami["user"], whoami["jwt_claims"]["name"],
                "round {round}, {store:?}: profiles.json names one user, the stored token is another's"
            );
            let token = env.run(&["token"]).reveals().ok().stdout;
            assert!(server.valid_access_token(token.trim()));
        }
    }
}

/// A tiny tmpfs at `dir`, unmounted on drop; `None` without the privilege.
#[cfg(target_os = "linux")] // mounts a tmpfs
struct Tmpfs(PathBuf);

#[cfg(target_os = "linux")] // mounts a tmpfs
impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).expect("mkdir");
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs (needs root)");
        }
        ok.then(|| Self(dir.to_path_buf()))
    }

    fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .expect("remount");
        assert!(status.success());
    }
}

#[cfg(target_os = "linux")] // mounts a tmpfs
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
#[cfg(target_os = "linux")] // mounts a tmpfs
fn a_read_only_config_dir_is_a_clear_error_and_loses_nothing() {
    let env = Env::new(Store::File);
    let dir = env.path("ro");
    let Some(mount) = Tmpfs::mount(&dir, "1m") else {
        return;
    };
    env.secret(KEY);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .stdin(KEY)
        .ok();
    let before = std::fs::read(dir.join("credentials.json")).expect("read");
    mount.read_only();
    env.secret("read-only-key-4");
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .stdin("read-only-key-4")
        .code(1)
        .stderr_has("Read-only file system")
        .stderr_lines_at_most(2);
    assert_eq!(
        std::fs::read(dir.join("credentials.json")).expect("read"),
        before
    );
    env.run(&["token"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
}

#[test]
#[cfg(target_os = "linux")] // mounts a tmpfs
fn a_full_disk_keeps_the_old_file() {
    let env = Env::new(Store::File);
    let dir = env.path("full");
    let Some(_mount) = Tmpfs::mount(&dir, "64k") else {
        return;
    };
    env.secret(KEY);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .stdin(KEY)
        .ok();
    let before = std::fs::read(dir.join("credentials.json")).expect("read");
    // Fill the rest of the tmpfs.
    let _ = std::fs::write(dir.join("filler"), vec![0u8; 256 * 1024]);
    let big_key = "full-disk-key-5-".repeat(2000);
    env.secret(&big_key);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .stdin(&big_key)
        .code(1)
        .stderr_has("credentials.json")
        .stderr_lines_at_most(2);
    assert_eq!(
        std::fs::read(dir.join("credentials.json")).expect("read"),
        before
    );
    env.run(&["token"])
        .env("CRMAUTH_CONFIG_DIR", &dir)
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));
}
