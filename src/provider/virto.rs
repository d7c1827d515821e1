//! Virto Commerce (OpenIddict): password and client_credentials grants at
//! `POST /connect/token`, revocation at `POST /revoke/token` (RFC 7009).
//!
//! The client (id and secret) that obtained a token goes with every later
//! grant: OpenIddict rejects a refresh without it (`invalid_client`).

use jiff::SignedDuration;

use crate::credential::{Credential, CredentialKind};
use crate::http::{Field, Http, Request, join_url};
use crate::profile::Profile;
use crate::provider::oauth2::{self, Client, Expected, Grant};
use crate::provider::{LoginKind, LoginRequest, Provider, ProviderError, Revocation, Traits};

const TOKEN_PATH: &str = "/connect/token";
const VERIFY_PATH: &str = "/api/platform/security/currentuser";
const REVOKE_PATH: &str = "/revoke/token";
/// The documented refresh-token lifetime (14 days), assumed when an answer
/// does not say.
const REFRESH_LIFETIME_HOURS: i64 = 14 * 24;
/// Asked for with every password grant, so that a refresh token comes back.
const OFFLINE_ACCESS: &str = "offline_access";

pub struct Virto;

const TRAITS: Traits = Traits {
    name: "virto",
    description: "Virto Commerce (OAuth password or client credentials)",
    default_url: None,
    login: LoginKind::OAuth,
    oauth_clients: true,
    two_factor: false,
    api_keys: false,
};

impl Provider for Virto {
    fn traits(&self) -> &'static Traits {
        &TRAITS
    }

    fn login(&self, http: &Http, request: &LoginRequest) -> Result<Credential, ProviderError> {
        let client = Client {
            id: request.client_id.as_deref(),
            secret: request.client_secret.as_ref(),
        };
        let credential = match (&request.username, &request.password) {
            (Some(username), Some(password)) => {
                let mut scopes = vec![OFFLINE_ACCESS.to_string()];
                scopes.extend(request.scopes.iter().cloned());
                let scope = oauth2::split_scopes(&scopes.join(" ")).join(" ");
                let grant = Grant::Password { username, password };
                grant_at(
                    http,
                    &request.url,
                    &grant,
                    client,
                    &scope,
                    CredentialKind::OauthPassword,
                )?
            }
            (None, _) if client.id.is_some() => {
                let scope = oauth2::split_scopes(&request.scopes.join(" ")).join(" ");
                grant_at(
                    http,
                    &request.url,
                    &Grant::ClientCredentials,
                    client,
                    &scope,
                    CredentialKind::OauthClientCredentials,
                )?
            }
            _ => {
                return Err(ProviderError::Usage(
                    "Virto needs a user name and password, or a client id and secret".to_string(),
                ));
            }
        };
        Ok(credential.with_client_secret(request.client_secret.clone()))
    }

    fn refresh(
        &self,
        http: &Http,
        profile: &Profile,
        credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        let client = Client::of(profile, credential);
        let fresh = if credential.info.kind == CredentialKind::OauthClientCredentials {
            // No refresh token for client_credentials: the grant runs again.
            let scope = credential.info.scopes.join(" ");
            grant_at(
                http,
                &profile.url,
                &Grant::ClientCredentials,
                client,
                &scope,
                credential.info.kind,
            )?
        } else {
            let Some(refresh_token) = &credential.refresh_token else {
                return Err(oauth2::no_refresh_token());
            };
            let fresh = grant_at(
                http,
                &profile.url,
                &Grant::RefreshToken(refresh_token),
                client,
                "",
                credential.info.kind,
            )?;
            fresh_scopes(fresh, credential)
        };
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
        http: &Http,
        profile: &Profile,
        credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        let endpoint = join_url(&profile.url, REVOKE_PATH);
        let (token, hint) = match &credential.refresh_token {
            Some(refresh_token) => (refresh_token, "refresh_token"),
            None => (&credential.access_token, "access_token"),
        };
        let mut form = vec![
            ("token", Field::Secret(token)),
            ("token_type_hint", Field::Plain(hint)),
        ];
        if let Some(id) = profile.client_id.as_deref() {
            form.push(("client_id", Field::Plain(id)));
        }
        if let Some(secret) = &credential.client_secret {
            form.push(("client_secret", Field::Secret(secret)));
        }
        let answer = http.send(&Request::post(&endpoint).form(&form))?;
        if answer.is_success() {
            Ok(Revocation::Revoked)
        } else {
            Err(oauth2::error_answer(&answer, &endpoint, "the revocation")
                .with_hint("run 'crmauth logout' without --revoke to forget it locally"))
        }
    }
}

fn grant_at(
    http: &Http,
    url: &str,
    grant: &Grant<'_>,
    client: Client<'_>,
    scope: &str,
    kind: CredentialKind,
) -> Result<Credential, ProviderError> {
    let endpoint = join_url(url, TOKEN_PATH);
    let form = oauth2::grant_form(grant, client, scope);
    let answer = oauth2::request_token(http, &endpoint, &form, &[])?;
    let scopes = oauth2::split_scopes(scope);
    oauth2::parse_token_answer(
        &answer,
        &endpoint,
        &Expected {
            kind,
            scopes: &scopes,
            what: grant.what(),
            refresh_lifetime: SignedDuration::from_hours(REFRESH_LIFETIME_HOURS),
            expiry_date_field: None,
        },
    )
}

/// A refresh answer without `scope` keeps the scopes granted before.
fn fresh_scopes(mut fresh: Credential, old: &Credential) -> Credential {
    if fresh.info.scopes.is_empty() {
        fresh.info.scopes = old.info.scopes.clone();
    }
    fresh
}
