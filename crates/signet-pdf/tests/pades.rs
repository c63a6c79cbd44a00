//! PAdES baseline levels B-T, B-LT and B-LTA with the built-in TSA and the instance CRL,
//! validated by pyHanko from the embedded data alone (the CRL URL points at a closed port).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use const_oid::db::rfc3161;
use der::{Decode, SliceReader};
use time::{Duration, OffsetDateTime};

use common::*;
use signet_pdf::{
    BuiltinTsa, InstancePki, KeyAlgorithm, PadesLevel, PadesOptions, PdfError, PkiOptions,
    PkiSubject, SealIdentity, SignatureKind, ValidationData, der_to_pem,
    generate_instance_pki_with, issue_crl,
};

/// Nothing listens on port 9 of loopback: a validator that tries to fetch fails.
const CRL_URL: &str = "http://127.0.0.1:9/api/v1/trust/root.crl";

fn ltv_pki(algorithm: KeyAlgorithm) -> &'static InstancePki {
    static EC: OnceLock<InstancePki> = OnceLock::new();
    static RSA: OnceLock<InstancePki> = OnceLock::new();
    let cell = match algorithm {
        KeyAlgorithm::EcdsaP256 => &EC,
        KeyAlgorithm::Rsa3072 => &RSA,
    };
    cell.get_or_init(|| {
        let subject = PkiSubject {
            organization: "Signet Tests, Inc.".into(),
            common_name: "Signet LTV Instance".into(),
        };
        let options = PkiOptions {
            crl_url: Some(CRL_URL.into()),
        };
        generate_instance_pki_with(&subject, algorithm, OffsetDateTime::now_utc(), &options)
            .unwrap()
    })
}

fn seal_identity(p: &InstancePki) -> SealIdentity {
    SealIdentity::from_der(
        &p.seal_key_pkcs8_der,
        &[p.seal_cert_der.clone(), p.root_cert_der.clone()],
    )
    .unwrap()
}

fn tsa(p: &InstancePki) -> BuiltinTsa {
    BuiltinTsa::new(
        &p.tsa_key_pkcs8_der,
        &[p.tsa_cert_der.clone(), p.root_cert_der.clone()],
        Box::new(OffsetDateTime::now_utc),
    )
    .unwrap()
}

fn crl(p: &InstancePki) -> Vec<u8> {
    let now = OffsetDateTime::now_utc();
    issue_crl(
        p.root_ca(),
        &[],
        1,
        now - Duration::minutes(5),
        now + Duration::days(7),
    )
    .unwrap()
}

struct Sealed {
    dir: PathBuf,
    path: PathBuf,
    bytes: Vec<u8>,
    root: PathBuf,
}

/// Seals at `level`. B-B and B-T use the plain test PKI (no CRL distribution points, so a
/// validator has no revocation source to look for); B-LT and B-LTA the one with CRL URLs.
fn seal_at(test: &str, algorithm: KeyAlgorithm, level: PadesLevel, input: &[u8]) -> Sealed {
    let p = if level >= PadesLevel::BLT {
        ltv_pki(algorithm)
    } else {
        pki(algorithm)
    };
    seal_with(test, p, level, input)
}

/// Seals `input` at `level` with `p`'s seal, built-in TSA and a fresh CRL; writes the output and
/// the root certificate into the test's scratch folder.
fn seal_with(test: &str, p: &InstancePki, level: PadesLevel, input: &[u8]) -> Sealed {
    let dir = scratch(test);
    let tsa = tsa(p);
    let pades = PadesOptions {
        level,
        tsa: Some(&tsa),
        validation: ValidationData {
            crls: vec![crl(p)],
            ..ValidationData::default()
        },
        kind: None,
        fields: &[],
    };
    let mut out = Vec::new();
    let outcome = signet_pdf::seal_pades(
        std::io::Cursor::new(input),
        &mut out,
        &[],
        &seal_identity(p),
        &options(true),
        &pades,
        &signet_pdf::Limits::default(),
    )
    .unwrap_or_else(|e| panic!("seal at {}: {e}", level.as_str()));
    assert_eq!(outcome.size, out.len() as u64);
    assert!(
        out.starts_with(input),
        "the input must stay a byte-exact prefix"
    );
    let path = dir.join("sealed.pdf");
    std::fs::write(&path, &out).unwrap();
    let root = dir.join("root.pem");
    std::fs::write(&root, der_to_pem("CERTIFICATE", &p.root_cert_der)).unwrap();
    Sealed {
        dir,
        path,
        bytes: out,
        root,
    }
}

