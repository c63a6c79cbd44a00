//! Identifier newtypes. All ids are UUIDv7, so they sort by creation time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }
            /// Wraps an existing UUID (for example one read from storage).
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            /// The underlying UUID.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An account (tenant).
    AccountId
);
id_type!(
    /// A user of an account.
    UserId
);
id_type!(
    /// An API key.
    ApiKeyId
);
id_type!(
    /// An envelope (signature request).
    EnvelopeId
);
id_type!(
    /// A document inside an envelope.
    DocumentId
);
id_type!(
    /// A signer (or approver, or cc recipient) of an envelope.
    SignerId
);
id_type!(
    /// A field a signer fills in.
    FieldId
);
id_type!(
    /// A durable background job.
    JobId
);
id_type!(
    /// A request to reset a user's password (one e-mailed link).
    PasswordResetId
);
id_type!(
    /// An OAuth2 client registered by an account (its text form is the public `client_id`).
    OAuthClientId
);
id_type!(
    /// An OAuth2 access or refresh token.
    OAuthTokenId
);

id_type!(
    /// A contact: a person an account can name as a recipient of its drafts.
    ContactId
);
id_type!(
    /// An account's webhook endpoint.
    WebhookEndpointId
);
id_type!(
    /// One webhook message to one endpoint (its retries and resends share the id, which is
    /// sent as `webhook-id`).
    WebhookDeliveryId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_text_form() {
        let id = EnvelopeId::generate();
        let parsed: EnvelopeId = id.to_string().parse().unwrap();
        assert_eq!(id, parsed);
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let a = DocumentId::generate();
        let b = DocumentId::generate();
        assert!(a < b);
    }
}
