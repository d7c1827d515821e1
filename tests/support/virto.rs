//! A fake Virto Commerce platform (OpenIddict), as the platform's own source
//! behaves:
//! - `POST /connect/token`: password, client_credentials and refresh grants;
//!   RFC 6749 answers and errors. Refresh tokens roll on every refresh with a
//!   30-day sliding lifetime; a redeemed one stays usable for 30 s, and a
//!   replay after that revokes every token of its login.
//! - `GET /api/platform/security/currentuser`: `[AllowAnonymous]`, so `200 {}`
//!   for a missing, dead or client token; the user for a live user token or
//!   API key.
//! - `GET /api/platform/profiles/currentuser`: `[Authorize]`: 401 for a
//!   missing or dead credential, 200 for any live one (empty for a client).
//! - `POST /revoke/token`: ignores its form body and revokes every refresh
//!   token of the login behind its `Authorization: Bearer` access token,
//!   answering 200 either way (the JWT access token stays valid). With
//!   [`RevokeMode::Rfc7009`] it behaves as a standard server instead.
//! - API keys in an `api_key` header (or query parameter).

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use super::server::{
    FakeResponse, FakeServer, RecordedRequest, method_not_allowed, not_found, random_hex,
    random_token, unix_now,
};

pub const TOKEN_PATH: &str = "/connect/token";
pub const CURRENT_USER_PATH: &str = "/api/platform/security/currentuser";
pub const PROFILE_PATH: &str = "/api/platform/profiles/currentuser";
pub const REVOKE_PATH: &str = "/revoke/token";
pub const DEFAULT_EXPIRES_IN: u64 = 1800;
/// Refresh tokens live 30 days from their login's last refresh (sliding).
pub const REFRESH_LIFETIME_SECS: i64 = 30 * 24 * 3600;
/// How long a redeemed refresh token stays usable.
pub const REPLAY_LEEWAY_SECS: i64 = 30;

/// How `POST /revoke/token` behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeMode {
    /// The Virto platform: the body is ignored; the login of the Bearer
    /// access token is revoked.
    Platform,
    /// RFC 7009 (django-oauth-toolkit, oidc-provider): the form's `token`.
    Rfc7009,
}
pub const ISSUER: &str = "https://virto.fake/";

#[derive(Debug, Clone)]
struct User {
    password: String,
    id: String,
    role: String,
}

#[derive(Debug, Clone)]
struct Grant {
    /// One per login: the tokens a refresh issues share it.
    authorization: String,
    /// The user name, or the client id for client_credentials.
    subject: String,
    user_id: String,
    role: String,
    client_id: Option<String>,
    scope: Vec<String>,
    client_credentials: bool,
}

#[derive(Debug, Clone)]
struct Token {
    grant: Grant,
    expires_at: Option<i64>,
    revoked: bool,
    /// Refresh tokens: when they were redeemed.
    redeemed_at: Option<i64>,
}

/// One call of `POST /revoke/token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The form's `token` (ignored by the platform).
    pub token: String,
    pub token_type_hint: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// The `Authorization: Bearer` token it was called with.
    pub bearer: Option<String>,
    /// Whether anything was revoked.
    pub known: bool,
}

#[derive(Debug)]
struct State {
    users: HashMap<String, User>,
    /// client id -> secret (`None`: public client).
    clients: HashMap<String, Option<String>>,
    access: HashMap<String, Token>,
    refresh: HashMap<String, Token>,
    issued_access: Vec<String>,
    issued_refresh: Vec<String>,
    grant_counts: HashMap<String, usize>,
    revocations: Vec<Revocation>,
    revoke_mode: RevokeMode,
    /// API key -> user name.
    api_keys: HashMap<String, String>,
    expires_in: Option<u64>,
    opaque: bool,
    omit_description: bool,
    rotate: bool,
    require_client: bool,
    invalid_client_status: u16,
    realistic_sizes: bool,
}

