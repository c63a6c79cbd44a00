//! Seals a PDF with a throwaway instance PKI and reports the time taken:
//! `cargo run --release --example seal_file -- [--no-certify] in.pdf out.pdf [root.pem]`.
//! Measure peak memory with `/usr/bin/time -v`.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::time::Instant;

use signet_pdf::{
    KeyAlgorithm, Limits, PkiSubject, SealIdentity, SealOptions, der_to_pem, generate_instance_pki,
    seal,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().collect();
    let certify = !args.iter().any(|a| a == "--no-certify");
    args.retain(|a| a != "--no-certify");
    let (input, output) = match (args.get(1), args.get(2)) {
        (Some(i), Some(o)) => (i, o),
        _ => return Err("usage: seal_file [--no-certify] <in.pdf> <out.pdf> [root.pem]".into()),
    };
    let subject = PkiSubject {
        organization: "Signet Example".into(),
        common_name: "Signet Example".into(),
    };
    let now = time::OffsetDateTime::now_utc();
    let pki = generate_instance_pki(&subject, KeyAlgorithm::EcdsaP256, now)?;
    if let Some(root_pem) = args.get(3) {
        std::fs::write(root_pem, der_to_pem("CERTIFICATE", &pki.root_cert_der))?;
    }
    let identity = SealIdentity::from_der(
        &pki.seal_key_pkcs8_der,
        &[pki.seal_cert_der.clone(), pki.root_cert_der.clone()],
    )?;
    let options = SealOptions {
        signing_time: now,
        signer_name: "Signet Example".into(),
        reason: Some("Sealed by seal_file".into()),
        location: None,
        contact_info: None,
        certify,
    };
    let started = Instant::now();
    let outcome = seal(
        BufReader::new(File::open(input)?),
        BufWriter::new(File::create(output)?),
        &[],
        &identity,
        &options,
        &Limits::default(),
    )?;
    let took = started.elapsed();
    let hex: String = outcome.sha256.iter().map(|b| format!("{b:02x}")).collect();
    println!(
        "sealed {input} -> {output}: {} bytes, sha256 {hex}, in {took:?}",
        outcome.size
    );
    Ok(())
}
