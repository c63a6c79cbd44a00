//! The signing form under the documents: the signer's field inputs, the statements to accept,
//! the signature block, the consent (the disclosure in the signer's language, as recorded when
//! they sign), sign and decline; and the "still needed" summary the viewer's guide keeps
//! current.

use signet_core::message::escape;
use signet_core::model::{Field, FieldKind, Signer, SignerRole};
use signet_core::usecase::signing::SigningSession;

use super::markdown::label_html;
use super::today;
use crate::page::strings::{PageStrings, fill};

/// The form of a signer whose turn it is.
pub(super) fn form(session: &SigningSession, token: &str, s: &PageStrings) -> String {
    let Some(signer) = session.signer() else {
        return String::new();
    };
    let fields: Vec<&Field> = session
        .record
        .fields
        .iter()
        .filter(|f| f.signer_id == signer.id)
        .collect();
    let date = today(session, signer);
    let inputs: String = fields.iter().map(|f| field_input(f, s, &date)).collect();
    let signature = if signer.role == SignerRole::Signer {
        signature_block(s)
    } else {
        String::new()
    };
    let legend = escape(s.html.fields_legend);
    format!(
        "<form id=\"sign-form\" data-token=\"{token}\" novalidate>\
           {inputs_section}{statements}{signature}{consent}\
           <p id=\"status\" role=\"status\" aria-live=\"polite\"></p>\
           <div class=\"actions\"><button type=\"submit\" id=\"sign-button\">{verb}</button></div>\
           <details class=\"decline\"><summary>{decline_instead}</summary>\
             <label for=\"decline-reason\">{reason}</label><textarea id=\"decline-reason\" maxlength=\"1000\"></textarea>\
             <button type=\"button\" id=\"decline-button\" class=\"secondary\">{decline}</button></details>\
         </form><script src=\"/assets/sign.js\" defer></script>",
        token = escape(token),
        inputs_section = match (inputs.is_empty(), fields.iter().any(|f| starred(f))) {
            (true, _) => String::new(),
            (false, false) => format!("<fieldset><legend>{legend}</legend>{inputs}</fieldset>"),
            (false, true) => format!(
                "<fieldset><legend>{legend}</legend><p class=\"hint\">{hint}</p>{inputs}</fieldset>",
                hint = escape(s.html.required_hint),
            ),
        },
        statements = statements(session, s),
        consent = consent(signer, s),
        verb = escape(match signer.role {
            SignerRole::Approver => s.html.approve,
            _ => s.html.sign,
        }),
        decline_instead = escape(s.html.decline_instead),
        reason = escape(s.html.decline_reason),
        decline = escape(s.html.decline),
    )
}

/// The statements the signer must accept, each a required checkbox with its label (and the
/// name of the document it is about); `sign.js` sends the ticked ids.
fn statements(session: &SigningSession, s: &PageStrings) -> String {
    let record = &session.record;
    let boxes: String = record
        .envelope
        .statements
        .iter()
        .enumerate()
        .map(|(n, statement)| {
            let about = statement
                .document_id
                .and_then(|d| record.document(d))
                .map(|d| {
                    let name = escape(&d.filename);
                    let text = fill(&escape(s.html.statement_about), &[("name", &name)]);
                    format!(" <span class=\"about\">({text})</span>")
                })
                .unwrap_or_default();
            format!(
                "<label class=\"choice statement\"><input type=\"checkbox\" id=\"st-{n}\" \
                 data-statement=\"{id}\" required aria-required=\"true\"> \
                 <span class=\"label\">{label}</span>{about}</label>",
                id = escape(statement.id.as_str()),
                label = label_html(&statement.label),
            )
        })
        .collect();
    if boxes.is_empty() {
        return boxes;
    }
    format!(
        "<fieldset class=\"statements\"><legend>{}</legend>{boxes}</fieldset>",
        escape(s.html.statements_legend)
    )
}

/// The disclosure in the signer's language: the text `complete_signing` records (version,
/// language and hash) when they sign.
fn consent(signer: &Signer, s: &PageStrings) -> String {
    format!(
        "<fieldset class=\"consent\"><legend>{legend}</legend>\
         <p id=\"consent-text\" data-version=\"{version}\">{text}</p>\
         <label class=\"choice\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" aria-describedby=\"consent-text\"> {agree}</label></fieldset>",
        legend = escape(s.html.consent_legend),
        version = escape(&signet_core::consent::version(signer.language)),
        text = escape(signet_core::consent::text(signer.language)),
        agree = escape(s.html.consent_agree),
    )
}

/// What the signer still has to give before signing, as the viewer's guide says it (the
/// viewer keeps it current; the same words from the server mean nothing moves when it
/// starts): required text and checkbox fields in the order of the documents and pages, the
/// statements when there are any, then the signature when a signature or initials field waits
/// for it.
pub(super) fn still_needed(session: &SigningSession, signer: &Signer, s: &PageStrings) -> String {
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
        .map(|f| field_name(f, s))
        .collect();
    if !record.envelope.statements.is_empty() && signer.role.acts() {
        left.push(s.script.your_declarations.to_owned());
    }
    if fields
        .iter()
        .any(|f| matches!(f.kind, FieldKind::Signature | FieldKind::Initials))
    {
        left.push(s.script.your_signature.to_owned());
    }
    if left.is_empty() {
        s.script.all_filled.to_owned()
    } else {
        fill(s.script.still_needed, &[("list", &left.join(", "))])
    }
}

