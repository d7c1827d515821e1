//! In-process fake provider servers for the end-to-end tests.
//!
//! Include with `mod support;` in an integration test file. Each fake listens
//! on `127.0.0.1:<random port>`, records every request, handles each one on
//! its own thread, and stops when dropped. Each fake derefs to
//! [`server::FakeServer`] for `url()`, `requests()`, `fail_next()`, ...
#![allow(dead_code, unused_imports)]

pub mod bao;
pub mod crmauth;
pub mod keyring;
pub mod raw;
pub mod server;
pub mod vertical;
pub mod virto;
pub mod virtuous;

pub use server::{FakeResponse, FakeServer, RecordedRequest};
pub use vertical::FakeVertical;
pub use virto::FakeVirto;
pub use virtuous::FakeVirtuous;
