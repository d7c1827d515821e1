//! Self-tests of the fake provider servers in `tests/support/`: each fake does
//! what DESIGN.md says the real vendor does.

mod support;

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use support::vertical::{Comment, LineEnding, PropertiesStyle, Separator};
use support::{FakeResponse, FakeVertical, FakeVirto, FakeVirtuous, virto, virtuous};

/// The password from DESIGN.md, plus a space, quotes and a non-ASCII letter.
const NASTY: &str = "p@ss&w=rd+%20é \"q\"";

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn agent(timeout: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(timeout)
        .build()
        .into()
}

fn reply(mut resp: ureq::http::Response<ureq::Body>) -> Reply {
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp
        .body_mut()
        .with_config()
        .limit(16 * 1024 * 1024)
        .read_to_string()
        .expect("read body");
    Reply {
        status,
        headers,
        body,
    }
}

fn post_form(url: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
    let mut req = agent(None).post(url);
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    reply(req.send_form(form.iter().copied()).expect("POST"))
}

fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = agent(None).get(url);
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    reply(req.call().expect("GET"))
}

fn jwt_claims(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWT: {token}");
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url payload");
    serde_json::from_slice(&payload).expect("JSON payload")
}

// ---------------------------------------------------------------- virtuous

#[test]
fn virtuous_password_grant_and_errors() {
    let fake = FakeVirtuous::start();
    fake.add_user("ann@example.org", NASTY);
    let url = fake.url_for(virtuous::TOKEN_PATH);

    let ok = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "ann@example.org"),
            ("password", NASTY),
        ],
        &[],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let body = ok.json();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 1_295_999);
    assert_eq!(body["userName"], "ann@example.org");
    assert!(
        body[".issued"]
            .as_str()
            .is_some_and(|s| s.ends_with(" GMT"))
    );
    assert!(body[".expires"].is_string());
    assert_eq!(
        Some(body["access_token"].as_str().expect("access")),
        fake.last_access_token().as_deref()
    );
    assert_eq!(
        Some(body["refresh_token"].as_str().expect("refresh")),
        fake.last_refresh_token().as_deref()
    );

    // The form arrived decoded exactly once.
    let recorded = &fake.requests_to(virtuous::TOKEN_PATH)[0];
    assert_eq!(recorded.form_value("password"), Some(NASTY));
    assert_eq!(recorded.method, "POST");

    let bad = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "ann@example.org"),
            ("password", "nope"),
        ],
        &[],
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"], "invalid_grant");
    assert_eq!(
        bad.json()["error_description"],
        "The user name or password is incorrect."
    );
    assert_eq!(fake.grant_count("password"), 2);

    fake.set_expires_in(None);
    let no_exp = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "ann@example.org"),
            ("password", NASTY),
        ],
        &[],
    )
    .json();
    assert!(no_exp.get("expires_in").is_none());
}

#[test]
fn virtuous_two_factor_answers_202_then_checks_otp() {
    let fake = FakeVirtuous::start();
    fake.add_2fa_user("bob", "pw", "123456");
    let url = fake.url_for(virtuous::TOKEN_PATH);
    let form = [
        ("grant_type", "password"),
        ("username", "bob"),
        ("password", "pw"),
    ];

    let first = post_form(&url, &form, &[]);
    assert_eq!(first.status, 202);
    assert!(fake.issued_access_tokens().is_empty());

    let wrong = post_form(&url, &form, &[("OTP", "000000")]);
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.json()["error"], "invalid_grant");

    let right = post_form(&url, &form, &[("OTP", "123456")]);
    assert_eq!(right.status, 200, "{}", right.body);
    assert!(right.json()["access_token"].is_string());
}

