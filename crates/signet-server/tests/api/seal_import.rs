//! `signet seal import FILE.p12`: an operator's own seal certificate (from an external CA made
//! with openssl) replaces the instance's; what it seals validates under that CA's root, its
//! revocation data comes from the CA's CRL distribution point, and what cannot seal is refused.

use std::ffi::OsStr;
use std::path::Path;

use serde_json::Value;
use signet_testkit::http_sink::{HttpSink, SinkResponse};

use crate::support::TestApp;
use crate::support::test_ca::{P12_PASSWORD, TestCa, seal_extensions, serial};
use crate::support::validators::{pyhanko_ltv, pyhanko_validate};
use crate::trust::{signet_cli, signet_cli_env};

const IMPORTED_SEAL_SECRET: &str = "seal.imported.v1";

fn import(app: &TestApp, p12: &Path, password_file: &Path) -> (bool, String, String) {
    let args: [&OsStr; 5] = [
        "seal".as_ref(),
        "import".as_ref(),
        p12.as_os_str(),
        "--password-file".as_ref(),
        password_file.as_os_str(),
    ];
    // Debug logging on: the key must not show up in logs either.
    let run = signet_cli_env(app, &args, &[("SIGNET_LOG", "debug")]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&run.stdout).into_owned(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    );
    (run.status.success(), stdout, stderr)
}

