//! Hostile input: every refusal is exit 2 with one clear line, before any
//! request is sent and before anything is stored. (Bad profile names, an
//! unknown --format, an unparsable --min-valid and a URL without a host are in
//! tests/foundation.rs.)
//!
//! Decisions: a secret from stdin keeps its inner newlines (only one trailing
//! `\n`/`\r\n` goes) and is sent encoded; a NUL byte in a secret is refused.

mod support;

use support::crmauth::{Env, Store};
use support::vertical::{FakeVertical, GENERATE_PATH};

const EMAIL: &str = "admin@example.com";

fn generate<'a>(url: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
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
    args
}

fn nothing_stored(env: &Env) {
    assert!(!env.path("profiles.json").exists(), "a profile was stored");
    assert!(
        !env.path("credentials.json").exists(),
        "a secret was stored"
    );
}

#[test]
fn an_unknown_provider_is_exit_2() {
    let env = Env::new(Store::File);
    env.run(&["apikey", "set", "--provider", "salesforce", "--key-stdin"])
        .stdin("k-unknown-provider")
        .secret("k-unknown-provider")
        .code(2)
        .stderr_has("salesforce");
    env.run(&["login", "--provider", "nope"]).code(2);
    nothing_stored(&env);
}

#[test]
fn bad_urls_are_refused_before_sending() {
    let server = FakeVertical::start();
    let env = Env::new(Store::File);
    env.secret("url-pw-1");
    let port = server.addr().port();
    for (url, says) in [
        ("crm.example.com", "https://"),
        (&format!("127.0.0.1:{port}") as &str, "https://"),
        (
            &format!("http://user:url-pw-1@127.0.0.1:{port}"),
            "user name or password",
        ),
        (&format!("http://127.0.0.1:{port}/#frag"), "fragment"),
        (&format!("http://127.0.0.1:{port}/?a=b"), "query"),
        (&format!("ftp://127.0.0.1:{port}"), "scheme"),
    ] {
        env.run(&generate(url, &[]))
            .stdin("url-pw-1")
            .code(2)
            .stderr_has(says)
            .stderr_lines_at_most(2);
    }
    assert_eq!(server.request_count(), 0);
    nothing_stored(&env);
}

#[test]
#[cfg(unix)] // reaches the fake at [::ffff:127.0.0.1]: Windows sockets are IPv6-only by default
fn plain_http_to_another_host_needs_allow_http_which_is_remembered() {
    let env = Env::new(Store::File);
    env.secret("http-pw-2");
    env.run(&generate("http://crm.example.com", &[]))
        .stdin("http-pw-2")
        .code(2)
        .stderr_has("--allow-http")
        .stderr_lines_at_most(2);
    nothing_stored(&env);

    // A v4-mapped IPv6 address is not "loopback" to the check, yet reaches the fake.
    let server = FakeVertical::start();
    server.add_user(EMAIL, "http-pw-2");
    let url = format!("http://[::ffff:127.0.0.1]:{}", server.addr().port());
    env.run(&generate(&url, &[]))
        .stdin("http-pw-2")
        .code(2)
        .stderr_has("--allow-http");
    assert_eq!(server.request_count(), 0, "a request was sent");
    env.run(&generate(&url, &["--allow-http"]))
        .stdin("http-pw-2")
        .ok();
    env.secret(&server.last_token().expect("token"));
    let profiles = env.read("profiles.json");
    assert!(profiles.contains("\"allow_http\": true"), "{profiles}");
    // Remembered: a later request to the stored URL needs no flag.
    env.run(&["whoami", "--verify"]).ok();
    env.run(&["authtoken", "generate", "--password-stdin"])
        .stdin("http-pw-2")
        .ok();
    env.secret(&server.last_token().expect("token"));
}

#[test]
fn empty_secrets_are_exit_2() {
    let server = FakeVertical::start();
    let env = Env::new(Store::File);
    for stdin in ["", "\n", "\r\n"] {
        env.run(&generate(&server.url(), &[]))
            .stdin(stdin)
            .code(2)
            .stderr_has("empty");
    }
    env.run(&[
        "authtoken",
        "generate",
        "--url",
        &server.url(),
        "--username",
        EMAIL,
    ])
    .env("CRMAUTH_PASSWORD", "")
    .code(2)
    .stderr_has("CRMAUTH_PASSWORD");
    assert_eq!(server.request_count(), 0);
    nothing_stored(&env);
}

