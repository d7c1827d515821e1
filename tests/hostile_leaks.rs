//! The leak paths a hostile review found (issue 13): proxies for loopback,
//! secrets echoed by a server, terminal escapes in server data, core dumps
//! and `/proc/PID/*` of a process holding a password, and a config dir that
//! someone else could write. (Origin binding, URLs curl reads differently and
//! curl's environment are in tests/curl.rs.) Linux only: `/proc`, `chown`,
//! core dumps.
#![cfg(target_os = "linux")]

mod support;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use support::crmauth::{Env, Store};
use support::raw::read_head;
use support::vertical::GENERATE_PATH;
use support::{FakeResponse, FakeServer};

const PASSWORD: &str = "leak-test-pw-7f3a9c";
const CLIENT_SECRET: &str = "leak-test-client-secret-41d2";
const KEY: &str = "vk_live_leaks_0123456789abcdef";

/// Every proxy variable curl or ureq reads, so that each run sets only its own.
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

/// A proxy that counts the connections it gets and fails each of them.
struct CountingProxy {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl CountingProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || refuse(client));
            }
        });
        Self { port, connections }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn refuse(mut client: TcpStream) {
    let _ = read_head(&client);
    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
}

/// A Vertical CRM fake that accepts [`PASSWORD`] and answers `RESULT=TRUE`.
fn vertical() -> support::FakeVertical {
    let server = support::FakeVertical::start();
    server.add_user("admin@example.com", PASSWORD);
    server
}

#[test]
fn loopback_never_goes_through_a_proxy() {
    let proxy = CountingProxy::start();
    let server = vertical();
    let cases: &[(&str, Option<&str>)] = &[
        ("HTTPS_PROXY", None),
        ("HTTP_PROXY", None),
        ("http_proxy", None),
        ("ALL_PROXY", None),
        // NO_PROXY names localhost, the URL says 127.0.0.1.
        ("HTTPS_PROXY", Some("localhost")),
        ("http_proxy", Some("example.com")),
    ];
    for (variable, no_proxy) in cases {
        let env = Env::new(Store::File);
        env.secret(PASSWORD);
        let mut run = env
            .run(&[
                "authtoken",
                "generate",
                "--url",
                &server.url(),
                "--username",
                "admin@example.com",
                "--password-stdin",
            ])
            .stdin(&format!("{PASSWORD}\n"));
        for name in PROXY_VARS {
            run = run.env_remove(name);
        }
        run = run.env(variable, proxy.url());
        if let Some(no_proxy) = no_proxy {
            run = run.env("NO_PROXY", no_proxy);
        }
        run.ok();
        assert_eq!(
            proxy.count(),
            0,
            "{variable} (NO_PROXY={no_proxy:?}) sent the password through the proxy"
        );
    }
    assert_eq!(server.requests_to(GENERATE_PATH).len(), cases.len());

    // The real curl, which proxies even loopback when http_proxy is set.
    let echo = FakeServer::start_fn(|request| {
        FakeResponse::text(200, &format!("{} reached the server", request.path))
    });
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&[
        "apikey",
        "set",
        "--key-stdin",
        "--provider",
        "virtuous",
        "--url",
        &echo.url(),
    ])
    .stdin(&format!("{KEY}\n"))
    .ok();
    for variable in ["http_proxy", "ALL_PROXY", "all_proxy"] {
        let mut run = env.run(&["curl", "-sS", "/api/x"]);
        for name in PROXY_VARS {
            run = run.env_remove(name);
        }
        run.env(variable, proxy.url())
            .ok()
            .stdout_is("/api/x reached the server");
        assert_eq!(proxy.count(), 0, "curl used {variable} for loopback");
    }
}

