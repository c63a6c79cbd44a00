//! One envelope's way through the cluster, as an integrator and its signers would take it:
//! create, upload, add signers, send, then each signer opens the e-mailed link and signs.
//! Every request goes to whichever node the cluster picks; after a failed connection the step
//! reads the envelope to learn whether it took effect before trying again.

use std::collections::HashSet;
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::cluster::{Answer, Cluster};
use super::mailbox::Mailbox;
use crate::support::app::typed_signing;
use crate::support::fixtures;

/// Longest wait for an invitation e-mail.
const MAIL_TIMEOUT: Duration = Duration::from_secs(180);

/// An envelope the test pushed through, and its signers' addresses.
#[derive(Clone, Debug)]
pub struct Pushed {
    /// Its number in the run.
    pub index: usize,
    /// Its id.
    pub id: String,
    /// The signers' e-mail addresses.
    pub emails: Vec<String>,
}

/// What the driver needs besides the cluster.
pub struct Driver {
    pub cluster: Cluster,
    pub mailbox: Mailbox,
    /// Base of the callback receiver.
    pub hooks: String,
    /// The cluster's public URL (the base of e-mailed links).
    pub public_url: String,
    /// Signers whose invitation job the killed node held. They sign only once `reruns_done`:
    /// a signer who signed at once would make the re-run moot and hide a second copy.
    pub held_signers: RwLock<HashSet<String>>,
    /// Turns true once every job the killed node held has run again.
    pub reruns_done: tokio::sync::watch::Receiver<bool>,
    /// Envelopes one of whose requests lost its connection (the node died under it).
    pub interrupted: Mutex<HashSet<String>>,
}

impl Driver {
    /// Pushes envelope `index` with `signers` e-mail signers from creation to the last signature.
    pub async fn push(&self, index: usize, signers: usize) -> Pushed {
        let id = self.create(index).await;
        self.upload(&id).await;
        let emails: Vec<String> = (0..signers)
            .map(|j| format!("e{index}-s{j}@example.test"))
            .collect();
        for (j, email) in emails.iter().enumerate() {
            self.add_signer(&id, email, j).await;
        }
        self.send(&id).await;
        for email in &emails {
            let invitation = self.mailbox.invitation_to(email, MAIL_TIMEOUT).await;
            self.wait_if_held(email).await;
            self.sign(&id, email, &invitation.link).await;
        }
        Pushed { index, id, emails }
    }

    async fn create(&self, index: usize) -> String {
        let external_key = format!("mn-{index}");
        let body = json!({
            "title": format!("Multinode {index}"), "external_key": external_key,
            "signing_order": "parallel", "callback_url": format!("{}/cb/{index}", self.hooks),
        });
        let post = self.cluster.api(Method::POST, "/api/v1/envelopes");
        let lookup = format!("/api/v1/envelopes?external_key={external_key}");
        self.cluster
            .until("create", async || {
                let answer = self.cluster.try_once(&|c, b| post(c, b).json(&body)).await;
                if let Ok((201, created)) = &answer {
                    return Some(text(&created["id"]));
                }
                // Not created, or created by a request whose answer was lost: look it up.
                let (_, found) = self.cluster.get(&lookup).await;
                let existing = found["data"].as_array().and_then(|d| d.first().cloned());
                match (existing, answer) {
                    (Some(envelope), _) => Some(text(&envelope["id"])),
                    (None, Err(_)) => None,
                    (None, Ok(other)) => panic!("create {index}: {other:?}"),
                }
            })
            .await
    }

    async fn upload(&self, id: &str) {
        let path = format!("/api/v1/envelopes/{id}/documents");
        let post = self.cluster.api(Method::POST, &path);
        self.cluster
            .until("upload", async || {
                let answer = self
                    .cluster
                    .try_once(&|c, b| post(c, b).multipart(contract_form()))
                    .await;
                let documents =
                    |envelope: &Value| envelope["documents"].as_array().map_or(0, Vec::len);
                self.settle(id, answer, 201, |envelope| documents(envelope) > 0)
                    .await
            })
            .await;
    }