#[test]
fn virtuous_refresh_tokens_rotate_and_are_single_use() {
    let fake = FakeVirtuous::start();
    fake.add_user("ann", "pw");
    let url = fake.url_for(virtuous::TOKEN_PATH);
    let first = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "ann"),
            ("password", "pw"),
        ],
        &[],
    )
    .json();
    let r1 = first["refresh_token"].as_str().expect("r1").to_string();

    let second = post_form(
        &url,
        &[("grant_type", "refresh_token"), ("refresh_token", &r1)],
        &[],
    );
    assert_eq!(second.status, 200);
    let r2 = second.json()["refresh_token"]
        .as_str()
        .expect("r2")
        .to_string();
    assert_ne!(r1, r2);
    assert!(!fake.valid_refresh_token(&r1));
    assert!(fake.valid_refresh_token(&r2));

    let reused = post_form(
        &url,
        &[("grant_type", "refresh_token"), ("refresh_token", &r1)],
        &[],
    );
    assert_eq!(reused.status, 400);
    assert_eq!(reused.json()["error"], "invalid_grant");
    assert_eq!(fake.grant_count("refresh_token"), 2);

    // The verification endpoint accepts the live access token, any "Bearer" casing.
    let access = second.json()["access_token"]
        .as_str()
        .expect("access")
        .to_string();
    let verify = fake.url_for(virtuous::VERIFY_PATH);
    let ok = get(&verify, &[("Authorization", &format!("bearer {access}"))]);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["name"], virtuous::ORGANIZATION_NAME);
    assert_eq!(
        get(&verify, &[("Authorization", "Bearer nope")]).status,
        401
    );
    assert_eq!(get(&verify, &[]).status, 401);
    fake.invalidate_access_tokens();
    assert_eq!(
        get(&verify, &[("Authorization", &format!("Bearer {access}"))]).status,
        401
    );
}

// ---------------------------------------------------------------- virto

#[test]
fn virto_refresh_requires_the_client_that_obtained_the_token() {
    let fake = FakeVirto::start();
    fake.add_user("admin", NASTY);
    fake.add_client("cli", "s3cret");
    let url = fake.url_for(virto::TOKEN_PATH);

    let granted = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", NASTY),
            ("scope", "offline_access"),
            ("client_id", "cli"),
            ("client_secret", "s3cret"),
        ],
        &[],
    );
    assert_eq!(granted.status, 200, "{}", granted.body);
    let body = granted.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 1800);
    assert_eq!(body["scope"], "offline_access");
    let claims = jwt_claims(body["access_token"].as_str().expect("access"));
    assert_eq!(claims["name"], "admin");
    assert!(claims["exp"].is_i64() && claims["iat"].is_i64() && claims["sub"].is_string());
    let r1 = body["refresh_token"].as_str().expect("refresh").to_string();

    let without_client = post_form(
        &url,
        &[("grant_type", "refresh_token"), ("refresh_token", &r1)],
        &[],
    );
    assert_eq!(without_client.status, 401);
    assert_eq!(without_client.json()["error"], "invalid_client");
    assert!(
        fake.valid_refresh_token(&r1),
        "a rejected client must not burn the token"
    );

    let with_client = post_form(
        &url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &r1),
            ("client_id", "cli"),
            ("client_secret", "s3cret"),
        ],
        &[],
    );
    assert_eq!(with_client.status, 200, "{}", with_client.body);
    let r2 = with_client.json()["refresh_token"]
        .as_str()
        .expect("r2")
        .to_string();
    assert_ne!(r1, r2);
    fake.age_tokens(virto::REPLAY_LEEWAY_SECS + 1);
    let again = post_form(
        &url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &r1),
            ("client_id", "cli"),
            ("client_secret", "s3cret"),
        ],
        &[],
    );
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["error"], "invalid_grant");
    assert_eq!(fake.grant_count("refresh_token"), 3);
}

