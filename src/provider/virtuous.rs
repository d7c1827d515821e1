//! Virtuous CRM: password grant with two-factor at `POST /Token`.
//!
//! A user with two-factor auth first gets `202 Accepted`; the same request is
//! then sent again with the code. Virtuous's page says "an `OTP` header";
//! its own curl example and every public client send an `otp` form field:
//! both go. Refresh tokens may rotate.

use jiff::SignedDuration;

use crate::credential::{Credential, CredentialKind};
use crate::http::{Field, Http, join_url};
use crate::provider::oauth2::{self, Client, Expected, Grant};
use crate::provider::{
    LoginKind, LoginRequest, Provider, ProviderError, Revocation, Target, Traits, Verified,
};

const TOKEN_PATH: &str = "/Token";
const VERIFY_PATH: &str = "/api/Organization/Current";
/// The documented refresh-token lifetime (365 days), assumed when an answer
/// does not say.
const REFRESH_LIFETIME_HOURS: i64 = 365 * 24;
/// The token answer's expiry as an HTTP date (RFC 1123); the earlier of it
/// and `expires_in` counts, since Virtuous's docs disagree on the lifetime.
const EXPIRES_FIELD: &str = ".expires";
/// The two-factor code, as a header (the docs' words) and a form field (their
/// curl example and the public clients).
const OTP_HEADER: &str = "OTP";
const OTP_FIELD: &str = "otp";

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
        let mut form = oauth2::grant_form(&grant, Client::default(), "");
        let mut headers: Vec<(&str, Field<'_>)> = Vec::new();
        if let Some(otp) = &request.otp {
            form.push((OTP_FIELD, Field::Secret(otp)));
            headers.push((OTP_HEADER, Field::Secret(otp)));
        }
        let answer = oauth2::request_token(http, &endpoint, &form, &headers)?;
        let next_step = TRAITS.login_hint(&request.profile);
        if answer.status == 202 {
            return Err(match request.otp {
                None => ProviderError::OtpRequired,
                Some(_) => ProviderError::Rejected {
                    what: "the two-factor code",
                    code: "202 Accepted".to_string(),
                    description: Some("the server asked for a code again".to_string()),
                    hint: format!("{next_step} with the current code"),
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
                next_step: &next_step,
                refresh_lifetime: SignedDuration::from_hours(REFRESH_LIFETIME_HOURS),
                expiry_date_field: Some(EXPIRES_FIELD),
            },
        )
    }

    fn refresh(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        let next_step = TRAITS.login_hint(target.profile);
        let Some(refresh_token) = &credential.refresh_token else {
            return Err(oauth2::no_refresh_token(&next_step));
        };
        let endpoint = join_url(target.url, TOKEN_PATH);
        let grant = Grant::RefreshToken(refresh_token);
        let form = oauth2::grant_form(&grant, Client::of(target, credential), "");
        let answer = oauth2::request_token(http, &endpoint, &form, &[])?;
        let fresh = oauth2::parse_token_answer(
            &answer,
            &endpoint,
            &Expected {
                kind: credential.info.kind,
                scopes: &credential.info.scopes,
                what: grant.what(),
                next_step: &next_step,
                refresh_lifetime: SignedDuration::from_hours(REFRESH_LIFETIME_HOURS),
                expiry_date_field: Some(EXPIRES_FIELD),
            },
        )?;
        Ok(oauth2::carry_over(fresh, credential))
    }

    fn verify(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Verified, ProviderError> {
        let header = self.header(credential.info.kind, &credential.access_token);
        let next_step = match credential.info.kind {
            CredentialKind::ApiKey => format!(
                "create a new API key in Virtuous, then run 'crmauth apikey set -p {}'",
                target.profile
            ),
            _ => format!(
                "run 'crmauth refresh -p {0}' or 'crmauth login -p {0}'",
                target.profile
            ),
        };
        let answer = oauth2::verify_get(
            http,
            &join_url(target.url, VERIFY_PATH),
            &header,
            &next_step,
        )?;
        Ok(Verified {
            who: oauth2::answer_text(&answer, "name").map(|name| format!("organization {name}")),
        })
    }

    fn revoke(
        &self,
        _http: &Http,
        _target: Target<'_>,
        _credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        Ok(Revocation::NotRevoked(
            "Virtuous documents no way to revoke a token or API key (delete an API key in \
             Virtuous's settings)"
                .to_string(),
        ))
    }
}
