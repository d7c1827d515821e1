//! The one configured HTTP client: timeouts, user agent, proxies from the
//! environment, the system trust store plus `--cacert`, a 1 MiB answer limit,
//! no redirects, and `-v` request logging with every secret redacted.
//!
//! Errors never include ureq's own texts, which can quote the URL (and so a
//! password in a query string).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use zeroize::Zeroizing;

use crate::error::{Classify, Exit};
use crate::secret::Secret;
use crate::urls;

pub const MAX_ANSWER_BYTES: u64 = 1024 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const USER_AGENT: &str = concat!("crmauth/", env!("CARGO_PKG_VERSION"));

/// Form and query fields whose values may appear in `-v` logs.
const LOGGABLE_FIELDS: &[&str] = &[
    "grant_type",
    "username",
    "scope",
    "client_id",
    "token_type_hint",
    "type",
    "DISPLAY_NAME",
    "list",
];

#[derive(Debug, Error)]
pub enum HttpError {
    #[error("{method} {url}: timed out after {seconds} s")]
    Timeout {
        method: &'static str,
        url: String,
        seconds: u64,
    },
    #[error("{method} {url}: {reason}")]
    Unreachable {
        method: &'static str,
        url: String,
        reason: String,
        hint: &'static str,
    },
    #[error("{method} {url}: the answer is larger than 1 MiB")]
    TooLarge { method: &'static str, url: String },
    #[error("cannot read CA bundle {path}: {reason}")]
    CaBundle { path: PathBuf, reason: String },
}

impl Classify for HttpError {
    fn exit(&self) -> Exit {
        match self {
            Self::CaBundle { .. } => Exit::Usage,
            _ => Exit::Network,
        }
    }

    fn hint(&self) -> Option<String> {
        let hint = match self {
            Self::Timeout { .. } => "try again, or allow more time with --timeout SECS",
            Self::Unreachable { hint, .. } => hint,
            Self::TooLarge { .. } => "check the URL: the API's own answers are small",
            Self::CaBundle { .. } => "pass a PEM file of CA certificates",
        };
        Some(hint.to_string())
    }
}

/// A field of a form body or query string.
pub enum Field<'a> {
    Plain(&'a str),
    Secret(&'a Secret),
}

impl Field<'_> {
    fn value(&self) -> &str {
        match self {
            Field::Plain(value) => value,
            Field::Secret(secret) => secret.expose(),
        }
    }
}

/// Encodes `fields` as `application/x-www-form-urlencoded`, each value exactly once.
pub fn encode_form(fields: &[(&str, Field<'_>)]) -> Secret {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, field) in fields {
        serializer.append_pair(name, field.value());
    }
    Secret::new(serializer.finish())
}

/// What `-v` shows of a form or query: safe fields as they are, the rest redacted.
fn describe_fields(fields: &[(&str, Field<'_>)]) -> String {
    fields
        .iter()
        .map(|(name, field)| match field {
            Field::Plain(value) if LOGGABLE_FIELDS.contains(name) => format!("{name}={value}"),
            _ => format!("{name}=[redacted]"),
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    /// `X-RateLimit-Reset`: when the rate limit resets, in Unix seconds (Virtuous).
    pub rate_limit_reset: Option<String>,
    /// `Date`: the server's clock (`doctor --online` compares it with ours).
    pub date: Option<String>,
    /// Wiped when dropped: it may hold tokens.
    pub body: Zeroizing<Vec<u8>>,
}

/// Never the body: it may hold tokens.
impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish_non_exhaustive()
    }
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A success answer that may be the API's: JSON, or nothing at all (204).
    /// An HTML page, text or an image comes from a proxy or a web app.
    pub fn is_empty_or_json(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
            || serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).is_ok()
    }

    /// Statuses that are never a provider's documented answer, whatever the
    /// request: a redirect (not followed), 429 and 5xx. `request` is e.g.
    /// `GET https://host/path`.
    pub fn trouble(&self, request: &str) -> Option<Trouble> {
        let status = self.status;
        let (message, hint) = match status {
            300..=399 => (
                format!(
                    "{request} answered HTTP {status}, a redirect; crmauth does not follow \
                     redirects with credentials"
                ),
                "check the URL: it must be the API's own address",
            ),
            429 => (
                format!(
                    "{request} answered HTTP 429 Too Many Requests{}",
                    self.when_to_retry()
                ),
                "wait, then try again",
            ),
            500..=599 => (
                format!("{request} answered HTTP {status} (server trouble)"),
                "the server or a proxy in front of it has trouble: try again later",
            ),
            _ => return None,
        };
        Some(Trouble { message, hint })
    }
}

impl Answer {
    /// `; retry after 30 s` from `Retry-After`, else `; the rate limit resets
    /// at <time>` from `X-RateLimit-Reset`, else nothing.
    fn when_to_retry(&self) -> String {
        if let Some(after) = &self.retry_after {
            let after = crate::provider::server_text(after);
            let after: String = after.chars().take(40).collect();
            return match after.parse::<u64>() {
                Ok(seconds) => format!("; retry after {seconds} s"),
                Err(_) => format!("; retry after {after}"),
            };
        }
        let reset = self
            .rate_limit_reset
            .as_deref()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok());
        match reset {
            Some(at) => format!(
                "; the rate limit resets at {}",
                crate::output::absolute_and_relative(Some(at), jiff::Timestamp::now())
            ),
            None => String::new(),
        }
    }
}

/// An answer whose status says the request did not reach a working API.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Trouble {
    message: String,
    pub hint: &'static str,
}

#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub timeout: Duration,
    pub ca_bundle: Option<PathBuf>,
    pub verbose: bool,
}

