//! `/d/{token}` and `/d/{token}/{number}`: a party's download link to a completed envelope's
//! sealed documents (the completed e-mail's link variant). One document streams at once;
//! several get a list of links. Never cached, never sent as a referrer; every fetched document
//! is recorded in the envelope's audit trail by the core.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use signet_core::usecase::completed_link::LinkedDocuments;

use signet_core::message::escape;

use super::html::layout;
use super::{error_response, page};
use crate::AppState;
use crate::extract::{Client, Path};
use crate::rate_limit::{self, Bucket};
use crate::stream::{Disposition, pdf_response};

/// The download routes, under the signing pages' rate limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/d/{token}", get(open_link))
        .route("/d/{token}/{number}", get(open_document))
        .route_layer(rate_limit::layer(Bucket::Signing))
}

async fn open_link(
    State(state): State<AppState>,
    Client(client): Client,
    Path(token): Path<String>,
) -> Response {
    let opened = state.signet.open_download_link(&token, None, &client).await;
    respond(opened, &token)
}

async fn open_document(
    State(state): State<AppState>,
    Client(client): Client,
    Path((token, number)): Path<(String, usize)>,
) -> Response {
    let opened = state
        .signet
        .open_download_link(&token, Some(number), &client)
        .await;
    respond(opened, &token)
}

fn respond(opened: Result<LinkedDocuments, signet_core::CoreError>, token: &str) -> Response {
    let mut response = match opened {
        Ok(LinkedDocuments::Document(download)) => pdf_response(download, Disposition::Attachment),
        Ok(LinkedDocuments::Listing { title, filenames }) => {
            page(StatusCode::OK, listing(&title, &filenames, token))
        }
        Err(err) => error_response(err),
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn listing(title: &str, filenames: &[String], token: &str) -> String {
    let items: String = filenames
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                "<li><a href=\"/d/{}/{}\" download>{}</a></li>",
                escape(token),
                i + 1,
                escape(name)
            )
        })
        .collect();
    layout(
        title,
        &format!("<h1>{}</h1><ul>{items}</ul>", escape(title)),
    )
}
