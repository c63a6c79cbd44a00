//! One approval signature per signer, then a locking seal: the first revision creates every
//! field as an empty read-only form field, each later revision only fills its signer's fields,
//! so every revision validates in pyHanko and in Signet's verifier; the final seal's /Lock
//! (P=1) forbids anything after it but validation data.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;
use std::process::Command;

use common::raster::*;
use common::*;
use signet_pdf::{
    BuiltinTsa, FormField, KeyAlgorithm, Limits, Modification, PadesLevel, PadesOptions, PdfError,
    Rect, SealOptions, SignatureKind, SignatureRole, Stamp, StampContent, ValidationData, Verdict,
    VerifyOptions, VerifyReport, issue_crl,
};

const ALICE_SIGNATURE: Rect = Rect {
    x: 72.0,
    y: 300.0,
    width: 160.0,
    height: 40.0,
};
const BOB_SIGNATURE: Rect = Rect {
    x: 300.0,
    y: 300.0,
    width: 160.0,
    height: 40.0,
};
const BOB_CHECKBOX: Rect = Rect {
    x: 300.0,
    y: 250.0,
    width: 16.0,
    height: 16.0,
};

fn field(name: &str, rect: Rect, value: Option<StampContent>) -> FormField {
    FormField {
        name: name.into(),
        page: 1,
        rect,
        value,
    }
}

fn signer(name: &str) -> SealOptions {
    SealOptions {
        signer_name: name.into(),
        reason: Some(format!("Signed by {name}")),
        ..options(false)
    }
}

/// Adds one revision: `stamps` as page content, `fields` as form fields, signed as `kind`.
fn revision(
    input: &[u8],
    stamps: &[Stamp],
    fields: &[FormField],
    (options, kind, level): (&SealOptions, SignatureKind, PadesLevel),
) -> Result<Vec<u8>, PdfError> {
    let p = pki(KeyAlgorithm::EcdsaP256);
    let tsa = BuiltinTsa::new(
        &p.tsa_key_pkcs8_der,
        &[p.tsa_cert_der.clone(), p.root_cert_der.clone()],
        Box::new(time::OffsetDateTime::now_utc),
    )
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let crl = issue_crl(
        p.root_ca(),
        &[],
        1,
        now - time::Duration::minutes(5),
        now + time::Duration::days(7),
    )
    .unwrap();
    let pades = PadesOptions {
        level,
        tsa: Some(&tsa),
        validation: ValidationData {
            crls: vec![crl],
            ..ValidationData::default()
        },
        kind: Some(kind),
        fields,
    };
    let mut out = Vec::new();
    signet_pdf::seal_pades(
        std::io::Cursor::new(input),
        &mut out,
        stamps,
        &identity(KeyAlgorithm::EcdsaP256),
        options,
        &pades,
        &Limits::default(),
    )?;
    Ok(out)
}

fn verify(pdf: &[u8]) -> VerifyReport {
    let options = VerifyOptions {
        trust_roots: vec![pki(KeyAlgorithm::EcdsaP256).root_cert_der.clone()],
        now: time::OffsetDateTime::now_utc(),
    };
    signet_pdf::verify(std::io::Cursor::new(pdf), &options, &Limits::default()).unwrap()
}