pub struct Http {
    agent: ureq::Agent,
    settings: HttpSettings,
}

pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One request: URL (without query), query fields, optional form body, headers.
pub struct Request<'a> {
    pub method: Method,
    pub url: &'a str,
    pub query: &'a [(&'a str, Field<'a>)],
    pub form: Option<&'a [(&'a str, Field<'a>)]>,
    /// A JSON body (Vault's API); it may hold secrets, so it is never logged.
    pub json: Option<&'a Secret>,
    pub headers: &'a [(&'a str, Field<'a>)],
}

impl<'a> Request<'a> {
    pub fn get(url: &'a str) -> Self {
        Self {
            method: Method::Get,
            url,
            query: &[],
            form: None,
            json: None,
            headers: &[],
        }
    }

    pub fn post(url: &'a str) -> Self {
        Self {
            method: Method::Post,
            ..Self::get(url)
        }
    }

    pub fn query(mut self, query: &'a [(&'a str, Field<'a>)]) -> Self {
        self.query = query;
        self
    }

    pub fn form(mut self, form: &'a [(&'a str, Field<'a>)]) -> Self {
        self.form = Some(form);
        self
    }

    pub fn headers(mut self, headers: &'a [(&'a str, Field<'a>)]) -> Self {
        self.headers = headers;
        self
    }
}

