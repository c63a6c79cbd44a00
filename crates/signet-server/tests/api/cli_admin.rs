//! `signet user …` and `signet api-key …` run as the built binary against the test database:
//! they act as the account's owner, print a key's text only when it is created, and what they
//! do takes effect on the running server at once.

use std::ffi::OsStr;

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::trust::signet_cli_env;

const PASSWORD: &str = "cli password 1234";

/// Runs `signet ARGS` with `SIGNET_USER_PASSWORD` set: (success, stdout lines as JSON, stderr).
fn run(app: &TestApp, args: &[&str]) -> (bool, Vec<Value>, String) {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let out = signet_cli_env(
        app,
        &args,
        &[("SIGNET_LOG", "debug"), ("SIGNET_USER_PASSWORD", PASSWORD)],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
        "password shown"
    );
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    (out.status.success(), lines, stderr)
}

// Multi-threaded: the server keeps answering while the test waits for the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_manages_users_and_api_keys_as_the_accounts_owner() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let id = account.account_id.as_str();

    let (ok, user, err) = run(
        &app,
        &[
            "user",
            "create",
            "--account",
            id,
            "--email",
            "m@cli.example",
            "--name",
            "Mia",
            "--role",
            "member",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(
        (user[0]["email"].as_str(), user[0]["role"].as_str()),
        (Some("m@cli.example"), Some("member"))
    );
    let member = user[0]["id"].as_str().unwrap().to_string();
    let (ok, users, _) = run(&app, &["user", "list", "--account", id]);
    assert!(ok);
    assert_eq!(users.len(), 2);
    assert!(!Value::Array(users).to_string().contains("argon2"));

    let (ok, created, err) = run(
        &app,
        &[
            "api-key",
            "create",
            "--account",
            id,
            "--name",
            "cli",
            "--scopes",
            "read",
            "--expires-in-days",
            "5",
        ],
    );
    assert!(ok, "{err}");
    let key = created[0]["key"].as_str().unwrap().to_string();
    assert!(
        key.starts_with("sk_") && !err.contains(&key),
        "the key is not logged"
    );
    assert_eq!(created[0]["scopes"], "read");
    assert!(created[0]["expires_at"].is_string());
    assert_eq!(app.get_json(&key, "/api/v1/envelopes").await.0, 200);
    let (status, _) = app
        .post_json(&key, "/api/v1/envelopes", &json!({"title": "x"}))
        .await;
    assert_eq!(status, 403, "read only");

    let (ok, keys, _) = run(&app, &["api-key", "list", "--account", id]);
    assert!(ok);
    assert_eq!(keys.len(), 2);
    assert!(
        !Value::Array(keys.clone()).to_string().contains(&key),
        "listed without secrets"
    );
    let key_id = created[0]["id"].as_str().unwrap();
    let (ok, revoked, _) = run(
        &app,
        &["api-key", "revoke", "--account", id, "--key", key_id],
    );
    assert!(ok && revoked[0]["revoked_at"].is_string());
    assert_eq!(app.get_json(&key, "/api/v1/envelopes").await.0, 401);

    let (ok, disabled, _) = run(
        &app,
        &["user", "disable", "--account", id, "--user", &member],
    );
    assert!(ok && disabled[0]["disabled_at"].is_string());
    let owner = users_of(&app, id)[0]["id"].as_str().unwrap().to_string();
    let (ok, _, err) = run(
        &app,
        &["user", "disable", "--account", id, "--user", &owner],
    );
    assert!(!ok && err.contains("last active owner"), "{err}");
    let (ok, _, err) = run(
        &app,
        &[
            "api-key",
            "create",
            "--account",
            id,
            "--name",
            "x",
            "--scopes",
            "root",
        ],
    );
    assert!(!ok && err.contains("--scopes"), "{err}");
    app.finish().await;
}

fn users_of(app: &TestApp, account: &str) -> Vec<Value> {
    run(app, &["user", "list", "--account", account]).1
}
