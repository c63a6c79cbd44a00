//! The signer's side: order, declining, revocation, expiry, races, and the HTML page.

use serde_json::json;

use crate::support::TestApp;
use crate::support::app::{token_of, typed_signing};

#[tokio::test]
async fn sequential_signers_wait_for_their_turn_and_parallel_ones_do_not() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (_, urls) = app.sent_envelope(&account.api_key, "sequential", 2).await;
    let (status, body) = app
        .signer_post(&urls[1], "complete", &typed_signing())
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_your_turn"))
    );
    assert_eq!(
        app.signer_post(&urls[0], "complete", &typed_signing())
            .await
            .0,
        200
    );
    let (status, body) = app
        .signer_post(&urls[1], "complete", &typed_signing())
        .await;
    assert_eq!(
        (status, body["envelope_status"].as_str()),
        (200, Some("sealing"))
    );

    let (_, urls) = app.sent_envelope(&account.api_key, "parallel", 2).await;
    assert_eq!(
        app.signer_post(&urls[1], "complete", &typed_signing())
            .await
            .0,
        200
    );
    assert_eq!(
        app.signer_post(&urls[0], "complete", &typed_signing())
            .await
            .0,
        200
    );
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn a_decline_stops_the_envelope_and_calls_back() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, _) = app.draft_with_contract(&account.api_key, json!({"title": "T", "signing_order": "parallel", "callback_url": app.hooks.url("/cb")})).await;
    for i in 0..2 {
        let body = json!({"name": format!("S{i}"), "email": format!("s{i}@example.test"), "invitation": "link", "fields": [{"type": "signature", "tag": "signature_1"}]});
        assert_eq!(
            app.post_json(
                &account.api_key,
                &format!("/api/v1/envelopes/{id}/signers"),
                &body
            )
            .await
            .0,
            201
        );
    }
    let (_, sent) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/send"),
            &json!({}),
        )
        .await;
    let urls: Vec<String> = sent["signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sign_url"].as_str().unwrap().to_string())
        .collect();
    let (status, body) = app
        .signer_post(&urls[0], "decline", &json!({"reason": "Wrong amount"}))
        .await;
    assert_eq!(
        (status, body["envelope_status"].as_str()),
        (200, Some("declined")),
        "{body}"
    );
    let (status, body) = app
        .signer_post(&urls[1], "complete", &typed_signing())
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("envelope_not_in_progress"))
    );
    app.run_jobs_until_idle().await;
    let requests = app.hooks.requests();
    assert_eq!(requests.len(), 1);
    let payload: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(payload["type"], "envelope.declined");
    let (_, envelope) = app
        .get_json(&account.api_key, &format!("/api/v1/envelopes/{id}"))
        .await;
    assert_eq!(envelope["signers"][0]["decline_reason"], "Wrong amount");
    app.finish().await;
}

#[tokio::test]
async fn deleting_a_sent_envelope_revokes_its_links_and_hides_it() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, urls) = app.sent_envelope(&account.api_key, "parallel", 1).await;
    let response = app
        .client
        .delete(app.url(&format!("/api/v1/envelopes/{id}")))
        .bearer_auth(&account.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (status, body) = app.signer_get(&urls[0]).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (410, Some("link_revoked"))
    );
    assert_eq!(
        app.get_json(&account.api_key, &format!("/api/v1/envelopes/{id}"))
            .await
            .0,
        404
    );
    let report = app
        .app
        .signet
        .verify_account_chains(
            account.account_id.parse().unwrap(),
            Some(id.parse().unwrap()),
        )
        .await
        .unwrap();
    assert!(
        report[0].1.ok,
        "the evidence of a deleted envelope is kept and intact"
    );
    app.finish().await;
}

