//! The signer's side, reached through a signing-link token: viewing, downloading, declining.
//! Completing is in [`super::complete`].

use serde_json::json;

use time::OffsetDateTime;

use crate::CoreError;
use crate::frame_ancestors::FrameAncestors;
use crate::id::{DocumentId, SignerId};
use crate::model::{
    Actor, EnvelopeRecord, EnvelopeStatus, EventKind, JobPayload, Language, Signer, SignerStatus,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::secret::SigningTokens;
use crate::service::Signet;
use crate::usecase::auth_pass::ReusedSession;
use crate::usecase::download::Download;
use crate::usecase::validate;

/// What a signer sees.
#[derive(Clone, Debug)]
pub struct SigningSession {
    /// The envelope, its documents, signers and fields.
    pub record: EnvelopeRecord,
    /// Which signer the token belongs to.
    pub signer_id: SignerId,
    /// The sender's account name.
    pub account_name: String,
    /// True when the signer may read and act: their authentication method is `none`, or this
    /// browser's session verified a one-time code. Otherwise only the code form is shown.
    pub authenticated: bool,
    /// The origins the account lets frame its signing pages (the page's `frame-ancestors`).
    pub frame_ancestors: FrameAncestors,
    /// When the session was opened (the server's clock): the page shows the value a date field
    /// will get from it, in the signer's language.
    pub opened_at: OffsetDateTime,
    /// The verified browser session this opening made from the browser's auth pass (its
    /// cookie to set), if it made one.
    pub reused: Option<ReusedSession>,
}

/// What the signing page needs to speak to the holder of a link that no longer opens a
/// session (revoked, expired, not yet their turn): their language and the account's framing.
#[derive(Clone, Debug)]
pub struct LinkContext {
    /// The signer's language.
    pub language: Language,
    /// The origins the account lets frame its signing pages.
    pub frame_ancestors: FrameAncestors,
}

impl SigningSession {
    /// The signer the token belongs to.
    pub fn signer(&self) -> Option<&Signer> {
        self.record.signer(self.signer_id)
    }
}

/// Where the signer's browser goes after signing or declining, if the sender set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningOutcome {
    /// The signer's status afterwards.
    pub signer_status: SignerStatus,
    /// The envelope's status afterwards.
    pub envelope_status: EnvelopeStatus,
    /// `redirect_url` with `key`, `signer_key`, `external_key` and `status` appended.
    pub redirect_url: Option<String>,
}

impl Signet {
    /// Opens the envelope for a signer; the first opening is recorded.
    /// `session` is the browser's signer-session cookie, if it sent one, and `pass` its auth
    /// pass (extended authentication sessions), which may stand for verifying again.
    pub async fn signing_session(
        &self,
        token: &str,
        session: Option<&str>,
        pass: Option<&str>,
        client: &ClientInfo,
    ) -> Result<SigningSession, CoreError> {
        let mut opened = retrying(|| self.session_once(token, session, client)).await?;
        let Some(signer) = opened.signer().cloned().filter(|_| !opened.authenticated) else {
            return Ok(opened);
        };
        let reused = self
            .reuse_auth_pass(token, &opened.record, &signer, pass, client)
            .await?;
        if let Some((record, session)) = reused {
            opened.record = record;
            opened.authenticated = true;
            opened.reused = Some(session);
        }
        Ok(opened)
    }

    async fn session_once(
        &self,
        token: &str,
        session: Option<&str>,
        client: &ClientInfo,
    ) -> Result<SigningSession, CoreError> {
        let (mut record, signer_id) = self.resolve_token(token).await?;
        let signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signing link"))?;
        require_turn(&record, &signer)?;
        let first_view = signer.viewed_at.is_none()
            && signer.status == SignerStatus::Pending
            && record.envelope.status == EnvelopeStatus::InProgress;
        if first_view {
            let mut change = Mutation::of(record, self.now());
            let mut viewed = signer;
            viewed.viewed_at = Some(change.now);
            change.put_signer(viewed);
            change.event(
                EventKind::Viewed,
                Actor::Signer { signer_id },
                client,
                json!({"signer_id": signer_id}),
            );
            record = self.commit(change).await?;
        }
        let account_name = self.account_name(record.envelope.account_id).await?;
        let authenticated = match record.signer(signer_id) {
            Some(signer) => self.signer_verified(signer, session).await?,
            None => false,
        };
        let frame_ancestors = self.frame_ancestors(record.envelope.account_id).await?;
        Ok(SigningSession {
            record,
            signer_id,
            account_name,
            authenticated,
            frame_ancestors,
            opened_at: self.now(),
            reused: None,
        })
    }

