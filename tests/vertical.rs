//! Vertical CRM auth tokens, end to end against the fake server: generate
//! (and `login --provider vertical`), the bare header, verify, delete and
//! `logout --revoke`, every refusal, and no password or token in any output
//! but `token`'s stdout.

mod support;

use support::FakeResponse;
use support::crmauth::{Env, Store, stores};
use support::vertical::{
    Comment, DELETE_PATH, FakeVertical, GENERATE_PATH, LineEnding, PropertiesStyle, Separator,
    USERS_PATH,
};

const EMAIL: &str = "admin@example.com";
const PASSWORD: &str = "p@ss&w=rd+%20é \"q\"";

fn server() -> FakeVertical {
    let server = FakeVertical::start();
    server.add_user(EMAIL, PASSWORD);
    server
}

fn generate_args(server: &FakeVertical) -> Vec<String> {
    [
        "authtoken",
        "generate",
        "--url",
        &server.url(),
        "--username",
        EMAIL,
        "--password-stdin",
    ]
    .map(str::to_string)
    .to_vec()
}

fn run_generate(env: &Env, server: &FakeVertical) -> support::crmauth::Run {
    env.secret(PASSWORD);
    let args = generate_args(server);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args).stdin(&format!("{PASSWORD}\n"))
}

/// Generates a token for the default profile and registers it as a secret.
fn generated(env: &Env, server: &FakeVertical) -> String {
    run_generate(env, server).ok();
    let token = server.last_token().expect("a token was generated");
    env.secret(&token);
    token
}

#[test]
fn generate_stores_a_permanent_token_sent_bare() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        let outcome = run_generate(&env, &server)
            .ok()
            .stderr_has("Generated an auth token for admin@example.com")
            .stderr_has("profile 'default'");
        if store == Store::File {
            outcome.stderr_has("credentials.json");
        } else {
            outcome.stderr_lacks("credentials.json");
        }
        let token = server.last_token().expect("token");
        env.secret(&token);

        let request = &server.requests_to(GENERATE_PATH)[0];
        assert_eq!(request.method, "POST");
        assert!(request.body.is_empty(), "the body must be empty");
        assert_eq!(request.query_value("EMAIL_ID"), Some(EMAIL));
        assert_eq!(request.query_value("PASSWORD"), Some(PASSWORD));
        assert_eq!(request.query_value("DISPLAY_NAME"), Some("crmauth"));

        env.run(&["token"])
            .reveals()
            .ok()
            .stdout_is(&format!("{token}\n"))
            .stderr_is_empty();
        env.run(&["token", "--format", "header"])
            .reveals()
            .ok()
            .stdout_is(&format!("Authorization: {token}\n"));
        let json = env
            .run(&["token", "--format", "json"])
            .reveals()
            .ok()
            .json();
        assert_eq!(json["provider"], "vertical");
        assert_eq!(json["kind"], "auth_token");
        assert_eq!(json["header"], format!("Authorization: {token}"));
        assert_eq!(json["header_value"], token);
        assert!(json["expires_at"].is_null() && json["expires_in"].is_null());
        env.run(&["token", "--format", "env"])
            .reveals()
            .ok()
            .stdout_is(&format!(
                "CRMAUTH_TOKEN='{token}'\nCRMAUTH_HEADER='Authorization: {token}'\nCRMAUTH_AUTHORIZATION='{token}'\n"
            ));

        let whoami = env.run(&["whoami", "--json"]).ok().json();
        assert_eq!(whoami["kind"], "auth_token");
        assert_eq!(whoami["user"], EMAIL);
        assert_eq!(whoami["url"], server.url());
        assert!(whoami["expires_at"].is_null());
        assert!(!env.read("profiles.json").contains(&token));
        assert!(!env.read("profiles.json").contains("w=rd"));
    }
}

#[test]
fn login_with_provider_vertical_generates_and_a_relogin_reuses_url_and_user() {
    let server = server();
    let env = Env::new(Store::File);
    env.secret(PASSWORD);
    env.run(&[
        "login",
        "--provider",
        "vertical",
        "--url",
        &server.url(),
        "--username",
        EMAIL,
        "--display-name",
        "nightly sync",
    ])
    .env("CRMAUTH_PASSWORD", PASSWORD)
    .ok()
    .stderr_has("Generated an auth token");
    assert_eq!(
        server.issued_tokens()[0].display_name.as_deref(),
        Some("nightly sync")
    );
    env.secret(&server.last_token().expect("token"));

    env.run(&["login"])
        .env("CRMAUTH_PASSWORD", PASSWORD)
        .ok()
        .stderr_has("admin@example.com")
        // The first token never expires and was not deleted: say so.
        .stderr_has("warning: the auth token profile 'default' held before is still valid");
    let second = server.last_token().expect("token");
    assert_eq!(server.issued_tokens().len(), 2);
    env.secret(&second);
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{second}\n"));
}

