//! `signet_pdf::seal` (PAdES B-B, no stamps) on arbitrary bytes: the reader plus the
//! incremental-update writer. When sealing succeeds the input must be a byte-exact prefix of
//! the output, and an input `inspect` accepts must still be accepted, with the same pages,
//! after sealing.
#![no_main]

mod common;

use std::io::Cursor;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signet_pdf::{SealIdentity, SealOptions};
use time::OffsetDateTime;

static SEAL: OnceLock<(SealIdentity, SealOptions)> = OnceLock::new();

fuzz_target!(
    init: {
        let now = OffsetDateTime::now_utc();
        let pki = common::pki(now);
        let identity = SealIdentity::from_der(&pki.seal_key_pkcs8_der, &[pki.seal_cert_der, pki.root_cert_der])
            .expect("seal identity");
        let options = SealOptions {
            signing_time: now,
            signer_name: "Signet Fuzzing".into(),
            reason: None,
            location: None,
            contact_info: None,
            certify: false,
        };
        if SEAL.set((identity, options)).is_err() {
            panic!("init runs once");
        }
    },
    |data: &[u8]| {
        let (identity, options) = SEAL.get().expect("init ran");
        let limits = common::limits();
        let mut out = Vec::new();
        let sealed = signet_pdf::seal(Cursor::new(data), &mut out, &[], identity, options, &limits);
        if common::checked("seal", sealed).is_none() {
            return;
        }
        assert!(out.starts_with(data), "the input is not a prefix of the sealed output");
        let before = common::checked("inspect", signet_pdf::inspect(Cursor::new(data), &limits));
        if let Some(before) = before {
            let after = common::checked("inspect", signet_pdf::inspect(Cursor::new(&out), &limits))
                .expect("the sealed output of an accepted input reads");
            assert_eq!(before.pages, after.pages, "sealing changed the pages");
        }
    }
);
