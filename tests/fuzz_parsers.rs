//! Randomised inputs for the parsers of untrusted text, through the binary:
//! the JWT claim decoder (`whoami` of a stored token), the Vertical
//! properties answer (`authtoken generate`) and the OAuth token answer of
//! Virtuous and Virto (`login`). Every run must end with a
//! documented exit code, no panic, and no secret in its output.
//!
//! CI runs a few cases from a fixed seed; `scripts/fuzz` runs many from a
//! random seed for a bounded time (`CRMAUTH_FUZZ_CASES`, `CRMAUTH_FUZZ_SEED`).

mod support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use support::FakeResponse;
use support::crmauth::{Env, Store};
use support::vertical::{FakeVertical, GENERATE_PATH};
use support::virto::TOKEN_PATH as VIRTO_TOKEN_PATH;
use support::virtuous::TOKEN_PATH as VIRTUOUS_TOKEN_PATH;
use support::{FakeVirto, FakeVirtuous};

fn cases() -> usize {
    std::env::var("CRMAUTH_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24)
}

fn rng() -> fastrand::Rng {
    let seed = std::env::var("CRMAUTH_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    eprintln!("seed {seed}");
    fastrand::Rng::with_seed(seed)
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "true",
    "1e999",
    "-0",
    "\"exp\"",
    "\"sub\"",
    "\\u0000",
    "\\ud800",
    "\u{7f}",
    "é",
    "=",
    "\\",
    "\n",
    "\r\n",
    "#",
    "!",
    " ",
    "\t",
    "AUTHTOKEN",
    "RESULT",
    "TRUE",
    "FALSE",
    "CAUSE",
    "\u{feff}",
    "\\u",
    "=\\",
    "9999999999999999999999",
];

/// Random text from interesting pieces and random printable characters.
fn text(rng: &mut fastrand::Rng, max: usize) -> String {
    let mut out = String::new();
    for _ in 0..rng.usize(0..max) {
        if rng.bool() {
            out.push_str(PIECES[rng.usize(0..PIECES.len())]);
        } else {
            out.push(rng.char(' '..='~'));
        }
    }
    out
}

fn segment(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..4) {
        0 => URL_SAFE_NO_PAD.encode(text(rng, 12)),
        1 => URL_SAFE_NO_PAD.encode(format!(
            "{{\"sub\":\"{}\",\"exp\":{}}}",
            rng.u32(..),
            rng.i64(..)
        )),
        2 => text(rng, 8).replace(['\n', '\r', '\0'], ""),
        _ => URL_SAFE_NO_PAD.encode(
            (0..rng.usize(0..40))
                .map(|_| rng.u8(..))
                .collect::<Vec<_>>(),
        ),
    }
}

#[test]
fn jwt_decoding_never_panics_or_leaks() {
    let mut rng = rng();
    let env = Env::new(Store::File);
    for case in 0..cases() {
        let parts: Vec<String> = (0..rng.usize(1..5)).map(|_| segment(&mut rng)).collect();
        let mut token = parts.join(".");
        token = format!("fz{case}-{}", token.trim());
        env.secret(&token);
        env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
            .stdin(&token)
            .ok();
        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["kind"], "api_key");
        env.run(&["whoami"]).ok();
    }
}

#[test]
fn properties_answers_never_panic_or_leak() {
    let mut rng = rng();
    let server = FakeVertical::start();
    let env = Env::new(Store::File);
    env.secret("fuzz-pw");
    for _ in 0..cases() {
        let body = match rng.u8(0..3) {
            0 => text(&mut rng, 40),
            1 => format!(
                "#{}\n{}AUTHTOKEN={}\nRESULT={}\n",
                text(&mut rng, 5),
                text(&mut rng, 5),
                text(&mut rng, 10),
                text(&mut rng, 3)
            ),
            _ => format!("RESULT=FALSE\nCAUSE={}\n", text(&mut rng, 20)),
        };
        let status = [200, 200, 400, 401, 404][rng.usize(0..5)];
        server.fail_always(
            GENERATE_PATH,
            FakeResponse::raw(status, "text/plain;charset=UTF-8", body.into_bytes()),
        );
        let outcome = env
            .run(&[
                "authtoken",
                "generate",
                "--url",
                &server.url(),
                "--username",
                "fuzz@example.com",
                "--password-stdin",
            ])
            .stdin("fuzz-pw")
            .output();
        assert!(
            [0, 4, 5].contains(&outcome.code),
            "exit {}: {}",
            outcome.code,
            outcome.stderr
        );
        assert!(outcome.stderr.lines().count() <= 3, "{}", outcome.stderr);
        if outcome.code == 0 {
            let token = env.run(&["token"]).reveals().ok().stdout;
            assert!(!token.trim().is_empty());
            assert!(!token.trim().contains('\n'), "{token:?}");
        }
    }
}

