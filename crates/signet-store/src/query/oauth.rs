//! Web sessions, OAuth2 clients, authorization codes and tokens. Lookups by a secret's hash
//! are not scoped (the secret is the credential); everything an account manages is.

use signet_core::id::{AccountId, OAuthClientId, OAuthTokenId, UserId};
use signet_core::model::{
    AuthCode, GrantType, OAuthClient, OAuthToken, Scopes, TokenKind, User, WebSession,
};
use signet_core::port::StoreError;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::decode;
use crate::engine::Engine;
use crate::param::{json, params};
use crate::row::{Columns, Required};

/// See [`signet_core::port::Store::account_owner`].
pub(crate) async fn account_owner(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<Option<User>, StoreError> {
    engine
        .first(
            "SELECT * FROM users WHERE account_id = $1 AND role = 'owner' ORDER BY created_at, id LIMIT 1",
            params![account],
            decode::user,
        )
        .await
}

fn web_session(r: &dyn Columns) -> Result<WebSession, StoreError> {
    Ok(WebSession {
        hash: r.req_hash("hash")?,
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        user_id: UserId::from_uuid(r.req_id("user_id")?),
        created_at: r.req_time("created_at")?,
        last_seen_at: r.req_time("last_seen_at")?,
        expires_at: r.req_time("expires_at")?,
    })
}

/// See [`signet_core::port::Store::create_web_session`].
pub(crate) async fn create_web_session(
    engine: &dyn Engine,
    s: &WebSession,
) -> Result<(), StoreError> {
    engine
        .execute(
            "INSERT INTO web_sessions (hash, account_id, user_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            params![s.hash, s.account_id, s.user_id, s.created_at, s.last_seen_at, s.expires_at],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::web_session`].
pub(crate) async fn session(
    engine: &dyn Engine,
    hash: &[u8; 32],
) -> Result<Option<WebSession>, StoreError> {
    engine
        .first(
            "SELECT * FROM web_sessions WHERE hash = $1",
            params![*hash],
            web_session,
        )
        .await
}

/// See [`signet_core::port::Store::touch_web_session`].
pub(crate) async fn touch_web_session(
    engine: &dyn Engine,
    hash: &[u8; 32],
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    engine
        .execute(
            "UPDATE web_sessions SET last_seen_at = $2 WHERE hash = $1 AND last_seen_at < $2",
            params![*hash, at],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::delete_web_session`].
pub(crate) async fn delete_web_session(
    engine: &dyn Engine,
    hash: &[u8; 32],
) -> Result<(), StoreError> {
    engine
        .execute("DELETE FROM web_sessions WHERE hash = $1", params![*hash])
        .await
        .map(drop)
}

fn oauth_client(r: &dyn Columns) -> Result<OAuthClient, StoreError> {
    let grants: Result<Vec<GrantType>, StoreError> = r
        .req_text("grants")?
        .split_ascii_whitespace()
        .map(|g| {
            GrantType::parse(g)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown grant type {g:?}")))
        })
        .collect();
    Ok(OAuthClient {
        id: OAuthClientId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        user_id: UserId::from_uuid(r.req_id("user_id")?),
        name: r.req_text("name")?,
        redirect_uris: r.req_json("redirect_uris")?,
        secret_hash: r.opt_hash("secret_hash")?,
        grants: grants?,
        scopes: r.req_enum("scopes", Scopes::parse)?,
        created_at: r.req_time("created_at")?,
    })
}

/// See [`signet_core::port::Store::create_oauth_client`].
pub(crate) async fn create_oauth_client(
    engine: &dyn Engine,
    c: &OAuthClient,
) -> Result<(), StoreError> {
    let grants: Vec<&str> = c.grants.iter().map(|g| g.as_str()).collect();
    engine
        .execute(
            "INSERT INTO oauth_clients (id, account_id, user_id, name, redirect_uris, secret_hash, grants, \
             scopes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![
                c.id,
                c.account_id,
                c.user_id,
                &c.name,
                json(&c.redirect_uris, "redirect URIs")?,
                c.secret_hash.map(|h| h.to_vec()),
                grants.join(" "),
                c.scopes.to_string(),
                c.created_at,
            ],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::oauth_client`].
pub(crate) async fn client_by_id(
    engine: &dyn Engine,
    id: OAuthClientId,
) -> Result<Option<OAuthClient>, StoreError> {
    engine
        .first(
            "SELECT * FROM oauth_clients WHERE id = $1",
            params![id],
            oauth_client,
        )
        .await
}

/// See [`signet_core::port::Store::account_oauth_client`].
pub(crate) async fn account_client(
    engine: &dyn Engine,
    account: AccountId,
    id: OAuthClientId,
) -> Result<Option<OAuthClient>, StoreError> {
    engine
        .first(
            "SELECT * FROM oauth_clients WHERE id = $1 AND account_id = $2",
            params![id, account],
            oauth_client,
        )
        .await
}

/// See [`signet_core::port::Store::oauth_clients`].
pub(crate) async fn clients(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<Vec<OAuthClient>, StoreError> {
    let mut tx = engine.read().await?;
    tx.all(
        "SELECT * FROM oauth_clients WHERE account_id = $1 ORDER BY id",
        params![account],
        oauth_client,
    )
    .await
}

/// See [`signet_core::port::Store::delete_oauth_client`].
pub(crate) async fn delete_client(
    engine: &dyn Engine,
    account: AccountId,
    id: OAuthClientId,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let owned = tx
        .first(
            "SELECT * FROM oauth_clients WHERE id = $1 AND account_id = $2",
            params![id, account],
            oauth_client,
        )
        .await?;
    if owned.is_none() {
        return Ok(false);
    }
    tx.execute("DELETE FROM oauth_tokens WHERE client_id = $1", params![id])
        .await?;
    tx.execute("DELETE FROM oauth_codes WHERE client_id = $1", params![id])
        .await?;
    tx.execute(
        "DELETE FROM oauth_clients WHERE id = $1 AND account_id = $2",
        params![id, account],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

fn auth_code(r: &dyn Columns) -> Result<AuthCode, StoreError> {
    Ok(AuthCode {
        hash: r.req_hash("hash")?,
        client_id: OAuthClientId::from_uuid(r.req_id("client_id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        user_id: UserId::from_uuid(r.req_id("user_id")?),
        redirect_uri: r.req_text("redirect_uri")?,
        scopes: r.req_enum("scopes", Scopes::parse)?,
        code_challenge: r.text("code_challenge")?,
        family_id: r.req_id("family_id")?,
        created_at: r.req_time("created_at")?,
        expires_at: r.req_time("expires_at")?,
        used_at: r.time("used_at")?,
    })
}

/// See [`signet_core::port::Store::create_auth_code`].
pub(crate) async fn create_auth_code(engine: &dyn Engine, c: &AuthCode) -> Result<(), StoreError> {
    engine
        .execute(
            "INSERT INTO oauth_codes (hash, client_id, account_id, user_id, redirect_uri, scopes, \
             code_challenge, family_id, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            params![
                c.hash,
                c.client_id,
                c.account_id,
                c.user_id,
                &c.redirect_uri,
                c.scopes.to_string(),
                c.code_challenge.clone(),
                c.family_id,
                c.created_at,
                c.expires_at,
                c.used_at,
            ],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::use_auth_code`]. The conditional update decides, under the
/// write lock, which of two concurrent exchanges is first.
pub(crate) async fn use_auth_code(
    engine: &dyn Engine,
    hash: &[u8; 32],
    now: OffsetDateTime,
) -> Result<Option<(AuthCode, bool)>, StoreError> {
    let mut tx = engine.write().await?;
    let first = tx
        .execute(
            "UPDATE oauth_codes SET used_at = $2 WHERE hash = $1 AND used_at IS NULL",
            params![*hash, now],
        )
        .await?
        > 0;
    let code = tx
        .first(
            "SELECT * FROM oauth_codes WHERE hash = $1",
            params![*hash],
            auth_code,
        )
        .await?;
    tx.commit().await?;
    Ok(code.map(|code| (code, first)))
}

fn oauth_token(r: &dyn Columns) -> Result<OAuthToken, StoreError> {
    Ok(OAuthToken {
        id: OAuthTokenId::from_uuid(r.req_id("id")?),
        hash: r.req_hash("hash")?,
        kind: r.req_enum("kind", TokenKind::parse)?,
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        client_id: OAuthClientId::from_uuid(r.req_id("client_id")?),
        user_id: UserId::from_uuid(r.req_id("user_id")?),
        scopes: r.req_enum("scopes", Scopes::parse)?,
        family_id: r.req_id("family_id")?,
        created_at: r.req_time("created_at")?,
        expires_at: r.req_time("expires_at")?,
        used_at: r.time("used_at")?,
        revoked_at: r.time("revoked_at")?,
    })
}

/// See [`signet_core::port::Store::issue_oauth_tokens`].
pub(crate) async fn issue_tokens(
    engine: &dyn Engine,
    rotated: Option<&OAuthToken>,
    tokens: &[OAuthToken],
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    if let Some(old) = rotated {
        let claimed = tx
            .execute(
                "UPDATE oauth_tokens SET used_at = $2 \
                 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL",
                params![old.id, now],
            )
            .await?;
        if claimed == 0 {
            return Ok(false);
        }
    }
    for t in tokens {
        tx.execute(
            "INSERT INTO oauth_tokens (id, hash, kind, account_id, client_id, user_id, scopes, \
             family_id, created_at, expires_at, used_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            params![
                t.id,
                t.hash,
                t.kind.as_str(),
                t.account_id,
                t.client_id,
                t.user_id,
                t.scopes.to_string(),
                t.family_id,
                t.created_at,
                t.expires_at,
                t.used_at,
                t.revoked_at,
            ],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// See [`signet_core::port::Store::oauth_token`].
pub(crate) async fn token_by_hash(
    engine: &dyn Engine,
    hash: &[u8; 32],
) -> Result<Option<OAuthToken>, StoreError> {
    engine
        .first(
            "SELECT * FROM oauth_tokens WHERE hash = $1",
            params![*hash],
            oauth_token,
        )
        .await
}

/// See [`signet_core::port::Store::revoke_token_family`].
pub(crate) async fn revoke_family(
    engine: &dyn Engine,
    family: Uuid,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    engine
        .execute(
            "UPDATE oauth_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
            params![family, now],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::revoke_oauth_token`].
pub(crate) async fn revoke_token(
    engine: &dyn Engine,
    id: OAuthTokenId,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    engine
        .execute(
            "UPDATE oauth_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            params![id, now],
        )
        .await
        .map(drop)
}
