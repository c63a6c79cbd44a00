//! Uploads and recipients: bad input gets a clear error and leaves nothing behind.

use std::path::Path;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::app::typed_signing;
use crate::support::{TestApp, fixtures};

/// Committed blobs under the data folder (staging files excluded).
fn blob_count(root: &Path) -> usize {
    blobs_named(root, |_| true)
}

/// Committed blobs whose file name passes `wanted`.
fn blobs_named(root: &Path, wanted: impl Fn(&str) -> bool + Copy) -> usize {
    fn walk(dir: &Path, wanted: impl Fn(&str) -> bool + Copy) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    let path = e.path();
                    let name = e.file_name().to_string_lossy().into_owned();
                    if name == ".staging" {
                        0
                    } else if path.is_dir() {
                        walk(&path, wanted)
                    } else {
                        usize::from(wanted(&name))
                    }
                })
                .sum()
        })
    }
    walk(&root.join("blobs"), wanted)
}

#[tokio::test]
async fn rejected_uploads_get_415_413_or_422_and_store_nothing() {
    // Conversion off, as on a server without LibreOffice.
    let app = TestApp::spawn_with(|config| config.soffice = Some("none".into())).await;
    let account = app.account("A").await;
    let key = &account.api_key;
    let (status, envelope) = app
        .post_json(key, "/api/v1/envelopes", &json!({"title": "Uploads"}))
        .await;
    assert_eq!(status, 201);
    let id = envelope["id"].as_str().unwrap();

    let mut oversized = b"%PDF-1.7\n".to_vec();
    oversized.resize(6 * 1024 * 1024, b'0');
    let mut truncated = fixtures::contract_pdf();
    truncated.truncate(truncated.len() / 3);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "not-a-pdf.pdf",
            fixtures::tiny_png(),
            415,
            "unsupported_media_type",
        ),
        (
            "contract.docx",
            fixtures::contract_docx(),
            415,
            "conversion_unavailable",
        ),
        ("empty.pdf", Vec::new(), 415, "unsupported_media_type"),
        ("huge.pdf", oversized, 413, "payload_too_large"),
        (
            "garbage.pdf",
            b"%PDF-1.7\nthis is not a pdf body at all".to_vec(),
            422,
            "pdf_damaged",
        ),
        ("truncated.pdf", truncated, 422, "pdf_damaged"),
        (
            "encrypted.pdf",
            encrypted_contract(&app.data_path()),
            422,
            "pdf_encrypted",
        ),
        ("presigned.pdf", presigned(), 422, "pdf_already_signed"),
        (
            "scripted.pdf",
            scripted_contract(&app.data_path()),
            422,
            "pdf_active_content",
        ),
    ];
    for (name, bytes, status, code) in cases {
        let (got, body) = app.upload(key, id, name, bytes).await;
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{name}: {body}"
        );
    }
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(
        envelope["documents"].as_array().unwrap().len(),
        0,
        "no document rows"
    );
    assert_eq!(blob_count(&app.data_path()), 0, "no blobs");
    let (_, events) = app
        .get_json(key, &format!("/api/v1/envelopes/{id}/events"))
        .await;
    assert_eq!(
        events["data"].as_array().unwrap().len(),
        1,
        "only envelope_created"
    );
    app.finish().await;
}

/// The PDF limits are settings: a server that takes one page refuses two and keeps nothing.
/// (The read-time limit shares `within` with verification, whose limit the verify tests
/// check; a zero limit on a 2-page upload races the read, so it is not tested here.)
#[tokio::test]
async fn pdf_limits_are_configurable() {
    let app = TestApp::spawn_with(|config| config.pdf_max_pages = 1).await;
    let account = app.account("A").await;
    let key = &account.api_key;
    let (_, envelope) = app
        .post_json(key, "/api/v1/envelopes", &json!({"title": "Limits"}))
        .await;
    let id = envelope["id"].as_str().unwrap();
    let (status, body) = app
        .upload(key, id, "contract.pdf", fixtures::contract_pdf())
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("pdf_limit_exceeded")),
        "{body}"
    );
    assert_eq!(blob_count(&app.data_path()), 0);
    app.finish().await;
}

