//! The other account's data the isolation tests aim at: a draft, an envelope in progress with
//! one of its two signers signed, and a completed, sealed envelope (so every download exists),
//! each with distinctive names, e-mail addresses, titles and keys.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{TestAccount, typed_signing};
use crate::support::fixtures::contract_pdf;

/// One envelope of the world and the ids a route can be aimed at.
#[derive(Clone)]
pub struct Target {
    /// Envelope id.
    pub id: String,
    /// Its document.
    pub document_id: String,
    /// Its external key.
    pub external_key: String,
    /// The account's spare credentials and user, for the routes that address those.
    pub people: People,
}

/// Objects of an account besides envelopes that routes address by id: a spare API key, a
/// spare personal access token and a spare member (so revoking or disabling them in a test
/// leaves the account's own key working).
#[derive(Clone, Default)]
pub struct People {
    pub api_key: String,
    pub personal_token: String,
    pub user: String,
    pub oauth_client: String,
    /// A webhook endpoint and one delivery made to it.
    pub webhook: String,
    pub webhook_delivery: String,
    /// A dead job (a reminder the SMTP server refused), for the job administration routes.
    pub job: String,
}

impl People {
    /// Ids that exist nowhere.
    pub fn phantom() -> People {
        let id = || uuid::Uuid::new_v4().to_string();
        People {
            api_key: id(),
            personal_token: id(),
            user: id(),
            oauth_client: id(),
            webhook: id(),
            webhook_delivery: id(),
            job: id(),
        }
    }

    async fn create(app: &TestApp, key: &str, tag: &str, name: &str) -> People {
        let created = async |path: &str, body: Value| -> String {
            let (status, reply) = app.post_json(key, path, &body).await;
            assert_eq!(status, 201, "{path}: {reply}");
            reply["id"].as_str().unwrap().to_string()
        };
        People {
            api_key: created(
                "/api/v1/api-keys",
                json!({"name": format!("{name} spare key")}),
            )
            .await,
            personal_token: created(
                "/api/v1/personal-access-tokens",
                json!({"name": format!("{name} spare token")}),
            )
            .await,
            user: created(
                "/api/v1/users",
                json!({
                    "email": format!("spare.{tag}@{name}.test").to_lowercase(),
                    "name": format!("{name} Spare {tag}"),
                    "password": "correct horse battery staple",
                    "role": "member",
                }),
            )
            .await,
            oauth_client: {
                let body = json!({
                    "name": format!("{name} spare client {tag}"),
                    "redirect_uris": ["https://client.example/callback"],
                });
                let (status, reply) = app.post_json(key, "/api/v1/oauth/clients", &body).await;
                assert_eq!(status, 201, "{reply}");
                reply["client_id"].as_str().unwrap().to_string()
            },
            ..People::default()
        }
        .with_webhook(app, key)
        .await
    }

    /// Adds an endpoint subscribed to `envelope.sent` and one delivery to it (an envelope sent
    /// to a signer by link; the test sink answers 200).
    async fn with_webhook(mut self, app: &TestApp, key: &str) -> People {
        let body = json!({"url": app.hooks.url("/isolation"), "event_types": ["envelope.sent"]});
        let (status, reply) = app.post_json(key, "/api/v1/webhooks", &body).await;
        assert_eq!(status, 201, "{reply}");
        self.webhook = reply["id"].as_str().unwrap().to_string();
        app.sent_envelope(key, "parallel", 1).await;
        app.run_jobs_until_idle().await;
        let path = format!("/api/v1/webhooks/{}/deliveries", self.webhook);
        let (status, list) = app.get_json(key, &path).await;
        assert_eq!(status, 200, "{list}");
        self.webhook_delivery = list["data"][0]["id"].as_str().unwrap().to_string();
        self
    }
}

/// An account with one envelope in each interesting state.
pub struct World {
    pub account: TestAccount,
    pub draft: Target,
    pub in_progress: Target,
    pub completed: Target,
    /// A declined envelope (for reactivation); not among [`World::targets`].
    pub declined: Target,
    /// Signing URLs: the in-progress envelope's pending signer, the completed envelope's.
    pub pending_url: String,
    pub completed_url: String,
    /// The pending signer's text field.
    pub pending_text_field: String,
    /// The completed envelope's sealed PDF.
    pub sealed_pdf: Vec<u8>,
}

