//! Virtuous CRM: password grant with two-factor at `POST /Token`.

use crate::credential::Credential;
use crate::http::Http;
use crate::profile::Profile;
use crate::provider::{LoginRequest, Provider, ProviderError, ProviderKind, Revocation};

pub struct Virtuous;

impl Provider for Virtuous {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Virtuous
    }

    fn login(&self, _http: &Http, _request: &LoginRequest) -> Result<Credential, ProviderError> {
        Err(ProviderError::NotImplemented("virtuous login"))
    }

    fn refresh(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<Credential, ProviderError> {
        Err(ProviderError::NotImplemented("virtuous refresh"))
    }

    fn verify(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<(), ProviderError> {
        Err(ProviderError::NotImplemented("virtuous verify"))
    }

    fn revoke(
        &self,
        _http: &Http,
        _profile: &Profile,
        _credential: &Credential,
    ) -> Result<Revocation, ProviderError> {
        Err(ProviderError::NotImplemented("virtuous revoke"))
    }
}