#[test]
fn virto_grants_scopes_errors_user_and_revocation() {
    let fake = FakeVirto::start();
    fake.add_user("admin", "store");
    fake.add_client("svc", "sec");
    let url = fake.url_for(virto::TOKEN_PATH);

    // No offline_access: no refresh token.
    let plain = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "store"),
        ],
        &[],
    )
    .json();
    assert!(plain.get("refresh_token").is_none());

    // client_credentials: no refresh token; a bad secret is invalid_client.
    let cc = post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "svc"),
            ("client_secret", "sec"),
        ],
        &[],
    );
    assert_eq!(cc.status, 200);
    assert!(cc.json().get("refresh_token").is_none());
    let bad = post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "svc"),
            ("client_secret", "x"),
        ],
        &[],
    );
    assert_eq!(bad.status, 401);
    assert_eq!(bad.json()["error"], "invalid_client");

    let wrong = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "x"),
        ],
        &[],
    );
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.json()["error"], "invalid_grant");
    assert!(wrong.json()["error_description"].is_string());
    fake.set_omit_error_description(true);
    let bare = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "x"),
        ],
        &[],
    )
    .json();
    assert_eq!(bare, serde_json::json!({"error": "invalid_grant"}));
    let unsupported = post_form(&url, &[("grant_type", "implicit")], &[]);
    assert_eq!(unsupported.json()["error"], "unsupported_grant_type");

    // Opaque tokens, current user, revocation.
    fake.set_opaque_tokens(true);
    let offline = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "store"),
            ("scope", "offline_access openid"),
        ],
        &[],
    )
    .json();
    let access = offline["access_token"]
        .as_str()
        .expect("access")
        .to_string();
    assert!(!access.contains('.'));
    let me = get(
        &fake.url_for(virto::CURRENT_USER_PATH),
        &[("Authorization", &format!("Bearer {access}"))],
    );
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["userName"], "admin");
    assert!(me.json()["id"].is_string());

    let refresh = offline["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_string();
    let bearer = format!("Bearer {access}");

    // security/currentuser is [AllowAnonymous]: `{}` without a live user.
    let anonymous = get(&fake.url_for(virto::CURRENT_USER_PATH), &[]);
    assert_eq!(
        (anonymous.status, anonymous.json()),
        (200, serde_json::json!({}))
    );
    let client = cc.json()["access_token"]
        .as_str()
        .expect("client token")
        .to_string();
    let as_client = get(
        &fake.url_for(virto::CURRENT_USER_PATH),
        &[("Authorization", &format!("Bearer {client}"))],
    );
    assert_eq!(
        (as_client.status, as_client.json()),
        (200, serde_json::json!({}))
    );
    // profiles/currentuser is [Authorize]: 401 without a live credential.
    assert_eq!(get(&fake.url_for(virto::PROFILE_PATH), &[]).status, 401);
    let client_profile = get(
        &fake.url_for(virto::PROFILE_PATH),
        &[("Authorization", &format!("Bearer {client}"))],
    );
    assert_eq!(client_profile.status, 200);
    assert!(client_profile.body.is_empty());
    assert_eq!(
        get(
            &fake.url_for(virto::PROFILE_PATH),
            &[("Authorization", &bearer)]
        )
        .status,
        200
    );

    // The platform ignores the form: revoking by the form token alone does nothing.
    let by_form = post_form(
        &fake.url_for(virto::REVOKE_PATH),
        &[("token", &refresh), ("token_type_hint", "refresh_token")],
        &[],
    );
    assert_eq!(by_form.status, 200);
    assert!(fake.valid_refresh_token(&refresh));
    // The Bearer's login is revoked; the JWT-like access token stays valid.
    let by_bearer = post_form(
        &fake.url_for(virto::REVOKE_PATH),
        &[],
        &[("Authorization", &bearer)],
    );
    assert_eq!(by_bearer.status, 200);
    assert!(by_bearer.body.is_empty());
    assert!(!fake.valid_refresh_token(&refresh));
    assert!(fake.valid_access_token(&access));
    let revocations = fake.revocations();
    assert_eq!(revocations.len(), 2);
    assert!(!revocations[0].known);
    assert!(revocations[1].known);
    assert_eq!(revocations[1].bearer.as_deref(), Some(access.as_str()));

    // A standard RFC 7009 server revokes the form's token instead.
    fake.set_revoke_mode(virto::RevokeMode::Rfc7009);
    let again = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "store"),
            ("scope", "offline_access"),
        ],
        &[],
    )
    .json();
    let second = again["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_string();
    post_form(
        &fake.url_for(virto::REVOKE_PATH),
        &[("token", &second), ("token_type_hint", "refresh_token")],
        &[],
    );
    assert!(!fake.valid_refresh_token(&second));

    // API keys in an `api_key` header.
    fake.add_api_key("admin", "vk-1");
    let keyed = get(&fake.url_for(virto::PROFILE_PATH), &[("api_key", "vk-1")]);
    assert_eq!(keyed.status, 200);
    let named = get(
        &fake.url_for(virto::CURRENT_USER_PATH),
        &[("api_key", "vk-1")],
    );
    assert_eq!(named.json()["userName"], "admin");
    assert_eq!(
        get(&fake.url_for(virto::PROFILE_PATH), &[("api_key", "vk-0")]).status,
        401
    );
}

