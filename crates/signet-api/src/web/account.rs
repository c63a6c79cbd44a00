//! `GET /account`, the logged-in user's page, and its forms: personal access tokens (create,
//! revoke) and, for owners and admins, OAuth2 clients (create, delete). A page action acts as
//! the session's user with every scope their role allows ([`Principal::for_session`]). New
//! secrets are shown once, in the body of the POST's response, never in a URL or a cookie.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use signet_core::CoreError;
use signet_core::id::{ApiKeyId, OAuthClientId};
use signet_core::model::{GrantType, Scope, Scopes, User};
use signet_core::usecase::account::Principal;
use signet_core::usecase::credential::NewCredential;
use signet_core::usecase::oauth::client::NewOAuthClient;
use signet_core::usecase::oauth::session::{csrf_matches, csrf_token};

use super::account_page::{self, AccountView, Notice};
use super::cookie;
use super::login::{failure, message, page, redirect};
use crate::AppState;
use crate::error::ApiError;

/// Longest expiry a token made on the page may ask for, in days.
const MAX_EXPIRY_DAYS: i64 = 3650;

/// The create-token form. Checkboxes are one field each, absent when unticked.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    scope_read: Option<String>,
    scope_write: Option<String>,
    scope_admin: Option<String>,
    #[serde(default)]
    expires_in_days: String,
}

/// The create-client form.
#[derive(Deserialize)]
pub struct ClientForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    redirect_uris: String,
    confidential: Option<String>,
    grant_authorization_code: Option<String>,
    grant_refresh_token: Option<String>,
    grant_client_credentials: Option<String>,
    scope_read: Option<String>,
    scope_write: Option<String>,
    scope_admin: Option<String>,
}

/// The revoke-token and delete-client forms.
#[derive(Deserialize)]
pub struct IdForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
}

/// A live session: its cookie value and its user.
struct Session {
    token: String,
    user: User,
}

impl Session {
    fn principal(&self) -> Principal {
        Principal::for_session(&self.user)
    }
}

/// The session of the request's cookie, if it names a live one.
async fn session(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, Response> {
    let Some(token) = cookie::read(headers, cookie::SESSION) else {
        return Ok(None);
    };
    match state.signet.session_user(&token).await {
        Ok(user) => Ok(user.map(|user| Session { token, user })),
        Err(err) => Err(failure(err)),
    }
}

/// A form of the page: each carries the session's CSRF token.
trait PageForm {
    fn csrf(&self) -> &str;
}

impl PageForm for TokenForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl PageForm for ClientForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl PageForm for IdForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A form POST and its session, when the body is a form whose CSRF token matches a live
/// session; otherwise the 403 page (a body that is not a form cannot carry the token).
async fn posted<F: PageForm>(
    state: &AppState,
    headers: &HeaderMap,
    form: Result<Form<F>, FormRejection>,
) -> Result<(F, Session), Response> {
    let Ok(Form(form)) = form else {
        return Err(csrf_failed());
    };
    let session = session(state, headers).await?.ok_or_else(csrf_failed)?;
    let csrf = form.csrf();
    if csrf.is_empty() || !csrf_matches(&session.token, csrf) {
        return Err(csrf_failed());
    }
    Ok((form, session))
}

fn csrf_failed() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "csrf_failed",
        "The form expired or did not come from this site. Open the account page again.",
    )
}

/// The page, or a 303 to the login when no one is logged in.
pub async fn account(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match session(&state, &headers).await {
        Ok(Some(session)) => render(&state, &session, StatusCode::OK, Notice::None).await,
        Ok(None) => redirect("/login?return_to=/account"),
        Err(response) => response,
    }
}

/// Creates a personal access token and shows its text once.
pub async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Response {
    let (form, session) = match posted(&state, &headers, form).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let created = async {
        let new = NewCredential {
            name: form.name.trim().to_owned(),
            scopes: chosen_scopes([&form.scope_read, &form.scope_write, &form.scope_admin]),
            expires_at: expiry(&form.expires_in_days)?
                .map(|days| state.signet.now() + time::Duration::days(days)),
        };
        state
            .signet
            .create_personal_token(&session.principal(), new)
            .await
    }
    .await;
    outcome(&state, &session, created.map(|c| Notice::Token(c.text))).await
}

/// Revokes one of the user's tokens.
pub async fn revoke_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<IdForm>, FormRejection>,
) -> Response {
    let (form, session) = match posted(&state, &headers, form).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let revoked = match form.id.trim().parse::<ApiKeyId>() {
        Ok(id) => state
            .signet
            .revoke_personal_token(&session.principal(), id)
            .await
            .map(|_| Notice::Done("The token was revoked.")),
        Err(_) => Err(CoreError::NotFound("personal access token")),
    };
    outcome(&state, &session, revoked).await
}

