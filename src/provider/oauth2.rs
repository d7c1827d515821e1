//! RFC 6749 token-endpoint client shared by Virtuous and Virto: grant forms
//! (§4.3 password, §4.4 client credentials, §6 refresh), §5.1 success answers
//! turned into a [`Credential`], §5.2 error answers and everything else a
//! server may send turned into a [`ProviderError`].

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value};

use crate::credential::{self, Credential, CredentialInfo, CredentialKind};
use crate::http::{Answer, Field, Http, Request};
use crate::provider::{Header, ProviderError, Target, server_text};
use crate::secret::Secret;

/// Longer than any token lifetime a real server gives: an `expires_in`
/// beyond it is a broken answer, not a token that never needs refreshing.
const MAX_EXPIRES_IN: i64 = 10 * 365 * 24 * 3600;

/// The grant being asked for, with what it needs.
pub enum Grant<'a> {
    Password {
        username: &'a str,
        password: &'a Secret,
    },
    ClientCredentials,
    RefreshToken(&'a Secret),
}

impl Grant<'_> {
    fn grant_type(&self) -> &'static str {
        match self {
            Self::Password { .. } => "password",
            Self::ClientCredentials => "client_credentials",
            Self::RefreshToken(_) => "refresh_token",
        }
    }

    /// What the server rejects when it says no, for the error message.
    pub fn what(&self) -> &'static str {
        match self {
            Self::Password { .. } => "the login",
            Self::ClientCredentials => "the client credentials grant",
            Self::RefreshToken(_) => "the refresh token",
        }
    }
}

/// The client presenting the grant (sent in the form body, only when known).
#[derive(Clone, Copy, Default)]
pub struct Client<'a> {
    pub id: Option<&'a str>,
    pub secret: Option<&'a Secret>,
}

impl<'a> Client<'a> {
    /// The client that obtained a stored credential.
    pub fn of(target: Target<'a>, credential: &'a Credential) -> Self {
        Self {
            id: target.client_id,
            secret: credential.client_secret.as_ref(),
        }
    }

    fn push_fields(&self, fields: &mut Vec<(&'a str, Field<'a>)>) {
        if let Some(id) = self.id {
            fields.push(("client_id", Field::Plain(id)));
        }
        if let Some(secret) = self.secret {
            fields.push(("client_secret", Field::Secret(secret)));
        }
    }
}

/// The form body of a grant request; `scope` is sent only when non-empty.
pub fn grant_form<'a>(
    grant: &'a Grant<'a>,
    client: Client<'a>,
    scope: &'a str,
) -> Vec<(&'a str, Field<'a>)> {
    let mut fields = vec![("grant_type", Field::Plain(grant.grant_type()))];
    match grant {
        Grant::Password { username, password } => {
            fields.push(("username", Field::Plain(username)));
            fields.push(("password", Field::Secret(password)));
        }
        Grant::ClientCredentials => {}
        Grant::RefreshToken(token) => fields.push(("refresh_token", Field::Secret(token))),
    }
    if !scope.is_empty() {
        fields.push(("scope", Field::Plain(scope)));
    }
    client.push_fields(&mut fields);
    fields
}

/// What a credential obtained from a token answer starts from.
pub struct Expected<'a> {
    pub kind: CredentialKind,
    /// Granted scopes when the answer has no `scope` (RFC 6749 §5.1: same as requested).
    pub scopes: &'a [String],
    pub what: &'static str,
    /// The next step when the server says no (`run 'crmauth login -p NAME'`).
    pub next_step: &'a str,
    /// The provider's documented refresh-token lifetime, assumed when the
    /// answer carries a refresh token but does not say when it expires.
    pub refresh_lifetime: SignedDuration,
    /// A field of the answer with the expiry as an HTTP date (Virtuous:
    /// `.expires`); the earlier of it and `expires_in` counts.
    pub expiry_date_field: Option<&'static str>,
}

