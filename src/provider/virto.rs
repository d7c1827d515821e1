//! Virto Commerce (OpenIddict): password and client_credentials grants at
//! `POST /connect/token`, revocation at `POST /revoke/token`, per-user API
//! keys in an `api_key` header.
//!
//! The client (id and secret) that obtained a token goes with every later
//! grant: OpenIddict rejects a refresh without it (`invalid_client`).
//!
//! What the platform's own source shows, and this module is built to:
//! - `GET /api/platform/security/currentuser` is `[AllowAnonymous]`: it
//!   answers `200 {}` to a missing, dead or client token, so it proves
//!   nothing. `GET /api/platform/profiles/currentuser` is `[Authorize]`: 401
//!   for a dead credential, 200 for any live one. Verification asks the
//!   second, then the first only for the user's name.
//! - `POST /revoke/token` ignores its form body and revokes every token of
//!   the login behind the `Authorization: Bearer` access token it is called
//!   with; its answer is 200 either way. Standard servers (RFC 7009) revoke
//!   the `token` of the form instead, so both are sent. The JWT access token
//!   itself stays valid until it expires.

use jiff::SignedDuration;

use crate::credential::{Credential, CredentialKind};
use crate::http::{Field, Http, Request, join_url};
use crate::provider::oauth2::{self, Client, Expected, Grant};
use crate::provider::{
    Header, LoginKind, LoginRequest, Provider, ProviderError, Revocation, Target, Traits, Verified,
};
use crate::secret::Secret;

const TOKEN_PATH: &str = "/connect/token";
/// `[Authorize]`: the proof that a credential is alive.
const VERIFY_PATH: &str = "/api/platform/profiles/currentuser";
/// `[AllowAnonymous]`: only says who a live user token belongs to.
const CURRENT_USER_PATH: &str = "/api/platform/security/currentuser";
const REVOKE_PATH: &str = "/revoke/token";
/// The header Virto's API key authentication handler reads.
const API_KEY_HEADER: &str = "api_key";
/// The platform's default refresh-token lifetime (30 days, sliding: each
/// refresh renews it), assumed when an answer does not say.
const REFRESH_LIFETIME_HOURS: i64 = 30 * 24;
/// Asked for with every password grant, so that a refresh token comes back.
const OFFLINE_ACCESS: &str = "offline_access";

pub struct Virto;

const TRAITS: Traits = Traits {
    name: "virto",
    description: "Virto Commerce (OAuth password or client credentials, or an API key)",
    default_url: None,
    login: LoginKind::OAuth,
    oauth_clients: true,
    two_factor: false,
    api_keys: true,
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
        let next_step = TRAITS.login_hint(&request.profile);
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
                    &next_step,
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
                    &next_step,
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
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        let client = Client::of(target, credential);
        let next_step = TRAITS.login_hint(target.profile);
        if credential.info.kind == CredentialKind::OauthClientCredentials {
            // No refresh token for client_credentials: the grant runs again.
            let scope = credential.info.scopes.join(" ");
            let fresh = grant_at(
                http,
                target.url,
                &Grant::ClientCredentials,
                client,
                &scope,
                credential.info.kind,
                &next_step,
            )?;
            return Ok(oauth2::carry_over(fresh, credential));
        }
        let Some(refresh_token) = &credential.refresh_token else {
            return Err(oauth2::no_refresh_token(&next_step));
        };
        let fresh = grant_at(
            http,
            target.url,
            &Grant::RefreshToken(refresh_token),
            client,
            "",
            credential.info.kind,
            &next_step,
        )?;
        // Each answer rolls the refresh token, and each new one gets the full
        // (sliding) lifetime from now.
        Ok(oauth2::carry_over(
            fresh_scopes(fresh, credential),
            credential,
        ))
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
                "create a new API key in the platform, then run 'crmauth apikey set -p {}'",
                target.profile
            ),
            _ => format!(
                "run 'crmauth refresh -p {0}' or 'crmauth login -p {0}'",
                target.profile
            ),
        };
        oauth2::verify_get(
            http,
            &join_url(target.url, VERIFY_PATH),
            &header,
            &next_step,
        )?;
        // The proof is in; the name is a courtesy. Only a user's token gets
        // more than `{}` here, and a failure costs nothing but the name.
        let who = http
            .send(
                &Request::get(&join_url(target.url, CURRENT_USER_PATH))
                    .headers(&[(header.name, Field::Secret(&header.value))]),
            )
            .ok()
            .filter(|answer| answer.is_success())
            .and_then(|answer| oauth2::answer_text(&answer, "userName"))
            .map(|user| format!("user {user}"));
        Ok(Verified { who })
    }

    fn revoke(
        &self,
        http: &Http,
        target: Target<'_>,
        credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        if credential.info.kind == CredentialKind::ApiKey {
            return Ok(Revocation::NotRevoked(
                "crmauth does not revoke Virto API keys: they are managed in the platform \
                 (the user's API keys in Security > Users)"
                    .to_string(),
            ));
        }
        let endpoint = join_url(target.url, REVOKE_PATH);
        let (token, hint) = match &credential.refresh_token {
            Some(refresh_token) => (refresh_token, "refresh_token"),
            None => (&credential.access_token, "access_token"),
        };
        let mut form = vec![
            ("token", Field::Secret(token)),
            ("token_type_hint", Field::Plain(hint)),
        ];
        if let Some(id) = target.client_id {
            form.push(("client_id", Field::Plain(id)));
        }
        if let Some(secret) = &credential.client_secret {
            form.push(("client_secret", Field::Secret(secret)));
        }
        let bearer = Header::bearer(&credential.access_token);
        let answer = http.send(
            &Request::post(&endpoint)
                .form(&form)
                .headers(&[(bearer.name, Field::Secret(&bearer.value))]),
        )?;
        if answer.is_success() {
            Ok(Revocation::Revoked {
                access_token_survives: true,
            })
        } else {
            Err(oauth2::error_answer(
                &answer,
                &endpoint,
                "the revocation",
                &format!(
                    "run 'crmauth logout -p {}' without --revoke to forget it locally",
                    target.profile
                ),
            ))
        }
    }

    /// The platform revokes by the caller's access token: an expired one
    /// would revoke nothing.
    fn revoke_needs_live_token(&self, kind: CredentialKind) -> bool {
        kind.is_refreshable()
    }

    fn header(&self, kind: CredentialKind, token: &Secret) -> Header {
        match kind {
            CredentialKind::ApiKey => Header::bare(API_KEY_HEADER, token),
            _ => Header::bearer(token),
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
    next_step: &str,
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
            next_step,
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