/// Registers an OAuth2 client (owners and admins) and shows its secret once.
pub async fn create_client(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<ClientForm>, FormRejection>,
) -> Response {
    let (form, session) = match posted(&state, &headers, form).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let grants = ticked([
        (&form.grant_authorization_code, GrantType::AuthorizationCode),
        (&form.grant_refresh_token, GrantType::RefreshToken),
        (&form.grant_client_credentials, GrantType::ClientCredentials),
    ]);
    let new = NewOAuthClient {
        name: form.name.trim().to_owned(),
        redirect_uris: form
            .redirect_uris
            .lines()
            .map(str::trim)
            .filter(|uri| !uri.is_empty())
            .map(str::to_owned)
            .collect(),
        confidential: form.confidential.is_some(),
        grants: (!grants.is_empty()).then_some(grants),
        scopes: chosen_scopes([&form.scope_read, &form.scope_write, &form.scope_admin]),
    };
    let created = state
        .signet
        .create_oauth_client(&session.principal(), new)
        .await
        .map(|c| Notice::Client {
            client_id: c.client.id.to_string(),
            secret: c.client_secret,
        });
    outcome(&state, &session, created).await
}

/// Deletes an OAuth2 client of the account (owners and admins).
pub async fn delete_client(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<IdForm>, FormRejection>,
) -> Response {
    let (form, session) = match posted(&state, &headers, form).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let principal = session.principal();
    let deleted = match principal.require_admin() {
        Err(err) => Err(err),
        Ok(()) => match form.id.trim().parse::<OAuthClientId>() {
            Ok(id) => state
                .signet
                .delete_oauth_client(&principal, id)
                .await
                .map(|()| Notice::Done("The client was deleted.")),
            Err(_) => Err(CoreError::NotFound("OAuth client")),
        },
    };
    outcome(&state, &session, deleted).await
}

/// The ticked scopes of a form's `scope_read`, `scope_write` and `scope_admin` boxes; `None`
/// (all the role allows) when none is ticked.
fn chosen_scopes([read, write, admin]: [&Option<String>; 3]) -> Option<Scopes> {
    let scopes = ticked([
        (read, Scope::Read),
        (write, Scope::Write),
        (admin, Scope::Admin),
    ]);
    (!scopes.is_empty()).then(|| Scopes::of(&scopes))
}

/// The values whose checkbox is ticked (a checkbox field is present only when ticked).
fn ticked<T, const N: usize>(boxes: [(&Option<String>, T); N]) -> Vec<T> {
    boxes
        .into_iter()
        .filter_map(|(field, value)| field.is_some().then_some(value))
        .collect()
}

/// The expiry field: empty for the instance default, else whole days from 1 to 3650.
fn expiry(text: &str) -> Result<Option<i64>, CoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(days) if (1..=MAX_EXPIRY_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(CoreError::invalid(
            "invalid_expiry",
            format!("the expiry must be a whole number of days from 1 to {MAX_EXPIRY_DAYS}"),
        )),
    }
}

/// The page after an action: with its notice, or with the use case's error and its status.
async fn outcome(
    state: &AppState,
    session: &Session,
    result: Result<Notice, CoreError>,
) -> Response {
    match result {
        Ok(notice) => render(state, session, StatusCode::OK, notice).await,
        Err(err) => {
            let err = ApiError::from(err);
            if err.status.is_server_error() {
                return message(err.status, &err.code, &err.message);
            }
            render(state, session, err.status, Notice::Error(err.message)).await
        }
    }
}

/// Loads what the page lists and renders it.
async fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Notice,
) -> Response {
    let principal = session.principal();
    let loaded = async {
        let account = state.signet.account_settings(&principal).await?;
        let tokens = state.signet.list_personal_tokens(&principal).await?;
        let clients = match principal.require_admin() {
            Ok(()) => Some(state.signet.list_oauth_clients(&principal).await?),
            Err(_) => None,
        };
        Ok::<_, CoreError>((account, tokens, clients))
    }
    .await;
    match loaded {
        Ok((account, tokens, clients)) => page(
            status,
            account_page::page(&AccountView {
                user: &session.user,
                account_name: &account.name,
                csrf: &csrf_token(&session.token),
                role_scopes: principal.scopes,
                tokens: &tokens,
                clients: clients.as_deref(),
                notice: &notice,
            }),
        ),
        Err(err) => failure(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_empty_or_whole_days_within_bounds() {
        assert_eq!(expiry("").unwrap(), None);
        assert_eq!(expiry(" 30 ").unwrap(), Some(30));
        for bad in ["0", "-1", "3651", "1.5", "soon"] {
            assert_eq!(expiry(bad).unwrap_err().code(), "invalid_expiry", "{bad}");
        }
    }
}