impl World {
    /// Builds the world in a new account named `name`.
    pub async fn build(app: &TestApp, name: &str) -> World {
        let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
        let account = app.account(&format!("{name} Corp {tag}")).await;
        let key = account.api_key.clone();
        let person = |role: &str| {
            (
                format!("{name} {role} {tag}"),
                format!("{role}.{tag}@{name}.test").to_lowercase(),
            )
        };

        let completed = draft(app, &key, &format!("{name} sealed deal {tag}"), tag, "done").await;
        let (who, email) = person("Closer");
        add_signer(app, &key, &completed.id, &who, &email, 1).await;
        let urls = send(app, &key, &completed.id).await;
        let completed_url = urls[0].clone();
        signed(app, &completed_url, json!({})).await;
        app.run_jobs_until_idle().await;

        let in_progress = draft(app, &key, &format!("{name} open deal {tag}"), tag, "open").await;
        let (who, email) = person("Signed");
        add_signer(app, &key, &in_progress.id, &who, &email, 1).await;
        let (who, email) = person("Pending");
        let pending = add_signer(app, &key, &in_progress.id, &who, &email, 2).await;
        let (who, email) = person("Mailed");
        add_mailed_signer(app, &key, &in_progress.id, &who, &email).await;
        let urls = send(app, &key, &in_progress.id).await;
        signed(app, &urls[0], json!({})).await;
        app.run_jobs_until_idle().await;

        let declined = draft(app, &key, &format!("{name} lost deal {tag}"), tag, "lost").await;
        let (who, email) = person("Decliner");
        add_signer(app, &key, &declined.id, &who, &email, 1).await;
        let lost = send(app, &key, &declined.id).await;
        let (status, body) = app.signer_post(&lost[0], "decline", &json!({})).await;
        assert_eq!(status, 200, "{body}");
        app.run_jobs_until_idle().await;

        let draft = draft(app, &key, &format!("{name} draft deal {tag}"), tag, "draft").await;
        let (who, email) = person("Drafted");
        add_signer(app, &key, &draft.id, &who, &email, 1).await;

        let (status, sealed_pdf) = app
            .get_bytes(
                &key,
                &format!("/api/v1/envelopes/{}/signed.pdf", completed.id),
            )
            .await;
        assert_eq!(status, 200);
        let mut people = People::create(app, &key, tag, name).await;
        people.job = dead_reminder(app, &key, &account.account_id, &in_progress.id).await;
        let [draft, completed, in_progress, declined] = [draft, completed, in_progress, declined]
            .map(|target| Target {
                people: people.clone(),
                ..target
            });
        World {
            account,
            draft,
            completed,
            in_progress,
            declined,
            pending_url: urls[1].clone(),
            completed_url,
            pending_text_field: field_of(&pending, "text"),
            sealed_pdf,
        }
    }

    /// Puts the world's dead job back in the queue (unless a test did) and runs it, so the
    /// queue is clean for [`TestApp::finish`].
    pub async fn revive_dead_job(&self, app: &TestApp) {
        let id = self.draft.people.job.parse().unwrap();
        let store = app.app.signet.store();
        store
            .requeue_dead_job(None, id, app.clock_now())
            .await
            .unwrap();
        app.run_jobs_until_idle().await;
    }

    /// The three envelopes.
    pub fn targets(&self) -> [&Target; 3] {
        [&self.draft, &self.in_progress, &self.completed]
    }

    /// What must never reach another account: every id, name, e-mail address, title and hash
    /// of this world, as its owner reads them (account, envelopes, audit trails). External keys
    /// are left out: another account may choose the same key for its own envelope.
    pub async fn markers(&self, app: &TestApp) -> Vec<String> {
        let (_, account) = app.get_json(&self.account.api_key, "/api/v1/account").await;
        let mut markers = vec![
            self.account.account_id.clone(),
            self.draft.people.job.clone(),
        ];
        collect_markers(&account, &mut markers);
        for target in self.targets() {
            markers.extend(self.envelope_markers(app, target).await);
        }
        for path in [
            "/api/v1/api-keys",
            "/api/v1/personal-access-tokens",
            "/api/v1/users",
        ] {
            let (status, body) = app.get_json(&self.account.api_key, path).await;
            assert_eq!(status, 200, "{path}: {body}");
            collect_markers(&body, &mut markers);
        }
        // Every account's first API key is named "default": that name is no one's data.
        markers.retain(|marker| marker != "default");
        markers.sort();
        markers.dedup();
        markers
    }

    /// The markers of one envelope: its ids, names, e-mail addresses, title and hashes.
    pub async fn envelope_markers(&self, app: &TestApp, target: &Target) -> Vec<String> {
        let mut markers = Vec::new();
        for path in ["", "/events"] {
            let (status, body) = app
                .get_json(
                    &self.account.api_key,
                    &format!("/api/v1/envelopes/{}{path}", target.id),
                )
                .await;
            assert_eq!(status, 200, "{body}");
            collect_markers(&body, &mut markers);
        }
        markers
    }