/// Turns a token-endpoint answer into a credential, or a typed error.
pub fn parse_token_answer(
    answer: &Answer,
    endpoint: &str,
    expected: &Expected<'_>,
) -> Result<Credential, ProviderError> {
    if !answer.is_success() {
        return Err(error_answer(
            answer,
            endpoint,
            expected.what,
            expected.next_step,
        ));
    }
    let mut object = json_object(answer).ok_or_else(|| {
        ProviderError::Unexpected(format!(
            "POST {endpoint} answered {} with {}, not a JSON token answer",
            answer.status,
            describe_body(answer)
        ))
    })?;
    let access_token = take_token(&mut object, "access_token", endpoint)?.ok_or_else(|| {
        ProviderError::Unexpected(format!(
            "POST {endpoint} answered {} without an access_token",
            answer.status
        ))
    })?;
    let obtained_at = Timestamp::now();
    let by_lifetime = match lifetime_field(&object, "expires_in") {
        Ok(seconds) => seconds.and_then(|s| after(obtained_at, s)),
        Err(shown) => {
            return Err(ProviderError::Unexpected(format!(
                "POST {endpoint} answered an expires_in of {shown}, not a number of seconds"
            )));
        }
    };
    let by_date = expected
        .expiry_date_field
        .and_then(|field| date_field(&object, field));
    // The earlier one counts; without either, a JWT's own `exp`.
    let expires_at = match (by_lifetime, by_date) {
        (Some(lifetime), Some(date)) => Some(lifetime.min(date)),
        (lifetime, date) => lifetime.or(date),
    }
    .or_else(|| credential::jwt_expiry(&access_token));
    let refresh_token = take_token(&mut object, "refresh_token", endpoint)?;
    let refresh_expires_at = seconds_field(&object, "refresh_expires_in")
        .or_else(|| seconds_field(&object, "refresh_token_expires_in"))
        .and_then(|s| after(obtained_at, s))
        .or_else(|| {
            refresh_token.as_ref()?;
            obtained_at.checked_add(expected.refresh_lifetime).ok()
        });
    let scopes = match object.get("scope").and_then(Value::as_str) {
        Some(scope) => split_scopes(scope),
        None => expected.scopes.to_vec(),
    };
    let info = CredentialInfo {
        token_type: string_field(&object, "token_type"),
        obtained_at,
        expires_at,
        refresh_expires_at,
        scopes,
        ..CredentialInfo::new(expected.kind)
    };
    Ok(Credential::new(info, access_token).with_refresh_token(refresh_token))
}

/// A token obtained without a refresh token cannot be renewed.
pub fn no_refresh_token(next_step: &str) -> ProviderError {
    ProviderError::Rejected {
        what: "the refresh",
        code: "no refresh token stored".to_string(),
        description: None,
        hint: next_step.to_string(),
    }
}

