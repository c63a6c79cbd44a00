//! Retention: an account's completed, declined and expired envelopes are purged once its
//! period has passed (by the test clock), leaving a tombstone; in-progress envelopes, envelopes
//! of accounts without a rule and envelopes not yet due stay. After the purge the native API
//! answers 410 `envelope_purged`, a dialect answers its own not-found, the blobs are gone (on
//! the file store and on S3) and verifying a downloaded sealed PDF names the tombstone.

use std::ffi::OsStr;

use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use signet_core::model::RetentionRule;

use crate::support::TestApp;
use crate::support::app::{bearer, status_and_json, typed_signing};
use crate::trust::signet_cli;

#[tokio::test]
async fn the_retention_setting_is_off_by_default_and_validated() {
    let app = TestApp::spawn().await;
    let key = &app.account("A").await.api_key;
    let (status, account) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["retention"], Value::Null);
    for rule in [json!({"days": 30}), json!("end_of_month_after_one_month")] {
        let (status, account) = app
            .patch_json(key, "/api/v1/account", &json!({"retention": rule}))
            .await;
        assert_eq!(status, 200, "{account}");
        assert_eq!(account["retention"], rule);
    }
    for bad in [
        json!({"days": 0}),
        json!({"days": 36501}),
        json!({"days": "30"}),
        json!({"months": 1}),
        json!("monthly"),
        json!(7),
    ] {
        let (status, body) = app
            .patch_json(key, "/api/v1/account", &json!({"retention": bad}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("invalid_retention")),
            "{bad}: {body}"
        );
    }
    let (_, account) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(account["retention"], "end_of_month_after_one_month");
    let (status, account) = app
        .patch_json(key, "/api/v1/account", &json!({"retention": null}))
        .await;
    assert_eq!((status, &account["retention"]), (200, &Value::Null));
    app.finish().await;
}

#[tokio::test]
async fn finished_envelopes_are_purged_after_the_period_on_the_file_store() {
    purges_after_the_period(TestApp::spawn().await).await;
}

#[tokio::test]
async fn finished_envelopes_are_purged_after_the_period_on_s3() {
    purges_after_the_period(TestApp::spawn_on_s3().await).await;
}

/// What a test keeps of an envelope before it is purged.
struct Kept {
    id: String,
    signed_pdf: Vec<u8>,
    proof_pdf: Vec<u8>,
    stiply_key: String,
}

