//! A fake Virtuous CRM: `POST /Token` (password and refresh grants, 2FA with
//! `202 Accepted` and the code in an `OTP` header or an `otp` form field,
//! rotating single-use refresh tokens, RFC 1123 `.issued`/`.expires`) and
//! `GET /api/Organization/Current` for verification.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::json;

use super::server::{
    FakeResponse, FakeServer, RecordedRequest, http_date, method_not_allowed, not_found,
    random_token, unix_now,
};

pub const TOKEN_PATH: &str = "/Token";
pub const VERIFY_PATH: &str = "/api/Organization/Current";
/// What the real server sends: about 15 days.
pub const DEFAULT_EXPIRES_IN: u64 = 1_295_999;
/// Refresh tokens live 365 days.
pub const REFRESH_LIFETIME_SECS: i64 = 365 * 24 * 3600;
pub const ORGANIZATION_NAME: &str = "Fake Virtuous Org";

/// What a refresh answer does with the refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshRotation {
    /// A new refresh token in every answer; the used one is dead (default).
    Rotate,
    /// The same refresh token comes back and stays valid.
    Reuse,
    /// The answer has no `refresh_token`; the used one stays valid.
    Omit,
}

#[derive(Debug, Clone)]
struct User {
    password: String,
    otp: Option<String>,
}

#[derive(Debug, Clone)]
struct AccessToken {
    user: String,
    /// Unix seconds; `None` never expires.
    expires_at: Option<i64>,
    revoked: bool,
}

#[derive(Debug, Clone)]
struct RefreshToken {
    user: String,
    expires_at: i64,
    used: bool,
}

#[derive(Debug)]
struct State {
    users: HashMap<String, User>,
    api_keys: Vec<String>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    issued_access: Vec<String>,
    issued_refresh: Vec<String>,
    grant_counts: HashMap<String, usize>,
    expires_in: Option<u64>,
    rotation: RefreshRotation,
    accepted_body: Option<String>,
    /// `.expires` this many seconds from now instead of at `expires_in`.
    expires_date_in: Option<i64>,
    /// `refresh_expires_in` of later answers (the real server sends none).
    refresh_expires_in: Option<i64>,
}

