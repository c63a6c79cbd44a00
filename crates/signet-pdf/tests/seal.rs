//! Sealing fixtures and validating with pyHanko (the oracle), qpdf, pdfsig and the `cms` crate.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use const_oid::db::{rfc5911, rfc5912};
use der::{Decode, Encode, Reader, SliceReader};

use common::*;
use signet_pdf::{KeyAlgorithm, PdfError};

/// Index of a byte inside the first comment line after the header (safe to flip).
fn comment_byte(pdf: &[u8]) -> usize {
    let nl = pdf.iter().position(|b| *b == b'\n').unwrap();
    assert_eq!(pdf[nl + 1], b'%', "fixture must have a second comment line");
    nl + 3
}

/// Seals, then checks invariants, CMS shape, qpdf, pyHanko VALID, and pyHanko INVALID after a flip.
fn seal_and_validate(
    test: &str,
    fixture_name: &str,
    algorithm: KeyAlgorithm,
    certify: bool,
    extra_trust: &[&Path],
    strict: bool,
) -> Vec<u8> {
    let dir = scratch(test);
    let original = read_fixture(fixture_name);
    let (out, sealed) = seal_to(&dir, "sealed.pdf", &original, &[], algorithm, certify);
    let cms = assert_byte_range_invariants(&original, &sealed);
    assert_cms_shape(&cms, 2);
    assert_qpdf_clean(&out);
    let root = root_pem(&dir, algorithm);
    let mut trust = vec![root.as_path()];
    trust.extend_from_slice(extra_trust);
    let (ok, text) = validate(&out, &trust, strict);
    assert!(ok, "pyHanko rejected {fixture_name}:\n{text}");
    assert!(
        text.contains(":VALID") && !text.contains("INVALID"),
        "{text}"
    );
    let bad = dir.join("flipped.pdf");
    std::fs::write(&bad, flipped(&sealed, comment_byte(&original))).unwrap();
    let (ok, text) = validate(&bad, &trust, strict);
    assert!(!ok, "pyHanko accepted a tampered file:\n{text}");
    sealed
}

