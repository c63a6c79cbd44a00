//! Wire types shared by several resources: enums, boxes, timestamps.

use serde::{Deserialize, Serialize};
use signet_core::model;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// Formats a timestamp as RFC 3339 (UTC).
pub fn ts(at: OffsetDateTime) -> String {
    signet_core::time::rfc3339(at)
}

/// Formats an optional timestamp.
pub fn ts_opt(at: Option<OffsetDateTime>) -> Option<String> {
    at.map(ts)
}

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident => $core:path { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $(#[allow(missing_docs)] $variant),+ }

        impl From<$name> for $core {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$core>::$variant),+ }
            }
        }

        impl From<$core> for $name {
            fn from(value: $core) -> Self {
                match value { $(<$core>::$variant => $name::$variant),+ }
            }
        }
    };
}

wire_enum!(
    /// `sequential` (by `order`; equal orders sign in parallel) or `parallel`.
    SigningOrder => model::SigningOrder { Sequential, Parallel }
);
wire_enum!(
    /// Envelope status.
    EnvelopeStatus => model::EnvelopeStatus { Draft, InProgress, Sealing, Completed, Declined, Expired, Canceled }
);
wire_enum!(
    /// `signer` signs; `approver` approves without a signature; `cc` is told when the envelope
    /// goes out, completes or is declined and receives the signed documents; `dc` receives only
    /// the signed documents. Neither cc nor dc acts or holds up completion.
    SignerRole => model::SignerRole { Signer, Approver, Cc, Dc }
);
wire_enum!(
    /// Signer status.
    SignerStatus => model::SignerStatus { Pending, Signed, Declined }
);
wire_enum!(
    /// `email`: Signet e-mails the link; `link`: the send response returns it.
    Invitation => model::Invitation { Email, Link }
);
wire_enum!(
    /// Language of the signing page and e-mails.
    Language => model::Language { Nl, De, Es, En, Da, Pl, It, Fr, Sv }
);
wire_enum!(
    /// What a signer proves besides holding the link: `none`, `email_otp` (a code e-mailed to
    /// them), `sms` (a code sent to their `phone`) or `oidc` (a login at the OpenID Connect
    /// provider named in `identity_provider`).
    AuthMethod => model::AuthMethod { None, EmailOtp, Sms, Oidc }
);
wire_enum!(
    /// How a one-time code was sent.
    OtpChannel => model::OtpChannel { Email, Sms }
);
wire_enum!(
    /// Field type.
    FieldKind => model::FieldKind { Signature, Initials, Date, Text, Checkbox }
);

/// A box in PDF points: origin at the page's bottom-left corner, y up; (x, y) is the box's
/// lower-left corner.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
pub struct BoxDto {
    /// Left edge.
    pub x: f32,
    /// Bottom edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl From<model::Rect> for BoxDto {
    fn from(r: model::Rect) -> Self {
        Self {
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
        }
    }
}

/// Who the identity provider must confirm an `oidc` signer is: the family name with any prefix
/// (compared without regard to case or runs of spaces) and the date of birth, matched against
/// the provider's `family_name` and `birthdate` claims. At least one is given.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedIdentityDto {
    /// Family name with any prefix, e.g. `van der Meer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub birthdate: Option<String>,
}

impl ExpectedIdentityDto {
    /// The core's expectation; 422 `invalid_expected_identity` for a date that is not
    /// `YYYY-MM-DD` (the rest is checked by the core).
    pub fn into_core(self) -> Result<model::ExpectedIdentity, signet_core::CoreError> {
        let birthdate = self
            .birthdate
            .map(|d| {
                model::iso_date::parse(&d).ok_or_else(|| {
                    signet_core::CoreError::invalid(
                        "invalid_expected_identity",
                        "expected_identity.birthdate must be a date as YYYY-MM-DD",
                    )
                })
            })
            .transpose()?;
        Ok(model::ExpectedIdentity {
            family_name: self.family_name,
            birthdate,
        })
    }
}

impl From<&model::ExpectedIdentity> for ExpectedIdentityDto {
    fn from(e: &model::ExpectedIdentity) -> Self {
        Self {
            family_name: e.family_name.clone(),
            birthdate: e.birthdate.map(model::iso_date::format),
        }
    }
}
