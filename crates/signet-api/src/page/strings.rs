//! The signing page's words in every [`Language`]: one table per language (`strings/<code>.rs`),
//! the same shape for all, so a string missing in one language does not compile. [`HtmlText`]
//! is what the server renders; [`ScriptText`] is also what the page's scripts say, handed to
//! them as JSON in a `data-strings` attribute (no inline script). Placeholders in braces
//! (`{name}`) are filled by [`fill`] here and by the scripts' own `fill`.
//!
//! To add a string: add a field to the struct with a `///` line naming its placeholders, then
//! the text in each language file; the test below catches an untranslated copy.

mod da;
mod de;
mod en;
mod es;
mod fr;
mod it;
mod nl;
mod pl;
mod sv;

use serde::Serialize;
use signet_core::model::Language;

/// The page's words in one language.
#[derive(Serialize)]
pub struct PageStrings {
    /// What the server renders only.
    pub html: HtmlText,
    /// What the scripts say (and the server where it says the same).
    pub script: ScriptText,
}

/// The server-rendered words.
#[derive(Serialize)]
pub struct HtmlText {
    /// Header for a signer: `{sender}`, `{name}`.
    pub asks_sign: &'static str,
    /// Header for an approver: `{sender}`, `{name}`.
    pub asks_approve: &'static str,
    /// The envelope is complete and this signer signed.
    pub everyone_signed: &'static str,
    /// This signer signed; others have not yet.
    pub you_signed: &'static str,
    /// The request was completed (the signer did not sign).
    pub request_completed: &'static str,
    /// The request was declined by someone.
    pub request_declined: &'static str,
    /// The request expired.
    pub request_expired: &'static str,
    /// The request was canceled.
    pub request_canceled: &'static str,
    /// Any other state in which nothing can be signed.
    pub request_closed: &'static str,
    /// The skip link to the form.
    pub skip_to_form: &'static str,
    /// The guide's button.
    pub next_field: &'static str,
    /// Label of the documents section.
    pub documents: &'static str,
    /// Legend of the one-time code form.
    pub confirm_legend: &'static str,
    /// Introduction of the code form: `{destination}`, `{minutes}`.
    pub code_intro: &'static str,
    /// Where an e-mailed code goes: `{address}` (masked).
    pub by_email: &'static str,
    /// Where a texted code goes: `{number}` (masked).
    pub by_sms: &'static str,
    /// The button asking for a code.
    pub send_code: &'static str,
    /// The code input's label.
    pub code_label: &'static str,
    /// The button checking the code.
    pub confirm: &'static str,
    /// Introduction of the identity step: `{provider}` (the identity provider's name).
    pub identity_intro: &'static str,
    /// The button sending the signer to the identity provider.
    pub identity_start: &'static str,
    /// The link back to the signing page from an error page.
    pub try_again: &'static str,
    /// Shown until a document is drawn.
    pub loading: &'static str,
    /// A one-page document.
    pub one_page: &'static str,
    /// A document of `{count}` pages.
    pub pages: &'static str,
    /// Link opening the PDF.
    pub open: &'static str,
    /// Link downloading the PDF.
    pub download: &'static str,
    /// Accessible name of the open link: `{name}` (file name).
    pub open_named: &'static str,
    /// Accessible name of the download link: `{name}` (file name).
    pub download_named: &'static str,
    /// Legend of the field inputs.
    pub fields_legend: &'static str,
    /// Hint about starred fields.
    pub required_hint: &'static str,
    /// Legend of the consent box.
    pub consent_legend: &'static str,
    /// The consent checkbox's label.
    pub consent_agree: &'static str,
    /// Legend of the statements the signer must accept.
    pub statements_legend: &'static str,
    /// The document a statement is about: `{name}` (its file name).
    pub statement_about: &'static str,
    /// The signer's submit button.
    pub sign: &'static str,
    /// The approver's submit button.
    pub approve: &'static str,
    /// Summary opening the decline form.
    pub decline_instead: &'static str,
    /// Label of the decline reason.
    pub decline_reason: &'static str,
    /// The decline button.
    pub decline: &'static str,
    /// A date field: `{field}` (its name and page), `{date}` (today, as it will be stamped).
    pub date_note: &'static str,
    /// A signature or initials field: `{field}` (its name and page).
    pub signature_note: &'static str,
    /// Legend of the signature block.
    pub signature_legend: &'static str,
    /// Name of the choice between typing and drawing.
    pub how_to_sign: &'static str,
    /// The typing choice.
    pub type_choice: &'static str,
    /// The drawing choice.
    pub draw_choice: &'static str,
    /// Label of the typed name.
    pub type_name: &'static str,
    /// Name of the choice of script faces.
    pub font_group: &'static str,
    /// Hint over the drawing pad.
    pub draw_hint: &'static str,
    /// Accessible name of the drawing pad.
    pub pad_label: &'static str,
    /// The button wiping the pad.
    pub clear: &'static str,
    /// Label of the picture upload.
    pub upload: &'static str,
    /// Error page title: the link no longer works.
    pub title_gone: &'static str,
    /// Error page title: not yet (the signer's turn has not come).
    pub title_not_yet: &'static str,
    /// Error page title: no such link.
    pub title_not_found: &'static str,
    /// Error page title: anything else.
    pub title_error: &'static str,
}