/// The fake Virto server. Derefs to [`FakeServer`] for `url()`,
/// `requests()`, `fail_next()`, `set_delay()`, ...
pub struct FakeVirto {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeVirto {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeVirto {
    /// Starts a server with no users and no clients.
    pub fn start() -> FakeVirto {
        let state = Arc::new(Mutex::new(State {
            users: HashMap::new(),
            clients: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            issued_access: Vec::new(),
            issued_refresh: Vec::new(),
            grant_counts: HashMap::new(),
            revocations: Vec::new(),
            revoke_mode: RevokeMode::Platform,
            api_keys: HashMap::new(),
            expires_in: Some(DEFAULT_EXPIRES_IN),
            opaque: false,
            omit_description: false,
            rotate: true,
            require_client: false,
            invalid_client_status: 401,
            realistic_sizes: false,
        }));
        let handler_state = Arc::clone(&state);
        let server = FakeServer::start_fn(move |req| handle(&handler_state, req));
        FakeVirto { server, state }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The underlying generic server.
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// Registers a user (role `__administrator`).
    pub fn add_user(&self, username: &str, password: &str) {
        self.add_user_with_role(username, password, "__administrator");
    }

    /// Registers a user with a role claim.
    pub fn add_user_with_role(&self, username: &str, password: &str, role: &str) {
        let id = random_hex(32);
        self.state().users.insert(
            username.to_string(),
            User {
                password: password.to_string(),
                id,
                role: role.to_string(),
            },
        );
    }

    /// Registers a confidential client (may use client_credentials).
    pub fn add_client(&self, client_id: &str, client_secret: &str) {
        self.state()
            .clients
            .insert(client_id.to_string(), Some(client_secret.to_string()));
    }

    /// Registers a public client (no secret; password and refresh grants only).
    pub fn add_public_client(&self, client_id: &str) {
        self.state().clients.insert(client_id.to_string(), None);
    }

    /// Registers a user's API key (sent in an `api_key` header).
    pub fn add_api_key(&self, username: &str, key: &str) {
        self.state()
            .api_keys
            .insert(key.to_string(), username.to_string());
    }

    /// Deletes an API key, as an administrator would in the platform.
    pub fn remove_api_key(&self, key: &str) {
        self.state().api_keys.remove(key);
    }

    /// How `POST /revoke/token` behaves (default: as the platform).
    pub fn set_revoke_mode(&self, mode: RevokeMode) {
        self.state().revoke_mode = mode;
    }

    /// Ages every token issued so far by `secs` (expiry and redemption).
    pub fn age_tokens(&self, secs: i64) {
        let mut st = self.state();
        let State {
            access, refresh, ..
        } = &mut *st;
        for t in access.values_mut().chain(refresh.values_mut()) {
            t.expires_at = t.expires_at.map(|e| e - secs);
            t.redeemed_at = t.redeemed_at.map(|r| r - secs);
        }
    }

    /// Whether any refresh token of the login that `access_token` belongs to
    /// can still be used: false once the login was revoked.
    pub fn login_alive(&self, access_token: &str) -> bool {
        let st = self.state();
        let Some(authorization) = st
            .access
            .get(access_token)
            .map(|t| t.grant.authorization.clone())
        else {
            return false;
        };
        st.refresh
            .values()
            .any(|t| t.grant.authorization == authorization && usable(t))
    }

    /// `expires_in` of later answers; `None` omits it (and the JWT `exp`).
    pub fn set_expires_in(&self, secs: Option<u64>) {
        self.state().expires_in = secs;
    }

    /// Opaque access tokens instead of JWTs.
    pub fn set_opaque_tokens(&self, opaque: bool) {
        self.state().opaque = opaque;
    }

    /// Error answers without `error_description`.
    pub fn set_omit_error_description(&self, omit: bool) {
        self.state().omit_description = omit;
    }

    /// `false`: refresh answers return the same refresh token, still valid.
    /// Tokens as long as a real Virto platform's: an access JWT with an RS256
    /// signature and the user's permissions (about 3 KiB), and a refresh
    /// token that is a JWE, as OpenIddict issues them (about 2.5 KiB).
    pub fn set_realistic_sizes(&self, realistic: bool) {
        self.state().realistic_sizes = realistic;
    }

    pub fn set_rotate_refresh_tokens(&self, rotate: bool) {
        self.state().rotate = rotate;
    }

    /// Password grants without a `client_id` answer `invalid_client`.
    pub fn set_require_client(&self, require: bool) {
        self.state().require_client = require;
    }

    /// Status of `invalid_client` answers (default 401; OpenIddict also uses 400).
    pub fn set_invalid_client_status(&self, status: u16) {
        self.state().invalid_client_status = status;
    }

    /// How many `/connect/token` requests arrived with this `grant_type`
    /// (successful or not; overridden requests are not counted).
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

    pub fn last_access_token(&self) -> Option<String> {
        self.state().issued_access.last().cloned()
    }

    pub fn last_refresh_token(&self) -> Option<String> {
        self.state().issued_refresh.last().cloned()
    }

    /// Issued here, unexpired, not revoked.
    pub fn valid_access_token(&self, token: &str) -> bool {
        let st = self.state();
        st.access.get(token).is_some_and(live)
    }

    /// Issued here, not yet redeemed, unexpired, not revoked.
    pub fn valid_refresh_token(&self, token: &str) -> bool {
        let st = self.state();
        st.refresh.get(token).is_some_and(usable)
    }

    /// The refresh-token lifetime left for `token`, in seconds.
    pub fn refresh_token_expires_in(&self, token: &str) -> Option<i64> {
        let st = self.state();
        st.refresh
            .get(token)
            .and_then(|t| t.expires_at)
            .map(|e| e - unix_now())
    }

    /// Every call of the revocation endpoint, oldest first.
    pub fn revocations(&self) -> Vec<Revocation> {
        self.state().revocations.clone()
    }

    /// Server-side invalidation of every access token issued so far.
    pub fn invalidate_access_tokens(&self) {
        for t in self.state().access.values_mut() {
            t.revoked = true;
        }
    }

    /// Server-side invalidation of every refresh token issued so far.
    pub fn invalidate_refresh_tokens(&self) {
        for t in self.state().refresh.values_mut() {
            t.revoked = true;
        }
    }
}

fn live(token: &Token) -> bool {
    !token.revoked && token.expires_at.is_none_or(|e| e > unix_now())
}

/// A refresh token that a refresh may still redeem (not yet redeemed).
fn usable(token: &Token) -> bool {
    live(token) && token.redeemed_at.is_none()
}

/// Revokes every refresh token of a login (an OpenIddict authorization).
fn revoke_login(st: &mut State, authorization: &str) -> bool {
    let mut any = false;
    for t in st.refresh.values_mut() {
        if t.grant.authorization == authorization && !t.revoked {
            t.revoked = true;
            any = true;
        }
    }
    any
}

fn error(st: &State, status: u16, error: &str, description: &str) -> FakeResponse {
    let body = if st.omit_description {
        json!({"error": error})
    } else {
        json!({
            "error": error,
            "error_description": description,
            "error_uri": format!("https://documentation.openiddict.com/errors/{}", error_id(error)),
        })
    };
    FakeResponse::json(status, &body)
        .with_header("Cache-Control", "no-store")
        .with_header("Pragma", "no-cache")
}

fn error_id(error: &str) -> &'static str {
    match error {
        "invalid_grant" => "ID2019",
        "invalid_client" => "ID2055",
        "unsupported_grant_type" => "ID2032",
        _ => "ID2029",
    }
}

fn invalid_client(st: &State, description: &str) -> FakeResponse {
    let status = st.invalid_client_status;
    let mut resp = error(st, status, "invalid_client", description);
    if status == 401 {
        resp = resp.with_header("WWW-Authenticate", "Bearer error=\"invalid_client\"");
    }
    resp
}

fn handle(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    match req.path.as_str() {
        TOKEN_PATH if req.method == "POST" => token(state, req),
        TOKEN_PATH => method_not_allowed(req, "POST"),
        CURRENT_USER_PATH if req.method == "GET" => current_user(state, req),
        CURRENT_USER_PATH => method_not_allowed(req, "GET"),
        PROFILE_PATH if req.method == "GET" => profile(state, req),
        PROFILE_PATH => method_not_allowed(req, "GET"),
        REVOKE_PATH if req.method == "POST" => revoke(state, req),
        REVOKE_PATH => method_not_allowed(req, "POST"),
        _ => not_found(req),
    }
}

/// Checks the client in the form. `Ok(None)`: no client presented.
fn authenticate_client(st: &State, req: &RecordedRequest) -> Result<Option<String>, FakeResponse> {
    let Some(client_id) = req.form_value("client_id").filter(|c| !c.is_empty()) else {
        if req.has_form_field("client_secret") {
            return Err(invalid_client(st, "The 'client_id' parameter is missing."));
        }
        return Ok(None);
    };
    let Some(secret) = st.clients.get(client_id) else {
        return Err(invalid_client(st, "The specified 'client_id' is invalid."));
    };
    let presented = req.form_value("client_secret");
    match (secret, presented) {
        (Some(expected), Some(given)) if expected == given => Ok(Some(client_id.to_string())),
        (Some(_), Some(_)) => Err(invalid_client(
            st,
            "The specified client credentials are invalid.",
        )),
        (Some(_), None) => Err(invalid_client(
            st,
            "The 'client_secret' parameter required for this client application is missing.",
        )),
        (None, None) => Ok(Some(client_id.to_string())),
        (None, Some(_)) => Err(invalid_client(
            st,
            "The 'client_secret' parameter is not valid for this client application.",
        )),
    }
}

fn token(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let mut st = lock(state);
    let grant_type = req.form_value("grant_type").unwrap_or("").to_string();
    *st.grant_counts.entry(grant_type.clone()).or_default() += 1;
    if !req.is_form() {
        return error(
            &st,
            400,
            "invalid_request",
            "The specified 'Content-Type' header is invalid.",
        );
    }
    if grant_type.is_empty() {
        return error(
            &st,
            400,
            "invalid_request",
            "The mandatory 'grant_type' parameter is missing.",
        );
    }
    if !matches!(
        grant_type.as_str(),
        "password" | "client_credentials" | "refresh_token"
    ) {
        return error(
            &st,
            400,
            "unsupported_grant_type",
            "The specified 'grant_type' parameter is not supported.",
        );
    }
    let client = match authenticate_client(&st, req) {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let requested_scope: Vec<String> = req
        .form_value("scope")
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    match grant_type.as_str() {
        "password" => {
            if client.is_none() && st.require_client {
                return invalid_client(&st, "The mandatory 'client_id' parameter is missing.");
            }
            let (Some(username), Some(password)) =
                (req.form_value("username"), req.form_value("password"))
            else {
                return error(
                    &st,
                    400,
                    "invalid_request",
                    "The mandatory 'username' and/or 'password' parameters are missing.",
                );
            };
            let user = match st.users.get(username) {
                Some(u) if u.password == password => u.clone(),
                _ => {
                    return error(
                        &st,
                        400,
                        "invalid_grant",
                        "The username/password couple is invalid.",
                    );
                }
            };
            let grant = Grant {
                authorization: random_hex(16),
                subject: username.to_string(),
                user_id: user.id,
                role: user.role,
                client_id: client,
                scope: requested_scope,
                client_credentials: false,
            };
            issue(&mut st, grant, None)
        }
        "client_credentials" => {
            let Some(client_id) = client else {
                return invalid_client(&st, "The mandatory 'client_id' parameter is missing.");
            };
            if st.clients.get(&client_id).is_some_and(Option::is_none) {
                return error(
                    &st,
                    400,
                    "unauthorized_client",
                    "This client application is not allowed to use the client credentials grant.",
                );
            }
            let grant = Grant {
                authorization: random_hex(16),
                subject: client_id.clone(),
                user_id: client_id.clone(),
                role: "__client".to_string(),
                client_id: Some(client_id),
                // A refresh token is never issued for client_credentials.
                scope: requested_scope
                    .into_iter()
                    .filter(|s| s != "offline_access")
                    .collect(),
                client_credentials: true,
            };
            issue(&mut st, grant, None)
        }
        _ => {
            let Some(presented) = req.form_value("refresh_token").filter(|t| !t.is_empty()) else {
                return error(
                    &st,
                    400,
                    "invalid_request",
                    "The mandatory 'refresh_token' parameter is missing.",
                );
            };
            let Some(stored) = st.refresh.get(presented).filter(|t| live(t)).cloned() else {
                return error(&st, 400, "invalid_grant", "The specified token is invalid.");
            };
            // A replay after the leeway is taken as theft: the whole login goes.
            if stored
                .redeemed_at
                .is_some_and(|at| unix_now() - at > REPLAY_LEEWAY_SECS)
            {
                revoke_login(&mut st, &stored.grant.authorization);
                return error(
                    &st,
                    400,
                    "invalid_grant",
                    "The specified refresh token has already been redeemed.",
                );
            }
            // The token must be used by the client it was issued to.
            if let Some(owner) = &stored.grant.client_id
                && client.as_deref() != Some(owner.as_str())
            {
                return invalid_client(
                    &st,
                    "The specified refresh token cannot be used without the client that obtained it.",
                );
            }
            let keep = if st.rotate {
                if let Some(t) = st.refresh.get_mut(presented) {
                    t.redeemed_at.get_or_insert(unix_now());
                }
                None
            } else {
                Some(presented.to_string())
            };
            issue(&mut st, stored.grant, keep)
        }
    }
}

fn issue(st: &mut State, grant: Grant, keep_refresh: Option<String>) -> FakeResponse {
    let now = unix_now();
    let expires_at = st
        .expires_in
        .map(|e| now + i64::try_from(e).unwrap_or(i64::MAX / 4));
    let access = if st.opaque {
        random_token(86)
    } else if st.realistic_sizes {
        realistic_jwt(&grant, now, expires_at)
    } else {
        jwt(&grant, now, expires_at)
    };
    st.access.insert(
        access.clone(),
        Token {
            grant: grant.clone(),
            expires_at,
            revoked: false,
            redeemed_at: None,
        },
    );
    st.issued_access.push(access.clone());
    let offline = grant.scope.iter().any(|s| s == "offline_access") && !grant.client_credentials;
    let refresh = if !offline {
        None
    } else if let Some(existing) = keep_refresh {
        Some(existing)
    } else {
        let refresh = if st.realistic_sizes {
            jwe()
        } else {
            random_token(86)
        };
        st.refresh.insert(
            refresh.clone(),
            Token {
                grant: grant.clone(),
                expires_at: Some(now + REFRESH_LIFETIME_SECS),
                revoked: false,
                redeemed_at: None,
            },
        );
        st.issued_refresh.push(refresh.clone());
        Some(refresh)
    };
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
    });
    if let Some(e) = st.expires_in {
        body["expires_in"] = json!(e);
    }
    if !grant.scope.is_empty() {
        body["scope"] = json!(grant.scope.join(" "));
    }
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    FakeResponse::json(200, &body)
        .with_header("Cache-Control", "no-store")
        .with_header("Pragma", "no-cache")
}

fn jwt(grant: &Grant, now: i64, expires_at: Option<i64>) -> String {
    let header = json!({"alg": "RS256", "kid": "FAKEKEY", "typ": "at+jwt"});
    let mut payload = json!({
        "iss": ISSUER,
        "sub": grant.user_id,
        "name": grant.subject,
        "role": grant.role,
        "iat": now,
        "nbf": now,
        "jti": random_hex(32),
        "scope": grant.scope.join(" "),
        "oi_tkn_id": random_hex(36),
    });
    if let Some(exp) = expires_at {
        payload["exp"] = json!(exp);
    }
    if let Some(client) = &grant.client_id {
        payload["client_id"] = json!(client);
        payload["azp"] = json!(client);
    }
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        URL_SAFE_NO_PAD.encode("sig"),
    )
}

