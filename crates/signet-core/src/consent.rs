//! The electronic-records disclosure a signer accepts before signing. Versioned: the audit
//! trail records the version and the SHA-256 of the exact text accepted.

/// Version of the disclosure text.
pub const VERSION: &str = "2026-11-en-1";

/// The disclosure text.
pub const TEXT: &str = "By signing electronically you agree that your electronic signature is the legal \
equivalent of your handwritten signature on this document, and that you receive the documents and \
notices of this signature request electronically. You need a device with a current web browser \
and a way to view PDF files. You may ask the sender for a paper copy. You may withdraw this \
consent by declining to sign instead of signing; declining does not affect anything you signed \
before. Signet records your name, e-mail address, IP address, browser and the time of each step \
as evidence of this signature.";

/// SHA-256 of [`TEXT`], hex.
pub fn sha256_hex() -> String {
    hex::encode(crate::secret::sha256(TEXT.as_bytes()))
}