/// Sends a grant to the token endpoint (never retried: a refresh may rotate).
pub fn request_token(
    http: &Http,
    endpoint: &str,
    form: &[(&str, Field<'_>)],
    headers: &[(&str, Field<'_>)],
) -> Result<Answer, ProviderError> {
    Ok(http.send(&Request::post(endpoint).form(form).headers(headers))?)
}

/// A refreshed credential keeps what the answer does not replace: the refresh
/// token when none came back, the client secret, the scopes.
pub fn carry_over(mut fresh: Credential, old: &Credential) -> Credential {
    if fresh.refresh_token.is_none() {
        fresh = fresh.with_refresh_token(old.refresh_token.clone());
        fresh.info.refresh_expires_at = old.info.refresh_expires_at;
    }
    fresh.with_client_secret(old.client_secret.clone())
}

/// An error answer: RFC 6749 §5.2 JSON, 401/403 -> rejected (exit 4);
/// redirects, 429, 5xx and anything undocumented -> unexpected (exit 5).
pub fn error_answer(
    answer: &Answer,
    endpoint: &str,
    what: &'static str,
    next_step: &str,
) -> ProviderError {
    let status = answer.status;
    if let Some(trouble) = answer.trouble(&format!("POST {endpoint}")) {
        return ProviderError::Trouble(trouble);
    }
    let oauth_error = json_object(answer).and_then(|object| {
        let code = string_field(&object, "error")?;
        Some((code, string_field(&object, "error_description")))
    });
    match oauth_error {
        Some((code, description)) if (400..500).contains(&status) => ProviderError::Rejected {
            what,
            code: server_text(&code),
            description: description
                .map(|d| server_text(&d))
                .filter(|d| !d.is_empty()),
            hint: next_step.to_string(),
        },
        _ if status == 401 || status == 403 => ProviderError::Rejected {
            what,
            code: format!("HTTP {status}"),
            description: None,
            hint: next_step.to_string(),
        },
        _ => ProviderError::Unexpected(format!(
            "POST {endpoint} answered {status} with {}",
            describe_body(answer)
        )),
    }
}

/// `GET` an endpoint with the credential's header: a 2xx answer that is
/// JSON or empty is returned, 401/403 is rejected (exit 4) with `next_step`,
/// anything else unexpected (exit 5).
pub fn verify_get(
    http: &Http,
    url: &str,
    header: &Header,
    next_step: &str,
) -> Result<Answer, ProviderError> {
    let answer =
        http.send(&Request::get(url).headers(&[(header.name, Field::Secret(&header.value))]))?;
    if let Some(trouble) = answer.trouble(&format!("GET {url}")) {
        return Err(ProviderError::Trouble(trouble));
    }
    match answer.status {
        200..=299 if answer.is_empty_or_json() => Ok(answer),
        200..=299 => Err(ProviderError::Unexpected(format!(
            "GET {url} answered {} with {}, not the JSON the API sends",
            answer.status,
            describe_body(&answer)
        ))),
        401 | 403 => Err(ProviderError::Rejected {
            what: "the credential",
            code: format!("HTTP {}", answer.status),
            description: Some(format!("GET {url}")),
            hint: next_step.to_string(),
        }),
        status => Err(ProviderError::Unexpected(format!(
            "GET {url} answered {status} with {}",
            describe_body(&answer)
        ))),
    }
}

/// A string field of a JSON answer's top-level object (`userName`, `name`),
/// cleaned for display; `None` when absent or empty.
pub fn answer_text(answer: &Answer, name: &str) -> Option<String> {
    json_object(answer)
        .and_then(|object| string_field(&object, name))
        .map(|text| server_text(&text))
        .filter(|text| !text.is_empty())
}

/// Scope values as given (`--scope "a b" --scope c`), de-duplicated, in order.
pub fn split_scopes(scope: &str) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for part in scope.split_whitespace() {
        if !scopes.iter().any(|s| s == part) {
            scopes.push(part.to_string());
        }
    }
    scopes
}

fn json_object(answer: &Answer) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(&answer.body).ok()? {
        Value::Object(object) => Some(object),
        _ => None,
    }
}

/// Moves a token out of the parsed answer into a `Secret`, so that no
/// unwiped copy of it stays behind. A token with whitespace or control
/// characters would break (or inject) the header line it is sent in: such
/// an answer is undocumented, and nothing of it is stored.
fn take_token(
    object: &mut Map<String, Value>,
    name: &str,
    endpoint: &str,
) -> Result<Option<Secret>, ProviderError> {
    let Some(Value::String(value)) = object.remove(name) else {
        return Ok(None);
    };
    let token = Secret::new(value);
    if token
        .expose()
        .chars()
        .any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(ProviderError::Unexpected(format!(
            "POST {endpoint} answered an {name} with spaces or control characters, which no \
             header can carry"
        )));
    }
    Ok(Some(token).filter(|token| !token.is_empty()))
}

fn string_field(object: &Map<String, Value>, name: &str) -> Option<String> {
    object
        .get(name)
        .and_then(Value::as_str)
        .filter(|value| !value.is_empty())
        .map(str::to_string)
}

/// A lifetime in seconds, as a JSON number or a numeric string (some
/// servers quote it). `Ok(None)` when absent; `Err` with what was sent
/// when it is negative, not a number, or beyond any real lifetime: such an
/// answer must never read as "does not expire".
fn lifetime_field(object: &Map<String, Value>, name: &str) -> Result<Option<i64>, String> {
    let Some(value) = object.get(name) else {
        return Ok(None);
    };
    let seconds = match value {
        Value::Number(number) => number.as_i64().or_else(|| {
            number
                .as_f64()
                .filter(|f| f.is_finite() && f.abs() < 1e15)
                .map(|f| f as i64)
        }),
        Value::String(text) => text.trim().parse::<i64>().ok(),
        _ => None,
    };
    match seconds {
        Some(seconds) if (0..=MAX_EXPIRES_IN).contains(&seconds) => Ok(Some(seconds)),
        _ => Err(server_text(&value.to_string()).chars().take(40).collect()),
    }
}

/// A lifetime that is only informational (`refresh_expires_in`): ignored
/// when it makes no sense.
fn seconds_field(object: &Map<String, Value>, name: &str) -> Option<i64> {
    lifetime_field(object, name).ok().flatten()
}

/// An HTTP date (RFC 2822), as in `Tue, 08 Dec 2026 10:00:00 GMT`.
fn date_field(object: &Map<String, Value>, name: &str) -> Option<Timestamp> {
    let text = object.get(name)?.as_str()?;
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(text.trim())
        .ok()
}

fn after(start: Timestamp, seconds: i64) -> Option<Timestamp> {
    if seconds < 0 {
        return None;
    }
    start.checked_add(SignedDuration::from_secs(seconds)).ok()
}

/// A short description of an answer body that is not what was expected.
fn describe_body(answer: &Answer) -> String {
    let kind = answer
        .content_type
        .as_deref()
        .and_then(|ct| ct.split(';').next())
        .map(str::trim)
        .filter(|ct| !ct.is_empty());
    match (answer.body.is_empty(), kind) {
        (true, _) => "an empty body".to_string(),
        (false, Some(kind)) => format!("a {kind} body"),
        (false, None) => "a body without a content type".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, content_type: Option<&str>, body: &str) -> Answer {
        Answer {
            status,
            content_type: content_type.map(str::to_string),
            retry_after: None,
            rate_limit_reset: None,
            date: None,
            body: body.as_bytes().to_vec().into(),
        }
    }

    fn expected() -> Expected<'static> {
        Expected {
            kind: CredentialKind::OauthPassword,
            scopes: &[],
            what: "the login",
            next_step: "run 'crmauth login -p p'",
            refresh_lifetime: SignedDuration::from_hours(24),
            expiry_date_field: Some(".expires"),
        }
    }

    fn describe(form: &[(&str, Field<'_>)]) -> Vec<(String, String)> {
        form.iter()
            .map(|(name, field)| {
                let value = match field {
                    Field::Plain(v) => (*v).to_string(),
                    Field::Secret(s) => s.expose().to_string(),
                };
                ((*name).to_string(), value)
            })
            .collect()
    }

    #[test]
    fn a_password_grant_sends_client_and_scope_only_when_given() {
        let password = Secret::new("pw");
        let grant = Grant::Password {
            username: "ann",
            password: &password,
        };
        let form = grant_form(&grant, Client::default(), "");
        assert_eq!(
            describe(&form),
            [
                ("grant_type".into(), "password".into()),
                ("username".into(), "ann".into()),
                ("password".into(), "pw".into())
            ]
        );
        let secret = Secret::new("cs");
        let client = Client {
            id: Some("app"),
            secret: Some(&secret),
        };
        let form = grant_form(&grant, client, "offline_access");
        let names: Vec<&str> = form.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "grant_type",
                "username",
                "password",
                "scope",
                "client_id",
                "client_secret"
            ]
        );
    }

    #[test]
    fn a_success_answer_becomes_a_credential() {
        let body = r#"{"access_token":"at","token_type":"bearer","expires_in":1800,
                       "refresh_token":"rt","scope":"offline_access api"}"#;
        let credential = parse_token_answer(
            &answer(200, Some("application/json"), body),
            "u",
            &expected(),
        )
        .expect("credential");
        assert_eq!(credential.access_token.expose(), "at");
        assert_eq!(
            credential.refresh_token.as_ref().map(Secret::expose),
            Some("rt")
        );
        assert!(credential.info.has_refresh_token);
        assert_eq!(credential.info.scopes, ["offline_access", "api"]);
        let left = credential
            .info
            .expires_in(Timestamp::now())
            .expect("expiry");
        assert!((1790..=1800).contains(&left), "{left}");
    }

    #[test]
    fn no_expires_in_means_no_expiry_and_virtuous_expires_wins() {
        let credential = parse_token_answer(
            &answer(200, None, r#"{"access_token":"at"}"#),
            "u",
            &expected(),
        )
        .expect("credential");
        assert_eq!(credential.info.expires_at, None);
        let body =
            r#"{"access_token":"at","expires_in":10,".expires":"Tue, 18 Jan 2022 20:18:49 GMT"}"#;
        let credential =
            parse_token_answer(&answer(200, None, body), "u", &expected()).expect("credential");
        assert_eq!(
            credential.info.expires_at.map(|t| t.as_second()),
            Some(1_642_537_129)
        );
    }

    #[test]
    fn error_answers_map_to_exit_codes() {
        let rejected = |a: Answer| {
            matches!(
                error_answer(&a, "u", "x", "n"),
                ProviderError::Rejected { .. }
            )
        };
        assert!(rejected(answer(400, None, r#"{"error":"invalid_grant"}"#)));
        assert!(rejected(answer(401, None, "")));
        assert!(rejected(answer(403, Some("text/html"), "<html>")));
        assert!(!rejected(answer(400, Some("text/html"), "<html>")));
        assert!(!rejected(answer(500, None, r#"{"error":"server_error"}"#)));
        assert!(!rejected(answer(302, None, "")));
        let mut limited = answer(429, None, "");
        limited.retry_after = Some("7".into());
        let text = error_answer(&limited, "u", "x", "n").to_string();
        assert!(
            text.contains("429") && text.contains("retry after 7 s"),
            "{text}"
        );
        match error_answer(
            &answer(
                400,
                None,
                r#"{"error":"invalid_grant","error_description":"bad\nline"}"#,
            ),
            "u",
            "x",
            "n",
        ) {
            ProviderError::Rejected {
                code, description, ..
            } => {
                assert_eq!(code, "invalid_grant");
                assert_eq!(description.as_deref(), Some("bad line"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_earlier_expiry_counts_and_a_jwt_exp_is_the_fallback() {
        let now = Timestamp::now().as_second();
        let soon = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&Timestamp::from_second(now + 600).expect("time"))
            .expect("date");
        let body = format!(r#"{{"access_token":"at","expires_in":3599,".expires":"{soon}"}}"#);
        let credential =
            parse_token_answer(&answer(200, None, &body), "u", &expected()).expect("credential");
        assert_eq!(
            credential.info.expires_at.map(|t| t.as_second()),
            Some(now + 600)
        );
        let body = format!(r#"{{"access_token":"at","expires_in":60,".expires":"{soon}"}}"#);
        let credential =
            parse_token_answer(&answer(200, None, &body), "u", &expected()).expect("credential");
        let left = credential
            .info
            .expires_in(Timestamp::now())
            .expect("expiry");
        assert!((55..=60).contains(&left), "{left}");
        // header {"alg":"none"}, payload {"exp":2000000000}
        let jwt = "eyJhbGciOiJub25lIn0.eyJleHAiOjIwMDAwMDAwMDB9.c2ln";
        let body = format!(r#"{{"access_token":"{jwt}"}}"#);
        let credential =
            parse_token_answer(&answer(200, None, &body), "u", &expected()).expect("credential");
        assert_eq!(
            credential.info.expires_at.map(|t| t.as_second()),
            Some(2_000_000_000)
        );
    }

    #[test]
    fn a_broken_expires_in_or_token_is_unexpected() {
        for body in [
            r#"{"access_token":"at","expires_in":-5}"#,
            r#"{"access_token":"at","expires_in":"soon"}"#,
            r#"{"access_token":"at","expires_in":null}"#,
            r#"{"access_token":"at","expires_in":1e300}"#,
            r#"{"access_token":"at","expires_in":99999999999}"#,
            r#"{"access_token":"a
X-Evil: 1","expires_in":60}"#,
            r#"{"access_token":"a b","expires_in":60}"#,
            r#"{"access_token":"at","refresh_token":"r[2J","expires_in":60}"#,
        ] {
            assert!(
                matches!(
                    parse_token_answer(&answer(200, None, body), "u", &expected()),
                    Err(ProviderError::Unexpected(_))
                ),
                "{body}"
            );
        }
        let credential = parse_token_answer(
            &answer(200, None, r#"{"access_token":"at","expires_in":"3600"}"#),
            "u",
            &expected(),
        )
        .expect("a quoted number is still a number");
        assert!(credential.info.expires_at.is_some());
    }

    #[test]
    fn success_without_access_token_or_json_is_unexpected() {
        for a in [
            answer(200, Some("text/html"), "<html></html>"),
            answer(200, None, r#"{"token_type":"bearer"}"#),
            answer(200, None, ""),
        ] {
            assert!(matches!(
                parse_token_answer(&a, "u", &expected()),
                Err(ProviderError::Unexpected(_))
            ));
        }
    }
}