impl Http {
    pub fn new(settings: HttpSettings) -> Result<Self, HttpError> {
        let roots = root_certificates(settings.ca_bundle.as_deref())?;
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT.min(settings.timeout)))
            .timeout_global(Some(settings.timeout))
            .user_agent(USER_AGENT)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .build();
        Ok(Self {
            agent: config.new_agent(),
            settings,
        })
    }

    pub fn send(&self, request: &Request<'_>) -> Result<Answer, HttpError> {
        let method = request.method.as_str();
        // The query may hold a password (Vertical): wiped after the request.
        let full_url = Zeroizing::new(if request.query.is_empty() {
            request.url.to_string()
        } else {
            format!("{}?{}", request.url, encode_form(request.query).expose())
        });
        let shown_url = if request.query.is_empty() {
            request.url.to_string()
        } else {
            format!("{}?{}", request.url, describe_fields(request.query))
        };
        let started = Instant::now();
        let result = self.execute(request, &full_url);
        if self.settings.verbose {
            let elapsed = started.elapsed().as_millis();
            let form = request
                .form
                .map(|form| format!(" [{}]", describe_fields(form)))
                .unwrap_or_default();
            match &result {
                Ok((answer, remaining)) => eprintln!(
                    "crmauth: {method} {shown_url}{form} -> {} ({elapsed} ms){}",
                    answer.status,
                    remaining
                        .as_deref()
                        .map(|left| format!(", rate limit remaining {left}"))
                        .unwrap_or_default()
                ),
                Err(_) => eprintln!("crmauth: {method} {shown_url}{form} -> failed ({elapsed} ms)"),
            }
        }
        result
            .map(|(answer, _)| answer)
            .map_err(|failure| self.describe_failure(failure, method, shown_url))
    }

    /// The answer, and `X-RateLimit-Remaining` (only logged).
    fn execute(
        &self,
        request: &Request<'_>,
        full_url: &str,
    ) -> Result<(Answer, Option<String>), ureq::Error> {
        // Plain http to loopback is allowed only because it never leaves the
        // machine: it must not reach a proxy, whatever NO_PROXY says.
        let direct = url::Url::parse(request.url).is_ok_and(|url| urls::is_loopback(&url));
        let mut response = match (&request.method, request.form) {
            (Method::Get | Method::Delete, _) => {
                let mut builder = match request.method {
                    Method::Delete => self.agent.delete(full_url),
                    _ => self.agent.get(full_url),
                };
                if direct {
                    builder = builder.config().proxy(None).build();
                }
                for (name, value) in request.headers {
                    builder = builder.header(*name, value.value());
                }
                builder.call()?
            }
            (Method::Post, form) => {
                let mut builder = self.agent.post(full_url);
                if direct {
                    builder = builder.config().proxy(None).build();
                }
                for (name, value) in request.headers {
                    builder = builder.header(*name, value.value());
                }
                match (form, request.json) {
                    (Some(form), _) => builder
                        .content_type("application/x-www-form-urlencoded")
                        .send(encode_form(form).expose())?,
                    (None, Some(json)) => builder
                        .content_type("application/json")
                        .send(json.expose())?,
                    (None, None) => builder.send_empty()?,
                }
            }
        };
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let status = response.status().as_u16();
        let content_type = header("content-type");
        let retry_after = header("retry-after");
        let rate_limit_reset = header("x-ratelimit-reset");
        let date = header("date");
        // Digits only: the log line must not carry anything else a server sends.
        let rate_limit_remaining = header("x-ratelimit-remaining")
            .map(|text| text.trim().to_string())
            .filter(|text| {
                !text.is_empty() && text.len() < 20 && text.bytes().all(|b| b.is_ascii_digit())
            });
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()?;
        Ok((
            Answer {
                status,
                content_type,
                retry_after,
                rate_limit_reset,
                date,
                body: Zeroizing::new(body),
            },
            rate_limit_remaining,
        ))
    }

    fn describe_failure(
        &self,
        failure: ureq::Error,
        method: &'static str,
        url: String,
    ) -> HttpError {
        const HOST_NOT_FOUND: &str =
            "check the host name in the URL, and your DNS or proxy settings";
        // With a proxy set, "connection refused" may be the proxy's (never
        // for loopback, which goes direct).
        let direct = url::Url::parse(&url).is_ok_and(|url| urls::is_loopback(&url));
        let check_url = if proxy_is_set() && !direct {
            "is the server, or the proxy in HTTPS_PROXY/HTTP_PROXY, up? check the URL, \
             the proxy and NO_PROXY"
        } else {
            "is the server up at that address? check the URL and your network"
        };
        const TRY_AGAIN: &str = "the server or a proxy cut the answer short: try again";
        const TLS: &str = "for a server with a private CA, pass it with --cacert FILE";
        let (reason, hint) = match failure {
            ureq::Error::Timeout(_) => {
                return HttpError::Timeout {
                    method,
                    url,
                    seconds: self.settings.timeout.as_secs(),
                };
            }
            ureq::Error::BodyExceedsLimit(_) => return HttpError::TooLarge { method, url },
            ureq::Error::HostNotFound => ("host not found".to_string(), HOST_NOT_FOUND),
            ureq::Error::ConnectionFailed => ("connection failed".to_string(), check_url),
            ureq::Error::Io(err) => match err.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    ("connection refused".to_string(), check_url)
                }
                std::io::ErrorKind::TimedOut => {
                    return HttpError::Timeout {
                        method,
                        url,
                        seconds: self.settings.timeout.as_secs(),
                    };
                }
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset => (
                    "the connection closed before the answer was complete".to_string(),
                    TRY_AGAIN,
                ),
                // rustls reports a failed handshake (untrusted certificate...) as InvalidData.
                std::io::ErrorKind::InvalidData if url.starts_with("https:") => match err.get_ref()
                {
                    Some(inner) => (format!("TLS error: {inner}"), TLS),
                    None => ("TLS error".to_string(), TLS),
                },
                _ if is_name_resolution_failure(&err) => {
                    ("host not found".to_string(), HOST_NOT_FOUND)
                }
                kind => (format!("network error ({kind})"), check_url),
            },
            ureq::Error::Tls(reason) => (format!("TLS error: {reason}"), TLS),
            ureq::Error::Rustls(err) => (format!("TLS error: {err}"), TLS),
            ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => (
                "the proxy refused or failed the connection".to_string(),
                "check HTTPS_PROXY, HTTP_PROXY and NO_PROXY",
            ),
            ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
                ("invalid URL".to_string(), "check the URL")
            }
            ureq::Error::Decompress(..) => (
                "the answer could not be decompressed".to_string(),
                TRY_AGAIN,
            ),
            ureq::Error::Protocol(_) => (
                "the server did not answer valid HTTP".to_string(),
                "check the URL: is it an HTTP(S) API?",
            ),
            ureq::Error::BodyStalled => ("the server stopped sending".to_string(), TRY_AGAIN),
            _ => ("request failed".to_string(), check_url),
        };
        HttpError::Unreachable {
            method,
            url,
            reason,
            hint,
        }
    }
}

