//! `save_envelope`: one use case's writes about one envelope, in one transaction.

use signet_core::id::{AccountId, EnvelopeId};
use signet_core::model::{AuditEvent, ChainHead, Document, Envelope, Field, Signer};
use signet_core::port::{EnvelopeChange, StoreError};

use crate::decode;
use crate::engine::{Engine, Tx, inconsistent};
use crate::param::{Param, exact_time, json, params, size};
use crate::query::job::insert_job;
use crate::query::webhook::fan_out;

/// The envelope a change is about: every row it writes is tied to it and to its account.
#[derive(Clone, Copy)]
struct Scope {
    account: AccountId,
    envelope: EnvelopeId,
}

/// See [`signet_core::port::Store::save_envelope`]. The envelope (or, without one, the first
/// event) fixes the scope; rows of another envelope or account are refused before anything is
/// written, and the composite foreign keys refuse them again inside the database.
pub(crate) async fn save_envelope(
    engine: &dyn Engine,
    change: &EnvelopeChange,
) -> Result<(), StoreError> {
    let scope = scope_of(change)?;
    let mut tx = engine.write().await?;
    match (&change.envelope, change.expected_version, scope) {
        (Some(envelope), None, _) => insert_envelope(&mut *tx, envelope).await?,
        (Some(envelope), Some(expected), _) => {
            update_envelope(&mut *tx, envelope, expected).await?
        }
        (None, Some(expected), Some(scope)) => check_version(&mut *tx, scope, expected).await?,
        _ => {}
    }
    if let Some(scope) = scope {
        remove_rows(&mut *tx, scope, change).await?;
        for document in &change.documents {
            upsert_document(&mut *tx, scope, document).await?;
        }
        for signer in &change.signers {
            upsert_signer(&mut *tx, scope, signer).await?;
        }
        for field in &change.fields {
            upsert_field(&mut *tx, scope, field).await?;
        }
        append_events(&mut *tx, scope, &change.events).await?;
        if let Some(attributes) = &change.attributes {
            put_attributes(&mut *tx, scope, attributes).await?;
        }
        for message in &change.webhooks {
            fan_out(engine, &mut *tx, scope.account, scope.envelope, message).await?;
        }
    }
    for job in &change.jobs {
        let created_at = change
            .envelope
            .as_ref()
            .map_or(job.run_at, |e| e.updated_at);
        insert_job(&mut *tx, job, created_at).await?;
    }
    tx.commit().await
}

/// Works out the scope and checks that every row of the change lies inside it.
fn scope_of(change: &EnvelopeChange) -> Result<Option<Scope>, StoreError> {
    let scope = match (&change.envelope, change.events.first()) {
        (Some(e), _) => Some(Scope {
            account: e.account_id,
            envelope: e.id,
        }),
        (None, Some(ev)) => Some(Scope {
            account: ev.account_id,
            envelope: ev.envelope_id,
        }),
        (None, None) => None,
    };
    let Some(scope) = scope else {
        let has_rows = !change.documents.is_empty()
            || !change.signers.is_empty()
            || !change.fields.is_empty()
            || !change.removed_documents.is_empty()
            || !change.removed_signers.is_empty()
            || change.attributes.is_some();
        if has_rows || change.expected_version.is_some() {
            return Err(inconsistent(
                "rows or an expected version without the envelope they belong to",
            ));
        }
        return Ok(None);
    };
    let foreign = change
        .documents
        .iter()
        .any(|d| d.envelope_id != scope.envelope)
        || change
            .signers
            .iter()
            .any(|s| s.envelope_id != scope.envelope)
        || change
            .events
            .iter()
            .any(|ev| ev.envelope_id != scope.envelope || ev.account_id != scope.account);
    if foreign {
        return Err(inconsistent("a row belongs to another envelope or account"));
    }
    Ok(Some(scope))
}

