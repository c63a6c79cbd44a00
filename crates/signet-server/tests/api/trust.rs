//! What validators need: the root certificate, a CRL signed by it, and the configured PAdES
//! level in the sealed output.

use std::process::Command;

use crate::support::TestApp;
use crate::support::validators::{pyhanko_details, pyhanko_ltv};
use signet_testkit::tsa::OpensslTsa;

#[tokio::test]
async fn the_root_crl_is_public_current_and_signed_by_the_root() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(app.url("/api/v1/trust/root.crl"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/pkix-crl"
    );
    let crl = response.bytes().await.unwrap();
    let ca = reqwest::get(app.url("/api/v1/trust/ca.pem"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let dir = app.data_path();
    std::fs::write(dir.join("root.crl"), &crl).unwrap();
    std::fs::write(dir.join("ca.pem"), &ca).unwrap();
    let out = Command::new("openssl")
        .args(["crl", "-inform", "DER", "-noout", "-text", "-in"])
        .arg(dir.join("root.crl"))
        .arg("-CAfile")
        .arg(dir.join("ca.pem"))
        .output()
        .expect("run openssl");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("verify OK"),
        "the root must sign the CRL: {text}"
    );
    assert!(text.contains("No Revoked Certificates"), "{text}");
    assert!(text.contains("Next Update"), "{text}");
    app.finish().await;
}

/// With `SIGNET_PADES_LEVEL=B-T` the seal is time-stamped but carries no DSS and no document
/// time-stamp, so the offline long-term check must refuse it.
#[tokio::test]
async fn the_configured_pades_level_is_what_gets_sealed() {
    let app = TestApp::spawn_with(|config| config.pades_level = signet_pdf::PadesLevel::BT).await;
    let account = app.account("A").await;
    let id = app.completed_envelope(&account.api_key).await;
    let (status, signed) = app
        .get_bytes(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/signed.pdf"),
        )
        .await;
    assert_eq!(status, 200);
    let (_, ca) = app
        .get_bytes(&account.api_key, "/api/v1/trust/ca.pem")
        .await;
    let dir = app.data_path();
    let (pdf, ca_path) = (dir.join("signed-bt.pdf"), dir.join("ca.pem"));
    std::fs::write(&pdf, &signed).unwrap();
    std::fs::write(&ca_path, &ca).unwrap();
    assert!(!signed.windows(4).any(|w| w == b"/DSS"), "B-T has no DSS");
    let details = pyhanko_details(&pdf, &ca_path).output;
    assert!(details.contains("judged VALID"), "{details}");
    assert!(
        details.contains("The TSA certificate is trusted"),
        "{details}"
    );
    assert!(
        !pyhanko_ltv(&pdf, &ca_path, "B-LT").success,
        "a B-T file must not pass the offline long-term check"
    );
    app.finish().await;
}

/// Runs the `signet` binary against the test app's database and data folder.
pub(crate) fn signet_cli(app: &TestApp, args: &[&std::ffi::OsStr]) -> std::process::Output {
    signet_cli_env(app, args, &[("SIGNET_LOG", "warn")])
}

/// [`signet_cli`] with extra environment variables.
pub(crate) fn signet_cli_env(
    app: &TestApp,
    args: &[&std::ffi::OsStr],
    env: &[(&str, &str)],
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_signet"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SIGNET_DATA_DIR", app.data_path())
        .env("DATABASE_URL", &app.database_url)
        .envs(env.iter().copied())
        .args(args)
        .output()
        .expect("run signet")
}

