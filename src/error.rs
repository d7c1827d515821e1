//! Exit codes and the errors that carry them.
//!
//! Core modules return their own typed errors; each implements [`Classify`] so
//! `main` can turn any failure into the exit code DESIGN.md promises and a
//! `help:` line telling the user what to do next.

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Failure = 1,
    Usage = 2,
    NotLoggedIn = 3,
    Rejected = 4,
    Network = 5,
    StoreUnavailable = 6,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// What every typed error of the core tells `main`.
pub trait Classify {
    fn exit(&self) -> Exit;
    /// The next step for the user, printed as a `help:` line.
    fn hint(&self) -> Option<String> {
        None
    }
}

/// Errors found in the command line or its inputs before any work is done.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
    pub hint: Option<String>,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl Classify for UsageError {
    fn exit(&self) -> Exit {
        Exit::Usage
    }
    fn hint(&self) -> Option<String> {
        self.hint.clone()
    }
}

/// Nothing is stored for the profile.
#[derive(Debug, Error)]
#[error("no credential stored for profile '{profile}'")]
pub struct NotLoggedIn {
    pub profile: String,
}

impl Classify for NotLoggedIn {
    fn exit(&self) -> Exit {
        Exit::NotLoggedIn
    }
    fn hint(&self) -> Option<String> {
        Some(format!(
            "run 'crmauth login -p {}' (or 'crmauth apikey set -p {}')",
            self.profile, self.profile
        ))
    }
}
