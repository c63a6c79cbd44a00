//! `/api/v1/users`: owners and admins add users within their role, disabling a user cuts every
//! credential acting as them at once, and the last active owner stays.

use serde_json::json;

use crate::support::TestApp;
use crate::support::credential::{create_api_key, create_user, personal_token_of};

#[tokio::test]
async fn disabling_a_user_cuts_all_their_keys_and_tokens_at_once() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let admin = create_user(&app, &account.api_key, "admin").await;
    let admin_pat = personal_token_of(&app, &account.account_id, &admin).await;
    let admin_key = create_api_key(&app, &admin_pat, json!({"name": "made by the admin"})).await;
    let admin_key = admin_key["key"].as_str().unwrap().to_string();
    let (_, second_pat) = app
        .post_json(
            &admin_pat,
            "/api/v1/personal-access-tokens",
            &json!({"name": "2"}),
        )
        .await;
    let second_pat = second_pat["key"].as_str().unwrap().to_string();
    for key in [&admin_pat, &admin_key, &second_pat] {
        assert_eq!(app.get_json(key, "/api/v1/envelopes").await.0, 200);
    }

    let (status, user) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/users/{admin}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    assert!(user["disabled_at"].is_string());
    for key in [&admin_pat, &admin_key, &second_pat] {
        let (status, body) = app.get_json(key, "/api/v1/envelopes").await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("unauthenticated"))
        );
    }
    assert_eq!(
        app.get_json(&account.api_key, "/api/v1/envelopes").await.0,
        200
    );
    let (status, again) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/users/{admin}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(
        (status, &again["disabled_at"]),
        (200, &user["disabled_at"]),
        "idempotent"
    );
    app.finish().await;
}

#[tokio::test]
async fn admins_add_members_only_owners_add_admins_and_owners() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let admin = create_user(&app, &account.api_key, "admin").await;
    let admin_pat = personal_token_of(&app, &account.account_id, &admin).await;
    let new_user = |role: &str, email: &str| json!({"email": email, "name": "New", "password": "a long enough password", "role": role});
    for role in ["owner", "admin"] {
        let (status, body) = app
            .post_json(
                &admin_pat,
                "/api/v1/users",
                &new_user(role, &format!("{role}@a.example")),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("forbidden")),
            "{role}"
        );
    }
    let (status, _) = app
        .post_json(
            &admin_pat,
            "/api/v1/users",
            &new_user("member", "m@a.example"),
        )
        .await;
    assert_eq!(status, 201);
    let (status, owner) = app
        .post_json(
            &account.api_key,
            "/api/v1/users",
            &new_user("owner", "o@a.example"),
        )
        .await;
    assert_eq!((status, owner["role"].as_str()), (201, Some("owner")));
    assert!(owner.get("password").is_none() && owner.get("password_hash").is_none());
    let owner_id = owner["id"].as_str().unwrap();
    let (status, body) = app
        .post_json(
            &admin_pat,
            &format!("/api/v1/users/{owner_id}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );

    let cases = [
        (new_user("member", "M@A.example"), 409, "email_taken"),
        (
            json!({"email": "s@a.example", "name": "S", "password": "too short", "role": "member"}),
            422,
            "weak_password",
        ),
        (new_user("boss", "b@a.example"), 422, "invalid_role"),
        (new_user("member", "not-an-email"), 422, "invalid_email"),
    ];
    for (body, status, code) in cases {
        let (got, error) = app
            .post_json(&account.api_key, "/api/v1/users", &body)
            .await;
        assert_eq!(
            (got, error["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    let (status, list) = app.get_json(&account.api_key, "/api/v1/users").await;
    assert_eq!(status, 200);
    let roles: Vec<_> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["owner", "admin", "member", "owner"]);
    assert!(!list.to_string().contains("argon2"), "no password hashes");
    app.finish().await;
}

#[tokio::test]
async fn the_last_active_owner_cannot_be_disabled() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (_, users) = app.get_json(&account.api_key, "/api/v1/users").await;
    let first = users["data"][0]["id"].as_str().unwrap().to_string();
    let disable = |id: String, key: String| {
        let app = &app;
        async move {
            app.post_json(&key, &format!("/api/v1/users/{id}/disable"), &json!({}))
                .await
        }
    };
    let (status, body) = disable(first.clone(), account.api_key.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("last_owner"))
    );

    let second = create_user(&app, &account.api_key, "owner").await;
    let second_pat = personal_token_of(&app, &account.account_id, &second).await;
    // Both owners disable each other at once: exactly one of them succeeds.
    let (one, two) = tokio::join!(
        disable(second.clone(), account.api_key.clone()),
        disable(first.clone(), second_pat.clone()),
    );
    // The loser is refused as the last owner, or (if the winner committed before the loser's
    // request authenticated) no longer authenticates at all.
    let mut statuses = [one.0, two.0];
    statuses.sort();
    assert!(
        statuses == [200, 409] || statuses == [200, 401],
        "{one:?} {two:?}"
    );
    let (_, users) = app
        .get_json(
            if one.0 == 200 {
                &account.api_key
            } else {
                &second_pat
            },
            "/api/v1/users",
        )
        .await;
    let active_owners = users["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["role"] == "owner" && u["disabled_at"].is_null())
        .count();
    assert_eq!(active_owners, 1);
    app.finish().await;
}
