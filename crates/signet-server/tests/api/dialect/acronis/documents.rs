//! The e-sign calls: the document's "Resending signature request" steps replayed as printed
//! (stored file, document, resend), the upload and invitation a client needs before them, the
//! two links before and after completion, and a natively made envelope reached by its hash.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::*;
use crate::support::TestApp;
use crate::support::app::{link_in, typed_signing};
use crate::support::fixtures::contract_pdf;

/// The contract with one more byte after its end: another file, another hash.
fn other_pdf() -> Vec<u8> {
    let mut pdf = contract_pdf();
    pdf.push(b'\n');
    pdf
}

fn is_acronis_time(value: &Value) -> bool {
    let text = value.as_str().unwrap_or("");
    text.len() == 27
        && text.ends_with('Z')
        && time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok()
}

/// Verifies a PDF through the native API with `key`; returns the report.
async fn verified(app: &TestApp, key: &str, pdf: Vec<u8>) -> Value {
    let (status, report) = app.post_pdf(key, "/api/v1/verify", pdf).await;
    assert_eq!(status, 200, "{report}");
    report
}

#[tokio::test]
async fn a_file_uploaded_to_sign_becomes_an_esign_document_the_document_describes() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let auth = token_of(&app, &account.email).await;
    let base_url = base_url(&app);
    let hash = hex::encode(Sha256::digest(contract_pdf()));

    let (status, body) = upload_to_sign(&app, &auth, "contract.pdf", contract_pdf()).await;
    assert_eq!(status, 201, "{body}");
    let file = &body["file"];
    let file_id = file["id"].as_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&file_id).is_ok(), "{file}");
    assert_eq!(file["name"], "contract.pdf");
    assert_eq!(file["size"], contract_pdf().len());
    assert_eq!(file["hash"], hash.as_str());
    assert_eq!(
        file["document_id"],
        hash.as_str(),
        "the document id is the SHA-256"
    );
    assert!(is_acronis_time(&file["created_at"]), "{file}");
    assert_eq!(
        file["document"]["phase"], 0,
        "a draft until signees are invited"
    );
    assert_eq!(file["document"]["signees"], json!([]));

    let signees = json!([
        {"email": "john.smith@example.com", "fullname": "John Smith"},
        account.email,
    ]);
    let (status, body) = invite(&app, &auth, &hash, signees).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["document"]["phase"], 1, "{body}");
    app.run_jobs_until_idle().await;
    assert_eq!(app.smtp.messages().len(), 2, "each signee is asked to sign");

    // Step 3: response = requests.get(f'{base_url}/stored-files/{file_id}', headers=auth)
    let (status, body) = get(&auth, &format!("{base_url}/stored-files/{file_id}")).await;
    assert_eq!(status, 200, "{body}");
    // Step 5: doc_id = response.json()['file']['document_id']
    let doc_id = body["file"]["document_id"].as_str().unwrap().to_string();
    assert_eq!(doc_id, hash);
    assert_eq!(body["file"]["document"]["id"], hash.as_str(), "{body}");

    // Step 6: response = requests.get(f'{base_url}/documents/{doc_id}', headers=auth)
    let (status, body) = get(&auth, &format!("{base_url}/documents/{doc_id}")).await;
    assert_eq!(status, 200, "{body}");
    let document = &body["document"];
    assert_eq!(document["id"], hash.as_str());
    assert_eq!(document["phase"], 1);
    assert_eq!(document["signed_at"], Value::Null);
    let certificate_id = document["certificate_id"].as_str().unwrap().to_string();
    assert_eq!(certificate_id.len(), 64, "{document}");
    assert_eq!(
        document["notarization_certificate_link"],
        format!("/certificate/{certificate_id}").as_str()
    );
    assert_eq!(
        document["signature_certificate_link"],
        format!("/doc/{doc_id}/download").as_str()
    );
    assert_eq!(
        document["document_id"],
        hash.as_str(),
        "the upload until sealed"
    );
    // Step 8: signees = response.json()['document']['signees']
    let signees = document["signees"].as_array().unwrap();
    assert_eq!(signees.len(), 2);
    let smith = &signees[0];
    assert_eq!(smith["email"], "john.smith@example.com");
    assert_eq!(smith["fullname"], "John Smith");
    assert!(uuid::Uuid::parse_str(smith["id"].as_str().unwrap()).is_ok());
    assert_eq!(smith["owner"], false);
    assert_eq!(smith["signed_at"], Value::Null);
    assert_eq!(smith.as_object().unwrap().len(), 5, "{smith}");
    assert_eq!(signees[1]["email"], account.email.as_str());
    assert_eq!(signees[1]["owner"], true, "the user who made the document");
    assert_eq!(
        signees[1]["fullname"],
        account.email.split('@').next().unwrap(),
        "an address alone is named by its local part"
    );
    // The same certificate every time.
    let (_, again) = get(&auth, &format!("{base_url}/documents/{doc_id}")).await;
    assert_eq!(again["document"]["certificate_id"], certificate_id.as_str());

    // The notarization certificate works now and verifies, time-stamped.
    let server_url = app.url("/acronis");
    let link = format!("{server_url}/certificate/{certificate_id}");
    let (status, kind, pdf) = get_bytes(&auth, &link).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert_eq!(hex::encode(Sha256::digest(&pdf)), certificate_id);
    let text = String::from_utf8_lossy(&pdf).to_string();
    assert!(text.contains("%PDF"), "a PDF");
    let report = verified(&app, &account.api_key, pdf.clone()).await;
    assert_eq!(report["verdict"], "valid", "{report:#}");
    let seal = &report["signatures"][0];
    assert_eq!(seal["trusted"], true, "{seal}");
    assert!(
        seal["timestamp"]["valid"] == true,
        "a signature time-stamp: {seal}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = crate::support::validators::pdftotext(&path);
    assert!(
        text.contains(&hash),
        "the certificate states the hash: {text}"
    );
    let run = crate::trust::signet_cli(&app, &["verify".as_ref(), path.as_os_str()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // The signature certificate exists once everyone signed.
    let download = format!("{server_url}/doc/{doc_id}/download");
    let (status, _, body) = get_bytes(&auth, &download).await;
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_error(status, &body, (409, "not_completed"));
    for mail in app.smtp.messages() {
        let url = link_in(&mail.text_body().unwrap(), &app.base);
        let (status, body) = app.signer_post(&url, "complete", &typed_signing()).await;
        assert_eq!(status, 200, "{body}");
    }
    app.run_jobs_until_idle().await;
    let (status, body) = get(&auth, &format!("{base_url}/documents/{doc_id}")).await;
    assert_eq!(status, 200, "{body}");
    let document = &body["document"];
    assert_eq!(document["phase"], 2, "{document}");
    assert!(is_acronis_time(&document["signed_at"]), "{document}");
    assert!(
        document["signees"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| is_acronis_time(&s["signed_at"]))
    );
    assert_ne!(
        document["document_id"],
        hash.as_str(),
        "the sealed PDF's hash now"
    );
    assert_eq!(document["certificate_id"], certificate_id.as_str());
    let (status, kind, proof) = get_bytes(&auth, &download).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let envelope_id = document["envelope_id"].as_str().unwrap();
    let (_, native) = app
        .get_bytes(
            &account.api_key,
            &format!("/api/v1/envelopes/{envelope_id}/proof.pdf"),
        )
        .await;
    assert_eq!(proof, native, "the envelope's certificate of completion");
    let report = verified(&app, &account.api_key, proof).await;
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["envelope"]["file"], "proof");
    app.finish().await;
}

#[tokio::test]
async fn resend_mails_that_signee_the_invitation_again_with_the_working_link() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let auth = token_of(&app, &account.email).await;
    let signees = json!(["john.smith@example.com", "john.doe@example.com"]);
    let (_, doc_id) = sent_document(&app, &auth, signees).await;
    let base_url = base_url(&app);
    let invitations = app.smtp.messages();
    let (_, body) = get(&auth, &format!("{base_url}/documents/{doc_id}")).await;
    // Steps 9-11, as printed.
    let signee_id = body["document"]["signees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == "john.smith@example.com")
        .map(|s| s["id"].as_str().unwrap().to_string())
        .unwrap();
    let url = format!("{base_url}/documents/{doc_id}/signees/{signee_id}/resend");
    let (status, body) = post_empty(&auth, &url).await;
    assert_eq!((status, &body), (200, &json!({})));
    app.run_jobs_until_idle().await;

    let mails = app.smtp.messages();
    assert_eq!(mails.len(), invitations.len() + 1, "one more e-mail");
    let resent = mails.last().unwrap();
    assert_eq!(resent.recipients, ["john.smith@example.com"]);
    let first = invitations
        .iter()
        .find(|m| m.recipients == ["john.smith@example.com"])
        .unwrap();
    let link = link_in(&resent.text_body().unwrap(), &app.base);
    assert_eq!(link, link_in(&first.text_body().unwrap(), &app.base));
    let (status, session) = app.signer_get(&link).await;
    assert_eq!(status, 200, "the link works: {session}");

    // A signee not in the document, a malformed one, a document not in progress.
    let other = format!(
        "{base_url}/documents/{doc_id}/signees/{}/resend",
        uuid::Uuid::now_v7()
    );
    let (status, body) = post_empty(&auth, &other).await;
    assert_error(status, &body, (404, "not_found"));
    let other = format!("{base_url}/documents/{doc_id}/signees/None/resend");
    let (status, body) = post_empty(&auth, &other).await;
    assert_error(status, &body, (404, "not_found"));
    let (status, draft) = upload_to_sign(&app, &auth, "other.pdf", other_pdf()).await;
    assert_eq!(status, 201, "{draft}");
    let draft_id = draft["file"]["document_id"].as_str().unwrap();
    let url = format!("{base_url}/documents/{draft_id}/signees/{signee_id}/resend");
    let (status, body) = post_empty(&auth, &url).await;
    assert_error(status, &body, (409, "not_in_progress"));
    app.finish().await;
}

#[tokio::test]
async fn an_envelope_made_natively_is_reachable_by_its_documents_hash() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let key = &account.api_key;
    let (id, document) = app
        .draft_with_contract(key, json!({"title": "Native", "signing_order": "parallel"}))
        .await;
    let body = json!({"name": "Ann", "email": "ann@example.test",
                      "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, signer) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{signer}");
    let (status, _) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200);
    app.run_jobs_until_idle().await;

    let auth = token_of(&app, &account.email).await;
    let hash = hex::encode(Sha256::digest(contract_pdf()));
    let (status, body) = get(&auth, &format!("{}/documents/{hash}", base_url(&app))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["document"]["envelope_id"], id.as_str());
    assert_eq!(body["document"]["signees"][0]["id"], signer["id"]);
    let file_id = document["id"].as_str().unwrap();
    let (status, body) = get(&auth, &format!("{}/stored-files/{file_id}", base_url(&app))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["file"]["document_id"],
        hash.as_str(),
        "the native document id is the file id"
    );
    assert_eq!(body["file"]["name"], "contract.pdf");
    app.finish().await;
}

