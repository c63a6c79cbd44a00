//! HTML of the password pages, in the signing page's layout and style. Every interpolated
//! value is escaped; there is no script.

use signet_core::message::escape;
use signet_core::usecase::account::MIN_PASSWORD;

use crate::page::html::layout;

/// The "forgot your password" form. `hidden` is the anti-forgery input.
pub fn forgot_form(hidden: &str, email: &str, error: Option<&str>) -> String {
    layout(
        "Forgot your password?",
        &format!(
            "<header><h1>Forgot your password?</h1>\
             <p class=\"sender\">Enter the e-mail address you log in with. We will send you a link to set a new password.</p></header>\
             <form method=\"post\" action=\"/password/forgot\">{hidden}\
               <fieldset><legend>Your login</legend>\
                 <label for=\"email\">E-mail address</label>\
                 <input type=\"email\" id=\"email\" name=\"email\" required maxlength=\"320\" autocomplete=\"email\" value=\"{email}\"{described}>\
               </fieldset>{error}\
               <div class=\"actions\"><button type=\"submit\">Send me a link</button></div>\
             </form>",
            email = escape(email),
            described = described_by(error),
            error = error_line(error),
        ),
    )
}

/// What every address gets after asking for a link.
pub fn forgot_sent() -> String {
    layout(
        "Check your e-mail",
        "<h1>Check your e-mail</h1><p class=\"notice\" role=\"status\">If the address belongs to a \
         Signet login, we have sent it a link to set a new password. The link works once and \
         for a limited time.</p><p><a href=\"/password/forgot\">Send another link</a></p>",
    )
}

/// The form to set a new password for `email` with the link `token`.
pub fn reset_form(hidden: &str, token: &str, email: &str, error: Option<&str>) -> String {
    layout(
        "Set a new password",
        &format!(
            "<header><h1>Set a new password</h1><p class=\"sender\">For {email}</p></header>\
             <form method=\"post\" action=\"/password/reset/{token}\">{hidden}\
               <input type=\"text\" name=\"username\" value=\"{email}\" autocomplete=\"username\" hidden>\
               <fieldset><legend>New password</legend>\
                 <p class=\"hint\" id=\"password-hint\">At least {MIN_PASSWORD} characters.</p>\
                 <label for=\"password\">New password</label>\
                 <input type=\"password\" id=\"password\" name=\"password\" required minlength=\"{MIN_PASSWORD}\" autocomplete=\"new-password\" aria-describedby=\"password-hint\"{invalid}>\
                 <label for=\"password-repeat\">The same password again</label>\
                 <input type=\"password\" id=\"password-repeat\" name=\"password_repeat\" required minlength=\"{MIN_PASSWORD}\" autocomplete=\"new-password\"{invalid}>\
               </fieldset>{error}\
               <div class=\"actions\"><button type=\"submit\">Set the password</button></div>\
             </form>",
            email = escape(email),
            token = escape(token),
            invalid = if error.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            },
            error = error_line(error),
        ),
    )
}

/// After the new password is set.
pub fn reset_done() -> String {
    layout(
        "Password changed",
        "<h1>Password changed</h1><p class=\"notice\" role=\"status\">Your new password is set. \
         Use it the next time you log in; the link you used no longer works.</p>",
    )
}

/// A link that does not work, or a form that was refused: why, and the way on.
pub fn refused(title: &str, message: &str, code: &str) -> String {
    layout(
        title,
        &format!(
            "<h1>{title}</h1><p>{message}</p><p><a href=\"/password/forgot\">Ask for a new link</a></p>\
             <p class=\"code\">{code}</p>",
            title = escape(title),
            message = escape(message),
            code = escape(code),
        ),
    )
}

fn error_line(error: Option<&str>) -> String {
    error
        .map(|e| {
            format!(
                "<p id=\"form-error\" class=\"error\" role=\"alert\">{}</p>",
                escape(e)
            )
        })
        .unwrap_or_default()
}

fn described_by(error: Option<&str>) -> &'static str {
    if error.is_some() {
        " aria-invalid=\"true\" aria-describedby=\"form-error\""
    } else {
        ""
    }
}