#[test]
fn secrets_a_server_echoes_are_redacted() {
    // An OAuth server that quotes the password and the client secret back.
    let oauth = FakeServer::start_fn(|request| {
        let echo = format!(
            "wrong password {} for client secret {}",
            request.form_value("password").unwrap_or_default(),
            request.form_value("client_secret").unwrap_or_default()
        );
        match request.form_value("username") {
            Some("limited") => FakeResponse::text(429, "slow down").with_header(
                "Retry-After",
                request.form_value("password").unwrap_or_default(),
            ),
            _ => FakeResponse::json(
                400,
                &serde_json::json!({"error": "invalid_grant", "error_description": echo}),
            ),
        }
    });
    let env = Env::new(Store::File);
    env.secret(PASSWORD).secret(CLIENT_SECRET);
    let login = |user: &str| {
        env.run(&[
            "login",
            "--provider",
            "virto",
            "--url",
            &oauth.url(),
            "--username",
            user,
            "--client-id",
            "reporting",
        ])
        .env("CRMAUTH_PASSWORD", PASSWORD)
        .env("CRMAUTH_CLIENT_SECRET", CLIENT_SECRET)
    };
    login("ann")
        .code(4)
        .stderr_has("wrong password [redacted] for client secret [redacted]");
    login("limited")
        .code(5)
        .stderr_has("retry after [redacted]");

    // A Vertical server that puts the password into CAUSE.
    let vertical = FakeServer::start_fn(|request| {
        let password = request.query_value("PASSWORD").unwrap_or_default();
        FakeResponse::text(200, &format!("#\nCAUSE=BAD_{password}\nRESULT=FALSE\n"))
    });
    env.run(&[
        "-p",
        "v",
        "authtoken",
        "generate",
        "--url",
        &vertical.url(),
        "--username",
        "admin@example.com",
        "--password-stdin",
    ])
    .stdin(&format!("{PASSWORD}\n"))
    .code(4)
    .stderr_has("BAD_[redacted]");
}

/// An unsigned JWT with these claims.
fn jwt(claims: &serde_json::Value) -> String {
    let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    format!(
        "{}.{}.{}",
        encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        encode(claims.to_string().as_bytes()),
        encode(b"signature")
    )
}

/// A Virto profile `v` whose stored token, user name and scopes hold what a
/// hostile server sent, written the way the file store keeps them.
fn with_hostile_token(env: &Env, user: &str, scope: &str, claims: &serde_json::Value) -> String {
    let token = jwt(claims);
    let info = serde_json::json!({
        "kind": "oauth_password",
        "obtained_at": "2026-01-02T03:04:05Z",
        "expires_at": "2099-01-01T00:00:00Z",
        "refresh_expires_at": null,
        "scopes": [scope],
        "has_refresh_token": false,
    });
    let profiles = serde_json::json!({
        "default": "v",
        "profiles": {"v": {
            "provider": "virto",
            "url": "http://127.0.0.1:9",
            "user": user,
            "allow_http": false,
            "credential": info,
        }},
    });
    let mut record = info.clone();
    record["access_token"] = token.clone().into();
    let credentials = serde_json::json!({"credentials": {"v": record}});
    for (file, value) in [
        ("profiles.json", profiles),
        ("credentials.json", credentials),
    ] {
        let path = env.path(file);
        std::fs::write(&path, value.to_string()).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    token
}

#[test]
fn whoami_prints_no_terminal_escapes_from_server_data() {
    let env = Env::new(Store::File);
    let claims = serde_json::json!({
        "sub": "ann\u{1b}]0;pwned\u{7}",
        "role": "x\r\nkind          api_key",
        "name": "\u{1b}[2J\u{1b}[Hcleared",
        "exp": 4_070_908_800_u64,
    });
    let token = with_hostile_token(&env, "ann\u{1b}[31m", "read\u{9b}31m\u{8}", &claims);
    env.secret(&token);
    let text = env.run(&["whoami"]).ok().stdout;
    assert!(
        !text.contains(|c: char| c.is_control() && c != '\n'),
        "control characters in:\n{text:?}"
    );
    assert!(text.contains("pwned") && text.contains("cleared"), "{text}");
    assert_eq!(
        text.lines().filter(|line| line.starts_with("kind")).count(),
        1,
        "a forged row:\n{text}"
    );
    // JSON keeps the values, escaped.
    let json = env.run(&["whoami", "--json"]).ok();
    assert!(!json.stdout.contains('\u{1b}'));
    assert_eq!(json.json()["jwt_claims"]["sub"], "ann\u{1b}]0;pwned\u{7}");
    assert_eq!(json.json()["user"], "ann\u{1b}[31m");
}

/// Runs `command` with an unlimited core size, as someone debugging would.
fn allow_core_dumps(command: &mut Command) {
    // SAFETY: only setrlimit, which is async-signal-safe, between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let unlimited = libc::rlimit {
                rlim_cur: libc::RLIM_INFINITY,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_CORE, &unlimited) != 0 {
                let mut current = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::getrlimit(libc::RLIMIT_CORE, &mut current);
                current.rlim_cur = current.rlim_max;
                libc::setrlimit(libc::RLIMIT_CORE, &current);
            }
            Ok(())
        });
    }
}