/// DOC and DOCX uploads become the PDF that is signed; the upload is kept as evidence; what
/// LibreOffice cannot convert gets 422 and leaves nothing behind. Needs LibreOffice
/// (`./scripts/test` installs it).
#[tokio::test]
async fn word_documents_are_converted_and_the_upload_is_kept() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let key = &account.api_key;
    let (_, envelope) = app
        .post_json(key, "/api/v1/envelopes", &json!({"title": "Word"}))
        .await;
    let id = envelope["id"].as_str().unwrap();
    let word = [
        (
            "contract.docx",
            fixtures::contract_docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "contract.doc",
            fixtures::contract_doc(),
            "application/msword",
        ),
    ];
    for (name, bytes, media_type) in word.clone() {
        let (status, document) = app.upload(key, id, name, bytes.clone()).await;
        assert_eq!(
            status, 201,
            "{name} (is LibreOffice installed?): {document}"
        );
        let source = &document["converted_from"];
        assert_eq!(source["media_type"], media_type, "{document}");
        assert_eq!(source["sha256"], hex::encode(Sha256::digest(&bytes)));
        assert_eq!(source["size"], bytes.len());
        assert_ne!(
            document["sha256"], source["sha256"],
            "the PDF is a new file"
        );
        assert_eq!(document["pages"], 1);
        let tags: Vec<&str> = document["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(tags, ["signature_1", "date_1"], "{name}: {document}");
    }
    assert_eq!(blob_count(&app.data_path()), 4, "two uploads and two PDFs");
    let (status, body) = app
        .upload(
            key,
            id,
            "broken.docx",
            b"PK\x03\x04 not a zip at all".to_vec(),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("conversion_failed")),
        "{body}"
    );
    assert_eq!(
        blob_count(&app.data_path()),
        4,
        "nothing of the broken upload is kept"
    );
    let events = app.events_of(key, id, "document_added").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["data"]["converted_from"]["media_type"], word[0].2);

    // A converted document is signed like any PDF.
    let (_, envelope) = app
        .post_json(key, "/api/v1/envelopes", &json!({"title": "Word, signed"}))
        .await;
    let id = envelope["id"].as_str().unwrap();
    let (status, _) = app
        .upload(key, id, "contract.docx", fixtures::contract_docx())
        .await;
    assert_eq!(status, 201);
    let body = json!({
        "name": "Wanda Word", "email": "wanda@example.test", "invitation": "link",
        "fields": [{"type": "signature", "tag": "signature_1"}, {"type": "date", "tag": "date_1"}],
    });
    let (status, signer) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{signer}");
    let (status, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    let url = sent["signers"][0]["sign_url"].as_str().unwrap();
    let (status, body) = app.signer_post(url, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");
    let scratch = blobs_named(&app.data_path(), |name| name.starts_with("revision-"));
    assert_eq!(
        scratch, 0,
        "intermediate revisions are deleted after sealing"
    );
    let (status, proof) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/proof.pdf"))
        .await;
    assert_eq!(status, 200);
    let proof_path = app.data_path().join("word-proof.pdf");
    std::fs::write(&proof_path, proof).unwrap();
    let text = crate::support::validators::pdftotext(&proof_path);
    let upload_hash = hex::encode(Sha256::digest(fixtures::contract_docx()));
    assert!(
        text.split_whitespace()
            .collect::<String>()
            .contains(&upload_hash),
        "the proof names the uploaded file's hash: {text}"
    );
    app.finish().await;
}

/// A PDF someone else already signed (the engine's pyHanko-signed fixture).
fn presigned() -> Vec<u8> {
    include_bytes!("../../../signet-pdf/tests/fixtures/pyhanko_signed.pdf").to_vec()
}

/// The contract with JavaScript run when it opens (an update made with pyHanko's writer).
fn scripted_contract(dir: &Path) -> Vec<u8> {
    let (plain, scripted) = (dir.join("plain-js.pdf"), dir.join("scripted.pdf"));
    std::fs::write(&plain, fixtures::contract_pdf()).unwrap();
    let script = "import sys\n\
        from io import BytesIO\n\
        from pyhanko.pdf_utils import generic\n\
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter\n\
        w = IncrementalPdfFileWriter(BytesIO(open(sys.argv[1], 'rb').read()))\n\
        w.root['/OpenAction'] = generic.DictionaryObject({\n\
            generic.NameObject('/S'): generic.NameObject('/JavaScript'),\n\
            generic.NameObject('/JS'): generic.TextStringObject('app.alert(1)')})\n\
        w.update_root()\n\
        out = BytesIO()\n\
        w.write(out)\n\
        open(sys.argv[2], 'wb').write(out.getvalue())\n";
    let python = crate::support::validators::pyhanko().with_file_name("python");
    let status = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&plain)
        .arg(&scripted)
        .status()
        .expect("pyHanko's Python is needed to make a scripted fixture; run ./scripts/test");
    assert!(status.success());
    std::fs::read(scripted).unwrap()
}

