//! Vertical CRM (Zoho-style): permanent auth tokens from `/crm/apiauthtoken.do`.
//!
//! Generate is a `POST` with `EMAIL_ID`, `PASSWORD` and `DISPLAY_NAME` in the
//! query string and an empty body; the answer is a Java-properties body with
//! `AUTHTOKEN` and `RESULT=TRUE`, or `CAUSE` and `RESULT=FALSE`. Delete is a
//! `GET` with the token in the query. The token is sent bare in
//! `Authorization`.
//!
//! The password and the token travel in URLs here: no error of this module
//! quotes a URL with its query, nor the answer's body (a server's error page
//! may echo the request).

use std::collections::HashMap;

use crate::credential::{Credential, CredentialInfo, CredentialKind};
use crate::http::{Answer, Field, Http, Request, join_url};
use crate::provider::{
    AUTHORIZATION, Header, LoginKind, LoginRequest, Provider, ProviderError, Revocation, Target,
    Traits, Verified, server_text,
};
use crate::secret::Secret;

pub const GENERATE_PATH: &str = "/crm/apiauthtoken.do";
pub const DELETE_PATH: &str = "/crm/deleteapiauthtoken.do";
pub const VERIFY_PATH: &str = "/crm/private/json/Users/getUsers";
/// The name a generated token gets on the server unless the user picks one.
pub const DEFAULT_DISPLAY_NAME: &str = "crmauth";

pub struct Vertical;

const TRAITS: Traits = Traits {
    name: "vertical",
    description: "Vertical CRM, Zoho-style (permanent auth token)",
    default_url: None,
    login: LoginKind::AuthToken,
    oauth_clients: false,
    two_factor: false,
    api_keys: false,
};

impl Provider for Vertical {
    fn traits(&self) -> &'static Traits {
        &TRAITS
    }

    fn login(&self, http: &Http, request: &LoginRequest) -> Result<Credential, ProviderError> {
        let email = request
            .username
            .as_deref()
            .ok_or_else(|| ProviderError::Usage("the email is required: pass --username".into()))?;
        let password = request.password.as_ref().ok_or_else(|| {
            ProviderError::Usage("the password is required: pass --password-stdin".into())
        })?;
        let display_name = request
            .display_name
            .as_deref()
            .unwrap_or(DEFAULT_DISPLAY_NAME);
        let url = join_url(&request.url, GENERATE_PATH);
        let query = [
            ("EMAIL_ID", Field::Plain(email)),
            ("PASSWORD", Field::Secret(password)),
            ("DISPLAY_NAME", Field::Plain(display_name)),
        ];
        let answer = http.send(&Request::post(&url).query(&query))?;
        let endpoint = format!("POST {url}");
        match read_result(&answer, &endpoint)? {
            Outcome::Success(mut properties) => {
                let token = properties
                    .remove("AUTHTOKEN")
                    .map(Secret::new)
                    .filter(|token| !token.expose().trim().is_empty())
                    .ok_or_else(|| {
                        ProviderError::Unexpected(format!(
                            "{endpoint}: the answer says RESULT=TRUE but holds no AUTHTOKEN"
                        ))
                    })?;
                Ok(Credential::new(
                    CredentialInfo::new(CredentialKind::AuthToken),
                    Secret::new(token.expose().trim()),
                ))
            }
            Outcome::Failure(cause) => Err(generate_rejected(cause, &request.profile)),
        }
    }

    fn refresh(
        &self,
        _http: &Http,
        _target: Target<'_>,
        _credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        Err(ProviderError::Usage(
            "nothing to refresh: a Vertical auth token does not expire".into(),
        ))
    }

    fn verify(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Verified, ProviderError> {
        let url = join_url(target.url, VERIFY_PATH);
        let endpoint = format!("GET {url}");
        let header = self.header(credential.info.kind, &credential.access_token);
        let answer = http.send(
            &Request::get(&url)
                .query(&[("type", Field::Plain("CurrentUser"))])
                .headers(&[(header.name, Field::Secret(&header.value))]),
        )?;
        check_status(&answer, &endpoint)?;
        // The old Zoho API answers an invalid ticket with 200 and an error
        // object. Any other JSON will do (its shape varies between Zoho-style
        // servers), and so will no body at all: a 2xx is valid.
        let error = json_error(&answer);
        if answer.is_success() && error.is_none() && answer.is_empty_or_json() {
            return Ok(Verified {
                who: current_user_email(&answer),
            });
        }
        let (code, message) = error.unwrap_or_default();
        if matches!(answer.status, 401 | 403) || matches!(code.as_str(), "4834" | "4890") {
            return Err(ProviderError::Rejected {
                what: "the auth token",
                code: if code.is_empty() {
                    format!("HTTP {}", answer.status)
                } else {
                    code
                },
                description: (!message.is_empty()).then_some(message),
                hint: format!(
                    "generate a new one with '{}'",
                    TRAITS.login_command(target.profile)
                ),
            });
        }
        Err(ProviderError::Unexpected(if code.is_empty() {
            format!("{endpoint}: the server answered HTTP {}", answer.status)
        } else {
            format!("{endpoint}: the server answered error {code} ({message})")
        }))
    }

    fn revoke(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        let url = join_url(target.url, DELETE_PATH);
        let answer = http.send(
            &Request::get(&url).query(&[("crmauthtoken", Field::Secret(&credential.access_token))]),
        )?;
        match read_result(&answer, &format!("GET {url}"))? {
            Outcome::Success(_) => Ok(Revocation::Revoked {
                access_token_survives: false,
            }),
            Outcome::Failure(cause) if means_token_invalid(&cause) => {
                Ok(Revocation::AlreadyInvalid(cause))
            }
            Outcome::Failure(cause) => Err(ProviderError::Rejected {
                what: "deleting the auth token",
                code: cause,
                description: None,
                hint: format!(
                    "try again later, or delete it in Setup > Developer Space and run 'crmauth logout -p {}'",
                    target.profile
                ),
            }),
        }
    }

    /// Sent bare: `Authorization: <token>`, no scheme.
    fn header(&self, _kind: CredentialKind, token: &Secret) -> Header {
        Header::bare(AUTHORIZATION, token)
    }
}