#[test]
fn a_password_keeps_inner_newlines_and_is_sent_encoded() {
    let password = "line one\nline two";
    let server = FakeVertical::start();
    server.add_user(EMAIL, password);
    let env = Env::new(Store::File);
    env.secret(password).secret("line one").secret("line two");
    env.run(&generate(&server.url(), &[]))
        .stdin(&format!("{password}\n"))
        .ok();
    env.secret(&server.last_token().expect("token"));
    let sent = &server.requests_to(GENERATE_PATH)[0];
    assert_eq!(sent.query_value("PASSWORD"), Some(password));
    assert!(
        sent.raw_query().contains("line+one%0Aline+two")
            || sent.raw_query().contains("line%20one%0Aline%20two")
    );
}

#[test]
fn a_nul_byte_in_a_secret_is_refused() {
    let server = FakeVertical::start();
    let env = Env::new(Store::File);
    env.secret("nul-pw").secret("inside");
    env.run(&generate(&server.url(), &[]))
        .stdin("nul-pw\0inside\n")
        .code(2)
        .stderr_has("NUL")
        .stderr_lines_at_most(2);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin("nul-pw\0inside")
        .code(2)
        .stderr_has("NUL");
    assert_eq!(server.request_count(), 0);
    nothing_stored(&env);
}

#[test]
fn a_megabyte_of_stdin_is_refused() {
    let server = FakeVertical::start();
    let env = Env::new(Store::File);
    let huge = "x".repeat(1024 * 1024);
    env.secret(&huge[..64]);
    env.run(&generate(&server.url(), &[]))
        .stdin(&huge)
        .code(2)
        .stderr_has("larger than")
        .stderr_lines_at_most(2);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin(&huge)
        .code(2)
        .stderr_has("larger than");
    assert_eq!(server.request_count(), 0);
    nothing_stored(&env);
}

#[test]
fn control_characters_in_a_profile_name_are_exit_2() {
    let env = Env::new(Store::File);
    for name in ["esc\x1b[31m", "new\nline", "x/../y", "nul\u{7f}", "../up"] {
        env.run(&[
            "-p",
            name,
            "apikey",
            "set",
            "--provider",
            "virtuous",
            "--key-stdin",
        ])
        .stdin("k-profile-name")
        .secret("k-profile-name")
        .code(2)
        .stderr_has("invalid profile name");
    }
    nothing_stored(&env);
}

#[test]
fn values_a_provider_does_not_take_are_refused_before_sending() {
    let virtuous = support::FakeVirtuous::start();
    let virto = support::FakeVirto::start();
    let env = Env::new(Store::File);
    env.secret("pw-1").secret("key-1");
    let login = |provider: &str, url: &str, extra: &[&str]| {
        let mut args = vec![
            "login",
            "--provider",
            provider,
            "--url",
            url,
            "--username",
            "ann",
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        env.run(&args).stdin("pw-1").code(2).stderr_lines_at_most(2)
    };
    login("virtuous", &virtuous.url(), &["--client-id", "app"])
        .stderr_has("virtuous logins take no --client-id");
    login("virto", &virto.url(), &["--otp", "123456"]).stderr_has("virto logins take no --otp");
    env.run(&[
        "apikey",
        "set",
        "--provider",
        "vertical",
        "--url",
        &virto.url(),
        "--key-stdin",
    ])
    .stdin("key-1")
    .code(2)
    .stderr_has("vertical profiles do not use API keys")
    .stderr_has("help: run 'crmauth authtoken generate -p default'");
    // Two providers take API keys: without a terminal, no default.
    env.run(&["apikey", "set", "--url", &virto.url(), "--key-stdin"])
        .stdin("key-1")
        .code(2)
        .stderr_has("--provider virtuous|virto");
    assert_eq!(virtuous.request_count() + virto.request_count(), 0);
    nothing_stored(&env);
}
