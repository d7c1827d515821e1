//! Virto Commerce end to end: password grant with `offline_access`,
//! client_credentials, the client sent with every grant, rolling refresh,
//! RFC 6749 errors, JWT claims, `whoami --verify` that a `200 {}` cannot
//! fool, revocation that revokes on the platform and on RFC 7009 servers,
//! and API keys in an `api_key` header.

mod support;

use support::FakeResponse;
use support::crmauth::{Env, Run, Store, stores};
use support::virto::{FakeVirto, PROFILE_PATH, REVOKE_PATH, RevokeMode, TOKEN_PATH};

const USER: &str = "admin";
const PASSWORD: &str = "p@ss&w=rd+%20é \"q\"";
const CLIENT: &str = "crm-sync";
const CLIENT_SECRET: &str = "cs-9f8e7d6c5b4a";

fn server() -> FakeVirto {
    let server = FakeVirto::start();
    server.add_user(USER, PASSWORD);
    server.add_client(CLIENT, CLIENT_SECRET);
    server
}

fn password_login(env: &Env, server: &FakeVirto, extra: &[&str]) -> Run {
    let url = server.url();
    let mut args = vec![
        "login",
        "--provider",
        "virto",
        "--url",
        &url,
        "--username",
        USER,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
        .stdin(&format!("{PASSWORD}\n"))
        .secret(PASSWORD)
        .secret(CLIENT_SECRET)
}

fn client_login(env: &Env, server: &FakeVirto, extra: &[&str]) -> Run {
    let url = server.url();
    let mut args = vec![
        "login",
        "--provider",
        "virto",
        "--url",
        &url,
        "--client-id",
        CLIENT,
    ];
    args.extend_from_slice(extra);
    env.run(&args)
        .env("CRMAUTH_CLIENT_SECRET", CLIENT_SECRET)
        .secret(CLIENT_SECRET)
}

fn guard_tokens(env: &Env, server: &FakeVirto) {
    for token in server
        .issued_access_tokens()
        .into_iter()
        .chain(server.issued_refresh_tokens())
    {
        env.secret(&token);
    }
}

fn last_grant(server: &FakeVirto) -> support::RecordedRequest {
    server.requests_to(TOKEN_PATH).pop().expect("a grant")
}

#[test]
fn a_password_login_asks_for_offline_access_and_shows_jwt_claims() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        password_login(&env, &server, &[])
            .ok()
            .stdout_is("")
            .stderr_has("Logged in to virto as admin (profile 'default')");
        guard_tokens(&env, &server);
        let grant = last_grant(&server);
        assert_eq!(grant.form_value("grant_type"), Some("password"));
        assert_eq!(grant.form_value("password"), Some(PASSWORD));
        assert_eq!(grant.form_value("scope"), Some("offline_access"));
        assert!(!grant.has_form_field("client_id") && !grant.has_form_field("client_secret"));
        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["kind"], "oauth_password");
        assert_eq!(whoami["has_refresh_token"], true);
        // The answer does not say when the refresh token expires: the
        // platform's default 30 days are assumed.
        support::crmauth::assert_time_from_now(
            &whoami["refresh_expires_at"],
            jiff::SignedDuration::from_hours(30 * 24),
        );
        assert_eq!(whoami["scopes"], serde_json::json!(["offline_access"]));
        assert_eq!(whoami["jwt_claims"]["name"], USER);
        let left = whoami["expires_in"].as_i64().expect("expiry");
        assert!((1700..=1800).contains(&left), "{left}");
        let access = server.last_access_token().expect("issued");
        env.run(&["token", "--format", "header"])
            .reveals()
            .ok()
            .stdout_is(&format!("Authorization: Bearer {access}\n"));
    }
}

