//! Hostile network conditions on every OAuth request: Virtuous and Virto
//! password logins, the Virto client-credentials login, refresh (both
//! providers), `whoami --verify` (both) and Virto `logout --revoke`. Each
//! fault ends with exit 5 and one clear line (plus at most a hint); a failed
//! login stores nothing, and a failed refresh, verify or revoke leaves the
//! stored credential and profile byte-identical.

mod support;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use support::crmauth::{Env, Store};
use support::raw::RawServer;
use support::{FakeResponse, FakeServer, FakeVirto, FakeVirtuous};

const USER: &str = "ann@example.org";
const PASSWORD: &str = "hostile-oauth-pw";
const CLIENT_ID: &str = "reporting";
const CLIENT_SECRET: &str = "hostile-oauth-client-secret";

/// Every path an OAuth request of crmauth goes to.
const PATHS: &[&str] = &[
    "/Token",
    "/api/Organization/Current",
    "/connect/token",
    "/api/platform/profiles/currentuser",
    "/api/platform/security/currentuser",
    "/revoke/token",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Call {
    VirtuousLogin,
    VirtoLogin,
    VirtoClientLogin,
    VirtuousRefresh,
    VirtoRefresh,
    VirtuousVerify,
    VirtoVerify,
    VirtoRevoke,
}

const EVERY_CALL: [Call; 8] = [
    Call::VirtuousLogin,
    Call::VirtoLogin,
    Call::VirtoClientLogin,
    Call::VirtuousRefresh,
    Call::VirtoRefresh,
    Call::VirtuousVerify,
    Call::VirtoVerify,
    Call::VirtoRevoke,
];

/// The calls that read an answer body: RFC 7009 revocation ignores it.
fn calls_reading_a_body() -> impl Iterator<Item = Call> {
    EVERY_CALL
        .into_iter()
        .filter(|call| *call != Call::VirtoRevoke)
}

fn login_args(call: Call, url: &str) -> Vec<String> {
    let mut args = vec!["login", "--url", url, "--provider"];
    match call {
        Call::VirtuousLogin | Call::VirtuousRefresh | Call::VirtuousVerify => {
            args.extend(["virtuous", "--username", USER, "--password-stdin"]);
        }
        Call::VirtoClientLogin => {
            args.extend(["virto", "--client-id", CLIENT_ID, "--client-secret-stdin"]);
        }
        _ => args.extend(["virto", "--username", USER, "--password-stdin"]),
    }
    args.into_iter().map(str::to_string).collect()
}

fn login_stdin(call: Call) -> &'static str {
    match call {
        Call::VirtoClientLogin => CLIENT_SECRET,
        _ => PASSWORD,
    }
}

/// A logged-in profile whose URL now points at `url` (the server "moved" or
/// went bad), with the stored files' bytes.
fn logged_in_then_pointed_at(call: Call, url: &str) -> (Env, Vec<u8>, String) {
    let env = Env::new(Store::File);
    env.secret(PASSWORD).secret(CLIENT_SECRET);
    let virtuous = FakeVirtuous::start();
    virtuous.add_user(USER, PASSWORD);
    let virto = FakeVirto::start();
    virto.add_user(USER, PASSWORD);
    let good = match call {
        Call::VirtuousRefresh | Call::VirtuousVerify => virtuous.url(),
        _ => virto.url(),
    };
    let args = login_args(call, &good);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args).stdin(login_stdin(call)).ok();
    for token in [
        &virtuous.issued_access_tokens(),
        &virtuous.issued_refresh_tokens(),
    ]
    .into_iter()
    .chain([
        &virto.issued_access_tokens(),
        &virto.issued_refresh_tokens(),
    ])
    .flatten()
    {
        env.secret(token);
    }
    let profiles = env.read("profiles.json").replace(&good, url);
    std::fs::write(env.path("profiles.json"), &profiles).expect("write profiles.json");
    let credentials = std::fs::read(env.path("credentials.json")).expect("credentials.json");
    (env, credentials, profiles)
}

fn is_login(call: Call) -> bool {
    matches!(
        call,
        Call::VirtuousLogin | Call::VirtoLogin | Call::VirtoClientLogin
    )
}

/// Runs `call` against `url` (with `global` options first): exit `code`,
/// `expect` on stderr in at most two lines, and nothing stored or changed.
fn call_fails_with(global: &[&str], call: Call, url: &str, code: i32, expect: &str) {
    let context = format!("{call:?} against {url}");
    let (env, before, args) = if is_login(call) {
        let env = Env::new(Store::File);
        env.secret(PASSWORD).secret(CLIENT_SECRET);
        (env, None, login_args(call, url))
    } else {
        let (env, credentials, profiles) = logged_in_then_pointed_at(call, url);
        let args: &[&str] = match call {
            Call::VirtuousRefresh | Call::VirtoRefresh => &["refresh"],
            Call::VirtuousVerify | Call::VirtoVerify => &["whoami", "--verify"],
            _ => &["logout", "--revoke"],
        };
        let args = args.iter().map(|arg| arg.to_string()).collect();
        (env, Some((credentials, profiles)), args)
    };
    let args: Vec<&str> = global
        .iter()
        .copied()
        .chain(args.iter().map(String::as_str))
        .collect();
    let outcome = env.run(&args).stdin(login_stdin(call)).output();
    let stderr = &outcome.stderr;
    assert_eq!(outcome.code, code, "{context}: {stderr}");
    assert!(stderr.contains(expect), "{context}: {stderr}");
    assert!(stderr.lines().count() <= 2, "{context}: {stderr}");
    match before {
        None => {
            assert!(!env.path("credentials.json").exists(), "{context}: stored");
            env.run(&["token"]).code(3);
        }
        Some((credentials, profiles)) => {
            let now = std::fs::read(env.path("credentials.json")).expect("credentials.json");
            assert_eq!(now, credentials, "{context}: the stored credential changed");
            let now = env.read("profiles.json");
            assert_eq!(now, profiles, "{context}: profiles.json changed");
        }
    }
}

