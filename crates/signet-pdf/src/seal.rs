//! Sealing: stamps plus a PAdES B-B signature in one incremental update.

pub(crate) mod cms;
pub(crate) mod form;
pub(crate) mod identity;
pub(crate) mod pki;
pub(crate) mod sigdict;
pub(crate) mod sign;
pub(crate) mod update;

/// How to seal.
#[derive(Clone, Debug, PartialEq)]
pub struct SealOptions {
    /// Written to the signature's /M (the CMS deliberately carries no signing-time).
    pub signing_time: time::OffsetDateTime,
    /// The signature's /Name, e.g. the platform or organisation.
    pub signer_name: String,
    /// Optional /Reason.
    pub reason: Option<String>,
    /// Optional /Location.
    pub location: Option<String>,
    /// Optional /ContactInfo.
    pub contact_info: Option<String>,
    /// Make a certification signature (DocMDP P=1: no further changes allowed).
    pub certify: bool,
}

/// The result of sealing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealOutcome {
    /// SHA-256 of the complete output file.
    pub sha256: [u8; 32],
    /// Size of the output in bytes.
    pub size: u64,
}
