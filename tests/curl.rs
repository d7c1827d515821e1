//! `crmauth curl`: the profile's header reaches curl without ever being in a
//! command line, and everything else is curl's: arguments, stdin, exit code.
//! Linux only: the fake curl uses GNU `stat`, and the leak check reads `/proc`.
#![cfg(target_os = "linux")]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use support::crmauth::{Env, Store, stores};
use support::{FakeResponse, FakeServer};
use tempfile::TempDir;

const KEY: &str = "vk_live_curl_0123456789abcdef";
const AUTH_TOKEN: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const URL: &str = "http://127.0.0.1:9/base/";

/// A stand-in for curl: records its arguments, each `-H @FILE` it got (what
/// the file is and holds) and its stdin in `$RECORD`, then exits as told.
const FAKE_CURL: &str = r#"#!/bin/sh
printf '%s\n' "$@" > "$RECORD/argv"
n=0
prev=
for arg in "$@"; do
  if [ "$prev" = "-H" ]; then
    n=$((n + 1))
    file=${arg#@}
    printf '%s\n' "$file" > "$RECORD/header$n.path"
    stat -L -c '%F %a' "$file" > "$RECORD/header$n.kind"
    cat "$file" > "$RECORD/header$n"
  fi
  prev=$arg
done
cat > "$RECORD/stdin"
[ -n "$FAKE_SLEEP" ] && sleep "$FAKE_SLEEP"
[ -n "$FAKE_SIGNAL" ] && kill -s "$FAKE_SIGNAL" $$
exit "${FAKE_EXIT:-0}"
"#;

/// The fake curl and the directory it records into.
struct FakeCurl {
    dir: TempDir,
}

impl FakeCurl {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = dir.path().join("curl.sh");
        std::fs::write(&source, FAKE_CURL).expect("write fake curl");
        // Installed by another process, so that no write descriptor of this
        // multi-threaded test process can make executing it fail (ETXTBSY).
        let status = Command::new("install")
            .args(["-m", "755"])
            .arg(&source)
            .arg(dir.path().join("curl"))
            .status()
            .expect("run install");
        assert!(status.success());
        Self { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("curl")
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name))
            .unwrap_or_else(|err| panic!("fake curl recorded no {name}: {err}"))
    }

    fn argv(&self) -> Vec<String> {
        self.read("argv").lines().map(str::to_string).collect()
    }

    /// The arguments without the `-H @FILE` pairs crmauth added, nor the
    /// `--noproxy HOST` pair it puts before each of them for a loopback profile.
    fn user_argv(&self) -> Vec<String> {
        let mut argv = self.argv();
        while let Some(at) = argv.iter().position(|arg| arg.starts_with("@/dev/fd/")) {
            assert_eq!(argv[at - 1], "-H");
            argv.drain(at - 1..=at);
            if at >= 3 && argv[at - 3] == "--noproxy" {
                argv.drain(at - 3..at - 1);
            }
        }
        argv
    }

    /// The `n`th header source: what it held, and that it was a pipe only the
    /// user could read, so no copy of the secret was ever on disk.
    fn header(&self, n: usize) -> String {
        let path = self.read(&format!("header{n}.path"));
        assert!(path.starts_with("/dev/fd/"), "header source {path}");
        let kind = self.read(&format!("header{n}.kind"));
        assert_eq!(kind.trim(), "fifo 600", "header source {path}");
        self.read(&format!("header{n}"))
    }
}

impl Env {
    fn curl(&self, fake: &FakeCurl, args: &[&str]) -> support::crmauth::Run {
        let mut all = vec!["curl"];
        all.extend_from_slice(args);
        self.run(&all)
            .env("CRMAUTH_CURL", fake.path())
            .env("RECORD", fake.dir.path())
    }
}

fn with_key(store: Store) -> Env {
    let env = Env::new(store);
    env.secret(KEY);
    env.run(&[
        "apikey",
        "set",
        "--key-stdin",
        "--provider",
        "virtuous",
        "--url",
        URL,
    ])
    .stdin(&format!("{KEY}\n"))
    .ok();
    env
}