#[test]
fn special_characters_arrive_intact_in_the_query() {
    let email = "o'brien+crm&co=1@exämple.com";
    let server = FakeVertical::start();
    server.add_user(email, PASSWORD);
    let env = Env::new(Store::File);
    env.secret(PASSWORD);
    env.run(&[
        "authtoken",
        "generate",
        "--url",
        &server.url(),
        "--username",
        email,
        "--password-stdin",
        "--display-name",
        "a&b=c d",
    ])
    .stdin(PASSWORD)
    .ok();
    env.secret(&server.last_token().expect("token"));
    let request = &server.requests_to(GENERATE_PATH)[0];
    assert_eq!(request.query_value("EMAIL_ID"), Some(email));
    assert_eq!(request.query_value("PASSWORD"), Some(PASSWORD));
    assert_eq!(request.query_value("DISPLAY_NAME"), Some("a&b=c d"));
    assert!(
        request
            .raw_query()
            .contains("PASSWORD=p%40ss%26w%3Drd%2B%2520%C3%A9+%22q%22"),
        "{}",
        request.raw_query()
    );
}

#[test]
fn every_properties_style_is_read() {
    let styles = [
        (LineEnding::CrLf, Comment::Hash, Separator::Equals),
        (LineEnding::Lf, Comment::Bang, Separator::Equals),
        (LineEnding::Lf, Comment::Hash, Separator::Colon),
        (LineEnding::CrLf, Comment::Bang, Separator::SpacedEquals),
    ];
    for (line_ending, comment, separator) in styles {
        let server = server();
        server.set_style(PropertiesStyle {
            line_ending,
            comment,
            separator,
        });
        let env = Env::new(Store::File);
        let token = generated(&env, &server);
        env.run(&["token"])
            .reveals()
            .ok()
            .stdout_is(&format!("{token}\n"));
        // Refusals are read in the same style.
        server.set_next_cause("INVALID_PASSWORD");
        run_generate(&env, &server)
            .code(4)
            .stderr_has("INVALID_PASSWORD");
    }
}

#[test]
fn each_cause_is_exit_4_with_an_explanation_and_nothing_is_stored() {
    let server = server();
    let env = Env::new(Store::File);
    for (cause, explained) in [
        (
            "ACCOUNT_REGISTRATION_NOT_CONFIRMED",
            "registration is not confirmed",
        ),
        ("INVALID_PASSWORD", "wrong password"),
        ("NO_SUCH_USER", "no user has this email"),
        (
            "EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS",
            "delete an old token in Setup > Developer Space",
        ),
        ("INVALID_CREDENTIALS", "wrong email or password"),
        ("SOMETHING_NEW", "SOMETHING_NEW"),
    ] {
        server.set_next_cause(cause);
        run_generate(&env, &server)
            .code(4)
            .stderr_has(cause)
            .stderr_has(explained)
            .stderr_lines_at_most(2);
    }
    env.run(&["token"]).code(3);
}

#[test]
fn the_server_decides_on_wrong_passwords_unknown_users_and_token_limits() {
    let server = server();
    let env = Env::new(Store::File);
    env.secret("wrong-password");
    env.run(&[
        "authtoken",
        "generate",
        "--url",
        &server.url(),
        "--username",
        EMAIL,
        "--password-stdin",
    ])
    .stdin("wrong-password")
    .code(4)
    .stderr_has("INVALID_PASSWORD");
    env.run(&[
        "authtoken",
        "generate",
        "--url",
        &server.url(),
        "--username",
        "nobody@example.com",
        "--password-stdin",
    ])
    .stdin(PASSWORD)
    .secret(PASSWORD)
    .code(4)
    .stderr_has("NO_SUCH_USER");
    server.set_max_tokens(1);
    generated(&env, &server);
    run_generate(&env, &server)
        .code(4)
        .stderr_has("EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS")
        .stderr_has("Setup > Developer Space");
}

