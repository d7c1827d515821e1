//! A generic in-process HTTP server for tests, built on `tiny_http`.
//!
//! Every request is recorded, then handled on its own thread, so many clients
//! can be served at once even with a response delay. Tests can override what
//! any path answers (`fail_next`, `fail_always`, `hang`, ...) without touching
//! the provider logic behind it.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path without the query string, as sent (not decoded).
    pub path: String,
    /// The query string without `?`, exactly as sent (not decoded); empty if none.
    pub raw_query: String,
    /// Decoded query pairs (`application/x-www-form-urlencoded` rules: `+` is a space).
    pub query: Vec<(String, String)>,
    /// Header names and values as sent.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// The body decoded as `application/x-www-form-urlencoded` when the
    /// `Content-Type` says so; empty otherwise.
    pub form: Vec<(String, String)>,
}

impl RecordedRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the headers with this name (case-insensitive).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first decoded form field with this name.
    pub fn form_value(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the form body has this field at all.
    pub fn has_form_field(&self, name: &str) -> bool {
        self.form.iter().any(|(n, _)| n == name)
    }

    /// The first decoded query parameter with this name.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The raw query string (without `?`), undecoded.
    pub fn raw_query(&self) -> &str {
        &self.raw_query
    }

    /// The body as text (lossy UTF-8).
    pub fn body_str(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme in any
    /// casing), if that is what the request carries.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.trim().split_once(' ')?;
        if scheme.eq_ignore_ascii_case("bearer") {
            let token = token.trim();
            (!token.is_empty()).then_some(token)
        } else {
            None
        }
    }

    /// Whether the body is declared as `application/x-www-form-urlencoded`.
    pub fn is_form(&self) -> bool {
        self.content_type().is_some_and(|ct| {
            ct.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
    }
}

/// What a fake answers: status, optional content type, body, extra headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeResponse {
    pub status: u16,
    /// `None` sends no `Content-Type` header at all.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    /// Send the body with chunked transfer encoding (no `Content-Length`).
    pub chunked: bool,
}

impl FakeResponse {
    /// An empty body, no content type.
    pub fn empty(status: u16) -> Self {
        FakeResponse {
            status,
            content_type: None,
            body: Vec::new(),
            headers: Vec::new(),
            chunked: false,
        }
    }

    /// A JSON body (`application/json; charset=utf-8`).
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::raw(
            status,
            "application/json; charset=utf-8",
            value.to_string().into_bytes(),
        )
    }

    /// A JSON body given as text (may be invalid JSON on purpose).
    pub fn json_text(status: u16, body: &str) -> Self {
        Self::raw(
            status,
            "application/json; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    /// A `text/plain; charset=UTF-8` body.
    pub fn text(status: u16, body: &str) -> Self {
        Self::raw(
            status,
            "text/plain; charset=UTF-8",
            body.as_bytes().to_vec(),
        )
    }

    /// A `text/html` body, e.g. what a proxy or load balancer answers.
    pub fn html(status: u16, body: &str) -> Self {
        Self::raw(status, "text/html; charset=utf-8", body.as_bytes().to_vec())
    }

    /// A typical HTML error page from a reverse proxy.
    pub fn proxy_error_page(status: u16) -> Self {
        Self::html(
            status,
            &format!(
                "<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n\
                 <center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                 </body>\r\n</html>\r\n"
            ),
        )
    }

    /// Any body with any content type.
    pub fn raw(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        FakeResponse {
            status,
            content_type: Some(content_type.to_string()),
            body,
            headers: Vec::new(),
            chunked: false,
        }
    }

    /// A body of `size` bytes (a JSON string padded with `a`s, so a client that
    /// does not enforce a size limit would even parse it).
    pub fn large(status: u16, size: usize) -> Self {
        let mut body = Vec::with_capacity(size.max(2));
        body.push(b'"');
        body.resize(size.saturating_sub(1).max(1), b'a');
        body.push(b'"');
        Self::raw(status, "application/json", body)
    }

    /// A redirect (301, 302, 307, 308...) to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::html(status, &format!("<a href=\"{location}\">moved</a>"))
            .with_header("Location", location)
    }

    /// 429 Too Many Requests with `Retry-After: <secs>`.
    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        Self::json(
            429,
            &serde_json::json!({"error": "rate_limited", "message": "Too many requests"}),
        )
        .with_header("Retry-After", &retry_after_secs.to_string())
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sends the body chunked, without `Content-Length`.
    pub fn chunked(mut self) -> Self {
        self.chunked = true;
        self
    }

    /// Replaces the content type (`None` removes it).
    pub fn with_content_type(mut self, content_type: Option<&str>) -> Self {
        self.content_type = content_type.map(str::to_string);
        self
    }
}

/// The provider logic behind a fake: turns a request into a response.
pub type Handler = Arc<dyn Fn(&RecordedRequest) -> FakeResponse + Send + Sync + 'static>;

#[derive(Debug, Clone)]
enum Action {
    Respond(FakeResponse),
    /// Run the real handler (state changes happen), but answer this instead.
    RespondAfterHandling(FakeResponse),
    Hang,
}

#[derive(Debug, Default)]
struct PathOverrides {
    next: VecDeque<Action>,
    always: Option<Action>,
}

#[derive(Default)]
struct ServerState {
    requests: Vec<RecordedRequest>,
    delay: Duration,
    path_delays: HashMap<String, Duration>,
    overrides: HashMap<String, PathOverrides>,
    /// Requests that are never answered (kept alive until the server drops).
    hung: Vec<tiny_http::Request>,
}

struct Shared {
    state: Mutex<ServerState>,
    stop: AtomicBool,
    handler: Handler,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, ServerState> {
        // A panicking handler thread must not wedge every later assertion.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An HTTP server on `127.0.0.1:<random port>` running a [`Handler`] on a
/// background thread; stopped when dropped.
pub struct FakeServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Starts a server answering every request with `handler`.
    pub fn start(handler: Handler) -> FakeServer {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("fake server: bind 127.0.0.1:0");
        let addr = server
            .server_addr()
            .to_ip()
            .expect("fake server: listening on an IP address");
        let shared = Arc::new(Shared {
            state: Mutex::new(ServerState::default()),
            stop: AtomicBool::new(false),
            handler,
        });
        let loop_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("fake-server-{}", addr.port()))
            .spawn(move || accept_loop(server, loop_shared))
            .expect("fake server: spawn accept thread");
        FakeServer {
            addr,
            shared,
            thread: Some(thread),
        }
    }

    /// Starts a server whose handler is a closure.
    pub fn start_fn<F>(handler: F) -> FakeServer
    where
        F: Fn(&RecordedRequest) -> FakeResponse + Send + Sync + 'static,
    {
        Self::start(Arc::new(handler))
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `url()` followed by `path` (which should start with `/`).
    pub fn url_for(&self, path: &str) -> String {
        format!("{}{}", self.url(), path)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order (recorded on arrival,
    /// before any delay, so requests still in flight are included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// The requests whose path is exactly `path`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.shared.lock().requests.len()
    }

    /// The most recent request, if any.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.shared.lock().requests.last().cloned()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Every request waits this long before being handled (default: none).
    pub fn set_delay(&self, delay: Duration) {
        self.shared.lock().delay = delay;
    }

    /// Requests to `path` wait this long (instead of the global delay).
    pub fn set_delay_for(&self, path: &str, delay: Duration) {
        self.shared
            .lock()
            .path_delays
            .insert(path.to_string(), delay);
    }

    /// The next request to `path` gets `response` instead of the provider
    /// logic (which does not run: no state changes). Several calls queue up.
    pub fn fail_next(&self, path: &str, response: FakeResponse) {
        self.push_next(path, Action::Respond(response));
    }

    /// The next request to `path` runs the provider logic (tokens are issued,
    /// rotated, revoked...) but the client gets `response` instead: a lost answer.
    pub fn fail_next_after_handling(&self, path: &str, response: FakeResponse) {
        self.push_next(path, Action::RespondAfterHandling(response));
    }

    /// Every request to `path` gets `response` until [`clear_failures`](Self::clear_failures).
    /// Queued `fail_next` answers go first.
    pub fn fail_always(&self, path: &str, response: FakeResponse) {
        self.shared
            .lock()
            .overrides
            .entry(path.to_string())
            .or_default()
            .always = Some(Action::Respond(response));
    }

    /// The next request to `path` is accepted and never answered (until the
    /// server is dropped): for timeout tests.
    pub fn hang_next(&self, path: &str) {
        self.push_next(path, Action::Hang);
    }

    /// Every request to `path` is accepted and never answered.
    pub fn hang(&self, path: &str) {
        self.shared
            .lock()
            .overrides
            .entry(path.to_string())
            .or_default()
            .always = Some(Action::Hang);
    }

    /// Removes every override of `path`.
    pub fn clear_failures(&self, path: &str) {
        self.shared.lock().overrides.remove(path);
    }

    /// Removes every override of every path.
    pub fn clear_all_failures(&self) {
        self.shared.lock().overrides.clear();
    }

    fn push_next(&self, path: &str, action: Action) {
        self.shared
            .lock()
            .overrides
            .entry(path.to_string())
            .or_default()
            .next
            .push_back(action);
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // Answer (500) and close the connections of hung requests.
        let hung = std::mem::take(&mut self.shared.lock().hung);
        drop(hung);
    }
}

fn accept_loop(server: tiny_http::Server, shared: Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(20)) {
            Ok(Some(request)) => {
                let shared = Arc::clone(&shared);
                let spawned = std::thread::Builder::new()
                    .name("fake-server-request".to_string())
                    .spawn(move || handle_request(request, &shared));
                if let Err(e) = spawned {
                    eprintln!("fake server: cannot spawn request thread: {e}");
                }
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("fake server: accept failed: {e}");
                break;
            }
        }
    }
}

fn handle_request(mut request: tiny_http::Request, shared: &Shared) {
    let recorded = record(&mut request);
    let path = recorded.path.clone();
    let (delay, action) = {
        let mut state = shared.lock();
        state.requests.push(recorded.clone());
        let delay = state.path_delays.get(&path).copied().unwrap_or(state.delay);
        let action = state
            .overrides
            .get_mut(&path)
            .and_then(|o| o.next.pop_front().or_else(|| o.always.clone()));
        (delay, action)
    };
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    let response = match action {
        None => (shared.handler)(&recorded),
        Some(Action::Respond(response)) => response,
        Some(Action::RespondAfterHandling(response)) => {
            let _ = (shared.handler)(&recorded);
            response
        }
        Some(Action::Hang) => {
            shared.lock().hung.push(request);
            return;
        }
    };
    // The client may have gone away (timeout); nothing to do about it.
    let _ = request.respond(to_tiny(response));
}

fn record(request: &mut tiny_http::Request) -> RecordedRequest {
    let url = request.url().to_string();
    let (path, raw_query) = match url.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (url.clone(), String::new()),
    };
    let query = decode_form(raw_query.as_bytes());
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let mut body = Vec::new();
    if let Err(e) = request.as_reader().read_to_end(&mut body) {
        eprintln!("fake server: reading the request body failed: {e}");
    }
    let mut recorded = RecordedRequest {
        method: request.method().as_str().to_string(),
        path,
        raw_query,
        query,
        headers,
        body,
        form: Vec::new(),
    };
    if recorded.is_form() {
        recorded.form = decode_form(&recorded.body);
    }
    recorded
}