#[tokio::test]
async fn bad_ids_and_bad_uploads_get_the_dialects_errors() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let auth = token_of(&app, &account.email).await;
    let base_url = base_url(&app);
    for url in [
        format!("{base_url}/documents/not-a-hash"),
        format!("{base_url}/documents/{}", "ab".repeat(32)),
        format!("{base_url}/stored-files/aa95bac7-33fd-4faa-9fa1-f4baeaca82cd"),
        format!("{base_url}/stored-files/nope"),
    ] {
        let (status, body) = get(&auth, &url).await;
        assert_error(status, &body, (404, "not_found"));
    }
    for url in [
        app.url(&format!("/acronis/certificate/{}", "cd".repeat(32))),
        app.url(&format!("/acronis/doc/{}/download", "cd".repeat(32))),
    ] {
        let (status, _, body) = get_bytes(&auth, &url).await;
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_error(status, &body, (404, "not_found"));
    }
    let (status, body) = upload_to_sign(&app, &auth, "notes.txt", b"not a pdf".to_vec()).await;
    assert_error(status, &body, (415, "unsupported_media_type"));
    let response = reqwest::Client::new()
        .post(format!("{base_url}/stored-files/sign"))
        .header("authorization", bearer(&auth))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_json(response).await;
    assert_error(status, &body, (415, "unsupported_media_type"));
    let (status, body) = upload_to_sign(&app, &auth, "contract.pdf", contract_pdf()).await;
    assert_eq!(status, 201, "{body}");
    let doc_id = body["file"]["document_id"].as_str().unwrap();
    let (status, body) = invite(&app, &auth, doc_id, json!([{"fullname": "No address"}])).await;
    assert_error(status, &body, (400, "invalid_body"));
    let (status, body) = invite(&app, &auth, doc_id, json!(["not an address"])).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["domain"], "Notary");
    let (status, body) = invite(&app, &auth, doc_id, json!([])).await;
    assert_error(status, &body, (422, "no_signers"));
    app.finish().await;
}
