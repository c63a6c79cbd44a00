//! Extractors whose rejections are [`ApiError`]s, so every malformed request gets the same
//! JSON error shape.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use serde::de::DeserializeOwned;
use signet_core::ClientInfo;
use signet_core::model::Scope;
use signet_core::usecase::account::Principal;

use crate::AppState;
use crate::client_ip::ClientAddr;
use crate::error::ApiError;

/// JSON body extractor: malformed JSON is a 400 `invalid_json`, a wrong content type a 415,
/// a valid document of the wrong shape a 422 `invalid_body`.
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// Like [`Json`] for a body that may be left out: no body at all (and no `Content-Type`) is
/// `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if req.headers().contains_key(header::CONTENT_TYPE) {
            return Json::from_request(req, state).await.map(|Json(v)| Self(v));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|err| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", err.body_text())
            })?;
        if bytes.is_empty() {
            Ok(Self(T::default()))
        } else {
            Err(unsupported_media_type())
        }
    }
}

fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the body as Content-Type: application/json",
    )
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(err) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("the JSON body does not fit: {}", err.body_text()),
        ),
        JsonRejection::JsonSyntaxError(err) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {}", err.body_text()),
        ),
        JsonRejection::MissingJsonContentType(_) => unsupported_media_type(),
        JsonRejection::BytesRejection(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the request body is too large",
            )
        }
        other => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            other.body_text(),
        ),
    }
}

/// Path extractor: a malformed id is simply an object that does not exist (404).
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|_: PathRejection| ApiError::not_found("resource"))
    }
}

/// Query extractor with a 400 `invalid_query` rejection.
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|err: QueryRejection| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", err.body_text())
            })
    }
}

/// The authenticated caller, from `Authorization: Bearer <credential>`. Reading (`GET`,
/// `HEAD`) needs the `read` scope, anything else `write`; use cases that administer the
/// account additionally ask for `admin` ([`Principal::require_admin`]). On routes of the
/// API rate-limit group the credential's bucket is charged here, once it is known.
pub struct Auth(pub Principal);

/// The scope an HTTP method needs.
pub fn method_scope(method: &Method) -> Scope {
    if matches!(*method, Method::GET | Method::HEAD) {
        Scope::Read
    } else {
        Scope::Write
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let scope = method_scope(&parts.method);
        authenticate(parts, state, scope).await.map(Self)
    }
}

/// Like [`Auth`], but needing only `read` whatever the method: for `POST`s that compute an
/// answer and change nothing (verifying an uploaded PDF).
pub struct ReadAuth(pub Principal);

impl FromRequestParts<AppState> for ReadAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(parts, state, Scope::Read).await.map(Self)
    }
}

/// The Bearer credential's principal, charged to its rate-limit bucket, holding `scope`.
async fn authenticate(
    parts: &Parts,
    state: &AppState,
    scope: Scope,
) -> Result<Principal, ApiError> {
    let token = credential_in(parts, CredentialIn::Bearer)
        .ok_or_else(|| ApiError::from(signet_core::CoreError::Unauthenticated))?;
    principal_holding(parts, state, token, scope).await
}

/// Where a front door's requests carry their credential.
#[derive(Clone, Copy, Debug)]
pub(crate) enum CredentialIn {
    /// `Authorization: Bearer <credential>` (the native API, Stiply, Ignisign, Acronis).
    Bearer,
    /// `Authorization: <credential>`, no scheme (Auco).
    BareAuthorization,
    /// A header of its own (`x-api-key`: OKdokument).
    Header(&'static str),
}

/// The credential of a request, if it carries a non-empty one where `place` says.
pub(crate) fn credential_in(parts: &Parts, place: CredentialIn) -> Option<&str> {
    let name = match place {
        CredentialIn::Header(name) => name,
        CredentialIn::Bearer | CredentialIn::BareAuthorization => header::AUTHORIZATION.as_str(),
    };
    let value = parts.headers.get(name)?.to_str().ok()?.trim();
    let credential = match place {
        CredentialIn::Bearer => value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))?
            .trim(),
        CredentialIn::BareAuthorization if value.contains(' ') => return None,
        CredentialIn::BareAuthorization | CredentialIn::Header(_) => value,
    };
    (!credential.is_empty()).then_some(credential)
}

/// The caller of a dialect route: the credential where `place` says, as a principal charged
/// to its rate-limit bucket and holding the method's scope (`read` for GET and HEAD, else
/// `write`). No credential is a 401; the dialect maps the error to its own shape.
pub(crate) async fn dialect_principal(
    parts: &Parts,
    state: &AppState,
    place: CredentialIn,
) -> Result<Principal, ApiError> {
    let credential = credential_in(parts, place)
        .ok_or_else(|| ApiError::from(signet_core::CoreError::Unauthenticated))?;
    principal_holding(parts, state, credential, method_scope(&parts.method)).await
}

/// The principal of `credential` (an API key, personal access token or OAuth2 access token,
/// however the request carried it), charged to its rate-limit bucket, holding `scope`. The
/// dialects' extractors, which find the credential in their vendors' header forms, end here
/// too.
pub(crate) async fn principal_holding(
    parts: &Parts,
    state: &AppState,
    credential: &str,
    scope: Scope,
) -> Result<Principal, ApiError> {
    let principal = state.signet.authenticate(credential).await?;
    crate::rate_limit::charge_credential(&parts.extensions, &principal)?;
    principal.require(scope)?;
    Ok(principal)
}

/// Where the request came from: the client address ([`crate::client_ip`]: the socket peer,
/// or what a trusted proxy forwarded) and User-Agent.
pub struct Client(pub ClientInfo);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ClientAddr>()
            .map(|ClientAddr(ip)| ip.to_string());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect());
        Ok(Self(ClientInfo { ip, user_agent }))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::{CredentialIn, credential_in};

    fn found(name: &str, value: &str, place: CredentialIn) -> Option<String> {
        let request = Request::builder().header(name, value).body(()).unwrap();
        let (parts, ()) = request.into_parts();
        credential_in(&parts, place).map(str::to_owned)
    }

    #[test]
    fn each_door_finds_its_credential_and_nothing_else() {
        use CredentialIn::*;
        assert_eq!(
            found("authorization", "Bearer sk_1", Bearer).as_deref(),
            Some("sk_1")
        );
        assert_eq!(
            found("authorization", "bearer  sk_1 ", Bearer).as_deref(),
            Some("sk_1")
        );
        assert_eq!(found("authorization", "sk_1", Bearer), None);
        assert_eq!(found("authorization", "Bearer ", Bearer), None);
        assert_eq!(
            found("authorization", "prk_1", BareAuthorization).as_deref(),
            Some("prk_1")
        );
        assert_eq!(
            found("authorization", "Bearer prk_1", BareAuthorization),
            None
        );
        assert_eq!(
            found("x-api-key", " k1 ", Header("x-api-key")).as_deref(),
            Some("k1")
        );
        assert_eq!(
            found("authorization", "Bearer k1", Header("x-api-key")),
            None
        );
    }
}