#[test]
fn answers_that_are_not_the_documented_properties_are_exit_5() {
    let server = server();
    let env = Env::new(Store::File);
    for answer in [
        FakeResponse::html(200, "<html><body>Down for maintenance</body></html>"),
        FakeResponse::empty(200),
        FakeResponse::text(200, "#\n#Mon\nAUTHTOKEN=abc\n"),
        FakeResponse::text(200, "#\nRESULT=TRUE\n"),
        FakeResponse::html(500, "<html>error</html>"),
        FakeResponse::html(404, "<html>not found</html>"),
        FakeResponse::redirect(302, "https://login.example.com/"),
        FakeResponse::too_many_requests(7),
    ] {
        let status = answer.status;
        server.fail_next(GENERATE_PATH, answer);
        let outcome = run_generate(&env, &server)
            .code(5)
            .stderr_lines_at_most(2)
            .stderr_lacks("w=rd");
        if status != 200 {
            outcome.stderr_has(&status.to_string());
        }
    }
    env.run(&["token"]).code(3);
}

#[test]
fn the_password_and_token_stay_out_of_verbose_logs() {
    let server = server();
    let env = Env::new(Store::File);
    env.secret(PASSWORD);
    let mut args = generate_args(&server);
    args.insert(0, "-v".to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args)
        .stdin(PASSWORD)
        .ok()
        .stderr_has("POST")
        .stderr_has("PASSWORD=[redacted]")
        .stderr_has("EMAIL_ID=[redacted]")
        .stderr_lacks("p%40ss");
    let token = server.last_token().expect("token");
    env.secret(&token);
    env.run(&["-v", "whoami", "--verify"])
        .ok()
        .stderr_has("type=CurrentUser");
    env.run(&["-v", "authtoken", "delete"])
        .ok()
        .stderr_has("crmauthtoken=[redacted]");
}

#[test]
fn missing_values_without_a_terminal_name_the_flag() {
    let server = server();
    let env = Env::new(Store::File);
    env.run(&[
        "authtoken",
        "generate",
        "--username",
        EMAIL,
        "--password-stdin",
    ])
    .stdin(PASSWORD)
    .secret(PASSWORD)
    .code(2)
    .stderr_has("--url");
    env.run(&[
        "authtoken",
        "generate",
        "--url",
        &server.url(),
        "--password-stdin",
    ])
    .stdin(PASSWORD)
    .code(2)
    .stderr_has("--username");
    env.run(&[
        "authtoken",
        "generate",
        "--url",
        &server.url(),
        "--username",
        EMAIL,
    ])
    .code(2)
    .stderr_has("--password-stdin")
    .stderr_has("CRMAUTH_PASSWORD");
    env.run(&["login", "--provider", "vertical", "--url", &server.url()])
        .code(2)
        .stderr_has("--username");
    env.run(&[
        "authtoken",
        "generate",
        "--url",
        "http://crm.example.com",
        "--username",
        EMAIL,
        "--password-stdin",
    ])
    .stdin(PASSWORD)
    .code(2)
    .stderr_has("--allow-http");
    assert_eq!(server.request_count(), 0);
}

#[test]
fn delete_removes_the_token_on_the_server_and_locally() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        let token = generated(&env, &server);
        env.run(&["authtoken", "delete"])
            .ok()
            .stderr_has("Deleted the auth token");
        let request = &server.requests_to(DELETE_PATH)[0];
        assert_eq!(request.method, "GET");
        assert_eq!(request.query_value("crmauthtoken"), Some(token.as_str()));
        assert!(!server.is_live(&token));
        env.run(&["token"]).code(3);
        env.run(&["authtoken", "delete"]).code(3);
    }
}

#[test]
fn delete_of_a_token_the_server_no_longer_knows_removes_it_with_a_warning() {
    let server = server();
    let env = Env::new(Store::File);
    generated(&env, &server);
    server.invalidate_all_tokens();
    env.run(&["authtoken", "delete"])
        .ok()
        .stderr_has("warning:")
        .stderr_has("INVALID_TICKET");
    env.run(&["token"]).code(3);
}

#[test]
fn a_failed_delete_keeps_the_token() {
    let server = server();
    let env = Env::new(Store::File);
    let token = generated(&env, &server);
    server.set_next_delete_cause("INTERNAL_ERROR");
    env.run(&["authtoken", "delete"])
        .code(4)
        .stderr_has("INTERNAL_ERROR")
        .stderr_has("kept");
    server.fail_next(DELETE_PATH, FakeResponse::html(503, "<html>busy</html>"));
    env.run(&["authtoken", "delete"])
        .code(5)
        .stderr_has("503")
        .stderr_lines_at_most(2);
    server.fail_next(DELETE_PATH, FakeResponse::html(200, "<html>login</html>"));
    env.run(&["authtoken", "delete"]).code(5);
    assert!(server.is_live(&token));
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{token}\n"));
}

