//! API keys and personal access tokens: scopes limit what they may do, members make only their
//! own tokens and never more than they hold, expiry and revocation end them, their text is
//! shown once, and another account's credentials are not found.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::support::TestApp;
use crate::support::credential::{call, create_api_key, create_user, personal_token_of};

async fn status(app: &TestApp, method: Method, key: &str, path: &str) -> u16 {
    call(app, method, key, path, Value::Null).await.0
}

#[tokio::test]
async fn a_read_only_key_reads_but_every_write_is_refused_with_insufficient_scope() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (envelope, _) = app
        .draft_with_contract(&account.api_key, json!({"title": "Kept"}))
        .await;
    let created = create_api_key(
        &app,
        &account.api_key,
        json!({"name": "reporting", "scopes": ["read"]}),
    )
    .await;
    let key = created["key"].as_str().unwrap();
    assert!(key.starts_with("sk_"), "{created}");
    assert_eq!(created["scopes"], json!(["read"]));
    assert!(key.starts_with(created["prefix"].as_str().unwrap()));

    let (status, list) = app.get_json(key, "/api/v1/envelopes").await;
    assert_eq!((status, list["data"].as_array().unwrap().len()), (200, 1));
    let writes = [
        (
            Method::POST,
            "/api/v1/envelopes".to_string(),
            json!({"title": "x"}),
        ),
        (
            Method::PATCH,
            "/api/v1/account".into(),
            json!({"pades_level": "B-T"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/envelopes/{envelope}"),
            Value::Null,
        ),
        (
            Method::POST,
            "/api/v1/personal-access-tokens".into(),
            json!({"name": "x"}),
        ),
    ];
    for (method, path, body) in writes {
        let (status, body, challenge) = call(&app, method.clone(), key, &path, body).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("insufficient_scope")),
            "{method} {path}"
        );
        assert_eq!(
            challenge.as_deref(),
            Some("Bearer error=\"insufficient_scope\"")
        );
    }
    let (status, _) = app
        .get_json(&account.api_key, &format!("/api/v1/envelopes/{envelope}"))
        .await;
    assert_eq!(status, 200, "the refused DELETE deleted nothing");
    let (_, tokens) = app
        .get_json(&account.api_key, "/api/v1/personal-access-tokens")
        .await;
    assert_eq!(tokens["data"], json!([]), "the refused POST made no token");
    for scopes in [json!(["root"]), json!([]), json!(["read write"])] {
        let body = json!({"name": "x", "scopes": scopes});
        let (status, error) = app
            .post_json(&account.api_key, "/api/v1/api-keys", &body)
            .await;
        assert_eq!(
            (status, error["error"]["code"].as_str()),
            (422, Some("invalid_scope")),
            "{scopes}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn members_make_their_own_tokens_but_no_api_keys_and_never_more_than_they_hold() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let member = create_user(&app, &account.api_key, "member").await;
    let login = personal_token_of(&app, &account.account_id, &member).await;
    assert!(login.starts_with("pat_"));

    for (method, path, body) in [
        (Method::POST, "/api/v1/api-keys", json!({"name": "mine"})),
        (Method::GET, "/api/v1/api-keys", Value::Null),
        (Method::GET, "/api/v1/users", Value::Null),
    ] {
        let (status, body, _) = call(&app, method, &login, path, body).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("insufficient_scope")),
            "{path}"
        );
    }
    let (status, body) = app
        .post_json(
            &login,
            "/api/v1/personal-access-tokens",
            &json!({"name": "ci", "scopes": ["read", "admin"]}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_scope"))
    );
    let (status, token) = app
        .post_json(
            &login,
            "/api/v1/personal-access-tokens",
            &json!({"name": "ci"}),
        )
        .await;
    assert_eq!(status, 201, "{token}");
    assert_eq!(token["scopes"], json!(["read", "write"]));
    assert_eq!(token["created_by"], member.as_str());
    let expires = time::OffsetDateTime::parse(
        token["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let ttl = expires - app.clock_now();
    assert!(ttl > Duration::days(30) - Duration::minutes(1) && ttl <= Duration::days(30));
    let pat = token["key"].as_str().unwrap();
    let (status, _) = app
        .post_json(pat, "/api/v1/envelopes", &json!({"title": "By PAT"}))
        .await;
    assert_eq!(status, 201, "a PAT is a Bearer credential like an API key");

    // The owner's tokens are not the member's, and the member cannot revoke them.
    let (_, owners) = app
        .post_json(
            &account.api_key,
            "/api/v1/personal-access-tokens",
            &json!({"name": "own"}),
        )
        .await;
    let (_, mine) = app.get_json(pat, "/api/v1/personal-access-tokens").await;
    let names: Vec<_> = mine["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("login"), json!("ci")]);
    assert!(
        !mine.to_string().contains(pat),
        "the list never shows a secret"
    );
    let owners_path = format!(
        "/api/v1/personal-access-tokens/{}",
        owners["id"].as_str().unwrap()
    );
    assert_eq!(status_of_delete(&app, pat, &owners_path).await, 404);
    assert_eq!(
        app.get_json(owners["key"].as_str().unwrap(), "/api/v1/envelopes")
            .await
            .0,
        200
    );
    // An admin may revoke a member's token.
    let pat_path = format!(
        "/api/v1/personal-access-tokens/{}",
        token["id"].as_str().unwrap()
    );
    assert_eq!(
        status_of_delete(&app, &account.api_key, &pat_path).await,
        204
    );
    assert_eq!(app.get_json(pat, "/api/v1/envelopes").await.0, 401);
    app.finish().await;
}

async fn status_of_delete(app: &TestApp, key: &str, path: &str) -> u16 {
    status(app, Method::DELETE, key, path).await
}

#[tokio::test]
async fn expired_and_revoked_keys_and_tokens_get_401_and_revoking_twice_succeeds() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let soon = signet_core::time::rfc3339(app.clock_now() + Duration::hours(1));
    let short = create_api_key(
        &app,
        &account.api_key,
        json!({"name": "short", "expires_at": soon}),
    )
    .await;
    let lasting = create_api_key(&app, &account.api_key, json!({"name": "lasting"})).await;
    let (_, pat) = app
        .post_json(
            &account.api_key,
            "/api/v1/personal-access-tokens",
            &json!({"name": "pat"}),
        )
        .await;
    let past = signet_core::time::rfc3339(app.clock_now() - Duration::hours(1));
    let (status, body) = app
        .post_json(
            &account.api_key,
            "/api/v1/api-keys",
            &json!({"name": "x", "expires_at": past}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_expiry"))
    );
    let text = |v: &Value| v["key"].as_str().unwrap().to_string();
    let (short_key, lasting_key, pat_key) = (text(&short), text(&lasting), text(&pat));
    for key in [&short_key, &lasting_key, &pat_key] {
        assert_eq!(app.get_json(key, "/api/v1/envelopes").await.0, 200);
    }

    app.clock.advance(Duration::hours(2));
    assert_eq!(app.get_json(&short_key, "/api/v1/envelopes").await.0, 401);
    assert_eq!(app.get_json(&pat_key, "/api/v1/envelopes").await.0, 200);
    app.clock.advance(Duration::days(30));
    assert_eq!(
        app.get_json(&pat_key, "/api/v1/envelopes").await.0,
        401,
        "a PAT lasts 30 days"
    );

    let path = format!("/api/v1/api-keys/{}", lasting["id"].as_str().unwrap());
    assert_eq!(status_of_delete(&app, &account.api_key, &path).await, 204);
    let (status, body, challenge) = call(
        &app,
        Method::GET,
        &lasting_key,
        "/api/v1/envelopes",
        Value::Null,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    assert_eq!(challenge.as_deref(), Some("Bearer"));
    let (_, listed) = app.get_json(&account.api_key, "/api/v1/api-keys").await;
    let revoked_at = listed["data"][2]["revoked_at"].clone();
    assert!(revoked_at.is_string(), "{listed}");
    app.clock.advance(Duration::minutes(5));
    assert_eq!(
        status_of_delete(&app, &account.api_key, &path).await,
        204,
        "idempotent"
    );
    let (_, listed) = app.get_json(&account.api_key, "/api/v1/api-keys").await;
    assert_eq!(
        listed["data"][2]["revoked_at"], revoked_at,
        "the first revocation counts"
    );
    // A personal access token is not an API key, and the other way round.
    let pat_as_key = format!("/api/v1/api-keys/{}", pat["id"].as_str().unwrap());
    assert_eq!(
        status_of_delete(&app, &account.api_key, &pat_as_key).await,
        404
    );
    let key_as_pat = format!(
        "/api/v1/personal-access-tokens/{}",
        short["id"].as_str().unwrap()
    );
    assert_eq!(
        status_of_delete(&app, &account.api_key, &key_as_pat).await,
        404
    );
    app.finish().await;
}

#[tokio::test]
async fn keys_are_listed_without_secrets_with_their_last_use_recorded_once_a_minute() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let created = create_api_key(
        &app,
        &account.api_key,
        json!({"name": "ci", "scopes": ["read", "write"]}),
    )
    .await;
    let key = created["key"].as_str().unwrap();
    let listed = || async {
        let (status, list) = app.get_json(&account.api_key, "/api/v1/api-keys").await;
        assert_eq!(status, 200);
        assert!(
            !list.to_string().contains(key),
            "the list never shows a secret"
        );
        assert!(!list.to_string().contains(&account.api_key));
        list["data"][1].clone()
    };
    let entry = listed().await;
    assert_eq!(entry["name"], "ci");
    assert_eq!(entry["scopes"], json!(["read", "write"]));
    assert_eq!(entry["last_used_at"], Value::Null);
    assert_eq!(entry["revoked_at"], Value::Null);
    assert_eq!(entry["expires_at"], Value::Null);
    assert!(entry["created_at"].is_string() && entry["created_by"].is_string());
    assert_eq!(entry["id"], created["id"]);

    app.get_json(key, "/api/v1/envelopes").await;
    let first = listed().await["last_used_at"].clone();
    assert!(first.is_string());
    app.clock.advance(Duration::seconds(30));
    app.get_json(key, "/api/v1/envelopes").await;
    assert_eq!(
        listed().await["last_used_at"],
        first,
        "not rewritten within a minute"
    );
    app.clock.advance(Duration::minutes(2));
    app.get_json(key, "/api/v1/envelopes").await;
    assert_ne!(listed().await["last_used_at"], first);
    app.finish().await;
}

#[tokio::test]
async fn another_accounts_keys_tokens_and_users_are_not_found() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.account("A").await, app.account("B").await);
    let b_key = create_api_key(&app, &b.api_key, json!({"name": "b-secret-key"})).await;
    let (_, b_pat) = app
        .post_json(
            &b.api_key,
            "/api/v1/personal-access-tokens",
            &json!({"name": "b-pat"}),
        )
        .await;
    let b_user = create_user(&app, &b.api_key, "member").await;
    let b_member_pat = personal_token_of(&app, &b.account_id, &b_user).await;

    let paths = [
        (
            Method::DELETE,
            format!("/api/v1/api-keys/{}", b_key["id"].as_str().unwrap()),
        ),
        (
            Method::DELETE,
            format!(
                "/api/v1/personal-access-tokens/{}",
                b_pat["id"].as_str().unwrap()
            ),
        ),
        (Method::POST, format!("/api/v1/users/{b_user}/disable")),
    ];
    for (method, path) in paths {
        let (status, body, _) = call(&app, method, &a.api_key, &path, json!({})).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
    for path in [
        "/api/v1/api-keys",
        "/api/v1/users",
        "/api/v1/personal-access-tokens",
    ] {
        let (status, list) = app.get_json(&a.api_key, path).await;
        assert_eq!(status, 200);
        let text = list.to_string();
        assert!(
            !text.contains("b-secret-key") && !text.contains("b-pat") && !text.contains(&b_user),
            "{path}: {text}"
        );
    }
    for key in [
        b_key["key"].as_str().unwrap(),
        b_pat["key"].as_str().unwrap(),
        &b_member_pat,
    ] {
        assert_eq!(
            app.get_json(key, "/api/v1/envelopes").await.0,
            200,
            "B's credentials still work"
        );
    }
    app.finish().await;
}
