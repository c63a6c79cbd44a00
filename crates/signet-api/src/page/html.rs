//! HTML of the signing page, in the signer's language (`super::strings`). Every interpolated
//! value is escaped.

use axum::http::StatusCode;
use signet_core::message::escape;
use signet_core::model::{
    AuthMethod, Document, EnvelopeStatus, Language, Signer, SignerRole, SignerStatus,
};
use signet_core::otp;
use signet_core::usecase::signing::SigningSession;

use super::strings::{PageStrings, fill, script_json, strings};
use form::{form, still_needed};

mod form;
mod markdown;

/// The page for an open session, in the signer's language.
pub fn signing_page(session: &SigningSession, token: &str) -> String {
    let Some(signer) = session.signer() else {
        return error_page(
            StatusCode::NOT_FOUND,
            "not_found",
            "This signing link is not valid.",
        );
    };
    let s = strings(signer.language);
    let envelope = &session.record.envelope;
    if !session.authenticated {
        return code_page(session, signer, token);
    }
    let documents: String = session
        .record
        .documents
        .iter()
        .map(|d| document_figure(d, token, s))
        .collect();
    let message = envelope
        .message
        .as_deref()
        .map(|m| {
            format!(
                "<p class=\"message\">{}</p>",
                escape(m).replace('\n', "<br>")
            )
        })
        .unwrap_or_default();
    // With a form, keyboard users may skip the documents, which come first.
    let (body, skip) = match (signer.status, envelope.status) {
        (SignerStatus::Signed, EnvelopeStatus::Completed) => {
            (notice(s.html.everyone_signed), String::new())
        }
        (SignerStatus::Signed, _) => (notice(s.html.you_signed), String::new()),
        (SignerStatus::Declined, _) => (notice(s.script.declined), String::new()),
        (_, EnvelopeStatus::InProgress) => (
            form(session, token, s),
            format!(
                "<a class=\"skip\" href=\"#sign-form\">{skip}</a>\
                 <div id=\"guide\" class=\"guide\"><p id=\"remaining\" role=\"status\" aria-live=\"polite\">{left}</p>\
                 <button type=\"button\" id=\"next-field\" class=\"secondary\">{next}</button></div>",
                skip = escape(s.html.skip_to_form),
                left = escape(&still_needed(session, signer, s)),
                next = escape(s.html.next_field),
            ),
        ),
        (_, status) => (notice(closed(status, s)), String::new()),
    };
    layout_in(
        signer.language,
        &envelope.title,
        &format!(
            "{header}{skip}{strings}\
             <section class=\"documents\" aria-label=\"{label}\" data-session=\"/api/v1/signing/{token}\" \
             data-today=\"{today}\">{documents}</section>{body}\
             <script type=\"module\" src=\"/assets/viewer.js\"></script>",
            header = header(session, signer, &message),
            strings = script_strings(signer.language),
            label = escape(s.html.documents),
            token = escape(token),
            today = escape(&today(session, signer)),
        ),
    )
}

/// Who asks the signer for what, and the envelope's title (and the sender's message).
fn header(session: &SigningSession, signer: &Signer, message: &str) -> String {
    let s = strings(signer.language);
    let asks = match signer.role {
        SignerRole::Approver => s.html.asks_approve,
        _ => s.html.asks_sign,
    };
    let (sender, name) = (escape(&session.account_name), escape(&signer.name));
    format!(
        "<header><p class=\"sender\">{asks}</p><h1>{title}</h1>{message}</header>",
        asks = fill(asks, &[("sender", &sender), ("name", &name)]),
        title = escape(&session.record.envelope.title),
    )
}

/// The scripts' words (`super::strings::ScriptText`) as JSON in a data attribute: no inline
/// script, so the page's CSP stays `script-src 'self'`.
fn script_strings(language: Language) -> String {
    format!(
        "<div id=\"page-strings\" hidden data-strings=\"{}\"></div>",
        escape(&script_json(language))
    )
}

/// Today's date in the signer's language, by the server's clock: the value a date field gets.
fn today(session: &SigningSession, signer: &Signer) -> String {
    signet_core::locale::long_date(session.opened_at, signer.language)
}

