use serde::{Deserialize, Serialize};
use signet_pdf::ScriptFont;
use time::OffsetDateTime;

use crate::id::{EnvelopeId, SignerId};
use crate::model::{ExpectedIdentity, text_enum};

/// What a recipient does with the envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignerRole {
    /// Signs, adopting a signature.
    Signer,
    /// Approves without a signature; counted in the signing order.
    Approver,
    /// Receives a copy; does not act. Is told when the envelope goes out, completes or is
    /// declined, and receives the signed documents.
    Cc,
    /// Recipient of the signed documents only (Stiply's `dc`); does not act and hears nothing
    /// else.
    Dc,
}
text_enum!(SignerRole { Signer => "signer", Approver => "approver", Cc => "cc", Dc => "dc" });

impl SignerRole {
    /// True for roles whose action is needed before the envelope completes.
    pub fn acts(self) -> bool {
        matches!(self, Self::Signer | Self::Approver)
    }
}

/// How a signer receives the signing link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invitation {
    /// Signet e-mails the link.
    Email,
    /// The client gets the link in the send response and delivers it itself.
    Link,
}
text_enum!(Invitation { Email => "email", Link => "link" });

/// The languages Signet's signer-facing texts exist in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Dutch.
    Nl,
    /// German.
    De,
    /// Spanish.
    Es,
    /// English.
    En,
    /// Danish.
    Da,
    /// Polish.
    Pl,
    /// Italian.
    It,
    /// French.
    Fr,
    /// Swedish.
    Sv,
}
text_enum!(Language {
    Nl => "nl", De => "de", Es => "es", En => "en", Da => "da",
    Pl => "pl", It => "it", Fr => "fr", Sv => "sv",
});

/// How a signer proves, beyond holding the link, that they are who the sender meant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthMethod {
    /// The link alone.
    #[default]
    None,
    /// A one-time code e-mailed to the signer's address.
    EmailOtp,
    /// A one-time code sent by SMS to the signer's phone.
    Sms,
    /// A login at an external OpenID Connect identity provider (the signer's
    /// `identity_provider` names which one).
    Oidc,
}
text_enum!(AuthMethod { None => "none", EmailOtp => "email_otp", Sms => "sms", Oidc => "oidc" });

/// Where a signer is in the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignerStatus {
    /// Has not acted yet (or never acts, for cc).
    Pending,
    /// Has signed or approved.
    Signed,
    /// Has declined.
    Declined,
}
text_enum!(SignerStatus { Pending => "pending", Signed => "signed", Declined => "declined" });

/// The signature a signer adopted when signing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdoptedSignature {
    /// A typed name, rendered in a script font.
    Typed {
        /// The typed text.
        text: String,
        /// The script face it is drawn in (older records, which had no choice, the default).
        #[serde(default, with = "script_font")]
        font: ScriptFont,
    },
    /// A drawn signature, kept as a PNG blob.
    Drawn {
        /// Blob key of the PNG.
        blob_key: String,
        /// SHA-256 of the PNG, hex.
        sha256: String,
    },
}

/// [`ScriptFont`] as its wire name (`dancing_script`, …).
mod script_font {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use signet_pdf::ScriptFont;

    pub fn serialize<S: Serializer>(font: &ScriptFont, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(font.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ScriptFont, D::Error> {
        let name = String::deserialize(d)?;
        ScriptFont::parse(&name).ok_or_else(|| D::Error::custom(format!("no script font {name:?}")))
    }
}

/// What was recorded about the signer's act of signing or declining.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SigningEvidence {
    /// Client IP address as seen by Signet.
    pub ip: Option<String>,
    /// The browser's User-Agent.
    pub user_agent: Option<String>,
    /// Version of the consent text the signer accepted.
    pub consent_version: Option<String>,
    /// SHA-256 (hex) of the consent text the signer accepted.
    pub consent_sha256: Option<String>,
}

/// A recipient of an envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct Signer {
    /// Its id.
    pub id: SignerId,
    /// The envelope it belongs to.
    pub envelope_id: EnvelopeId,
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Signer, approver or cc.
    pub role: SignerRole,
    /// Position in a sequential order (equal values sign in parallel).
    pub order: i32,
    /// Language of the signing page and e-mails.
    pub language: Language,
    /// E-mail or link.
    pub invitation: Invitation,
    /// Where the browser goes after signing or declining.
    pub redirect_url: Option<String>,
    /// A message for this recipient only, shown in their invitation instead of the envelope's
    /// (allow-listed HTML, like the envelope's message).
    pub message: Option<String>,
    /// Current status.
    pub status: SignerStatus,
    /// SHA-256 of the current signing-link token, set when the envelope is sent.
    pub token_hash: Option<[u8; 32]>,
    /// Incremented each time a new link is issued; old links stop working.
    pub token_generation: i32,
    /// The adopted signature, once signed.
    pub signature: Option<AdoptedSignature>,
    /// Evidence recorded at signing or declining.
    pub evidence: Option<SigningEvidence>,
    /// The reason given when declining.
    pub decline_reason: Option<String>,
    /// First time the signer opened the envelope.
    pub viewed_at: Option<OffsetDateTime>,
    /// When the signer signed or approved.
    pub signed_at: Option<OffsetDateTime>,
    /// When the signer declined.
    pub declined_at: Option<OffsetDateTime>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// What the signer must prove before reading or acting (`none`: the link alone).
    pub auth_method: AuthMethod,
    /// Mobile number in E.164 form (`+31612345678`), required for `sms`.
    pub phone: Option<String>,
    /// The configured identity provider (`idin`, …) a signer with `oidc` logs in at.
    pub identity_provider: Option<String>,
    /// Who the identity provider must confirm the signer is (only with `oidc`).
    pub expected_identity: Option<ExpectedIdentity>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_signature_keeps_its_face_and_older_records_read_as_the_default() {
        let typed = AdoptedSignature::Typed {
            text: "Ada".into(),
            font: ScriptFont::GreatVibes,
        };
        let json = serde_json::to_value(&typed).unwrap();
        assert_eq!(json["font"], "great_vibes");
        assert_eq!(
            serde_json::from_value::<AdoptedSignature>(json).unwrap(),
            typed
        );
        let old = serde_json::json!({"kind": "typed", "text": "Ada"});
        let read: AdoptedSignature = serde_json::from_value(old).unwrap();
        assert!(matches!(
            read,
            AdoptedSignature::Typed {
                font: ScriptFont::DancingScript,
                ..
            }
        ));
        let unknown = serde_json::json!({"kind": "typed", "text": "Ada", "font": "comic_sans"});
        assert!(serde_json::from_value::<AdoptedSignature>(unknown).is_err());
    }
}
