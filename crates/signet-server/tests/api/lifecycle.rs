//! Reminders, cancellation, expiry and deferred invitations through the native API.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::link_in;

/// A sent parallel envelope with two e-mail signers; returns its id and signer ids.
async fn sent_to_two(app: &TestApp, key: &str) -> (String, Vec<String>) {
    let (id, _) = app
        .draft_with_contract(key, json!({"title": "Lease", "signing_order": "parallel"}))
        .await;
    let mut signers = Vec::new();
    for name in ["ann", "bob"] {
        let body = json!({"name": name, "email": format!("{name}@example.test"),
                          "fields": [{"type": "signature", "tag": "signature_1"}]});
        let (status, signer) = app
            .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
            .await;
        assert_eq!(status, 201, "{signer}");
        signers.push(signer["id"].as_str().unwrap().to_string());
    }
    let (status, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    app.run_jobs_until_idle().await;
    (id, signers)
}

async fn post_empty(app: &TestApp, key: &str, path: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url(path))
        .header("authorization", crate::support::app::bearer(key))
        .send()
        .await
        .unwrap();
    crate::support::app::status_and_json(response).await
}

#[tokio::test]
async fn a_reminder_mails_the_current_link_again_to_whoever_is_asked() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (id, signers) = sent_to_two(&app, key).await;
    let invitations = app.smtp.messages();
    assert_eq!(invitations.len(), 2);

    let (status, body) = post_empty(&app, key, &format!("/api/v1/envelopes/{id}/remind")).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(
        body["reminded"].as_array().unwrap().len(),
        2,
        "both are due"
    );
    let body = json!({"signer_id": signers[1]});
    let (status, one) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/remind"), &body)
        .await;
    assert_eq!((status, &one["reminded"]), (202, &json!([signers[1]])));
    app.run_jobs_until_idle().await;

    let mails = app.smtp.messages();
    let reminders: Vec<_> = mails[2..].iter().collect();
    assert_eq!(reminders.len(), 3);
    let to_bob: Vec<_> = reminders
        .iter()
        .filter(|m| m.recipients == ["bob@example.test"])
        .collect();
    assert_eq!(
        to_bob.len(),
        2,
        "bob asked for twice, each a mail of its own"
    );
    assert_ne!(to_bob[0].message_id(), to_bob[1].message_id());
    let invitation_to_bob = invitations
        .iter()
        .find(|m| m.recipients == ["bob@example.test"])
        .unwrap();
    let link = |m: &signet_testkit::smtp::ReceivedMail| {
        link_in(&m.text_body().unwrap_or_default(), &app.base)
    };
    assert_eq!(
        link(to_bob[0]),
        link(invitation_to_bob),
        "the same, current link"
    );
    assert!(to_bob[0].subject().unwrap().starts_with("Reminder: "));
    let requested = app.events_of(key, &id, "reminder_requested").await;
    assert_eq!(requested.len(), 2);
    app.finish().await;
}

#[tokio::test]
async fn reminders_are_refused_when_nobody_can_be_reminded() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (draft, _) = app
        .draft_with_contract(key, json!({"title": "Draft"}))
        .await;
    let (status, body) = post_empty(&app, key, &format!("/api/v1/envelopes/{draft}/remind")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_in_progress"))
    );

    let (links_only, _) = app.sent_envelope(key, "parallel", 1).await;
    let path = format!("/api/v1/envelopes/{links_only}/remind");
    let (status, body) = post_empty(&app, key, &path).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("nobody_to_remind"))
    );
    let body = json!({"signer_id": uuid::Uuid::now_v7()});
    let (status, body) = app.post_json(key, &path, &body).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, body) = app.post_json(key, &path, &json!({"signer": 1})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );
    app.finish().await;
}

#[tokio::test]
async fn a_canceled_envelope_stays_listed_and_its_links_stop_working() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (id, urls) = app.sent_envelope(key, "parallel", 1).await;
    let body = json!({"reason": "wrong counterparty"});
    let (status, canceled) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/cancel"), &body)
        .await;
    assert_eq!(
        (status, canceled["status"].as_str()),
        (200, Some("canceled")),
        "{canceled}"
    );
    let (status, fetched) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(
        (status, fetched["status"].as_str()),
        (200, Some("canceled"))
    );
    let (status, body) = app.signer_get(&urls[0]).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (410, Some("link_revoked"))
    );
    let events = app.events_of(key, &id, "canceled").await;
    assert_eq!(events[0]["data"]["reason"], "wrong counterparty");

    let again = post_empty(&app, key, &format!("/api/v1/envelopes/{id}/cancel")).await;
    assert_eq!(
        (again.0, again.1["error"]["code"].as_str()),
        (409, Some("already_final"))
    );
    let done = app.completed_envelope(key).await;
    let path = format!("/api/v1/envelopes/{done}/cancel");
    let (status, body) = post_empty(&app, key, &path).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("already_final"))
    );
    app.finish().await;
}

#[tokio::test]
async fn an_envelope_whose_term_passes_expires_and_its_sender_hears_of_it() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let expires_at = app.clock_now() + time::Duration::hours(1);
    let expires = expires_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = json!({"title": "Offer", "expires_at": expires,
                      "callback_url": app.hooks.url("/expired")});
    let (id, _) = app.draft_with_contract(key, body).await;
    let signer = json!({"name": "Ann", "email": "ann@example.test", "invitation": "link",
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, _) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
        .await;
    assert_eq!(status, 201);
    let (_, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    let url = sent["signers"][0]["sign_url"].as_str().unwrap().to_string();

    app.run_jobs_until_idle().await;
    let status_of = || async {
        let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
        envelope["status"].as_str().unwrap().to_string()
    };
    assert_eq!(status_of().await, "in_progress", "not before its time");
    assert!(app.hooks.requests().is_empty());

    app.clock.advance(time::Duration::minutes(61));
    app.run_jobs_until_idle().await;
    assert_eq!(status_of().await, "expired");
    let expired = app.events_of(key, &id, "expired").await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["actor"]["type"], "system");
    let (status, body) = app.signer_get(&url).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (410, Some("link_expired"))
    );
    let hooks = app.hooks.requests();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].json().unwrap()["type"], "envelope.expired");

    app.clock.advance(time::Duration::days(1));
    app.run_jobs_until_idle().await;
    assert_eq!(app.events_of(key, &id, "expired").await.len(), 1, "once");
    app.finish().await;
}