/// A JWT like the platform's: `jwt`'s claims plus the user's permissions,
/// and a 2048-bit RS256 signature (256 bytes).
fn realistic_jwt(grant: &Grant, now: i64, expires_at: Option<i64>) -> String {
    let plain = jwt(grant, now, expires_at);
    let mut parts = plain.split('.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return plain;
    };
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap_or_default())
            .unwrap_or_default();
    claims["permission"] = json!(
        (0..80)
            .map(|i| format!("platform:security:permission{i:02}:read"))
            .collect::<Vec<_>>()
    );
    format!(
        "{header}.{}.{}",
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        random_token(342),
    )
}

/// A compact JWE (RSA-OAEP key, A256CBC-HS512), as OpenIddict encrypts its
/// refresh tokens: header, 256-byte wrapped key, IV, ciphertext, tag.
fn jwe() -> String {
    let header =
        json!({"alg": "RSA-OAEP", "enc": "A256CBC-HS512", "kid": "FAKEENC", "typ": "oi_reft+jwt"});
    format!(
        "{}.{}.{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        random_token(342),
        random_token(22),
        random_token(1900),
        random_token(43),
    )
}

fn unauthorized() -> FakeResponse {
    FakeResponse::empty(401).with_header("WWW-Authenticate", "Bearer")
}