/// `signet sign contract.pdf --out OUT [--level LEVEL]`: (success, stderr).
fn sign(app: &TestApp, out: &Path, level: Option<&str>) -> (bool, String) {
    let input = app.data_path().join("contract.pdf");
    std::fs::write(&input, crate::support::fixtures::contract_pdf()).unwrap();
    let mut args: Vec<&OsStr> = vec![
        "sign".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    if let Some(level) = level {
        args.extend([OsStr::new("--level"), OsStr::new(level)]);
    }
    let run = signet_cli(app, &args);
    (
        run.status.success(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

/// Neither the key (any line of its PEM, or its DER in hex) nor the password is in `output`.
fn assert_secret_not_shown(key_pem: &Path, output: &str) {
    let pem = std::fs::read_to_string(key_pem).unwrap();
    assert!(!output.contains("PRIVATE KEY"), "{output}");
    assert!(!output.contains(P12_PASSWORD), "{output}");
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!output.contains(line), "a line of the key is in the output");
    }
}

/// Two PEM files as `pyhanko_ltv` takes them: comma-separated.
fn roots(first: &Path, second: &Path) -> std::path::PathBuf {
    format!("{},{}", first.display(), second.display()).into()
}

fn crl_responses(crls: &[Vec<u8>]) -> Vec<SinkResponse> {
    crls.iter()
        .map(|crl| {
            SinkResponse::status(200)
                .header("content-type", "application/pkix-crl")
                .body(crl.clone())
        })
        .collect()
}

// Multi-threaded: the CRL server runs on this runtime while the test blocks on the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_pkcs12_seal_seals_pdfs_that_validate_under_its_own_root() {
    let app = TestApp::spawn().await;
    let scratch = tempfile::tempdir().unwrap();
    let ca = TestCa::new(scratch.path());
    let crl_server = HttpSink::start(crl_responses(&[ca.crl(&[]), ca.crl(&[])])).await;
    let crl_url = crl_server.url("/ca.crl");
    ca.issue("Seal", &["rsa:2048"], &seal_extensions(&crl_url));
    let p12 = ca.p12("Seal", &[]);
    let (_, instance_root) = app.get_bytes("", "/api/v1/trust/ca.pem").await;

    let (ok, stdout, stderr) = import(&app, &p12, &ca.password_file);
    assert!(ok, "{stdout}{stderr}");
    assert_secret_not_shown(&ca.dir.join("Seal.key"), &format!("{stdout}{stderr}"));
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["subject"], "CN=Acme Seal,O=Acme", "{summary}");
    assert_eq!(summary["issuer"], "CN=Test Root CA,O=Test CA Ltd");
    assert_eq!(summary["root"], "CN=Test Root CA,O=Test CA Ltd");
    assert_eq!(summary["key_type"], "RSA-2048");
    assert_eq!(summary["serial"], hex::encode_upper(serial("Seal")));
    assert_eq!(summary["crl_urls"][0], crl_url.as_str());
    assert!(summary["not_after"].as_str().unwrap().ends_with('Z'));

    let dir = app.data_path();
    let sealed = dir.join("sealed.pdf");
    let (ok, stderr) = sign(&app, &sealed, None);
    assert!(ok, "{stderr}");
    let fetched = crl_server.requests();
    assert_eq!(fetched.len(), 1, "one CRL for the one link of the chain");
    assert_eq!(fetched[0].path, "/ca.crl");

    // The external root for the seal, the instance root for the built-in TSA's time-stamps.
    let instance_only = dir.join("instance-root.pem");
    std::fs::write(&instance_only, &instance_root).unwrap();
    let trust = roots(&ca.root_pem, &instance_only);
    let ltv = pyhanko_ltv(&sealed, &trust, "B-LTA");
    assert!(ltv.success, "{}", ltv.output);
    assert!(ltv.output.contains("Acme Seal"), "{}", ltv.output);
    let untrusted = pyhanko_validate(&sealed, &instance_only);
    assert!(
        !untrusted.success,
        "the seal must chain to the imported root, not the instance root: {}",
        untrusted.output
    );

    // Signet's own verifier trusts the imported root (a process started after the import).
    let run = signet_cli(&app, &["verify".as_ref(), sealed.as_os_str()]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{out}");
    assert!(out.contains("Acme Seal"), "{out}");

    // A node started after the import serves both roots, the imported one first.
    let (node, _) = app.another_node().await;
    let served = reqwest::get(format!("{node}/api/v1/trust/ca.pem"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let expected = signet_pdf::der_to_pem("CERTIFICATE", &ca.root_der)
        + &String::from_utf8(instance_root).unwrap();
    assert_eq!(String::from_utf8_lossy(&served), expected);
    let served_path = dir.join("served-ca.pem");
    std::fs::write(&served_path, &served).unwrap();
    let validated = pyhanko_validate(&sealed, &served_path);
    assert!(validated.success, "{}", validated.output);
    app.finish().await;
}

/// At B-LT and above the CA's current CRL must be fetched and must not revoke the seal: a CRL
/// server that is down, or a CRL that lists the seal, stops sealing (never a weaker seal); B-T
/// needs no CRL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sealing_with_an_imported_seal_needs_its_current_crl_and_never_seals_weaker() {
    let app = TestApp::spawn().await;
    let scratch = tempfile::tempdir().unwrap();
    let ca = TestCa::new(scratch.path());
    let (revoked, good) = (ca.crl(&[serial("Seal")]), ca.crl(&[]));
    let script = [SinkResponse::status(503)]
        .into_iter()
        .chain(crl_responses(&[revoked, good]));
    let crl_server = HttpSink::start(script).await;
    let p256 = ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
    ca.issue("Seal", &p256, &seal_extensions(&crl_server.url("/ca.crl")));
    let (ok, stdout, stderr) = import(&app, &ca.p12("Seal", &[]), &ca.password_file);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("ECDSA P-256"), "{stdout}");

    let dir = app.data_path();
    let out = dir.join("never.pdf");
    let (ok, stderr) = sign(&app, &out, None);
    assert!(
        !ok && stderr.contains("unavailable") && stderr.contains("503"),
        "{stderr}"
    );
    let (ok, stderr) = sign(&app, &out, Some("B-LT"));
    assert!(!ok && stderr.contains("revoked"), "{stderr}");
    assert!(!out.exists(), "nothing is sealed without revocation data");

    let bt = dir.join("bt.pdf");
    let (ok, stderr) = sign(&app, &bt, Some("B-T"));
    assert!(ok, "{stderr}");
    assert_eq!(crl_server.requests().len(), 2, "B-T fetches no CRL");

    let lt = dir.join("lt.pdf");
    let (ok, stderr) = sign(&app, &lt, Some("B-LT"));
    assert!(ok, "{stderr}");
    let (_, instance_root) = app.get_bytes("", "/api/v1/trust/ca.pem").await;
    let instance_only = dir.join("instance-root.pem");
    std::fs::write(&instance_only, &instance_root).unwrap();
    let ltv = pyhanko_ltv(&lt, &roots(&ca.root_pem, &instance_only), "B-LT");
    assert!(ltv.success, "{}", ltv.output);
    app.finish().await;
}

/// The seal job of a node started after the import seals envelopes with the imported seal:
/// while the CA's CRL server is down the envelope waits in `sealing` with the reason; once it
/// is back the document and the proof are sealed at B-LTA and validate under the imported root.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envelopes_are_sealed_with_the_imported_seal_once_its_crl_is_reachable() {
    // The certificate first, so that the app's clock starts after it is valid.
    let scratch = tempfile::tempdir().unwrap();
    let ca = TestCa::new(scratch.path());
    let script = [SinkResponse::status(503)]
        .into_iter()
        .chain(crl_responses(&[ca.crl(&[]), ca.crl(&[])]));
    let crl_server = HttpSink::start(script).await;
    ca.issue(
        "Seal",
        &["rsa:3072"],
        &seal_extensions(&crl_server.url("/ca.crl")),
    );
    let app = TestApp::spawn().await;
    let (ok, stdout, stderr) = import(&app, &ca.p12("Seal", &[]), &ca.password_file);
    assert!(ok, "{stdout}{stderr}");
    let (_, node) = app.another_node().await;
    // The envelope and the failed try an hour early, so that the retry is due at the real
    // time: pyHanko validates at the wall clock and refuses revocation data from its future.
    app.clock.advance(time::Duration::hours(-1));
    let account = app.account("A").await;
    let key = &account.api_key;
    let (id, urls) = app.sent_envelope(key, "parallel", 1).await;
    let (status, body) = app
        .signer_post(&urls[0], "complete", &crate::support::app::typed_signing())
        .await;
    assert_eq!(status, 200, "{body}");
    node.worker.run_until_idle().await.unwrap();
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "sealing", "{envelope}");
    let delayed = app.events_of(key, &id, "sealing_delayed").await;
    assert_eq!(delayed.len(), 1, "{delayed:?}");
    let reason = delayed[0]["data"]["reason"].as_str().unwrap();
    assert!(reason.contains("CRL") && reason.contains("503"), "{reason}");

    app.clock.advance(time::Duration::hours(1));
    node.worker.run_until_idle().await.unwrap();
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");
    assert_eq!(
        crl_server.requests().len(),
        3,
        "the failed try, then the document and the proof"
    );
    let (_, instance_root) = app.get_bytes("", "/api/v1/trust/ca.pem").await;
    let dir = app.data_path();
    let instance_only = dir.join("instance-root.pem");
    std::fs::write(&instance_only, &instance_root).unwrap();
    for what in ["signed.pdf", "proof.pdf"] {
        let (status, pdf) = app
            .get_bytes(key, &format!("/api/v1/envelopes/{id}/{what}"))
            .await;
        assert_eq!(status, 200, "{what}");
        let path = dir.join(format!("imported-{what}"));
        std::fs::write(&path, &pdf).unwrap();
        let ltv = pyhanko_ltv(&path, &roots(&ca.root_pem, &instance_only), "B-LTA");
        assert!(ltv.success, "{what}: {}", ltv.output);
        assert!(ltv.output.contains("Acme Seal"), "{what}: {}", ltv.output);
        assert!(ltv.output.contains("sha256_rsa"), "{what}: {}", ltv.output);
    }
    app.finish().await;
}

