//! `crmauth doctor`: one line per check, the fix under each failure, exit 1
//! when anything fails, JSON for scripts, and never a secret.
#![cfg(target_os = "linux")]

mod support;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::crmauth::{Env, Outcome, Run, Store};
use support::{FakeResponse, FakeServer, FakeVirtuous};
use tempfile::TempDir;

const KEY: &str = "vk_doctor_0123456789abcdef";
const PROXY_VARS: &[&str] = &[
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// `doctor` with no proxy from the caller's environment.
fn doctor(env: &Env, args: &[&str]) -> Run {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    let mut run = env.run(&all);
    for name in PROXY_VARS {
        run = run.env_remove(name);
    }
    run
}

fn with_api_key(url: &str) -> Env {
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&[
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--url",
        url,
        "--key-stdin",
    ])
    .stdin(KEY)
    .ok();
    env
}

fn check<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|check| check["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {json:#}"))
}

/// A program installed by another process (no ETXTBSY from this one's
/// open descriptors), printing `version_line` for `--version`.
fn fake_curl(dir: &TempDir, version_line: &str) -> String {
    let source = dir.path().join("curl.sh");
    std::fs::write(&source, format!("#!/bin/sh\necho '{version_line}'\n")).expect("write");
    let target = dir.path().join("curl");
    let status = Command::new("install")
        .args(["-m", "755"])
        .arg(&source)
        .arg(&target)
        .status()
        .expect("install");
    assert!(status.success());
    target.to_string_lossy().into_owned()
}

#[test]
fn a_healthy_file_store_passes_every_check() {
    let env = with_api_key("https://api.virtuoussoftware.com");
    let bin = tempfile::tempdir().expect("temp dir");
    let curl = fake_curl(&bin, "curl 8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0");
    let text = doctor(&env, &[])
        .env("CRMAUTH_CURL", &curl)
        .ok()
        .stdout_has("✓ config dir: ")
        .stdout_has("✓ profiles.json: ")
        .stdout_has("✓ secret store: file ")
        .stdout_has("(yours, mode 600)")
        .stdout_has("✓ profile default: api_key, does not expire")
        .stdout_has("✓ curl: ")
        .stdout_has("curl 8.5.0")
        .stdout_has("✓ proxy: no proxy variables set")
        .stdout_has("All checks passed.");
    assert!(!text.stdout.contains('✗') && !text.stdout.contains('\x1b'));
    let json = doctor(&env, &["--json"])
        .env("CRMAUTH_CURL", &curl)
        .ok()
        .json();
    assert_eq!(json["ok"], true);
    assert!(json["checks"].as_array().expect("checks").len() >= 6);
}

#[test]
fn a_credentials_file_others_can_read_fails_with_the_chmod_that_fixes_it() {
    let env = with_api_key("https://api.virtuoussoftware.com");
    let path = env.path("credentials.json");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let outcome = doctor(&env, &[])
        .code(1)
        .stdout_has("✗ secret store: file ")
        .stdout_has("mode 644")
        .stdout_has(&format!("    fix: run 'chmod 600 {}'", path.display()));
    assert!(outcome.stdout.contains("checks failed."));
    let json = doctor(&env, &["--json"]).code(1).json();
    assert_eq!(json["ok"], false);
    assert_eq!(check(&json, "secret store")["ok"], false);
    assert_eq!(
        check(&json, "secret store")["fix"],
        format!("run 'chmod 600 {}'", path.display())
    );
}

#[test]
fn no_session_bus_says_why_the_keyring_fails_and_what_to_run() {
    let env = Env::new(Store::File);
    let nowhere = env.path("no-bus-here");
    let started = Instant::now();
    let json = doctor(&env, &["--store", "keyring", "--json"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", nowhere.display()),
        )
        .code(1)
        .json();
    assert!(started.elapsed() < Duration::from_secs(5));
    let store = check(&json, "secret store");
    assert_eq!(store["ok"], false);
    let detail = store["detail"].as_str().expect("detail");
    assert!(detail.contains("no D-Bus session bus"), "{detail}");
    assert!(detail.contains("no-bus-here"), "{detail}");
    let fix = store["fix"].as_str().expect("fix");
    assert!(fix.contains("dbus-run-session"), "{fix}");
    assert!(fix.contains("--store file"), "{fix}");
}

#[test]
fn a_corrupt_profiles_json_is_named_with_its_fix() {
    let env = Env::new(Store::File);
    std::fs::write(env.path("profiles.json"), "{\"profiles\": {").expect("write");
    doctor(&env, &[])
        .code(1)
        .stdout_has("✗ profiles.json: ")
        .stdout_has("profiles.json")
        .stdout_has("    fix: ");
    let json = doctor(&env, &["--json"]).code(1).json();
    let profiles = check(&json, "profiles.json");
    assert_eq!(profiles["ok"], false);
    assert!(
        profiles["fix"]
            .as_str()
            .is_some_and(|fix| fix.contains("profiles.json")),
        "{profiles}"
    );
}

#[test]
fn a_curl_older_than_7_55_fails() {
    let env = with_api_key("https://api.virtuoussoftware.com");
    let bin = tempfile::tempdir().expect("temp dir");
    let curl = fake_curl(&bin, "curl 7.52.1 (x86_64-pc-linux-gnu) libcurl/7.52.1");
    doctor(&env, &[])
        .env("CRMAUTH_CURL", &curl)
        .code(1)
        .stdout_has("✗ curl: ")
        .stdout_has("needs 7.55 or later");
    doctor(&env, &[])
        .env("CRMAUTH_CURL", bin.path().join("missing"))
        .code(1)
        .stdout_has("✗ curl: ");
}

#[test]
fn a_proxy_is_shown_without_its_password_and_loopback_goes_direct() {
    let env = with_api_key("http://127.0.0.1:9");
    env.secret("proxy-pass-secret");
    let json = doctor(&env, &["--json"])
        .env("HTTPS_PROXY", "http://me:proxy-pass-secret@127.0.0.1:3128")
        .output()
        .json();
    let proxy = check(&json, "proxy");
    let detail = proxy["detail"].as_str().expect("detail");
    assert!(detail.contains("HTTPS_PROXY"), "{detail}");
    assert!(detail.contains("[redacted]@127.0.0.1:3128"), "{detail}");
    assert!(detail.contains("default: direct (loopback)"), "{detail}");
}

#[test]
fn a_refresh_token_about_to_expire_fails_its_profile() {
    let server = FakeVirtuous::start();
    server.add_user("ann@example.org", "pw-doctor-1");
    server.set_refresh_expires_in(Some(3 * 86_400));
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
        "ann@example.org",
        "--password-stdin",
    ])
    .stdin("pw-doctor-1")
    .secret("pw-doctor-1")
    .ok();
    for token in server
        .issued_access_tokens()
        .into_iter()
        .chain(server.issued_refresh_tokens())
    {
        env.secret(&token);
    }
    doctor(&env, &[])
        .code(1)
        .stdout_has("✗ profile cron: oauth_password, access token ")
        .stdout_has("refresh token 20")
        .stdout_has("    fix: run 'crmauth login -p cron' before the refresh token expires");
}

