//! Reminders on the account's schedule, on the test clock with the real SMTP listener: the
//! first after `first_after_days` (not before), then every `every_days`, at most `max`; none
//! once the signer acted or the envelope left `in_progress`; a sequential signer's count starts
//! at their turn; a re-run or a second node does not send one twice; the setting is checked.

use serde_json::{Value, json};
use signet_testkit::smtp::ReceivedMail;
use time::Duration;

use crate::support::TestApp;
use crate::support::app::{link_in, typed_signing};

/// An account whose reminders follow `schedule`; its API key.
async fn account_with(app: &TestApp, schedule: Value) -> String {
    let key = app.account("Acme").await.api_key;
    let body = json!({"reminders": schedule});
    let (status, account) = app.patch_json(&key, "/api/v1/account", &body).await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["reminders"], schedule);
    key
}

/// Sends an envelope to e-mail signers `(name, language, order)`; returns its id and runs the
/// jobs due (the invitations).
async fn send_to(app: &TestApp, key: &str, order: &str, signers: &[(&str, &str, i32)]) -> String {
    let body = json!({"title": "Lease", "signing_order": order});
    let (id, _) = app.draft_with_contract(key, body).await;
    let bodies: Vec<Value> = signers
        .iter()
        .map(|(name, language, position)| {
            json!({"name": name, "email": address(name), "language": language,
                   "order": position,
                   "fields": [{"type": "signature", "tag": "signature_1"}]})
        })
        .collect();
    app.add_signers_and_send(key, &id, &bodies).await;
    app.run_jobs_until_idle().await;
    id
}

fn address(name: &str) -> String {
    format!("{name}@example.test")
}

/// The mails to `name` so far.
fn mails_to(app: &TestApp, name: &str) -> Vec<ReceivedMail> {
    let to = address(name);
    let mails = app.smtp.messages();
    mails
        .into_iter()
        .filter(|m| m.recipients.contains(&to))
        .collect()
}

/// Moves the clock by `by` and runs every job due by then.
async fn at(app: &TestApp, by: Duration) {
    app.clock.advance(by);
    app.run_jobs_until_idle().await;
}

fn link_of(app: &TestApp, mail: &ReceivedMail) -> String {
    link_in(&mail.text_body().unwrap().replace("\r\n", "\n"), &app.base)
}

/// Pending `scheduled_reminder` jobs (due or not).
async fn scheduled(app: &TestApp) -> usize {
    let pending = app
        .app
        .signet
        .store()
        .list_jobs(Some(signet_core::model::JobStatus::Pending), 100)
        .await
        .unwrap();
    pending
        .iter()
        .filter(|j| j.payload.kind() == "scheduled_reminder")
        .count()
}

