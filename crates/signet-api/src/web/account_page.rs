//! HTML of the account page. Every interpolated value is escaped; every form carries the
//! session's CSRF token.

use signet_core::message::escape;
use signet_core::model::{ApiKey, GrantType, OAuthClient, Scopes, User};
use signet_core::secret::api_key::PERSONAL_TOKEN_PREFIX;
use signet_core::time::rfc3339;

use super::html::hidden;
use crate::page::html::layout;

/// What the page shows after an action.
pub enum Notice {
    /// Nothing (a plain GET).
    None,
    /// A new personal access token's text, shown only now.
    Token(String),
    /// A new client, with its secret (confidential clients), shown only now.
    Client {
        /// Its client id.
        client_id: String,
        /// Its secret.
        secret: Option<String>,
    },
    /// An action that succeeded.
    Done(&'static str),
    /// Why an action failed.
    Error(String),
}

/// Everything the page shows.
pub struct AccountView<'a> {
    /// The logged-in user.
    pub user: &'a User,
    /// Their account's name.
    pub account_name: &'a str,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The scopes the user's role allows (the token form offers only these).
    pub role_scopes: Scopes,
    /// The user's personal access tokens.
    pub tokens: &'a [ApiKey],
    /// The account's OAuth2 clients; `None` when the user may not manage them.
    pub clients: Option<&'a [OAuthClient]>,
    /// The outcome of the action just taken.
    pub notice: &'a Notice,
}

/// The page.
pub fn page(view: &AccountView) -> String {
    let csrf = hidden("csrf", view.csrf);
    let user = view.user;
    let clients = view
        .clients
        .map(|clients| clients_section(clients, view.role_scopes, &csrf))
        .unwrap_or_default();
    layout(
        "Your account",
        &format!(
            "<div class=\"account\"><h1>Your account</h1>{notice}\
             <dl><dt>Name</dt><dd>{name}</dd><dt>E-mail</dt><dd>{email}</dd>\
             <dt>Role</dt><dd>{role}</dd><dt>Account</dt><dd>{account}</dd></dl>\
             <form method=\"post\" action=\"/logout\">{csrf}<button type=\"submit\" class=\"secondary\">Log out</button></form>\
             {tokens}{clients}</div>",
            notice = notice(view.notice),
            name = escape(&user.name),
            email = escape(&user.email),
            role = escape(user.role.as_str()),
            account = escape(view.account_name),
            tokens = tokens_section(view.tokens, view.role_scopes, &csrf),
        ),
    )
}

fn notice(notice: &Notice) -> String {
    match notice {
        Notice::None => String::new(),
        Notice::Token(text) => format!(
            "<div class=\"notice\" role=\"status\"><p><strong>Copy your new token now: it will not be shown again.</strong></p>\
             <p><code class=\"secret\">{}</code></p></div>",
            escape(text)
        ),
        Notice::Client { client_id, secret } => {
            let secret = secret
                .as_deref()
                .map(|s| {
                    format!(
                        "<p><strong>Copy the client secret now: it will not be shown again.</strong></p>\
                         <p>Client secret: <code class=\"secret\">{}</code></p>",
                        escape(s)
                    )
                })
                .unwrap_or_default();
            format!(
                "<div class=\"notice\" role=\"status\"><p>Client registered. Client id: <code>{}</code></p>{secret}</div>",
                escape(client_id)
            )
        }
        Notice::Done(text) => format!("<p class=\"notice\" role=\"status\">{}</p>", escape(text)),
        Notice::Error(text) => format!("<p class=\"error\" role=\"alert\">{}</p>", escape(text)),
    }
}

