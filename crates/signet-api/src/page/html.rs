//! HTML of the signing page. Every interpolated value is escaped.

use axum::http::StatusCode;
use signet_core::message::escape;
use signet_core::model::{
    AuthMethod, Document, EnvelopeStatus, Field, FieldKind, Signer, SignerRole, SignerStatus,
};
use signet_core::otp;
use signet_core::usecase::signing::SigningSession;

/// The page for an open session.
pub fn signing_page(session: &SigningSession, token: &str) -> String {
    let Some(signer) = session.signer() else {
        return error_page(
            StatusCode::NOT_FOUND,
            "not_found",
            "This signing link is not valid.",
        );
    };
    let envelope = &session.record.envelope;
    if !session.authenticated {
        return code_page(session, signer, token);
    }
    let documents: String = session
        .record
        .documents
        .iter()
        .map(|d| document_figure(d, token))
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
        (SignerStatus::Signed, EnvelopeStatus::Completed) => (
            notice("Everyone has signed. The sender has the sealed document."),
            String::new(),
        ),
        (SignerStatus::Signed, _) => (notice("You have signed. Thank you."), String::new()),
        (SignerStatus::Declined, _) => (notice("You declined this request."), String::new()),
        (_, EnvelopeStatus::InProgress) => (
            form(session, token),
            format!(
                "<a class=\"skip\" href=\"#sign-form\">Skip to the form</a>\
                 <div id=\"guide\" class=\"guide\"><p id=\"remaining\" role=\"status\" aria-live=\"polite\">{}</p>\
                 <button type=\"button\" id=\"next-field\" class=\"secondary\">Next field</button></div>",
                escape(&still_needed(session, signer)),
            ),
        ),
        (_, status) => (notice(&format!("This request is {status}.")), String::new()),
    };
    layout(
        &envelope.title,
        &format!(
            "<header><p class=\"sender\">{sender} asks {name} to {verb}</p><h1>{title}</h1>{message}</header>{skip}\
             <section class=\"documents\" aria-label=\"Documents\" data-session=\"/api/v1/signing/{token}\">{documents}</section>{body}\
             <script type=\"module\" src=\"/assets/viewer.js\"></script>",
            sender = escape(&session.account_name),
            name = escape(&signer.name),
            verb = if signer.role == SignerRole::Approver {
                "approve"
            } else {
                "sign"
            },
            title = escape(&envelope.title),
            token = escape(token),
        ),
    )
}

/// The page of a signer who must enter a one-time code first: who asks for what, and the code
/// form (`otp.js` sends and checks the code, then reloads the page).
fn code_page(session: &SigningSession, signer: &Signer, token: &str) -> String {
    let envelope = &session.record.envelope;
    let actionable =
        signer.status == SignerStatus::Pending && envelope.status == EnvelopeStatus::InProgress;
    let body = if actionable {
        code_form(signer, token)
    } else {
        notice(&format!("This request is {}.", envelope.status))
    };
    layout(
        &envelope.title,
        &format!(
            "<header><p class=\"sender\">{sender} asks {name} to {verb}</p><h1>{title}</h1></header>{body}",
            sender = escape(&session.account_name),
            name = escape(&signer.name),
            verb = if signer.role == SignerRole::Approver {
                "approve"
            } else {
                "sign"
            },
            title = escape(&envelope.title),
        ),
    )
}

fn code_form(signer: &Signer, token: &str) -> String {
    let destination = match signer.auth_method {
        AuthMethod::Sms => format!(
            "by text message to {}",
            otp::mask_phone(signer.phone.as_deref().unwrap_or(""))
        ),
        _ => format!("by e-mail to {}", otp::mask_email(&signer.email)),
    };
    format!(
        "<form id=\"otp-form\" class=\"otp\" data-token=\"{token}\" novalidate>\
         <fieldset><legend>Confirm it is you</legend>\
         <p id=\"otp-intro\">Before you can read and sign, enter the code we send {destination}. \
         It works once, for 10 minutes.</p>\
         <button type=\"button\" id=\"otp-send\" class=\"secondary\">Send me a code</button>\
         <label for=\"otp-code\">Code (6 digits)</label>\
         <input type=\"text\" id=\"otp-code\" name=\"code\" autocomplete=\"one-time-code\" inputmode=\"numeric\" \
         pattern=\"[0-9]*\" maxlength=\"6\" spellcheck=\"false\" aria-describedby=\"otp-intro otp-status\">\
         <p id=\"otp-status\" role=\"status\" aria-live=\"polite\"></p>\
         <div class=\"actions\"><button type=\"submit\" id=\"otp-verify\">Confirm</button></div>\
         </fieldset></form><script src=\"/assets/otp.js\" defer></script>",
        token = escape(token),
        destination = escape(&destination),
    )
}