#[tokio::test]
async fn an_extended_term_reopens_an_expired_envelope_until_the_new_expiry() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let expires = (app.clock_now() + time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (id, _) = app
        .draft_with_contract(key, json!({"title": "Offer", "expires_at": expires}))
        .await;
    let signer = json!({"name": "Ann", "email": "ann@example.test", "invitation": "link",
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    app.post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
        .await;
    let (_, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    let url = sent["signers"][0]["sign_url"].as_str().unwrap().to_string();
    app.clock.advance(time::Duration::hours(2));
    app.run_jobs_until_idle().await;
    let status_of = || async {
        let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
        envelope["status"].as_str().unwrap().to_string()
    };
    assert_eq!(status_of().await, "expired");

    // Stiply's extend term (the native id is accepted as its key): two more days from now.
    let path = format!("/stiply/v1.1/sign_requests/{id}/actions/extend_term");
    let (status, body) = app.post_json(key, &path, &json!({"term": "2d"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of().await, "in_progress");
    let (status, _) = app.signer_get(&url).await;
    assert_eq!(status, 200, "the link works again");
    app.clock.advance(time::Duration::days(1));
    app.run_jobs_until_idle().await;
    assert_eq!(
        status_of().await,
        "in_progress",
        "not before the new expiry"
    );
    app.clock
        .advance(time::Duration::days(1) + time::Duration::minutes(1));
    app.run_jobs_until_idle().await;
    assert_eq!(status_of().await, "expired");
    assert_eq!(app.events_of(key, &id, "expired").await.len(), 2);
    app.finish().await;
}

#[tokio::test]
async fn a_reactivated_envelope_expires_again_at_its_recomputed_expiry() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (id, _) = app.sent_envelope(key, "parallel", 1).await;
    let expires = (app.clock_now() + time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (other, _) = app
        .draft_with_contract(key, json!({"title": "Offer", "expires_at": expires}))
        .await;
    let signer = json!({"name": "Ann", "email": "ann@example.test", "invitation": "link",
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    app.post_json(key, &format!("/api/v1/envelopes/{other}/signers"), &signer)
        .await;
    app.post_json(key, &format!("/api/v1/envelopes/{other}/send"), &json!({}))
        .await;
    app.clock.advance(time::Duration::hours(2));
    app.run_jobs_until_idle().await;
    let status_of = |id: String| {
        let app = &app;
        async move {
            let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
            envelope["status"].as_str().unwrap().to_string()
        }
    };
    assert_eq!(status_of(other.clone()).await, "expired");
    assert_eq!(
        status_of(id.clone()).await,
        "in_progress",
        "no expiry, no expiring"
    );

    let body = json!({"email": "manager@example.test"});
    let path = format!("/api/v1/envelopes/{other}/reactivate");
    let (status, reactivated) = app.post_json(key, &path, &body).await;
    assert_eq!(status, 200, "{reactivated}");
    assert_eq!(status_of(other.clone()).await, "in_progress");
    app.clock.advance(time::Duration::days(29));
    app.run_jobs_until_idle().await;
    assert_eq!(status_of(other.clone()).await, "in_progress");
    app.clock
        .advance(time::Duration::days(1) + time::Duration::minutes(1));
    app.run_jobs_until_idle().await;
    assert_eq!(
        status_of(other.clone()).await,
        "expired",
        "30 days after reactivation"
    );
    app.finish().await;
}

#[tokio::test]
async fn invitations_sent_with_invite_at_go_out_at_that_time_and_not_after_expiry() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let rfc3339 = |at: time::OffsetDateTime| {
        at.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let expires = rfc3339(app.clock_now() + time::Duration::days(3));
    let (id, _) = app
        .draft_with_contract(key, json!({"title": "Later", "expires_at": expires}))
        .await;
    let signer = json!({"name": "Ann", "email": "ann@example.test",
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, _) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
        .await;
    assert_eq!(status, 201);
    let send = format!("/api/v1/envelopes/{id}/send");
    let too_late = json!({"invite_at": rfc3339(app.clock_now() + time::Duration::days(4))});
    let (status, err) = app.post_json(key, &send, &too_late).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("invitations_after_expiry"))
    );
    let (status, err) = app
        .post_json(key, &send, &json!({"invite_at": "soon"}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );

    let at = app.clock_now() + time::Duration::hours(5);
    // Stored to the microsecond.
    let at = at
        .replace_nanosecond(at.nanosecond() / 1000 * 1000)
        .unwrap();
    let (status, sent) = app
        .post_json(key, &send, &json!({"invite_at": rfc3339(at)}))
        .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["status"], "in_progress");
    let events = app.events_of(key, &id, "envelope_sent").await;
    assert_eq!(events[0]["data"]["invitations_at"], rfc3339(at));
    app.run_jobs_until_idle().await;
    assert!(app.smtp.messages().is_empty(), "not before invite_at");
    app.clock.advance(time::Duration::hours(5));
    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipients, ["ann@example.test"]);
    app.finish().await;
}
