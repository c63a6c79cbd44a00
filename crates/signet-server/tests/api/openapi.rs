//! The OpenAPI document is served, is 3.1, and documents every API route.

use crate::support::TestApp;

#[tokio::test]
async fn the_openapi_document_describes_every_route_of_the_native_api() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/api/v1/account", &["get", "patch"][..]),
        ("/api/v1/api-keys", &["get", "post"]),
        ("/api/v1/api-keys/{id}", &["delete"]),
        ("/api/v1/personal-access-tokens", &["get", "post"]),
        ("/api/v1/personal-access-tokens/{id}", &["delete"]),
        ("/api/v1/users", &["get", "post"]),
        ("/api/v1/users/{id}/disable", &["post"]),
        ("/api/v1/envelopes", &["get", "post"]),
        ("/api/v1/envelopes/{id}", &["get", "delete", "patch"]),
        ("/api/v1/envelopes/{id}/documents", &["post"]),
        ("/api/v1/envelopes/{id}/signers", &["post"]),
        ("/api/v1/envelopes/{id}/send", &["post"]),
        ("/api/v1/envelopes/{id}/remind", &["post"]),
        ("/api/v1/envelopes/{id}/cancel", &["post"]),
        ("/api/v1/envelopes/{id}/reactivate", &["post"]),
        ("/api/v1/envelopes/{id}/events", &["get"]),
        ("/api/v1/envelopes/{id}/events/verify", &["get"]),
        ("/api/v1/envelopes/{id}/signed.pdf", &["get"]),
        ("/api/v1/envelopes/{id}/proof.pdf", &["get"]),
        (
            "/api/v1/envelopes/{id}/documents/{document_id}/signed.pdf",
            &["get"],
        ),
        (
            "/api/v1/envelopes/{id}/documents/{document_id}/original.pdf",
            &["get"],
        ),
        ("/api/v1/signing/{token}", &["get"]),
        ("/api/v1/signing/{token}/documents/{document_id}", &["get"]),
        ("/api/v1/signing/{token}/complete", &["post"]),
        ("/api/v1/signing/{token}/decline", &["post"]),
        ("/api/v1/trust/ca.pem", &["get"]),
        ("/api/v1/trust/root.crl", &["get"]),
        ("/api/v1/verify", &["post"]),
        ("/api/v1/openapi.json", &["get"]),
        ("/api/v1/oauth/clients", &["get", "post"]),
        ("/api/v1/oauth/clients/{id}", &["get", "delete"]),
        ("/oauth/token", &["post"]),
        ("/stiply/oauth/token", &["post"]),
        ("/oauth/revoke", &["post"]),
        ("/.well-known/oauth-authorization-server", &["get"]),
        ("/api/v1/webhooks", &["get", "post"]),
        ("/api/v1/webhooks/{id}", &["get", "patch", "delete"]),
        ("/api/v1/webhooks/{id}/secret/rotate", &["post"]),
        ("/api/v1/webhooks/{id}/deliveries", &["get"]),
        ("/api/v1/webhooks/{id}/deliveries/{delivery_id}", &["get"]),
        (
            "/api/v1/webhooks/{id}/deliveries/{delivery_id}/resend",
            &["post"],
        ),
        ("/api/v1/admin/jobs", &["get"]),
        ("/api/v1/admin/jobs/{id}/retry", &["post"]),
        ("/api/v1/signing/{token}/otp", &["post"]),
        ("/api/v1/signing/{token}/otp/verify", &["post"]),
    ];
    assert_eq!(
        paths.len(),
        expected.len(),
        "documented paths: {:?}",
        paths.keys().collect::<Vec<_>>()
    );
    for (path, methods) in expected {
        let item = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not documented"));
        for method in methods {
            let op = &item[*method];
            assert!(op.is_object(), "{method} {path} is not documented");
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
        }
    }
    for schema in [
        "EnvelopeResponse",
        "CreateEnvelopeRequest",
        "CreateSignerRequest",
        "CompleteSigningRequest",
        "ErrorBody",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema} missing"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    app.finish().await;
}