fn python() -> PathBuf {
    Path::new(&pyhanko()).with_file_name("python")
}

/// pyHanko's LTV validation (embedded revocation data only, no fetching) of every signature
/// and document time-stamp; returns (exit ok, report).
fn pyhanko_ltv(pdf: &Path, root: &Path, level: &str) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pyhanko_ltv.py");
    let out = Command::new(python())
        .arg(script)
        .args([root, pdf])
        .arg(level)
        .output()
        .expect("run python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn signature_cms(pdf: &[u8]) -> SignedData {
    let [_, a, b, _] = first_byte_range(pdf);
    let hex = &pdf[a + 1..b - 1];
    let der: Vec<u8> = hex
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect();
    let mut reader = SliceReader::new(&der).unwrap();
    let ci = ContentInfo::decode(&mut reader).unwrap();
    ci.content.decode_as().unwrap()
}

/// The /ByteRange of the first signature in the file (the seal, before any time-stamp).
fn first_byte_range(pdf: &[u8]) -> [usize; 4] {
    let at = pdf
        .windows(11)
        .position(|w| w == b"/ByteRange ")
        .expect("a /ByteRange");
    let rest = std::str::from_utf8(&pdf[at + 11..at + 80]).unwrap_or_default();
    let inner = rest.trim_start_matches('[');
    let nums: Vec<usize> = inner
        .split(']')
        .next()
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    [nums[0], nums[1], nums[2], nums[3]]
}

