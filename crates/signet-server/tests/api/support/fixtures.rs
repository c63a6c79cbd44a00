//! Documents and images the tests upload.

/// Two pages with `{{text_1}} {{checkbox_1}} {{signature_1}} {{date_1}}` (page 1) and
/// `{{initials_1}} {{signature_2}}` (page 2); made by `tests/fixtures/make_fixtures.py`.
pub fn contract_pdf() -> Vec<u8> {
    include_bytes!("../../fixtures/contract.pdf").to_vec()
}

/// A one-page Word document with `{{signature_1}}` (split across two runs) and `{{date_1}}`;
/// made by `tests/fixtures/make_fixtures.py`.
pub fn contract_docx() -> Vec<u8> {
    include_bytes!("../../fixtures/contract.docx").to_vec()
}

/// The same document saved by LibreOffice as Word 97-2003 (see `make_fixtures.py`).
pub fn contract_doc() -> Vec<u8> {
    include_bytes!("../../fixtures/contract.doc").to_vec()
}

/// A small PNG (a drawn signature stand-in): 3x2 blue pixels, RGBA.
pub fn tiny_png() -> Vec<u8> {
    let hex = "89504e470d0a1a0a0000000d49484452000000030000000208060000009d74661a0000001049444154789c636060f8ff1f819138008f8a0bf5d7cb9a720000000049454e44ae426082";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// The PEM root certificate of a freshly generated PKI that has nothing to do with the
/// instance's.
pub fn other_root_pem() -> String {
    let subject = signet_pdf::PkiSubject {
        organization: "Elsewhere".into(),
        common_name: "Elsewhere Root".into(),
    };
    let pki = signet_pdf::generate_instance_pki(
        &subject,
        signet_pdf::KeyAlgorithm::EcdsaP256,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    signet_pdf::der_to_pem("CERTIFICATE", &pki.root_cert_der)
}
