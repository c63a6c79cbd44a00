//! The verifier against Signet-signed originals and a corpus of attacked copies (made by
//! tests/attacks.py with pyHanko's writer), compared with `pyhanko sign validate`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use time::{Duration, OffsetDateTime};

use common::*;
use signet_pdf::{
    BuiltinTsa, Coverage, InstancePki, KeyAlgorithm, Modification, PadesLevel, PadesOptions,
    RevokedCertificate, SealIdentity, SignatureRole, ValidationData, Verdict, VerifyOptions,
    VerifyReport, der_to_pem, issue_crl,
};

fn identity(p: &InstancePki) -> SealIdentity {
    SealIdentity::from_der(
        &p.seal_key_pkcs8_der,
        &[p.seal_cert_der.clone(), p.root_cert_der.clone()],
    )
    .unwrap()
}

/// Seals `input` at `level` with the test PKI's seal and built-in TSA.
fn seal(input: &[u8], algorithm: KeyAlgorithm, level: PadesLevel, certify: bool) -> Vec<u8> {
    seal_revoking(input, algorithm, level, certify, &[])
}

/// Like [`seal`], embedding (at B-LT and above) a root CRL that lists `revoked`.
fn seal_revoking(
    input: &[u8],
    algorithm: KeyAlgorithm,
    level: PadesLevel,
    certify: bool,
    revoked: &[RevokedCertificate],
) -> Vec<u8> {
    let p = pki(algorithm);
    let tsa = BuiltinTsa::new(
        &p.tsa_key_pkcs8_der,
        &[p.tsa_cert_der.clone(), p.root_cert_der.clone()],
        Box::new(OffsetDateTime::now_utc),
    )
    .unwrap();
    let now = OffsetDateTime::now_utc();
    let crl = issue_crl(
        p.root_ca(),
        revoked,
        1,
        now - Duration::minutes(5),
        now + Duration::days(7),
    )
    .unwrap();
    let pades = PadesOptions {
        level,
        tsa: Some(&tsa),
        validation: ValidationData {
            crls: vec![crl],
            ..ValidationData::default()
        },
        kind: None,
        fields: &[],
    };
    let mut out = Vec::new();
    signet_pdf::seal_pades(
        std::io::Cursor::new(input),
        &mut out,
        &[],
        &identity(p),
        &options(certify),
        &pades,
        &signet_pdf::Limits::default(),
    )
    .unwrap();
    out
}

fn verify_with(pdf: &[u8], roots: Vec<Vec<u8>>) -> VerifyReport {
    let options = VerifyOptions {
        trust_roots: roots,
        now: OffsetDateTime::now_utc(),
    };
    signet_pdf::verify(
        std::io::Cursor::new(pdf),
        &options,
        &signet_pdf::Limits::default(),
    )
    .unwrap()
}

fn verify(pdf: &[u8], algorithm: KeyAlgorithm) -> VerifyReport {
    verify_with(pdf, vec![pki(algorithm).root_cert_der.clone()])
}

fn root_file(dir: &Path, algorithm: KeyAlgorithm) -> PathBuf {
    let path = dir.join("root.pem");
    std::fs::write(
        &path,
        der_to_pem("CERTIFICATE", &pki(algorithm).root_cert_der),
    )
    .unwrap();
    path
}

#[test]
fn every_level_verifies_valid_with_its_level_and_time_stamps() {
    let input = read_fixture("rl_simple.pdf");
    for (level, name) in [
        (PadesLevel::BB, "B-B"),
        (PadesLevel::BT, "B-T"),
        (PadesLevel::BLT, "B-LT"),
        (PadesLevel::BLTA, "B-LTA"),
    ] {
        for algorithm in [KeyAlgorithm::EcdsaP256, KeyAlgorithm::Rsa3072] {
            let sealed = seal(&input, algorithm, level, true);
            let report = verify(&sealed, algorithm);
            assert_eq!(
                report.verdict,
                Verdict::Valid,
                "{name} {algorithm:?}: {report:#?}"
            );
            let first = &report.signatures[0];
            assert_eq!(first.role, SignatureRole::Certification { permission: 1 });
            assert!(first.intact && first.valid && first.trusted, "{first:#?}");
            assert_eq!(first.pades_level, Some(name), "{report:#?}");
            assert_eq!(first.timestamp.is_some(), level >= PadesLevel::BT);
            let expect_coverage = if level >= PadesLevel::BLT {
                Coverage::EntireRevision
            } else {
                Coverage::EntireFile
            };
            assert_eq!(first.coverage, expect_coverage);
            assert!(
                first.modification <= Modification::LongTermValidation,
                "{first:#?}"
            );
            let stamps = report
                .signatures
                .iter()
                .filter(|s| s.role == SignatureRole::DocumentTimestamp)
                .count();
            assert_eq!(stamps, usize::from(level == PadesLevel::BLTA));
            assert!(report.problems.is_empty(), "{report:#?}");
        }
    }
}