/// Alice signs first (her signature shown, Bob's fields empty), then Bob (his drawn signature
/// and a ticked box), then the locking seal at B-LTA. Returns the three files, written to `dir`.
fn three_revisions(dir: &Path) -> [Vec<u8>; 3] {
    let cover = Stamp {
        page: 1,
        rect: Rect {
            x: 72.0,
            y: 700.0,
            width: 100.0,
            height: 14.0,
        },
        content: StampContent::Cover,
    };
    let alice = revision(
        &read_fixture("rl_simple.pdf"),
        &[cover],
        &[
            field(
                "alice-signature",
                ALICE_SIGNATURE,
                Some(StampContent::Script {
                    text: "Alice Example".into(),
                    font: signet_pdf::ScriptFont::Caveat,
                }),
            ),
            field("bob-signature", BOB_SIGNATURE, None),
            field("bob-checkbox", BOB_CHECKBOX, None),
        ],
        (&signer("Alice"), SignatureKind::Approval, PadesLevel::BB),
    )
    .unwrap();
    let bob = revision(
        &alice,
        &[],
        &[
            field(
                "bob-signature",
                BOB_SIGNATURE,
                Some(StampContent::Image(sample_png())),
            ),
            field(
                "bob-checkbox",
                BOB_CHECKBOX,
                Some(StampContent::Checkbox(true)),
            ),
        ],
        (&signer("Bob"), SignatureKind::Approval, PadesLevel::BB),
    )
    .unwrap();
    let sealed = revision(
        &bob,
        &[],
        &[],
        (
            &options(false),
            SignatureKind::Lock { p: 1 },
            PadesLevel::BLTA,
        ),
    )
    .unwrap();
    for (name, bytes) in [
        ("alice.pdf", &alice),
        ("bob.pdf", &bob),
        ("sealed.pdf", &sealed),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    [alice, bob, sealed]
}

#[test]
fn every_signers_revision_validates_and_the_lock_is_reported() {
    let dir = scratch("signers_revisions");
    let root = root_pem(&dir, KeyAlgorithm::EcdsaP256);
    let [alice, bob, sealed] = three_revisions(&dir);
    for name in ["alice.pdf", "bob.pdf", "sealed.pdf"] {
        let path = dir.join(name);
        let (ok, text) = pyhanko_validate(&path, &[root.as_path()]);
        assert!(ok, "pyHanko must accept {name}: {text}");
        assert_qpdf_clean(&path);
    }
    for (bytes, count) in [(&alice, 1), (&bob, 2)] {
        let report = verify(bytes);
        assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
        assert_eq!(report.signatures.len(), count);
    }
    let report = verify(&sealed);
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    let roles: Vec<SignatureRole> = report.signatures.iter().map(|s| s.role).collect();
    assert_eq!(
        roles,
        [
            SignatureRole::Approval,
            SignatureRole::Approval,
            SignatureRole::Lock { permission: 1 },
            SignatureRole::DocumentTimestamp
        ]
    );
    let changes: Vec<Modification> = report.signatures.iter().map(|s| s.modification).collect();
    assert_eq!(
        changes,
        [
            Modification::FormFilling,
            Modification::FormFilling,
            Modification::LongTermValidation,
            Modification::None
        ]
    );
    assert_eq!(report.signatures[2].pades_level, Some("B-LTA"));
}

#[test]
fn a_signers_revision_changes_pixels_only_in_their_fields() {
    let dir = scratch("signers_pixels");
    three_revisions(&dir);
    let before = render(&dir.join("alice.pdf"), 1);
    let after = render(&dir.join("bob.pdf"), 1);
    let height = before.h as f32;
    let boxes = [
        pixel_box(BOB_SIGNATURE, height),
        pixel_box(BOB_CHECKBOX, height),
        pixel_box(ALICE_SIGNATURE, height),
    ];
    let (inside, outside) = diff(&before, &after, &boxes);
    assert!(inside[0] > 20, "Bob's signature must appear: {inside:?}");
    assert!(inside[1] > 5, "Bob's tick must appear: {inside:?}");
    assert_eq!(inside[2], 0, "Alice's signature must not change");
    assert_eq!(outside, 0, "nothing outside Bob's fields may change");
    let original = dir.join("original.pdf");
    std::fs::write(&original, read_fixture("rl_simple.pdf")).unwrap();
    let (alice_inside, _) = diff(&render(&original, 1), &before, &boxes);
    assert!(
        alice_inside[2] > 20,
        "Alice's signature must appear in her revision"
    );
    assert_eq!(alice_inside[0], 0, "Bob's placeholder must be empty");
}

#[test]
fn nothing_can_be_signed_after_the_lock_and_a_later_change_is_invalid() {
    let dir = scratch("signers_lock");
    let root = root_pem(&dir, KeyAlgorithm::EcdsaP256);
    let [.., sealed] = three_revisions(&dir);
    let again = revision(
        &sealed,
        &[],
        &[],
        (&signer("Mallory"), SignatureKind::Approval, PadesLevel::BB),
    );
    assert!(matches!(again, Err(PdfError::Forbidden(_))), "{again:?}");
    // An annotation added after the lock (made with pyHanko's writer).
    let python = Path::new(&pyhanko()).with_file_name("python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attacks.py");
    let attacks = dir.join("attacks");
    std::fs::create_dir_all(&attacks).unwrap();
    let out = Command::new(python)
        .arg(script)
        .arg(dir.join("sealed.pdf"))
        .arg(&attacks)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let annotated = attacks.join("covering_annotation.pdf");
    let report = verify(&std::fs::read(&annotated).unwrap());
    assert_eq!(report.verdict, Verdict::Invalid);
    let lock = &report.signatures[2];
    assert_eq!(lock.role, SignatureRole::Lock { permission: 1 });
    assert!(!lock.docmdp_ok, "{lock:#?}");
    let (ok, text) = pyhanko_validate(&annotated, &[root.as_path()]);
    assert!(!ok, "pyHanko must refuse the change after the lock: {text}");
}