/// Deletes the removed signers and documents of a draft, fields first (the foreign keys have
/// no cascade).
async fn remove_rows(
    tx: &mut dyn Tx,
    scope: Scope,
    change: &EnvelopeChange,
) -> Result<(), StoreError> {
    for signer in &change.removed_signers {
        let ids = || params![*signer, scope.envelope, scope.account];
        tx.execute(
            "DELETE FROM fields WHERE signer_id = $1 AND envelope_id = $2 AND account_id = $3",
            ids(),
        )
        .await?;
        tx.execute(
            "DELETE FROM signers WHERE id = $1 AND envelope_id = $2 AND account_id = $3",
            ids(),
        )
        .await?;
    }
    for document in &change.removed_documents {
        let ids = || params![*document, scope.envelope, scope.account];
        tx.execute(
            "DELETE FROM fields WHERE document_id = $1 AND envelope_id = $2 AND account_id = $3",
            ids(),
        )
        .await?;
        tx.execute(
            "DELETE FROM documents WHERE id = $1 AND envelope_id = $2 AND account_id = $3",
            ids(),
        )
        .await?;
    }
    Ok(())
}

/// Stores the envelope's front-door attributes, replacing earlier ones.
async fn put_attributes(
    tx: &mut dyn Tx,
    scope: Scope,
    attributes: &serde_json::Value,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO envelope_attributes (envelope_id, account_id, body) VALUES ($1, $2, $3) \
         ON CONFLICT (envelope_id) DO UPDATE SET body = excluded.body \
         WHERE envelope_attributes.account_id = excluded.account_id",
        params![
            scope.envelope,
            scope.account,
            json(attributes, "envelope attributes")?
        ],
    )
    .await
    .map(drop)
}

fn envelope_params(e: &Envelope) -> Result<Vec<Param>, StoreError> {
    let proof = e.proof.as_ref();
    Ok(params![
        e.id,
        e.account_id,
        e.created_by,
        &e.title,
        e.message.as_ref(),
        e.external_key.as_ref(),
        e.signing_order.as_str(),
        e.status.as_str(),
        e.expires_at,
        e.callback_url.as_ref(),
        proof.map(|p| p.blob_key.as_str()),
        proof.map(|p| p.sha256),
        proof.map(|p| size(p.size)).transpose()?,
        e.created_at,
        e.updated_at,
        e.sent_at,
        e.finished_at,
        e.deleted_at,
        e.version,
        e.result_url.as_ref(),
        e.status_callbacks,
        json(&e.statements, "envelope statements")?,
        e.extended_auth_session,
    ])
}

async fn insert_envelope(tx: &mut dyn Tx, e: &Envelope) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO envelopes (id, account_id, created_by, title, message, external_key, \
         signing_order, status, expires_at, callback_url, proof_blob_key, proof_sha256, proof_size, \
         created_at, updated_at, sent_at, finished_at, deleted_at, version, result_url, \
         status_callbacks, statements, extended_auth_session) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
         $20, $21, $22, $23)",
        envelope_params(e)?,
    )
    .await
    .map(drop)
}

/// Compare-and-set on `version`: zero rows means another writer got there first (or the
/// envelope is not in this account, which the caller cannot tell apart on purpose).
async fn update_envelope(tx: &mut dyn Tx, e: &Envelope, expected: i64) -> Result<(), StoreError> {
    let mut params = envelope_params(e)?;
    params.push(Param::from(expected));
    let changed = tx
        .execute(
            "UPDATE envelopes SET created_by = $3, title = $4, message = $5, external_key = $6, \
             signing_order = $7, status = $8, expires_at = $9, callback_url = $10, \
             proof_blob_key = $11, proof_sha256 = $12, proof_size = $13, created_at = $14, \
             updated_at = $15, sent_at = $16, finished_at = $17, deleted_at = $18, version = $19, \
             result_url = $20, status_callbacks = $21, statements = $22, \
             extended_auth_session = $23 \
             WHERE id = $1 AND account_id = $2 AND version = $24",
            params,
        )
        .await?;
    if changed == 0 {
        Err(StoreError::VersionConflict)
    } else {
        Ok(())
    }
}

/// For a change without an envelope row: applies only if the stored version is `expected`.
async fn check_version(tx: &mut dyn Tx, scope: Scope, expected: i64) -> Result<(), StoreError> {
    let rows = tx
        .fetch(
            "SELECT version FROM envelopes WHERE id = $1 AND account_id = $2 AND version = $3",
            params![scope.envelope, scope.account, expected],
        )
        .await?;
    if rows.is_empty() {
        Err(StoreError::VersionConflict)
    } else {
        Ok(())
    }
}

/// An upsert that changed nothing hit a row of another envelope with the same id.
fn upserted(changed: u64, what: &str) -> Result<(), StoreError> {
    if changed == 0 {
        Err(inconsistent(&format!(
            "{what} id belongs to another envelope"
        )))
    } else {
        Ok(())
    }
}