/// The words the scripts need, also used by the server where it says the same.
#[derive(Serialize)]
pub struct ScriptText {
    /// Field kind name.
    pub field_signature: &'static str,
    /// Field kind name.
    pub field_initials: &'static str,
    /// Field kind name.
    pub field_date: &'static str,
    /// Field kind name.
    pub field_text: &'static str,
    /// Field kind name.
    pub field_checkbox: &'static str,
    /// A field and its page: `{name}`, `{page}`.
    pub on_page: &'static str,
    /// The statements not ticked yet, as an item of [`ScriptText::still_needed`].
    pub your_declarations: &'static str,
    /// The signature, as an item of [`ScriptText::still_needed`].
    pub your_signature: &'static str,
    /// The guide's summary: `{list}` (items joined with ", ").
    pub still_needed: &'static str,
    /// The guide when nothing is missing.
    pub all_filled: &'static str,
    /// The signature field's marker.
    pub sign_here: &'static str,
    /// A required field's tooltip: `{name}`.
    pub required_title: &'static str,
    /// A date field's tooltip: `{date}`.
    pub date_title: &'static str,
    /// A document pdf.js cannot draw.
    pub cannot_show: &'static str,
    /// A drawn page's accessible name: `{page}`, `{name}` (file name).
    pub page_of: &'static str,
    /// The font samples before a name is typed.
    pub your_name: &'static str,
    /// An uploaded file that is not a picture.
    pub unreadable_picture: &'static str,
    /// Signing without a typed name.
    pub type_name_first: &'static str,
    /// Signing without a drawing.
    pub draw_first: &'static str,
    /// Signing without consent.
    pub consent_first: &'static str,
    /// Signing with a statement not ticked.
    pub statements_first: &'static str,
    /// While signing.
    pub signing: &'static str,
    /// After signing.
    pub signed: &'static str,
    /// While declining.
    pub declining: &'static str,
    /// After declining (also the page's notice then).
    pub declined: &'static str,
    /// No answer from the server.
    pub unreachable: &'static str,
    /// An error without a known code: `{status}`.
    pub failed: &'static str,
    /// A required field left empty: `{name}` (its label).
    pub field_required: &'static str,
    /// The code button, once a code was sent.
    pub send_new: &'static str,
    /// The code button while it waits: `{seconds}`.
    pub send_new_in: &'static str,
    /// While a code is sent.
    pub sending: &'static str,
    /// A code was sent: `{destination}` (masked).
    pub code_sent: &'static str,
    /// A code of the wrong shape.
    pub six_digits: &'static str,
    /// While a code is checked.
    pub checking: &'static str,
    /// The code was right.
    pub opening: &'static str,
    /// The API's error codes as the signer reads them.
    pub errors: ErrorText,
}

/// What the signing API's error codes mean to a signer (the scripts show these instead of the
/// API's English `message`; unknown codes fall back to it).
#[derive(Serialize)]
pub struct ErrorText {
    /// A wrong code: `{left}` attempts left.
    pub otp_incorrect: &'static str,
    /// An expired code.
    pub otp_expired: &'static str,
    /// No attempts left.
    pub otp_attempts_exhausted: &'static str,
    /// Another code too soon: `{seconds}`.
    pub otp_rate_limited: &'static str,
    /// A code checked in a browser that asked for none.
    pub otp_required: &'static str,
    /// The code is not six digits.
    pub otp_malformed: &'static str,
    /// Too many requests from this address.
    pub rate_limited: &'static str,
    /// The code step is missing.
    pub authentication_required: &'static str,
    /// Consent missing.
    pub consent_required: &'static str,
    /// A statement not accepted.
    pub statements_not_accepted: &'static str,
    /// Signature missing.
    pub signature_required: &'static str,
    /// An unusable signature picture.
    pub invalid_signature_image: &'static str,
    /// Signed before.
    pub already_signed: &'static str,
    /// Declined before.
    pub already_declined: &'static str,
    /// The envelope is no longer open.
    pub envelope_not_in_progress: &'static str,
    /// The sender canceled.
    pub link_revoked: &'static str,
    /// The term passed.
    pub link_expired: &'static str,
    /// Others sign first.
    pub not_your_turn: &'static str,
    /// No such link.
    pub not_found: &'static str,
    /// An identity callback of another browser, or a second time.
    pub identity_state_invalid: &'static str,
    /// The signer (or the provider) refused the identity check.
    pub identity_denied: &'static str,
    /// The provider's ID token did not pass validation.
    pub identity_rejected: &'static str,
    /// The identity check took longer than allowed.
    pub identity_expired: &'static str,
    /// The provider did not vouch for a required claim.
    pub identity_claim_missing: &'static str,
    /// The provider confirmed someone other than the sender named.
    pub identity_mismatch: &'static str,
}