/// `signet sign` seals any PDF with the instance seal, like `pyhanko sign addsig`; a damaged
/// input is refused and leaves no output behind.
#[tokio::test]
async fn signet_sign_seals_a_file_with_the_instance_seal() {
    let app = TestApp::spawn().await;
    let dir = app.data_path();
    let (input, out) = (dir.join("contract.pdf"), dir.join("sealed.pdf"));
    std::fs::write(&input, crate::support::fixtures::contract_pdf()).unwrap();
    let run = signet_cli(
        &app,
        &[
            "sign".as_ref(),
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let sealed = std::fs::read(&out).unwrap();
    assert_eq!(report["level"], "B-LTA");
    assert_eq!(report["size"], sealed.len());
    assert_eq!(
        report["sha256"].as_str().unwrap(),
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&sealed))
    );
    let (_, ca) = app.get_bytes("", "/api/v1/trust/ca.pem").await;
    let ca_path = dir.join("ca.pem");
    std::fs::write(&ca_path, &ca).unwrap();
    let ltv = pyhanko_ltv(&out, &ca_path, "B-LTA");
    assert!(ltv.success, "{}", ltv.output);

    let (damaged, none) = (dir.join("damaged.pdf"), dir.join("none.pdf"));
    std::fs::write(&damaged, b"%PDF-1.7\nthis is not a PDF body").unwrap();
    let run = signet_cli(
        &app,
        &[
            "sign".as_ref(),
            damaged.as_os_str(),
            "--out".as_ref(),
            none.as_os_str(),
            "--level".as_ref(),
            "B-B".as_ref(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("damaged"), "{stderr}");
    assert!(
        !none.exists(),
        "a failed seal must not leave an output file"
    );
    app.finish().await;
}

/// A remote TSA's own PKI (a separate root), its TSA certificate naming the TSA server's CRL
/// URL; configures `tsa` with it and returns the root's PEM path.
fn remote_tsa_pki(tsa: &OpensslTsa, dir: &std::path::Path) -> std::path::PathBuf {
    let now = time::OffsetDateTime::now_utc();
    let subject = signet_pdf::PkiSubject {
        organization: "Remote TSA Ltd".into(),
        common_name: "Remote TSA Root".into(),
    };
    let options = signet_pdf::PkiOptions {
        crl_url: Some(tsa.crl_url()),
    };
    let pki = signet_pdf::generate_instance_pki_with(
        &subject,
        signet_pdf::KeyAlgorithm::EcdsaP256,
        now,
        &options,
    )
    .unwrap();
    let crl = signet_pdf::issue_crl(
        pki.root_ca(),
        &[],
        1,
        now - time::Duration::minutes(1),
        now + time::Duration::days(7),
    )
    .unwrap();
    let pem = |name: &str, label: &str, der: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, signet_pdf::der_to_pem(label, der)).unwrap();
        path
    };
    let cert = pem("tsa.pem", "CERTIFICATE", &pki.tsa_cert_der);
    let key = pem("tsa.key", "PRIVATE KEY", &pki.tsa_key_pkcs8_der);
    let root_pem = pem("tsa-root.pem", "CERTIFICATE", &pki.root_cert_der);
    tsa.configure(&cert, &key, &root_pem, crl);
    root_pem
}

/// With `SIGNET_TSA_URL` the seal's time-stamps come from that TSA (a real `openssl ts`), and
/// its CRL, fetched from the URL in its certificate, lands in the DSS: B-LTA validates offline
/// trusting the instance root and the TSA's root.
#[tokio::test]
async fn a_remote_tsa_time_stamps_the_seal() {
    let scratch = tempfile::tempdir().unwrap();
    let tsa = OpensslTsa::start(scratch.path()).await;
    let tsa_root = remote_tsa_pki(&tsa, scratch.path());
    let url = tsa.url();
    let trusted_tsa = tsa_root.clone();
    let app = TestApp::spawn_with(|config| {
        config.tsa_url = Some(url);
        config.trust_roots = vec![trusted_tsa];
    })
    .await;
    let account = app.account("A").await;
    let id = app.completed_envelope(&account.api_key).await;
    let key = &account.api_key;
    let delayed = app.events_of(key, &id, "sealing_delayed").await;
    assert!(delayed.is_empty(), "{delayed:?}");
    // Signature time-stamps for the signer's signature and the final seal and a document
    // time-stamp for the document; a signature and a document time-stamp for the proof.
    assert_eq!(tsa.tokens_issued(), 5);
    let sealed = &app.events_of(key, &id, "sealed").await[0];
    assert_eq!(sealed["data"]["level"], "PAdES-B-LTA", "{sealed}");
    assert_eq!(sealed["data"]["timestamps"], tsa.url(), "{sealed}");
    let dir = app.data_path();
    let (_, ca) = app.get_bytes(key, "/api/v1/trust/ca.pem").await;
    let ca_path = dir.join("ca.pem");
    std::fs::write(&ca_path, &ca).unwrap();
    let roots = std::path::PathBuf::from(format!("{},{}", ca_path.display(), tsa_root.display()));
    for what in ["signed.pdf", "proof.pdf"] {
        let (status, pdf) = app
            .get_bytes(key, &format!("/api/v1/envelopes/{id}/{what}"))
            .await;
        assert_eq!(status, 200, "{what}");
        let path = dir.join(format!("remote-{what}"));
        std::fs::write(&path, &pdf).unwrap();
        let ltv = pyhanko_ltv(&path, &roots, "B-LTA");
        assert!(ltv.success, "{what}: {}", ltv.output);
        assert!(
            ltv.output.contains("Remote TSA"),
            "{what} must be stamped by the remote TSA: {}",
            ltv.output
        );
        // SIGNET_TRUST_ROOTS holds the TSA's root, so Signet's verifier trusts its stamps.
        let (_, report) = app.post_pdf(key, "/api/v1/verify", pdf).await;
        assert_eq!(report["verdict"], "valid", "{what}: {report:#}");
        let stamp = &report["signatures"][0]["timestamp"];
        assert_eq!(stamp["trusted"], true, "{stamp}");
        assert!(
            stamp["authority"].as_str().unwrap().contains("Remote TSA"),
            "{stamp}"
        );
    }
    app.finish().await;
}

