//! A job whose worker died runs again once its lease expires: what the first attempt finished
//! is not done twice, what it did not finish is done. Here the worker's death is staged
//! deterministically (claim, act, never record the outcome); the multi-node test kills a real
//! process.

use serde_json::json;
use signet_core::model::Job;

use crate::support::TestApp;

/// An envelope sent to one e-mail signer; its id. Its invitation job is queued, not run.
async fn sent_to_one_email_signer(app: &TestApp, key: &str) -> String {
    let (id, _) = app
        .draft_with_contract(key, json!({"title": "Rerun", "signing_order": "parallel"}))
        .await;
    let signer = json!({"name": "Ada", "email": "ada@example.test", "invitation": "email",
                        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, body) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    id
}

/// Claims every due job as a worker that is about to die, with a one-minute lease.
async fn claim_as_doomed_worker(app: &TestApp) -> Vec<Job> {
    let now = app.clock_now();
    app.app
        .signet
        .store()
        .claim_jobs("doomed-worker", now, now + time::Duration::minutes(1), 10)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_whose_worker_died_after_sending_it_is_not_sent_again() {
    let app = TestApp::spawn().await;
    let account = app.account("Rerun").await;
    let key = &account.api_key;
    let id = sent_to_one_email_signer(&app, key).await;
    let jobs = claim_as_doomed_worker(&app).await;
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].payload.kind(), "send_invitation");
    // The doomed worker sends the invitation (and records it in the audit trail), then dies
    // before it marks the job done.
    app.app.signet.run_job(&jobs[0].payload).await.unwrap();
    assert_eq!(app.smtp.messages().len(), 1);

    app.clock.advance(time::Duration::minutes(2));
    let stats = app.run_jobs_until_idle().await;
    assert_eq!(
        stats.done, 1,
        "another worker took the job over and finished it"
    );
    assert_eq!(
        app.smtp.messages().len(),
        1,
        "the invitation is not sent twice"
    );
    assert_eq!(app.events_of(key, &id, "invitation_emailed").await.len(), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_whose_worker_died_before_sending_it_is_sent_by_another() {
    let app = TestApp::spawn().await;
    let account = app.account("Rerun").await;
    let key = &account.api_key;
    let id = sent_to_one_email_signer(&app, key).await;
    assert_eq!(claim_as_doomed_worker(&app).await.len(), 1);

    // While the lease holds, nobody else runs the job.
    assert_eq!(app.run_jobs_until_idle().await.done, 0);
    app.clock.advance(time::Duration::minutes(2));
    assert_eq!(app.run_jobs_until_idle().await.done, 1);
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 1, "the invitation went out once");
    assert_eq!(mails[0].recipients, ["ada@example.test"]);
    assert_eq!(app.events_of(key, &id, "invitation_emailed").await.len(), 1);
    app.finish().await;
}
