//! The OpenAPI 3.1 document. Routes are registered together with their documentation
//! (`utoipa-axum`), so a route cannot exist without being documented.

use std::sync::OnceLock;

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::rate_limit::{self, Bucket};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Signet API",
        version = "1",
        description = "The native REST API of a Signet e-signature server. Authenticate with \
                       `Authorization: Bearer <api key>`. Errors are JSON: \
                       `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}` with a stable code. \
                       Coordinates are PDF points with the origin at the page's bottom-left corner."
    ),
    tags(
        (name = "envelopes", description = "Signature requests, their documents, recipients, audit trail and outputs"),
        (name = "signing", description = "The embedded-signing API, authenticated by the signing-link token in the path"),
        (name = "account", description = "Your account's settings"),
        (name = "credentials", description = "API keys and personal access tokens"),
        (name = "users", description = "Your account's users"),
        (name = "oauth", description = "OAuth2: client registration, the token and revocation endpoints (form-encoded, RFC 6749 error shape) and the server metadata"),
        (name = "webhooks", description = "Your account's webhook endpoints, their signing secrets and delivery logs"),
        (name = "trust", description = "What validators need to trust this instance's seals"),
        (name = "meta", description = "This document"),
        (name = "admin", description = "Your account's background jobs (owners and admins)"),
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "An API key (`sk_...`), a personal access token (`pat_...`) or an OAuth2 access token (`sat_...`)",
            ))
            .build();
        components.add_security_scheme("api_key", SecurityScheme::Http(scheme));
    }
}

/// Every documented API route, with its documentation, in its rate-limit group.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(rate_limit::limit(authenticated_routes(), Bucket::Api))
        .merge(rate_limit::limit(crate::signing::routes(), Bucket::Signing))
        .merge(rate_limit::limit(
            crate::oauth::token_routes(),
            Bucket::Token,
        ))
        .merge(crate::oauth::metadata_routes())
        .merge(crate::trust::routes())
        .routes(routes!(openapi_json))
}

/// The routes that take `Authorization: Bearer <credential>`.
fn authenticated_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::account::routes())
        .merge(crate::credential::routes())
        .merge(crate::user::routes())
        .merge(crate::envelope::routes())
        .merge(crate::document::routes())
        .merge(crate::signer::routes())
        .merge(crate::verify::routes())
        .merge(crate::oauth::client_routes())
        .merge(crate::webhook::routes())
        .merge(crate::admin_job::routes())
}

/// The OpenAPI document of the native API.
pub fn openapi_document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| api_router().split_for_parts().1)
}

/// This document: the OpenAPI 3.1 description of the native API.
#[utoipa::path(
    get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub async fn openapi_json() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(openapi_document())
}