async fn upsert_document(tx: &mut dyn Tx, scope: Scope, d: &Document) -> Result<(), StoreError> {
    let signed = d.signed.as_ref();
    let source = d.source.as_ref();
    let revision = d.revision.as_ref();
    let changed = tx
        .execute(
            "INSERT INTO documents (id, envelope_id, account_id, filename, original_blob_key, \
             original_sha256, original_size, pages, tags, position, signed_blob_key, signed_sha256, \
             signed_size, created_at, source_blob_key, source_sha256, source_size, \
             source_media_type, revision_blob_key, revision_sha256, revision_size, \
             revision_signers) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20, $21, $22) \
             ON CONFLICT (id) DO UPDATE SET filename = excluded.filename, \
             original_blob_key = excluded.original_blob_key, original_sha256 = excluded.original_sha256, \
             original_size = excluded.original_size, pages = excluded.pages, tags = excluded.tags, \
             position = excluded.position, signed_blob_key = excluded.signed_blob_key, \
             signed_sha256 = excluded.signed_sha256, signed_size = excluded.signed_size, \
             created_at = excluded.created_at, source_blob_key = excluded.source_blob_key, \
             source_sha256 = excluded.source_sha256, source_size = excluded.source_size, \
             source_media_type = excluded.source_media_type, \
             revision_blob_key = excluded.revision_blob_key, \
             revision_sha256 = excluded.revision_sha256, revision_size = excluded.revision_size, \
             revision_signers = excluded.revision_signers \
             WHERE documents.envelope_id = excluded.envelope_id \
             AND documents.account_id = excluded.account_id",
            params![
                d.id,
                scope.envelope,
                scope.account,
                &d.filename,
                &d.original.blob_key,
                d.original.sha256,
                size(d.original.size)?,
                json(&d.pages, "document pages")?,
                json(&d.tags, "document tags")?,
                d.position,
                signed.map(|s| s.blob_key.as_str()),
                signed.map(|s| s.sha256),
                signed.map(|s| size(s.size)).transpose()?,
                d.created_at,
                source.map(|s| s.file.blob_key.as_str()),
                source.map(|s| s.file.sha256),
                source.map(|s| size(s.file.size)).transpose()?,
                source.map(|s| s.media_type.as_str()),
                revision.map(|r| r.file.blob_key.as_str()),
                revision.map(|r| r.file.sha256),
                revision.map(|r| size(r.file.size)).transpose()?,
                revision
                    .map(|r| json(&r.signers, "revision signers"))
                    .transpose()?,
            ],
        )
        .await?;
    upserted(changed, "a document")
}

async fn upsert_signer(tx: &mut dyn Tx, scope: Scope, s: &Signer) -> Result<(), StoreError> {
    let signature = s
        .signature
        .as_ref()
        .map(|v| json(v, "signer signature"))
        .transpose()?;
    let evidence = s
        .evidence
        .as_ref()
        .map(|v| json(v, "signing evidence"))
        .transpose()?;
    let expected_identity = s
        .expected_identity
        .as_ref()
        .map(|v| json(v, "expected identity"))
        .transpose()?;
    let changed = tx
        .execute(
            "INSERT INTO signers (id, envelope_id, account_id, name, email, role, sign_order, language, \
             invitation, redirect_url, status, token_hash, token_generation, signature, evidence, \
             decline_reason, viewed_at, signed_at, declined_at, created_at, message, auth_method, \
             phone, identity_provider, expected_identity) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22, $23, $24, $25) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, \
             role = excluded.role, sign_order = excluded.sign_order, language = excluded.language, \
             invitation = excluded.invitation, redirect_url = excluded.redirect_url, \
             status = excluded.status, token_hash = excluded.token_hash, \
             token_generation = excluded.token_generation, signature = excluded.signature, \
             evidence = excluded.evidence, decline_reason = excluded.decline_reason, \
             viewed_at = excluded.viewed_at, signed_at = excluded.signed_at, \
             declined_at = excluded.declined_at, created_at = excluded.created_at, \
             message = excluded.message, auth_method = excluded.auth_method, phone = excluded.phone, \
             identity_provider = excluded.identity_provider, \
             expected_identity = excluded.expected_identity \
             WHERE signers.envelope_id = excluded.envelope_id AND signers.account_id = excluded.account_id",
            params![
                s.id,
                scope.envelope,
                scope.account,
                &s.name,
                &s.email,
                s.role.as_str(),
                s.order,
                s.language.as_str(),
                s.invitation.as_str(),
                s.redirect_url.as_ref(),
                s.status.as_str(),
                s.token_hash,
                s.token_generation,
                signature,
                evidence,
                s.decline_reason.as_ref(),
                s.viewed_at,
                s.signed_at,
                s.declined_at,
                s.created_at,
                s.message.as_ref(),
                s.auth_method.as_str(),
                s.phone.as_ref(),
                s.identity_provider.as_ref(),
                expected_identity,
            ],
        )
        .await?;
    upserted(changed, "a signer")
}

