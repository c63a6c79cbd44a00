//! Text messages to a signer's phone (one-time codes), through an operator's SMS gateway.

use async_trait::async_trait;

use super::DeliveryError;

/// Sends SMS.
#[async_trait]
pub trait Sms: Send + Sync {
    /// Hands `text` for the E.164 number `to` to the gateway; `Ok` means it was accepted.
    async fn send(&self, to: &str, text: &str) -> Result<(), DeliveryError>;
}