/// Why this machine would not write a core file of an aborted process in
/// `dir`, or `None` when it would (checked with a plain `sh`).
fn no_core_dumps_here(dir: &std::path::Path, uid: Option<u32>) -> Option<String> {
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_default();
    if pattern.starts_with('|') || pattern.contains('/') {
        return Some(format!(
            "core_pattern is {:?}, not a file in the cwd",
            pattern.trim()
        ));
    }
    let mut control = Command::new("sh");
    control.args(["-c", "kill -ABRT $$"]).current_dir(dir);
    if let Some(uid) = uid {
        control.uid(uid).gid(uid);
    }
    allow_core_dumps(&mut control);
    let status = control.status().expect("run sh");
    let cores: Vec<_> = std::fs::read_dir(dir).expect("dir").flatten().collect();
    for core in &cores {
        let _ = std::fs::remove_file(core.path());
    }
    if !status.core_dumped() || cores.is_empty() {
        return Some("an aborted sh leaves no core file here either".to_string());
    }
    None
}

#[test]
fn a_process_holding_a_password_is_undumpable() {
    // The token endpoint never answers: crmauth holds the password meanwhile.
    let server = FakeServer::start_fn(|_| FakeResponse::empty(500));
    server.hang("/connect/token");
    let base = tempfile::tempdir().expect("temp dir");
    let config = base.path().join("config");
    let cores = base.path().join("cores");
    std::fs::create_dir(&config).expect("mkdir");
    std::fs::create_dir(&cores).expect("mkdir");
    std::fs::set_permissions(&cores, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    // As root, crmauth runs as another user: root may read any /proc/PID/*,
    // and the ownership of /proc/PID/* is what tells dumpable from not.
    // SAFETY: geteuid has no arguments and cannot fail.
    let me = unsafe { libc::geteuid() };
    let run_as = (me == 0).then_some(65534);
    if let Some(uid) = run_as {
        std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        std::os::unix::fs::chown(&config, Some(uid), Some(uid)).expect("chown");
    }
    let uid = run_as.unwrap_or(me);
    let core_skip = no_core_dumps_here(&cores, run_as);
    // The other user may not be able to reach the build dir (a checkout in
    // /root): it runs a copy.
    let binary = match run_as {
        Some(_) => {
            let copy = base.path().join("crmauth");
            // Copied by another process, so that no write descriptor of this
            // multi-threaded test process can make executing it fail (ETXTBSY).
            let status = Command::new("install")
                .args(["-m", "755", env!("CARGO_BIN_EXE_crmauth")])
                .arg(&copy)
                .status()
                .expect("run install");
            assert!(status.success(), "install crmauth: {status:?}");
            copy
        }
        None => std::path::PathBuf::from(env!("CARGO_BIN_EXE_crmauth")),
    };

    let mut command = Command::new(&binary);
    command
        .args(["--timeout", "60", "login", "--provider", "virto"])
        .args(["--url", &server.url(), "--username", "ann"])
        .env_clear()
        .env("CRMAUTH_CONFIG_DIR", &config)
        .env("CRMAUTH_STORE", "file")
        .env("CRMAUTH_PASSWORD", PASSWORD)
        .current_dir(&cores)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(uid) = run_as {
        command.uid(uid).gid(uid);
    }
    allow_core_dumps(&mut command);
    let mut child = command.spawn().expect("run crmauth");
    let started = Instant::now();
    while server.requests_to("/connect/token").is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the login never reached the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let proc_dir = format!("/proc/{}", child.id());
    let environ = std::fs::metadata(format!("{proc_dir}/environ")).expect("stat environ");
    // SAFETY: kill with a pid this test started and has not reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGABRT);
    }
    let status = child.wait().expect("wait");

    assert_ne!(
        environ.uid(),
        uid,
        "/proc/PID/environ of crmauth (uid {uid}) is its own: the process is dumpable"
    );
    assert_eq!(status.signal(), Some(libc::SIGABRT), "{status:?}");
    assert!(!status.core_dumped(), "crmauth dumped core");
    match core_skip {
        Some(reason) => eprintln!("core file check skipped: {reason}"),
        None => {
            let left: Vec<_> = std::fs::read_dir(&cores).expect("dir").flatten().collect();
            assert!(left.is_empty(), "core files left: {left:?}");
        }
    }
}