    /// The language and framing of the signer a token names, whatever the state of the
    /// envelope (`None` for a token that names nobody or a failure to look it up): for the
    /// error page shown instead of a session.
    pub async fn link_context(&self, token: &str) -> Option<LinkContext> {
        if token.is_empty() || token.len() > 128 {
            return None;
        }
        let hash = SigningTokens::hash(token);
        let (account, envelope, signer) = self.store_ref().signer_by_token(&hash).await.ok()??;
        let record = self
            .store_ref()
            .load_envelope(account, envelope)
            .await
            .ok()??;
        let language = record.signer(signer)?.language;
        let frame_ancestors = self.frame_ancestors(account).await.ok()?;
        Some(LinkContext {
            language,
            frame_ancestors,
        })
    }

    /// An original document of the envelope, for the signer to read.
    pub async fn signing_document(
        &self,
        token: &str,
        session: Option<&str>,
        document_id: DocumentId,
    ) -> Result<Download, CoreError> {
        let (record, signer_id) = self.resolve_token(token).await?;
        let signer = record
            .signer(signer_id)
            .ok_or(CoreError::NotFound("signing link"))?;
        require_turn(&record, signer)?;
        self.require_authenticated(signer, session).await?;
        let document = record
            .documents
            .iter()
            .find(|d| d.id == document_id)
            .ok_or(CoreError::NotFound("document"))?;
        self.download(&document.original, &document.filename).await
    }

    /// Declines: the envelope stops and the sender's callback is called.
    pub async fn decline(
        &self,
        token: &str,
        session: Option<&str>,
        reason: Option<&str>,
        client: &ClientInfo,
    ) -> Result<SigningOutcome, CoreError> {
        let reason = validate::optional_text("reason", reason, 1000)?;
        retrying(|| self.decline_once(token, session, reason.clone(), client)).await
    }

    async fn decline_once(
        &self,
        token: &str,
        session: Option<&str>,
        reason: Option<String>,
        client: &ClientInfo,
    ) -> Result<SigningOutcome, CoreError> {
        let (record, signer_id) = self.resolve_token(token).await?;
        let mut signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signing link"))?;
        require_actionable(&record, &signer)?;
        self.require_authenticated(&signer, session).await?;
        let mut change = Mutation::of(record, self.now());
        signer.status = SignerStatus::Declined;
        signer.declined_at = Some(change.now);
        signer.decline_reason = reason.clone();
        signer.evidence = Some(crate::model::SigningEvidence {
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
            consent_version: None,
            consent_sha256: None,
        });
        change.put_signer(signer.clone());
        change.record.envelope.status = EnvelopeStatus::Declined;
        change.record.envelope.finished_at = Some(change.now);
        change.event(
            EventKind::Declined,
            Actor::Signer { signer_id },
            client,
            json!({"signer_id": signer_id, "reason": reason}),
        );
        schedule_callback(&mut change, "envelope.declined");
        crate::usecase::notify::notify_parties(&mut change, crate::model::NoticeKind::Declined);
        let record = self.commit(change).await?;
        Ok(outcome(self, &record, &signer, "failure").await)
    }