/// The user's email in `{"users":{"user":{...}}}` (an object, or a list when
/// the server lists several).
fn current_user_email(answer: &Answer) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
    let user = value.get("users")?.get("user")?;
    let user = match user {
        serde_json::Value::Array(users) => users.first()?,
        other => other,
    };
    let email = server_text(user.get("email")?.as_str()?);
    (!email.is_empty()).then(|| format!("user {email}"))
}

/// What a properties answer says.
#[derive(PartialEq, Eq)]
enum Outcome {
    /// `RESULT=TRUE`, with every property of the answer (the AUTHTOKEN too).
    Success(HashMap<String, String>),
    /// `RESULT=FALSE` with its `CAUSE`.
    Failure(String),
}

/// Never the properties: they hold the auth token.
impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Success(properties) => write!(f, "Success(<{} properties>)", properties.len()),
            Self::Failure(cause) => f.debug_tuple("Failure").field(cause).finish(),
        }
    }
}

/// A 3xx, 429 or 5xx is never the documented answer.
fn check_status(answer: &Answer, endpoint: &str) -> Result<(), ProviderError> {
    if let Some(trouble) = answer.trouble(endpoint) {
        return Err(ProviderError::Trouble(trouble));
    }
    if answer.status < 200 {
        return Err(ProviderError::Unexpected(format!(
            "{endpoint} answered HTTP {}",
            answer.status
        )));
    }
    Ok(())
}

/// Reads `RESULT` (and `CAUSE`) from a properties answer. A `RESULT=FALSE`
/// with a cause counts whatever the 2xx/4xx status, and a bare 401/403 is a
/// refusal too; anything else that is not a 2xx `RESULT=TRUE` is an
/// unexpected answer.
fn read_result(answer: &Answer, endpoint: &str) -> Result<Outcome, ProviderError> {
    check_status(answer, endpoint)?;
    let unexpected = |what: &str| {
        ProviderError::Unexpected(format!(
            "{endpoint}: {what} (HTTP {}{}), not the documented RESULT=TRUE/FALSE properties",
            answer.status,
            answer
                .content_type
                .as_deref()
                .map(|kind| format!(", {kind}"))
                .unwrap_or_default()
        ))
    };
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Err(unexpected("the answer is empty"));
    }
    let mut properties = parse_properties(&answer.body)
        .ok_or_else(|| unexpected("the answer is not a properties body"))?;
    let result = properties
        .get("RESULT")
        .map(|value| value.trim().to_string());
    match result.as_deref() {
        Some(value) if value.eq_ignore_ascii_case("FALSE") => {
            match properties.remove("CAUSE").map(|cause| server_text(&cause)) {
                Some(cause) if !cause.is_empty() => Ok(Outcome::Failure(cause)),
                // Still a refusal (exit 4), just an unexplained one.
                _ => Ok(Outcome::Failure("RESULT=FALSE without a CAUSE".to_string())),
            }
        }
        Some(value) if value.eq_ignore_ascii_case("TRUE") && answer.is_success() => {
            Ok(Outcome::Success(properties))
        }
        _ if matches!(answer.status, 401 | 403) => {
            Ok(Outcome::Failure(format!("HTTP {}", answer.status)))
        }
        _ if !answer.is_success() => Err(unexpected("the server refused the request")),
        Some(_) => Err(unexpected("the answer's RESULT is neither TRUE nor FALSE")),
        None => Err(unexpected("the answer has no RESULT")),
    }
}