/// Who a request authenticates as: a live access token, or an API key in an
/// `api_key` header or query parameter.
fn principal(st: &State, req: &RecordedRequest) -> Option<Grant> {
    if let Some(key) = req.header("api_key").or_else(|| req.query_value("api_key")) {
        let username = st.api_keys.get(key)?;
        let user = st.users.get(username)?;
        return Some(Grant {
            authorization: format!("api-key-{username}"),
            subject: username.clone(),
            user_id: user.id.clone(),
            role: user.role.clone(),
            client_id: None,
            scope: Vec::new(),
            client_credentials: false,
        });
    }
    let token = req.bearer_token()?;
    st.access
        .get(token)
        .filter(|t| live(t))
        .map(|t| t.grant.clone())
}

/// `[AllowAnonymous]`: `{}` unless a live user is behind the request.
fn current_user(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let st = lock(state);
    match principal(&st, req).filter(|grant| !grant.client_credentials) {
        Some(grant) => FakeResponse::json(
            200,
            &json!({
                "userName": grant.subject,
                "id": grant.user_id,
                "email": format!("{}@example.com", grant.subject),
                "isAdministrator": grant.role == "__administrator",
                "userType": "Administrator",
                "permissions": [],
            }),
        ),
        None => FakeResponse::json(200, &json!({})),
    }
}

