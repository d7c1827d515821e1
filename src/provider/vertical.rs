//! Vertical CRM (Zoho-style): permanent auth tokens from `/crm/apiauthtoken.do`.

use crate::credential::Credential;
use crate::http::Http;
use crate::profile::Profile;
use crate::provider::{LoginRequest, Provider, ProviderError, ProviderKind, Revocation};

pub struct Vertical;

impl Provider for Vertical {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Vertical
    }

    fn login(&self, _http: &Http, _request: &LoginRequest) -> Result<Credential, ProviderError> {
        Err(ProviderError::NotImplemented("vertical login"))
    }

    fn refresh(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        Err(ProviderError::NotImplemented("vertical refresh"))
    }

    fn verify(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<(), ProviderError> {
        Err(ProviderError::NotImplemented("vertical verify"))
    }

    fn revoke(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        Err(ProviderError::NotImplemented("vertical revoke"))
    }
}
