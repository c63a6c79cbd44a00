//! The whole story over HTTP: create, upload, add signers, send, e-mail, sign in order,
//! seal, callback, download, and validation of the outputs by independent tools.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::app::link_in;
use crate::support::validators::{
    pdfsig, pdftotext, pyhanko_details, pyhanko_ltv, pyhanko_validate, qpdf_check,
};
use crate::support::{TestApp, fixtures};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_goes_from_upload_to_a_validated_signed_pdf() {
    let app = TestApp::spawn().await;
    the_story(&app).await;
    app.finish().await;
}

/// The same story with the document blobs in an S3-compatible store (moto): nothing lands in
/// the data folder's `blobs/`, everything in the bucket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_with_blobs_in_s3_goes_from_upload_to_a_validated_signed_pdf() {
    let app = TestApp::spawn_on_s3().await;
    the_story(&app).await;
    assert!(walk_files(&app.data_path().join("blobs")).is_empty());
    let keys = app.blob_keys().await;
    for kind in ["/signed-", "/proof-", ".png"] {
        assert!(keys.iter().any(|k| k.contains(kind)), "{kind}: {keys:?}");
    }
    app.finish().await;
}

async fn the_story(app: &TestApp) {
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;

    let (id, document) = app
        .draft_with_contract(
            key,
            json!({
                "title": "Service agreement",
                "message": "Please sign <b>today</b>.",
                "external_key": "crm-42",
                "signing_order": "sequential",
                "callback_url": app.hooks.url("/signet-callback"),
            }),
        )
        .await;
    let original = fixtures::contract_pdf();
    assert_eq!(document["sha256"], hex::encode(Sha256::digest(&original)));
    assert_eq!(document["pages"], 2);
    let tags: Vec<&str> = document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for tag in [
        "text_1",
        "checkbox_1",
        "signature_1",
        "date_1",
        "initials_1",
        "signature_2",
    ] {
        assert!(tags.contains(&tag), "tag {tag} not found in {tags:?}");
    }
    let signature_tag = document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "signature_1")
        .unwrap();
    assert_eq!(signature_tag["page"], 1);

    let (status, first) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &json!({
            "name": "Ada Lovelace", "email": "ada@example.test", "order": 1, "invitation": "email", "language": "en",
            "fields": [
                {"type": "signature", "tag": "signature_1"},
                {"type": "date", "tag": "{{date_1}}"},
                {"type": "text", "tag": "text_1", "required": true},
                {"type": "checkbox", "tag": "checkbox_1"},
                {"type": "initials", "tag": "initials_1"},
            ],
        }))
        .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["fields"].as_array().unwrap().len(), 5);
    let (status, second) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &json!({
            "name": "Charles Babbage", "email": "charles@example.test", "order": 2, "invitation": "link",
            "redirect_url": "https://crm.example.test/signed",
            "fields": [{"type": "signature", "tag": "signature_2"}],
        }))
        .await;
    assert_eq!(status, 201, "{second}");
    let (status, _) = app
        .post_json(
            key,
            &format!("/api/v1/envelopes/{id}/signers"),
            &json!({"name": "Grace Hopper", "email": "grace@example.test", "role": "cc"}),
        )
        .await;
    assert_eq!(status, 201);

    // Send: the link signer's URL comes back once; the e-mail signer gets mail.
    let (status, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["status"], "in_progress");
    let signer = |name: &str| {
        sent["signers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    assert!(signer("Ada Lovelace").get("sign_url").is_none());
    let charles_url = signer("Charles Babbage")["sign_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(charles_url.starts_with(&format!("{}/s/", app.base)));
    let (_, fetched) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert!(
        !fetched
            .to_string()
            .contains(crate::support::app::token_of(&charles_url)),
        "tokens never appear in sender APIs"
    );

    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    let (invitations, cc): (Vec<_>, Vec<_>) = mails
        .iter()
        .partition(|m| m.recipients != ["grace@example.test"]);
    assert_eq!(
        cc.len(),
        1,
        "the cc recipient is told the envelope went out"
    );
    assert_eq!(
        cc[0].subject().as_deref(),
        Some("For your information: Service agreement")
    );
    assert_eq!(
        invitations.len(),
        1,
        "only the first signer in the order is invited"
    );
    let mail = invitations[0];
    assert_eq!(mail.recipients, vec!["ada@example.test".to_string()]);
    assert!(
        mail.subject()
            .unwrap_or_default()
            .contains("Service agreement")
    );
    assert!(
        mail.html_body()
            .unwrap_or_default()
            .contains("Please sign <b>today</b>."),
        "the message keeps its allow-listed HTML"
    );
    let ada_url = link_in(&mail.text_body().unwrap_or_default(), &app.base);

    // Sequential: Charles must wait.
    let (status, body) = app.signer_get(&charles_url).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_your_turn"))
    );

    // Ada signs; the rules are enforced first.
    let (status, session) = app.signer_get(&ada_url).await;
    assert_eq!(status, 200, "{session}");
    let field_id = |kind: &str| {
        session["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["type"] == kind)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (text_id, checkbox_id) = (field_id("text"), field_id("checkbox"));
    let typed = json!({"kind": "typed", "text": "Ada Lovelace"});
    let (status, err) = app
        .signer_post(&ada_url, "complete", &json!({"signature": typed}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("consent_required"))
    );
    let (status, err) = app
        .signer_post(
            &ada_url,
            "complete",
            &json!({"consent": true, "signature": typed}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("required_field_missing"))
    );
    assert!(err["error"]["message"].as_str().unwrap().contains(&text_id));
    let complete = json!({"consent": true, "signature": typed, "fields": {text_id.clone(): "Chief Engineer", checkbox_id: true}});
    let (status, done) = app.signer_post(&ada_url, "complete", &complete).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (
            done["signer_status"].as_str(),
            done["envelope_status"].as_str()
        ),
        (Some("signed"), Some("in_progress"))
    );
    let (status, again) = app.signer_post(&ada_url, "complete", &complete).await;
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (409, Some("already_signed"))
    );
    // Ada's approval signature goes on the document now, time-stamped now.
    app.run_jobs_until_idle().await;
    check_signed_revision(app, key).await;

    // Charles signs with a drawn signature; the envelope goes to sealing.
    let drawn = json!({"kind": "drawn", "png_base64": base64_png()});
    let (status, done) = app
        .signer_post(
            &charles_url,
            "complete",
            &json!({"consent": true, "signature": drawn}),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["envelope_status"], "sealing");
    let redirect = done["redirect_url"].as_str().unwrap();
    assert!(
        redirect.starts_with("https://crm.example.test/signed?key=")
            && redirect.contains("external_key=crm-42")
            && redirect.ends_with("status=success")
    );

    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");

    check_callback(app, &account.webhook_secret, &id);
    check_outputs(app, key, &id, &envelope, &original).await;
    check_events(app, key, &id).await;
}

fn base64_png() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(fixtures::tiny_png())
}