/// A failed DNS lookup: std reports getaddrinfo failures uncategorized
/// ("failed to lookup address information") on Unix, and the raw Winsock
/// error on Windows (WSAHOST_NOT_FOUND 11001, WSATRY_AGAIN 11002,
/// WSANO_RECOVERY 11003, WSANO_DATA 11004).
fn is_name_resolution_failure(err: &std::io::Error) -> bool {
    const WINSOCK_LOOKUP_ERRORS: std::ops::RangeInclusive<i32> = 11001..=11004;
    err.to_string().contains("lookup address")
        || (cfg!(windows)
            && err
                .raw_os_error()
                .is_some_and(|code| WINSOCK_LOOKUP_ERRORS.contains(&code)))
}

/// Variables ureq reads, in the order it reads them: the first one set is
/// the proxy for every request.
pub const PROXY_VARS: &[&str] = &[
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// Whether a proxy variable that ureq reads is set.
fn proxy_is_set() -> bool {
    PROXY_VARS
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

/// The system trust store (which honours `SSL_CERT_FILE`) plus the user's CA bundle.
fn root_certificates(ca_bundle: Option<&Path>) -> Result<RootCerts, HttpError> {
    let mut certificates: Vec<Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .into_iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    if let Some(path) = ca_bundle {
        let pem = std::fs::read(path).map_err(|err| HttpError::CaBundle {
            path: path.to_path_buf(),
            reason: err.to_string(),
        })?;
        let before = certificates.len();
        for item in ureq::tls::parse_pem(&pem) {
            if let Ok(ureq::tls::PemItem::Certificate(cert)) = item {
                certificates.push(cert);
            }
        }
        if certificates.len() == before {
            return Err(HttpError::CaBundle {
                path: path.to_path_buf(),
                reason: "no PEM certificate in it".to_string(),
            });
        }
    }
    Ok(RootCerts::new_with_certs(&certificates))
}

/// `https://h/platform/` + `/connect/token` -> `https://h/platform/connect/token`.
pub fn join_url(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_exactly_once() {
        let password = Secret::new("p@ss&w=rd+%20é \"q\"");
        let body = encode_form(&[
            ("grant_type", Field::Plain("password")),
            ("password", Field::Secret(&password)),
        ]);
        assert_eq!(
            body.expose(),
            "grant_type=password&password=p%40ss%26w%3Drd%2B%2520%C3%A9+%22q%22"
        );
    }

    #[test]
    fn logs_show_only_safe_fields() {
        let secret = Secret::new("s3cret");
        let shown = describe_fields(&[
            ("grant_type", Field::Plain("password")),
            ("password", Field::Secret(&secret)),
            ("refresh_token", Field::Plain("rt")),
        ]);
        assert_eq!(
            shown,
            "grant_type=password&password=[redacted]&refresh_token=[redacted]"
        );
    }

    #[test]
    fn endpoints_join_without_double_slashes() {
        assert_eq!(
            join_url("https://h/platform/", "/connect/token"),
            "https://h/platform/connect/token"
        );
        assert_eq!(join_url("https://h", "/Token"), "https://h/Token");
    }
}