/// Why a request the signer has not acted on cannot be signed.
fn closed(status: EnvelopeStatus, s: &PageStrings) -> &'static str {
    match status {
        EnvelopeStatus::Completed | EnvelopeStatus::Sealing => s.html.request_completed,
        EnvelopeStatus::Declined => s.html.request_declined,
        EnvelopeStatus::Expired => s.html.request_expired,
        EnvelopeStatus::Canceled => s.html.request_canceled,
        EnvelopeStatus::Draft | EnvelopeStatus::InProgress => s.html.request_closed,
    }
}

/// The page of a signer who must enter a one-time code first: who asks for what, and the code
/// form (`otp.js` sends and checks the code, then reloads the page).
fn code_page(session: &SigningSession, signer: &Signer, token: &str) -> String {
    let s = strings(signer.language);
    let envelope = &session.record.envelope;
    let actionable =
        signer.status == SignerStatus::Pending && envelope.status == EnvelopeStatus::InProgress;
    let body = if actionable && signer.auth_method == AuthMethod::Oidc {
        identity_form(signer, token, s)
    } else if actionable {
        code_form(signer, token, s)
    } else {
        notice(closed(envelope.status, s))
    };
    layout_in(
        signer.language,
        &envelope.title,
        &format!(
            "{header}{strings}{body}",
            header = header(session, signer, ""),
            strings = script_strings(signer.language),
        ),
    )
}

/// The identity step: a link that starts the login at the signer's identity provider (no
/// script needed; the provider sends the browser back to `/oidc/callback`).
fn identity_form(signer: &Signer, token: &str, s: &PageStrings) -> String {
    let provider = escape(signer.identity_provider.as_deref().unwrap_or(""));
    format!(
        "<div id=\"identity\" class=\"otp\"><fieldset><legend>{legend}</legend>\
         <p id=\"identity-intro\">{intro}</p>\
         <div class=\"actions\"><a class=\"button\" id=\"identity-start\" href=\"/s/{token}/oidc/start\">{start}</a></div>\
         </fieldset></div>",
        legend = escape(s.html.confirm_legend),
        intro = fill(&escape(s.html.identity_intro), &[("provider", &provider)]),
        token = escape(token),
        start = escape(s.html.identity_start),
    )
}

fn code_form(signer: &Signer, token: &str, s: &PageStrings) -> String {
    let destination = match signer.auth_method {
        AuthMethod::Sms => {
            let number = otp::mask_phone(signer.phone.as_deref().unwrap_or(""));
            fill(s.html.by_sms, &[("number", &number)])
        }
        _ => fill(
            s.html.by_email,
            &[("address", &otp::mask_email(&signer.email))],
        ),
    };
    let minutes = otp::CODE_TTL.whole_minutes().to_string();
    let intro = fill(
        s.html.code_intro,
        &[("destination", &destination), ("minutes", &minutes)],
    );
    format!(
        "<form id=\"otp-form\" class=\"otp\" data-token=\"{token}\" novalidate>\
         <fieldset><legend>{legend}</legend>\
         <p id=\"otp-intro\">{intro}</p>\
         <button type=\"button\" id=\"otp-send\" class=\"secondary\">{send}</button>\
         <label for=\"otp-code\">{label}</label>\
         <input type=\"text\" id=\"otp-code\" name=\"code\" autocomplete=\"one-time-code\" inputmode=\"numeric\" \
         pattern=\"[0-9]*\" maxlength=\"6\" spellcheck=\"false\" aria-describedby=\"otp-intro otp-status\">\
         <p id=\"otp-status\" role=\"status\" aria-live=\"polite\"></p>\
         <div class=\"actions\"><button type=\"submit\" id=\"otp-verify\">{confirm}</button></div>\
         </fieldset></form><script src=\"/assets/otp.js\" defer></script>",
        token = escape(token),
        legend = escape(s.html.confirm_legend),
        intro = escape(&intro),
        send = escape(s.html.send_code),
        label = escape(s.html.code_label),
        confirm = escape(s.html.confirm),
    )
}