#[test]
fn whoami_verify_sends_the_bare_token() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        let token = generated(&env, &server);
        env.run(&["whoami", "--verify"]).ok().stdout_has(&format!(
            "verified: the server accepts the credential (user {EMAIL})"
        ));
        let request = &server.requests_to(USERS_PATH)[0];
        assert_eq!(request.header("authorization"), Some(token.as_str()));
        assert_eq!(request.query_value("type"), Some("CurrentUser"));
        server.invalidate_all_tokens();
        env.run(&["whoami", "--verify"])
            .code(4)
            .stderr_has("Invalid Ticket Id")
            .stderr_has("'crmauth authtoken generate -p default'");
    }
}

#[test]
fn whoami_verify_reads_zoho_errors_sent_with_200() {
    let server = server();
    let env = Env::new(Store::File);
    generated(&env, &server);
    server.fail_next(
        USERS_PATH,
        FakeResponse::json(
            200,
            &serde_json::json!({"response": {"error": {"code": "4834", "message": "Invalid Ticket Id"}}}),
        ),
    );
    env.run(&["whoami", "--verify"]).code(4).stderr_has("4834");
    server.fail_next(
        USERS_PATH,
        FakeResponse::html(502, "<html>bad gateway</html>"),
    );
    env.run(&["whoami", "--verify"]).code(5).stderr_has("502");
}

#[test]
fn logout_revoke_deletes_the_token_first() {
    for store in stores() {
        let server = server();
        let env = Env::new(store);
        let token = generated(&env, &server);
        env.run(&["logout", "--revoke"]).ok();
        assert!(!server.is_live(&token));
        env.run(&["token"]).code(3);
    }
}

#[test]
fn logout_revoke_forgets_an_invalid_token_but_keeps_one_it_could_not_delete() {
    let server = server();
    let env = Env::new(Store::File);
    let token = generated(&env, &server);
    server.fail_next(DELETE_PATH, FakeResponse::html(500, "<html>oops</html>"));
    env.run(&["logout", "--revoke"]).code(5);
    assert!(server.is_live(&token));
    env.run(&["token"]).reveals().ok();
    server.invalidate_all_tokens();
    env.run(&["logout", "--revoke"])
        .ok()
        .stderr_has("warning:")
        .stderr_has("INVALID_TICKET");
    env.run(&["token"]).code(3);
}

#[test]
fn logout_without_revoke_leaves_the_token_live() {
    let server = server();
    let env = Env::new(Store::File);
    let token = generated(&env, &server);
    env.run(&["logout"]).ok();
    assert!(server.is_live(&token));
    assert!(server.requests_to(DELETE_PATH).is_empty());
}

#[test]
fn an_auth_token_has_nothing_to_refresh() {
    let server = server();
    let env = Env::new(Store::File);
    generated(&env, &server);
    env.run(&["refresh"])
        .code(2)
        .stderr_has("nothing to refresh");
}

#[test]
fn login_refuses_flags_of_other_providers() {
    let server = server();
    let env = Env::new(Store::File);
    env.run(&[
        "login",
        "--provider",
        "vertical",
        "--url",
        &server.url(),
        "--username",
        EMAIL,
        "--client-id",
        "x",
    ])
    .code(2)
    .stderr_has("--client-id");
}

#[test]
fn authtoken_commands_refuse_a_profile_of_another_provider() {
    let server = server();
    let env = Env::new(Store::File);
    let key = "virtuous-api-key-kept";
    env.secret(key);
    env.run(&["apikey", "set", "--provider", "virtuous", "--key-stdin"])
        .stdin(key)
        .ok();
    run_generate(&env, &server)
        .code(2)
        .stderr_has("profile 'default' is a virtuous profile")
        .stderr_has("-p NAME")
        .stderr_lines_at_most(2);
    env.run(&["authtoken", "delete"])
        .code(2)
        .stderr_has("profile 'default' is a virtuous profile");
    assert_eq!(server.request_count(), 0);
    env.run(&["token"])
        .reveals()
        .ok()
        .stdout_is(&format!("{key}\n"));
    // `login --provider vertical` names the provider: it replaces the profile.
    let mut args = generate_args(&server);
    args.splice(
        0..2,
        [
            "login".to_string(),
            "--provider".to_string(),
            "vertical".to_string(),
        ],
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args).stdin(PASSWORD).ok();
    env.secret(&server.last_token().expect("generated"));
    let whoami = env.run(&["whoami", "--json"]).ok().json();
    assert_eq!(whoami["provider"], "vertical");
}