fn validate(pdf: &Path, trust: &[&Path], strict: bool) -> (bool, String) {
    if strict {
        return pyhanko_validate(pdf, trust);
    }
    let mut args: Vec<String> = vec![
        "sign".into(),
        "validate".into(),
        "--no-strict-syntax".into(),
        "--executive-summary".into(),
    ];
    for t in trust {
        args.extend(["--trust".into(), t.to_string_lossy().into_owned()]);
    }
    args.extend(["--trust-replace".into(), pdf.to_string_lossy().into_owned()]);
    let out = std::process::Command::new(pyhanko())
        .args(&args)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// One SignerInfo, signed attributes exactly {content-type=id-data, message-digest,
/// signing-certificate-v2}, no signing-time, detached, the full chain embedded.
fn assert_cms_shape(padded: &[u8], chain_len: usize) {
    let mut reader = SliceReader::new(padded).unwrap();
    let ci = ContentInfo::decode(&mut reader).unwrap();
    assert!(
        reader.remaining_len() == der::Length::ZERO
            || padded[usize::try_from(reader.position()).unwrap()..]
                .iter()
                .all(|b| *b == 0)
    );
    assert_eq!(ci.content_type, rfc5911::ID_SIGNED_DATA);
    let sd: SignedData = ci.content.decode_as().unwrap();
    assert!(sd.encap_content_info.econtent.is_none(), "must be detached");
    assert_eq!(sd.encap_content_info.econtent_type, rfc5911::ID_DATA);
    assert_eq!(sd.certificates.as_ref().map(|c| c.0.len()), Some(chain_len));
    assert_eq!(sd.signer_infos.0.len(), 1);
    let si = sd.signer_infos.0.get(0).unwrap();
    assert_eq!(si.digest_alg.oid, rfc5912::ID_SHA_256);
    let attrs = si.signed_attrs.as_ref().unwrap();
    let mut oids: Vec<String> = attrs.iter().map(|a| a.oid.to_string()).collect();
    oids.sort();
    let mut want = vec![
        rfc5911::ID_CONTENT_TYPE.to_string(),
        rfc5911::ID_MESSAGE_DIGEST.to_string(),
        rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2.to_string(),
    ];
    want.sort();
    assert_eq!(oids, want);
    assert!(attrs.iter().all(|a| a.oid != rfc5911::ID_SIGNING_TIME));
    let ct = attrs
        .iter()
        .find(|a| a.oid == rfc5911::ID_CONTENT_TYPE)
        .unwrap();
    let value = ct.values.get(0).unwrap().to_der().unwrap();
    assert_eq!(
        const_oid::ObjectIdentifier::from_der(&value).unwrap(),
        rfc5911::ID_DATA
    );
    assert!(si.unsigned_attrs.is_none());
}

#[test]
fn certified_seal_on_reportlab_file_is_valid_and_tamper_evident() {
    let sealed = seal_and_validate(
        "certified_rl",
        "rl_simple.pdf",
        KeyAlgorithm::EcdsaP256,
        true,
        &[],
        true,
    );
    let text = String::from_utf8_lossy(&sealed);
    assert!(text.contains("/TransformMethod /DocMDP") && text.contains("/P 1"));
    assert!(text.contains("/Perms <</DocMDP"));
    assert!(
        text.contains("/SubFilter /ETSI.CAdES.detached") && text.contains("/Filter /Adobe.PPKLite")
    );
}

#[test]
fn rsa_3072_seal_is_valid() {
    seal_and_validate(
        "rsa",
        "rl_simple.pdf",
        KeyAlgorithm::Rsa3072,
        true,
        &[],
        true,
    );
}

#[test]
fn xref_stream_and_object_stream_input_gets_an_xref_stream_update() {
    let original = read_fixture("raw_objstm.pdf");
    let sealed = seal_and_validate(
        "objstm",
        "raw_objstm.pdf",
        KeyAlgorithm::EcdsaP256,
        true,
        &[],
        true,
    );
    let update = String::from_utf8_lossy(&sealed[original.len()..]);
    assert!(
        update.contains("/Type /XRef"),
        "update should mirror the xref-stream style"
    );
    assert!(!update.contains("\ntrailer"));
}

#[test]
fn hybrid_reference_file_is_sealed() {
    // pyHanko refuses hybrid files in strict mode by policy, so this one runs non-strict.
    seal_and_validate(
        "hybrid",
        "raw_hybrid.pdf",
        KeyAlgorithm::EcdsaP256,
        true,
        &[],
        false,
    );
}

#[test]
fn multi_revision_file_is_sealed_with_prev_chain() {
    let original = read_fixture("raw_multirev.pdf");
    let sealed = seal_and_validate(
        "multirev",
        "raw_multirev.pdf",
        KeyAlgorithm::EcdsaP256,
        true,
        &[],
        true,
    );
    let update = String::from_utf8_lossy(&sealed[original.len()..]);
    let text = String::from_utf8_lossy(&original);
    let startxref = text[text.rfind("startxref").unwrap() + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert!(
        update.contains(&format!("/Prev {startxref}")),
        "our /Prev must point at the previous xref"
    );
}

#[test]
fn existing_acroform_keeps_its_fields() {
    let sealed = seal_and_validate(
        "acroform",
        "rl_acroform.pdf",
        KeyAlgorithm::EcdsaP256,
        true,
        &[],
        true,
    );
    let info = signet_pdf::inspect(
        std::io::Cursor::new(&sealed),
        &signet_pdf::Limits::default(),
    )
    .unwrap();
    assert_eq!(info.tags.len(), 1);
    let out = scratch("acroform_fields").join("s.pdf");
    std::fs::write(&out, &sealed).unwrap();
    let json = run(
        "qpdf",
        &["--json", "--json-key=acroform", &out.to_string_lossy()],
    );
    let json = String::from_utf8_lossy(&json.stdout);
    assert!(json.contains("\"name\"") || json.contains("name"), "{json}");
    assert!(json.contains("SignetSeal1"), "{json}");
}

#[test]
fn file_signed_by_pyhanko_keeps_its_signature_valid() {
    let presigner = fixture("presigner_root.pem");
    let sealed = seal_and_validate(
        "presigned",
        "pyhanko_signed.pdf",
        KeyAlgorithm::EcdsaP256,
        false,
        &[presigner.as_path()],
        true,
    );
    let text = String::from_utf8_lossy(&sealed);
    assert!(text.contains("/T (SignetSeal1)"));
}

#[test]
fn certifying_an_already_signed_file_is_refused() {
    let original = read_fixture("pyhanko_signed.pdf");
    let err = signet_pdf::seal(
        std::io::Cursor::new(&original),
        Vec::new(),
        &[],
        &identity(KeyAlgorithm::EcdsaP256),
        &options(true),
        &signet_pdf::Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, PdfError::Forbidden(_)), "{err}");
}

#[test]
fn sealing_a_certified_file_again_is_refused() {
    let dir = scratch("recertify");
    let (_, sealed) = seal_to(
        &dir,
        "once.pdf",
        &read_fixture("rl_simple.pdf"),
        &[],
        KeyAlgorithm::EcdsaP256,
        true,
    );
    let err = signet_pdf::seal(
        std::io::Cursor::new(&sealed),
        Vec::new(),
        &[],
        &identity(KeyAlgorithm::EcdsaP256),
        &options(false),
        &signet_pdf::Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, PdfError::Forbidden(_)), "{err}");
}