fn encrypted_contract(dir: &Path) -> Vec<u8> {
    let (plain, locked) = (dir.join("plain.pdf"), dir.join("locked.pdf"));
    std::fs::write(&plain, fixtures::contract_pdf()).unwrap();
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "user-pw", "owner-pw", "256", "--"])
        .arg(&plain)
        .arg(&locked)
        .status()
        .expect("qpdf is needed to make an encrypted fixture; run ./scripts/test");
    assert!(status.success());
    std::fs::read(locked).unwrap()
}

#[tokio::test]
async fn hostile_file_names_are_kept_as_metadata_only() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (status, envelope) = app
        .post_json(
            &account.api_key,
            "/api/v1/envelopes",
            &json!({"title": "Names"}),
        )
        .await;
    assert_eq!(status, 201);
    let id = envelope["id"].as_str().unwrap();
    let (status, document) = app
        .upload(
            &account.api_key,
            id,
            "../../../../tmp/pwn.pdf",
            fixtures::contract_pdf(),
        )
        .await;
    assert_eq!(status, 201, "{document}");
    assert_eq!(document["filename"], "pwn.pdf");
    assert!(!Path::new("/tmp/pwn.pdf").exists());
    let response = app
        .client
        .get(app.url(&format!(
            "/api/v1/envelopes/{id}/documents/{}/original.pdf",
            document["id"].as_str().unwrap()
        )))
        .header("authorization", format!("Bearer {}", account.api_key))
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"pwn.pdf\"")
    );
    assert_eq!(
        response.bytes().await.unwrap().to_vec(),
        fixtures::contract_pdf()
    );
    app.finish().await;
}

#[tokio::test]
async fn signers_need_tags_that_exist_and_boxes_inside_the_page() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let key = &account.api_key;
    let (id, document) = app
        .draft_with_contract(key, json!({"title": "Fields"}))
        .await;
    let doc = document["id"].as_str().unwrap();
    let path = format!("/api/v1/envelopes/{id}/signers");
    let field =
        |f: serde_json::Value| json!({"name": "A", "email": "a@example.test", "fields": [f]});
    let cases = [
        (
            field(json!({"type": "signature", "tag": "signature_9"})),
            "unknown_tag",
            Some("{{signature_9}}"),
        ),
        (
            field(
                json!({"type": "signature", "document_id": doc, "page": 1, "x": 500, "y": 800, "width": 200, "height": 80}),
            ),
            "field_outside_page",
            None,
        ),
        (
            field(
                json!({"type": "signature", "document_id": doc, "page": 3, "x": 10, "y": 10, "width": 20, "height": 20}),
            ),
            "invalid_page",
            None,
        ),
        (
            field(
                json!({"type": "signature", "document_id": uuid::Uuid::new_v4(), "page": 1, "x": 10, "y": 10, "width": 20, "height": 20}),
            ),
            "unknown_document",
            None,
        ),
        (
            field(json!({"type": "signature", "tag": "signature_1", "page": 1})),
            "invalid_field",
            None,
        ),
        (
            json!({"name": "A", "email": "not-an-address"}),
            "invalid_email",
            None,
        ),
        (
            json!({"name": "A", "email": "a@example.test", "role": "cc", "fields": [{"type": "text", "tag": "text_1"}]}),
            "cc_with_fields",
            None,
        ),
    ];
    for (body, code, mention) in cases {
        let (status, err) = app.post_json(key, &path, &body).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (422, Some(code)),
            "{body}"
        );
        if let Some(text) = mention {
            assert!(
                err["error"]["message"].as_str().unwrap().contains(text),
                "{err}"
            );
        }
    }
    let (status, _) = app
        .post_json(
            key,
            &path,
            &json!({"name": "Approver", "email": "b@example.test", "role": "approver"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .post_json(
            key,
            &path,
            &json!({"name": "No Fields", "email": "c@example.test"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, err) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("signer_without_signature_field"))
    );
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["signers"].as_array().unwrap().len(), 2);
    assert_eq!(envelope["status"], "draft");
    app.finish().await;
}

#[tokio::test]
async fn a_sent_envelope_takes_no_more_documents_or_signers() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, _) = app.sent_envelope(&account.api_key, "parallel", 1).await;
    let (status, body) = app
        .upload(&account.api_key, &id, "late.pdf", fixtures::contract_pdf())
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("envelope_not_draft"))
    );
    let (status, _) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/signers"),
            &json!({"name": "Late", "email": "l@example.test"}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/send"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 409);
    app.finish().await;
}