#[test]
fn extra_scopes_are_added_to_offline_access() {
    let server = server();
    let env = Env::new(Store::File);
    password_login(
        &env,
        &server,
        &["--scope", "read write", "--scope", "offline_access"],
    )
    .ok();
    guard_tokens(&env, &server);
    assert_eq!(
        last_grant(&server).form_value("scope"),
        Some("offline_access read write")
    );
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    assert_eq!(
        whoami["scopes"],
        serde_json::json!(["offline_access", "read", "write"])
    );
}

#[test]
fn the_client_of_a_password_login_goes_with_every_refresh() {
    for store in stores() {
        let server = server();
        server.set_require_client(true);
        let env = Env::new(store);
        password_login(&env, &server, &["--client-id", CLIENT])
            .env("CRMAUTH_CLIENT_SECRET", CLIENT_SECRET)
            .ok();
        guard_tokens(&env, &server);
        let grant = last_grant(&server);
        assert_eq!(grant.form_value("client_id"), Some(CLIENT));
        assert_eq!(grant.form_value("client_secret"), Some(CLIENT_SECRET));
        let first_refresh = server.last_refresh_token().expect("issued");
        env.run(&["refresh"]).ok();
        guard_tokens(&env, &server);
        let refresh = last_grant(&server);
        assert_eq!(refresh.form_value("grant_type"), Some("refresh_token"));
        assert_eq!(
            refresh.form_value("refresh_token"),
            Some(first_refresh.as_str())
        );
        assert_eq!(refresh.form_value("client_id"), Some(CLIENT));
        assert_eq!(refresh.form_value("client_secret"), Some(CLIENT_SECRET));
        assert!(!server.valid_refresh_token(&first_refresh));
        // The rotated refresh token was kept: again.
        env.run(&["refresh"]).ok();
        guard_tokens(&env, &server);
        assert_eq!(server.grant_count("refresh_token"), 2);
        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["scopes"], serde_json::json!(["offline_access"]));
        // The client secret is in the store, never in profiles.json.
        assert!(!env.read("profiles.json").contains(CLIENT_SECRET));
    }
}

#[test]
fn a_public_client_is_sent_without_a_secret() {
    let server = server();
    server.add_public_client("spa");
    let env = Env::new(Store::File);
    password_login(&env, &server, &["--client-id", "spa"]).ok();
    guard_tokens(&env, &server);
    let grant = last_grant(&server);
    assert_eq!(grant.form_value("client_id"), Some("spa"));
    assert!(!grant.has_form_field("client_secret"));
    env.run(&["refresh"]).ok();
    guard_tokens(&env, &server);
    assert_eq!(last_grant(&server).form_value("client_id"), Some("spa"));
}

#[test]
fn client_credentials_log_in_and_re_run_their_grant() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        client_login(&env, &server, &[])
            .ok()
            .stderr_has("as client crm-sync");
        guard_tokens(&env, &server);
        let grant = last_grant(&server);
        assert_eq!(grant.form_value("grant_type"), Some("client_credentials"));
        assert_eq!(grant.form_value("client_id"), Some(CLIENT));
        assert_eq!(grant.form_value("client_secret"), Some(CLIENT_SECRET));
        assert!(!grant.has_form_field("scope") && !grant.has_form_field("username"));
        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["kind"], "oauth_client_credentials");
        assert_eq!(whoami["has_refresh_token"], false);
        assert!(whoami["refresh_expires_at"].is_null());
        assert!(whoami["user"].is_null());
        env.run(&["refresh"]).ok();
        guard_tokens(&env, &server);
        assert_eq!(server.grant_count("client_credentials"), 2);
        assert_eq!(server.grant_count("refresh_token"), 0);
        let again = last_grant(&server);
        assert_eq!(again.form_value("client_secret"), Some(CLIENT_SECRET));
        // Automatic refresh runs the grant too.
        let out = env
            .run(&["token", "--min-valid", "1h"])
            .reveals()
            .ok()
            .stderr_is_empty();
        guard_tokens(&env, &server);
        assert_eq!(server.grant_count("client_credentials"), 3);
        assert_eq!(
            out.stdout,
            format!("{}\n", server.last_access_token().expect("issued"))
        );
    }
}

