//! What the run must show once the queue is empty: invitations received once per signer,
//! envelopes sealed once with their blobs and proof, callbacks delivered and de-duplicable,
//! and nothing left pending or dead. Anything the kill may explain (a re-run whose first
//! attempt died) is allowed only for the jobs the killed node held, and counted.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use sha2::{Digest, Sha256};
use signet_testkit::http_sink::RecordedRequest;
use sqlx::{PgPool, Row};

use super::blobs::ClusterBlobs;
use super::driver::Pushed;
use super::mailbox::Mailbox;

/// A job the killed node held when it died.
#[derive(Clone, Debug)]
pub struct HeldJob {
    pub id: uuid::Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempts: i64,
}

impl HeldJob {
    fn names(&self, key: &str) -> Option<&str> {
        self.payload[key].as_str()
    }
}

/// The jobs `worker` held (pending, leased to it).
pub async fn held_by(pool: &PgPool, worker: &str) -> Vec<HeldJob> {
    let rows = sqlx::query(
        "SELECT id, kind, payload, attempts FROM jobs WHERE locked_by = $1 AND status = 'pending'",
    )
    .bind(worker)
    .fetch_all(pool)
    .await
    .unwrap();
    rows.iter()
        .map(|row| HeldJob {
            id: row.get("id"),
            kind: row.get("kind"),
            payload: serde_json::from_str(row.get::<&str, _>("payload")).unwrap(),
            attempts: row.get("attempts"),
        })
        .collect()
}

/// The e-mail addresses of the signers whose invitation jobs are among `held`.
pub async fn invited_emails(pool: &PgPool, held: &[HeldJob]) -> Vec<String> {
    let mut emails = Vec::new();
    for job in held.iter().filter(|job| job.kind == "send_invitation") {
        let signer = job.names("signer_id").expect("a signer id");
        let email: String = sqlx::query_scalar("SELECT email FROM signers WHERE id::text = $1")
            .bind(signer)
            .fetch_one(pool)
            .await
            .unwrap();
        emails.push(email);
    }
    emails
}

/// Waits until every job in `held` is done.
pub async fn wait_until_done(pool: &PgPool, held: &[HeldJob], timeout: std::time::Duration) {
    let ids: Vec<uuid::Uuid> = held.iter().map(|job| job.id).collect();
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let open: i64 =
            sqlx::query_scalar("SELECT count(*) FROM jobs WHERE id = ANY($1) AND status <> 'done'")
                .bind(&ids)
                .fetch_one(pool)
                .await
                .unwrap();
        if open == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{open} held jobs never finished"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// What the kill did to invitations: both come only from the window between the SMTP server
/// accepting a message and the commit of its `invitation_emailed` event, on the killed node.
#[derive(Debug, Default)]
pub struct MailFigures {
    /// Copies beyond the first (same `Message-ID`: the re-run sent it again).
    pub duplicates: usize,
    /// Invitations received with no `invitation_emailed` event (the signer signed before the
    /// re-run, which then had nothing to send).
    pub unrecorded: usize,
}

/// Every signer got exactly one invitation (one `Message-ID`, one copy) and the audit trail
/// records it once, except where the killed node held the invitation job: there a second copy
/// or a missing record is counted.
pub async fn invitations(
    pool: &PgPool,
    mailbox: &Mailbox,
    pushed: &[Pushed],
    held: &[HeldJob],
) -> MailFigures {
    let signer_ids: HashMap<String, String> =
        sqlx::query("SELECT id::text AS id, email FROM signers")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get("email"), row.get("id")))
            .collect();
    let held_signers: HashSet<&str> = held
        .iter()
        .filter(|job| job.kind == "send_invitation")
        .filter_map(|job| job.names("signer_id"))
        .collect();
    let recorded = emailed_events(pool).await;
    let expected: usize = pushed.iter().map(|p| p.emails.len()).sum();
    assert_eq!(
        mailbox.all().len(),
        expected,
        "invitations went to exactly the signers"
    );
    let mut figures = MailFigures::default();
    for email in pushed.iter().flat_map(|p| &p.emails) {
        let signer = signer_ids[email].as_str();
        let received = mailbox.received_by(email);
        assert!(!received.is_empty(), "no invitation reached {email}");
        let ids: HashSet<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
        assert_eq!(ids.len(), 1, "{email} got different invitations: {ids:?}");
        assert!(
            received[0]
                .message_id
                .starts_with(&format!("invite.{signer}."))
        );
        let events = recorded.get(signer).copied().unwrap_or(0);
        match (received.len(), events) {
            (1, 1) => {}
            (copies, events) => {
                assert!(
                    held_signers.contains(signer) && copies <= 2 && events <= 1,
                    "{email}: {copies} copies, {events} invitation_emailed events (held by the killed node: {})",
                    held_signers.contains(signer)
                );
                figures.duplicates += copies - 1;
                figures.unrecorded += 1 - events;
            }
        }
    }
    figures
}

