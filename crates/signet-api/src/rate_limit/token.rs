//! The OAuth client id of a token request (RFC 6749 §2.3.1): the user name of HTTP Basic
//! authentication, else the `client_id` form field. Reading the form buffers the body (token
//! requests are small; a larger body is refused) and puts it back for the handler.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use crate::error::ApiError;

/// Largest token request body read.
const MAX_TOKEN_BODY: usize = 16 * 1024;
/// Longest client id kept as a key (longer ones are cut, so a key's size is bounded).
const MAX_CLIENT_ID: usize = 128;

/// The request (unchanged) and its client id, if it names one.
pub(super) async fn client_id(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(id) = basic_user(request.headers()) {
        return Ok((request, Some(bounded(&id))));
    }
    if !is_form(request.headers()) {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_TOKEN_BODY)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the token request is too large",
            )
            .into_response()
        })?;
    let id = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "client_id")
        .map(|(_, value)| bounded(&value));
    Ok((Request::from_parts(parts, Body::from(bytes)), id))
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The (form-decoded) user name of `Authorization: Basic …`.
fn basic_user(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let user = text.split_once(':').map_or(text.as_str(), |(user, _)| user);
    let field = format!("id={user}");
    let (_, id) = url::form_urlencoded::parse(field.as_bytes()).next()?;
    Some(id.into_owned())
}

fn bounded(id: &str) -> String {
    id.chars().take(MAX_CLIENT_ID).collect()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn basic_user_is_the_form_decoded_client_id() {
        let mut headers = HeaderMap::new();
        let encoded = base64::engine::general_purpose::STANDARD.encode("my%20client:secret");
        let value = HeaderValue::from_str(&format!("Basic {encoded}")).unwrap();
        headers.insert(header::AUTHORIZATION, value);
        assert_eq!(basic_user(&headers).as_deref(), Some("my client"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(basic_user(&headers), None);
    }

    #[tokio::test]
    async fn the_form_client_id_is_read_and_the_body_kept() {
        let body = "grant_type=client_credentials&client_id=abc%2B1";
        let request = Request::builder()
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (request, id) = client_id(request).await.unwrap();
        assert_eq!(id.as_deref(), Some("abc+1"));
        let kept = axum::body::to_bytes(request.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(kept, body.as_bytes());
    }
}