#[test]
fn client_credentials_send_scope_only_when_given() {
    let server = server();
    let env = Env::new(Store::File);
    client_login(&env, &server, &["--scope", "catalog:read"]).ok();
    guard_tokens(&env, &server);
    assert_eq!(
        last_grant(&server).form_value("scope"),
        Some("catalog:read")
    );
    env.run(&["refresh"]).ok();
    guard_tokens(&env, &server);
    assert_eq!(
        last_grant(&server).form_value("scope"),
        Some("catalog:read")
    );
}

#[test]
fn client_credentials_from_stdin_and_missing() {
    let server = server();
    let env = Env::new(Store::File);
    let url = server.url();
    env.run(&[
        "login",
        "--provider",
        "virto",
        "--url",
        &url,
        "--client-id",
        CLIENT,
        "--client-secret-stdin",
    ])
    .stdin(&format!("{CLIENT_SECRET}\n"))
    .secret(CLIENT_SECRET)
    .ok();
    guard_tokens(&env, &server);
    let other = Env::new(Store::File);
    other
        .run(&[
            "login",
            "--provider",
            "virto",
            "--url",
            &url,
            "--client-id",
            CLIENT,
        ])
        .code(2)
        .stderr_has("--client-secret-stdin")
        .stderr_has("CRMAUTH_CLIENT_SECRET");
}

#[test]
fn a_wrong_client_secret_is_exit_4_with_the_servers_words() {
    let server = server();
    let env = Env::new(Store::File);
    env.run(&[
        "login",
        "--provider",
        "virto",
        "--url",
        &server.url(),
        "--client-id",
        CLIENT,
    ])
    .env("CRMAUTH_CLIENT_SECRET", "not-the-secret")
    .secret("not-the-secret")
    .code(4)
    .stderr_has("invalid_client")
    .stderr_has("The specified client credentials are invalid.")
    .stderr_has("crmauth login -p default")
    .stderr_lines_at_most(2);
    env.run(&["token"]).code(3);
}

#[test]
fn an_error_code_without_description_is_shown() {
    let server = server();
    server.set_omit_error_description(true);
    let env = Env::new(Store::File);
    env.run(&[
        "login",
        "--provider",
        "virto",
        "--url",
        &server.url(),
        "--username",
        USER,
    ])
    .env("CRMAUTH_PASSWORD", "wrong")
    .code(4)
    .stderr_has("invalid_grant")
    .stderr_lines_at_most(2);
}

#[test]
fn a_rejected_refresh_keeps_the_credential() {
    for store in stores() {
        let server = server();
        server.set_expires_in(Some(0));
        let env = Env::new(store);
        password_login(&env, &server, &[]).ok();
        guard_tokens(&env, &server);
        server.invalidate_refresh_tokens();
        env.run(&["token"])
            .code(4)
            .stderr_has("invalid_grant")
            .stderr_has("The specified token is invalid.")
            .stderr_has("run 'crmauth login -p default'")
            .stderr_lines_at_most(2);
        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["has_refresh_token"], true);
        server.fail_next(TOKEN_PATH, FakeResponse::json(503, &serde_json::json!({})));
        env.run(&["refresh"]).code(5).stderr_has("503");
    }
}

#[test]
fn opaque_tokens_without_expiry() {
    let server = server();
    server.set_opaque_tokens(true);
    server.set_expires_in(None);
    let env = Env::new(Store::File);
    password_login(&env, &server, &[]).ok();
    guard_tokens(&env, &server);
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    assert!(whoami["jwt_claims"].is_null());
    assert!(whoami["expires_at"].is_null());
    env.run(&["token", "--min-valid", "30d"]).reveals().ok();
    assert_eq!(server.grant_count("refresh_token"), 0);
}

