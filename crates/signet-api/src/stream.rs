//! Streaming verified blobs as HTTP bodies, with safe download headers.

use std::io::Read;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use signet_core::usecase::download::Download;

/// How the browser should treat the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Save it.
    Attachment,
    /// Show it (the signer's preview).
    Inline,
}

const CHUNK: usize = 64 * 1024;

/// A `application/pdf` response streaming `download` from a blocking reader.
pub fn pdf_response(download: Download, disposition: Disposition) -> Response {
    let Download {
        reader,
        size,
        sha256,
        filename,
    } = download;
    let body = Body::from_stream(reader_stream(reader));
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::ETAG,
        header_value(&format!("\"{}\"", hex::encode(sha256))),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let kind = match disposition {
        Disposition::Attachment => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox"),
            );
            "attachment"
        }
        Disposition::Inline => {
            headers.insert(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("SAMEORIGIN"),
            );
            "inline"
        }
    };
    headers.insert(
        header::CONTENT_DISPOSITION,
        header_value(&content_disposition(kind, &filename)),
    );
    response
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

/// RFC 6266 `Content-Disposition` with an ASCII fallback and a UTF-8 `filename*`.
fn content_disposition(kind: &str, filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Reads a blocking reader on a blocking thread, yielding chunks as they come.
fn reader_stream(
    mut reader: Box<dyn signet_core::port::BlobRead>,
) -> impl futures::Stream<Item = std::io::Result<Bytes>> {
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        loop {
            let mut buf = vec![0u8; CHUNK];
            match reader.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    buf.truncate(n);
                    if tx.blocking_send(Ok(Bytes::from(buf))).is_err() {
                        return;
                    }
                }
                Err(err) => {
                    let _ = tx.blocking_send(Err(err));
                    return;
                }
            }
        }
    });
    futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn hostile_file_names_cannot_inject_headers() {
        let value = content_disposition("attachment", "a\"\r\nX-Evil: 1.pdf");
        assert!(!value.contains('\r') && !value.contains('\n'));
        assert!(value.contains("filename*=UTF-8''a%22%0D%0AX-Evil%3A%201.pdf"));
        assert!(axum::http::HeaderValue::from_str(&value).is_ok());
    }

    #[test]
    fn unicode_names_are_percent_encoded() {
        assert_eq!(
            content_disposition("inline", "Zoë.pdf"),
            "inline; filename=\"Zo_.pdf\"; filename*=UTF-8''Zo%C3%AB.pdf"
        );
    }
}
