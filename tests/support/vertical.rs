//! A fake Vertical CRM (Zoho-style auth tokens): `POST /crm/apiauthtoken.do`
//! with the credentials in the query string and a Java-properties answer,
//! `GET /crm/deleteapiauthtoken.do`, and
//! `GET /crm/private/json/Users/getUsers?type=CurrentUser` for verification.

use std::collections::{HashMap, VecDeque};
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::json;

use super::server::{
    FakeResponse, FakeServer, RecordedRequest, method_not_allowed, not_found, random_hex, unix_now,
};

pub const GENERATE_PATH: &str = "/crm/apiauthtoken.do";
pub const DELETE_PATH: &str = "/crm/deleteapiauthtoken.do";
pub const USERS_PATH: &str = "/crm/private/json/Users/getUsers";
/// Zoho's limit of live auth tokens per user.
pub const DEFAULT_MAX_TOKENS: usize = 20;

/// Line ending of the properties body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

/// Comment character of the properties body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comment {
    Hash,
    Bang,
}

/// Key/value separator of the properties body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// `KEY=value` (what Zoho sends)
    Equals,
    /// `KEY: value`
    Colon,
    /// `KEY = value`
    SpacedEquals,
}

/// How the properties answer is written. `Default` is the real server's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertiesStyle {
    pub line_ending: LineEnding,
    pub comment: Comment,
    pub separator: Separator,
}

impl Default for PropertiesStyle {
    fn default() -> Self {
        PropertiesStyle {
            line_ending: LineEnding::Lf,
            comment: Comment::Hash,
            separator: Separator::Equals,
        }
    }
}

/// One auth token this server generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedAuthToken {
    pub token: String,
    pub email: String,
    pub display_name: Option<String>,
    /// Still usable (not deleted or invalidated).
    pub live: bool,
}

#[derive(Debug, Clone)]
struct User {
    email: String,
    password: String,
    id: String,
}

#[derive(Debug)]
struct State {
    /// lowercase email -> user
    users: HashMap<String, User>,
    tokens: Vec<IssuedAuthToken>,
    next_causes: VecDeque<String>,
    next_delete_causes: VecDeque<String>,
    style: PropertiesStyle,
    max_tokens: usize,
}