#[test]
fn whoami_verify_refreshes_a_stale_token_first() {
    let server = server();
    server.set_expires_in(Some(30));
    let env = Env::new(Store::File);
    password_login(&env, &server, &[]).ok();
    server.set_expires_in(Some(1800));
    env.run(&["whoami", "--verify"]).ok();
    guard_tokens(&env, &server);
    assert_eq!(server.grant_count("refresh_token"), 1);
}

#[test]
fn a_failed_revocation_keeps_the_profile() {
    let server = server();
    let env = Env::new(Store::File);
    password_login(&env, &server, &[]).ok();
    guard_tokens(&env, &server);
    server.fail_next("/revoke/token", FakeResponse::proxy_error_page(502));
    env.run(&["logout", "--revoke"]).code(5).stderr_has("502");
    env.run(&["token"]).reveals().ok();
}

#[test]
fn a_virto_login_needs_a_url() {
    let env = Env::new(Store::File);
    env.run(&["login", "--provider", "virto", "--username", USER])
        .env("CRMAUTH_PASSWORD", "x")
        .code(2)
        .stderr_has("--url");
}

#[test]
fn whoami_verify_asks_an_endpoint_that_a_dead_token_cannot_pass() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        password_login(&env, &server, &[]).ok();
        guard_tokens(&env, &server);
        env.run(&["whoami", "--verify"])
            .ok()
            .stdout_has("verified: the server accepts the credential (user admin)");
        let request = server.requests_to(PROFILE_PATH).pop().expect("verify");
        assert_eq!(
            request.bearer_token(),
            server.last_access_token().as_deref()
        );
        // security/currentuser still answers `200 {}`; that is no proof.
        server.invalidate_access_tokens();
        env.run(&["whoami", "--verify", "--json"])
            .code(4)
            .stderr_has("401")
            .stderr_has("'crmauth login -p default'")
            .stderr_lines_at_most(2);
    }
}

#[test]
fn whoami_verify_of_a_client_token_tells_live_from_dead() {
    let server = server();
    let env = Env::new(Store::File);
    client_login(&env, &server, &[]).ok();
    guard_tokens(&env, &server);
    env.run(&["whoami", "--verify"])
        .ok()
        .stdout_has("verified: the server accepts the credential\n");
    server.invalidate_access_tokens();
    env.run(&["-p", "default", "whoami", "--verify"])
        .code(4)
        .stderr_has("-p default");
}

/// `apikey set --provider virto` and the key in every place a header goes.
fn api_key_profile(server: &FakeVirto, key: &str) -> Env {
    let env = Env::new(Store::File);
    env.secret(key);
    env.run(&[
        "-p",
        "shop",
        "apikey",
        "set",
        "--provider",
        "virto",
        "--url",
        &server.url(),
        "--key-stdin",
    ])
    .stdin(key)
    .ok();
    env
}

#[test]
fn a_virto_api_key_goes_in_an_api_key_header_everywhere() {
    const KEY: &str = "vk_9d8c7b6a5f4e3d2c";
    let server = server();
    server.add_api_key(USER, KEY);
    let env = api_key_profile(&server, KEY);
    let token = |format: &str| {
        env.run(&["-p", "shop", "token", "--format", format])
            .reveals()
            .ok()
    };
    token("raw").stdout_is(&format!("{KEY}\n"));
    token("header").stdout_is(&format!("api_key: {KEY}\n"));
    token("env").stdout_is(&format!(
        "CRMAUTH_TOKEN='{KEY}'\nCRMAUTH_HEADER='api_key: {KEY}'\n"
    ));
    let json = token("json").json();
    assert_eq!(json["header_name"], "api_key");
    assert_eq!(json["header_value"], KEY);
    assert_eq!(json["header"], format!("api_key: {KEY}"));
    assert_eq!(json["kind"], "api_key");
    assert_eq!(json["provider"], "virto");
    assert_eq!(json["token_type"], serde_json::Value::Null);
    assert_eq!(json["expires_at"], serde_json::Value::Null);

    env.run(&["-p", "shop", "whoami", "--verify"])
        .ok()
        .stdout_has("(user admin)");
    let request = server.requests_to(PROFILE_PATH).pop().expect("verify");
    assert_eq!(request.header("api_key"), Some(KEY));
    assert_eq!(request.header("authorization"), None);

    env.run(&["-p", "shop", "refresh"])
        .code(2)
        .stderr_has("nothing to refresh");
    server.remove_api_key(KEY);
    env.run(&["-p", "shop", "whoami", "--verify"])
        .code(4)
        .stderr_has("crmauth apikey set -p shop");
    env.run(&["-p", "shop", "logout", "--revoke"])
        .ok()
        .stderr_has("does not revoke Virto API keys")
        .stderr_has("Logged out");
    assert!(server.requests_to(REVOKE_PATH).is_empty());
}