/// The fake Virtuous server. Derefs to [`FakeServer`] for `url()`,
/// `requests()`, `fail_next()`, `set_delay()`, ...
pub struct FakeVirtuous {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeVirtuous {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeVirtuous {
    /// Starts a server with no users.
    pub fn start() -> FakeVirtuous {
        let state = Arc::new(Mutex::new(State {
            users: HashMap::new(),
            api_keys: Vec::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            issued_access: Vec::new(),
            issued_refresh: Vec::new(),
            grant_counts: HashMap::new(),
            expires_in: Some(DEFAULT_EXPIRES_IN),
            rotation: RefreshRotation::Rotate,
            accepted_body: None,
            expires_date_in: None,
            refresh_expires_in: None,
        }));
        let handler_state = Arc::clone(&state);
        let server = FakeServer::start_fn(move |req| handle(&handler_state, req));
        FakeVirtuous { server, state }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The underlying generic server.
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// Registers a user without two-factor auth.
    pub fn add_user(&self, username: &str, password: &str) {
        self.state().users.insert(
            username.to_string(),
            User {
                password: password.to_string(),
                otp: None,
            },
        );
    }

    /// Registers a user with two-factor auth: a password request without the
    /// code (an `OTP` header or `otp` field) gets `202 Accepted`.
    pub fn add_2fa_user(&self, username: &str, password: &str, otp: &str) {
        self.state().users.insert(
            username.to_string(),
            User {
                password: password.to_string(),
                otp: Some(otp.to_string()),
            },
        );
    }

    /// Registers a static API key accepted as `Authorization: Bearer <key>`.
    pub fn add_api_key(&self, key: &str) {
        self.state().api_keys.push(key.to_string());
    }

    /// `expires_in` of later answers; `None` omits `expires_in` and `.expires`
    /// (the access token then never expires here).
    pub fn set_expires_in(&self, secs: Option<u64>) {
        self.state().expires_in = secs;
    }

    /// Sends `.expires` this many seconds from now, disagreeing with
    /// `expires_in` (the docs disagree with themselves: 15 days or 3599 s).
    pub fn set_expires_date_in(&self, secs: Option<i64>) {
        self.state().expires_date_in = secs;
    }

    /// States `refresh_expires_in` in later answers (`None`: omitted, as the
    /// real server does).
    pub fn set_refresh_expires_in(&self, secs: Option<i64>) {
        self.state().refresh_expires_in = secs;
    }

    /// What refresh answers do with the refresh token (default: rotate).
    pub fn set_refresh_rotation(&self, rotation: RefreshRotation) {
        self.state().rotation = rotation;
    }

    /// Body of the 2FA `202 Accepted` answer: `None` (default) sends an empty
    /// body, `Some(json)` sends it as `application/json`.
    pub fn set_2fa_accepted_body(&self, body: Option<&str>) {
        self.state().accepted_body = body.map(str::to_string);
    }

    /// How many `/Token` requests arrived with this `grant_type` (successful
    /// or not; overridden requests are not counted).
    pub fn grant_count(&self, grant_type: &str) -> usize {
        self.state()
            .grant_counts
            .get(grant_type)
            .copied()
            .unwrap_or(0)
    }

    /// Every access token issued, oldest first.
    pub fn issued_access_tokens(&self) -> Vec<String> {
        self.state().issued_access.clone()
    }

    /// Every refresh token issued, oldest first.
    pub fn issued_refresh_tokens(&self) -> Vec<String> {
        self.state().issued_refresh.clone()
    }

    /// The most recently issued access token.
    pub fn last_access_token(&self) -> Option<String> {
        self.state().issued_access.last().cloned()
    }

    /// The most recently issued refresh token.
    pub fn last_refresh_token(&self) -> Option<String> {
        self.state().issued_refresh.last().cloned()
    }

    /// Whether `token` is an access token issued here, unexpired and not
    /// invalidated (or a registered API key).
    pub fn valid_access_token(&self, token: &str) -> bool {
        token_is_valid(&self.state(), token)
    }

    /// Whether `token` is a refresh token issued here that can still be used.
    pub fn valid_refresh_token(&self, token: &str) -> bool {
        let state = self.state();
        state
            .refresh
            .get(token)
            .is_some_and(|r| !r.used && r.expires_at > unix_now())
    }

    /// Server-side invalidation of every access token issued so far (for
    /// `whoami --verify` rejection tests). Refresh tokens keep working.
    pub fn invalidate_access_tokens(&self) {
        for t in self.state().access.values_mut() {
            t.revoked = true;
        }
    }

    /// Server-side invalidation of every refresh token issued so far.
    pub fn invalidate_refresh_tokens(&self) {
        for t in self.state().refresh.values_mut() {
            t.used = true;
        }
    }

    /// Plants a refresh token as if issued earlier (e.g. for a pre-seeded store).
    pub fn insert_refresh_token(&self, username: &str, refresh_token: &str) {
        self.state().refresh.insert(
            refresh_token.to_string(),
            RefreshToken {
                user: username.to_string(),
                expires_at: unix_now() + REFRESH_LIFETIME_SECS,
                used: false,
            },
        );
    }

    /// Plants an access token as if issued earlier, valid for `valid_for`.
    pub fn insert_access_token(&self, username: &str, access_token: &str, valid_for: Duration) {
        let secs = i64::try_from(valid_for.as_secs()).unwrap_or(i64::MAX / 2);
        self.state().access.insert(
            access_token.to_string(),
            AccessToken {
                user: username.to_string(),
                expires_at: Some(unix_now() + secs),
                revoked: false,
            },
        );
    }
}

fn token_is_valid(state: &State, token: &str) -> bool {
    if state.api_keys.iter().any(|k| k == token) {
        return true;
    }
    state
        .access
        .get(token)
        .is_some_and(|t| !t.revoked && t.expires_at.is_none_or(|exp| exp > unix_now()))
}

fn oauth_error(error: &str, description: Option<&str>) -> FakeResponse {
    let body = match description {
        Some(d) => json!({"error": error, "error_description": d}),
        None => json!({"error": error}),
    };
    FakeResponse::json(400, &body).with_header("Cache-Control", "no-cache")
}

fn handle(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    if req.path.eq_ignore_ascii_case(TOKEN_PATH) {
        if req.method != "POST" {
            return method_not_allowed(req, "POST");
        }
        return token(state, req);
    }
    if req.path.eq_ignore_ascii_case(VERIFY_PATH) {
        if req.method != "GET" {
            return method_not_allowed(req, "GET");
        }
        return organization(state, req);
    }
    not_found(req)
}

fn token(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let mut st = lock(state);
    let grant_type = req.form_value("grant_type").unwrap_or("").to_string();
    *st.grant_counts.entry(grant_type.clone()).or_default() += 1;
    if !req.is_form() {
        return oauth_error("unsupported_grant_type", None);
    }
    match grant_type.as_str() {
        "password" => password_grant(&mut st, req),
        "refresh_token" => refresh_grant(&mut st, req),
        _ => oauth_error("unsupported_grant_type", None),
    }
}

fn password_grant(st: &mut State, req: &RecordedRequest) -> FakeResponse {
    let username = req.form_value("username").unwrap_or("");
    let password = req.form_value("password").unwrap_or("");
    let Some(user) = st.users.get(username).cloned() else {
        return oauth_error(
            "invalid_grant",
            Some("The user name or password is incorrect."),
        );
    };
    if user.password != password {
        return oauth_error(
            "invalid_grant",
            Some("The user name or password is incorrect."),
        );
    }
    if let Some(expected) = &user.otp {
        // The docs say a header; Virtuous's own curl example sends a field.
        match req.header("OTP").or_else(|| req.form_value("otp")) {
            None => {
                return match &st.accepted_body {
                    Some(body) => FakeResponse::json_text(202, body),
                    None => FakeResponse::empty(202),
                };
            }
            Some(code) if code.trim() == expected => {}
            Some(_) => {
                return oauth_error("invalid_grant", Some("Invalid verification code"));
            }
        }
    }
    issue(st, username, None)
}

fn refresh_grant(st: &mut State, req: &RecordedRequest) -> FakeResponse {
    let presented = req.form_value("refresh_token").unwrap_or("").to_string();
    let now = unix_now();
    let user = match st.refresh.get_mut(&presented) {
        Some(r) if !r.used && r.expires_at > now => {
            if st.rotation == RefreshRotation::Rotate {
                r.used = true;
            }
            r.user.clone()
        }
        _ => return oauth_error("invalid_grant", None),
    };
    let keep = match st.rotation {
        RefreshRotation::Rotate => None,
        RefreshRotation::Reuse => Some(Some(presented)),
        RefreshRotation::Omit => Some(None),
    };
    issue(st, &user, keep)
}

/// Issues an access token (and a refresh token unless `keep_refresh` says
/// to echo `Some(existing)` or omit `None`).
fn issue(st: &mut State, user: &str, keep_refresh: Option<Option<String>>) -> FakeResponse {
    let now = unix_now();
    let access = random_token(64);
    let expires_at = st
        .expires_in
        .map(|e| now + i64::try_from(e).unwrap_or(i64::MAX / 4));
    st.access.insert(
        access.clone(),
        AccessToken {
            user: user.to_string(),
            expires_at,
            revoked: false,
        },
    );
    st.issued_access.push(access.clone());
    let refresh = match keep_refresh {
        None => {
            let refresh = random_token(48);
            st.refresh.insert(
                refresh.clone(),
                RefreshToken {
                    user: user.to_string(),
                    expires_at: now + REFRESH_LIFETIME_SECS,
                    used: false,
                },
            );
            st.issued_refresh.push(refresh.clone());
            Some(refresh)
        }
        Some(existing) => existing,
    };
    let mut body = json!({
        "access_token": access,
        "token_type": "bearer",
        "userName": user,
        ".issued": http_date(0),
    });
    if let Some(e) = st.expires_in {
        body["expires_in"] = json!(e);
        let date_in = st
            .expires_date_in
            .unwrap_or_else(|| i64::try_from(e).unwrap_or(0));
        body[".expires"] = json!(http_date(date_in));
    }
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
        if let Some(secs) = st.refresh_expires_in {
            body["refresh_expires_in"] = json!(secs);
        }
    }
    FakeResponse::json(200, &body).with_header("Cache-Control", "no-cache")
}

fn organization(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let st = lock(state);
    match req.bearer_token() {
        Some(token) if token_is_valid(&st, token) => {
            let user = st.access.get(token).map(|t| t.user.clone());
            FakeResponse::json(
                200,
                &json!({
                    "id": 1042,
                    "name": ORGANIZATION_NAME,
                    "userName": user,
                }),
            )
        }
        _ => FakeResponse::json(
            401,
            &json!({"message": "Authorization has been denied for this request."}),
        )
        .with_header("WWW-Authenticate", "Bearer"),
    }
}
