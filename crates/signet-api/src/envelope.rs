//! `/api/v1/envelopes`: create, list, read, update, delete, send, remind, cancel, reactivate,
//! events, downloads.

mod cancel;
mod create;
mod delete;
mod download;
mod events;
mod get;
pub mod json;
mod list;
mod reactivate;
mod remind;
mod send;
mod update;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The envelope routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create::create_envelope, list::list_envelopes))
        .routes(routes!(
            get::get_envelope,
            delete::delete_envelope,
            update::update_envelope
        ))
        .routes(routes!(send::send_envelope))
        .routes(routes!(remind::remind))
        .routes(routes!(cancel::cancel_envelope))
        .routes(routes!(reactivate::reactivate))
        .routes(routes!(events::list_events))
        .routes(routes!(events::verify_chain))
        .routes(routes!(download::signed_pdf))
        .routes(routes!(download::document_signed_pdf))
        .routes(routes!(download::document_original_pdf))
        .routes(routes!(download::proof_pdf))
}
