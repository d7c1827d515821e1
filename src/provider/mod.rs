//! The providers: one file each, turning requests into `Credential`s and server
//! answers into typed errors. A provider never prints and never touches the store.
//!
//! Adding a provider: a file implementing [`Provider`] (its protocol, and
//! [`Traits`] saying what its logins take), a variant in [`ProviderKind`],
//! and one line in [`ProviderKind::protocol`]. The commands ask the traits,
//! never the provider's name. A provider sees a stored profile only as a
//! [`Target`]: what it needs to reach the server and to name the profile in
//! its next steps.

pub mod oauth2;
pub mod vertical;
pub mod virto;
pub mod virtuous;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::credential::{Credential, CredentialKind};
use crate::error::{Classify, Exit};
use crate::http::{Http, HttpError, Trouble};
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Virtuous CRM: OAuth password grant (with 2FA) or a static API key
    Virtuous,
    /// Virto Commerce (self-hosted): OAuth password or client_credentials grant, or an API key
    Virto,
    /// Vertical CRM (Zoho-style, self-hosted): permanent auth tokens
    Vertical,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 3] = [Self::Virtuous, Self::Virto, Self::Vertical];

    pub fn as_str(self) -> &'static str {
        self.traits().name
    }

    pub fn description(self) -> &'static str {
        self.traits().description
    }

    /// The URL used when the user gives none; self-hosted products have none.
    pub fn default_url(self) -> Option<&'static str> {
        self.traits().default_url
    }

    pub fn traits(self) -> &'static Traits {
        self.protocol().traits()
    }

    pub fn protocol(self) -> &'static dyn Provider {
        match self {
            Self::Virtuous => &virtuous::Virtuous,
            Self::Virto => &virto::Virto,
            Self::Vertical => &vertical::Vertical,
        }
    }
}

/// What a provider offers, so that the commands ask for the right values
/// without naming providers.
#[derive(Debug)]
pub struct Traits {
    /// As on the command line and in profiles.json.
    pub name: &'static str,
    /// One line for the provider select prompt.
    pub description: &'static str,
    /// The URL used when the user gives none; self-hosted products have none.
    pub default_url: Option<&'static str>,
    pub login: LoginKind,
    /// `login --client-id` is accepted; without a user name it is a
    /// client_credentials grant.
    pub oauth_clients: bool,
    /// The server may ask for a two-factor code (`--otp`).
    pub two_factor: bool,
    /// `apikey set` can store a static key (sent as [`Provider::header`] says).
    pub api_keys: bool,
}

impl Traits {
    /// The command that obtains a new credential for `profile`, for next steps.
    pub fn login_command(&self, profile: &str) -> String {
        match self.login {
            LoginKind::OAuth => format!("crmauth login -p {profile}"),
            LoginKind::AuthToken => format!("crmauth authtoken generate -p {profile}"),
        }
    }

    /// `run 'crmauth login -p NAME'`: the next step after a rejection.
    pub fn login_hint(&self, profile: &str) -> String {
        format!("run '{}'", self.login_command(profile))
    }
}

/// What a provider knows of a stored profile.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The profile's name, for next steps (`crmauth login -p NAME`).
    pub profile: &'a str,
    pub url: &'a str,
    /// The OAuth client the credential was obtained with.
    pub client_id: Option<&'a str>,
}

/// How `login` obtains a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginKind {
    /// An OAuth token endpoint: password (or client) grants, refreshable.
    OAuth,
    /// A permanent auth token generated from the password (`authtoken generate`).
    AuthToken,
}

/// The header most credentials are sent in.
pub const AUTHORIZATION: &str = "Authorization";

/// The header a credential is sent in: its name, and its value (secret).
pub struct Header {
    pub name: &'static str,
    /// `Bearer` when the value is `Bearer <token>`.
    pub scheme: Option<&'static str>,
    pub value: Secret,
}

impl Header {
    /// `Authorization: Bearer <token>`, whatever casing the server used for
    /// `token_type`.
    pub fn bearer(token: &Secret) -> Self {
        Self {
            name: AUTHORIZATION,
            scheme: Some("Bearer"),
            value: Secret::new(format!("Bearer {}", token.expose())),
        }
    }

    /// `NAME: <token>`, the token alone.
    pub fn bare(name: &'static str, token: &Secret) -> Self {
        Self {
            name,
            scheme: None,
            value: token.clone(),
        }
    }

    /// `Name: value`, as curl's `-H` and `CRMAUTH_HEADER` take it.
    pub fn line(&self) -> Secret {
        Secret::new(format!("{}: {}", self.name, self.value.expose()))
    }
}

/// Server text made safe for a one-line error: no control characters (no
/// terminal escapes, no line breaks), at most 300 characters.
pub fn server_text(text: &str) -> String {
    const MAX: usize = 300;
    let text = &crate::secret::redact(text);
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() > MAX {
        clean.chars().take(MAX).collect::<String>() + "..."
    } else {
        clean.to_string()
    }
}