    /// Finds the signer and envelope of a token; canceled, deleted or expired envelopes are gone.
    pub(crate) async fn resolve_token(
        &self,
        token: &str,
    ) -> Result<(EnvelopeRecord, SignerId), CoreError> {
        if token.is_empty() || token.len() > 128 {
            return Err(CoreError::NotFound("signing link"));
        }
        let found = self
            .store_ref()
            .signer_by_token(&SigningTokens::hash(token))
            .await?;
        let (account, envelope, signer) = found.ok_or(CoreError::NotFound("signing link"))?;
        let record = self
            .store_ref()
            .load_envelope(account, envelope)
            .await?
            .ok_or(CoreError::NotFound("signing link"))?;
        let env = &record.envelope;
        if env.deleted_at.is_some() || env.status == EnvelopeStatus::Canceled {
            return Err(CoreError::gone(
                "link_revoked",
                "this signature request was canceled by its sender",
            ));
        }
        let lapsed = env.status == EnvelopeStatus::InProgress
            && env.expires_at.is_some_and(|at| at <= self.now());
        if env.status == EnvelopeStatus::Expired || lapsed {
            return Err(CoreError::gone(
                "link_expired",
                "this signature request has expired",
            ));
        }
        Ok((record, signer))
    }
}

/// In a sequential envelope a pending signer waits for their turn (409 until then).
pub(crate) fn require_turn(record: &EnvelopeRecord, signer: &Signer) -> Result<(), CoreError> {
    let waiting = record.envelope.status == EnvelopeStatus::InProgress
        && signer.status == SignerStatus::Pending
        && !record.is_turn_of(signer);
    if waiting {
        return Err(CoreError::conflict(
            "not_your_turn",
            "other signers must sign first; you will be notified when it is your turn",
        ));
    }
    Ok(())
}

/// The signer may sign or decline now.
pub(crate) fn require_actionable(
    record: &EnvelopeRecord,
    signer: &Signer,
) -> Result<(), CoreError> {
    match signer.status {
        SignerStatus::Signed => {
            return Err(CoreError::conflict(
                "already_signed",
                "you have already signed",
            ));
        }
        SignerStatus::Declined => {
            return Err(CoreError::conflict(
                "already_declined",
                "you have declined this request",
            ));
        }
        SignerStatus::Pending => {}
    }
    if record.envelope.status != EnvelopeStatus::InProgress {
        let status = record.envelope.status;
        return Err(CoreError::conflict(
            "envelope_not_in_progress",
            format!("the envelope is {status}"),
        ));
    }
    require_turn(record, signer)
}

/// Enqueues a callback for the envelope's callback URL, if it has one.
pub(crate) fn schedule_callback(change: &mut Mutation, event: &str) {
    if change.record.envelope.callback_url.is_none() {
        return;
    }
    let payload = JobPayload::DeliverCallback {
        account_id: change.record.envelope.account_id,
        envelope_id: change.record.envelope.id,
        event: event.to_string(),
        delivery_id: uuid::Uuid::now_v7(),
    };
    // Per envelope version: an envelope can reach the same status again (reactivation).
    let dedupe = format!(
        "callback:{}:{event}:{}",
        change.record.envelope.id, change.record.envelope.version
    );
    change.job(payload, None, Some(dedupe));
}

/// The redirect for a signer after acting (the signer's own `redirect_url`, else the
/// envelope's `result_url`), with the Stiply query convention.
pub(crate) async fn outcome(
    signet: &Signet,
    record: &EnvelopeRecord,
    signer: &Signer,
    status: &str,
) -> SigningOutcome {
    let target = signer
        .redirect_url
        .as_deref()
        .or(record.envelope.result_url.as_deref())
        .and_then(|base| url::Url::parse(base).ok());
    let redirect_url = match target {
        Some(mut url) => {
            let keys = signet.query_keys(record, Some(signer.id)).await;
            keys.append_to(&mut url);
            url.query_pairs_mut().append_pair("status", status);
            Some(url.to_string())
        }
        None => None,
    };
    let signer_status = record.signer(signer.id).map_or(signer.status, |s| s.status);
    SigningOutcome {
        signer_status,
        envelope_status: record.envelope.status,
        redirect_url,
    }
}
