//! Virtuous OAuth end to end: password grant, two-factor in both modes,
//! rotating refresh (explicit and automatic), every documented error,
//! `whoami --verify`, `logout --revoke`, and `-v` without secrets.

mod support;

use support::FakeResponse;
use support::crmauth::{Env, Outcome, Store, stores};
use support::virtuous::{FakeVirtuous, ORGANIZATION_NAME, TOKEN_PATH};

const USER: &str = "ann@example.org";
const PASSWORD: &str = "p@ss&w=rd+%20é \"q\"";
const OTP: &str = "424242";

fn server() -> FakeVirtuous {
    let server = FakeVirtuous::start();
    server.add_user(USER, PASSWORD);
    server
}

fn login_args(server: &FakeVirtuous) -> Vec<String> {
    [
        "login",
        "--provider",
        "virtuous",
        "--url",
        &server.url(),
        "--username",
        USER,
        "--password-stdin",
    ]
    .map(str::to_string)
    .to_vec()
}

fn run_login(env: &Env, server: &FakeVirtuous, extra: &[&str]) -> support::crmauth::Run {
    let mut args = login_args(server);
    args.extend(extra.iter().map(|a| (*a).to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args)
        .stdin(&format!("{PASSWORD}\n"))
        .secret(PASSWORD)
}

/// Registers every token the server issued so far as a secret.
fn guard_tokens(env: &Env, server: &FakeVirtuous) {
    for token in server
        .issued_access_tokens()
        .into_iter()
        .chain(server.issued_refresh_tokens())
    {
        env.secret(&token);
    }
}

fn logged_in(store: Store, server: &FakeVirtuous) -> Env {
    let env = Env::new(store);
    run_login(&env, server, &[]).ok();
    guard_tokens(&env, server);
    env
}

fn token(env: &Env, args: &[&str]) -> Outcome {
    let mut all = vec!["token"];
    all.extend_from_slice(args);
    env.run(&all).reveals().ok()
}

#[test]
fn a_password_login_stores_a_refreshable_token() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        let outcome = run_login(&env, &server, &[])
            .ok()
            .stdout_is("")
            .stderr_has("Logged in to virtuous as ann@example.org (profile 'default')");
        if store == Store::File {
            outcome.stderr_has("credentials.json");
        }
        guard_tokens(&env, &server);
        let access = server.last_access_token().expect("issued");
        token(&env, &[])
            .stdout_is(&format!("{access}\n"))
            .stderr_is_empty();
        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["kind"], "oauth_password");
        assert_eq!(whoami["provider"], "virtuous");
        assert_eq!(whoami["user"], USER);
        assert_eq!(whoami["has_refresh_token"], true);
        // The answer does not say when the refresh token expires: the
        // documented 365 days are assumed.
        support::crmauth::assert_time_from_now(
            &whoami["refresh_expires_at"],
            jiff::SignedDuration::from_hours(365 * 24),
        );
        let left = whoami["expires_in"].as_i64().expect("expires_in");
        assert!(left > 1_290_000, "{left}");
        assert!(whoami["jwt_claims"].is_null());
        let profiles = env.run(&["profiles", "--json"]).ok().json();
        assert_eq!(profiles[0]["default"], true);
        // The password is never stored.
        assert!(!env.read("credentials.json").contains("w=rd"));
        assert!(!env.read("profiles.json").contains("w=rd"));
    }
}

#[test]
fn the_password_arrives_intact_from_stdin_or_the_environment() {
    let server = server();
    let env = Env::new(Store::File);
    run_login(&env, &server, &[]).ok();
    env.run(&["-q", "login", "--password-stdin"])
        .stdin(&format!("{PASSWORD}\r\n"))
        .ok()
        .stderr_is_empty();
    env.run(&["login"]).env("CRMAUTH_PASSWORD", PASSWORD).ok();
    let grants = server.requests_to(TOKEN_PATH);
    assert_eq!(grants.len(), 3);
    for grant in grants {
        assert!(grant.is_form());
        assert_eq!(grant.form_value("grant_type"), Some("password"));
        assert_eq!(grant.form_value("username"), Some(USER));
        assert_eq!(grant.form_value("password"), Some(PASSWORD));
        assert!(!grant.has_form_field("client_id") && !grant.has_form_field("scope"));
    }
}

