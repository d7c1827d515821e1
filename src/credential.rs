//! The stored credential: what kind it is, its secrets, and how fresh it is.

use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    OauthPassword,
    OauthClientCredentials,
    ApiKey,
    AuthToken,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OauthPassword => "oauth_password",
            Self::OauthClientCredentials => "oauth_client_credentials",
            Self::ApiKey => "api_key",
            Self::AuthToken => "auth_token",
        }
    }

    /// Whether a new access token can be obtained without the user.
    pub fn is_refreshable(self) -> bool {
        matches!(self, Self::OauthPassword | Self::OauthClientCredentials)
    }
}

/// Everything about a credential that is not secret; `profiles.json` keeps a
/// copy so that listing profiles never has to open the secret store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialInfo {
    pub kind: CredentialKind,
    /// As the server sent it (`bearer`, `Bearer`, ...); informational only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    pub obtained_at: Timestamp,
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub refresh_expires_at: Option<Timestamp>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub has_refresh_token: bool,
}

impl CredentialInfo {
    pub fn new(kind: CredentialKind) -> Self {
        Self {
            kind,
            token_type: None,
            obtained_at: Timestamp::now(),
            expires_at: None,
            refresh_expires_at: None,
            scopes: Vec::new(),
            has_refresh_token: false,
        }
    }

    /// Seconds left until expiry (negative once expired); `None` if it never expires.
    pub fn expires_in(&self, now: Timestamp) -> Option<i64> {
        self.expires_at
            .map(|at| at.as_second().saturating_sub(now.as_second()))
    }

    /// Whether the credential is still usable for at least `min_valid`.
    pub fn is_fresh(&self, now: Timestamp, min_valid: Duration) -> bool {
        match self.expires_at {
            None => true,
            Some(at) => {
                let needed = i64::try_from(min_valid.as_secs()).unwrap_or(i64::MAX);
                at.as_second().saturating_sub(now.as_second()) > needed
            }
        }
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A credential with its secrets: the one record kept in the secret store per
/// profile, so access and refresh token are always replaced together.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credential {
    #[serde(flatten)]
    pub info: CredentialInfo,
    pub access_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// Kept so that refresh and client_credentials grants can present the
    /// client again (the client id itself lives in the profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
}

impl Credential {
    pub fn new(info: CredentialInfo, access_token: Secret) -> Self {
        let mut credential = Self {
            info,
            access_token,
            refresh_token: None,
            client_secret: None,
        };
        credential.info.has_refresh_token = false;
        credential
    }

    pub fn with_refresh_token(mut self, refresh_token: Option<Secret>) -> Self {
        self.info.has_refresh_token = refresh_token.is_some();
        self.refresh_token = refresh_token;
        self
    }

    pub fn with_client_secret(mut self, client_secret: Option<Secret>) -> Self {
        self.client_secret = client_secret;
        self
    }
}

/// The claims of a JWT access token, read without checking its signature
/// (crmauth only displays them and reads `exp`); `None` for opaque tokens.
pub fn jwt_claims(token: &Secret) -> Option<serde_json::Value> {
    jsonwebtoken::dangerous::insecure_decode_claims::<serde_json::Value>(token.expose())
        .ok()
        .filter(serde_json::Value::is_object)
}

/// The `exp` claim of a JWT access token.
pub fn jwt_expiry(token: &Secret) -> Option<Timestamp> {
    let exp = jwt_claims(token)?.get("exp")?.as_i64()?;
    Timestamp::from_second(exp).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expiring_in(seconds: i64) -> CredentialInfo {
        let now = Timestamp::now();
        CredentialInfo {
            expires_at: Some(Timestamp::from_second(now.as_second() + seconds).unwrap_or(now)),
            ..CredentialInfo::new(CredentialKind::OauthPassword)
        }
    }

    #[test]
    fn a_credential_without_expiry_is_always_fresh() {
        let info = CredentialInfo::new(CredentialKind::ApiKey);
        assert!(info.is_fresh(Timestamp::now(), Duration::from_secs(10_000_000)));
        assert_eq!(info.expires_in(Timestamp::now()), None);
    }

    #[test]
    fn freshness_uses_min_valid_without_extra_margin() {
        let info = expiring_in(120);
        let now = Timestamp::now();
        assert!(info.is_fresh(now, Duration::from_secs(60)));
        assert!(!info.is_fresh(now, Duration::from_secs(120)));
        assert!(!info.is_expired(now));
    }

    #[test]
    fn the_secret_record_does_not_debug_print_secrets() {
        let credential = Credential::new(
            CredentialInfo::new(CredentialKind::ApiKey),
            Secret::new("key-123"),
        );
        assert!(!format!("{credential:?}").contains("key-123"));
    }
}