/// When the TSA is down the envelope stays `sealing`, says why in its events, and nothing is
/// sealed at a lower level; once the TSA is back the retry seals it.
#[tokio::test]
async fn a_tsa_outage_delays_sealing_and_never_downgrades() {
    let scratch = tempfile::tempdir().unwrap();
    let tsa = OpensslTsa::start(scratch.path()).await;
    remote_tsa_pki(&tsa, scratch.path());
    tsa.set_down(true);
    let url = tsa.url();
    let app = TestApp::spawn_with(|config| config.tsa_url = Some(url)).await;
    let account = app.account("A").await;
    let key = &account.api_key;
    let id = app.completed_envelope(key).await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "sealing");
    let delay = &envelope["sealing_delayed"];
    assert_eq!(delay["level"], "B-LTA", "{envelope}");
    assert!(
        delay["reason"].as_str().unwrap().contains("503"),
        "{envelope}"
    );
    let (status, _) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 409, "nothing is sealed while the TSA is down");
    let delayed = app.events_of(key, &id, "sealing_delayed").await;
    assert_eq!(delayed.len(), 1, "{delayed:?}");
    let data = delayed[0].to_string();
    assert!(data.contains("503") && data.contains("B-LTA"), "{data}");

    tsa.set_down(false);
    app.clock.advance(time::Duration::hours(1));
    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed");
    assert!(envelope.get("sealing_delayed").is_none(), "{envelope}");
    assert_eq!(tsa.tokens_issued(), 5);
    let (status, signed) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    assert!(signed.windows(4).any(|w| w == b"/DSS"));
    assert!(signed.windows(13).any(|w| w == b"/DocTimeStamp"));
    app.finish().await;
}

/// `SIGNET_SEAL_KEY=rsa-3072`: a new instance's root, seal and TSA keys are RSA-3072, and the
/// B-LTA output validates.
#[tokio::test]
async fn a_new_instance_can_seal_with_rsa_3072() {
    let app = TestApp::spawn_with(|config| {
        config.seal_key = signet_pdf::KeyAlgorithm::Rsa3072;
    })
    .await;
    let account = app.account("A").await;
    let key = &account.api_key;
    let id = app.completed_envelope(key).await;
    let (status, signed) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    let (_, ca) = app.get_bytes(key, "/api/v1/trust/ca.pem").await;
    let dir = app.data_path();
    let (pdf, ca_path) = (dir.join("signed-rsa.pdf"), dir.join("ca.pem"));
    std::fs::write(&pdf, &signed).unwrap();
    std::fs::write(&ca_path, &ca).unwrap();
    let ltv = pyhanko_ltv(&pdf, &ca_path, "B-LTA");
    assert!(ltv.success, "{}", ltv.output);
    assert!(ltv.output.contains("sha256_rsa"), "{}", ltv.output);
    app.finish().await;
}