#[test]
fn a_trailing_slash_in_the_url_is_dropped() {
    let server = server();
    let env = Env::new(Store::File);
    env.run(&[
        "login",
        "--provider",
        "virtuous",
        "--url",
        &format!("{}/", server.url()),
        "--username",
        USER,
    ])
    .env("CRMAUTH_PASSWORD", PASSWORD)
    .secret(PASSWORD)
    .ok();
    let grant = server.requests_to(TOKEN_PATH).pop().expect("grant");
    assert_eq!(grant.path, "/Token");
}

#[test]
fn two_factor_with_a_known_code_sends_it_on_the_first_request() {
    for store in stores() {
        let server = FakeVirtuous::start();
        server.add_2fa_user(USER, PASSWORD, OTP);
        let env = Env::new(store);
        run_login(&env, &server, &["--otp", OTP]).ok();
        let grants = server.requests_to(TOKEN_PATH);
        assert_eq!(grants.len(), 1);
        // The docs say a header; Virtuous's curl example sends a field: both.
        assert_eq!(grants[0].header("OTP"), Some(OTP));
        assert_eq!(grants[0].form_value("otp"), Some(OTP));
        guard_tokens(&env, &server);
        env.run(&["whoami"]).ok();
        // The same from the environment.
        run_login(&env, &server, &[]).env("CRMAUTH_OTP", OTP).ok();
        assert_eq!(server.requests_to(TOKEN_PATH).len(), 2);
    }
}