/// A document: its pages drawn by the viewer (`viewer.js`, pdf.js) with the signer's fields
/// over them, and links to open or download the PDF itself (also the way to read it without
/// script).
fn document_figure(document: &Document, token: &str, s: &PageStrings) -> String {
    let url = format!(
        "/api/v1/signing/{}/documents/{}",
        escape(token),
        document.id
    );
    let pages = match document.pages.len() {
        1 => s.html.one_page.to_owned(),
        n => fill(s.html.pages, &[("count", &n.to_string())]),
    };
    // Each page's shape as displayed (width/height), so the viewer can lay the pages out
    // before drawing them and nothing moves under the signer's finger.
    let shapes: Vec<String> = document
        .pages
        .iter()
        .map(|p| match p.rotation {
            90 | 270 => format!("{}/{}", p.height, p.width),
            _ => format!("{}/{}", p.width, p.height),
        })
        .collect();
    let name = escape(&document.filename);
    format!(
        "<figure class=\"doc\"><div class=\"pages\" data-document=\"{id}\" data-url=\"{url}\" data-name=\"{name}\" data-shapes=\"{shapes}\">\
         <p class=\"loading\">{loading}</p></div>\
         <figcaption><span class=\"filename\">{name} ({pages})</span><span class=\"links\">\
         <a href=\"{url}\" target=\"_blank\" rel=\"noopener\" aria-label=\"{open_named}\">{open}</a>\
         <a href=\"{url}\" download aria-label=\"{download_named}\">{download}</a></span></figcaption></figure>",
        id = document.id,
        shapes = shapes.join(" "),
        loading = escape(s.html.loading),
        pages = escape(&pages),
        open_named = fill(&escape(s.html.open_named), &[("name", &name)]),
        open = escape(s.html.open),
        download_named = fill(&escape(s.html.download_named), &[("name", &name)]),
        download = escape(s.html.download),
    )
}

fn notice(text: &str) -> String {
    format!("<p class=\"notice\" role=\"status\">{}</p>", escape(text))
}

/// A page explaining why the link does not work, in English (the link names no signer).
pub fn error_page(status: StatusCode, code: &str, message: &str) -> String {
    error_page_in(Language::En, status, code, message)
}

/// A page explaining why the link does not work, in `language`: the title by status, the
/// message by code where the signer meets it (else the API's own message).
pub fn error_page_in(language: Language, status: StatusCode, code: &str, message: &str) -> String {
    error_page_with_retry(language, status, code, message, None)
}

/// [`error_page_in`] with a link back to the signing page of `retry` (a signing token), for
/// errors the signer can get past by trying again.
pub fn error_page_with_retry(
    language: Language,
    status: StatusCode,
    code: &str,
    message: &str,
    retry: Option<&str>,
) -> String {
    let s = strings(language);
    let title = match status {
        StatusCode::GONE => s.html.title_gone,
        StatusCode::CONFLICT => s.html.title_not_yet,
        StatusCode::NOT_FOUND => s.html.title_not_found,
        _ => s.html.title_error,
    };
    let message = s.script.errors.for_code(code).unwrap_or(message);
    let retry = retry
        .map(|token| {
            format!(
                "<p><a class=\"button\" id=\"try-again\" href=\"/s/{}\">{}</a></p>",
                escape(token),
                escape(s.html.try_again)
            )
        })
        .unwrap_or_default();
    layout_in(
        language,
        title,
        &format!(
            "<h1>{}</h1><p>{}</p><p class=\"code\">{}</p>{retry}",
            escape(title),
            escape(message),
            escape(code)
        ),
    )
}

/// The page frame every page shares (stylesheet, viewport, no referrer), in English.
pub(crate) fn layout(title: &str, body: &str) -> String {
    layout_in(Language::En, title, body)
}

/// The page frame in `language` (`<html lang>`).
pub(crate) fn layout_in(language: Language, title: &str, body: &str) -> String {
    // The empty icon stops browsers asking for /favicon.ico (a 404 in the console).
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{title}</title>\
         <link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/assets/sign.css\"></head>\
         <body><main>{body}</main></body></html>",
        lang = language.as_str(),
        title = escape(title)
    )
}