#[test]
fn unknown_roots_are_indeterminate_and_unsigned_files_invalid() {
    let input = read_fixture("rl_simple.pdf");
    let sealed = seal(&input, KeyAlgorithm::EcdsaP256, PadesLevel::BT, false);
    let other_root = pki(KeyAlgorithm::Rsa3072).root_cert_der.clone();
    let report = verify_with(&sealed, vec![other_root]);
    assert_eq!(report.verdict, Verdict::Indeterminate, "{report:#?}");
    assert!(report.signatures[0].intact && report.signatures[0].valid);
    assert!(!report.signatures[0].trusted);
    let report = verify_with(&input, Vec::new());
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(report.signatures.is_empty());
}

/// Runs tests/attacks.py on `signed`; returns (attack name, file path) pairs.
fn attack_corpus(signed: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    let python = Path::new(&pyhanko()).with_file_name("python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attacks.py");
    let out = Command::new(python)
        .arg(script)
        .arg(signed)
        .arg(dir)
        .output()
        .expect("run attacks.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|name| (name.to_string(), dir.join(format!("{name}.pdf"))))
        .collect()
}

#[test]
fn attacked_files_are_invalid_wherever_pyhanko_says_so_and_stricter() {
    for (certify, algorithm) in [
        (false, KeyAlgorithm::EcdsaP256),
        (true, KeyAlgorithm::Rsa3072),
    ] {
        let dir = scratch(&format!("verify_attacks_{certify}"));
        let root = root_file(&dir, algorithm);
        let signed = seal(
            &read_fixture("rl_simple.pdf"),
            algorithm,
            PadesLevel::BT,
            certify,
        );
        let original = dir.join("original.pdf");
        std::fs::write(&original, &signed).unwrap();
        let (ok, text) = pyhanko_validate(&original, &[root.as_path()]);
        assert!(ok, "pyHanko must accept the original: {text}");
        assert_eq!(verify(&signed, algorithm).verdict, Verdict::Valid);
        let corpus = attack_corpus(&original, &dir);
        assert!(corpus.len() >= 12, "{corpus:?}");
        let mut table = Vec::new();
        for (name, path) in corpus {
            let bytes = std::fs::read(&path).unwrap();
            let ours = verify(&bytes, algorithm);
            let (pyhanko_ok, text) = pyhanko_validate(&path, &[root.as_path()]);
            // pyHanko exits 0 when it skips a signature it does not recognise.
            let pyhanko = match (pyhanko_ok, text.contains(":VALID")) {
                (true, true) => "valid",
                (true, false) => "no signature checked",
                (false, _) => "invalid",
            };
            let problems: Vec<&String> = ours
                .problems
                .iter()
                .chain(ours.signatures.iter().flat_map(|s| s.problems.iter()))
                .collect();
            table.push(format!(
                "{name}: signet {} / pyHanko {pyhanko}; {problems:?}",
                ours.verdict.as_str()
            ));
            assert_eq!(
                ours.verdict,
                Verdict::Invalid,
                "{name} (certify {certify}): {ours:#?}\npyHanko: {text}"
            );
            // A broken signature is reported as one, never silently skipped.
            assert!(!ours.signatures.is_empty(), "{name}: {ours:#?}");
        }
        println!("certify={certify}\n{}", table.join("\n"));
    }
}

#[test]
fn stacked_signatures_each_stay_valid_and_see_only_signing_after_them() {
    use signet_pdf::SignatureKind;
    let p = pki(KeyAlgorithm::EcdsaP256);
    let kinds = [
        SignatureKind::Certification { p: 2 },
        SignatureKind::Approval,
        SignatureKind::Approval,
    ];
    let doc = seal_in_turn(
        read_fixture("rl_simple.pdf"),
        &identity(p),
        &kinds,
        PadesLevel::BB,
        None,
    );
    let report = verify(&doc, KeyAlgorithm::EcdsaP256);
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    assert_eq!(report.revisions, 4);
    let levels: Vec<Modification> = report.signatures.iter().map(|s| s.modification).collect();
    assert_eq!(
        levels,
        [
            Modification::FormFilling,
            Modification::FormFilling,
            Modification::None
        ]
    );
    assert_eq!(
        report.signatures[0].role,
        SignatureRole::Certification { permission: 2 }
    );
    assert_eq!(report.signatures[2].coverage, Coverage::EntireFile);
}

#[test]
fn a_seal_certificate_revoked_by_an_embedded_crl_is_invalid() {
    use der::Decode;
    let p = pki(KeyAlgorithm::EcdsaP256);
    let cert = x509_cert::Certificate::from_der(&p.seal_cert_der).unwrap();
    let revoked = [RevokedCertificate {
        serial: cert.tbs_certificate().serial_number().as_bytes().to_vec(),
        revoked_at: OffsetDateTime::now_utc() - Duration::minutes(1),
    }];
    let input = read_fixture("rl_simple.pdf");
    let sealed = seal_revoking(
        &input,
        KeyAlgorithm::EcdsaP256,
        PadesLevel::BLT,
        true,
        &revoked,
    );
    let report = verify(&sealed, KeyAlgorithm::EcdsaP256);
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
    let problems = &report.signatures[0].problems;
    assert!(
        problems.iter().any(|p| p.contains("revoked")),
        "{problems:?}"
    );
}

/// The last `key N 0 R` (or `key N`) number in `pdf`.
fn last_number_after(pdf: &[u8], key: &str) -> u64 {
    let text = String::from_utf8_lossy(pdf);
    let at = text.rfind(key).unwrap_or_else(|| panic!("no {key}")) + key.len();
    text[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// An incremental update (classic xref) redefining `objects` with `extra` in its trailer.
fn append_update(pdf: &[u8], objects: &[(u64, String)], extra: &str) -> Vec<u8> {
    let prev = last_number_after(pdf, "startxref");
    let size = last_number_after(pdf, "/Size");
    let root = last_number_after(pdf, "/Root");
    let mut out = pdf.to_vec();
    let mut offsets = Vec::new();
    for (num, body) in objects {
        offsets.push((*num, out.len()));
        out.extend_from_slice(format!("{num} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    let mut table = String::from("xref\n");
    for (num, offset) in &offsets {
        table.push_str(&format!("{num} 1\n{offset:010} 00000 n \n"));
    }
    table.push_str(&format!(
        "trailer\n<< /Size {size} /Root {root} 0 R /Prev {prev} {extra} >>\nstartxref\n{xref}\n%%EOF\n"
    ));
    out.extend_from_slice(table.as_bytes());
    out
}

/// A later trailer that names the catalog as its /Info (metadata, which the verifier does not
/// count as a modification) must not hide a change of the catalog.
#[test]
fn a_catalog_disguised_as_the_info_dictionary_is_still_a_change() {
    let sealed = seal(
        &read_fixture("rl_simple.pdf"),
        KeyAlgorithm::EcdsaP256,
        PadesLevel::BB,
        false,
    );
    let root = last_number_after(&sealed, "/Root");
    let (pages, form) = (
        last_number_after(&sealed, "/Pages"),
        last_number_after(&sealed, "/AcroForm"),
    );
    let catalog = format!(
        "<< /Type /Catalog /Pages {pages} 0 R /AcroForm {form} 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"
    );
    let attacked = append_update(&sealed, &[(root, catalog)], &format!("/Info {root} 0 R"));
    let report = verify(&attacked, KeyAlgorithm::EcdsaP256);
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
    assert_eq!(report.signatures[0].modification, Modification::Other);
}
