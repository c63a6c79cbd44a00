//! Sealing: stamps plus a PAdES signature (B-B or B-T) in one incremental update, then for
//! B-LT a DSS update and for B-LTA a document time-stamp update.

pub(crate) mod asn1;
pub(crate) mod ca;
pub(crate) mod cms;
pub(crate) mod form;
pub(crate) mod identity;
pub(crate) mod import;
pub(crate) mod ltv;
pub(crate) mod output;
pub(crate) mod pki;
pub(crate) mod revocation;
pub(crate) mod sigdict;
pub(crate) mod sign;
pub(crate) mod tsa;
pub(crate) mod update;
pub(crate) mod widgets;

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

/// PAdES baseline level (ETSI EN 319 142-1 §6).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PadesLevel {
    /// Basic: CAdES detached signature with signing-certificate-v2.
    #[default]
    BB,
    /// B-B plus an RFC 3161 signature time-stamp (unsigned attribute).
    BT,
    /// B-T plus a DSS with the certificates and revocation data of the seal and TSA chains.
    BLT,
    /// B-LT plus a document time-stamp over the DSS.
    BLTA,
}

impl PadesLevel {
    /// The level's ETSI name: "B-B", "B-T", "B-LT" or "B-LTA".
    pub fn as_str(self) -> &'static str {
        match self {
            PadesLevel::BB => "B-B",
            PadesLevel::BT => "B-T",
            PadesLevel::BLT => "B-LT",
            PadesLevel::BLTA => "B-LTA",
        }
    }

    /// The level named `name` ("B-B", "B-T", "B-LT", "B-LTA"; any case).
    pub fn parse(name: &str) -> Option<Self> {
        [Self::BB, Self::BT, Self::BLT, Self::BLTA]
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// Certificates and revocation data (all DER) to embed in the DSS at B-LT and above, beyond
/// what the engine adds itself (the seal chain and the certificates inside time-stamp tokens).
/// For the instance's own CA pass the CRL from [`crate::issue_crl`]; for a remote TSA pass the
/// CRLs and/or OCSP responses the server fetched for its chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationData {
    /// Extra certificates (e.g. a remote TSA's intermediates and root).
    pub certificates: Vec<Vec<u8>>,
    /// CRLs (`CertificateList`).
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses (`OCSPResponse`, as served by a responder).
    pub ocsp_responses: Vec<Vec<u8>>,
}

/// What kind of signature the seal adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureKind {
    /// An approval signature (the document may receive more signatures).
    Approval,
    /// A certification signature with DocMDP permissions `p` (1 = no changes, 2 = form filling
    /// and signing, 3 = also annotations). It must be the document's first signature.
    Certification {
        /// The DocMDP /P value, 1..=3.
        p: u8,
    },
    /// An approval signature that locks the document (PDF 2.0): its field's /Lock locks all
    /// fields and carries DocMDP permissions `p` for everything after it. The way to forbid
    /// changes after earlier signatures (a certification must be the first signature).
    Lock {
        /// The /P value of the lock, 1..=3.
        p: u8,
    },
}

/// Options beyond [`SealOptions`]: the PAdES level, the TSA, validation data and the kind of
/// signature. `Default` is B-B with the kind taken from [`SealOptions::certify`].
#[derive(Default)]
pub struct PadesOptions<'a> {
    /// Target level; B-T and above need `tsa`.
    pub level: PadesLevel,
    /// The time-stamping authority for the signature time-stamp and the document time-stamp.
    pub tsa: Option<&'a dyn tsa::TimestampAuthority>,
    /// Revocation data and extra certificates for the DSS (B-LT, B-LTA).
    pub validation: ValidationData,
    /// Overrides [`SealOptions::certify`] when set.
    pub kind: Option<SignatureKind>,
    /// Values drawn as read-only form fields in the signed revision (created if missing,
    /// otherwise given their new appearance); see [`widgets::FormField`].
    pub fields: &'a [widgets::FormField],
}

impl std::fmt::Debug for PadesOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PadesOptions")
            .field("level", &self.level)
            .field("tsa", &self.tsa.is_some())
            .field("validation", &self.validation)
            .field("kind", &self.kind)
            .field("fields", &self.fields.len())
            .finish()
    }
}