/// How many `invitation_emailed` events each signer has.
async fn emailed_events(pool: &PgPool) -> HashMap<String, usize> {
    let data: Vec<String> =
        sqlx::query_scalar("SELECT data FROM audit_events WHERE kind = 'invitation_emailed'")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut counts = HashMap::new();
    for text in data {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let signer = value["signer_id"].as_str().unwrap().to_string();
        *counts.entry(signer).or_default() += 1;
    }
    counts
}

/// Every envelope completed, with one `sealed` and one `completed` event, a sealed blob per
/// document and a proof whose files hold the recorded hashes. Returns the orphan files (written
/// by an attempt that died before committing), allowed only where the killed node held that
/// envelope's seal or signature job, or was answering one of its requests (an upload).
pub async fn seals(
    pool: &PgPool,
    blobs: &ClusterBlobs,
    pushed: &[Pushed],
    (held, interrupted): (&[HeldJob], &HashSet<String>),
) -> Vec<String> {
    let envelopes = sqlx::query(
        "SELECT e.id::text AS id, e.status, e.proof_blob_key, e.proof_sha256, \
         (SELECT count(*) FROM audit_events a WHERE a.envelope_id = e.id AND a.kind = 'sealed') AS sealed, \
         (SELECT count(*) FROM audit_events a WHERE a.envelope_id = e.id AND a.kind = 'completed') AS completed \
         FROM envelopes e",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(envelopes.len(), pushed.len(), "no stray envelopes");
    let mut referenced: HashMap<String, Vec<String>> = HashMap::new();
    for row in &envelopes {
        let id: String = row.get("id");
        assert_eq!(row.get::<&str, _>("status"), "completed", "envelope {id}");
        assert_eq!(
            row.get::<i64, _>("sealed"),
            1,
            "envelope {id}: sealed events"
        );
        assert_eq!(
            row.get::<i64, _>("completed"),
            1,
            "envelope {id}: completed events"
        );
        let proof: String = row.get("proof_blob_key");
        assert_blob(blobs, &proof, row.get("proof_sha256")).await;
        referenced.entry(id).or_default().push(proof);
    }
    let documents = sqlx::query(
        "SELECT envelope_id::text AS id, original_blob_key, signed_blob_key, signed_sha256 FROM documents",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for row in &documents {
        let signed: Option<String> = row.get("signed_blob_key");
        let signed = signed.expect("every document is sealed");
        assert_blob(blobs, &signed, row.get("signed_sha256")).await;
        let keys = referenced.entry(row.get("id")).or_default();
        keys.extend([row.get("original_blob_key"), signed]);
    }
    let mut sealing: HashSet<&str> = held
        .iter()
        .filter(|job| matches!(job.kind.as_str(), "seal_envelope" | "add_signatures"))
        .filter_map(|job| job.names("envelope_id"))
        .collect();
    sealing.extend(interrupted.iter().map(String::as_str));
    let stored = blobs.keys().await;
    let mut orphans = Vec::new();
    for (envelope, keys) in &referenced {
        let account = Path::new(&keys[0]).parent().unwrap();
        let folder = format!("{}/", account.display());
        for key in stored.iter().filter(|key| key.starts_with(&folder)) {
            if !keys.contains(key) {
                assert!(
                    sealing.contains(envelope.as_str()),
                    "{key} is referenced by nothing, and the killed node held nothing of {envelope}"
                );
                orphans.push(key.clone());
            }
        }
    }
    orphans
}

async fn assert_blob(blobs: &ClusterBlobs, key: &str, sha256: Vec<u8>) {
    let bytes = blobs.read(key).await;
    assert_eq!(
        Sha256::digest(&bytes).to_vec(),
        sha256,
        "blob {key} holds other bytes"
    );
}

/// Every envelope's completion callback arrived, signed with the account's secret, and every
/// delivery of one envelope carries the same `webhook-id`. Returns the repeated deliveries.
pub fn callbacks(requests: &[RecordedRequest], secret: &str, pushed: &[Pushed]) -> usize {
    let mut by_envelope: BTreeMap<String, Vec<&RecordedRequest>> = BTreeMap::new();
    for request in requests {
        let body = request.json().expect("a JSON callback");
        by_envelope
            .entry(body["data"]["envelope_id"].as_str().unwrap().to_string())
            .or_default()
            .push(request);
    }
    assert_eq!(
        by_envelope.len(),
        pushed.len(),
        "callbacks for exactly the envelopes pushed"
    );
    let mut all_ids = HashSet::new();
    for envelope in pushed {
        let deliveries = &by_envelope[&envelope.id];
        let ids: HashSet<&str> = deliveries
            .iter()
            .map(|r| r.header("webhook-id").unwrap())
            .collect();
        assert_eq!(
            ids.len(),
            1,
            "envelope {}: one webhook-id for all deliveries",
            envelope.id
        );
        all_ids.extend(ids);
        for request in deliveries {
            assert!(
                request
                    .path
                    .starts_with(&format!("/cb/{}?key={}", envelope.index, envelope.id))
            );
            assert_signed(request, secret);
            let body = request.json().unwrap();
            assert_eq!(body["type"], "envelope.completed");
            assert_eq!(body["data"]["status"], "completed");
        }
    }
    assert_eq!(
        all_ids.len(),
        pushed.len(),
        "webhook-ids differ between envelopes"
    );
    requests.len() - pushed.len()
}

fn assert_signed(request: &RecordedRequest, secret: &str) {
    let header = |name: &str| request.header(name).unwrap_or_else(|| panic!("no {name}"));
    let expected = signet_core::usecase::job::standard_webhook_headers(
        secret,
        header("webhook-id"),
        header("webhook-timestamp").parse().unwrap(),
        &request.body,
    );
    assert_eq!(
        header("webhook-signature"),
        expected[2].1,
        "the callback signature"
    );
}

/// Nothing is left pending or dead; every job the killed node held ran again to completion.
/// Returns how many jobs needed more than one attempt.
pub async fn queue(pool: &PgPool, held: &[HeldJob]) -> i64 {
    let unfinished =
        sqlx::query("SELECT kind, status, last_error, attempts FROM jobs WHERE status <> 'done'")
            .fetch_all(pool)
            .await
            .unwrap();
    let described: Vec<String> = unfinished
        .iter()
        .map(|row| {
            let error: Option<String> = row.get("last_error");
            format!(
                "{} {} after {}: {error:?}",
                row.get::<&str, _>("kind"),
                row.get::<&str, _>("status"),
                row.get::<i64, _>("attempts")
            )
        })
        .collect();
    assert!(described.is_empty(), "jobs not done: {described:#?}");
    for job in held {
        let attempts: i64 = sqlx::query("SELECT attempts FROM jobs WHERE id = $1")
            .bind(job.id)
            .fetch_one(pool)
            .await
            .unwrap()
            .get("attempts");
        assert!(attempts > job.attempts, "{} {} ran again", job.kind, job.id);
    }
    sqlx::query("SELECT count(*) AS n FROM jobs WHERE attempts > 1")
        .fetch_one(pool)
        .await
        .unwrap()
        .get("n")
}
