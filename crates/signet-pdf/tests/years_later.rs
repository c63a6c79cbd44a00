//! B-LTA years later: with the clock moved four years ahead (Debian `faketime` around pyHanko),
//! after the seal certificate (3 years) has expired but while the TSA certificate (10 years) is
//! valid, pyHanko's ETSI validation still accepts a B-LTA seal (the time-stamps prove the seal
//! existed while its certificate was valid); a B-B seal made the same way (no time-stamp) is
//! refused. The certificates name a CRL endpoint that answers "then" with a CRL issued "then",
//! as the instance's `GET /api/v1/trust/root.crl` does; without any reachable revocation source
//! the TSA certificate of the newest time-stamp cannot be checked then, and validation fails
//! (pyHanko wants fresh revocation data for it).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use time::{Duration, OffsetDateTime};

use common::*;
use signet_pdf::{
    BuiltinTsa, InstancePki, KeyAlgorithm, PadesLevel, PadesOptions, PkiOptions, PkiSubject,
    SealIdentity, ValidationData, der_to_pem, generate_instance_pki_with, issue_crl,
};

const AHEAD_DAYS: i64 = 4 * 365;

/// Answers every request on `listener` with `crl`, one connection at a time.
fn serve_crl(listener: TcpListener, crl: Vec<u8>) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/pkix-crl\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                crl.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&crl);
        }
    });
}

fn seal_today(p: &InstancePki, level: PadesLevel, now: OffsetDateTime) -> Vec<u8> {
    let identity = SealIdentity::from_der(
        &p.seal_key_pkcs8_der,
        &[p.seal_cert_der.clone(), p.root_cert_der.clone()],
    )
    .unwrap();
    let tsa = BuiltinTsa::new(
        &p.tsa_key_pkcs8_der,
        &[p.tsa_cert_der.clone(), p.root_cert_der.clone()],
        Box::new(OffsetDateTime::now_utc),
    )
    .unwrap();
    let crl = issue_crl(
        p.root_ca(),
        &[],
        1,
        now - Duration::minutes(5),
        now + Duration::days(7),
    );
    let pades = PadesOptions {
        level,
        tsa: Some(&tsa),
        validation: ValidationData {
            crls: vec![crl.unwrap()],
            ..ValidationData::default()
        },
        kind: None,
        fields: &[],
    };
    let mut out = Vec::new();
    signet_pdf::seal_pades(
        std::io::Cursor::new(read_fixture("rl_simple.pdf")),
        &mut out,
        &[],
        &identity,
        &options(true),
        &pades,
        &signet_pdf::Limits::default(),
    )
    .unwrap();
    out
}

/// `faketime -f +<days>d pyhanko sign adesverify --pretty-print …` (ETSI EN 319 102-1).
fn adesverify_later(pdf: &Path, root: &Path) -> (bool, String) {
    let out = Command::new("faketime")
        .arg("-f")
        .arg(format!("+{AHEAD_DAYS}d"))
        .arg(pyhanko())
        .args(["sign", "adesverify", "--pretty-print", "--trust"])
        .arg(root)
        .arg("--trust-replace")
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run faketime ({e}); install the Debian package faketime (./scripts/test does)")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn b_lta_still_validates_after_the_seal_certificate_expired() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let crl_url = format!("http://{}/root.crl", listener.local_addr().unwrap());
    let now = OffsetDateTime::now_utc();
    let subject = PkiSubject {
        organization: "Signet Tests, Inc.".into(),
        common_name: "Signet Years Later".into(),
    };
    let options = PkiOptions {
        crl_url: Some(crl_url),
    };
    let p = generate_instance_pki_with(&subject, KeyAlgorithm::EcdsaP256, now, &options).unwrap();
    let later = now + Duration::days(AHEAD_DAYS);
    let crl_later = issue_crl(
        p.root_ca(),
        &[],
        2,
        later - Duration::hours(1),
        later + Duration::days(7),
    );
    serve_crl(listener, crl_later.unwrap());

    let dir = scratch("years_later");
    let root_pem = dir.join("root.pem");
    std::fs::write(&root_pem, der_to_pem("CERTIFICATE", &p.root_cert_der)).unwrap();
    let (lta, bb) = (dir.join("b-lta.pdf"), dir.join("b-b.pdf"));
    std::fs::write(&lta, seal_today(&p, PadesLevel::BLTA, now)).unwrap();
    std::fs::write(&bb, seal_today(&p, PadesLevel::BB, now)).unwrap();

    let (ok, text) = adesverify_later(&lta, &root_pem);
    assert!(
        ok && text.contains("judged VALID"),
        "B-LTA four years later:\n{text}"
    );
    assert!(
        text.contains("expired"),
        "the seal certificate must have expired by then, or the test proves nothing:\n{text}"
    );
    let (ok, text) = adesverify_later(&bb, &root_pem);
    assert!(!ok, "B-B four years later must not validate:\n{text}");
}
