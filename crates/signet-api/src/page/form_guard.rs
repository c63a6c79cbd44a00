//! Anti-forgery defence for HTML forms posted before anyone is logged in: a signed
//! double-submit cookie ([`signet_core::secret::FormTokens`]). The page sets a random nonce in
//! an `HttpOnly`, `SameSite=Strict` cookie and puts `HMAC(form key, nonce ‖ form name)` in a
//! hidden field; a post must bring both, matching. Posts the browser labels
//! `Sec-Fetch-Site: cross-site` are refused as well.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use signet_core::message::escape;
use signet_core::secret::{FormTokens, random_bytes};

/// The cookie holding the nonce.
const COOKIE: &str = "signet_form";
/// Length of a nonce: 32 bytes in unpadded base64url.
const NONCE_LEN: usize = 43;
/// How long the cookie lives, in seconds (a form left open longer needs a reload).
const MAX_AGE_SECS: u32 = 24 * 60 * 60;

/// The nonce a page's forms are bound to, and whether the response must set it.
pub struct FormGuard {
    nonce: String,
    is_new: bool,
}

impl FormGuard {
    /// The request's nonce when it has a well-formed one, else a fresh one.
    pub fn for_page(headers: &HeaderMap) -> Self {
        match cookie_nonce(headers) {
            Some(nonce) => Self {
                nonce,
                is_new: false,
            },
            None => Self {
                nonce: URL_SAFE_NO_PAD.encode(random_bytes::<32>()),
                is_new: true,
            },
        }
    }

    /// The hidden `csrf` input for the form named `form`.
    pub fn hidden_input(&self, forms: &FormTokens, form: &str) -> String {
        format!(
            "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
            escape(&forms.token(&self.nonce, form))
        )
    }

    /// Sets the cookie on `response` when the nonce is new (`Secure` when `secure`).
    pub fn set_cookie(&self, response: &mut Response, secure: bool) {
        if !self.is_new {
            return;
        }
        let secure = if secure { "; Secure" } else { "" };
        let cookie = format!(
            "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={MAX_AGE_SECS}{secure}",
            self.nonce
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}

/// True when a post of the form named `form` carries a `csrf` token matching its cookie and
/// does not come from another site.
pub fn is_genuine(headers: &HeaderMap, forms: &FormTokens, form: &str, token: &str) -> bool {
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    if cross_site {
        return false;
    }
    cookie_nonce(headers).is_some_and(|nonce| forms.verify(&nonce, form, token))
}

/// The well-formed nonce in the request's `Cookie` headers, if any.
fn cookie_nonce(headers: &HeaderMap) -> Option<String> {
    crate::web::cookie::read(headers, COOKIE).filter(|v| {
        v.len() == NONCE_LEN
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn a_post_needs_the_cookie_and_the_matching_token() {
        let forms = FormTokens::new([9; 32]);
        let nonce = URL_SAFE_NO_PAD.encode([1u8; 32]);
        let token = forms.token(&nonce, "f");
        let cookie = format!("other=1; {COOKIE}={nonce}");
        assert!(is_genuine(
            &headers(&[("cookie", &cookie)]),
            &forms,
            "f",
            &token
        ));
        assert!(!is_genuine(&headers(&[]), &forms, "f", &token), "no cookie");
        assert!(!is_genuine(
            &headers(&[("cookie", &cookie)]),
            &forms,
            "g",
            &token
        ));
        assert!(!is_genuine(
            &headers(&[("cookie", &cookie), ("sec-fetch-site", "cross-site")]),
            &forms,
            "f",
            &token
        ));
    }

    #[test]
    fn a_page_reuses_a_well_formed_cookie_and_replaces_a_bad_one() {
        let nonce = URL_SAFE_NO_PAD.encode([1u8; 32]);
        let kept = FormGuard::for_page(&headers(&[("cookie", &format!("{COOKIE}={nonce}"))]));
        assert!(!kept.is_new && kept.nonce == nonce);
        let replaced = FormGuard::for_page(&headers(&[("cookie", &format!("{COOKIE}=short"))]));
        assert!(replaced.is_new && replaced.nonce.len() == NONCE_LEN);
    }
}