#[test]
fn logout_revoke_kills_the_login_on_the_platform_and_says_what_survives() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        password_login(&env, &server, &["--client-id", CLIENT])
            .env("CRMAUTH_CLIENT_SECRET", CLIENT_SECRET)
            .ok();
        guard_tokens(&env, &server);
        let access = server.last_access_token().expect("issued");
        let refresh = server.last_refresh_token().expect("issued");
        env.run(&["logout", "--revoke"])
            .ok()
            .stderr_has("Revoked")
            .stderr_has("stays valid until it expires, 20")
            .stderr_has("Logged out");
        assert!(!server.login_alive(&access), "the login is still alive");
        assert!(!server.valid_refresh_token(&refresh));
        let revocations = server.revocations();
        assert_eq!(revocations.len(), 1);
        // The platform reads the Bearer; standard servers read the form.
        assert_eq!(revocations[0].bearer.as_deref(), Some(access.as_str()));
        assert_eq!(revocations[0].token, refresh);
        assert_eq!(
            revocations[0].token_type_hint.as_deref(),
            Some("refresh_token")
        );
        assert_eq!(revocations[0].client_id.as_deref(), Some(CLIENT));
        assert_eq!(revocations[0].client_secret.as_deref(), Some(CLIENT_SECRET));
        env.run(&["token"]).code(3);
    }
}

#[test]
fn logout_revoke_with_an_expired_access_token_refreshes_first() {
    let server = server();
    let env = Env::new(Store::File);
    server.set_expires_in(Some(0));
    password_login(&env, &server, &[]).ok();
    server.set_expires_in(Some(1800));
    env.run(&["logout", "--revoke"]).ok().stderr_has("Revoked");
    guard_tokens(&env, &server);
    assert_eq!(server.grant_count("refresh_token"), 1);
    let fresh = server.last_access_token().expect("refreshed");
    let revocations = server.revocations();
    assert_eq!(revocations[0].bearer.as_deref(), Some(fresh.as_str()));
    assert!(!server.login_alive(&fresh));
    for refresh in server.issued_refresh_tokens() {
        assert!(
            !server.valid_refresh_token(&refresh),
            "a refresh token survived"
        );
    }
}

#[test]
fn logout_revoke_on_a_standard_server_revokes_the_form_token() {
    let server = server();
    server.set_revoke_mode(RevokeMode::Rfc7009);
    let env = Env::new(Store::File);
    password_login(&env, &server, &[]).ok();
    guard_tokens(&env, &server);
    let refresh = server.last_refresh_token().expect("issued");
    env.run(&["logout", "--revoke"]).ok();
    assert!(!server.valid_refresh_token(&refresh));
}

#[test]
fn logout_revoke_of_a_dead_login_logs_out_locally() {
    let server = server();
    let env = Env::new(Store::File);
    server.set_expires_in(Some(0));
    password_login(&env, &server, &[]).ok();
    guard_tokens(&env, &server);
    server.invalidate_refresh_tokens();
    env.run(&["logout", "--revoke"])
        .ok()
        .stderr_has("nothing left to revoke");
    env.run(&["token"]).code(3);
}