    async fn add_signer(&self, id: &str, email: &str, j: usize) {
        let body = json!({
            "name": format!("Signer {j}"), "email": email, "invitation": "email",
            "fields": [{"type": "signature", "tag": format!("signature_{}", j + 1)}],
        });
        let post = self
            .cluster
            .api(Method::POST, &format!("/api/v1/envelopes/{id}/signers"));
        self.cluster
            .until("add signer", async || {
                let answer = self.cluster.try_once(&|c, b| post(c, b).json(&body)).await;
                self.settle(id, answer, 201, |envelope| {
                    signer(envelope, email).is_some()
                })
                .await
            })
            .await;
    }

    async fn send(&self, id: &str) {
        let post = self
            .cluster
            .api(Method::POST, &format!("/api/v1/envelopes/{id}/send"));
        self.cluster
            .until("send", async || {
                let answer = self
                    .cluster
                    .try_once(&|c, b| post(c, b).json(&json!({})))
                    .await;
                self.settle(id, answer, 200, |envelope| envelope["status"] != "draft")
                    .await
            })
            .await;
    }

    async fn wait_if_held(&self, email: &str) {
        if self.held_signers.read().unwrap().contains(email) {
            let mut done = self.reruns_done.clone();
            done.wait_for(|done| *done).await.expect("the test runs");
        }
    }

    /// Opens the e-mailed link (the signing page) and signs through the signing API.
    async fn sign(&self, id: &str, email: &str, link: &str) {
        let path = link
            .strip_prefix(&self.public_url)
            .expect("the link is on the public URL");
        let token = crate::support::app::token_of(link).to_string();
        let (status, page) = self
            .cluster
            .idempotent(&|c, base| c.get(format!("{base}{path}")))
            .await;
        assert_eq!(status, 200, "the signing page: {page}");
        let body = typed_signing();
        let complete = format!("/api/v1/signing/{token}/complete");
        self.cluster
            .until("sign", async || {
                let answer = self
                    .cluster
                    .try_once(&|c, base| c.post(format!("{base}{complete}")).json(&body))
                    .await;
                self.settle(id, answer, 200, |envelope| {
                    signer(envelope, email).is_some_and(|s| s["status"] == "signed")
                })
                .await
            })
            .await;
    }

    /// Decides a step: done when it got `expected`, or when the envelope (read again) shows
    /// `done`; `None` to try again after a failed connection. Any other answer is a failure.
    async fn settle(
        &self,
        id: &str,
        answer: Result<Answer, reqwest::Error>,
        expected: u16,
        done: impl Fn(&Value) -> bool,
    ) -> Option<()> {
        if let Ok((status, _)) = &answer
            && *status == expected
        {
            return Some(());
        }
        if answer.is_err() {
            self.interrupted.lock().unwrap().insert(id.to_string());
        }
        let (status, envelope) = self.cluster.get(&format!("/api/v1/envelopes/{id}")).await;
        assert_eq!(status, 200, "{envelope}");
        match (done(&envelope), answer) {
            (true, _) => Some(()),
            (false, Err(_)) => None,
            (false, Ok(other)) => panic!("envelope {id}: unexpected answer {other:?}"),
        }
    }
}

fn signer<'a>(envelope: &'a Value, email: &str) -> Option<&'a Value> {
    envelope["signers"]
        .as_array()?
        .iter()
        .find(|s| s["email"] == email)
}

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_string()
}

fn contract_form() -> reqwest::multipart::Form {
    let part = reqwest::multipart::Part::bytes(fixtures::contract_pdf())
        .file_name("contract.pdf")
        .mime_str("application/pdf")
        .expect("a MIME type");
    reqwest::multipart::Form::new().part("file", part)
}
