//! Signing tokens reach only their own envelope, and a completed envelope's link signs no more.

use serde_json::json;

use super::request::{assert_no_markers, call, phantom};
use super::routes::{self, API_ROUTES, Access, Body, PAGE_ROUTES};
use super::world::{Target, World};
use crate::support::TestApp;
use crate::support::app::{token_of, typed_signing};

#[tokio::test]
async fn a_signing_token_reaches_only_its_own_envelope() {
    let app = TestApp::spawn().await;
    let b = World::build(&app, "Beta").await;
    let before = b.snapshot(&app).await;
    // The completed envelope's link, aimed at the envelope in progress: it reads nothing of it
    // and, its own envelope being done, signs nothing any more.
    let own = b.envelope_markers(&app, &b.completed).await;
    let foreign: Vec<String> = b
        .envelope_markers(&app, &b.in_progress)
        .await
        .into_iter()
        .filter(|m| !own.contains(m))
        .collect();
    let token = token_of(&b.completed_url).to_string();
    let signing_routes = API_ROUTES
        .iter()
        .map(|c| (c.method, c.path, c.body, c.access))
        .chain(PAGE_ROUTES.iter().map(|r| {
            (
                r.method,
                r.path,
                routes::none as fn(&World, &Target) -> Body,
                r.access,
            )
        }))
        .filter(|(_, _, _, access)| matches!(access, Access::SigningToken))
        .map(|(method, path, body, _)| (method, path, body));
    for (method, template, body) in signing_routes {
        let what = format!("{method} {template} with the completed envelope's token");
        let path = template
            .replace("{token}", &token)
            .replace("{document_id}", &b.in_progress.document_id);
        let reply = call(&app, method, &path, None, body(&b, &b.in_progress)).await;
        let expected = match (method, template.contains("{document_id}")) {
            (_, true) => 404,
            // That signer has no identity provider: 409 identity_not_needed.
            _ if template.ends_with("/oidc/start") => 409,
            ("POST", _) => 409,
            _ => 200,
        };
        assert_eq!(reply.status, expected, "{what}: {}", reply.text);
        assert_no_markers(&reply, &foreign, &what);
    }
    let (_, envelope) = app
        .get_json(
            &b.account.api_key,
            &format!("/api/v1/envelopes/{}", b.completed.id),
        )
        .await;
    assert_eq!(envelope["status"], "completed");

    // A pending signer of another envelope cannot fill the pending signer's field here.
    let (_, urls) = app.sent_envelope(&b.account.api_key, "parallel", 1).await;
    let mut body = typed_signing();
    body["fields"] = json!({ b.pending_text_field.clone(): "hijacked" });
    let (status, reply) = app.signer_post(&urls[0], "complete", &body).await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (422, Some("unknown_field")),
        "{reply}"
    );
    let (_, session) = app.signer_get(&urls[0]).await;
    assert_eq!(
        session["signer"]["status"], "pending",
        "the refused attempt signed nothing"
    );

    // The pending signer's token on the other envelopes' documents: exactly like a missing one.
    let pending = token_of(&b.pending_url).to_string();
    let document = |id: &str| format!("/api/v1/signing/{pending}/documents/{id}");
    let missing = call(
        &app,
        "GET",
        &document(&phantom().document_id),
        None,
        Body::None,
    )
    .await;
    assert_eq!((missing.status, missing.code()), (404, Some("not_found")));
    for target in [&b.completed, &b.draft] {
        let reply = call(
            &app,
            "GET",
            &document(&target.document_id),
            None,
            Body::None,
        )
        .await;
        assert_eq!(
            (reply.status, &reply.text),
            (missing.status, &missing.text),
            "another envelope's document must look exactly like a missing one"
        );
    }

    // Signing tokens and API keys are not interchangeable.
    let as_key = call(&app, "GET", "/api/v1/envelopes", Some(&pending), Body::None).await;
    assert_eq!(
        (as_key.status, as_key.code()),
        (401, Some("unauthenticated"))
    );
    let as_token = call(
        &app,
        "GET",
        &format!("/api/v1/signing/{}", b.account.api_key),
        None,
        Body::None,
    )
    .await;
    assert_eq!((as_token.status, as_token.code()), (404, Some("not_found")));

    assert_eq!(
        before,
        b.snapshot(&app).await,
        "B's envelopes are unchanged"
    );
    let (status, _) = app.signer_post(&urls[0], "decline", &json!({})).await;
    assert_eq!(status, 200);
    app.run_jobs_until_idle().await;
    b.revive_dead_job(&app).await;
    app.finish().await;
}