fn tokens_section(tokens: &[ApiKey], allowed: Scopes, csrf: &str) -> String {
    let rows: String = tokens
        .iter()
        .map(|t| {
            let action = if t.revoked_at.is_some() {
                String::new()
            } else {
                format!(
                    "<form method=\"post\" action=\"/account/tokens/revoke\">{csrf}{id}\
                     <button type=\"submit\" class=\"secondary\">Revoke</button></form>",
                    id = hidden("id", &t.id.to_string()),
                )
            };
            format!(
                "<tr><td>{}</td><td><code>{}{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
                escape(&t.name),
                PERSONAL_TOKEN_PREFIX,
                escape(&t.lookup_id),
                escape(&t.scopes.to_string()),
                rfc3339(t.created_at),
                time_or_dash(t.expires_at),
                time_or_dash(t.last_used_at),
                time_or_dash(t.revoked_at),
            )
        })
        .collect();
    let table = if tokens.is_empty() {
        "<p>You have no personal access tokens.</p>".to_owned()
    } else {
        format!(
            "<table><thead><tr><th>Name</th><th>Prefix</th><th>Scopes</th><th>Created</th>\
             <th>Expires</th><th>Last used</th><th>Revoked</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let scopes = scope_choices(allowed);
    format!(
        "<section><h2>Personal access tokens</h2>{table}\
         <h3>New token</h3><form method=\"post\" action=\"/account/tokens\">{csrf}\
         <label for=\"token-name\">Name</label><input type=\"text\" id=\"token-name\" name=\"name\" maxlength=\"200\" required>\
         <fieldset><legend>Scopes (none ticked: all your role allows)</legend>{scopes}</fieldset>\
         <label for=\"token-days\">Expires in days (empty: the instance default)</label>\
         <input type=\"text\" id=\"token-days\" name=\"expires_in_days\" inputmode=\"numeric\">\
         <div class=\"actions\"><button type=\"submit\">Create token</button></div></form></section>"
    )
}

/// A checkbox (`scope_read`, …) for each scope in `allowed`.
fn scope_choices(allowed: Scopes) -> String {
    allowed
        .iter()
        .map(|s| checkbox(&format!("scope_{}", s.as_str()), s.as_str()))
        .collect()
}

fn clients_section(clients: &[OAuthClient], allowed: Scopes, csrf: &str) -> String {
    let rows: String = clients
        .iter()
        .map(|c| {
            format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td><form method=\"post\" action=\"/account/clients/delete\">{csrf}{id}\
                 <button type=\"submit\" class=\"secondary\">Delete</button></form></td></tr>",
                escape(&c.name),
                c.id,
                c.redirect_uris
                    .iter()
                    .map(|u| escape(u))
                    .collect::<Vec<_>>()
                    .join("<br>"),
                c.grants
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                escape(&c.scopes.to_string()),
                if c.is_confidential() { "confidential" } else { "public" },
                id = hidden("id", &c.id.to_string()),
            )
        })
        .collect();
    let table = if clients.is_empty() {
        "<p>The account has no OAuth2 clients.</p>".to_owned()
    } else {
        format!(
            "<table><thead><tr><th>Name</th><th>Client id</th><th>Redirect URIs</th><th>Grants</th>\
             <th>Scopes</th><th>Type</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let grants: String = [
        GrantType::AuthorizationCode,
        GrantType::RefreshToken,
        GrantType::ClientCredentials,
    ]
    .iter()
    .map(|g| checkbox(&format!("grant_{}", g.as_str()), g.as_str()))
    .collect();
    format!(
        "<section><h2>OAuth2 clients</h2>{table}\
         <h3>New client</h3><form method=\"post\" action=\"/account/clients\">{csrf}\
         <label for=\"client-name\">Name</label><input type=\"text\" id=\"client-name\" name=\"name\" maxlength=\"200\" required>\
         <label for=\"client-uris\">Redirect URIs, one per line</label><textarea id=\"client-uris\" name=\"redirect_uris\"></textarea>\
         {confidential}\
         <fieldset><legend>Grants (none ticked: all its type allows)</legend>{grants}</fieldset>\
         <fieldset><legend>Scopes (none ticked: all your role allows)</legend>{scopes}</fieldset>\
         <div class=\"actions\"><button type=\"submit\">Register client</button></div></form></section>",
        confidential = checkbox("confidential", "Confidential (gets a client secret)"),
        scopes = scope_choices(allowed),
    )
}

fn checkbox(name: &str, label: &str) -> String {
    format!(
        "<label class=\"choice\"><input type=\"checkbox\" name=\"{}\" value=\"on\"> {}</label>",
        escape(name),
        escape(label)
    )
}

fn time_or_dash(at: Option<time::OffsetDateTime>) -> String {
    at.map(rfc3339).unwrap_or_else(|| "-".into())
}