fn check_callback(app: &TestApp, secret: &str, id: &str) {
    let requests = app.hooks.requests();
    assert_eq!(requests.len(), 1, "one completion callback");
    let request = &requests[0];
    assert!(
        request
            .path
            .starts_with(&format!("/signet-callback?key={id}&external_key=crm-42")),
        "{}",
        request.path
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        (body["type"].as_str(), body["data"]["status"].as_str()),
        (Some("envelope.completed"), Some("completed"))
    );
    let header = |name: &str| {
        request
            .header(name)
            .unwrap_or_else(|| panic!("missing {name}"))
    };
    let expected = signet_core::usecase::job::standard_webhook_headers(
        secret,
        header("webhook-id"),
        header("webhook-timestamp").parse().unwrap(),
        &request.body,
    );
    assert_eq!(
        header("webhook-signature"),
        expected[2].1,
        "the callback is signed with the account's secret"
    );
}

async fn check_outputs(app: &TestApp, key: &str, id: &str, envelope: &Value, original: &[u8]) {
    let dir = app.data_path();
    let (status, ca) = app.get_bytes(key, "/api/v1/trust/ca.pem").await;
    assert_eq!(status, 200);
    let ca_path = dir.join("ca.pem");
    std::fs::write(&ca_path, &ca).unwrap();

    let (status, signed) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        hex::encode(Sha256::digest(&signed)),
        envelope["documents"][0]["signed_sha256"].as_str().unwrap()
    );
    assert!(
        signed.starts_with(original),
        "the seal is an incremental update over the original bytes"
    );
    let signed_path = dir.join("signed.pdf");
    std::fs::write(&signed_path, &signed).unwrap();
    let verdict = pyhanko_validate(&signed_path, &ca_path);
    assert!(
        verdict.success && verdict.output.contains("VALID"),
        "pyHanko: {}",
        verdict.output
    );
    let seals: Vec<&str> = verdict
        .output
        .lines()
        .filter(|l| l.starts_with("SignetSeal"))
        .collect();
    assert_eq!(
        seals.len(),
        3,
        "Ada, Charles, the final seal: {}",
        verdict.output
    );
    assert!(seals.iter().all(|l| l.ends_with(":VALID")), "{seals:?}");
    check_signatures(app, key, &signed).await;
    let details = pyhanko_details(&signed_path, &ca_path).output;
    assert!(
        details.contains("All modifications relate to signature maintenance"),
        "after the seal only the DSS and the document time-stamp may follow: {details}"
    );
    let ltv = pyhanko_ltv(&signed_path, &ca_path, "B-LTA");
    assert!(
        ltv.success
            && ltv
                .output
                .contains("coverage=SignatureCoverageLevel.ENTIRE_FILE"),
        "PAdES B-LTA, validated offline, the document time-stamp covering the whole file: {}",
        ltv.output
    );
    assert!(qpdf_check(&signed_path).success);
    assert!(pdfsig(&signed_path).contains("Signature is Valid"));
    let text = pdftotext(&signed_path);
    for expected in ["Ada Lovelace", "Chief Engineer", "AL"] {
        assert!(
            text.contains(expected),
            "stamped value {expected:?} missing from the signed PDF text"
        );
    }
    assert!(
        text.contains("Service agreement"),
        "the original text is untouched"
    );

    let mut tampered = signed.clone();
    let inside = original.len() / 2;
    tampered[inside] ^= 0x01;
    let tampered_path = dir.join("tampered.pdf");
    std::fs::write(&tampered_path, &tampered).unwrap();
    assert!(
        !pyhanko_validate(&tampered_path, &ca_path).success,
        "a flipped byte must fail validation"
    );

    let (status, proof) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/proof.pdf"))
        .await;
    assert_eq!(status, 200);
    let proof_path = dir.join("proof.pdf");
    std::fs::write(&proof_path, &proof).unwrap();
    if let Ok(keep) = std::env::var("SIGNET_KEEP_OUTPUTS") {
        // For people: look at what the story produced.
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(format!("{keep}/signed.pdf"), &signed).unwrap();
        std::fs::write(format!("{keep}/proof.pdf"), &proof).unwrap();
    }
    let verdict = pyhanko_validate(&proof_path, &ca_path);
    assert!(verdict.success, "pyHanko on the proof: {}", verdict.output);
    let ltv = pyhanko_ltv(&proof_path, &ca_path, "B-LTA");
    assert!(ltv.success, "the proof at B-LTA: {}", ltv.output);
    assert!(qpdf_check(&proof_path).success);
    let text = pdftotext(&proof_path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("");
    let expected = [
        id.to_string(),
        "ada@example.test".into(),
        "charles@example.test".into(),
        envelope["documents"][0]["sha256"].as_str().unwrap().into(),
        envelope["documents"][0]["signed_sha256"]
            .as_str()
            .unwrap()
            .into(),
        "127.0.0.1".into(),
        "consent_given".into(),
        "PAdESbaselineB-LTA;time-stamps:theinstance'sbuilt-inTSA".into(),
    ];
    for needle in expected {
        assert!(
            text.contains(&needle),
            "proof lacks {needle}: {}",
            pdftotext(&proof_path)
        );
    }
    assert!(
        !text.to_lowercase().contains("qualified"),
        "the proof never claims a qualified signature"
    );
}