#[test]
fn two_factor_without_a_code_and_no_terminal_names_the_flag() {
    let server = FakeVirtuous::start();
    server.add_2fa_user(USER, PASSWORD, OTP);
    server.set_2fa_accepted_body(Some(r#"{"message":"Verification code sent"}"#));
    let env = Env::new(Store::File);
    run_login(&env, &server, &[])
        .code(2)
        .stderr_has("--otp")
        .stderr_lines_at_most(2);
    env.run(&["token"]).code(3);
    assert!(!env.path("profiles.json").exists() || env.read("profiles.json").contains("{}"));
}

#[test]
fn a_rejected_two_factor_code_is_exit_4() {
    let server = FakeVirtuous::start();
    server.add_2fa_user(USER, PASSWORD, OTP);
    let env = Env::new(Store::File);
    run_login(&env, &server, &["--otp", "000000"])
        .code(4)
        .stderr_has("Invalid verification code")
        .stderr_lines_at_most(2);
    env.run(&["token"]).code(3);
}

#[test]
fn a_wrong_password_is_exit_4_and_keeps_what_is_stored() {
    for store in stores() {
        let server = server();
        let env = logged_in(store, &server);
        let before = server.last_access_token().expect("issued");
        env.run(&["login", "--password-stdin"])
            .stdin("wrong-password\n")
            .secret("wrong-password")
            .code(4)
            .stderr_has("invalid_grant")
            .stderr_has("The user name or password is incorrect.")
            .stderr_has("help: ")
            .stderr_has("crmauth login -p default")
            .stderr_lines_at_most(2);
        token(&env, &[]).stdout_is(&format!("{before}\n"));
    }
}

#[test]
fn missing_values_without_a_terminal_name_their_flag() {
    let server = server();
    let env = Env::new(Store::File);
    env.run(&[
        "login",
        "--provider",
        "virtuous",
        "--url",
        &server.url(),
        "--username",
        USER,
    ])
    .code(2)
    .stderr_has("--password-stdin")
    .stderr_has("CRMAUTH_PASSWORD");
    env.run(&["login", "--provider", "virtuous", "--url", &server.url()])
        .env("CRMAUTH_PASSWORD", "x")
        .code(2)
        .stderr_has("--username");
    env.run(&["login", "--username", USER])
        .env("CRMAUTH_PASSWORD", "x")
        .code(2)
        .stderr_has("--provider");
    env.run(&[
        "login",
        "--provider",
        "virtuous",
        "--url",
        "http://crm.example.com",
        "--username",
        USER,
    ])
    .env("CRMAUTH_PASSWORD", "x")
    .code(2)
    .stderr_has("--allow-http");
    assert_eq!(server.request_count(), 0);
}

#[test]
fn refresh_replaces_both_tokens_and_the_old_refresh_token_is_spent() {
    for store in stores() {
        let server = server();
        let env = logged_in(store, &server);
        let first_refresh = server.last_refresh_token().expect("issued");
        let outcome = env
            .run(&["refresh"])
            .ok()
            .stderr_has("Refreshed profile 'default'");
        // New secrets were written: the file store says where.
        assert_eq!(
            outcome.stderr.contains("credentials.json"),
            store == Store::File,
            "{}",
            outcome.stderr
        );
        guard_tokens(&env, &server);
        assert_eq!(server.grant_count("refresh_token"), 1);
        let grant = server.requests_to(TOKEN_PATH).pop().expect("refresh");
        assert_eq!(
            grant.form_value("refresh_token"),
            Some(first_refresh.as_str())
        );
        assert!(!server.valid_refresh_token(&first_refresh));
        let access = server.last_access_token().expect("issued");
        token(&env, &[]).stdout_is(&format!("{access}\n"));
        // The rotated refresh token was stored: a second refresh works.
        env.run(&["refresh"]).ok();
        assert_eq!(server.grant_count("refresh_token"), 2);
        guard_tokens(&env, &server);
    }
}

#[test]
fn token_refreshes_silently_when_the_token_expires_soon() {
    for store in stores() {
        let server = server();
        server.set_expires_in(Some(30));
        let env = logged_in(store, &server);
        server.set_expires_in(Some(3600));
        let outcome = token(&env, &[]).stderr_is_empty();
        guard_tokens(&env, &server);
        assert_eq!(server.grant_count("refresh_token"), 1);
        let access = server.last_access_token().expect("issued");
        assert_eq!(outcome.stdout, format!("{access}\n"));
        assert!(server.valid_access_token(&access));
        // Now fresh: no further grant.
        token(&env, &[]).stdout_is(&format!("{access}\n"));
        assert_eq!(server.grant_count("refresh_token"), 1);
        // --min-valid asks for more.
        token(&env, &["--min-valid", "2h"]);
        assert_eq!(server.grant_count("refresh_token"), 2);
        guard_tokens(&env, &server);
    }
}

#[test]
fn a_rejected_refresh_keeps_the_credential_and_is_exit_4() {
    for store in stores() {
        let server = server();
        let env = logged_in(store, &server);
        let access = server.last_access_token().expect("issued");
        server.invalidate_refresh_tokens();
        env.run(&["refresh"])
            .code(4)
            .stderr_has("invalid_grant")
            .stderr_has("run 'crmauth login -p default'")
            .stderr_lines_at_most(2);
        env.run(&["whoami", "--json"]).ok();
        // Still valid: the current token is used, with a warning.
        token(&env, &["--min-valid", "20d"])
            .stdout_is(&format!("{access}\n"))
            .stderr_has("warning:");
    }
}

#[test]
fn an_expired_token_whose_refresh_fails_is_an_error() {
    let server = server();
    server.set_expires_in(Some(0));
    let env = logged_in(Store::File, &server);
    server.invalidate_refresh_tokens();
    env.run(&["token"])
        .code(4)
        .stderr_has("crmauth login -p default");
    server.fail_always(TOKEN_PATH, FakeResponse::proxy_error_page(502));
    env.run(&["token"]).code(5).stderr_has("502");
    env.run(&["whoami"]).ok();
}

#[test]
fn undocumented_answers_are_exit_5_naming_what_came() {
    let server = server();
    let env = Env::new(Store::File);
    let cases: Vec<(FakeResponse, i32, &str)> = vec![
        (FakeResponse::proxy_error_page(502), 5, "502"),
        (
            FakeResponse::json(500, &serde_json::json!({"message": "boom"})),
            5,
            "500",
        ),
        (
            FakeResponse::html(200, "<html>login</html>"),
            5,
            "text/html",
        ),
        (FakeResponse::json_text(200, "{not json"), 5, "200"),
        (
            FakeResponse::json(200, &serde_json::json!({"token_type": "bearer"})),
            5,
            "access_token",
        ),
        (
            FakeResponse::redirect(302, "https://elsewhere.example/"),
            5,
            "302",
        ),
        (FakeResponse::too_many_requests(7), 5, "7"),
        (FakeResponse::empty(401), 4, "401"),
        (FakeResponse::html(403, "<h1>Forbidden</h1>"), 4, "403"),
    ];
    for (answer, code, shown) in cases {
        server.fail_next(TOKEN_PATH, answer);
        run_login(&env, &server, &[])
            .code(code)
            .stderr_has(shown)
            .stderr_lines_at_most(2);
        env.run(&["token"]).code(3);
    }
}

#[test]
fn a_429_shows_retry_after() {
    let server = server();
    let env = Env::new(Store::File);
    server.fail_next(TOKEN_PATH, FakeResponse::too_many_requests(7));
    run_login(&env, &server, &[])
        .code(5)
        .stderr_has("429")
        .stderr_has("retry after 7");
}

#[test]
fn no_expires_in_means_no_expiry() {
    let server = server();
    server.set_expires_in(None);
    let env = logged_in(Store::File, &server);
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    assert!(whoami["expires_at"].is_null() && whoami["expires_in"].is_null());
    token(&env, &["--min-valid", "100d"]);
    assert_eq!(server.grant_count("refresh_token"), 0);
}

#[test]
fn whoami_verify_asks_the_server() {
    for store in stores() {
        let server = server();
        let env = logged_in(store, &server);
        env.run(&["whoami", "--verify"]).ok().stdout_has("verified");
        let verify = server
            .requests_to("/api/Organization/Current")
            .pop()
            .expect("verify request");
        assert_eq!(verify.method, "GET");
        assert_eq!(verify.bearer_token(), server.last_access_token().as_deref());
        server.invalidate_access_tokens();
        env.run(&["whoami", "--verify"])
            .code(4)
            .stderr_has("401")
            .stderr_lines_at_most(2);
        server.fail_next(
            "/api/Organization/Current",
            FakeResponse::proxy_error_page(503),
        );
        env.run(&["whoami", "--verify"]).code(5).stderr_has("503");
    }
}

#[test]
fn logout_revoke_says_virtuous_cannot_revoke_and_logs_out() {
    for store in stores() {
        let server = server();
        let env = logged_in(store, &server);
        let before = server.request_count();
        env.run(&["logout", "--revoke"])
            .ok()
            .stderr_has("no way to revoke");
        assert_eq!(server.request_count(), before);
        env.run(&["token"]).code(3);
    }
}

#[test]
fn verbose_logs_requests_without_secrets() {
    let server = server();
    server.set_expires_in(Some(30));
    let env = Env::new(Store::File);
    run_login(&env, &server, &["-v"])
        .ok()
        .stderr_has(&format!("POST {}/Token", server.url()))
        .stderr_has("-> 200")
        .stderr_has("password=[redacted]")
        .stderr_has(" ms)");
    guard_tokens(&env, &server);
    env.run(&["-v", "token"])
        .reveals()
        .ok()
        .stderr_has("grant_type=refresh_token")
        .stderr_has("refresh_token=[redacted]");
    guard_tokens(&env, &server);
    env.run(&["-v", "whoami", "--verify"])
        .ok()
        .stderr_has("GET ")
        .stderr_has("/api/Organization/Current -> 200");
}

#[test]
fn a_relogin_reuses_url_and_user_and_keeps_the_default() {
    let server = server();
    let env = logged_in(Store::File, &server);
    env.run(&[
        "-p",
        "second",
        "login",
        "--provider",
        "virtuous",
        "--url",
        &server.url(),
        "--username",
        USER,
    ])
    .env("CRMAUTH_PASSWORD", PASSWORD)
    .ok()
    .stderr_has("profile 'second'");
    env.run(&["-p", "second", "login"])
        .env("CRMAUTH_PASSWORD", PASSWORD)
        .ok();
    guard_tokens(&env, &server);
    let profiles = env.run(&["profiles", "--json"]).ok().json();
    let default: Vec<&str> = profiles
        .as_array()
        .expect("array")
        .iter()
        .filter(|p| p["default"] == true)
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(default, ["default"]);
}

/// DESIGN: only a login sets the default, and logging out of the default
/// leaves none. A refresh of another profile must not pick a new default,
/// or a script's plain `crmauth token` would get another account's token.
#[test]
fn a_refresh_never_makes_its_profile_the_default() {
    let server = server();
    server.set_expires_in(Some(30)); // within token's 60 s margin
    let env = logged_in(Store::File, &server);
    let mut args = login_args(&server);
    args.splice(0..0, ["-p".to_string(), "shop".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args).stdin(PASSWORD).secret(PASSWORD).ok();
    guard_tokens(&env, &server);
    env.run(&["logout"]).ok();
    token(&env, &["-p", "shop"]);
    guard_tokens(&env, &server);
    assert_eq!(
        server.grant_count("refresh_token"),
        1,
        "the token was refreshed"
    );
    let profiles = env.run(&["profiles", "--json"]).ok().json();
    assert_eq!(profiles[0]["name"], "shop");
    assert_eq!(profiles[0]["default"], false, "{profiles}");
    env.run(&["token"]).code(3);
}

#[test]
fn the_earlier_of_expires_in_and_dot_expires_counts() {
    let server = server();
    // `.expires` an hour out, `expires_in` 15 days: the hour counts.
    server.set_expires_date_in(Some(3600));
    let env = logged_in(Store::File, &server);
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    let left = whoami["expires_in"].as_i64().expect("expiry");
    assert!((3500..=3600).contains(&left), "{left}");
    // And the other way round: `expires_in` 3599 s, `.expires` 15 days.
    server.set_expires_in(Some(3599));
    server.set_expires_date_in(Some(15 * 24 * 3600));
    run_login(&env, &server, &[]).ok();
    guard_tokens(&env, &server);
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    let left = whoami["expires_in"].as_i64().expect("expiry");
    assert!((3500..=3599).contains(&left), "{left}");
}

#[test]
fn a_broken_expires_in_or_token_stores_nothing() {
    let server = server();
    let env = Env::new(Store::File);
    let answers = [
        r#"{"access_token":"at-1","token_type":"bearer","expires_in":-1}"#,
        r#"{"access_token":"at-2","token_type":"bearer","expires_in":"fifteen days"}"#,
        r#"{"access_token":"at-3","token_type":"bearer","expires_in":1e30}"#,
        "{\"access_token\":\"at-4\\r\\nX-Injected: 1\",\"expires_in\":3599}",
        "{\"access_token\":\"at-5\",\"refresh_token\":\"rt\\u001b]0;pwned\\u0007\",\"expires_in\":3599}",
    ];
    for body in answers {
        server.fail_next(TOKEN_PATH, FakeResponse::json_text(200, body));
        run_login(&env, &server, &[])
            .code(5)
            .stderr_lines_at_most(2);
        env.run(&["token"]).code(3);
    }
}

#[test]
fn whoami_verify_names_the_organization_and_rejections_name_the_profile() {
    let server = server();
    let env = Env::new(Store::File);
    run_login(&env, &server, &["-p", "crm"]).ok();
    guard_tokens(&env, &server);
    env.run(&["-p", "crm", "whoami", "--verify"])
        .ok()
        .stdout_has(&format!("(organization {ORGANIZATION_NAME})"));
    server.invalidate_access_tokens();
    env.run(&["-p", "crm", "whoami", "--verify"])
        .code(4)
        .stderr_has("'crmauth refresh -p crm' or 'crmauth login -p crm'");
    server.invalidate_refresh_tokens();
    env.run(&["-p", "crm", "refresh"])
        .code(4)
        .stderr_has("run 'crmauth login -p crm'");
}

#[test]
fn a_429_without_retry_after_shows_when_the_limit_resets() {
    let server = server();
    let env = Env::new(Store::File);
    let reset = jiff::Timestamp::now().as_second() + 1830;
    server.fail_next(
        TOKEN_PATH,
        FakeResponse::json(
            429,
            &serde_json::json!({"message": "API calls quota exceeded"}),
        )
        .with_header("X-RateLimit-Limit", "5000")
        .with_header("X-RateLimit-Remaining", "0")
        .with_header("X-RateLimit-Reset", &reset.to_string()),
    );
    run_login(&env, &server, &[])
        .code(5)
        .stderr_has("429")
        .stderr_has("the rate limit resets at")
        .stderr_has("(in 30 min)");
}

#[test]
fn verbose_logs_the_rate_limit_left() {
    let server = server();
    let env = logged_in(Store::File, &server);
    server.fail_next(
        "/api/Organization/Current",
        FakeResponse::json(200, &serde_json::json!({"name": "Org"}))
            .with_header("X-RateLimit-Remaining", "4321"),
    );
    env.run(&["-v", "whoami", "--verify"])
        .ok()
        .stderr_has("rate limit remaining 4321");
}
