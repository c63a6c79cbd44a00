//! The pages' static assets, compiled into the binary: the signing page's script and style
//! sheet, its PDF viewer, and pdf.js (vendored from the npm package `pdfjs-dist` by
//! `scripts/vendor-pdfjs`; nothing is fetched at build or run time).

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use signet_core::model::ScriptFont;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::Path;

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const FONT: &str = "application/octet-stream";

/// `/assets/{name}`: the pages' own files.
const OWN: &[(&str, &[u8], &str)] = &[
    ("sign.js", include_bytes!("../assets/sign.js"), JS),
    ("sign.css", include_bytes!("../assets/sign.css"), CSS),
    ("viewer.js", include_bytes!("../assets/viewer.js"), JS),
    ("otp.js", include_bytes!("../assets/otp.js"), JS),
];

/// `/assets/pdfjs/{name}`: pdf.js, its worker and the standard fonts it draws unembedded
/// standard-14 fonts with.
const PDFJS: &[(&str, &[u8], &str)] = &[
    (
        "pdf.min.mjs",
        include_bytes!("../assets/pdfjs/pdf.min.mjs"),
        JS,
    ),
    (
        "pdf.worker.min.mjs",
        include_bytes!("../assets/pdfjs/pdf.worker.min.mjs"),
        JS,
    ),
    (
        "LICENSE",
        include_bytes!("../assets/pdfjs/LICENSE"),
        "text/plain; charset=utf-8",
    ),
    (
        "standard_fonts/FoxitDingbats.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitDingbats.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitFixed.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitFixed.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitFixedBold.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitFixedBold.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitFixedBoldItalic.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitFixedBoldItalic.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitFixedItalic.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitFixedItalic.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitSerif.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitSerif.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitSerifBold.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitSerifBold.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitSerifBoldItalic.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitSerifBoldItalic.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitSerifItalic.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitSerifItalic.pfb"),
        FONT,
    ),
    (
        "standard_fonts/FoxitSymbol.pfb",
        include_bytes!("../assets/pdfjs/standard_fonts/FoxitSymbol.pfb"),
        FONT,
    ),
    (
        "standard_fonts/LiberationSans-Bold.ttf",
        include_bytes!("../assets/pdfjs/standard_fonts/LiberationSans-Bold.ttf"),
        FONT,
    ),
    (
        "standard_fonts/LiberationSans-BoldItalic.ttf",
        include_bytes!("../assets/pdfjs/standard_fonts/LiberationSans-BoldItalic.ttf"),
        FONT,
    ),
    (
        "standard_fonts/LiberationSans-Italic.ttf",
        include_bytes!("../assets/pdfjs/standard_fonts/LiberationSans-Italic.ttf"),
        FONT,
    ),
    (
        "standard_fonts/LiberationSans-Regular.ttf",
        include_bytes!("../assets/pdfjs/standard_fonts/LiberationSans-Regular.ttf"),
        FONT,
    ),
    (
        "standard_fonts/LICENSE_FOXIT",
        include_bytes!("../assets/pdfjs/standard_fonts/LICENSE_FOXIT"),
        "text/plain; charset=utf-8",
    ),
    (
        "standard_fonts/LICENSE_LIBERATION",
        include_bytes!("../assets/pdfjs/standard_fonts/LICENSE_LIBERATION"),
        "text/plain; charset=utf-8",
    ),
];

/// The asset routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/fonts/{file}", get(script_font))
        .route(
            "/assets/{name}",
            get(|Path(name): Path<String>| async move { serve(OWN, &name) }),
        )
        .route(
            "/assets/pdfjs/{*name}",
            get(|Path(name): Path<String>| async move { serve(PDFJS, &name) }),
        )
}

/// `/assets/fonts/{font}.ttf`: the script faces typed signatures are drawn in, the same files
/// the PDF engine embeds, so the page shows what will be stamped.
async fn script_font(Path(file): Path<String>) -> Response {
    let font = file.strip_suffix(".ttf").and_then(ScriptFont::parse);
    let Some(font) = font else {
        return ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such font").into_response();
    };
    serve(&[(file.as_str(), font.ttf(), "font/ttf")], &file)
}

/// The named file of `table`, cacheable for an hour (a new version of Signet may change it
/// under the same name), or 404.
fn serve(table: &[(&str, &'static [u8], &'static str)], name: &str) -> Response {
    let Some((_, body, content_type)) = table.iter().find(|(n, _, _)| *n == name) else {
        return ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such asset").into_response();
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