#[test]
fn pdfsig_reports_valid_and_trusted_with_the_root_in_nss() {
    let dir = scratch("pdfsig");
    let (out, _) = seal_to(
        &dir,
        "sealed.pdf",
        &read_fixture("rl_simple.pdf"),
        &[],
        KeyAlgorithm::EcdsaP256,
        true,
    );
    let db = dir.join("nssdb");
    std::fs::create_dir_all(&db).unwrap();
    let db_arg = format!("sql:{}", db.display());
    let st = run("certutil", &["-N", "-d", &db_arg, "--empty-password"]);
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let root = root_pem(&dir, KeyAlgorithm::EcdsaP256);
    let st = run(
        "certutil",
        &[
            "-A",
            "-d",
            &db_arg,
            "-n",
            "signet-root",
            "-t",
            "CT,C,C",
            "-i",
            &root.to_string_lossy(),
        ],
    );
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    // pdfsig exits 0 even for bad signatures, so only its output counts.
    let res = run("pdfsig", &["-nssdir", &db_arg, &out.to_string_lossy()]);
    let text = String::from_utf8_lossy(&res.stdout);
    assert!(text.contains("Signature is Valid"), "{text}");
    assert!(text.contains("Certificate is Trusted"), "{text}");
    assert!(text.contains("Total document signed"), "{text}");
    assert!(text.contains("ETSI.CAdES.detached"), "{text}");
}

#[test]
fn stamping_an_already_signed_file_is_refused() {
    let stamps = [signet_pdf::Stamp {
        page: 1,
        rect: signet_pdf::Rect {
            x: 72.0,
            y: 300.0,
            width: 100.0,
            height: 20.0,
        },
        content: signet_pdf::StampContent::Text("late".into()),
    }];
    let err = signet_pdf::seal(
        std::io::Cursor::new(read_fixture("pyhanko_signed.pdf")),
        Vec::new(),
        &stamps,
        &identity(KeyAlgorithm::EcdsaP256),
        &options(false),
        &signet_pdf::Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, PdfError::Forbidden(_)), "{err}");
}

/// A damaged file the fuzzer found (fuzz/regressions/seal): its first page is 0.8814898 points
/// wide. The seal's update copies the page object, whose numbers were once written rounded to
/// four decimals, so the sealed file's page was 0.8815 wide: what was signed was not what was
/// shown. Sealing must keep every page's geometry exactly.
#[test]
fn sealing_keeps_page_geometry_exactly() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/regressions/seal/pages-differ-4af94ba6"
    ))
    .unwrap();
    let limits = signet_pdf::Limits::default();
    let before = signet_pdf::inspect(std::io::Cursor::new(&input), &limits).unwrap();
    let mut sealed = Vec::new();
    signet_pdf::seal(
        std::io::Cursor::new(&input),
        &mut sealed,
        &[],
        &identity(KeyAlgorithm::EcdsaP256),
        &options(false),
        &limits,
    )
    .unwrap();
    assert!(sealed.starts_with(&input));
    let after = signet_pdf::inspect(std::io::Cursor::new(&sealed), &limits).unwrap();
    assert_eq!(after.pages, before.pages);
    assert_eq!(before.pages[0].width, 0.881_489_8);
}
