//! Every route of the dialect across accounts: account A's token on account B's objects gets
//! the dialect's 404 and leaves them as they were.

use serde_json::{Value, json};

use super::*;
use crate::support::TestApp;
use crate::support::fixtures::contract_pdf;

/// B's file: the contract with a byte more, so no document of A has its hash.
fn b_pdf() -> Vec<u8> {
    let mut pdf = contract_pdf();
    pdf.extend_from_slice(b"\n\n");
    pdf
}

#[tokio::test]
async fn one_accounts_token_reaches_nothing_of_another_account() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.account("A").await, app.account("B").await);
    let (token_a, token_b) = (
        token_of(&app, &a.email).await,
        token_of(&app, &b.email).await,
    );
    let base_url = base_url(&app);

    // B: one document in progress, one draft.
    let (status, body) = upload_to_sign(&app, &token_b, "b.pdf", b_pdf()).await;
    assert_eq!(status, 201, "{body}");
    let b_file = body["file"]["id"].as_str().unwrap().to_string();
    let b_doc = body["file"]["document_id"].as_str().unwrap().to_string();
    let (status, body) = invite(&app, &token_b, &b_doc, json!(["bee@example.test"])).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    let b_signee = body["document"]["signees"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b_certificate = body["document"]["certificate_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut draft = contract_pdf();
    draft.extend_from_slice(b"\n\n\n");
    let (status, body) = upload_to_sign(&app, &token_b, "draft.pdf", draft).await;
    assert_eq!(status, 201, "{body}");
    let b_draft = body["file"]["document_id"].as_str().unwrap().to_string();
    let mails = app.smtp.messages().len();

    // GET /api/1/accounts: nothing account-specific, the same for both logins.
    let lookup = |login: String| {
        let url = app.url("/acronis/api/1/accounts");
        async move {
            let response = reqwest::Client::new()
                .get(url)
                .query(&[("login", login)])
                .send()
                .await
                .unwrap();
            status_and_json(response).await
        }
    };
    assert_eq!(lookup(a.email.clone()).await, lookup(b.email.clone()).await);
    // POST /api/2/idp/token: a login with a password not its own gets nothing; each token
    // acts in its own user's account only.
    let (status, body) = password_grant(&app, &a.email, "B's password").await;
    assert_eq!((status, &body["error"]), (400, &json!("invalid_grant")));
    assert_ne!(token_a, token_b);
    let (_, me) = app.get_json(&token_a, "/api/v1/account").await;
    assert_eq!(me["id"], a.account_id.as_str());
    let (_, me) = app.get_json(&token_b, "/api/v1/account").await;
    assert_eq!(me["id"], b.account_id.as_str());

    let not_found = |(status, body): (u16, Value)| assert_error(status, &body, (404, "not_found"));
    // GET stored-files/{file_id}, GET documents/{doc_id}.
    not_found(get(&token_a, &format!("{base_url}/stored-files/{b_file}")).await);
    not_found(get(&token_a, &format!("{base_url}/documents/{b_doc}")).await);
    // POST documents/{doc_id}/signees on B's draft: refused, the draft unchanged.
    not_found(invite(&app, &token_a, &b_draft, json!(["intruder@example.test"])).await);
    let (_, draft) = get(&token_b, &format!("{base_url}/documents/{b_draft}")).await;
    assert_eq!(
        (&draft["document"]["phase"], &draft["document"]["signees"]),
        (&json!(0), &json!([]))
    );
    // POST .../resend: refused, no e-mail.
    let resend = format!("{base_url}/documents/{b_doc}/signees/{b_signee}/resend");
    not_found(post_empty(&token_a, &resend).await);
    app.run_jobs_until_idle().await;
    assert_eq!(app.smtp.messages().len(), mails);
    // The links.
    for url in [
        app.url(&format!("/acronis/doc/{b_doc}/download")),
        app.url(&format!("/acronis/certificate/{b_certificate}")),
    ] {
        let (status, _, body) = get_bytes(&token_a, &url).await;
        not_found((status, serde_json::from_slice(&body).unwrap()));
        let (status, _, _) = get_bytes(&token_b, &url).await;
        assert_ne!(status, 404, "B reaches its own: {url}");
    }
    // POST stored-files/sign: A's upload of B's very file is A's own document; B's stays B's.
    let (status, body) = upload_to_sign(&app, &token_a, "copy.pdf", b_pdf()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["file"]["document_id"], b_doc.as_str(), "the same hash");
    assert_ne!(body["file"]["id"], b_file.as_str());
    assert_eq!(
        body["file"]["document"]["signees"],
        json!([]),
        "nothing of B's"
    );
    assert_ne!(
        body["file"]["document"]["certificate_id"],
        b_certificate.as_str()
    );
    let (_, theirs) = get(&token_b, &format!("{base_url}/documents/{b_doc}")).await;
    assert_eq!(theirs["document"]["signees"][0]["id"], b_signee.as_str());
    app.finish().await;
}
