//! Test support: the spawned app, a controllable clock, fixtures and the external validators.

pub mod app;
pub mod clock;
pub mod credential;
pub mod fixtures;
pub mod logs;
pub mod oidc_provider;
pub mod secrets;
pub mod test_ca;
pub mod validators;
pub mod webdriver;

pub use app::TestApp;