impl ErrorText {
    /// The text for an API error `code`, if it is one a signer meets.
    pub fn for_code(&self, code: &str) -> Option<&'static str> {
        Some(match code {
            "link_revoked" => self.link_revoked,
            "link_expired" => self.link_expired,
            "not_your_turn" => self.not_your_turn,
            "not_found" => self.not_found,
            "envelope_not_in_progress" => self.envelope_not_in_progress,
            "rate_limited" => self.rate_limited,
            "identity_state_invalid" => self.identity_state_invalid,
            "identity_denied" => self.identity_denied,
            "identity_rejected" => self.identity_rejected,
            "identity_expired" => self.identity_expired,
            "identity_claim_missing" => self.identity_claim_missing,
            "identity_mismatch" => self.identity_mismatch,
            _ => return None,
        })
    }
}

/// The page's words in `language`.
pub fn strings(language: Language) -> &'static PageStrings {
    match language {
        Language::En => &en::EN,
        Language::Nl => &nl::NL,
        Language::De => &de::DE,
        Language::Es => &es::ES,
        Language::Da => &da::DA,
        Language::Pl => &pl::PL,
        Language::It => &it::IT,
        Language::Fr => &fr::FR,
        Language::Sv => &sv::SV,
    }
}

/// The scripts' words in `language`, as JSON.
pub fn script_json(language: Language) -> String {
    serde_json::to_string(&strings(language).script).unwrap_or_else(|_| "{}".into())
}

/// Replaces each `{key}` in `template` by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings that are the same word in English and in that language.
    const SAME_AS_ENGLISH: &[(Language, &str)] = &[
        (Language::De, "script.field_text"),
        (Language::Sv, "script.field_text"),
        (Language::Fr, "script.field_signature"),
        (Language::Fr, "script.field_date"),
        (Language::Fr, "html.one_page"),
        (Language::Fr, "html.pages"),
    ];

    /// Every string of a table as (`html.key` or `script.errors.key`, text).
    fn leaves(language: Language) -> Vec<(String, String)> {
        fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        let path = match prefix {
                            "" => key.clone(),
                            _ => format!("{prefix}.{key}"),
                        };
                        walk(&path, value, out);
                    }
                }
                serde_json::Value::String(text) => out.push((prefix.to_owned(), text.clone())),
                other => panic!("{prefix} is not text: {other}"),
            }
        }
        let mut out = Vec::new();
        walk(
            "",
            &serde_json::to_value(strings(language)).unwrap(),
            &mut out,
        );
        out
    }

    fn placeholders(text: &str) -> Vec<String> {
        let mut found: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(key, _)| key.to_owned()))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_language_has_every_string_translated_with_the_same_placeholders() {
        let english = leaves(Language::En);
        assert!(english.len() > 100, "{} strings", english.len());
        for &language in Language::ALL {
            let translated = leaves(language);
            let keys =
                |l: &[(String, String)]| l.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
            assert_eq!(keys(&translated), keys(&english), "{language:?} keys");
            for ((key, text), (_, en)) in translated.iter().zip(&english) {
                assert!(!text.trim().is_empty(), "{language:?} {key} is empty");
                assert_eq!(
                    placeholders(text),
                    placeholders(en),
                    "{language:?} {key} must use the placeholders of the English text"
                );
                let allowed = SAME_AS_ENGLISH.contains(&(language, key.as_str()));
                if language != Language::En && !allowed {
                    assert_ne!(text, en, "{language:?} {key} is still English");
                }
            }
        }
    }

    #[test]
    fn the_scripts_get_their_words_as_json() {
        let json: serde_json::Value = serde_json::from_str(&script_json(Language::De)).unwrap();
        assert_eq!(json["sign_here"], "Hier unterschreiben");
        assert_eq!(
            json["errors"]["otp_expired"],
            strings(Language::De).script.errors.otp_expired
        );
        assert!(
            json.get("asks_sign").is_none(),
            "server-only words stay on the server"
        );
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        let text = fill(
            strings(Language::Fr).script.on_page,
            &[("name", "Texte"), ("page", "2")],
        );
        assert_eq!(text, "Texte (p. 2)");
    }
}
