//! Hostile network conditions on every Vertical request (`authtoken generate`,
//! `authtoken delete`, `whoami --verify`): each ends with exit 5 (or 2 for a
//! usage mistake), one clear error line (plus at most a help line), and the
//! stored credential byte-identical afterwards.

mod support;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::FakeResponse;
use support::crmauth::{Env, Outcome, Store};
use support::raw::{RawServer, read_head};
use support::vertical::{DELETE_PATH, FakeVertical, GENERATE_PATH, USERS_PATH};

const EMAIL: &str = "admin@example.com";
const PASSWORD: &str = "hostile-net-pw";

fn vertical() -> FakeVertical {
    let server = FakeVertical::start();
    server.add_user(EMAIL, PASSWORD);
    server
}

/// `authtoken generate` against `url`.
fn generate(env: &Env, url: &str, extra: &[&str]) -> support::crmauth::Run {
    env.secret(PASSWORD);
    let mut args = vec![
        "authtoken",
        "generate",
        "--url",
        url,
        "--username",
        EMAIL,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    env.run(&args).stdin(&format!("{PASSWORD}\n"))
}

/// An env holding a generated token; returns the stored credential's bytes.
fn with_token(server: &FakeVertical) -> (Env, Vec<u8>) {
    let env = Env::new(Store::File);
    generate(&env, &server.url(), &[]).ok();
    env.secret(&server.last_token().expect("a token was generated"));
    let stored = std::fs::read(env.path("credentials.json")).expect("credentials.json");
    (env, stored)
}

fn unchanged(env: &Env, stored: &[u8]) {
    let now = std::fs::read(env.path("credentials.json")).expect("credentials.json");
    assert_eq!(now, stored, "the stored credential changed");
}

/// Runs `answer` for generate, delete and verify; each must exit `code`, say
/// `expect` in one clear line, and leave the stored token as it was.
fn every_request(answer: FakeResponse, code: i32, expect: &str) {
    // generate: nothing is stored.
    let server = vertical();
    server.fail_always(GENERATE_PATH, answer.clone());
    let env = Env::new(Store::File);
    generate(&env, &server.url(), &[])
        .code(code)
        .stderr_has(expect)
        .stderr_lines_at_most(2);
    assert!(!env.path("credentials.json").exists());

    // delete and verify: the stored token survives untouched.
    for (path, args) in [
        (DELETE_PATH, &["authtoken", "delete"][..]),
        (USERS_PATH, &["whoami", "--verify"][..]),
    ] {
        let server = vertical();
        let (env, stored) = with_token(&server);
        server.fail_always(path, answer.clone());
        env.run(args)
            .code(code)
            .stderr_has(expect)
            .stderr_lines_at_most(2);
        unchanged(&env, &stored);
    }
}

fn stderr_is_short(outcome: &Outcome) {
    assert!(outcome.stderr.lines().count() <= 2, "{}", outcome.stderr);
}

#[test]
fn connection_refused_is_exit_5() {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let env = Env::new(Store::File);
    generate(&env, &format!("http://127.0.0.1:{port}"), &[])
        .code(5)
        .stderr_has("connection refused")
        .stderr_lines_at_most(2);
}

#[test]
fn dns_failure_is_exit_5() {
    let env = Env::new(Store::File);
    let outcome = generate(&env, "https://nonexistent.invalid", &[]).code(5);
    stderr_is_short(&outcome);
    assert!(
        outcome.stderr.contains("host not found") || outcome.stderr.contains("connection failed"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_hanging_server_times_out_after_timeout() {
    let server = vertical();
    let (env, stored) = with_token(&server);
    server.hang(USERS_PATH);
    let started = Instant::now();
    env.run(&["--timeout", "1", "whoami", "--verify"])
        .code(5)
        .stderr_has("timed out after 1 s")
        .stderr_lines_at_most(2);
    // Far below the 30 s default either way; Wine adds a second or two of
    // process start-up on a busy machine.
    let bound = Duration::from_secs(if cfg!(windows) { 6 } else { 3 });
    assert!(started.elapsed() < bound, "{:?}", started.elapsed());
    unchanged(&env, &stored);
    let env = Env::new(Store::File);
    server.hang(GENERATE_PATH);
    generate(&env, &server.url(), &[])
        .env("CRMAUTH_TIMEOUT", "1")
        .code(5)
        .stderr_has("timed out");
}

#[test]
fn a_connection_closed_mid_answer_is_exit_5() {
    let raw = RawServer::start(|_| {
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nRESULT=TR"
            .to_vec()
    });
    let env = Env::new(Store::File);
    generate(&env, &raw.url(), &[])
        .code(5)
        .stderr_has("closed before the answer was complete")
        .stderr_lines_at_most(2);
    assert!(!env.path("credentials.json").exists());
}

#[test]
fn server_errors_are_exit_5_naming_the_status() {
    for status in [500, 502, 503] {
        every_request(
            FakeResponse::proxy_error_page(status),
            5,
            &format!("HTTP {status}"),
        );
    }
}

#[test]
fn too_many_requests_shows_retry_after() {
    every_request(FakeResponse::too_many_requests(42), 5, "retry after 42");
}

#[test]
fn html_empty_and_mislabelled_answers_are_exit_5() {
    every_request(
        FakeResponse::html(200, "<html><body>Welcome</body></html>"),
        5,
        "error:",
    );
    // An empty body is not the documented properties answer, but for verify
    // "2xx: valid" (a 204 No Content, say).
    let server = vertical();
    server.fail_always(GENERATE_PATH, FakeResponse::empty(200));
    generate(&Env::new(Store::File), &server.url(), &[])
        .code(5)
        .stderr_has("empty");
    let server = vertical();
    let (env, stored) = with_token(&server);
    server.fail_always(DELETE_PATH, FakeResponse::empty(200));
    env.run(&["authtoken", "delete"]).code(5);
    unchanged(&env, &stored);
    server.fail_always(USERS_PATH, FakeResponse::empty(204));
    env.run(&["whoami", "--verify"]).ok();
    every_request(
        FakeResponse::raw(200, "image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
        5,
        "error:",
    );
}

#[test]
fn an_answer_over_1_mib_is_refused() {
    every_request(
        FakeResponse::large(200, 2 * 1024 * 1024),
        5,
        "larger than 1 MiB",
    );
    every_request(
        FakeResponse::large(200, 2 * 1024 * 1024).chunked(),
        5,
        "larger than 1 MiB",
    );
}

#[test]
fn a_gzip_bomb_is_refused_without_inflating_it() {
    let bomb = {
        use std::io::Write as _;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        for _ in 0..64 {
            gzip.write_all(&[0; 1_000_000]).expect("gzip");
        }
        gzip.finish().expect("gzip")
    };
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let answer = FakeResponse::raw(200, "text/plain", bomb).with_header("Content-Encoding", "gzip");
    let server = vertical();
    server.fail_always(GENERATE_PATH, answer);
    let env = Env::new(Store::File);
    let outcome = generate(&env, &server.url(), &[]).code(5);
    stderr_is_short(&outcome);
    assert!(
        outcome.stderr.contains("larger than 1 MiB"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_redirect_is_not_followed() {
    let elsewhere = vertical();
    let server = vertical();
    let target = elsewhere.url_for(GENERATE_PATH);
    server.fail_always(GENERATE_PATH, FakeResponse::redirect(302, &target));
    let env = Env::new(Store::File);
    generate(&env, &server.url(), &[])
        .code(5)
        .stderr_has("HTTP 302")
        .stderr_lines_at_most(2);
    assert_eq!(elsewhere.request_count(), 0, "the redirect was followed");

    let server = vertical();
    let (env, stored) = with_token(&server);
    for path in [DELETE_PATH, USERS_PATH] {
        server.fail_always(path, FakeResponse::redirect(307, &elsewhere.url_for(path)));
    }
    env.run(&["whoami", "--verify"])
        .code(5)
        .stderr_has("HTTP 307");
    env.run(&["authtoken", "delete"])
        .code(5)
        .stderr_has("HTTP 307");
    assert_eq!(elsewhere.request_count(), 0, "the redirect was followed");
    unchanged(&env, &stored);
}

#[test]
fn a_missing_cacert_file_is_exit_2_naming_it() {
    let server = vertical();
    let env = Env::new(Store::File);
    let missing = env.path("no-such-ca.pem");
    let missing = missing.to_str().expect("utf-8");
    generate(&env, &server.url(), &[])
        .env("CRMAUTH_CA_BUNDLE", missing)
        .code(2)
        .stderr_has(missing)
        .stderr_lines_at_most(2);
    let (env, stored) = with_token(&server);
    env.run(&["--cacert", missing, "whoami", "--verify"])
        .code(2)
        .stderr_has(missing);
    unchanged(&env, &stored);
    assert_eq!(server.requests_to(USERS_PATH).len(), 0);
}

/// A CONNECT proxy: records each CONNECT target and tunnels to `upstream`,
/// whatever host was asked for (so that a made-up host name stands for a
/// remote server while every byte stays on loopback).
struct ConnectProxy {
    port: u16,
    targets: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    fn routing_to(upstream: std::net::SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let targets = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&targets);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || tunnel(client, &seen, upstream));
            }
        });
        Self { port, targets }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn targets(&self) -> Vec<String> {
        self.targets.lock().expect("lock").clone()
    }
}

fn tunnel(mut client: TcpStream, seen: &Mutex<Vec<String>>, upstream: std::net::SocketAddr) {
    let head = read_head(&client);
    let mut words = head.split_whitespace();
    if words.next() != Some("CONNECT") {
        let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    let target = words.next().unwrap_or_default().to_string();
    seen.lock().expect("lock").push(target.clone());
    let Ok(upstream) = TcpStream::connect(upstream) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return;
    };
    let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
    let pipe = |mut from: TcpStream, mut to: TcpStream| {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(std::net::Shutdown::Write);
        })
    };
    let up = pipe(
        client.try_clone().expect("clone"),
        upstream.try_clone().expect("clone"),
    );
    let down = pipe(upstream, client);
    let _ = up.join();
    let _ = down.join();
}

#[test]
fn https_proxy_is_honoured_and_no_proxy_bypasses_it() {
    // A non-loopback host (loopback never goes through a proxy) that only
    // the proxy can reach: it tunnels to the fake server.
    let server = vertical();
    let proxy = ConnectProxy::routing_to(server.addr());
    let env = Env::new(Store::File);
    let target = format!("crm.invalid:{}", server.addr().port());
    generate(&env, &format!("http://{target}"), &["--allow-http"])
        .env("HTTPS_PROXY", proxy.url())
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .ok();
    env.secret(&server.last_token().expect("token"));
    assert_eq!(proxy.targets(), vec![target]);

    // Bypassed: the host is looked up directly, and does not exist.
    env.run(&["whoami", "--verify"])
        .env("HTTPS_PROXY", proxy.url())
        .env("NO_PROXY", "crm.invalid")
        .code(5)
        .stderr_has("host not found");
    assert_eq!(
        proxy.targets().len(),
        1,
        "NO_PROXY did not bypass the proxy"
    );
    assert_eq!(server.requests_to(USERS_PATH).len(), 0);
}

/// A throwaway CA and a leaf for 127.0.0.1/localhost signed by it, made
/// with the openssl CLI; returns (ca.pem, leaf.pem, leaf.key).
#[cfg(unix)]
fn make_certs(dir: &std::path::Path) -> (std::path::PathBuf, Vec<u8>, Vec<u8>) {
    let script = r#"set -e
        ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 -subj /CN=crmauth-test-ca 2>/dev/null
        openssl req $ec -keyout leaf.key -out leaf.csr -subj /CN=localhost 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > ext
        openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out leaf.pem -days 2 -extfile ext 2>/dev/null"#;
    let status = std::process::Command::new("bash")
        .args(["-c", script])
        .current_dir(dir)
        .status()
        .expect("openssl");
    assert!(status.success(), "openssl failed");
    let read = |name: &str| std::fs::read(dir.join(name)).expect(name);
    (dir.join("ca.pem"), read("leaf.pem"), read("leaf.key"))
}

#[cfg(unix)]
/// An HTTPS front for `upstream` (plain HTTP): terminates TLS with the given
/// leaf and forwards each request, one per connection.
fn tls_front(upstream: std::net::SocketAddr, cert: &[u8], key: &[u8]) -> String {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert)
        .collect::<Result<_, _>>()
        .expect("leaf.pem");
    let key = PrivateKeyDer::from_pem_slice(key).expect("leaf.key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocols")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let Ok(connection) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match std::io::Read::read(&mut tls, &mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let head = String::from_utf8_lossy(&head)
                    .replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
                let Ok(mut plain) = TcpStream::connect(upstream) else {
                    return;
                };
                let _ = plain.write_all(head.as_bytes());
                let mut answer = Vec::new();
                let _ = std::io::Read::read_to_end(&mut plain, &mut answer);
                let _ = tls.write_all(&answer);
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    format!("https://127.0.0.1:{port}")
}

#[test]
#[cfg(unix)] // makes its certificates with the openssl CLI
fn tls_self_signed_fails_clearly_and_cacert_makes_it_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ca, cert, key) = make_certs(dir.path());
    let server = vertical();
    let url = tls_front(server.addr(), &cert, &key);

    let env = Env::new(Store::File);
    generate(&env, &url, &[])
        .code(5)
        .stderr_has("TLS error")
        .stderr_lines_at_most(2);
    assert_eq!(server.request_count(), 0);
    assert!(!env.path("credentials.json").exists());

    let ca = ca.to_str().expect("utf-8");
    generate(&env, &url, &["--cacert", ca]).ok();
    env.secret(&server.last_token().expect("token"));
    let stored = std::fs::read(env.path("credentials.json")).expect("stored");
    env.run(&["whoami", "--verify"])
        .env("CRMAUTH_CA_BUNDLE", ca)
        .ok();
    env.run(&["whoami", "--verify"])
        .code(5)
        .stderr_has("TLS error");
    unchanged(&env, &stored);
}