#[tokio::test]
async fn reminders_follow_the_account_schedule_up_to_its_maximum() {
    let app = TestApp::spawn().await;
    let key = &account_with(
        &app,
        json!({"first_after_days": 3, "every_days": 7, "max": 3}),
    )
    .await;
    let (status, hook) = app
        .post_json(
            key,
            "/api/v1/webhooks",
            &json!({"url": app.hooks.url("/hook"), "event_types": ["envelope.reminder_sent"]}),
        )
        .await;
    assert_eq!(status, 201, "{hook}");
    crate::support::secrets::remember_as("webhook secret", hook["secret"].as_str().unwrap());
    let id = send_to(&app, key, "parallel", &[("dieter", "de", 1)]).await;
    let invitation = mails_to(&app, "dieter");
    assert_eq!(invitation.len(), 1);

    at(&app, Duration::days(3) - Duration::minutes(1)).await;
    assert_eq!(mails_to(&app, "dieter").len(), 1, "not before three days");
    at(&app, Duration::minutes(1)).await;
    let mails = mails_to(&app, "dieter");
    assert_eq!(mails.len(), 2, "the first reminder after three days");
    let reminder = &mails[1];
    assert!(
        reminder.subject().unwrap().starts_with("Erinnerung: "),
        "in the signer's language: {:?}",
        reminder.subject()
    );
    assert_eq!(
        link_of(&app, reminder),
        link_of(&app, &invitation[0]),
        "the current link"
    );

    at(&app, Duration::days(7) - Duration::minutes(1)).await;
    assert_eq!(
        mails_to(&app, "dieter").len(),
        2,
        "not before seven more days"
    );
    at(&app, Duration::minutes(1)).await;
    assert_eq!(
        mails_to(&app, "dieter").len(),
        3,
        "the second, seven days on"
    );
    at(&app, Duration::days(7)).await;
    assert_eq!(mails_to(&app, "dieter").len(), 4, "the third and last");
    assert_eq!(scheduled(&app).await, 0, "the chain ends at max");
    at(&app, Duration::days(30)).await;
    assert_eq!(mails_to(&app, "dieter").len(), 4, "max respected");

    let requested = app.events_of(key, &id, "reminder_requested").await;
    assert_eq!(requested.len(), 3, "{requested:?}");
    assert_eq!(requested[0]["actor"]["type"], "system");
    assert_eq!(
        (
            &requested[0]["data"]["number"],
            &requested[2]["data"]["max"]
        ),
        (&json!(1), &json!(3))
    );
    let emailed = app.events_of(key, &id, "invitation_emailed").await;
    let reminded = emailed.iter().filter(|e| e["data"]["reminder"] == true);
    assert_eq!(reminded.count(), 3);
    let (status, list) = app
        .get_json(
            key,
            &format!(
                "/api/v1/webhooks/{}/deliveries",
                hook["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(status, 200, "{list}");
    let types: Vec<_> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["event_type"].clone())
        .collect();
    assert_eq!(
        types.len(),
        3,
        "one envelope.reminder_sent per reminder: {list}"
    );
    app.finish().await;
}

#[tokio::test]
async fn nobody_is_reminded_after_signing_completion_or_cancellation() {
    let app = TestApp::spawn().await;
    let key = &account_with(
        &app,
        json!({"first_after_days": 3, "every_days": 7, "max": 5}),
    )
    .await;
    let both = send_to(&app, key, "parallel", &[("ann", "en", 1), ("bob", "en", 1)]).await;
    send_to(&app, key, "parallel", &[("carl", "en", 1)]).await;
    let canceled = send_to(&app, key, "parallel", &[("dora", "en", 1)]).await;

    at(&app, Duration::days(1)).await;
    sign_mailed_link(&app, "ann").await;
    sign_mailed_link(&app, "carl").await;
    let (status, body) = app
        .post_json(
            key,
            &format!("/api/v1/envelopes/{canceled}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;

    at(&app, Duration::days(29)).await;
    let reminders = |name: &str| {
        mails_to(&app, name)
            .iter()
            .filter(|m| m.subject().unwrap().starts_with("Reminder: "))
            .count()
    };
    assert_eq!(reminders("ann"), 0, "she signed");
    assert_eq!(reminders("bob"), 4, "he did not: days 3, 10, 17 and 24");
    assert_eq!(reminders("carl"), 0, "his envelope completed");
    assert_eq!(reminders("dora"), 0, "her envelope was canceled");
    let requested = app.events_of(key, &both, "reminder_requested").await;
    assert_eq!(requested.len(), 4);
    app.finish().await;
}

#[tokio::test]
async fn a_sequential_signer_is_reminded_counting_from_their_turn() {
    let app = TestApp::spawn().await;
    let key = &account_with(
        &app,
        json!({"first_after_days": 3, "every_days": 7, "max": 2}),
    )
    .await;
    send_to(
        &app,
        key,
        "sequential",
        &[("ann", "en", 1), ("bob", "en", 2)],
    )
    .await;
    assert_eq!(mails_to(&app, "bob").len(), 0, "not his turn yet");

    at(&app, Duration::days(2)).await;
    sign_mailed_link(&app, "ann").await;
    app.run_jobs_until_idle().await;
    assert_eq!(mails_to(&app, "bob").len(), 1, "his invitation");

    at(&app, Duration::days(3) - Duration::minutes(1)).await;
    assert_eq!(
        mails_to(&app, "ann").len(),
        1,
        "she signed before her first reminder"
    );
    assert_eq!(
        mails_to(&app, "bob").len(),
        1,
        "three days from the send are not his three"
    );
    at(&app, Duration::minutes(1)).await;
    let bob = mails_to(&app, "bob");
    assert_eq!(bob.len(), 2, "three days after his turn began");
    assert!(bob[1].subject().unwrap().starts_with("Reminder: "));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_or_a_second_node_does_not_send_a_scheduled_reminder_twice() {
    let app = TestApp::spawn().await;
    let key = &account_with(
        &app,
        json!({"first_after_days": 3, "every_days": 7, "max": 2}),
    )
    .await;
    let id = send_to(&app, key, "parallel", &[("ann", "en", 1)]).await;
    app.clock.advance(Duration::days(3));
    let now = app.clock_now();
    let jobs = app
        .app
        .signet
        .store()
        .claim_jobs("doomed-worker", now, now + Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].payload.kind(), "scheduled_reminder");
    // The doomed worker runs the job, then dies before marking it done; a second node runs
    // the same job too; then the lease expires and the queue runs it once more.
    app.app.signet.run_job(&jobs[0].payload).await.unwrap();
    let (_, other) = app.another_node().await;
    other.signet.run_job(&jobs[0].payload).await.unwrap();
    at(&app, Duration::minutes(2)).await;
    other.signet.run_job(&jobs[0].payload).await.unwrap();
    app.run_jobs_until_idle().await;

    let reminders = mails_to(&app, "ann").len() - 1;
    assert_eq!(reminders, 1, "one reminder, however often its job ran");
    let requested = app.events_of(key, &id, "reminder_requested").await;
    assert_eq!(requested.len(), 1, "{requested:?}");
    assert_eq!(scheduled(&app).await, 1, "the second reminder, once");
    at(&app, Duration::days(7)).await;
    assert_eq!(mails_to(&app, "ann").len() - 1, 2);
    app.finish().await;
}

#[tokio::test]
async fn a_changed_schedule_applies_to_the_next_reminder_and_off_ends_them() {
    let app = TestApp::spawn().await;
    let key = &account_with(
        &app,
        json!({"first_after_days": 3, "every_days": 7, "max": 5}),
    )
    .await;
    send_to(&app, key, "parallel", &[("ann", "en", 1)]).await;
    let schedule = json!({"first_after_days": 5, "every_days": 2, "max": 5});
    let (status, body) = app
        .patch_json(key, "/api/v1/account", &json!({"reminders": schedule}))
        .await;
    assert_eq!(status, 200, "{body}");
    at(&app, Duration::days(3)).await;
    assert_eq!(
        mails_to(&app, "ann").len(),
        1,
        "the first now waits five days"
    );
    at(&app, Duration::days(2)).await;
    assert_eq!(mails_to(&app, "ann").len(), 2);
    at(&app, Duration::days(2)).await;
    assert_eq!(mails_to(&app, "ann").len(), 3, "then every two days");
    let (status, body) = app
        .patch_json(key, "/api/v1/account", &json!({"reminders": null}))
        .await;
    assert_eq!((status, &body["reminders"]), (200, &Value::Null), "{body}");
    at(&app, Duration::days(20)).await;
    assert_eq!(
        mails_to(&app, "ann").len(),
        3,
        "off ends the reminders in flight"
    );
    assert_eq!(scheduled(&app).await, 0);
    app.finish().await;
}

#[tokio::test]
async fn the_reminder_setting_is_checked() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (status, account) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(
        (status, &account["reminders"]),
        (200, &Value::Null),
        "off by default"
    );
    for bad in [
        json!({"first_after_days": 0, "every_days": 7, "max": 3}),
        json!({"first_after_days": 3, "every_days": 400, "max": 3}),
        json!({"first_after_days": 3, "every_days": 7, "max": 0}),
        json!({"first_after_days": 3, "every_days": 7}),
        json!({"first_after_days": "3", "every_days": 7, "max": 3}),
        json!({"first_after_days": 3, "every_days": 7, "max": 3, "at": "09:00"}),
        json!("weekly"),
    ] {
        let (status, body) = app
            .patch_json(key, "/api/v1/account", &json!({"reminders": bad}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("invalid_reminders")),
            "{bad}: {body}"
        );
    }
    let (_, account) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(account["reminders"], Value::Null, "nothing was stored");
    app.finish().await;
}

#[tokio::test]
async fn none_while_expired_and_counted_anew_once_the_term_is_extended() {
    let app = TestApp::spawn().await;
    let key = &account_with(
        &app,
        json!({"first_after_days": 3, "every_days": 7, "max": 5}),
    )
    .await;
    let expires = (app.clock_now() + Duration::days(2))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = json!({"title": "Offer", "expires_at": expires});
    let (id, _) = app.draft_with_contract(key, body).await;
    let signer = json!({"name": "Ann", "email": address("ann"),
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, body) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    at(&app, Duration::days(10)).await;
    let reminders = || {
        mails_to(&app, "ann")
            .iter()
            .filter(|m| m.subject().unwrap().starts_with("Reminder: "))
            .count()
    };
    assert_eq!(reminders(), 0, "it expired on day 2");
    assert_eq!(scheduled(&app).await, 0);

    // Stiply's extend term (the native id is accepted as its key): 30 more days from now.
    let path = format!("/stiply/v1.1/sign_requests/{id}/actions/extend_term");
    let (status, body) = app.post_json(key, &path, &json!({"term": "30d"})).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    at(&app, Duration::days(3) - Duration::minutes(1)).await;
    assert_eq!(reminders(), 0, "three days from the extension");
    at(&app, Duration::minutes(1)).await;
    assert_eq!(reminders(), 1);
    app.finish().await;
}

/// `name` signs (a typed signature) through the link of the first e-mail they received.
async fn sign_mailed_link(app: &TestApp, name: &str) {
    let link = link_of(app, &mails_to(app, name)[0]);
    let (status, body) = app.signer_post(&link, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{body}");
}