#[tokio::test]
async fn links_stop_working_when_the_envelope_expires() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let expires = signet_core::time::rfc3339(app.app.signet.now() + time::Duration::hours(1));
    let (id, _) = app
        .draft_with_contract(
            &account.api_key,
            json!({"title": "T", "expires_at": expires}),
        )
        .await;
    let body = json!({"name": "S", "email": "s@example.test", "invitation": "link", "fields": [{"type": "signature", "tag": "signature_1"}]});
    app.post_json(
        &account.api_key,
        &format!("/api/v1/envelopes/{id}/signers"),
        &body,
    )
    .await;
    let (_, sent) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/send"),
            &json!({}),
        )
        .await;
    let url = sent["signers"][0]["sign_url"].as_str().unwrap().to_string();
    assert_eq!(app.signer_get(&url).await.0, 200);
    app.clock.advance(time::Duration::hours(2));
    let (status, body) = app.signer_post(&url, "complete", &typed_signing()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (410, Some("link_expired")),
        "refused at once, before the expiry job has run"
    );
    app.run_jobs_until_idle().await;
    let (_, envelope) = app
        .get_json(&account.api_key, &format!("/api/v1/envelopes/{id}"))
        .await;
    assert_eq!(envelope["status"], "expired");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_completions_sign_once_and_seal_once() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, urls) = app.sent_envelope(&account.api_key, "parallel", 1).await;
    let body = typed_signing();
    let attempts = (0..12).map(|_| app.signer_post(&urls[0], "complete", &body));
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let jobs = app.app.signet.store().list_jobs(None, 100).await.unwrap();
    assert_eq!(
        jobs.iter()
            .filter(|j| j.payload.kind() == "seal_envelope")
            .count(),
        1
    );
    let stats = app.run_jobs_until_idle().await;
    assert_eq!(stats.done, 2, "the seal and the signer's completed mail");
    let (_, events) = app
        .get_json(&account.api_key, &format!("/api/v1/envelopes/{id}/events"))
        .await;
    let signed = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "signed")
        .count();
    assert_eq!(signed, 1);
    app.finish().await;
}

#[tokio::test]
async fn approvers_approve_without_a_signature_and_bad_images_are_refused() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, _) = app
        .draft_with_contract(
            &account.api_key,
            json!({"title": "T", "signing_order": "parallel"}),
        )
        .await;
    let signers = [
        json!({"name": "Approver", "email": "a@example.test", "role": "approver", "invitation": "link"}),
        json!({"name": "Signer", "email": "s@example.test", "invitation": "link", "fields": [{"type": "signature", "tag": "signature_1"}]}),
    ];
    for body in signers {
        assert_eq!(
            app.post_json(
                &account.api_key,
                &format!("/api/v1/envelopes/{id}/signers"),
                &body
            )
            .await
            .0,
            201
        );
    }
    let (_, sent) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/send"),
            &json!({}),
        )
        .await;
    let url = |i: usize| sent["signers"][i]["sign_url"].as_str().unwrap().to_string();
    let (status, _) = app
        .signer_post(&url(0), "complete", &json!({"consent": true}))
        .await;
    assert_eq!(status, 200);
    for png in ["not base64!", "R0lGODlhAQABAAAAACw="] {
        let body = json!({"consent": true, "signature": {"kind": "drawn", "png_base64": png}});
        let (status, err) = app.signer_post(&url(1), "complete", &body).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (422, Some("invalid_signature_image"))
        );
    }
    let (status, err) = app
        .signer_post(&url(1), "complete", &json!({"consent": true}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("signature_required"))
    );
    assert_eq!(
        app.signer_post(&url(1), "complete", &typed_signing())
            .await
            .0,
        200
    );
    app.run_jobs_until_idle().await;
    let (_, envelope) = app
        .get_json(&account.api_key, &format!("/api/v1/envelopes/{id}"))
        .await;
    assert_eq!(envelope["status"], "completed");
    app.finish().await;
}

#[tokio::test]
async fn the_signing_page_is_html_with_strict_security_headers() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (_, urls) = app.sent_envelope(&account.api_key, "parallel", 1).await;
    let response = app.client.get(&urls[0]).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-frame-options"], "DENY");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
    );
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"sign-form\"")
            && html.contains("/assets/sign.js")
            && !html.contains("<script>")
    );
    assert!(html.contains(&format!("data-token=\"{}\"", token_of(&urls[0]))));
    let missing = app
        .client
        .get(app.url("/s/not-a-real-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Link not found"));
    let js = app
        .client
        .get(app.url("/assets/sign.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        js.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_typed_signature_takes_one_of_the_script_faces_and_nothing_else() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (id, urls) = app.sent_envelope(key, "parallel", 1).await;
    let body = json!({"consent": true, "signature": {"kind": "typed", "text": "Ann", "font": "comic_sans"}});
    let (status, refused) = app.signer_post(&urls[0], "complete", &body).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );
    let body =
        json!({"consent": true, "signature": {"kind": "typed", "text": "Ann", "font": "caveat"}});
    let (status, signed) = app.signer_post(&urls[0], "complete", &body).await;
    assert_eq!(status, 200, "{signed}");
    app.run_jobs_until_idle().await;
    let (status, pdf) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    let path = app.data_path().join("caveat.pdf");
    std::fs::write(&path, pdf).unwrap();
    let fonts = std::process::Command::new("pdffonts")
        .arg(&path)
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts.contains("Caveat") && !fonts.contains("DancingScript"),
        "{fonts}"
    );
    app.finish().await;
}
