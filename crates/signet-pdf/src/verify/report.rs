//! What the verifier reports: per signature and for the whole file, with a bottom line.

use time::OffsetDateTime;

/// The bottom line (also `signet verify`'s exit code: 0, 1, 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Intact, cryptographically valid, trusted, and every later change is permitted.
    Valid,
    /// Valid as far as the file goes, but trust or a check could not be established (an
    /// unknown root, an unsupported algorithm).
    Indeterminate,
    /// Changed, forged, structurally wrong, or changed after signing beyond what is permitted.
    Invalid,
}

impl Verdict {
    /// `valid`, `indeterminate` or `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Indeterminate => "indeterminate",
            Verdict::Invalid => "invalid",
        }
    }
}

/// What part of the file a signature's /ByteRange covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Everything but its own /Contents, up to the end of the file.
    EntireFile,
    /// Everything up to the end of the revision it was made in (later updates follow).
    EntireRevision,
    /// Something else: bytes inside the file that the signature does not protect.
    Partial,
}

impl Coverage {
    /// `entire_file`, `entire_revision` or `partial`.
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::EntireFile => "entire_file",
            Coverage::EntireRevision => "entire_revision",
            Coverage::Partial => "partial",
        }
    }
}

/// The most far-reaching kind of change made after a signature (ordered: each level includes
/// the ones before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Modification {
    /// Nothing changed.
    None,
    /// Validation data (DSS) and document time-stamps only.
    LongTermValidation,
    /// Signature fields added or signed, form fields filled.
    FormFilling,
    /// Annotations added or changed.
    Annotations,
    /// Anything else: page content, resources, objects swapped, the document structure.
    Other,
}

impl Modification {
    /// `none`, `ltv`, `form_filling`, `annotations` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Modification::None => "none",
            Modification::LongTermValidation => "ltv",
            Modification::FormFilling => "form_filling",
            Modification::Annotations => "annotations",
            Modification::Other => "other",
        }
    }
}

/// Which kind of signature a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureRole {
    /// An ordinary (approval) signature.
    Approval,
    /// A certification signature with its DocMDP permission level (1 = no changes).
    Certification {
        /// DocMDP /P: 1, 2 or 3.
        permission: u8,
    },
    /// An approval signature whose field locks the document (PDF 2.0 /Lock): changes after
    /// it are judged by its permission level, as after a certification.
    Lock {
        /// The lock's /P: 1, 2 or 3.
        permission: u8,
    },
    /// A document time-stamp (`/Type /DocTimeStamp`, `ETSI.RFC3161`).
    DocumentTimestamp,
}

impl SignatureRole {
    /// `approval`, `certification`, `lock` or `document_timestamp`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureRole::Approval => "approval",
            SignatureRole::Certification { .. } => "certification",
            SignatureRole::Lock { .. } => "lock",
            SignatureRole::DocumentTimestamp => "document_timestamp",
        }
    }
}

/// An RFC 3161 time-stamp (a signature's, or a document time-stamp's own).
#[derive(Clone, Debug, PartialEq)]
pub struct TimestampReport {
    /// The time the TSA vouches for (`genTime`).
    pub time: OffsetDateTime,
    /// The TSA certificate's subject.
    pub authority: String,
    /// The token is signed correctly and stamps what it should.
    pub valid: bool,
    /// The TSA's chain ends at a configured root.
    pub trusted: bool,
}

/// One signature and what the verifier found.
#[derive(Clone, Debug, PartialEq)]
pub struct SignatureReport {
    /// The signature field's fully qualified name.
    pub field: String,
    /// Approval, certification or document time-stamp.
    pub role: SignatureRole,
    /// /SubFilter, e.g. `ETSI.CAdES.detached`.
    pub sub_filter: String,
    /// The signing certificate's subject (the TSA's, for a document time-stamp).
    pub signer: Option<String>,
    /// /Name from the signature dictionary: who the signature says signed (for Signet's
    /// per-signer signatures, the person on whose behalf the instance seal signed).
    pub name: Option<String>,
    /// /M from the signature dictionary (the signer's claim, not proof).
    pub claimed_time: Option<OffsetDateTime>,
    /// The signed bytes hash to the digest the signature commits to.
    pub intact: bool,
    /// The cryptographic signature over that digest verifies with the signing certificate.
    pub valid: bool,
    /// The signing certificate chains to a configured root, valid at the signing time and not
    /// revoked by any CRL in the file.
    pub trusted: bool,
    /// What the /ByteRange covers.
    pub coverage: Coverage,
    /// The furthest-reaching change made after this signature.
    pub modification: Modification,
    /// Whether those changes are permitted (by the certification's DocMDP level, if any;
    /// otherwise form filling and signing at most).
    pub docmdp_ok: bool,
    /// The PAdES baseline level the file proves for this signature (`B-B` .. `B-LTA`), if it
    /// is a PAdES signature.
    pub pades_level: Option<&'static str>,
    /// The signature time-stamp (or the document time-stamp's own token).
    pub timestamp: Option<TimestampReport>,
    /// Everything that went wrong, in plain words.
    pub problems: Vec<String>,
    /// The bottom line for this signature.
    pub verdict: Verdict,
}

/// The whole file.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyReport {
    /// SHA-256 of the file, to look it up elsewhere (an envelope, an audit trail).
    pub sha256: [u8; 32],
    /// Number of revisions (the original plus incremental updates).
    pub revisions: usize,
    /// Signatures in the order they were made.
    pub signatures: Vec<SignatureReport>,
    /// Bytes after the final `%%EOF` line.
    pub trailing_bytes: u64,
    /// Problems of the file as a whole (no signature, uncovered bytes).
    pub problems: Vec<String>,
    /// The bottom line: valid only when every signature is.
    pub verdict: Verdict,
}