/// One approval signature per signer, named, in signing order, each B-LTA once the final
/// seal's validation data and document time-stamp follow; the seal locks the document.
async fn check_signatures(app: &TestApp, key: &str, signed: &[u8]) {
    let (status, report) = app.post_pdf(key, "/api/v1/verify", signed.to_vec()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["verdict"], "valid", "{report:#}");
    let column = |name: &str| -> Vec<Value> {
        report["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[name].clone())
            .collect()
    };
    assert_eq!(
        column("role"),
        [
            json!("approval"),
            json!("approval"),
            json!("lock"),
            json!("document_timestamp")
        ]
    );
    assert_eq!(
        column("name"),
        [
            json!("Ada Lovelace"),
            json!("Charles Babbage"),
            json!("Signet seal"),
            Value::Null
        ]
    );
    assert_eq!(
        column("modification"),
        [
            json!("form_filling"),
            json!("form_filling"),
            json!("ltv"),
            json!("none")
        ]
    );
    assert_eq!(column("docmdp_permission")[2], 1);
    for level in &column("pades_level")[..3] {
        assert_eq!(level, "B-LTA");
    }
    // /M is when each person signed (RFC 3339 UTC strings order as times).
    let times = column("claimed_time");
    assert!(times[0].as_str() <= times[1].as_str() && times[1].as_str() <= times[2].as_str());
}

/// While Charles has yet to sign, the document already carries Ada's approval signature,
/// time-stamped when she signed (the stored signed revision).
async fn check_signed_revision(app: &TestApp, key: &str) {
    let revision = app
        .blob_keys()
        .await
        .into_iter()
        .find(|key| key.contains("/revision-"))
        .expect("a signed revision blob after Ada signed");
    let (status, report) = app
        .post_pdf(key, "/api/v1/verify", app.read_blob(&revision).await)
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["verdict"], "valid", "{report:#}");
    let signatures = report["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 1, "{report:#}");
    let ada = &signatures[0];
    assert_eq!(ada["name"], "Ada Lovelace");
    assert_eq!(ada["pades_level"], "B-T", "{ada}");
    assert_eq!(ada["timestamp"]["time"], ada["claimed_time"], "{ada}");
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk_files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

async fn check_events(app: &TestApp, key: &str, id: &str) {
    let (status, events) = app
        .get_json(key, &format!("/api/v1/envelopes/{id}/events"))
        .await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    let expected_order = [
        "envelope_created",
        "document_added",
        "signer_added",
        "envelope_sent",
        "invitation_emailed",
        "viewed",
        "consent_given",
        "signed",
        "sealing_scheduled",
        "sealed",
        "completed",
        "callback_delivered",
    ];
    let mut position = 0;
    for kind in expected_order {
        position += kinds[position..]
            .iter()
            .position(|k| *k == kind)
            .unwrap_or_else(|| panic!("{kind} missing or out of order in {kinds:?}"))
            + 1;
    }
    let (_, chain) = app
        .get_json(key, &format!("/api/v1/envelopes/{id}/events/verify"))
        .await;
    assert_eq!(chain["ok"], true, "{chain}");
    assert_eq!(chain["events"].as_u64().unwrap() as usize, kinds.len());
}