/// Decodes `application/x-www-form-urlencoded` data (`+` is a space).
pub fn decode_form(data: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(data).into_owned().collect()
}

/// Encodes pairs as `application/x-www-form-urlencoded`.
pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    serializer.finish()
}

fn to_tiny(response: FakeResponse) -> tiny_http::Response<Cursor<Vec<u8>>> {
    let mut headers = Vec::new();
    if let Some(ct) = &response.content_type {
        headers.push(header("Content-Type", ct));
    }
    for (name, value) in &response.headers {
        headers.push(header(name, value));
    }
    let length = (!response.chunked).then_some(response.body.len());
    tiny_http::Response::new(
        tiny_http::StatusCode(response.status),
        headers,
        Cursor::new(response.body),
        length,
        None,
    )
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| panic!("fake server: invalid header {name}: {value}"))
}

/// A random lowercase hex string of `len` characters (not cryptographic;
/// unique enough for fake tokens).
pub fn random_hex(len: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out.truncate(len);
    out
}

/// A random token of `len` characters from the base64url alphabet, so clients
/// meet `-` and `_` in tokens as they do with real servers.
pub fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let hex = random_hex(len * 2);
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let byte =
                u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("00"), 16).unwrap_or(0);
            ALPHABET[usize::from(byte) % ALPHABET.len()] as char
        })
        .collect()
}

/// Unix time now, in seconds.
pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// An HTTP date (`Mon, 23 Nov 2026 01:00:00 GMT`) `offset_secs` from now.
pub fn http_date(offset_secs: i64) -> String {
    let ts = jiff::Timestamp::from_second(unix_now() + offset_secs)
        .expect("fake server: timestamp in range");
    ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Minimal error-free helper so the handler can build 404s uniformly.
pub fn not_found(request: &RecordedRequest) -> FakeResponse {
    FakeResponse::json(
        404,
        &serde_json::json!({
            "message": format!("No HTTP resource was found that matches the request URI '{}'.", request.path)
        }),
    )
}

/// 405 for a known path with the wrong method.
pub fn method_not_allowed(request: &RecordedRequest, allowed: &str) -> FakeResponse {
    FakeResponse::json(
        405,
        &serde_json::json!({
            "message": format!("The requested resource does not support http method '{}'.", request.method)
        }),
    )
    .with_header("Allow", allowed)
}
