//! The ports: what the core needs from the outside world, as traits. Implementations live in
//! `signet-store` (storage, blobs), `signet-worker` (mail, SMS, callbacks, the remote TSA,
//! CRL downloads, document conversion, OpenID Connect identity providers) and
//! `signet-server`.

mod blob;
mod convert;
mod delivery;
mod identity;
mod revocation;
mod signal;
mod sms;
mod store;
mod timestamp;

pub use blob::{BlobError, BlobRead, BlobStore, StagedBlob, valid_blob_key};
pub use convert::{ConvertError, DocumentConverter};
pub use delivery::{
    Attachment, CallbackRequest, CallbackSender, DeliveryError, Email, Mailbox, Mailer,
    TimedResponse,
};
pub use identity::{
    AuthorizationRequest, CodeExchange, IdentityError, IdentityProviders, VerifiedIdentity,
};
pub use revocation::CrlClient;
pub use signal::{JobSignal, NoSignal};
pub use sms::Sms;
pub use store::{EnvelopeChange, EnvelopeFilter, Store, StoreError};
pub use timestamp::TimestampClient;
