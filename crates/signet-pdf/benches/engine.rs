//! Criterion benchmarks: `inspect` (also on 200 pages), `seal` (PAdES B-B, and B-LTA with the built-in TSA and a
//! CRL), `seal_two_signers` (an envelope's document: two signers' approval signatures at B-T,
//! each filling form fields, then the locking seal at B-LTA) and `verify` (of the B-LTA output)
//! on a 10-page text PDF and a ~5 MB image PDF.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod generator;

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use signet_pdf::{
    BuiltinTsa, FormField, InstancePki, KeyAlgorithm, Limits, PadesLevel, PadesOptions, PkiSubject,
    Rect, SealIdentity, SealOptions, SignatureKind, StampContent, ValidationData, Verdict,
    VerifyOptions, generate_instance_pki, inspect, issue_crl, seal, seal_pades, verify,
};

fn pki() -> InstancePki {
    let subject = PkiSubject {
        organization: "Bench".into(),
        common_name: "Bench".into(),
    };
    generate_instance_pki(
        &subject,
        KeyAlgorithm::EcdsaP256,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap()
}

fn identity(pki: &InstancePki) -> SealIdentity {
    SealIdentity::from_der(
        &pki.seal_key_pkcs8_der,
        &[pki.seal_cert_der.clone(), pki.root_cert_der.clone()],
    )
    .unwrap()
}

fn tsa(pki: &InstancePki) -> BuiltinTsa {
    BuiltinTsa::new(
        &pki.tsa_key_pkcs8_der,
        &[pki.tsa_cert_der.clone(), pki.root_cert_der.clone()],
        Box::new(time::OffsetDateTime::now_utc),
    )
    .unwrap()
}

fn crl(pki: &InstancePki) -> Vec<u8> {
    let now = time::OffsetDateTime::now_utc();
    issue_crl(pki.root_ca(), &[], 1, now, now + time::Duration::days(7)).unwrap()
}

fn options() -> SealOptions {
    SealOptions {
        signing_time: time::OffsetDateTime::now_utc(),
        signer_name: "Bench".into(),
        reason: None,
        location: None,
        contact_info: None,
        certify: true,
    }
}

fn benches(c: &mut Criterion) {
    let ten = generator::synthetic_pdf(10, 50, 0);
    let big = generator::synthetic_pdf(5, 20, 1024 * 1024);
    let pki = pki();
    let id = identity(&pki);
    let tsa = tsa(&pki);
    let lta = PadesOptions {
        level: PadesLevel::BLTA,
        tsa: Some(&tsa),
        validation: ValidationData {
            crls: vec![crl(&pki)],
            ..ValidationData::default()
        },
        kind: None,
        fields: &[],
    };
    let opts = options();
    let limits = Limits::default();
    // Tag detection over a long text document (the issue's 200-page target).
    let long = generator::synthetic_pdf(200, 50, 0);
    c.bench_function("inspect_200_pages", |b| {
        b.iter(|| inspect(Cursor::new(black_box(long.as_slice())), &limits).unwrap())
    });
    for (name, pdf) in [("10_pages", &ten), ("5_mb", &big)] {
        c.bench_function(&format!("inspect_{name}"), |b| {
            b.iter(|| inspect(Cursor::new(black_box(pdf.as_slice())), &limits).unwrap())
        });
        c.bench_function(&format!("seal_{name}"), |b| {
            b.iter(|| {
                seal(
                    Cursor::new(black_box(pdf.as_slice())),
                    std::io::sink(),
                    &[],
                    &id,
                    &opts,
                    &limits,
                )
                .unwrap()
            })
        });
        c.bench_function(&format!("seal_blta_{name}"), |b| {
            b.iter(|| {
                seal_pades(
                    Cursor::new(black_box(pdf.as_slice())),
                    std::io::sink(),
                    &[],
                    &id,
                    &opts,
                    &lta,
                    &limits,
                )
                .unwrap()
            })
        });
        c.bench_function(&format!("seal_two_signers_{name}"), |b| {
            b.iter(|| two_signers(black_box(pdf.as_slice()), &id, &tsa, &lta, &limits))
        });
        let mut sealed = Vec::new();
        seal_pades(
            Cursor::new(pdf.as_slice()),
            &mut sealed,
            &[],
            &id,
            &opts,
            &lta,
            &limits,
        )
        .unwrap();
        let verify_options = VerifyOptions {
            trust_roots: vec![pki.root_cert_der.clone()],
            now: time::OffsetDateTime::now_utc(),
        };
        c.bench_function(&format!("verify_blta_{name}"), |b| {
            b.iter(|| {
                let report = verify(
                    Cursor::new(black_box(sealed.as_slice())),
                    &verify_options,
                    &limits,
                )
                .unwrap();
                assert_eq!(report.verdict, Verdict::Valid);
            })
        });
    }
}

fn field(name: &str, x: f32, value: Option<StampContent>) -> FormField {
    FormField {
        name: name.into(),
        page: 1,
        rect: Rect {
            x,
            y: 100.0,
            width: 150.0,
            height: 40.0,
        },
        value,
    }
}

/// What an envelope with two signers does to one document: each signer's revision (B-T, the
/// first also creating both fields), then the final locking seal at B-LTA.
fn two_signers(
    pdf: &[u8],
    id: &SealIdentity,
    tsa: &BuiltinTsa,
    lta: &PadesOptions<'_>,
    limits: &Limits,
) -> Vec<u8> {
    let script = |text: &str| {
        Some(StampContent::Script {
            text: text.into(),
            font: signet_pdf::ScriptFont::DancingScript,
        })
    };
    let first = [field("a", 72.0, script("Ada")), field("b", 300.0, None)];
    let second = [field("b", 300.0, script("Charles"))];
    let mut current = pdf.to_vec();
    for (fields, kind, level) in [
        (&first[..], SignatureKind::Approval, PadesLevel::BT),
        (&second[..], SignatureKind::Approval, PadesLevel::BT),
        (&[][..], SignatureKind::Lock { p: 1 }, PadesLevel::BLTA),
    ] {
        let pades = PadesOptions {
            level,
            tsa: Some(tsa),
            validation: lta.validation.clone(),
            kind: Some(kind),
            fields,
        };
        let mut next = Vec::with_capacity(current.len() + 64 * 1024);
        let opts = SealOptions {
            certify: false,
            ..options()
        };
        seal_pades(
            Cursor::new(&current),
            &mut next,
            &[],
            id,
            &opts,
            &pades,
            limits,
        )
        .unwrap();
        current = next;
    }
    current
}

criterion_group!(engine, benches);
criterion_main!(engine);
