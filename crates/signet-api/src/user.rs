//! `/api/v1/users`: the account's users, created, listed and disabled by its owners and admins.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use signet_core::CoreError;
use signet_core::id::UserId;
use signet_core::model::{User, UserRole};
use signet_core::usecase::user::NewUser;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path};
use crate::json::{ts, ts_opt};

/// The user routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(disable_user))
}

/// A new user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Login e-mail address (unique on this instance).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Password, at least 10 characters.
    pub password: String,
    /// `owner` (owners only), `admin` (owners only) or `member`.
    pub role: String,
}

/// A user, without the password hash.
#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    /// User id.
    pub id: Uuid,
    /// Login e-mail address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `owner`, `admin` or `member`.
    pub role: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// When the user was disabled; a disabled user's credentials no longer work.
    pub disabled_at: Option<String>,
}

impl From<&User> for UserResponse {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.as_uuid(),
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role.as_str().to_string(),
            created_at: ts(user.created_at),
            disabled_at: ts_opt(user.disabled_at),
        }
    }
}

/// The account's users, oldest first.
#[derive(Serialize, ToSchema)]
pub struct UserList {
    /// The users, disabled ones included.
    pub data: Vec<UserResponse>,
}

/// Add a user to your account. Owners may create owners, admins and members; admins members
/// only.
#[utoipa::path(
    post, path = "/api/v1/users", tag = "users",
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "The user", body = UserResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden` (that role is above yours)", body = ErrorBody),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 422, description = "`invalid_role`, `weak_password`, `invalid_email`, `invalid_field` or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn create_user(
    State(state): State<AppState>,
    Auth(who): Auth,
    Json(body): Json<CreateUserRequest>,
) -> ApiResult<(StatusCode, axum::Json<UserResponse>)> {
    let new = NewUser {
        role: parse_role(&body.role)?,
        email: body.email,
        name: body.name,
        password: body.password,
    };
    let user = state.signet.create_user(&who, new).await?;
    Ok((StatusCode::CREATED, axum::Json(UserResponse::from(&user))))
}

/// Your account's users, oldest first.
#[utoipa::path(
    get, path = "/api/v1/users", tag = "users",
    responses(
        (status = 200, description = "The users", body = UserList),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_users(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> ApiResult<axum::Json<UserList>> {
    let users = state.signet.list_users(&who).await?;
    Ok(axum::Json(UserList {
        data: users.iter().map(UserResponse::from).collect(),
    }))
}

/// Disable a user: every API key and personal access token acting as them stops working at
/// once. Disabling a disabled user is a success; the last active owner cannot be disabled.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/disable", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The disabled user", body = UserResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such user in your account", body = ErrorBody),
        (status = 409, description = "`last_owner`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn disable_user(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<UserResponse>> {
    let user = state
        .signet
        .disable_user(&who, UserId::from_uuid(id))
        .await?;
    Ok(axum::Json(UserResponse::from(&user)))
}

fn parse_role(name: &str) -> Result<UserRole, CoreError> {
    UserRole::parse(name).ok_or_else(|| {
        CoreError::invalid(
            "invalid_role",
            format!("role {name:?} is not owner, admin or member"),
        )
    })
}
