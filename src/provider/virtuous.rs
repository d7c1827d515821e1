//! Virtuous CRM: password grant with two-factor at `POST /Token`.
//!
//! A user with two-factor auth first gets `202 Accepted`; the same request is
//! then sent again with an `OTP: <code>` header. Refresh tokens may rotate.

use jiff::SignedDuration;

use crate::credential::{Credential, CredentialKind};
use crate::http::{Field, Http, join_url};
use crate::profile::Profile;
use crate::provider::oauth2::{self, Client, Expected, Grant};
use crate::provider::{LoginKind, LoginRequest, Provider, ProviderError, Revocation, Traits};

const TOKEN_PATH: &str = "/Token";
const VERIFY_PATH: &str = "/api/Organization/Current";
/// The documented refresh-token lifetime (365 days), assumed when an answer
/// does not say.
const REFRESH_LIFETIME_HOURS: i64 = 365 * 24;
/// The token answer's expiry as an HTTP date; more exact than `expires_in`.
const EXPIRES_FIELD: &str = ".expires";

pub struct Virtuous;

const TRAITS: Traits = Traits {
    name: "virtuous",
    description: "Virtuous CRM (OAuth password grant or API key)",
    default_url: Some("https://api.virtuoussoftware.com"),
    login: LoginKind::OAuth,
    oauth_clients: false,
    two_factor: true,
    api_keys: true,
};

impl Provider for Virtuous {
    fn traits(&self) -> &'static Traits {
        &TRAITS
    }

    fn login(&self, http: &Http, request: &LoginRequest) -> Result<Credential, ProviderError> {
        let (Some(username), Some(password)) = (&request.username, &request.password) else {
            return Err(ProviderError::Usage(
                "Virtuous needs a user name and a password".to_string(),
            ));
        };
        let endpoint = join_url(&request.url, TOKEN_PATH);
        let grant = Grant::Password { username, password };
        let form = oauth2::grant_form(&grant, Client::default(), "");
        let headers: Vec<(&str, Field<'_>)> = match &request.otp {
            Some(otp) => vec![("OTP", Field::Secret(otp))],
            None => Vec::new(),
        };
        let answer = oauth2::request_token(http, &endpoint, &form, &headers)?;
        if answer.status == 202 {
            return Err(match request.otp {
                None => ProviderError::OtpRequired,
                Some(_) => ProviderError::Rejected {
                    what: "the two-factor code",
                    code: "202 Accepted".to_string(),
                    description: Some("the server asked for a code again".to_string()),
                    hint: "run 'crmauth login' with the current code".to_string(),
                },
            });
        }
        let what = if request.otp.is_some() {
            "the login (with two-factor code)"
        } else {
            grant.what()
        };
        oauth2::parse_token_answer(
            &answer,
            &endpoint,
            &Expected {
                kind: CredentialKind::OauthPassword,
                scopes: &[],
                what,
                refresh_lifetime: SignedDuration::from_hours(REFRESH_LIFETIME_HOURS),
                expiry_date_field: Some(EXPIRES_FIELD),
            },
        )
    }

    fn refresh(
        &self,
        http: &Http,
        profile: &Profile,
        credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        let Some(refresh_token) = &credential.refresh_token else {
            return Err(oauth2::no_refresh_token());
        };
        let endpoint = join_url(&profile.url, TOKEN_PATH);
        let grant = Grant::RefreshToken(refresh_token);
        let form = oauth2::grant_form(&grant, Client::of(profile, credential), "");
        let answer = oauth2::request_token(http, &endpoint, &form, &[])?;
        let fresh = oauth2::parse_token_answer(
            &answer,
            &endpoint,
            &Expected {
                kind: credential.info.kind,
                scopes: &credential.info.scopes,
                what: grant.what(),
                refresh_lifetime: SignedDuration::from_hours(REFRESH_LIFETIME_HOURS),
                expiry_date_field: Some(EXPIRES_FIELD),
            },
        )?;
        Ok(oauth2::carry_over(fresh, credential))
    }

    fn verify(
        &self,
        http: &Http,
        profile: &Profile,
        credential: &Credential,
    ) -> Result<(), ProviderError> {
        oauth2::verify(http, &join_url(&profile.url, VERIFY_PATH), credential)
    }

    fn revoke(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        Ok(Revocation::Unsupported)
    }
}