/// A Java-properties body (`#`/`!` comments, `=`/`:`/blank separators,
/// escapes, continuations, any line ending), read as Java does.
fn parse_properties(body: &[u8]) -> Option<HashMap<String, String>> {
    java_properties::read(body).ok()
}

/// Delete causes that mean the token is gone already, so forgetting it
/// locally loses nothing (`INVALID_TICKET`, `INVALID_AUTHTOKEN`, ...).
fn means_token_invalid(cause: &str) -> bool {
    let cause = cause.to_ascii_uppercase();
    let about_token = ["TICKET", "TOKEN"].iter().any(|word| cause.contains(word));
    let gone = [
        "INVALID",
        "NOT_FOUND",
        "NO_SUCH",
        "EXPIRED",
        "DELETED",
        "REVOKED",
    ]
    .iter()
    .any(|word| cause.contains(word));
    about_token && gone
}

/// The rejection of a generate request, explained for the causes Zoho documents.
fn generate_rejected(cause: String, profile: &str) -> ProviderError {
    let (description, hint) = match cause.as_str() {
        "ACCOUNT_REGISTRATION_NOT_CONFIRMED" => (
            Some("the user's registration is not confirmed yet"),
            "confirm the account from the invitation email (or ask an administrator), then try again",
        ),
        "INVALID_PASSWORD" => (
            Some("wrong password for this email"),
            "check the password and try again",
        ),
        "INVALID_CREDENTIALS" => (
            Some("wrong email or password"),
            "check the email (--username) and the password, then try again",
        ),
        "NO_SUCH_USER" => (
            Some("no user has this email"),
            "check the email given with --username",
        ),
        "EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS" => (
            Some("the user already has the maximum number of auth tokens"),
            "delete an old token in Setup > Developer Space (or run 'crmauth authtoken delete -p NAME' on a profile holding one), then try again",
        ),
        "USER_NOT_ACTIVE" | "ACCOUNT_NOT_ACTIVE" | "USER_INACTIVE" => (
            Some("the user is not active"),
            "ask an administrator of the CRM to activate the user",
        ),
        "WEB_LOGIN_REQUIRED" => (
            Some("the account uses two-factor authentication"),
            "generate an application-specific password in the account settings and use it as the password",
        ),
        _ => (
            None,
            "check the email and password; the cause is the server's own code",
        ),
    };
    let hint = format!("{hint} (run '{}')", TRAITS.login_command(profile));
    ProviderError::Rejected {
        what: "generating an auth token",
        code: cause,
        description: description.map(str::to_string),
        hint,
    }
}