/// A document: its pages drawn by the viewer (`viewer.js`, pdf.js) with the signer's fields
/// over them, and links to open or download the PDF itself (also the way to read it without
/// script).
fn document_figure(document: &Document, token: &str) -> String {
    let url = format!(
        "/api/v1/signing/{}/documents/{}",
        escape(token),
        document.id
    );
    let pages = match document.pages.len() {
        1 => "1 page".to_string(),
        n => format!("{n} pages"),
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
    format!(
        "<figure class=\"doc\"><div class=\"pages\" data-document=\"{id}\" data-url=\"{url}\" data-name=\"{name}\" data-shapes=\"{shapes}\">\
         <p class=\"loading\">Loading the document\u{2026}</p></div>\
         <figcaption><span class=\"filename\">{name} ({pages})</span><span class=\"links\">\
         <a href=\"{url}\" target=\"_blank\" rel=\"noopener\" aria-label=\"Open {name}\">Open</a>\
         <a href=\"{url}\" download aria-label=\"Download {name}\">Download</a></span></figcaption></figure>",
        id = document.id,
        name = escape(&document.filename),
        shapes = shapes.join(" "),
    )
}

fn form(session: &SigningSession, token: &str) -> String {
    let Some(signer) = session.signer() else {
        return String::new();
    };
    let fields: Vec<&Field> = session
        .record
        .fields
        .iter()
        .filter(|f| f.signer_id == signer.id)
        .collect();
    let inputs: String = fields.iter().map(|f| field_input(f)).collect();
    let signature = if signer.role == SignerRole::Signer {
        signature_block()
    } else {
        String::new()
    };
    format!(
        "<form id=\"sign-form\" data-token=\"{token}\" novalidate>\
           {inputs_section}{signature}\
           <fieldset class=\"consent\"><legend>Consent</legend><p id=\"consent-text\">{consent}</p>\
             <label class=\"choice\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" aria-describedby=\"consent-text\"> I agree to sign electronically.</label></fieldset>\
           <p id=\"status\" role=\"status\" aria-live=\"polite\"></p>\
           <div class=\"actions\"><button type=\"submit\" id=\"sign-button\">{verb}</button></div>\
           <details class=\"decline\"><summary>Decline instead</summary>\
             <label for=\"decline-reason\">Reason (optional)</label><textarea id=\"decline-reason\" maxlength=\"1000\"></textarea>\
             <button type=\"button\" id=\"decline-button\" class=\"secondary\">Decline</button></details>\
         </form><script src=\"/assets/sign.js\" defer></script>",
        token = escape(token),
        inputs_section = match (inputs.is_empty(), fields.iter().any(|f| starred(f))) {
            (true, _) => String::new(),
            (false, false) => format!("<fieldset><legend>Fields</legend>{inputs}</fieldset>"),
            (false, true) => format!(
                "<fieldset><legend>Fields</legend><p class=\"hint\">Fields marked * are required.</p>{inputs}</fieldset>"
            ),
        },
        consent = escape(signet_core::consent::TEXT),
        verb = if signer.role == SignerRole::Approver {
            "Approve"
        } else {
            "Sign"
        },
    )
}

/// What the signer still has to give before signing, as the viewer's guide says it (the
/// viewer keeps it current; the same words from the server mean nothing moves when it
/// starts): required text and checkbox fields in the order of the documents and pages, then
/// the signature when a signature or initials field waits for it.
fn still_needed(session: &SigningSession, signer: &signet_core::model::Signer) -> String {
    let record = &session.record;
    let position = |f: &&Field| {
        let document = record.documents.iter().position(|d| d.id == f.document_id);
        (document, f.page)
    };
    let mut fields: Vec<&Field> = record
        .fields
        .iter()
        .filter(|f| f.signer_id == signer.id)
        .collect();
    fields.sort_by_key(position);
    let mut left: Vec<String> = fields
        .iter()
        .filter(|f| starred(f))
        .map(|f| {
            let name = if f.kind == FieldKind::Text {
                "Text"
            } else {
                "Checkbox"
            };
            format!("{name} (page {})", f.page)
        })
        .collect();
    if fields
        .iter()
        .any(|f| matches!(f.kind, FieldKind::Signature | FieldKind::Initials))
    {
        left.push("your signature".to_owned());
    }
    if left.is_empty() {
        "Everything is filled in. Review, tick the consent box and sign.".to_owned()
    } else {
        format!("Still needed: {}.", left.join(", "))
    }
}

/// Required fields the signer fills in (the others fill themselves).
fn starred(field: &Field) -> bool {
    field.required && matches!(field.kind, FieldKind::Text | FieldKind::Checkbox)
}

fn field_input(field: &Field) -> String {
    let id = field.id;
    let required = if field.required {
        " required aria-required=\"true\""
    } else {
        ""
    };
    let place = format!("page {}", field.page);
    match field.kind {
        FieldKind::Text => format!(
            "<label for=\"f-{id}\">Text ({place}){star}</label><input type=\"text\" id=\"f-{id}\" data-field=\"{id}\" data-kind=\"text\" maxlength=\"1000\"{required}>",
            star = if field.required { " *" } else { "" },
        ),
        FieldKind::Checkbox => format!(
            "<label class=\"choice\"><input type=\"checkbox\" id=\"f-{id}\" data-field=\"{id}\" data-kind=\"checkbox\"{required}> Checkbox ({place}){star}</label>",
            star = if field.required { " *" } else { "" },
        ),
        FieldKind::Date => format!(
            "<p class=\"auto\">Date ({place}): filled in with today's date when you sign.</p>"
        ),
        FieldKind::Signature | FieldKind::Initials => {
            format!(
                "<p class=\"auto\">{} ({place}): takes your signature below.</p>",
                if field.kind == FieldKind::Signature {
                    "Signature"
                } else {
                    "Initials"
                }
            )
        }
    }
}

/// The script faces to choose from, each a radio button showing the typed name in that face.
fn font_choices() -> String {
    let choices: String = signet_core::model::ScriptFont::ALL
        .iter()
        .enumerate()
        .map(|(i, font)| {
            format!(
                "<label class=\"choice font-choice\"><input type=\"radio\" name=\"sigfont\" value=\"{value}\"{checked} \
                 aria-label=\"{family}\"><span class=\"sample font-{value}\" aria-hidden=\"true\">Your name</span></label>",
                value = font.as_str(),
                family = font.family(),
                checked = if i == 0 { " checked" } else { "" },
            )
        })
        .collect();
    format!(
        "<div role=\"radiogroup\" aria-label=\"Style of your typed signature\" class=\"fonts\">{choices}</div>"
    )
}

fn signature_block() -> String {
    format!(
        "<fieldset class=\"signature\"><legend>Your signature</legend>\
       <div role=\"radiogroup\" aria-label=\"How to sign\">\
         <label class=\"choice\"><input type=\"radio\" name=\"sigkind\" value=\"typed\" checked> Type</label>\
         <label class=\"choice\"><input type=\"radio\" name=\"sigkind\" value=\"drawn\"> Draw</label></div>\
       <div id=\"typed-pane\"><label for=\"typed-name\">Type your full name</label>\
         <input type=\"text\" id=\"typed-name\" maxlength=\"100\" autocomplete=\"name\" spellcheck=\"false\">{fonts}</div>\
       <div id=\"drawn-pane\" hidden><p class=\"hint\" id=\"pad-hint\">Draw with your finger or mouse inside the box.</p>\
         <canvas id=\"pad\" width=\"600\" height=\"200\" aria-label=\"Signature drawing area\" aria-describedby=\"pad-hint\"></canvas>\
         <button type=\"button\" id=\"clear-pad\" class=\"secondary\">Clear</button>\
         <label for=\"sig-upload\">Or upload a picture of your signature (PNG or JPEG)</label>\
         <input type=\"file\" id=\"sig-upload\" accept=\"image/png,image/jpeg\"></div></fieldset>",
        fonts = font_choices(),
    )
}

fn notice(text: &str) -> String {
    format!("<p class=\"notice\" role=\"status\">{}</p>", escape(text))
}

/// A page explaining why the link does not work.
pub fn error_page(status: StatusCode, code: &str, message: &str) -> String {
    let title = match status {
        StatusCode::GONE => "This link no longer works",
        StatusCode::CONFLICT => "Not yet",
        StatusCode::NOT_FOUND => "Link not found",
        _ => "Something went wrong",
    };
    layout(
        title,
        &format!(
            "<h1>{}</h1><p>{}</p><p class=\"code\">{}</p>",
            escape(title),
            escape(message),
            escape(code)
        ),
    )
}

/// The page frame every page shares (stylesheet, viewport, no referrer).
pub(crate) fn layout(title: &str, body: &str) -> String {
    // The empty icon stops browsers asking for /favicon.ico (a 404 in the console).
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{}</title>\
         <link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/assets/sign.css\"></head>\
         <body><main>{body}</main></body></html>",
        escape(title)
    )
}