/// Required fields the signer fills in (the others fill themselves).
fn starred(field: &Field) -> bool {
    field.required && matches!(field.kind, FieldKind::Text | FieldKind::Checkbox)
}

/// A field as the page names it: its kind and page ("Text (page 1)").
fn field_name(field: &Field, s: &PageStrings) -> String {
    let kind = match field.kind {
        FieldKind::Signature => s.script.field_signature,
        FieldKind::Initials => s.script.field_initials,
        FieldKind::Date => s.script.field_date,
        FieldKind::Text => s.script.field_text,
        FieldKind::Checkbox => s.script.field_checkbox,
    };
    fill(
        s.script.on_page,
        &[("name", kind), ("page", &field.page.to_string())],
    )
}

/// A field's control, or a note for the fields that fill themselves (a date field says the
/// date it will get: `date`, by the server's clock, in the signer's language).
fn field_input(field: &Field, s: &PageStrings, date: &str) -> String {
    let id = field.id;
    let required = if field.required {
        " required aria-required=\"true\""
    } else {
        ""
    };
    let star = if field.required { " *" } else { "" };
    let name = escape(&field_name(field, s));
    match field.kind {
        FieldKind::Text => format!(
            "<label for=\"f-{id}\">{name}{star}</label><input type=\"text\" id=\"f-{id}\" data-field=\"{id}\" data-kind=\"text\" maxlength=\"1000\"{required}>",
        ),
        FieldKind::Checkbox => format!(
            "<label class=\"choice\"><input type=\"checkbox\" id=\"f-{id}\" data-field=\"{id}\" data-kind=\"checkbox\"{required}> {name}{star}</label>",
        ),
        FieldKind::Date => format!(
            "<p class=\"auto\" data-date-field=\"{id}\">{}</p>",
            fill(
                &escape(s.html.date_note),
                &[("field", &name), ("date", &escape(date))]
            )
        ),
        FieldKind::Signature | FieldKind::Initials => format!(
            "<p class=\"auto\">{}</p>",
            fill(&escape(s.html.signature_note), &[("field", &name)])
        ),
    }
}

/// The script faces to choose from, each a radio button showing the typed name in that face.
fn font_choices(s: &PageStrings) -> String {
    let choices: String = signet_core::model::ScriptFont::ALL
        .iter()
        .enumerate()
        .map(|(i, font)| {
            format!(
                "<label class=\"choice font-choice\"><input type=\"radio\" name=\"sigfont\" value=\"{value}\"{checked} \
                 aria-label=\"{family}\"><span class=\"sample font-{value}\" aria-hidden=\"true\">{sample}</span></label>",
                value = font.as_str(),
                family = font.family(),
                checked = if i == 0 { " checked" } else { "" },
                sample = escape(s.script.your_name),
            )
        })
        .collect();
    format!(
        "<div role=\"radiogroup\" aria-label=\"{label}\" class=\"fonts\">{choices}</div>",
        label = escape(s.html.font_group),
    )
}

fn signature_block(s: &PageStrings) -> String {
    let h = &s.html;
    format!(
        "<fieldset class=\"signature\"><legend>{legend}</legend>\
       <div role=\"radiogroup\" aria-label=\"{how}\">\
         <label class=\"choice\"><input type=\"radio\" name=\"sigkind\" value=\"typed\" checked> {type_choice}</label>\
         <label class=\"choice\"><input type=\"radio\" name=\"sigkind\" value=\"drawn\"> {draw_choice}</label></div>\
       <div id=\"typed-pane\"><label for=\"typed-name\">{type_name}</label>\
         <input type=\"text\" id=\"typed-name\" maxlength=\"100\" autocomplete=\"name\" spellcheck=\"false\">{fonts}</div>\
       <div id=\"drawn-pane\" hidden><p class=\"hint\" id=\"pad-hint\">{draw_hint}</p>\
         <canvas id=\"pad\" width=\"600\" height=\"200\" aria-label=\"{pad_label}\" aria-describedby=\"pad-hint\"></canvas>\
         <button type=\"button\" id=\"clear-pad\" class=\"secondary\">{clear}</button>\
         <label for=\"sig-upload\">{upload}</label>\
         <input type=\"file\" id=\"sig-upload\" accept=\"image/png,image/jpeg\"></div></fieldset>",
        legend = escape(h.signature_legend),
        how = escape(h.how_to_sign),
        type_choice = escape(h.type_choice),
        draw_choice = escape(h.draw_choice),
        type_name = escape(h.type_name),
        fonts = font_choices(s),
        draw_hint = escape(h.draw_hint),
        pad_label = escape(h.pad_label),
        clear = escape(h.clear),
        upload = escape(h.upload),
    )
}