async fn upsert_field(tx: &mut dyn Tx, scope: Scope, f: &Field) -> Result<(), StoreError> {
    let value = f
        .value
        .as_ref()
        .map(|v| json(v, "field value"))
        .transpose()?;
    let tag_rect = f.tag_rect.as_ref();
    let changed = tx
        .execute(
            "INSERT INTO fields (id, envelope_id, account_id, signer_id, document_id, kind, required, \
             page, x, y, width, height, tag, tag_x, tag_y, tag_width, tag_height, value) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
             ON CONFLICT (id) DO UPDATE SET signer_id = excluded.signer_id, \
             document_id = excluded.document_id, kind = excluded.kind, required = excluded.required, \
             page = excluded.page, x = excluded.x, y = excluded.y, width = excluded.width, \
             height = excluded.height, tag = excluded.tag, tag_x = excluded.tag_x, \
             tag_y = excluded.tag_y, tag_width = excluded.tag_width, tag_height = excluded.tag_height, \
             value = excluded.value \
             WHERE fields.envelope_id = excluded.envelope_id AND fields.account_id = excluded.account_id",
            params![
                f.id,
                scope.envelope,
                scope.account,
                f.signer_id,
                f.document_id,
                f.kind.as_str(),
                f.required,
                f.page,
                f.rect.x,
                f.rect.y,
                f.rect.width,
                f.rect.height,
                f.tag.as_ref(),
                tag_rect.map(|r| r.x),
                tag_rect.map(|r| r.y),
                tag_rect.map(|r| r.width),
                tag_rect.map(|r| r.height),
                value,
            ],
        )
        .await?;
    upserted(changed, "a field")
}

/// Appends events after checking that they extend the stored chain: each one's hash matches its
/// content, its `seq` follows the head and its `prev_hash` is the head's hash. A `seq` already
/// taken means another writer appended first (`VersionConflict`); anything else is a broken
/// chain, refused so that what is stored always verifies.
async fn append_events(
    tx: &mut dyn Tx,
    scope: Scope,
    events: &[AuditEvent],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut head = tx
        .first(
            "SELECT seq, hash FROM audit_events WHERE envelope_id = $1 AND account_id = $2 \
             ORDER BY seq DESC LIMIT 1",
            params![scope.envelope, scope.account],
            decode::chain_head,
        )
        .await?
        .unwrap_or(ChainHead {
            seq: 0,
            hash: [0; 32],
        });
    for event in events {
        if event.seq <= head.seq {
            return Err(StoreError::VersionConflict);
        }
        if event.seq != head.seq + 1 || event.prev_hash != head.hash {
            return Err(inconsistent(
                "an audit event does not extend the envelope's chain",
            ));
        }
        if event.compute_hash() != event.hash {
            return Err(inconsistent(
                "an audit event's hash does not match its content",
            ));
        }
        insert_event(tx, event).await?;
        head = ChainHead {
            seq: event.seq,
            hash: event.hash,
        };
    }
    Ok(())
}

async fn insert_event(tx: &mut dyn Tx, e: &AuditEvent) -> Result<(), StoreError> {
    let at = exact_time(e.at)?;
    tx.execute(
        "INSERT INTO audit_events (envelope_id, account_id, seq, at, kind, actor, ip, user_agent, data, \
         prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        params![
            e.envelope_id,
            e.account_id,
            e.seq,
            at,
            e.kind.as_str(),
            json(&e.actor, "event actor")?,
            e.ip.as_ref(),
            e.user_agent.as_ref(),
            json(&e.data, "event data")?,
            e.prev_hash,
            e.hash,
        ],
    )
    .await
    .map(drop)
}
