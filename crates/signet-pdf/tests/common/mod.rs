//! Helpers shared by the integration tests: fixtures, external tools, PKI.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

pub mod raster;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// A fresh scratch directory under the target dir (kept for inspection after failures).
pub fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target-pdf/test-scratch")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a tool that must exist; a missing tool fails the test with a pointer to the setup.
pub fn run(tool: &str, args: &[&str]) -> Output {
    Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}); install poppler-utils and qpdf, or run the project's test script")
    })
}

/// pyHanko: $SIGNET_PYHANKO, else <workspace>/.venv/bin/pyhanko, else `pyhanko` on PATH.
pub fn pyhanko() -> String {
    if let Ok(p) = std::env::var("SIGNET_PYHANKO") {
        return p;
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/pyhanko");
    if venv.exists() {
        return venv.to_string_lossy().into_owned();
    }
    if Command::new("pyhanko").arg("--version").output().is_ok() {
        return "pyhanko".into();
    }
    panic!(
        "pyHanko not found: set SIGNET_PYHANKO, or create <workspace>/.venv with pyhanko and pyhanko-cli \
         (run the project's test script, which sets it up)"
    );
}

/// `pyhanko sign validate --executive-summary`; returns (exit ok, stdout+stderr).
pub fn pyhanko_validate(pdf: &Path, trust: &[&Path]) -> (bool, String) {
    let mut args: Vec<String> = vec![
        "sign".into(),
        "validate".into(),
        "--executive-summary".into(),
    ];
    for t in trust {
        args.push("--trust".into());
        args.push(t.to_string_lossy().into_owned());
    }
    args.push("--trust-replace".into());
    args.push(pdf.to_string_lossy().into_owned());
    let out = Command::new(pyhanko())
        .args(&args)
        .output()
        .expect("run pyhanko");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `qpdf --check` must report no errors or warnings.
pub fn assert_qpdf_clean(pdf: &Path) {
    let out = run("qpdf", &["--check", &pdf.to_string_lossy()]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "qpdf --check failed:\n{text}");
    assert!(
        text.contains("No syntax or stream encoding errors"),
        "qpdf:\n{text}"
    );
    assert!(
        !text.to_lowercase().contains("warning"),
        "qpdf warnings:\n{text}"
    );
}

pub fn pdftotext(pdf: &Path) -> String {
    let out = run("pdftotext", &["-enc", "UTF-8", &pdf.to_string_lossy(), "-"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

use std::sync::OnceLock;

use signet_pdf::{
    InstancePki, KeyAlgorithm, PkiSubject, SealIdentity, SealOptions, Stamp, der_to_pem,
    generate_instance_pki,
};

pub fn pki(algorithm: KeyAlgorithm) -> &'static InstancePki {
    static EC: OnceLock<InstancePki> = OnceLock::new();
    static RSA: OnceLock<InstancePki> = OnceLock::new();
    let cell = match algorithm {
        KeyAlgorithm::EcdsaP256 => &EC,
        KeyAlgorithm::Rsa3072 => &RSA,
    };
    cell.get_or_init(|| {
        let subject = PkiSubject {
            organization: "Signet Tests, Inc.".into(),
            common_name: "Signet Test Instance".into(),
        };
        generate_instance_pki(&subject, algorithm, time::OffsetDateTime::now_utc()).unwrap()
    })
}

pub fn identity(algorithm: KeyAlgorithm) -> SealIdentity {
    let p = pki(algorithm);
    SealIdentity::from_der(
        &p.seal_key_pkcs8_der,
        &[p.seal_cert_der.clone(), p.root_cert_der.clone()],
    )
    .unwrap()
}

/// Writes the root certificate as PEM into `dir` and returns its path.
pub fn root_pem(dir: &Path, algorithm: KeyAlgorithm) -> PathBuf {
    let path = dir.join(format!("root-{algorithm:?}.pem"));
    std::fs::write(
        &path,
        der_to_pem("CERTIFICATE", &pki(algorithm).root_cert_der),
    )
    .unwrap();
    path
}

pub fn options(certify: bool) -> SealOptions {
    SealOptions {
        signing_time: time::OffsetDateTime::now_utc(),
        signer_name: "Signet Tests".into(),
        reason: Some("Envelope completed".into()),
        location: Some("Łódź".into()),
        contact_info: Some("ops@example.org".into()),
        certify,
    }
}

/// Seals `input` into `dir/out_name` and returns the output bytes.
pub fn seal_to(
    dir: &Path,
    out_name: &str,
    input: &[u8],
    stamps: &[Stamp],
    algorithm: KeyAlgorithm,
    certify: bool,
) -> (PathBuf, Vec<u8>) {
    let mut out = Vec::new();
    let outcome = signet_pdf::seal(
        std::io::Cursor::new(input),
        &mut out,
        stamps,
        &identity(algorithm),
        &options(certify),
        &signet_pdf::Limits::default(),
    )
    .unwrap_or_else(|e| panic!("seal {out_name}: {e}"));
    assert_eq!(outcome.size, out.len() as u64);
    let path = dir.join(out_name);
    std::fs::write(&path, &out).unwrap();
    (path, out)
}

/// The last /ByteRange in `pdf`.
pub fn last_byte_range(pdf: &[u8]) -> [usize; 4] {
    let key = b"/ByteRange [";
    let pos = pdf
        .windows(key.len())
        .rposition(|w| w == key)
        .expect("a /ByteRange")
        + key.len();
    let end = pos + pdf[pos..].iter().position(|b| *b == b']').unwrap();
    let nums: Vec<usize> = std::str::from_utf8(&pdf[pos..end])
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    [nums[0], nums[1], nums[2], nums[3]]
}

/// ByteRange invariants: starts at 0, the gap is exactly the hex /Contents string, covers to EOF,
/// nothing after %%EOF but one EOL, and the original is a byte-exact prefix.
pub fn assert_byte_range_invariants(original: &[u8], sealed: &[u8]) -> Vec<u8> {
    assert!(
        sealed.starts_with(original),
        "the original must be a byte-exact prefix"
    );
    let [a, b, c, d] = last_byte_range(sealed);
    assert_eq!(a, 0);
    assert_eq!(sealed[b], b'<');
    assert_eq!(sealed[c - 1], b'>');
    assert_eq!(c + d, sealed.len());
    assert!(
        sealed[b + 1..c - 1].iter().all(u8::is_ascii_hexdigit),
        "gap must be only the hex string"
    );
    assert!(sealed.ends_with(b"%%EOF\n"));
    assert!(b > original.len());
    let hex = std::str::from_utf8(&sealed[b + 1..c - 1]).unwrap();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// A copy with one byte flipped inside the first signed range (in the original's body).
pub fn flipped(sealed: &[u8], at: usize) -> Vec<u8> {
    let mut copy = sealed.to_vec();
    copy[at] ^= 0x20;
    copy
}

/// Builds a classic-xref PDF from `(number, body)` objects; `trailer` is inserted into the trailer dict.
pub fn build_pdf(objects: &[(u32, Vec<u8>)], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = std::collections::BTreeMap::new();
    for (num, body) in objects {
        offsets.insert(*num, out.len());
        out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let size = offsets.keys().max().copied().unwrap_or(0) + 1;
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for n in 1..size {
        match offsets.get(&n) {
            Some(o) => out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

/// A stream object body.
pub fn stream_body(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut b = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    b.extend_from_slice(data);
    b.extend_from_slice(b"\nendstream");
    b
}

/// A minimal one-page document whose page content is `content`.
pub fn one_page(content: &[u8]) -> Vec<u8> {
    build_pdf(
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
            (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
            (
                3,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".to_vec(),
            ),
            (4, stream_body("", content)),
        ],
        "",
    )
}

/// Seals `doc` once per entry of `kinds`, in turn (each an incremental update on the last), at
/// `level` with time-stamps from `tsa`.
pub fn seal_in_turn(
    mut doc: Vec<u8>,
    identity: &SealIdentity,
    kinds: &[signet_pdf::SignatureKind],
    level: signet_pdf::PadesLevel,
    tsa: Option<&dyn signet_pdf::TimestampAuthority>,
) -> Vec<u8> {
    for kind in kinds {
        let pades = signet_pdf::PadesOptions {
            level,
            tsa,
            kind: Some(*kind),
            ..signet_pdf::PadesOptions::default()
        };
        let mut out = Vec::new();
        signet_pdf::seal_pades(
            std::io::Cursor::new(&doc),
            &mut out,
            &[],
            identity,
            &options(false),
            &pades,
            &signet_pdf::Limits::default(),
        )
        .unwrap();
        doc = out;
    }
    doc
}