async fn purges_after_the_period(app: TestApp) {
    let (a, b) = (app.account("A").await, app.account("B").await);
    let (ka, kb) = (&a.api_key, &b.api_key);
    let completed = completed_and_downloaded(&app, ka).await;
    let declined = declined_envelope(&app, ka).await;
    let expired = expiring_envelope(&app, ka).await;
    let (in_progress, _) = app.sent_envelope(ka, "parallel", 1).await;
    let others = app.completed_envelope(kb).await;
    app.clock.advance(time::Duration::minutes(61));
    app.run_jobs_until_idle().await;
    assert_eq!(status_of(&app, ka, &expired).await, "expired");
    let (status, _) = app
        .patch_json(ka, "/api/v1/account", &json!({"retention": {"days": 30}}))
        .await;
    assert_eq!(status, 200);
    let blobs_before = app.blob_keys().await;
    let purged_ids = [completed.id.as_str(), declined.as_str(), expired.as_str()];
    for id in purged_ids {
        assert!(
            blobs_before.iter().any(|k| k.contains(id)),
            "{id} has blobs"
        );
    }

    // A day before the period ends: nothing goes.
    app.clock.advance(time::Duration::days(29));
    assert_eq!(sweep(&app).await.purged, 0);
    for id in purged_ids {
        assert_ne!(status_of(&app, ka, id).await, "purged");
    }

    app.clock
        .advance(time::Duration::days(1) + time::Duration::minutes(1));
    let run = sweep(&app).await;
    assert_eq!((run.accounts, run.purged, run.failed), (1, 3, 0), "{run:?}");
    assert!(run.blobs_deleted >= 5, "{run:?}");
    for id in purged_ids {
        let (status, body) = app.get_json(ka, &format!("/api/v1/envelopes/{id}")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (410, Some("envelope_purged")),
            "{body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("retention")
        );
        // Other routes of the envelope, and other accounts, see a plain not-found.
        let (status, _) = app
            .get_json(ka, &format!("/api/v1/envelopes/{id}/events"))
            .await;
        assert_eq!(status, 404);
        let (status, body) = app.get_json(kb, &format!("/api/v1/envelopes/{id}")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("not_found"))
        );
    }
    let (_, list) = app.get_json(ka, "/api/v1/envelopes").await;
    let listed: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, vec![in_progress.as_str()]);
    assert_eq!(status_of(&app, kb, &others).await, "completed");
    let blobs_after = app.blob_keys().await;
    for id in purged_ids {
        assert!(
            !blobs_after.iter().any(|k| k.contains(id)),
            "{id}: {blobs_after:?}"
        );
    }
    assert!(blobs_after.iter().any(|k| k.contains(&others)));
    assert!(blobs_after.iter().any(|k| k.contains(&in_progress)));

    // Stiply's door answers its own not-found, by native id and by the key it gave.
    for key in [&completed.id, &completed.stiply_key] {
        let (status, body) = stiply_get(&app, ka, &format!("/sign_requests/{key}")).await;
        assert_eq!(
            (status, body["status_code"].as_str()),
            (404, Some("404")),
            "{body}"
        );
    }

    assert_verify_names_the_tombstone(&app, ka, kb, &completed).await;
    assert_chains_of_the_rest_verify(&app, &a.account_id, &b.account_id).await;
    assert_eq!(sweep(&app).await.purged, 0, "a second sweep finds nothing");
    app.finish().await;
}

/// Verifying the sealed document and proof of a purged envelope (as its account and as
/// another): the cryptographic result as before, no envelope, and the tombstone's dates only.
async fn assert_verify_names_the_tombstone(app: &TestApp, ka: &str, kb: &str, kept: &Kept) {
    for (pdf, file) in [(&kept.signed_pdf, "document"), (&kept.proof_pdf, "proof")] {
        for key in [ka, kb] {
            let (status, report) = app.post_pdf(key, "/api/v1/verify", pdf.clone()).await;
            assert_eq!(status, 200, "{report}");
            assert_eq!(report["verdict"], "valid", "{report:#}");
            assert!(report["envelope"].is_null(), "{report}");
            let purged = &report["purged"];
            assert_eq!(purged["sealed_by_this_instance"], true, "{report}");
            assert_eq!(purged["file"], file);
            assert!(purged["sealed_at"].is_string() && purged["purged_at"].is_string());
            let keys: Vec<&String> = purged.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 4, "nothing but the tombstone's dates: {purged}");
        }
    }
    let mut tampered = kept.signed_pdf.clone();
    tampered.extend_from_slice(b"\n% appended\n");
    let (_, report) = app.post_pdf(ka, "/api/v1/verify", tampered).await;
    assert!(report["purged"].is_null(), "{report}");
    // `signet verify` says the same on the command line.
    let path = app.data_path().join("purged-signed.pdf");
    std::fs::write(&path, &kept.signed_pdf).unwrap();
    let run = signet_cli(app, &[OsStr::new("verify"), path.as_os_str()]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{out}");
    assert!(out.contains("sealed by this instance on"), "{out}");
    assert!(out.contains("deleted under retention"), "{out}");
}

/// The remaining envelopes' audit chains still verify.
async fn assert_chains_of_the_rest_verify(app: &TestApp, a: &str, b: &str) {
    for account in [a, b] {
        let account = account.parse().unwrap();
        let reports = app
            .app
            .signet
            .verify_account_chains(account, None)
            .await
            .unwrap();
        assert_eq!(reports.len(), 1);
        assert!(reports.iter().all(|(_, r)| r.ok), "{reports:?}");
    }
}