/// A Vertical CRM profile `v` with an auth token, written the way the file
/// store keeps it.
fn with_vertical_token(url: &str) -> Env {
    let env = Env::new(Store::File);
    env.secret(AUTH_TOKEN);
    let info = serde_json::json!({
        "kind": "auth_token",
        "obtained_at": "2026-01-02T03:04:05Z",
        "expires_at": null,
        "refresh_expires_at": null,
        "scopes": [],
        "has_refresh_token": false,
    });
    let profiles = serde_json::json!({
        "default": "v",
        "profiles": {"v": {
            "provider": "vertical",
            "url": url,
            "user": "admin@example.com",
            "allow_http": false,
            "credential": info,
        }},
    });
    let mut record = info.clone();
    record["access_token"] = AUTH_TOKEN.into();
    let credentials = serde_json::json!({"credentials": {"v": record}});
    for (file, value) in [
        ("profiles.json", profiles),
        ("credentials.json", credentials),
    ] {
        let path = env.path(file);
        std::fs::write(&path, value.to_string()).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    env
}

#[test]
fn an_api_key_reaches_curl_as_a_bearer_header_never_in_argv() {
    for store in stores() {
        let env = with_key(store);
        let fake = FakeCurl::new();
        env.curl(&fake, &["-s", "-d", "@-", "/api/x"])
            .stdin("payload from stdin")
            .ok()
            .stdout_is("")
            .stderr_is_empty();
        assert_eq!(fake.header(1), format!("Authorization: Bearer {KEY}\n"));
        assert!(fake.argv().iter().all(|arg| !arg.contains(KEY)));
        assert_eq!(
            fake.user_argv(),
            ["-s", "-d", "@-", "http://127.0.0.1:9/base/api/x"]
        );
        assert_eq!(fake.read("stdin"), "payload from stdin");
    }
}

#[test]
fn a_vertical_auth_token_is_sent_bare() {
    let env = with_vertical_token(URL);
    let fake = FakeCurl::new();
    env.curl(&fake, &["/crm/private/json/Leads/getRecords"])
        .ok();
    assert_eq!(fake.header(1), format!("Authorization: {AUTH_TOKEN}\n"));
    assert!(fake.argv().iter().all(|arg| !arg.contains(AUTH_TOKEN)));
    assert_eq!(
        fake.user_argv(),
        ["http://127.0.0.1:9/base/crm/private/json/Leads/getRecords"]
    );
}

#[test]
fn arguments_after_curl_are_curls_even_when_they_look_like_crmauths() {
    let env = with_key(Store::File);
    env.secret("other-key");
    env.run(&[
        "-p",
        "prof",
        "apikey",
        "set",
        "--provider",
        "virtuous",
        "--key-stdin",
        "--url",
        "https://crm.example/",
    ])
    .stdin("other-key\n")
    .ok();
    let fake = FakeCurl::new();
    env.run(&[
        "-q",
        "-p",
        "prof",
        "curl",
        "-v",
        "-q",
        "-p",
        "--verbose",
        "--store",
        "--config-dir",
        "/api/x",
    ])
    .env("CRMAUTH_CURL", fake.path())
    .env("RECORD", fake.dir.path())
    .ok();
    assert_eq!(
        fake.user_argv(),
        [
            "-v",
            "-q",
            "-p",
            "--verbose",
            "--store",
            "--config-dir",
            "https://crm.example/api/x"
        ]
    );
    assert_eq!(fake.header(1), "Authorization: Bearer other-key\n");
}

#[test]
fn option_values_and_absolute_urls_stay_and_each_operation_gets_the_header() {
    let env = with_key(Store::File);
    let fake = FakeCurl::new();
    env.curl(
        &fake,
        &[
            "-q",
            "-o",
            "/tmp/out",
            "/a",
            "http://127.0.0.1:9/b",
            "--next",
            "/c",
        ],
    )
    .ok();
    let argv = fake.argv();
    assert_eq!(argv[0], "-q", "curl honours -q only as its first argument");
    assert_eq!(
        fake.user_argv(),
        [
            "-q",
            "-o",
            "/tmp/out",
            "http://127.0.0.1:9/base/a",
            "http://127.0.0.1:9/b",
            "--next",
            "http://127.0.0.1:9/base/c",
        ]
    );
    let bearer = format!("Authorization: Bearer {KEY}\n");
    assert_eq!(fake.header(1), bearer);
    assert_eq!(fake.header(2), bearer);
}

#[test]
fn the_credential_goes_only_to_the_profiles_origin() {
    let env = with_key(Store::File);
    let fake = FakeCurl::new();
    // Another host, port or scheme, in the first operation or after --next.
    for url in [
        "http://127.0.0.2:9/base/x",
        "http://127.0.0.1:10/base/x",
        "https://127.0.0.1:9/base/x",
        "http://localhost:9/base/x",
        "https://crm.example.com/y",
    ] {
        env.curl(&fake, &["-sS", url])
            .code(2)
            .stderr_has("not the profile's origin http://127.0.0.1:9")
            .stderr_lines_at_most(2);
        env.curl(&fake, &["/a", "--next", "--url", url]).code(2);
        env.curl(&fake, &["/a", "-:", "-s", url]).code(2);
    }
    // Query and fragment may hold secrets: the message leaves them out.
    env.curl(&fake, &["http://127.0.0.2:9/x?api_key=s3cret#frag"])
        .code(2)
        .stderr_has("'http://127.0.0.2:9/x'")
        .stderr_lacks("s3cret")
        .stderr_lacks("frag");
    assert!(!fake.dir.path().join("argv").exists(), "curl ran");
    // The profile's own origin, in any spelling curl reads the same, and
    // option values that are not URLs, are fine.
    env.curl(
        &fake,
        &[
            "-e",
            "http://127.0.0.2/",
            "HTTP://127.0.0.1:9/x",
            "--next",
            "http://127.0.0.1:9/a/../y",
        ],
    )
    .ok();
    assert_eq!(
        fake.user_argv(),
        [
            "-e",
            "http://127.0.0.2/",
            "http://127.0.0.1:9/x",
            "--next",
            "http://127.0.0.1:9/y"
        ]
    );
}

#[test]
fn urls_curl_would_read_differently_are_refused() {
    let env = with_key(Store::File);
    let fake = FakeCurl::new();
    for url in [
        // curl reads `127.0.0.1\` as a user name and connects to 127.0.0.2.
        "http://127.0.0.1:9\\@127.0.0.2:9/",
        "http://127.0.0.1:9\\/x",
        "http://user@127.0.0.1:9/x",
        "http://127.0.0.2@127.0.0.1:9/x",
        // Globs: curl expands them into other URLs.
        "http://127.0.0.1:9/[1-2]",
        "http://127.0.0.1:9/{a,b}",
        // Schemes that are not http(s): curl would send the header there too.
        "rtsp://127.0.0.1:9/",
        "gopher://127.0.0.1:9/",
        // A trailing dot is looked up in DNS; short IPv4 forms; no scheme.
        "http://localhost.:9/",
        "http://127.0.0.1.:9/",
        "http://127.1:9/",
        "127.0.0.1:9/x",
        "http://127.0.0.1:9 /x",
    ] {
        env.curl(&fake, &["-s", url])
            .code(2)
            .stderr_has("refusing")
            .stderr_lines_at_most(2);
    }
    env.curl(&fake, &["-K", "/dev/null", "/a"])
        .code(2)
        .stderr_has("-K/--config");
    env.curl(&fake, &["/a", "--next", "--config", "/dev/null"])
        .code(2);
    // Options that send the request, or the header, elsewhere than the URL says.
    for (option, value) in [
        ("--connect-to", "127.0.0.1:9:127.0.0.2:9"),
        ("--resolve", "localhost:9:127.0.0.2"),
        ("--doh-url", "https://127.0.0.2/dns-query"),
        ("--dns-servers", "127.0.0.2"),
        ("--unix-socket", "/tmp/sock"),
        ("--location-trusted", "/a"),
    ] {
        env.curl(&fake, &[option, value, "/a"])
            .code(2)
            .stderr_has(&format!("does not take {option}"))
            .stderr_lines_at_most(2);
    }
    assert!(!fake.dir.path().join("argv").exists(), "curl ran");
    // With globbing off (-g, also in a cluster), brackets are only characters.
    env.curl(&fake, &["-sg", "/[1-2]"]).ok();
    assert_eq!(fake.user_argv(), ["-sg", "http://127.0.0.1:9/base/[1-2]"]);
}

#[test]
fn the_url_stored_at_login_is_the_checked_one() {
    let env = Env::new(Store::File);
    env.secret(KEY);
    for url in [
        "http://127.0.0.1\\@127.0.0.2:9/",
        "http://localhost./",
        "rtsp://127.0.0.1/",
    ] {
        env.run(&[
            "apikey",
            "set",
            "--key-stdin",
            "--provider",
            "virtuous",
            "--url",
            url,
        ])
        .stdin(&format!("{KEY}\n"))
        .code(2)
        .stderr_has("refusing");
    }
    env.run(&[
        "apikey",
        "set",
        "--key-stdin",
        "--provider",
        "virtuous",
        "--url",
    ])
    .arg("HTTP://LocalHost:9/Base/")
    .stdin(&format!("{KEY}\n"))
    .ok();
    let profiles: serde_json::Value =
        serde_json::from_str(&env.read("profiles.json")).expect("profiles.json");
    assert_eq!(
        profiles["profiles"]["default"]["url"],
        "http://localhost:9/Base"
    );
}

#[test]
fn curl_gets_no_secret_input_variables() {
    let env = with_key(Store::File);
    let fake_dir = tempfile::tempdir().expect("temp dir");
    let script = fake_dir.path().join("curl.sh");
    std::fs::write(&script, "#!/bin/sh\nenv > \"$RECORD/env\"\n").expect("write");
    let status = Command::new("install")
        .args(["-m", "755"])
        .arg(&script)
        .arg(fake_dir.path().join("curl"))
        .status()
        .expect("install");
    assert!(status.success());
    let mut run = env
        .run(&["curl", "/api/x"])
        .env("CRMAUTH_CURL", fake_dir.path().join("curl"))
        .env("RECORD", fake_dir.path())
        .env("KEEP_ME", "visible");
    for name in [
        "CRMAUTH_PASSWORD",
        "CRMAUTH_CLIENT_SECRET",
        "CRMAUTH_API_KEY",
        "CRMAUTH_OTP",
    ] {
        run = run.env(name, format!("secret-input-{name}"));
    }
    run.ok();
    let seen = std::fs::read_to_string(fake_dir.path().join("env")).expect("env recorded");
    assert!(!seen.contains("secret-input-"), "curl saw:\n{seen}");
    assert!(seen.contains("KEEP_ME=visible"), "curl saw:\n{seen}");
}

#[test]
fn the_ca_crmauth_trusts_is_passed_to_curl() {
    let env = with_key(Store::File);
    let fake = FakeCurl::new();
    let ca = env.path("private-ca.pem");
    std::fs::write(&ca, "-----BEGIN CERTIFICATE-----\n").expect("write");
    let ca = ca.to_str().expect("utf-8");
    env.run(&["--cacert", ca, "curl", "-q", "/a"])
        .env("CRMAUTH_CURL", fake.path())
        .env("RECORD", fake.dir.path())
        .ok();
    assert_eq!(
        fake.user_argv(),
        ["-q", "--cacert", ca, "http://127.0.0.1:9/base/a"]
    );
    env.curl(&fake, &["/b"]).env("CRMAUTH_CA_BUNDLE", ca).ok();
    assert_eq!(
        fake.user_argv(),
        ["--cacert", ca, "http://127.0.0.1:9/base/b"]
    );
    env.curl(&fake, &["/c"])
        .env("CRMAUTH_CA_BUNDLE", env.path("missing.pem"))
        .code(2)
        .stderr_has("missing.pem");
}

#[test]
fn curls_exit_code_and_death_by_signal_pass_through() {
    let env = with_key(Store::File);
    let fake = FakeCurl::new();
    env.curl(&fake, &["/api/x"]).env("FAKE_EXIT", "22").code(22);

    let output = Command::new(env!("CARGO_BIN_EXE_crmauth"))
        .args(["curl", "/api/x"])
        .env("CRMAUTH_CONFIG_DIR", env.config_dir())
        .env("CRMAUTH_STORE", "file")
        .env_remove("CRMAUTH_PROFILE")
        .env("CRMAUTH_CURL", fake.path())
        .env("RECORD", fake.dir.path())
        .env("FAKE_SIGNAL", "TERM")
        .output()
        .expect("run crmauth");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(output.status.signal(), Some(15), "{:?}", output.status);
}

#[test]
fn a_missing_curl_or_credential_is_a_clear_error() {
    let env = with_key(Store::File);
    env.run(&["curl", "/api/x"])
        .env("CRMAUTH_CURL", "/nonexistent/curl")
        .code(1)
        .stderr_has("CRMAUTH_CURL is /nonexistent/curl, which is not an executable file")
        .stderr_lines_at_most(2);
    let empty = tempfile::tempdir().expect("temp dir");
    env.run(&["curl", "/api/x"])
        .env("PATH", empty.path())
        .code(1)
        .stderr_has("cannot find curl on PATH")
        .stderr_lines_at_most(2);
    let fake = FakeCurl::new();
    env.run(&["-p", "nobody", "curl", "/api/x"])
        .env("CRMAUTH_CURL", fake.path())
        .env("RECORD", fake.dir.path())
        .code(3);
    assert!(!fake.dir.path().join("argv").exists(), "curl must not run");
}

fn echo_server() -> FakeServer {
    FakeServer::start_fn(|request| {
        let auth = request.header("authorization").unwrap_or("none");
        FakeResponse::text(
            200,
            &format!("{} {} saw {}", request.method, request.path, auth),
        )
    })
}

#[test]
fn the_real_curl_sends_the_header_to_the_server() {
    let server = echo_server();
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&[
        "apikey",
        "set",
        "--key-stdin",
        "--provider",
        "virtuous",
        "--url",
        &server.url(),
    ])
    .stdin(&format!("{KEY}\n"))
    .ok();
    env.run(&["curl", "-sS", "-d", "@-", "/api/echo"])
        .stdin("hello")
        .reveals()
        .ok()
        .stdout_is(&format!("POST /api/echo saw Bearer {KEY}"));
    let request = server.last_request().expect("a request");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.body_str(), "hello");

    let server = echo_server();
    let env = with_vertical_token(&format!("{}/", server.url()));
    env.run(&["curl", "-sS", "/api/echo"])
        .reveals()
        .ok()
        .stdout_is(&format!("GET /api/echo saw {AUTH_TOKEN}"));
}

