//! The table of every route and how the isolation and scope tests exercise it. The OpenAPI
//! document the server serves is compared with [`API_ROUTES`] at test time, so a new API route
//! without a case here fails the test by name. Routes outside that document (the signing page
//! and its assets) are listed in [`PAGE_ROUTES`], and each is probed, so the list cannot rot.

use serde_json::{Value, json};

use super::world::{Target, World};
use crate::support::fixtures::contract_pdf;

/// Who may call a route, and what the isolation test expects from another account.
#[derive(Clone, Copy, Debug)]
pub enum Access {
    /// An account credential with these scopes (space-separated) reaching objects by the ids in
    /// the path: another account's ids answer 404 `not_found`, exactly like ids that don't exist.
    Objects(&'static str),
    /// An account credential with these scopes, acting on the caller's own account (no object
    /// ids): the answer must carry nothing of another account.
    OwnAccount(&'static str),
    /// An account credential with these scopes, reporting on a file the caller uploads: the
    /// file's own content comes back, but never another account's envelope.
    Upload(&'static str),
    /// The signing-link token in the path is the credential; it reaches only its own signer
    /// (`a_signing_token_reaches_only_its_own_envelope`).
    SigningToken,
    /// A single-purpose link token in the path (a password reset) is the credential; the reason
    /// says what it reaches, and the route's own tests prove a wrong token reaches nothing.
    LinkToken(&'static str),
    /// The OAuth2 client's own credentials (client id and secret) authenticate, not an account
    /// credential; `isolation::oauth` proves one account's client cannot use or revoke another
    /// account's codes and tokens.
    OAuthClient,
    /// The web-login session cookie is the credential (a browser page).
    Session,
    /// No credential, by design; the reason says why that is safe.
    Public(&'static str),
    /// The operator's own token from the configuration, not an account credential; the reason
    /// names it and what the route shows.
    Operator(&'static str),
}

impl Access {
    /// The scopes an account credential needs, if the route takes one.
    pub fn scopes(self) -> Option<&'static str> {
        match self {
            Access::Objects(s) | Access::OwnAccount(s) | Access::Upload(s) => Some(s),
            Access::SigningToken
            | Access::LinkToken(_)
            | Access::OAuthClient
            | Access::Session
            | Access::Public(_)
            | Access::Operator(_) => None,
        }
    }
}

/// A request body.
pub enum Body {
    None,
    Json(Value),
    Pdf(Vec<u8>),
}

/// One route: its method and path template as the OpenAPI document writes them, who may call
/// it, and a body that gets past validation to the lookup.
pub struct Case {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub body: fn(&World, &Target) -> Body,
}

impl Case {
    /// `METHOD path`, as test messages name routes.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The path with `{id}` and `{document_id}` of `target` and `{token}` filled in. `{id}` is
    /// the envelope's, or on the credential and user routes the spare object's of that kind.
    pub fn path_for(&self, target: &Target, token: &str) -> String {
        let people = &target.people;
        let id = [
            ("/api/v1/api-keys/", &people.api_key),
            ("/api/v1/personal-access-tokens/", &people.personal_token),
            ("/api/v1/users/", &people.user),
            ("/api/v1/oauth/clients/", &people.oauth_client),
            ("/api/v1/webhooks/", &people.webhook),
            ("/api/v1/admin/jobs/", &people.job),
        ]
        .into_iter()
        .find(|(prefix, _)| self.path.starts_with(prefix))
        .map_or(&target.id, |(_, id)| id);
        self.path
            .replace("{id}", id)
            .replace("{document_id}", &target.document_id)
            .replace("{delivery_id}", &people.webhook_delivery)
            .replace("{token}", token)
    }
}

/// No body.
pub fn none(_: &World, _: &Target) -> Body {
    Body::None
}

fn contract(_: &World, _: &Target) -> Body {
    Body::Pdf(contract_pdf())
}

fn sealed(world: &World, _: &Target) -> Body {
    Body::Pdf(world.sealed_pdf.clone())
}

fn new_signer(_: &World, _: &Target) -> Body {
    Body::Json(json!({
        "name": "Intruder", "email": "intruder@example.test", "invitation": "link",
        "fields": [{"type": "signature", "tag": "signature_1"}],
    }))
}

/// An envelope of the caller's own that reuses the other account's external key: keys are
/// unique per account, so this must not be refused (a 409 would reveal the other's key).
fn own_envelope(_: &World, target: &Target) -> Body {
    Body::Json(json!({"title": "Mine", "external_key": target.external_key}))
}

fn envelope_patch(_: &World, _: &Target) -> Body {
    Body::Json(json!({"title": "Intruder"}))
}

fn account_patch(_: &World, _: &Target) -> Body {
    Body::Json(json!({"pades_level": null}))
}

fn reactivator(_: &World, _: &Target) -> Body {
    Body::Json(json!({"email": "intruder@example.test"}))
}

fn named(_: &World, _: &Target) -> Body {
    Body::Json(json!({"name": "mine"}))
}

/// A user with a fresh e-mail address every time (addresses are unique instance-wide).
fn new_user(_: &World, _: &Target) -> Body {
    Body::Json(json!({
        "email": format!("new.{}@example.test", uuid::Uuid::new_v4().simple()),
        "name": "New Member", "password": "correct horse battery staple", "role": "member",
    }))
}

fn new_client(_: &World, _: &Target) -> Body {
    Body::Json(json!({"name": "Mine", "redirect_uris": ["https://client.example/callback"]}))
}

/// A disabled endpoint (so nothing is ever delivered to the address, which takes nothing).
fn new_webhook(_: &World, _: &Target) -> Body {
    Body::Json(json!({"url": "http://127.0.0.1:9/hook", "enabled": false}))
}

fn webhook_patch(_: &World, _: &Target) -> Body {
    Body::Json(json!({"description": "Intruder"}))
}

fn signing(_: &World, _: &Target) -> Body {
    Body::Json(json!({"consent": true, "signature": {"kind": "typed", "text": "X"}}))
}

fn otp_code(_: &World, _: &Target) -> Body {
    Body::Json(json!({"code": "123456"}))
}

fn decline(_: &World, _: &Target) -> Body {
    Body::Json(json!({"reason": "no"}))
}

/// Every route of the OpenAPI document.
#[rustfmt::skip]
pub const API_ROUTES: &[Case] = &[
    Case { method: "GET", path: "/api/v1/account", access: Access::OwnAccount("read"), body: none },
    Case { method: "PATCH", path: "/api/v1/account", access: Access::OwnAccount("write admin"), body: account_patch },
    Case { method: "GET", path: "/api/v1/envelopes", access: Access::OwnAccount("read"), body: none },
    Case { method: "POST", path: "/api/v1/envelopes", access: Access::OwnAccount("write"), body: own_envelope },
    Case { method: "GET", path: "/api/v1/envelopes/{id}", access: Access::Objects("read"), body: none },
    Case { method: "DELETE", path: "/api/v1/envelopes/{id}", access: Access::Objects("write"), body: none },
    Case { method: "PATCH", path: "/api/v1/envelopes/{id}", access: Access::Objects("write"), body: envelope_patch },
    Case { method: "POST", path: "/api/v1/envelopes/{id}/documents", access: Access::Objects("write"), body: contract },
    Case { method: "POST", path: "/api/v1/envelopes/{id}/signers", access: Access::Objects("write"), body: new_signer },
    Case { method: "POST", path: "/api/v1/envelopes/{id}/send", access: Access::Objects("write"), body: none },
    Case { method: "POST", path: "/api/v1/envelopes/{id}/remind", access: Access::Objects("write"), body: none },
    Case { method: "POST", path: "/api/v1/envelopes/{id}/cancel", access: Access::Objects("write"), body: none },
    Case { method: "POST", path: "/api/v1/envelopes/{id}/reactivate", access: Access::Objects("write"), body: reactivator },
    Case { method: "GET", path: "/api/v1/envelopes/{id}/events", access: Access::Objects("read"), body: none },
    Case { method: "GET", path: "/api/v1/envelopes/{id}/events/verify", access: Access::Objects("read"), body: none },
    Case { method: "GET", path: "/api/v1/envelopes/{id}/signed.pdf", access: Access::Objects("read"), body: none },
    Case { method: "GET", path: "/api/v1/envelopes/{id}/proof.pdf", access: Access::Objects("read"), body: none },
    Case { method: "GET", path: "/api/v1/envelopes/{id}/documents/{document_id}/signed.pdf", access: Access::Objects("read"), body: none },
    Case { method: "GET", path: "/api/v1/envelopes/{id}/documents/{document_id}/original.pdf", access: Access::Objects("read"), body: none },
    Case { method: "POST", path: "/api/v1/verify", access: Access::Upload("read"), body: sealed },
    Case { method: "GET", path: "/api/v1/api-keys", access: Access::OwnAccount("read admin"), body: none },
    Case { method: "POST", path: "/api/v1/api-keys", access: Access::OwnAccount("write admin"), body: named },
    Case { method: "DELETE", path: "/api/v1/api-keys/{id}", access: Access::Objects("write admin"), body: none },
    Case { method: "GET", path: "/api/v1/personal-access-tokens", access: Access::OwnAccount("read"), body: none },
    Case { method: "POST", path: "/api/v1/personal-access-tokens", access: Access::OwnAccount("write"), body: named },
    Case { method: "DELETE", path: "/api/v1/personal-access-tokens/{id}", access: Access::Objects("write"), body: none },
    Case { method: "GET", path: "/api/v1/users", access: Access::OwnAccount("read admin"), body: none },
    Case { method: "POST", path: "/api/v1/users", access: Access::OwnAccount("write admin"), body: new_user },
    Case { method: "POST", path: "/api/v1/users/{id}/disable", access: Access::Objects("write admin"), body: none },
    Case { method: "GET", path: "/api/v1/oauth/clients", access: Access::OwnAccount("read admin"), body: none },
    Case { method: "POST", path: "/api/v1/oauth/clients", access: Access::OwnAccount("write admin"), body: new_client },
    Case { method: "GET", path: "/api/v1/oauth/clients/{id}", access: Access::Objects("read admin"), body: none },
    Case { method: "DELETE", path: "/api/v1/oauth/clients/{id}", access: Access::Objects("write admin"), body: none },
    Case { method: "GET", path: "/api/v1/webhooks", access: Access::OwnAccount("read admin"), body: none },
    Case { method: "POST", path: "/api/v1/webhooks", access: Access::OwnAccount("write admin"), body: new_webhook },
    Case { method: "GET", path: "/api/v1/webhooks/{id}", access: Access::Objects("read admin"), body: none },
    Case { method: "PATCH", path: "/api/v1/webhooks/{id}", access: Access::Objects("write admin"), body: webhook_patch },
    Case { method: "POST", path: "/api/v1/webhooks/{id}/secret/rotate", access: Access::Objects("write admin"), body: none },
    Case { method: "GET", path: "/api/v1/webhooks/{id}/deliveries", access: Access::Objects("read admin"), body: none },
    Case { method: "GET", path: "/api/v1/webhooks/{id}/deliveries/{delivery_id}", access: Access::Objects("read admin"), body: none },
    Case { method: "POST", path: "/api/v1/webhooks/{id}/deliveries/{delivery_id}/resend", access: Access::Objects("write admin"), body: none },
    Case { method: "DELETE", path: "/api/v1/webhooks/{id}", access: Access::Objects("write admin"), body: none },
    Case { method: "POST", path: "/oauth/token", access: Access::OAuthClient, body: none },
    Case { method: "POST", path: "/stiply/oauth/token", access: Access::OAuthClient, body: none },
    Case { method: "POST", path: "/oauth/revoke", access: Access::OAuthClient, body: none },
    Case { method: "GET", path: "/.well-known/oauth-authorization-server", access: Access::Public("the server's OAuth2 metadata, the same for every account"), body: none },
    Case { method: "GET", path: "/api/v1/signing/{token}", access: Access::SigningToken, body: none },
    Case { method: "GET", path: "/api/v1/signing/{token}/documents/{document_id}", access: Access::SigningToken, body: none },
    Case { method: "POST", path: "/api/v1/signing/{token}/complete", access: Access::SigningToken, body: signing },
    Case { method: "POST", path: "/api/v1/signing/{token}/decline", access: Access::SigningToken, body: decline },
    Case { method: "POST", path: "/api/v1/signing/{token}/otp", access: Access::SigningToken, body: none },
    Case { method: "POST", path: "/api/v1/signing/{token}/otp/verify", access: Access::SigningToken, body: otp_code },
    Case { method: "GET", path: "/api/v1/trust/ca.pem", access: Access::Public("the instance's root certificates, the same for every account"), body: none },
    Case { method: "GET", path: "/api/v1/trust/root.crl", access: Access::Public("the instance root's CRL, the same for every account"), body: none },
    Case { method: "GET", path: "/api/v1/openapi.json", access: Access::Public("the API's description, no data"), body: none },
    Case { method: "GET", path: "/api/v1/admin/jobs", access: Access::OwnAccount("read admin"), body: none },
    Case { method: "POST", path: "/api/v1/admin/jobs/{id}/retry", access: Access::Objects("write admin"), body: none },
];

/// A route the OpenAPI document does not list, with a request that proves it exists.
pub struct PageRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub probe: &'static str,
}

/// Every route outside the OpenAPI document (the router cannot list its routes).
#[rustfmt::skip]
pub const PAGE_ROUTES: &[PageRoute] = &[
    PageRoute { method: "GET", path: "/s/{token}", access: Access::SigningToken, probe: "/s/not-a-real-token" },
    PageRoute { method: "GET", path: "/s/{token}/oidc/start", access: Access::SigningToken, probe: "/s/not-a-real-token/oidc/start" },
    PageRoute { method: "GET", path: "/oidc/callback", access: Access::LinkToken("one signer's identity login: acts only on its state together with the state cookie of the browser that started it (oidc.rs)"), probe: "/oidc/callback?state=not-a-real-state&code=x" },
    PageRoute { method: "GET", path: "/assets/{name}", access: Access::Public("the pages' scripts and style sheet, static"), probe: "/assets/viewer.js" },
    PageRoute { method: "GET", path: "/assets/fonts/{file}", access: Access::Public("the script faces of typed signatures, static"), probe: "/assets/fonts/caveat.ttf" },
    PageRoute { method: "GET", path: "/assets/pdfjs/{*name}", access: Access::Public("pdf.js and its fonts, static"), probe: "/assets/pdfjs/pdf.worker.min.mjs" },
    PageRoute { method: "GET", path: "/login", access: Access::Public("the login form"), probe: "/login" },
    PageRoute { method: "POST", path: "/logout", access: Access::Session, probe: "/logout" },
    PageRoute { method: "GET", path: "/account", access: Access::Session, probe: "/account" },
    PageRoute { method: "GET", path: "/oauth/authorize", access: Access::Session, probe: "/oauth/authorize" },
    PageRoute { method: "GET", path: "/stiply/oauth/authorize", access: Access::Session, probe: "/stiply/oauth/authorize" },
    PageRoute { method: "GET", path: "/password/forgot", access: Access::Public("asks for a reset link; the answer is the same for every address"), probe: "/password/forgot" },
    PageRoute { method: "GET", path: "/d/{token}", access: Access::LinkToken("one party's download link: its envelope's sealed documents (completed_link.rs)"), probe: "/d/not-a-real-token" },
    PageRoute { method: "GET", path: "/d/{token}/{number}", access: Access::LinkToken("one party's download link: its envelope's sealed documents (completed_link.rs)"), probe: "/d/not-a-real-token/1" },
    PageRoute { method: "GET", path: "/password/reset/{token}", access: Access::LinkToken("one user's password reset (password_reset.rs)"), probe: "/password/reset/not-a-real-token" },
    PageRoute { method: "GET", path: "/healthz", access: Access::Public("liveness: answers {\"status\":\"ok\"}, no data"), probe: "/healthz" },
    PageRoute { method: "GET", path: "/readyz", access: Access::Public("readiness: names failed checks, no data"), probe: "/readyz" },
    PageRoute { method: "GET", path: "/metrics", access: Access::Operator("SIGNET_METRICS_TOKEN; instance-wide figures, no account data (ops.rs)"), probe: "/metrics" },
];