#[tokio::test]
async fn the_month_rule_purges_when_the_month_after_next_begins_and_not_before() {
    let app = TestApp::spawn().await;
    let key = &app.account("A").await.api_key;
    let id = app.completed_envelope(key).await;
    let (status, _) = app
        .patch_json(
            key,
            "/api/v1/account",
            &json!({"retention": "end_of_month_after_one_month"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    let finished = time::OffsetDateTime::parse(
        envelope["finished_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let due = RetentionRule::EndOfMonthAfterOneMonth.purge_due_at(finished);
    assert_eq!((due.day(), due.hour(), due.minute()), (1, 0, 0));
    assert!(
        due - finished > time::Duration::days(28) && due - finished <= time::Duration::days(62)
    );
    app.clock
        .advance(due - app.clock_now() - time::Duration::seconds(1));
    assert_eq!(sweep(&app).await.purged, 0);
    assert_eq!(status_of(&app, key, &id).await, "completed");
    app.clock.advance(time::Duration::seconds(1));
    assert_eq!(sweep(&app).await.purged, 1);
    assert_eq!(status_of(&app, key, &id).await, "purged");
    app.finish().await;
}

#[tokio::test]
async fn the_sweep_is_one_job_an_hour_however_often_nodes_ask() {
    let app = TestApp::spawn().await;
    let (_, other) = app.another_node().await;
    for signet in [&app.app.signet, &other.signet, &app.app.signet] {
        signet.schedule_retention_sweep().await.unwrap();
    }
    let stats = app.run_jobs_until_idle().await;
    assert_eq!(stats.done, 1, "{stats:?}");
    app.clock.advance(time::Duration::hours(1));
    other.signet.schedule_retention_sweep().await.unwrap();
    assert_eq!(app.run_jobs_until_idle().await.done, 1);
    app.finish().await;
}

/// Runs the retention sweep now (what the hourly `retention_sweep` job runs), by the test clock.
async fn sweep(app: &TestApp) -> signet_core::usecase::retention::RetentionRun {
    app.app.signet.run_retention().await.unwrap()
}

/// `present` (200), `purged` (410), `missing` (404), or the status when `status` is asked.
async fn status_of(app: &TestApp, key: &str, id: &str) -> String {
    let (status, body) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    match status {
        200 if body["status"] == "completed" => "completed".into(),
        200 if body["status"] == "expired" => "expired".into(),
        200 => "present".into(),
        410 => "purged".into(),
        _ => format!("{status}: {body}"),
    }
}

/// A completed envelope whose signed PDF, proof and Stiply key were fetched before any purge.
async fn completed_and_downloaded(app: &TestApp, key: &str) -> Kept {
    let id = app.completed_envelope(key).await;
    let (status, signed_pdf) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    let (status, proof_pdf) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/proof.pdf"))
        .await;
    assert_eq!(status, 200);
    let (status, body) = stiply_get(app, key, &format!("/sign_requests/{id}")).await;
    assert_eq!(status, 200, "{body}");
    let stiply_key = body["data"]["sign_request"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    Kept {
        id,
        signed_pdf,
        proof_pdf,
        stiply_key,
    }
}

async fn declined_envelope(app: &TestApp, key: &str) -> String {
    let (id, urls) = app.sent_envelope(key, "parallel", 2).await;
    let (status, body) = app
        .signer_post(&urls[0], "complete", &typed_signing())
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .signer_post(&urls[1], "decline", &json!({"reason": "No"}))
        .await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    id
}

/// A sent envelope that expires in an hour.
async fn expiring_envelope(app: &TestApp, key: &str) -> String {
    let expires = (app.clock_now() + time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (id, _) = app
        .draft_with_contract(key, json!({"title": "Offer", "expires_at": expires}))
        .await;
    let signer = json!({"name": "Ann", "email": "ann@example.test", "invitation": "link",
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, _) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200);
    app.run_jobs_until_idle().await;
    id
}

async fn stiply_get(app: &TestApp, key: &str, path: &str) -> (u16, Value) {
    let response = app
        .client
        .get(app.url(&format!("/stiply/v1.1{path}")))
        .header(AUTHORIZATION, bearer(key))
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}