/// `[Authorize]`: 401 unless the credential is live.
fn profile(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let st = lock(state);
    match principal(&st, req) {
        Some(grant) if grant.client_credentials => FakeResponse::empty(200),
        Some(grant) => FakeResponse::json(200, &json!({"id": grant.user_id, "settings": []})),
        None => unauthorized(),
    }
}

fn revoke(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let mut st = lock(state);
    let form_token = req.form_value("token").unwrap_or("").to_string();
    let mut record = Revocation {
        token: form_token.clone(),
        token_type_hint: req.form_value("token_type_hint").map(str::to_string),
        client_id: req.form_value("client_id").map(str::to_string),
        client_secret: req.form_value("client_secret").map(str::to_string),
        bearer: req.bearer_token().map(str::to_string),
        known: false,
    };
    if st.revoke_mode == RevokeMode::Platform {
        // The body is never read: only the caller's login is revoked.
        if let Some(grant) = req
            .bearer_token()
            .and_then(|token| st.access.get(token))
            .filter(|t| live(t))
            .map(|t| t.grant.clone())
        {
            record.known = revoke_login(&mut st, &grant.authorization);
        }
        st.revocations.push(record);
        return FakeResponse::empty(200);
    }
    if !req.is_form() {
        return error(
            &st,
            400,
            "invalid_request",
            "The specified 'Content-Type' header is invalid.",
        );
    }
    if let Err(resp) = authenticate_client(&st, req) {
        return resp;
    }
    if form_token.is_empty() {
        return error(
            &st,
            400,
            "invalid_request",
            "The mandatory 'token' parameter is missing.",
        );
    }
    if let Some(t) = st.access.get_mut(&form_token) {
        t.revoked = true;
        record.known = true;
    }
    if let Some(t) = st.refresh.get_mut(&form_token) {
        t.revoked = true;
        record.known = true;
    }
    st.revocations.push(record);
    // RFC 7009 §2.2: 200 whether or not the token was known.
    FakeResponse::empty(200)
}