#[test]
fn a_virto_api_key_reaches_the_platform_in_its_api_key_header() {
    let platform = support::FakeVirto::start();
    platform.add_user("admin", "unused-password");
    platform.add_api_key("admin", KEY);
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&[
        "apikey",
        "set",
        "--provider",
        "virto",
        "--url",
        &platform.url(),
        "--key-stdin",
    ])
    .stdin(KEY)
    .ok();
    env.run(&[
        "curl",
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "/api/platform/profiles/currentuser",
    ])
    .ok()
    .stdout_is("200");
    let request = platform.last_request().expect("a request");
    assert_eq!(request.header("api_key"), Some(KEY));
    assert_eq!(request.header("authorization"), None);
    // curl would hand a custom header to every host a redirect names.
    env.run(&["curl", "-sSL", "/api/platform/profiles/currentuser"])
        .code(2)
        .stderr_has("-L/--location");
    env.run(&["curl", "--location", "/api/platform/profiles/currentuser"])
        .code(2);
}

/// Every `/proc/PID/cmdline` this user can read, and whether one holds `part`.
fn cmdlines_containing(part: &str) -> (bool, Vec<String>) {
    let mut seen = Vec::new();
    let mut found = false;
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(bytes) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let line = String::from_utf8_lossy(&bytes).replace('\0', " ");
        found |= line.contains(part);
        seen.push(line);
    }
    (found, seen)
}

#[test]
fn no_command_line_holds_the_token_while_curl_runs() {
    let env = with_key(Store::File);
    let fake = FakeCurl::new();
    let marker = fake.path().display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_crmauth"))
        .args(["curl", "-s", "/api/slow"])
        .env("CRMAUTH_CONFIG_DIR", env.config_dir())
        .env("CRMAUTH_STORE", "file")
        .env_remove("CRMAUTH_PROFILE")
        .env("CRMAUTH_CURL", fake.path())
        .env("RECORD", fake.dir.path())
        .env("FAKE_SLEEP", "2")
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("run crmauth");
    let started = Instant::now();
    let mut saw_curl = false;
    while child.try_wait().expect("wait").is_none() {
        let (leaked, lines) = cmdlines_containing(KEY);
        assert!(!leaked, "a command line holds the token");
        saw_curl |= lines.iter().any(|line| line.contains(&marker));
        assert!(started.elapsed() < Duration::from_secs(20), "curl hangs");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(saw_curl, "the scan never saw curl running");
    assert_eq!(fake.header(1), format!("Authorization: Bearer {KEY}\n"));
}