    /// Everything an intruder could have changed: each envelope as its owner reads it, its
    /// audit trail, the chain verdict and the stored original's bytes.
    pub async fn snapshot(&self, app: &TestApp) -> Vec<Value> {
        let key = &self.account.api_key;
        let mut state = Vec::new();
        for target in self.targets() {
            for path in ["", "/events", "/events/verify"] {
                let (_, body) = app
                    .get_json(key, &format!("/api/v1/envelopes/{}{path}", target.id))
                    .await;
                state.push(body);
            }
            let (_, original) = app
                .get_bytes(
                    key,
                    &format!(
                        "/api/v1/envelopes/{}/documents/{}/original.pdf",
                        target.id, target.document_id
                    ),
                )
                .await;
            state.push(json!(hex::encode(signet_core::secret::sha256(&original))));
        }
        state
    }
}

/// Fields whose values identify the other account's data.
const MARKER_FIELDS: &[&str] = &[
    "id",
    "title",
    "message",
    "name",
    "email",
    "filename",
    "hash",
    "prev_hash",
    "signer_id",
    "document_id",
    "sender",
    "key_id",
    "user_id",
];
/// Subtrees that describe the fixture PDF rather than the account (tag names, page sizes).
const NOT_MARKERS: &[&str] = &["tags", "page_sizes"];

fn collect_markers(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (name, field) in map {
                match field {
                    _ if NOT_MARKERS.contains(&name.as_str()) => {}
                    Value::String(text)
                        if MARKER_FIELDS.contains(&name.as_str()) || name.ends_with("sha256") =>
                    {
                        // An all-zero hash (the chain's start) is no one's data.
                        if text.len() >= 6 && text.chars().any(|c| c != '0') {
                            out.push(text.clone());
                        }
                    }
                    _ => collect_markers(field, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_markers(item, out)),
        _ => {}
    }
}

async fn draft(app: &TestApp, key: &str, title: &str, tag: &str, what: &str) -> Target {
    let external_key = format!("{what}-{tag}");
    let body = json!({
        "title": title, "message": format!("Please sign {title}"), "external_key": external_key,
        "signing_order": "parallel", "callback_url": app.hooks.url(&format!("/{what}-{tag}")),
    });
    let (status, envelope) = app.post_json(key, "/api/v1/envelopes", &body).await;
    assert_eq!(status, 201, "{envelope}");
    let id = envelope["id"].as_str().unwrap().to_string();
    let (status, document) = app
        .upload(key, &id, &format!("{what}-{tag}.pdf"), contract_pdf())
        .await;
    assert_eq!(status, 201, "{document}");
    Target {
        id,
        document_id: document["id"].as_str().unwrap().to_string(),
        external_key,
        people: People::default(),
    }
}

async fn add_signer(app: &TestApp, key: &str, id: &str, name: &str, email: &str, n: u32) -> Value {
    let fields = json!([
        {"type": "signature", "tag": format!("signature_{n}")},
        {"type": "text", "tag": "text_1", "required": false},
    ]);
    let fields = if n == 1 { json!([fields[0]]) } else { fields };
    let body = json!({"name": name, "email": email, "invitation": "link", "fields": fields});
    let (status, signer) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{signer}");
    signer
}

/// A signer invited by e-mail (someone a reminder can reach), in parallel with the second.
async fn add_mailed_signer(app: &TestApp, key: &str, id: &str, name: &str, email: &str) {
    let fields = json!([{"type": "signature", "tag": "signature_2"}]);
    let body = json!({"name": name, "email": email, "order": 2, "fields": fields});
    let (status, signer) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{signer}");
}

/// Sends; the signing URLs of the link signers, in order.
async fn send(app: &TestApp, key: &str, id: &str) -> Vec<String> {
    let (status, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    sent["signers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some(s["sign_url"].as_str()?.to_string()))
        .collect()
}

async fn signed(app: &TestApp, url: &str, fields: Value) {
    let mut body = typed_signing();
    body["fields"] = fields;
    let (status, outcome) = app.signer_post(url, "complete", &body).await;
    assert_eq!(status, 200, "{outcome}");
}

fn field_of(signer: &Value, kind: &str) -> String {
    signer["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["type"] == kind)
        .and_then(|f| f["id"].as_str())
        .unwrap()
        .to_string()
}

/// A reminder to the in-progress envelope's mailed signer that the SMTP server refuses for
/// good, so the account has a dead job; returns its id.
async fn dead_reminder(app: &TestApp, key: &str, account: &str, envelope: &str) -> String {
    app.smtp.set_reject_recipients(true);
    let (status, body) = app
        .post_json(
            key,
            &format!("/api/v1/envelopes/{envelope}/remind"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    app.run_jobs_until_idle().await;
    app.smtp.set_reject_recipients(false);
    let dead = app
        .app
        .signet
        .store()
        .list_account_jobs(
            account.parse().unwrap(),
            Some(signet_core::model::JobStatus::Dead),
            None,
            1,
        )
        .await
        .unwrap();
    assert_eq!(dead.len(), 1, "the refused reminder is dead: {dead:?}");
    dead[0].id.to_string()
}
