//! Randomised inputs for the parsers of untrusted text, through the binary:
//! the JWT claim decoder (`whoami` of a stored token) and the Vertical
//! properties answer (`authtoken generate`). Every run must end with a
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
        env.run(&["apikey", "set", "--key-stdin"])
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