/// A JSON value of a random type, sometimes the expected one.
fn json_value(rng: &mut fastrand::Rng, expected: &str) -> String {
    match rng.u8(0..8) {
        0 => "null".to_string(),
        1 => rng.i64(..).to_string(),
        2 => format!("{}.5e{}", rng.i32(..), rng.i16(..)),
        3 => "[1,{\"a\":[]}]".to_string(),
        4 => serde_json::Value::String(text(rng, 12)).to_string(),
        5 => text(rng, 6),
        _ => expected.to_string(),
    }
}

/// A token answer: random text, or an object whose fields have random types
/// and values, in the shape of RFC 6749 §5.1/§5.2 and the Virtuous extras.
fn token_answer(rng: &mut fastrand::Rng, access_token: &str) -> String {
    if rng.u8(0..5) == 0 {
        return text(rng, 60);
    }
    let fields = [
        ("access_token", format!("\"{access_token}\"")),
        ("token_type", "\"bearer\"".to_string()),
        ("expires_in", "1800".to_string()),
        ("refresh_token", format!("\"{access_token}-r\"")),
        ("scope", "\"offline_access openid\"".to_string()),
        ("userName", "\"ann@example.org\"".to_string()),
        (".issued", "\"Mon, 23 Nov 2026 10:00:00 GMT\"".to_string()),
        (".expires", "\"Tue, 08 Dec 2026 10:00:00 GMT\"".to_string()),
        ("refresh_expires_in", "1209600".to_string()),
        ("error", "\"invalid_grant\"".to_string()),
        ("error_description", "\"nope\"".to_string()),
    ];
    let mut members = Vec::new();
    for (name, expected) in fields {
        if rng.u8(0..3) != 0 {
            members.push(format!("\"{name}\":{}", json_value(rng, &expected)));
        }
    }
    format!("{{{}}}", members.join(","))
}

#[test]
fn oauth_token_answers_never_panic_or_leak() {
    let mut rng = rng();
    let virtuous = FakeVirtuous::start();
    let virto = FakeVirto::start();
    let env = Env::new(Store::File);
    env.secret("fuzz-password");
    for case in 0..cases() {
        let access_token = format!("fuzz-at-{case}-{}", rng.u64(..));
        env.secret(&access_token);
        let body = token_answer(&mut rng, &access_token);
        let status = [200, 200, 200, 400, 401][rng.usize(0..5)];
        let content_type = [
            "application/json",
            "application/json;charset=UTF-8",
            "text/plain",
        ][rng.usize(0..3)];
        let answer = FakeResponse::raw(status, content_type, body.clone().into_bytes());
        let (provider, url) = if rng.bool() {
            virtuous.fail_always(VIRTUOUS_TOKEN_PATH, answer);
            ("virtuous", virtuous.url())
        } else {
            virto.fail_always(VIRTO_TOKEN_PATH, answer);
            ("virto", virto.url())
        };
        let outcome = env
            .run(&[
                "login",
                "--provider",
                provider,
                "--url",
                &url,
                "--username",
                "ann@example.org",
                "--password-stdin",
            ])
            .stdin("fuzz-password")
            .output();
        assert!(
            [0, 4, 5].contains(&outcome.code),
            "exit {} for {status} {body}: {}",
            outcome.code,
            outcome.stderr
        );
        assert!(outcome.stderr.lines().count() <= 3, "{}", outcome.stderr);
        if outcome.code == 0 {
            let token = env.run(&["token", "--min-valid", "0"]).reveals().output();
            assert!(
                [0, 4, 5].contains(&token.code),
                "token after {body}: exit {}: {}",
                token.code,
                token.stderr
            );
            env.run(&["whoami", "--json"]).ok().json();
        }
    }
}
