//! `signet_pdf::verify` on arbitrary bytes: signature discovery, /ByteRange and /Contents
//! checks, CMS and certificate parsing, the DSS and the revision-by-revision change analysis.
//!
//! At start-up the target makes a PKI, and when `SIGNET_FUZZ_SEED_DIR` is set it writes a
//! PAdES B-LTA document sealed with it there (`scripts/fuzz` points it at the corpus), so the
//! fuzzer starts from a signature that verifies against the trusted root.
#![no_main]

mod common;

use std::io::Cursor;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signet_pdf::{
    BuiltinTsa, InstancePki, PadesLevel, PadesOptions, SealIdentity, SealOptions, ValidationData,
    VerifyOptions, issue_crl,
};
use time::{Duration, OffsetDateTime};

static OPTIONS: OnceLock<VerifyOptions> = OnceLock::new();

fuzz_target!(
    init: {
        let now = OffsetDateTime::now_utc();
        let pki = common::pki(now);
        if let Some(dir) = std::env::var_os("SIGNET_FUZZ_SEED_DIR") {
            let path = std::path::Path::new(&dir).join("signet_sealed_b_lta.pdf");
            std::fs::write(&path, sealed_b_lta(&pki, now)).expect("write the sealed seed");
        }
        let options = VerifyOptions {
            trust_roots: vec![pki.root_cert_der.clone()],
            now,
        };
        OPTIONS.set(options).expect("init runs once");
    },
    |data: &[u8]| {
        let options = OPTIONS.get().expect("init ran");
        let report = signet_pdf::verify(Cursor::new(data), options, &common::limits());
        if let Some(report) = common::checked("verify", report) {
            // Rendering the report walks every field the API would serialise.
            std::hint::black_box(format!("{report:?}"));
        }
    }
);

/// The fixture sealed at B-LTA: signature time-stamp, DSS with a CRL, document time-stamp.
fn sealed_b_lta(pki: &InstancePki, now: OffsetDateTime) -> Vec<u8> {
    let root = pki.root_cert_der.clone();
    let identity = SealIdentity::from_der(
        &pki.seal_key_pkcs8_der,
        &[pki.seal_cert_der.clone(), root.clone()],
    )
    .expect("seal identity");
    let tsa = BuiltinTsa::new(
        &pki.tsa_key_pkcs8_der,
        &[pki.tsa_cert_der.clone(), root],
        Box::new(move || now),
    )
    .expect("built-in TSA");
    let crl = issue_crl(
        pki.root_ca(),
        &[],
        1,
        now - Duration::minutes(5),
        now + Duration::days(7),
    )
    .expect("CRL");
    let pades = PadesOptions {
        level: PadesLevel::BLTA,
        tsa: Some(&tsa),
        validation: ValidationData {
            crls: vec![crl],
            ..ValidationData::default()
        },
        kind: None,
        fields: &[],
    };
    let options = SealOptions {
        signing_time: now,
        signer_name: "Signet Fuzzing".into(),
        reason: Some("Seed".into()),
        location: None,
        contact_info: None,
        certify: true,
    };
    let mut out = Vec::new();
    signet_pdf::seal_pades(
        Cursor::new(common::SIMPLE_PDF),
        &mut out,
        &[],
        &identity,
        &options,
        &pades,
        &common::limits(),
    )
    .expect("seal the seed");
    out
}