/// `{"response":{"error":{"code":"4834","message":"Invalid Ticket Id"}}}`
fn json_error(answer: &Answer) -> Option<(String, String)> {
    let value: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
    let error = value.get("response")?.get("error")?;
    let text = |key: &str| match error.get(key) {
        Some(serde_json::Value::String(text)) => server_text(text),
        Some(serde_json::Value::Number(number)) => number.to_string(),
        _ => String::new(),
    };
    Some((text("code"), text("message")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            content_type: Some("text/plain;charset=UTF-8".into()),
            retry_after: None,
            rate_limit_reset: None,
            date: None,
            body: body.as_bytes().to_vec().into(),
        }
    }

    fn result(status: u16, body: &str) -> Result<Outcome, ProviderError> {
        read_result(&answer(status, body), "POST https://h/crm/apiauthtoken.do")
    }

    fn token_of(outcome: Outcome) -> String {
        match outcome {
            Outcome::Success(mut properties) => properties.remove("AUTHTOKEN").unwrap_or_default(),
            Outcome::Failure(cause) => panic!("unexpected failure {cause}"),
        }
    }

    #[test]
    fn reads_the_zoho_answer() {
        let body = "#\n#Mon Nov 23 01:00:00 GMT 2026\nAUTHTOKEN=bad18eba1ff45jk7858b8ae88a77fa30\nRESULT=TRUE\n";
        assert_eq!(
            token_of(result(200, body).unwrap()),
            "bad18eba1ff45jk7858b8ae88a77fa30"
        );
    }

    #[test]
    fn reads_every_properties_style() {
        for body in [
            "#\r\n#Mon\r\nAUTHTOKEN=abc\r\nRESULT=TRUE\r\n",
            "!\n!Mon\nAUTHTOKEN: abc\nRESULT: TRUE\n",
            "# c\nAUTHTOKEN = abc\nRESULT = TRUE",
            "  AUTHTOKEN abc\n\n\tRESULT\t TRUE\n",
            "AUTHTOKEN=a\\\n    bc\nRESULT=TRUE\n",
            "AUTHTOKEN=\\u0061b\\c\nRESULT=TRUE\n",
            "#\rAUTHTOKEN=abc\rRESULT=TRUE\r",
        ] {
            assert_eq!(token_of(result(200, body).unwrap()), "abc", "{body:?}");
        }
    }

    #[test]
    fn a_false_result_carries_its_cause() {
        let body = "#\nCAUSE=INVALID_PASSWORD\nRESULT=FALSE\n";
        assert_eq!(
            result(200, body).unwrap(),
            Outcome::Failure("INVALID_PASSWORD".into())
        );
        assert_eq!(
            result(400, body).unwrap(),
            Outcome::Failure("INVALID_PASSWORD".into())
        );
        assert_eq!(
            result(401, "<html>no</html>").unwrap(),
            Outcome::Failure("HTTP 401".into())
        );
        assert_eq!(
            result(200, "RESULT=FALSE\n").unwrap(),
            Outcome::Failure("RESULT=FALSE without a CAUSE".into())
        );
    }

    #[test]
    fn server_text_cannot_reach_the_terminal_raw() {
        // Java properties decode \u escapes: ESC, BEL and line breaks arrive.
        let body = "RESULT=FALSE\nCAUSE=\\u001b]0;title\\u0007BAD\\nSECOND\\u001b[31m\n";
        let Outcome::Failure(cause) = result(200, body).unwrap() else {
            panic!("a failure");
        };
        assert!(!cause.chars().any(char::is_control), "{cause:?}");
        assert!(
            cause.contains("BAD") && cause.contains("SECOND"),
            "{cause:?}"
        );
    }

    #[test]
    fn anything_else_is_unexpected() {
        for (status, body) in [
            (200, ""),
            (200, "\r\n"),
            (200, "<html><body>Maintenance</body></html>"),
            (200, "#\nAUTHTOKEN=abc\n"),
            (200, "RESULT=MAYBE\n"),
            (500, "RESULT=TRUE\nAUTHTOKEN=abc\n"),
            (302, ""),
            (404, "<html>not found</html>"),
            (429, ""),
        ] {
            let err = result(status, body).unwrap_err();
            assert!(
                matches!(
                    err,
                    ProviderError::Unexpected(_) | ProviderError::Trouble(_)
                ),
                "{status} {body:?}: {err:?}"
            );
        }
    }

    #[test]
    fn unexpected_answers_are_not_quoted() {
        let err = result(200, "<html>PASSWORD=hunter2</html>").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn known_causes_are_explained() {
        let err = generate_rejected("EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS".into(), "p");
        let ProviderError::Rejected { hint, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(hint.contains("Setup > Developer Space"));
        assert!(
            err.to_string()
                .contains("EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS")
        );
        let err = generate_rejected("SOMETHING_NEW".into(), "p");
        assert!(err.to_string().contains("SOMETHING_NEW"));
    }

    #[test]
    fn token_invalid_causes_are_recognised() {
        for cause in [
            "INVALID_TICKET",
            "INVALID_TOKEN",
            "INVALID_AUTHTOKEN",
            "AUTHTOKEN_NOT_FOUND",
        ] {
            assert!(means_token_invalid(cause), "{cause}");
        }
        for cause in [
            "INTERNAL_ERROR",
            "EXCEEDED_MAXIMUM_ALLOWED_AUTHTOKENS",
            "INVALID_PASSWORD",
        ] {
            assert!(!means_token_invalid(cause), "{cause}");
        }
    }
}
