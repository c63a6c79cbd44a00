//! OAuth2 clients are isolated per account: one account's client can neither exchange,
//! refresh nor revoke another account's codes and tokens, and its own tokens reach only its
//! own account's envelopes.

use serde_json::json;

use crate::oauth::{code_for, exchange, list_status, register, token};
use crate::support::TestApp;

#[tokio::test]
async fn one_accounts_client_cannot_use_or_revoke_another_accounts_codes_and_tokens() {
    let app = TestApp::spawn().await;
    let a = app.account("Alpha").await;
    let b = app.account("Beta").await;
    let (a_id, a_secret) = register(&app, &a, json!({"name": "Alpha app"})).await;
    let (b_id, b_secret) = register(&app, &b, json!({"name": "Beta app"})).await;

    let stolen = code_for(&app, &b, &b_id).await;
    let (status, reply) = exchange(&app, &a_id, &a_secret, &stolen).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (400, Some("invalid_grant")),
        "{reply}"
    );

    let code = code_for(&app, &b, &b_id).await;
    let (status, tokens) = exchange(&app, &b_id, &b_secret, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();

    let (status, reply) = refresh_with(&app, refresh, &a_id, &a_secret).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (400, Some("invalid_grant")),
        "{reply}"
    );

    for victim in [access, refresh] {
        let response = app
            .client
            .post(app.url("/oauth/revoke"))
            .form(&[
                ("token", victim),
                ("client_id", &a_id),
                ("client_secret", &a_secret),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            200,
            "RFC 7009: the answer reveals nothing"
        );
    }
    assert_eq!(
        list_status(&app, access).await,
        200,
        "B's access token still works"
    );
    let (status, reply) = refresh_with(&app, refresh, &b_id, &b_secret).await;
    assert_eq!(status, 200, "B's refresh token still works: {reply}");

    let (status, envelope) = app
        .post_json(
            &b.api_key,
            "/api/v1/envelopes",
            &json!({"title": "Beta only"}),
        )
        .await;
    assert_eq!(status, 201, "{envelope}");
    let (status, reply) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &a_id),
            ("client_secret", &a_secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let a_token = reply["access_token"].as_str().unwrap();
    let path = format!("/api/v1/envelopes/{}", envelope["id"].as_str().unwrap());
    let (status, reply) = app.get_json(a_token, &path).await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (_, list) = app.get_json(a_token, "/api/v1/envelopes").await;
    assert!(!list.to_string().contains("Beta only"), "{list}");
    app.finish().await;
}

async fn refresh_with(
    app: &TestApp,
    refresh: &str,
    client_id: &str,
    secret: &str,
) -> (u16, serde_json::Value) {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh),
        ("client_id", client_id),
        ("client_secret", secret),
    ];
    token(app, &form).await
}