fn timestamp_tokens(sd: &SignedData) -> usize {
    sd.signer_infos
        .0
        .iter()
        .flat_map(|si| si.unsigned_attrs.iter().flat_map(|a| a.iter()))
        .filter(|a| a.oid == rfc3161::ID_AA_TIME_STAMP_TOKEN)
        .count()
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn b_t_carries_a_trusted_signature_timestamp() {
    let s = seal_at(
        "pades_b_t",
        KeyAlgorithm::EcdsaP256,
        PadesLevel::BT,
        &read_fixture("rl_simple.pdf"),
    );
    assert_eq!(timestamp_tokens(&signature_cms(&s.bytes)), 1);
    assert_eq!(count(&s.bytes, b"/DSS"), 0, "B-T has no DSS");
    assert_qpdf_clean(&s.path);
    let out = Command::new(pyhanko())
        .args(["sign", "validate", "--pretty-print", "--trust"])
        .arg(&s.root)
        .arg("--trust-replace")
        .arg(&s.path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("judged VALID"), "{text}");
    assert!(
        text.contains("The TSA certificate is trusted"),
        "the signature time-stamp must validate:\n{text}"
    );
}

#[test]
fn b_lt_validates_from_embedded_revocation_data() {
    let s = seal_at(
        "pades_b_lt",
        KeyAlgorithm::EcdsaP256,
        PadesLevel::BLT,
        &read_fixture("rl_simple.pdf"),
    );
    assert_eq!(count(&s.bytes, b"/DSS"), 1);
    assert_eq!(
        count(&s.bytes, b"/DocTimeStamp"),
        0,
        "B-LT has no document time-stamp"
    );
    assert_qpdf_clean(&s.path);
    let (ok, text) = pyhanko_ltv(&s.path, &s.root, "B-LT");
    assert!(ok, "pyHanko LTV validation failed:\n{text}");
}

#[test]
fn b_lta_validates_and_a_flipped_byte_fails() {
    for algorithm in [KeyAlgorithm::EcdsaP256, KeyAlgorithm::Rsa3072] {
        let input = read_fixture("rl_acroform.pdf");
        let s = seal_at(
            &format!("pades_b_lta_{algorithm:?}"),
            algorithm,
            PadesLevel::BLTA,
            &input,
        );
        assert_eq!(count(&s.bytes, b"/Type /DocTimeStamp"), 1);
        assert_qpdf_clean(&s.path);
        let (ok, text) = pyhanko_ltv(&s.path, &s.root, "B-LTA");
        assert!(ok, "pyHanko LTV validation failed ({algorithm:?}):\n{text}");
        let bad = s.dir.join("flipped.pdf");
        let nl = input.iter().position(|b| *b == b'\n').unwrap();
        std::fs::write(&bad, flipped(&s.bytes, nl + 3)).unwrap();
        let (ok, text) = pyhanko_ltv(&bad, &s.root, "B-LTA");
        assert!(!ok, "pyHanko accepted a tampered B-LTA file:\n{text}");
    }
}

#[test]
fn without_the_dss_the_offline_check_fails() {
    // B-T sealed with the CRL-URL PKI: nothing embedded says the certificates are not revoked.
    let s = seal_with(
        "pades_no_dss",
        ltv_pki(KeyAlgorithm::EcdsaP256),
        PadesLevel::BT,
        &read_fixture("rl_simple.pdf"),
    );
    let (ok, text) = pyhanko_ltv(&s.path, &s.root, "B-LT");
    assert!(
        !ok,
        "a file without revocation data must fail the offline check:\n{text}"
    );
}

#[test]
fn levels_above_b_b_need_a_tsa() {
    let p = ltv_pki(KeyAlgorithm::EcdsaP256);
    for level in [PadesLevel::BT, PadesLevel::BLT, PadesLevel::BLTA] {
        let pades = PadesOptions {
            level,
            ..PadesOptions::default()
        };
        let err = signet_pdf::seal_pades(
            std::io::Cursor::new(read_fixture("rl_simple.pdf")),
            std::io::sink(),
            &[],
            &seal_identity(p),
            &options(true),
            &pades,
            &signet_pdf::Limits::default(),
        )
        .unwrap_err();
        assert!(matches!(err, PdfError::InvalidInput(_)), "{err:?}");
    }
}

#[test]
fn approval_signatures_stack_and_each_revision_validates() {
    let p = pki(KeyAlgorithm::EcdsaP256);
    let tsa = tsa(p);
    let identity = seal_identity(p);
    let kinds = [
        SignatureKind::Certification { p: 2 },
        SignatureKind::Approval,
        SignatureKind::Approval,
    ];
    let doc = seal_in_turn(
        read_fixture("rl_simple.pdf"),
        &identity,
        &kinds,
        PadesLevel::BT,
        Some(&tsa),
    );
    let dir = scratch("pades_stacked");
    let path = dir.join("stacked.pdf");
    std::fs::write(&path, &doc).unwrap();
    let root = dir.join("root.pem");
    std::fs::write(&root, der_to_pem("CERTIFICATE", &p.root_cert_der)).unwrap();
    assert_qpdf_clean(&path);
    let (ok, text) = pyhanko_validate(&path, &[root.as_path()]);
    assert!(ok, "{text}");
    assert_eq!(text.matches(":VALID").count(), 3, "{text}");
}

#[test]
fn builtin_tsa_refuses_a_certificate_without_the_timestamping_usage() {
    let p = ltv_pki(KeyAlgorithm::EcdsaP256);
    let err = BuiltinTsa::new(
        &p.seal_key_pkcs8_der,
        &[p.seal_cert_der.clone(), p.root_cert_der.clone()],
        Box::new(OffsetDateTime::now_utc),
    )
    .unwrap_err();
    assert!(matches!(err, PdfError::Crypto(_)), "{err:?}");
}

#[test]
fn remote_tsa_responses_are_checked_against_the_imprint() {
    let imprint = [7u8; 32];
    let request = signet_pdf::timestamp_request(&imprint, 42).unwrap();
    assert!(!request.is_empty());
    // A granted response wrapping a token from the built-in TSA for another imprint.
    let p = ltv_pki(KeyAlgorithm::EcdsaP256);
    use signet_pdf::TimestampAuthority;
    let token = tsa(p).timestamp(&[8u8; 32]).unwrap();
    let mut body = vec![0x30, 0x03, 0x02, 0x01, 0x00]; // PKIStatusInfo { status granted }
    body.extend_from_slice(&token);
    let response = der_sequence(&body);
    let err = signet_pdf::timestamp_token_from_response(&response, &imprint).unwrap_err();
    assert!(
        err.to_string().contains("different message imprint"),
        "{err}"
    );
    let ok = signet_pdf::timestamp_token_from_response(&response, &[8u8; 32]).unwrap();
    assert_eq!(ok, token);
    // A rejection (status 2) is an error, not a token.
    let rejected = der_sequence(&[0x30, 0x03, 0x02, 0x01, 0x02]);
    assert!(signet_pdf::timestamp_token_from_response(&rejected, &imprint).is_err());
}

fn der_sequence(body: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(body);
    out
}
