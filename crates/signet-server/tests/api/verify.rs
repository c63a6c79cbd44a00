//! `POST /api/v1/verify` and `signet verify`: Signet's outputs verify valid and lead back to
//! their envelope (for their own account only); tampered files are invalid; unknown roots
//! are indeterminate; bad uploads get clear errors.

use std::ffi::OsStr;

use crate::support::TestApp;
use crate::trust::signet_cli;

#[tokio::test]
async fn sealed_outputs_verify_valid_and_lead_back_to_their_envelope() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.account("A").await, app.account("B").await);
    let id = app.completed_envelope(&a.api_key).await;
    // The document: the signer's approval signature, the final seal locking it, the document
    // time-stamp. The proof: one certification, the document time-stamp.
    let roles: [(&str, &str, &[&str]); 2] = [
        (
            "signed.pdf",
            "document",
            &["approval", "lock", "document_timestamp"],
        ),
        (
            "proof.pdf",
            "proof",
            &["certification", "document_timestamp"],
        ),
    ];
    for (what, file, expected_roles) in roles {
        let path = format!("/api/v1/envelopes/{id}/{what}");
        let (status, pdf) = app.get_bytes(&a.api_key, &path).await;
        assert_eq!(status, 200);
        let (status, report) = app
            .post_pdf(&a.api_key, "/api/v1/verify", pdf.clone())
            .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["verdict"], "valid", "{report:#}");
        let signatures = report["signatures"].as_array().unwrap();
        let found: Vec<&str> = signatures
            .iter()
            .map(|s| s["role"].as_str().unwrap())
            .collect();
        assert_eq!(found, expected_roles, "{report:#}");
        let seal = &signatures[expected_roles.len() - 2];
        assert_eq!(seal["docmdp_permission"], 1, "{seal}");
        for signature in &signatures[..expected_roles.len() - 1] {
            assert_eq!(signature["pades_level"], "B-LTA", "{signature}");
            assert_eq!(signature["trusted"], true, "{signature}");
        }
        let envelope = &report["envelope"];
        assert_eq!(envelope["id"], id.as_str(), "{report:#}");
        assert_eq!(envelope["file"], file);
        assert_eq!(envelope["audit_chain"]["intact"], true);
        assert!(
            envelope["signers"][0]["signed_at"].is_string(),
            "{envelope}"
        );

        // Another account gets the same verdict and nothing about the envelope.
        let (status, other) = app
            .post_pdf(&b.api_key, "/api/v1/verify", pdf.clone())
            .await;
        assert_eq!(status, 200);
        assert_eq!(other["verdict"], "valid");
        assert!(other["envelope"].is_null(), "{other}");

        // Bytes appended after signing: invalid, and no longer this envelope's file.
        let mut tampered = pdf;
        tampered.extend_from_slice(b"\n% appended\n");
        let (_, report) = app.post_pdf(&a.api_key, "/api/v1/verify", tampered).await;
        assert_eq!(report["verdict"], "invalid", "{report:#}");
        assert!(report["envelope"].is_null());
    }
    assert_no_verify_blobs(&app, &a.account_id);
    app.finish().await;
}

/// Uploads to the verifier are staged as blobs only while they are verified.
fn assert_no_verify_blobs(app: &TestApp, account_id: &str) {
    let dir = app.data_path().join("blobs").join(account_id);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with("verify-"))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "left behind in {}: {left:?}",
        dir.display()
    );
}

#[tokio::test]
async fn bad_verify_requests_get_clear_errors() {
    let app = TestApp::spawn().await;
    let a = app.account("A").await;
    let (status, body) = app
        .post_pdf("", "/api/v1/verify", b"%PDF-1.7\n".to_vec())
        .await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = app
        .post_pdf(
            &a.api_key,
            "/api/v1/verify",
            b"PK\x03\x04 a zip file".to_vec(),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (415, Some("unsupported_media_type")),
        "{body}"
    );
    let (status, body) = app
        .post_pdf(
            &a.api_key,
            "/api/v1/verify",
            b"%PDF-1.7\nnot really".to_vec(),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("pdf_damaged")),
        "{body}"
    );
    let (status, body) = app
        .post_json(&a.api_key, "/api/v1/verify", &serde_json::json!({}))
        .await;
    assert_eq!(status, 415, "{body}");
    assert_no_verify_blobs(&app, &a.account_id);
    app.finish().await;
}

#[tokio::test]
async fn signet_verify_exits_by_verdict() {
    let app = TestApp::spawn().await;
    let a = app.account("A").await;
    let id = app.completed_envelope(&a.api_key).await;
    let (_, pdf) = app
        .get_bytes(&a.api_key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    let dir = app.data_path();
    let (good, bad) = (dir.join("good.pdf"), dir.join("bad.pdf"));
    std::fs::write(&good, &pdf).unwrap();
    let mut tampered = pdf.clone();
    tampered.extend_from_slice(b"%%EOF trailing\n");
    std::fs::write(&bad, &tampered).unwrap();
    let run = signet_cli(
        &app,
        &["verify".as_ref(), "--json".as_ref(), good.as_os_str()],
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["verdict"], "valid");
    let run = signet_cli(&app, &["verify".as_ref(), bad.as_os_str()]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("verdict: INVALID"), "{stdout}");
    // Trusting only another root: the seal cannot be trusted, so indeterminate.
    let other = dir.join("other-root.pem");
    std::fs::write(&other, crate::support::fixtures::other_root_pem()).unwrap();
    let args: [&OsStr; 4] = [
        "verify".as_ref(),
        "--trust".as_ref(),
        other.as_os_str(),
        good.as_os_str(),
    ];
    let run = signet_cli(&app, &args);
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    // A file that is not a PDF cannot be verified either way.
    let junk = dir.join("junk.pdf");
    std::fs::write(&junk, b"hello").unwrap();
    let args: [&OsStr; 4] = [
        "verify".as_ref(),
        "--trust".as_ref(),
        other.as_os_str(),
        junk.as_os_str(),
    ];
    let run = signet_cli(&app, &args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a PDF"), "{stderr}");
    app.finish().await;
}

/// A verification that takes longer than SIGNET_VERIFY_TIMEOUT_SECS answers 422 at once (here
/// the limit is zero, so any real verification is too slow) and leaves nothing behind.
#[tokio::test]
async fn a_verification_over_the_time_limit_is_refused() {
    let app = TestApp::spawn_with(|config| config.verify_timeout_secs = 0).await;
    let a = app.account("A").await;
    let id = app.completed_envelope(&a.api_key).await;
    let (_, pdf) = app
        .get_bytes(&a.api_key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    let (status, body) = app.post_pdf(&a.api_key, "/api/v1/verify", pdf).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("pdf_limit_exceeded")),
        "{body}"
    );
    assert_no_verify_blobs(&app, &a.account_id);
    app.finish().await;
}
