//! HTML of the login and consent pages. Every interpolated value is escaped.

use signet_core::message::escape;
use signet_core::model::Scope;
use signet_core::usecase::oauth::authorize::{AuthorizeParams, ConsentRequest};

use crate::page::html::layout;

/// The login form. `csrf` ties it to the login cookie.
pub fn login_page(csrf: &str, return_to: Option<&str>, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    let return_field = return_to
        .map(|r| hidden("return_to", r))
        .unwrap_or_default();
    layout(
        "Log in",
        &format!(
            "<div class=\"login\"><h1>Log in to Signet</h1>{error}\
             <form method=\"post\" action=\"/login\">{csrf}{return_field}\
             <label for=\"email\">E-mail</label><input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" required>\
             <label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
             <div class=\"actions\"><button type=\"submit\">Log in</button></div></form></div>",
            csrf = hidden("csrf", csrf),
        ),
    )
}

/// What a logged-in user sees at `/login`.
pub fn signed_in_page(email: &str, csrf: &str) -> String {
    layout(
        "Logged in",
        &format!(
            "<div class=\"login\"><h1>Logged in</h1><p>You are logged in as {}.</p>\
             <form method=\"post\" action=\"/logout\">{}<button type=\"submit\" class=\"secondary\">Log out</button></form></div>",
            escape(email),
            hidden("csrf", csrf)
        ),
    )
}

/// The consent page: the client's name, the scopes, Authorize and Deny. The request's
/// parameters travel in hidden fields and are checked again when the form comes back.
pub fn consent_page(
    request: &ConsentRequest,
    params: &AuthorizeParams,
    csrf: &str,
    email: &str,
    action: &str,
) -> String {
    let scopes: String = request
        .scopes
        .iter()
        .map(|s| format!("<li>{}</li>", escape(scope_text(s))))
        .collect();
    let fields: String = [
        ("response_type", &params.response_type),
        ("client_id", &params.client_id),
        ("redirect_uri", &params.redirect_uri),
        ("state", &params.state),
        ("scope", &params.scope),
        ("code_challenge", &params.code_challenge),
        ("code_challenge_method", &params.code_challenge_method),
    ]
    .iter()
    .filter_map(|(name, value)| value.as_deref().map(|v| hidden(name, v)))
    .collect();
    layout(
        "Authorize access",
        &format!(
            "<div class=\"consent-page\"><h1>Authorize {name}</h1>\
             <p><strong>{name}</strong> asks to act as you ({email}) in Signet. It will be able to:</p>\
             <ul class=\"scopes\">{scopes}</ul>\
             <form method=\"post\" action=\"{action}\">{csrf}{fields}\
             <div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"approve\">Authorize</button> \
             <button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></div></form></div>",
            name = escape(&request.client.name),
            email = escape(email),
            action = escape(action),
            csrf = hidden("csrf", csrf),
        ),
    )
}

fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::Read => "read your envelopes, documents and settings",
        Scope::Write => "create, change, send and delete envelopes",
        Scope::Admin => "manage the account: settings, users, credentials and OAuth clients",
    }
}

pub(super) fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    )
}