#[test]
fn virto_refresh_tokens_roll_and_a_late_replay_kills_the_login() {
    let fake = FakeVirto::start();
    fake.add_user("admin", "store");
    let url = fake.url_for(virto::TOKEN_PATH);
    let login = post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "store"),
            ("scope", "offline_access"),
        ],
        &[],
    )
    .json();
    let first = login["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_string();
    let refresh = |token: &str| {
        post_form(
            &url,
            &[("grant_type", "refresh_token"), ("refresh_token", token)],
            &[],
        )
    };
    let rolled = refresh(&first).json();
    let second = rolled["refresh_token"]
        .as_str()
        .expect("rolled")
        .to_string();
    assert_ne!(second, first);
    assert!(!fake.valid_refresh_token(&first));
    let left = fake.refresh_token_expires_in(&second).expect("expiry");
    assert!(left > virto::REFRESH_LIFETIME_SECS - 60, "{left}");
    // Within 30 s, the redeemed token still works (a retry after a lost answer).
    assert_eq!(refresh(&first).status, 200);
    fake.age_tokens(virto::REPLAY_LEEWAY_SECS + 1);
    let replay = refresh(&first);
    assert_eq!(replay.status, 400);
    assert_eq!(replay.json()["error"], "invalid_grant");
    assert!(
        !fake.valid_refresh_token(&second),
        "the login survived a replay"
    );
}

// ---------------------------------------------------------------- vertical

#[test]
fn vertical_generate_decodes_query_and_answers_properties() {
    let fake = FakeVertical::start();
    fake.add_user("Ann@Example.org", NASTY);
    let url = fake.url_for(support::vertical::GENERATE_PATH);

    let resp = reply(
        agent(None)
            .post(&url)
            .query("EMAIL_ID", "ann@example.org")
            .query("PASSWORD", NASTY)
            .query("DISPLAY_NAME", "crmauth")
            .send_empty()
            .expect("POST"),
    );
    assert_eq!(resp.status, 200);
    assert!(
        resp.header("content-type")
            .is_some_and(|c| c.starts_with("text/plain"))
    );
    let lines: Vec<&str> = resp.body.lines().collect();
    assert_eq!(lines[0], "#");
    assert!(
        lines[1].starts_with('#') && lines[1].contains(" GMT "),
        "{lines:?}"
    );
    let token = fake.last_token().expect("token");
    assert_eq!(lines[2], format!("AUTHTOKEN={token}"));
    assert_eq!(lines[3], "RESULT=TRUE");
    assert_eq!(token.len(), 32);
    let recorded = &fake.requests_to(support::vertical::GENERATE_PATH)[0];
    assert_eq!(recorded.query_value("PASSWORD"), Some(NASTY));
    assert!(recorded.body.is_empty());
    assert_eq!(
        fake.issued_tokens()[0].display_name.as_deref(),
        Some("crmauth")
    );

    // %20 and + both decode to a space; wrong password and unknown user.
    let spaced = get_with_raw_query(&fake, "EMAIL_ID=ann%40example.org&PASSWORD=a%20b+c");
    assert!(
        spaced.contains("CAUSE=INVALID_PASSWORD\nRESULT=FALSE"),
        "{spaced}"
    );
    assert_eq!(
        fake.requests_to(support::vertical::GENERATE_PATH)[1].query_value("PASSWORD"),
        Some("a b c")
    );
    assert!(get_with_raw_query(&fake, "EMAIL_ID=who&PASSWORD=x").contains("CAUSE=NO_SUCH_USER"));
    fake.set_next_cause("ACCOUNT_REGISTRATION_NOT_CONFIRMED");
    assert!(
        get_with_raw_query(&fake, "EMAIL_ID=ann%40example.org&PASSWORD=x")
            .contains("CAUSE=ACCOUNT_REGISTRATION_NOT_CONFIRMED")
    );

    fake.set_style(PropertiesStyle {
        line_ending: LineEnding::CrLf,
        comment: Comment::Bang,
        separator: Separator::Colon,
    });
    let styled = get_with_raw_query(&fake, "EMAIL_ID=who&PASSWORD=x");
    assert!(styled.starts_with("!\r\n!"), "{styled:?}");
    assert!(
        styled.ends_with("CAUSE: NO_SUCH_USER\r\nRESULT: FALSE\r\n"),
        "{styled:?}"
    );
}