/// What the user asked for at login; the provider picks what its grant needs.
#[derive(Debug, Default)]
pub struct LoginRequest {
    /// The profile being logged in, for next steps.
    pub profile: String,
    pub url: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub otp: Option<Secret>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub scopes: Vec<String>,
    pub display_name: Option<String>,
}

/// What `logout --revoke` achieved on the server.
#[derive(Debug, PartialEq, Eq)]
pub enum Revocation {
    /// Revoked. `access_token_survives`: an access token already issued
    /// (a self-contained JWT) stays valid until it expires.
    Revoked { access_token_survives: bool },
    /// The server already considered the credential invalid.
    AlreadyInvalid(String),
    /// Not revoked by crmauth, and why (no documented endpoint, keys
    /// managed elsewhere).
    NotRevoked(String),
}

/// What `whoami --verify` learnt: the server accepts the credential.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verified {
    /// Who the server says the credential belongs to, when it says.
    pub who: Option<String>,
}

#[derive(Debug, Error)]
pub enum ProviderError {
    /// The server said no: wrong password, invalid_grant, 401/403, RESULT=FALSE.
    #[error("{what} was rejected by the server: {code}{}", .description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Rejected {
        what: &'static str,
        code: String,
        description: Option<String>,
        hint: String,
    },
    /// Virtuous answered 202: a two-factor code is needed.
    #[error("the server asks for a two-factor code")]
    OtpRequired,
    /// An answer the provider does not document (HTML, no access_token, 5xx, 3xx, 429...).
    #[error("{0}")]
    Unexpected(String),
    #[error("{0}")]
    Usage(String),
    /// A redirect, 429 or 5xx.
    #[error(transparent)]
    Trouble(#[from] Trouble),
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl ProviderError {
    /// The same refusal with the next step that fits where it happened.
    pub fn with_hint(self, next_step: impl Into<String>) -> Self {
        match self {
            Self::Rejected {
                what,
                code,
                description,
                ..
            } => Self::Rejected {
                what,
                code,
                description,
                hint: next_step.into(),
            },
            other => other,
        }
    }
}

impl Classify for ProviderError {
    fn exit(&self) -> Exit {
        match self {
            Self::Rejected { .. } => Exit::Rejected,
            Self::OtpRequired | Self::Usage(_) => Exit::Usage,
            Self::Unexpected(_) | Self::Trouble(_) => Exit::Network,
            Self::Http(err) => err.exit(),
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Self::Rejected { hint, .. } => Some(hint.clone()),
            Self::OtpRequired => {
                Some("pass the code with --otp CODE or the CRMAUTH_OTP variable".to_string())
            }
            Self::Unexpected(_) => Some(
                "check the URL: it must be the API's base address (a web page or proxy answers \
                 otherwise)"
                    .to_string(),
            ),
            Self::Trouble(trouble) => Some(trouble.hint.to_string()),
            Self::Http(err) => err.hint(),
            Self::Usage(_) => None,
        }
    }
}

/// One provider's protocol.
pub trait Provider: Sync {
    fn traits(&self) -> &'static Traits;

    /// Obtains a new credential from what the user gave.
    fn login(&self, http: &Http, request: &LoginRequest) -> Result<Credential, ProviderError>;

    /// A new access token from the stored credential.
    fn refresh(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Credential, ProviderError>;

    /// Asks the server whether the credential still works.
    fn verify(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Verified, ProviderError>;

    /// Invalidates the credential on the server, where the provider allows it.
    fn revoke(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Revocation, ProviderError>;

    /// Whether [`Provider::revoke`] needs an unexpired access token (the
    /// caller refreshes an expired one first).
    fn revoke_needs_live_token(&self, _kind: CredentialKind) -> bool {
        false
    }

    /// The header a credential of this provider is sent in: `Bearer` unless
    /// the provider says otherwise.
    fn header(&self, _kind: CredentialKind, token: &Secret) -> Header {
        Header::bearer(token)
    }
}

impl ProviderKind {
    /// The header a credential of `kind` is sent in.
    pub fn header(self, kind: CredentialKind, token: &Secret) -> Header {
        self.protocol().header(kind, token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_credential_goes_in_its_providers_header() {
        let token = Secret::new("abc");
        let line = |provider: ProviderKind, kind| provider.header(kind, &token).line();
        let cases = [
            (
                ProviderKind::Virtuous,
                CredentialKind::ApiKey,
                "Authorization: Bearer abc",
            ),
            (
                ProviderKind::Virtuous,
                CredentialKind::OauthPassword,
                "Authorization: Bearer abc",
            ),
            (
                ProviderKind::Virto,
                CredentialKind::OauthClientCredentials,
                "Authorization: Bearer abc",
            ),
            (ProviderKind::Virto, CredentialKind::ApiKey, "api_key: abc"),
            (
                ProviderKind::Vertical,
                CredentialKind::AuthToken,
                "Authorization: abc",
            ),
        ];
        for (provider, kind, expected) in cases {
            assert_eq!(line(provider, kind).expose(), expected);
        }
    }
}
