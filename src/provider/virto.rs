//! Virto Commerce (OpenIddict): password and client_credentials grants at `POST /connect/token`.

use crate::credential::Credential;
use crate::http::Http;
use crate::profile::Profile;
use crate::provider::{LoginRequest, Provider, ProviderError, ProviderKind, Revocation};

pub struct Virto;

impl Provider for Virto {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Virto
    }

    fn login(&self, _http: &Http, _request: &LoginRequest) -> Result<Credential, ProviderError> {
        Err(ProviderError::NotImplemented("virto login"))
    }

    fn refresh(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        Err(ProviderError::NotImplemented("virto refresh"))
    }

    fn verify(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<(), ProviderError> {
        Err(ProviderError::NotImplemented("virto verify"))
    }

    fn revoke(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        Err(ProviderError::NotImplemented("virto revoke"))
    }
}