fn call_fails(call: Call, url: &str, code: i32, expect: &str) {
    call_fails_with(&[], call, url, code, expect);
}

/// A server answering every OAuth path with `answer`.
fn answering(answer: FakeResponse) -> FakeServer {
    let server = FakeServer::start_fn(|_| FakeResponse::empty(404));
    for path in PATHS {
        server.fail_always(path, answer.clone());
    }
    server
}

fn every_call_reading_a_body(answer: FakeResponse, expect: &str) {
    let server = answering(answer);
    for call in calls_reading_a_body() {
        call_fails(call, &server.url(), 5, expect);
    }
}

#[test]
fn connection_refused_is_exit_5_on_every_call() {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    for call in EVERY_CALL {
        call_fails(
            call,
            &format!("http://127.0.0.1:{port}"),
            5,
            "connection refused",
        );
    }
}

#[test]
fn a_hanging_server_times_out_on_every_call() {
    let server = FakeServer::start_fn(|_| FakeResponse::empty(404));
    for path in PATHS {
        server.hang(path);
    }
    for call in EVERY_CALL {
        let started = Instant::now();
        call_fails_with(
            &["--timeout", "1"],
            call,
            &server.url(),
            5,
            "timed out after 1 s",
        );
        // Far below the 30 s default; Wine adds process start-up time.
        let bound = Duration::from_secs(if cfg!(windows) { 8 } else { 4 });
        assert!(
            started.elapsed() < bound,
            "{call:?} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_connection_closed_mid_answer_is_exit_5_on_every_call() {
    let raw = RawServer::start(|_| {
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{\"access_tok"
            .to_vec()
    });
    for call in EVERY_CALL {
        call_fails(call, &raw.url(), 5, "closed before the answer was complete");
    }
}

#[test]
fn server_errors_are_exit_5_naming_the_status_on_every_call() {
    for status in [500, 502, 503] {
        let server = answering(FakeResponse::proxy_error_page(status));
        for call in EVERY_CALL {
            call_fails(call, &server.url(), 5, &format!("{status}"));
        }
    }
}

#[test]
fn too_many_requests_is_exit_5_showing_retry_after_without_retrying() {
    let server = answering(FakeResponse::too_many_requests(42));
    for call in EVERY_CALL {
        server.clear_requests();
        call_fails(call, &server.url(), 5, "retry after 42");
        assert!(
            server.request_count() <= 1,
            "{call:?} retried: {} requests",
            server.request_count()
        );
    }
}

#[test]
fn html_instead_of_json_is_exit_5_on_every_call_that_reads_the_answer() {
    every_call_reading_a_body(
        FakeResponse::html(200, "<html><body>Sign in to the portal</body></html>"),
        "html",
    );
}

#[test]
fn an_empty_token_answer_is_exit_5_but_an_empty_2xx_verifies() {
    let server = answering(FakeResponse::empty(200));
    for call in EVERY_CALL.into_iter().filter(|call| {
        is_login(*call) || matches!(call, Call::VirtuousRefresh | Call::VirtoRefresh)
    }) {
        call_fails(call, &server.url(), 5, "empty");
    }
    // DESIGN: "2xx: valid" (a 204 No Content, say).
    for call in [Call::VirtuousVerify, Call::VirtoVerify] {
        let (env, _, _) = logged_in_then_pointed_at(call, &server.url());
        env.run(&["whoami", "--verify"]).ok();
    }
}

#[test]
fn a_mislabelled_answer_is_exit_5_on_every_call_that_reads_the_answer() {
    every_call_reading_a_body(
        FakeResponse::raw(200, "image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
        "image/png",
    );
}

#[test]
fn an_answer_over_1_mib_is_refused_on_every_call() {
    let server = answering(FakeResponse::large(200, 2 * 1024 * 1024));
    for call in EVERY_CALL {
        call_fails(call, &server.url(), 5, "larger than 1 MiB");
    }
}

#[test]
fn a_redirect_is_not_followed_on_any_call() {
    let elsewhere = FakeServer::start_fn(|_| FakeResponse::empty(200));
    let server = FakeServer::start_fn(|_| FakeResponse::empty(404));
    for path in PATHS {
        server.fail_always(path, FakeResponse::redirect(307, &elsewhere.url_for(path)));
    }
    for call in EVERY_CALL {
        call_fails(call, &server.url(), 5, "HTTP 307, a redirect");
    }
    assert_eq!(elsewhere.request_count(), 0, "a redirect was followed");
}