#[test]
fn online_compares_the_clock_with_each_server() {
    let right = FakeServer::start_fn(|_| FakeResponse::empty(404));
    let env = with_api_key(&right.url());
    doctor(&env, &["--online"])
        .output()
        .stdout_has("✓ server of default: ")
        .stdout_has("clocks agree");
    let skewed = FakeServer::start_fn(|_| {
        FakeResponse::empty(404).with_header("Date", &support::server::http_date(-600))
    });
    let env = with_api_key(&skewed.url());
    let outcome: Outcome = doctor(&env, &["--online"])
        .code(1)
        .stdout_has("✗ server of default: ")
        .stdout_has("ahead of the server's")
        .stdout_has("timedatectl");
    assert!(outcome.stdout.contains("600 s") || outcome.stdout.contains("601 s"));
    drop(skewed);
    doctor(&env, &["--online"])
        .code(1)
        .stdout_has("✗ server of default: ")
        .stdout_has("connection refused");
}

/// A private session bus with its own gnome-keyring-daemon, killed on drop.
struct PrivateKeyring {
    _dir: TempDir,
    address: String,
    children: Vec<Child>,
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn tool(name: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "{name} is missing: run the tests with scripts/test, which installs it"
    );
}

impl PrivateKeyring {
    fn start() -> Self {
        for name in ["dbus-daemon", "dbus-send", "gnome-keyring-daemon"] {
            tool(name);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["run", "data"] {
            std::fs::create_dir(dir.path().join(sub)).expect("mkdir");
            std::fs::set_permissions(dir.path().join(sub), std::fs::Permissions::from_mode(0o700))
                .expect("chmod");
        }
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!(
                "--address=unix:path={}",
                dir.path().join("bus").display()
            ))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("bus address");
        let address = line.trim().to_string();
        let mut keyring = Self {
            _dir: dir,
            address,
            children: vec![bus],
        };
        let mut daemon = keyring
            .command("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        {
            use std::io::Write;
            let mut stdin = daemon.stdin.take().expect("stdin");
            stdin.write_all(b"throwaway-doctor").expect("password");
        }
        keyring.children.push(daemon);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !keyring.secrets_owned() {
            assert!(
                Instant::now() < deadline,
                "gnome-keyring-daemon did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        keyring
    }

    fn runtime(&self) -> &Path {
        self._dir.path()
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.runtime().join("run"))
            .env("XDG_DATA_HOME", self.runtime().join("data"));
        command
    }

    fn secrets_owned(&self) -> bool {
        let output = self
            .command("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .expect("dbus-send");
        String::from_utf8_lossy(&output.stdout).contains("boolean true")
    }

    /// Locks the default collection, as a screen lock or a timeout would.
    fn lock_login_collection(&self) {
        let status = self
            .command("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .stdout(Stdio::null())
            .status()
            .expect("dbus-send");
        assert!(status.success(), "could not lock the collection");
    }

    fn apply(&self, run: Run) -> Run {
        run.env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.runtime().join("run"))
            .env("XDG_DATA_HOME", self.runtime().join("data"))
    }
}

#[test]
fn the_keyring_daemon_is_named_and_a_locked_collection_fails_with_how_to_unlock() {
    let keyring = PrivateKeyring::start();
    let env = Env::new(Store::File);
    let json = keyring
        .apply(doctor(&env, &["--store", "keyring", "--json"]))
        .code(1) // no profiles yet
        .json();
    let store = check(&json, "secret store");
    assert_eq!(store["ok"], true, "{store}");
    let detail = store["detail"].as_str().expect("detail");
    assert!(detail.contains("gnome-keyring-daemon (pid "), "{detail}");
    assert!(detail.contains("unlocked"), "{detail}");

    keyring.lock_login_collection();
    let json = keyring
        .apply(doctor(&env, &["--store", "keyring", "--json"]))
        .code(1)
        .json();
    let store = check(&json, "secret store");
    assert_eq!(store["ok"], false, "{store}");
    let detail = store["detail"].as_str().expect("detail");
    assert!(detail.contains("is locked"), "{detail}");
    let fix = store["fix"].as_str().expect("fix");
    assert!(fix.contains("gnome-keyring-daemon --unlock"), "{fix}");
    assert!(fix.contains("--store file"), "{fix}");
}