/// Refusals, each with a message that says what is wrong; none of them stores anything. The
/// legacy 3DES kind of PKCS#12 is accepted, and the stored seal is encrypted.
#[tokio::test]
async fn seal_import_refuses_what_cannot_seal_and_stores_the_rest_encrypted() {
    let app = TestApp::spawn().await;
    let scratch = tempfile::tempdir().unwrap();
    let ca = TestCa::new(scratch.path());
    let seal = seal_extensions("http://127.0.0.1:9/ca.crl");
    let rsa = ["rsa:2048"];
    ca.issue("Seal", &rsa, &seal);
    let good = ca.p12("Seal", &[]);
    let refused = |p12: &Path, password: &Path, expected: &str| {
        let (ok, stdout, stderr) = import(&app, p12, password);
        assert!(!ok, "{} must be refused: {stdout}", p12.display());
        assert!(stderr.contains(expected), "expected {expected:?}: {stderr}");
        assert_secret_not_shown(&ca.dir.join("Seal.key"), &stderr);
    };

    let wrong = scratch.path().join("wrong-password");
    std::fs::write(&wrong, "not the password\n").unwrap();
    refused(&good, &wrong, "wrong password");

    ca.issue("Encipher", &rsa, "keyUsage=critical,keyEncipherment");
    refused(
        &ca.p12("Encipher", &[]),
        &ca.password_file,
        "without digitalSignature and nonRepudiation",
    );

    ca.issue(
        "Tls",
        &rsa,
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth",
    );
    refused(
        &ca.p12("Tls", &[]),
        &ca.password_file,
        "restricted to other uses (id-kp-serverAuth",
    );

    ca.issue(
        "P384",
        &["ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
        &seal,
    );
    refused(
        &ca.p12("P384", &[]),
        &ca.password_file,
        "secp384r1 keys cannot seal here",
    );

    let now = time::OffsetDateTime::now_utc();
    let old = signet_pdf::issue_certificate(
        ca.root_ca(),
        signet_pdf::CertificateRole::Seal,
        "Acme",
        "Acme Old",
        signet_pdf::KeyAlgorithm::EcdsaP256,
        now - time::Duration::days(4 * 365),
        None,
    )
    .unwrap();
    std::fs::write(
        ca.dir.join("Old.key"),
        signet_pdf::der_to_pem("PRIVATE KEY", &old.key_pkcs8_der),
    )
    .unwrap();
    std::fs::write(
        ca.dir.join("Old.pem"),
        signet_pdf::der_to_pem("CERTIFICATE", &old.cert_der),
    )
    .unwrap();
    refused(&ca.p12("Old", &[]), &ca.password_file, "expired on");

    // openssl refuses to pair a key with a certificate it does not match; p12-keystore does not.
    let chain = [ca.cert_der("Seal"), ca.root_der.clone()]
        .iter()
        .map(|der| p12_keystore::Certificate::from_der(der).unwrap())
        .collect::<Vec<_>>();
    let mismatched = p12_keystore::PrivateKeyChain::new(ca.key_der("Encipher"), [1u8; 20], chain);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "seal",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(mismatched),
    );
    let mixed = ca.dir.join("mismatched.p12");
    std::fs::write(&mixed, store.writer(P12_PASSWORD).write().unwrap()).unwrap();
    refused(
        &mixed,
        &ca.password_file,
        "the private key does not match the certificate",
    );

    let secrets = app.app.signet.store();
    assert_eq!(
        secrets.instance_secret(IMPORTED_SEAL_SECRET).await.unwrap(),
        None
    );

    let legacy = [
        "-certpbe",
        "PBE-SHA1-3DES",
        "-keypbe",
        "PBE-SHA1-3DES",
        "-macalg",
        "sha1",
    ];
    let legacy = ca.p12("Seal", &legacy);
    let args: [&OsStr; 3] = ["seal".as_ref(), "import".as_ref(), legacy.as_os_str()];
    let run = signet_cli(&app, &args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "no password, no import");
    assert!(
        stderr.contains("--password-file FILE or in SIGNET_P12_PASSWORD"),
        "{stderr}"
    );
    // The password may come from the environment instead of a file.
    let env = [
        ("SIGNET_LOG", "debug"),
        ("SIGNET_P12_PASSWORD", P12_PASSWORD),
    ];
    let run = signet_cli_env(&app, &args, &env);
    let output = String::from_utf8_lossy(&run.stdout) + String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{output}");
    assert_secret_not_shown(&ca.dir.join("Seal.key"), &output);
    let stored = secrets
        .instance_secret(IMPORTED_SEAL_SECRET)
        .await
        .unwrap()
        .unwrap();
    let key_der = ca.key_der("Seal");
    assert!(
        !stored
            .windows(32)
            .any(|w| key_der.windows(32).any(|k| k == w)),
        "the stored seal must not contain the key in clear"
    );
    app.finish().await;
}
