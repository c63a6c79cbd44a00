//! The signer's HTML page at `/s/{token}`, the password pages (`password`) and their static
//! assets. Pages are rendered on the server from the same use cases the JSON API calls; the
//! signing page's script only talks to that API.

mod assets;
mod download;
mod form_guard;
pub(crate) mod html;
mod identity;
mod password;
pub(crate) mod strings;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use signet_core::frame_ancestors::FrameAncestors;
use signet_core::model::Language;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{Client, Path};
use crate::rate_limit::{self, Bucket};
use crate::signing::cookie::{self as signer_cookie, AuthPassCookie, SignerCookie};

/// CSP for the page: no inline script or style, nothing from elsewhere, no framing. The PDF
/// viewer (pdf.js) runs its parser in a worker of its own origin and draws into canvases.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; \
img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; \
base-uri 'none'; \
frame-ancestors 'none'";

/// [`PAGE_CSP`] with `frame-ancestors` from the account's setting (`'none'` when empty).
fn signing_csp(frame_ancestors: &FrameAncestors) -> String {
    let base = PAGE_CSP.trim_end_matches("frame-ancestors 'none'");
    format!(
        "{base}frame-ancestors {}",
        frame_ancestors.csp_source_list()
    )
}

/// The page routes (not part of the JSON API's OpenAPI document).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/s/{token}",
            get(signing_page).route_layer(rate_limit::layer(Bucket::Signing)),
        )
        .route(
            "/s/{token}/oidc/start",
            get(identity::start_identity).route_layer(rate_limit::layer(Bucket::Signing)),
        )
        .route(
            "/oidc/callback",
            get(identity::identity_callback).route_layer(rate_limit::layer(Bucket::Signing)),
        )
        .merge(assets::routes())
        .merge(download::routes())
        .merge(password::routes())
}

async fn signing_page(
    State(state): State<AppState>,
    Client(client): Client,
    SignerCookie(cookie): SignerCookie,
    AuthPassCookie(pass): AuthPassCookie,
    Path(token): Path<String>,
) -> Response {
    let session = state
        .signet
        .signing_session(&token, cookie.as_deref(), pass.as_deref(), &client)
        .await;
    match session {
        Ok(session) => {
            let mut response = framed_page(
                StatusCode::OK,
                html::signing_page(&session, &token),
                &session.frame_ancestors,
            );
            let reused = session.reused.as_ref();
            signer_cookie::set_reused(response.headers_mut(), &state, &token, reused);
            response
        }
        Err(err) => {
            // A link that names a signer gets the page in their language and the account's
            // framing (an embedded page shows why it stopped, not a browser error).
            let context = state.signet.link_context(&token).await;
            let err = ApiError::from(err);
            let (language, frame) = match context {
                Some(c) => (c.language, c.frame_ancestors),
                None => (Language::En, FrameAncestors::default()),
            };
            let body = html::error_page_in(language, err.status, &err.code, &err.message);
            framed_page(err.status, body, &frame)
        }
    }
}

/// A signing page that `frame_ancestors` may embed: the CSP names them, and `X-Frame-Options`
/// (which cannot name origins) is left out when there are any, `DENY` otherwise.
fn framed_page(status: StatusCode, body: String, frame_ancestors: &FrameAncestors) -> Response {
    let mut response = page_with_csp(status, body, &signing_csp(frame_ancestors));
    if !frame_ancestors.is_empty() {
        response.headers_mut().remove(header::X_FRAME_OPTIONS);
    }
    response
}

/// An error as an HTML page with the status and code the JSON API would give it.
fn error_response(err: signet_core::CoreError) -> Response {
    let err = ApiError::from(err);
    page(
        err.status,
        html::error_page(err.status, &err.code, &err.message),
    )
}

fn page(status: StatusCode, body: String) -> Response {
    page_with_csp(status, body, PAGE_CSP)
}

/// An HTML response with the page headers (no caching, no framing, no referrer) and `csp`.
pub(crate) fn page_with_csp(status: StatusCode, body: String, csp: &str) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(csp).unwrap_or_else(|_| HeaderValue::from_static(PAGE_CSP)),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
