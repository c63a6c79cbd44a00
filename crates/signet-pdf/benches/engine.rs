//! Criterion benchmarks: `inspect` and `seal` on a 10-page text PDF and a ~5 MB image PDF.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod generator;

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use signet_pdf::{
    KeyAlgorithm, Limits, PkiSubject, SealIdentity, SealOptions, generate_instance_pki, inspect,
    seal,
};

fn identity() -> SealIdentity {
    let subject = PkiSubject {
        organization: "Bench".into(),
        common_name: "Bench".into(),
    };
    let pki = generate_instance_pki(
        &subject,
        KeyAlgorithm::EcdsaP256,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    SealIdentity::from_der(
        &pki.seal_key_pkcs8_der,
        &[pki.seal_cert_der, pki.root_cert_der],
    )
    .unwrap()
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
    let id = identity();
    let opts = options();
    let limits = Limits::default();
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
    }
}

criterion_group!(engine, benches);
criterion_main!(engine);