/// The fake Vertical server. Derefs to [`FakeServer`] for `url()`,
/// `requests()`, `fail_next()`, `set_delay()`, ...
pub struct FakeVertical {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeVertical {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeVertical {
    /// Starts a server with no users.
    pub fn start() -> FakeVertical {
        let state = Arc::new(Mutex::new(State {
            users: HashMap::new(),
            tokens: Vec::new(),
            next_causes: VecDeque::new(),
            next_delete_causes: VecDeque::new(),
            style: PropertiesStyle::default(),
            max_tokens: DEFAULT_MAX_TOKENS,
        }));
        let handler_state = Arc::clone(&state);
        let server = FakeServer::start_fn(move |req| handle(&handler_state, req));
        FakeVertical { server, state }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The underlying generic server.
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// Registers a user (email matched case-insensitively).
    pub fn add_user(&self, email: &str, password: &str) {
        self.state().users.insert(
            email.to_lowercase(),
            User {
                email: email.to_string(),
                password: password.to_string(),
                id: format!("{}", 1_000_000_000_000_000_u64 + unix_now().unsigned_abs()),
            },
        );
    }

    /// The next generate request answers `CAUSE=<cause>` / `RESULT=FALSE`
    /// whatever the credentials (`ACCOUNT_REGISTRATION_NOT_CONFIRMED`,
    /// `EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS`, ...). Several calls queue up.
    pub fn set_next_cause(&self, cause: &str) {
        self.state().next_causes.push_back(cause.to_string());
    }

    /// The next delete request answers `CAUSE=<cause>` / `RESULT=FALSE`
    /// and keeps the token.
    pub fn set_next_delete_cause(&self, cause: &str) {
        self.state().next_delete_causes.push_back(cause.to_string());
    }

    /// How later properties answers are written.
    pub fn set_style(&self, style: PropertiesStyle) {
        self.state().style = style;
    }

    /// Live tokens per user before `EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS`.
    pub fn set_max_tokens(&self, max: usize) {
        self.state().max_tokens = max;
    }

    /// Every token generated, oldest first, with its liveness.
    pub fn issued_tokens(&self) -> Vec<IssuedAuthToken> {
        self.state().tokens.clone()
    }

    /// The tokens still live.
    pub fn live_tokens(&self) -> Vec<String> {
        self.state()
            .tokens
            .iter()
            .filter(|t| t.live)
            .map(|t| t.token.clone())
            .collect()
    }

    /// The most recently generated token.
    pub fn last_token(&self) -> Option<String> {
        self.state().tokens.last().map(|t| t.token.clone())
    }

    /// Whether `token` was generated here and is still live.
    pub fn is_live(&self, token: &str) -> bool {
        self.state()
            .tokens
            .iter()
            .any(|t| t.live && t.token == token)
    }

    /// Plants a live token as if generated earlier.
    pub fn insert_token(&self, email: &str, token: &str) {
        self.state().tokens.push(IssuedAuthToken {
            token: token.to_string(),
            email: email.to_string(),
            display_name: None,
            live: true,
        });
    }

    /// Server-side invalidation of every token (as if deleted in the web UI).
    pub fn invalidate_all_tokens(&self) {
        for t in &mut self.state().tokens {
            t.live = false;
        }
    }
}

/// `#Mon Nov 23 01:00:00 GMT 2026`, as Java's `Date.toString()` writes it.
fn java_date() -> String {
    jiff::Timestamp::now()
        .strftime("%a %b %d %H:%M:%S GMT %Y")
        .to_string()
}

fn properties(style: PropertiesStyle, pairs: &[(&str, &str)]) -> FakeResponse {
    let nl = match style.line_ending {
        LineEnding::Lf => "\n",
        LineEnding::CrLf => "\r\n",
    };
    let c = match style.comment {
        Comment::Hash => '#',
        Comment::Bang => '!',
    };
    let sep = match style.separator {
        Separator::Equals => "=",
        Separator::Colon => ": ",
        Separator::SpacedEquals => " = ",
    };
    let mut body = format!("{c}{nl}{c}{}{nl}", java_date());
    for (k, v) in pairs {
        body.push_str(&format!("{k}{sep}{v}{nl}"));
    }
    FakeResponse::text(200, &body)
}

fn handle(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    match req.path.as_str() {
        GENERATE_PATH if req.method == "POST" => generate(state, req),
        GENERATE_PATH => method_not_allowed(req, "POST"),
        DELETE_PATH if req.method == "GET" => delete(state, req),
        DELETE_PATH => method_not_allowed(req, "GET"),
        USERS_PATH if req.method == "GET" => users(state, req),
        USERS_PATH => method_not_allowed(req, "GET"),
        _ => not_found(req),
    }
}

fn failure(style: PropertiesStyle, cause: &str) -> FakeResponse {
    properties(style, &[("CAUSE", cause), ("RESULT", "FALSE")])
}

fn generate(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let mut st = lock(state);
    let style = st.style;
    if let Some(cause) = st.next_causes.pop_front() {
        return failure(style, &cause);
    }
    let email = req.query_value("EMAIL_ID").unwrap_or("");
    let password = req.query_value("PASSWORD").unwrap_or("");
    let Some(user) = st.users.get(&email.to_lowercase()).cloned() else {
        return failure(style, "NO_SUCH_USER");
    };
    if user.password != password {
        return failure(style, "INVALID_PASSWORD");
    }
    let live = st
        .tokens
        .iter()
        .filter(|t| t.live && t.email.eq_ignore_ascii_case(&user.email))
        .count();
    if live >= st.max_tokens {
        return failure(style, "EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS");
    }
    let token = random_hex(32);
    st.tokens.push(IssuedAuthToken {
        token: token.clone(),
        email: user.email.clone(),
        display_name: req.query_value("DISPLAY_NAME").map(str::to_string),
        live: true,
    });
    properties(style, &[("AUTHTOKEN", &token), ("RESULT", "TRUE")])
}

fn delete(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let mut st = lock(state);
    let style = st.style;
    if let Some(cause) = st.next_delete_causes.pop_front() {
        return failure(style, &cause);
    }
    let token = req.query_value("crmauthtoken").unwrap_or("");
    match st.tokens.iter_mut().find(|t| t.live && t.token == token) {
        Some(t) => {
            t.live = false;
            properties(style, &[("RESULT", "TRUE")])
        }
        None => failure(style, "INVALID_TICKET"),
    }
}

fn users(state: &Mutex<State>, req: &RecordedRequest) -> FakeResponse {
    let st = lock(state);
    let token = req
        .header("authorization")
        .map(str::trim)
        .or_else(|| req.query_value("authtoken"))
        .unwrap_or("");
    let found = st.tokens.iter().find(|t| t.live && t.token == token);
    match found {
        Some(t) => {
            let user = st.users.get(&t.email.to_lowercase());
            FakeResponse::json(
                200,
                &json!({
                    "users": {
                        "user": {
                            "id": user.map(|u| u.id.clone()).unwrap_or_else(|| "1000000000000000000".to_string()),
                            "email": t.email,
                            "content": t.email.split('@').next().unwrap_or(""),
                            "role": "Administrator",
                            "profile": "Administrator",
                            "status": "active",
                            "confirm": "true",
                        }
                    }
                }),
            )
        }
        None => FakeResponse::json(
            401,
            &json!({
                "response": {
                    "error": {"code": "4834", "message": "Invalid Ticket Id"},
                    "uri": USERS_PATH,
                }
            }),
        ),
    }
}