/// POSTs to the generate endpoint with a hand-written query string.
fn get_with_raw_query(fake: &FakeVertical, query: &str) -> String {
    let url = format!("{}?{query}", fake.url_for(support::vertical::GENERATE_PATH));
    let resp = reply(agent(None).post(&url).send_empty().expect("POST"));
    assert_eq!(resp.status, 200);
    resp.body
}

#[test]
fn vertical_delete_and_current_user() {
    let fake = FakeVertical::start();
    fake.insert_token("ann@example.org", "abc123");
    let users = fake.url_for("/crm/private/json/Users/getUsers?type=CurrentUser");
    assert_eq!(get(&users, &[("Authorization", "abc123")]).status, 200);
    assert_eq!(
        get(&users, &[("Authorization", "Bearer abc123")]).status,
        401
    );
    assert_eq!(get(&format!("{users}&authtoken=abc123"), &[]).status, 200);

    let delete = fake.url_for("/crm/deleteapiauthtoken.do?crmauthtoken=abc123");
    assert!(get(&delete, &[]).body.ends_with("\nRESULT=TRUE\n"));
    assert!(!fake.is_live("abc123"));
    assert!(
        get(&delete, &[])
            .body
            .contains("CAUSE=INVALID_TICKET\nRESULT=FALSE")
    );
    assert_eq!(get(&users, &[("Authorization", "abc123")]).status, 401);
}

// ---------------------------------------------------------------- generic

#[test]
fn overrides_redirects_large_bodies_and_hangs() {
    let fake = FakeVirtuous::start();
    fake.add_user("ann", "pw");
    let url = fake.url_for(virtuous::TOKEN_PATH);
    let form = [
        ("grant_type", "password"),
        ("username", "ann"),
        ("password", "pw"),
    ];

    fake.fail_next(virtuous::TOKEN_PATH, FakeResponse::too_many_requests(7));
    fake.fail_next(
        virtuous::TOKEN_PATH,
        FakeResponse::redirect(302, "http://127.0.0.1:9/elsewhere"),
    );
    fake.fail_next(
        virtuous::TOKEN_PATH,
        FakeResponse::large(200, 2 * 1024 * 1024).chunked(),
    );
    fake.fail_next(virtuous::TOKEN_PATH, FakeResponse::proxy_error_page(502));
    let limited = post_form(&url, &form, &[]);
    assert_eq!(
        (limited.status, limited.header("retry-after")),
        (429, Some("7"))
    );
    let moved = post_form(&url, &form, &[]);
    assert_eq!(
        (moved.status, moved.header("location")),
        (302, Some("http://127.0.0.1:9/elsewhere"))
    );
    let large = post_form(&url, &form, &[]);
    assert_eq!(large.body.len(), 2 * 1024 * 1024);
    assert!(large.header("content-length").is_none());
    let html = post_form(&url, &form, &[]);
    assert_eq!(html.status, 502);
    assert!(html.body.contains("<html>"));
    assert!(
        fake.issued_access_tokens().is_empty(),
        "overrides skip the provider logic"
    );
    assert_eq!(post_form(&url, &form, &[]).status, 200);

    fake.fail_always(virtuous::TOKEN_PATH, FakeResponse::empty(500));
    assert_eq!(post_form(&url, &form, &[]).status, 500);
    assert_eq!(post_form(&url, &form, &[]).status, 500);
    fake.clear_failures(virtuous::TOKEN_PATH);

    fake.fail_next_after_handling(virtuous::TOKEN_PATH, FakeResponse::empty(504));
    assert_eq!(post_form(&url, &form, &[]).status, 504);
    assert_eq!(
        fake.issued_access_tokens().len(),
        2,
        "the lost answer still issued a token"
    );

    fake.hang(virtuous::TOKEN_PATH);
    let started = Instant::now();
    let hung = agent(Some(Duration::from_millis(300)))
        .post(&url)
        .send_form(form);
    assert!(hung.is_err());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(fake.requests_to(virtuous::TOKEN_PATH).len(), 9);
}

#[test]
fn delayed_requests_are_served_concurrently() {
    let fake = FakeVirto::start();
    fake.set_delay(Duration::from_millis(500));
    let url = fake.url_for(virto::PROFILE_PATH);
    let started = Instant::now();
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || get(&url, &[]).status)
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().expect("client thread"), 401);
    }
    let elapsed = started.elapsed();
    // One after another would take 10 s; generous for a loaded 2-core machine.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_eq!(fake.request_count(), 20);
}