#[test]
fn a_config_dir_others_can_write_is_not_trusted() {
    let env = Env::new(Store::File);
    env.secret(KEY);
    env.run(&[
        "apikey",
        "set",
        "--key-stdin",
        "--url",
        "https://crm.example.com",
    ])
    .arg("--provider")
    .arg("virtuous")
    .stdin(&format!("{KEY}\n"))
    .ok();
    let dir = env.config_dir();
    let profiles = env.path("profiles.json");
    let chmod = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };

    chmod(dir, 0o770);
    env.run(&["token"])
        .code(1)
        .stderr_has(&dir.display().to_string())
        .stderr_has("can be written by group or others (mode 770)")
        .stderr_has(&format!("chmod go-w {}", dir.display()))
        .stderr_lines_at_most(2);
    chmod(dir, 0o700);

    chmod(&profiles, 0o646);
    env.run(&["profiles"])
        .code(1)
        .stderr_has(&format!("chmod go-w {}", profiles.display()));
    chmod(&profiles, 0o644);
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{KEY}\n"));

    // SAFETY: geteuid has no arguments and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("ownership check skipped: only root can give a file to another user");
        return;
    }
    for path in [profiles.as_path(), &env.path("credentials.json"), dir] {
        std::os::unix::fs::chown(path, Some(65534), None).expect("chown");
        env.run(&["token"])
            .code(1)
            .stderr_has(&path.display().to_string())
            .stderr_has("belongs to another user (uid 65534")
            .stderr_has("chown 0 ");
        std::os::unix::fs::chown(path, Some(0), None).expect("chown");
    }
    env.run(&["token"]).reveals().ok();
}

#[test]
fn lock_files_are_private() {
    let env = Env::new(Store::File);
    env.secret(KEY);
    let locks = env.path("locks");
    std::fs::create_dir_all(&locks).expect("mkdir");
    // One left by an older crmauth.
    std::fs::write(locks.join("default.lock"), "").expect("write");
    std::fs::set_permissions(
        locks.join("default.lock"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    env.run(&["apikey", "set", "--key-stdin", "--provider", "virtuous"])
        .stdin(&format!("{KEY}\n"))
        .ok();
    for lock in ["locks/default.lock", "profiles.lock", "credentials.lock"] {
        let mode = std::fs::metadata(env.path(lock)).expect(lock).mode() & 0o777;
        assert_eq!(mode, 0o600, "{lock} has mode {mode:o}");
    }
}

#[test]
fn profile_names_from_profiles_json_are_checked_like_p() {
    let env = Env::new(Store::File);
    let outside = format!("leak-{}", support::server::random_hex(12));
    let name = format!("../../{outside}");
    let profiles = serde_json::json!({
        "default": name,
        "profiles": {name.clone(): {
            "provider": "virtuous",
            "url": "https://crm.example.com",
            "credential": {
                "kind": "api_key",
                "obtained_at": "2026-01-02T03:04:05Z",
                "expires_at": null,
                "refresh_expires_at": null,
                "scopes": [],
                "has_refresh_token": false,
            },
        }},
    });
    std::fs::write(env.path("profiles.json"), profiles.to_string()).expect("write");
    std::fs::set_permissions(
        env.path("profiles.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let escaped = env.config_dir().join("locks").join(format!("{name}.lock"));
    for args in [&["logout"][..], &["token"], &["profiles"]] {
        env.run(args)
            .code(2)
            .stderr_has("profiles.json names a profile '../../leak-")
            .stderr_lines_at_most(2);
    }
    let leaked = escaped.exists();
    let _ = std::fs::remove_file(&escaped);
    assert!(
        !leaked,
        "a lock file was created outside the config dir: {}",
        escaped.display()
    );
}

/// How often `needle` occurs in the writable memory (heap, stacks, data) of
/// process `pid`; `None` when this process may not read it (the process is
/// undumpable: only root with CAP_SYS_PTRACE may).
fn occurrences_in_memory(pid: u32, needle: &[u8]) -> Option<usize> {
    use std::os::unix::fs::FileExt;
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).ok()?;
    let mem = std::fs::File::open(format!("/proc/{pid}/mem")).ok()?;
    let mut count = 0;
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !perms.starts_with("rw") {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        let mut region = vec![0; usize::try_from(end - start).expect("size")];
        if mem.read_exact_at(&mut region, start).is_ok() {
            count += region
                .windows(needle.len())
                .filter(|window| *window == needle)
                .count();
        }
    }
    Some(count)
}

#[test]
fn the_stdin_buffer_keeps_no_copy_of_the_password() {
    // SAFETY: geteuid has no arguments and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: only root may read the memory of an undumpable process");
        return;
    }
    let server = FakeServer::start_fn(|_| FakeResponse::empty(500));
    server.hang("/connect/token");
    let env = Env::new(Store::File);
    let password = format!("mem-scan-pw-{}", support::server::random_hex(16));
    let mut child = Command::new(env!("CARGO_BIN_EXE_crmauth"))
        .args(["--timeout", "60", "login", "--provider", "virto"])
        .args([
            "--url",
            &server.url(),
            "--username",
            "ann",
            "--password-stdin",
        ])
        .env_clear()
        .env("CRMAUTH_CONFIG_DIR", env.config_dir())
        .env("CRMAUTH_STORE", "file")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run crmauth");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{password}\n").as_bytes())
        .expect("write stdin");
    drop(stdin);
    let started = Instant::now();
    while server.requests_to("/connect/token").is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the login never reached the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The bytes as they came in on stdin (with the newline) are only ever
    // in the read buffer; the password itself is in use.
    let as_read = occurrences_in_memory(child.id(), format!("{password}\n").as_bytes());
    let in_use = occurrences_in_memory(child.id(), password.as_bytes());
    let _ = child.kill();
    let _ = child.wait();
    let (Some(as_read), Some(in_use)) = (as_read, in_use) else {
        eprintln!("skipped: /proc/PID/mem is not readable here (no CAP_SYS_PTRACE?)");
        return;
    };
    assert!(in_use > 0, "the scan did not find the password in use");
    assert_eq!(as_read, 0, "a copy of the stdin buffer is left in memory");
}
