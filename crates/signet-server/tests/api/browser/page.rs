//! Helpers for driving and checking the signing page.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::validators::pyhanko_validate;
use crate::support::webdriver::{Session, Viewport};

/// Creates a parallel envelope with the contract and `signers` (link invitations), sends it,
/// and returns its id and the signing URLs in the order given.
pub(super) async fn send(
    app: &TestApp,
    key: &str,
    title: &str,
    signers: &[Value],
) -> (String, Vec<String>) {
    let (id, _, urls) = send_with_document(app, key, title, signers).await;
    (id, urls)
}

/// [`send`], also returning the id of the envelope's document.
pub(crate) async fn send_with_document(
    app: &TestApp,
    key: &str,
    title: &str,
    signers: &[Value],
) -> (String, String, Vec<String>) {
    let (id, document) = app
        .draft_with_contract(key, json!({"title": title, "signing_order": "parallel"}))
        .await;
    let by_link: Vec<Value> = signers
        .iter()
        .map(|signer| {
            let mut signer = signer.clone();
            signer["invitation"] = json!("link");
            signer
        })
        .collect();
    let sent = app.add_signers_and_send(key, &id, &by_link).await;
    let urls = sent["signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sign_url"].as_str().unwrap().to_string())
        .collect();
    (id, document["id"].as_str().unwrap().to_owned(), urls)
}

/// Opens a signing page and checks what every page must be: the title, the viewport's width
/// without sideways scrolling, a name for every control, thumb-sized buttons. Installs a
/// listener for script errors and CSP violations (see [`assert_clean_console`]).
pub(super) async fn open_page(browser: &Session, url: &str, title: &str, screenshot: &str) {
    browser.goto(url).await;
    assert_eq!(browser.find("h1").await.text().await, title);
    browser
        .execute(
            "window.pageProblems = [];\
             addEventListener('error', e => pageProblems.push('error: ' + (e.message || e.target.outerHTML)), true);\
             addEventListener('unhandledrejection', e => pageProblems.push('rejection: ' + e.reason));\
             document.addEventListener('securitypolicyviolation', e => pageProblems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));",
            vec![],
        )
        .await;
    let layout = browser
        .execute(
            "const named = el => (el.labels && el.labels.length) || el.getAttribute('aria-label')\
               || el.getAttribute('aria-labelledby') || el.title || el.textContent.trim();\
             const controls = [...document.querySelectorAll('input, textarea, button, canvas, iframe, summary')];\
             return {width: innerWidth, overflow: document.documentElement.scrollWidth - innerWidth,\
               unnamed: controls.filter(el => !named(el)).map(el => el.outerHTML),\
               small: [...document.querySelectorAll('button')].filter(b => b.getClientRects().length && b.getBoundingClientRect().height < 44).map(b => b.id)};",
            vec![],
        )
        .await;
    keep_screenshot(browser, screenshot).await;
    assert_eq!(layout["width"], browser.viewport.width(), "{layout}");
    assert!(
        layout["overflow"].as_i64().unwrap() <= 0,
        "the page scrolls sideways: {layout}"
    );
    assert_eq!(
        layout["unnamed"],
        json!([]),
        "controls without an accessible name"
    );
    assert_eq!(layout["small"], json!([]), "buttons shorter than 44 px");
}

pub(super) async fn assert_focused(browser: &Session, css: &str) {
    let script = format!("return document.activeElement === document.querySelector({css:?});");
    let focused = browser.execute(&script, vec![]).await;
    assert_eq!(focused, true, "{css} has the focus");
}

pub(super) const TAB: &str = "\u{E004}";
pub(super) const ENTER: &str = "\u{E007}";

pub(super) async fn press(browser: &Session, key: &str) {
    let strokes = json!([{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]);
    browser
        .perform(json!([{"type": "key", "id": "keyboard", "actions": strokes}]))
        .await;
}

/// The accessible name of the focused element: its `aria-label`, else its label's (or its
/// own) text.
pub(super) async fn focused(browser: &Session) -> String {
    let name = browser
        .execute(
            "const el = document.activeElement;\
             return el.getAttribute('aria-label')\
               || ((el.labels && el.labels.length ? el.labels[0] : el).textContent).trim();",
            vec![],
        )
        .await;
    name.as_str().unwrap_or_default().to_string()
}

/// Types `name` as the signature, consents and signs; the page says so and logged no error.
pub(super) async fn sign_typed(browser: &Session, name: &str) {
    browser.find("#typed-name").await.send_keys(name).await;
    browser.find("#consent").await.click().await;
    browser.find("#sign-button").await.click().await;
    assert_eq!(
        wait_for_outcome(browser, "signed").await,
        "Thank you: you have signed."
    );
    assert_clean_console(browser, &[]).await;
}

/// Waits until the page reports `outcome` and returns what its status region says.
pub(super) async fn wait_for_outcome(browser: &Session, outcome: &str) -> String {
    let condition = format!("document.body.dataset.outcome === {outcome:?}");
    browser
        .wait_until(&format!("outcome {outcome}"), &condition)
        .await;
    status_text(browser).await
}

pub(super) async fn status_text(browser: &Session) -> String {
    browser.find("#status").await.text().await
}

/// Three strokes across the pad, with the viewport's pointer (touch on the phone).
pub(super) async fn draw_strokes(browser: &Session) {
    let pad = browser.find("#pad").await;
    browser
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![pad.reference()],
        )
        .await;
    let size = browser
        .execute(
            "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];",
            vec![pad.reference()],
        )
        .await;
    let (w, h) = (size[0].as_f64().unwrap(), size[1].as_f64().unwrap());
    let pointer = match browser.viewport {
        Viewport::Phone => "touch",
        Viewport::Desktop => "mouse",
    };
    let strokes: [&[(f64, f64)]; 3] = [
        &[
            (-0.4, 0.2),
            (-0.3, -0.3),
            (-0.2, 0.25),
            (-0.1, -0.2),
            (0.0, 0.2),
        ],
        &[
            (0.05, -0.3),
            (0.1, 0.0),
            (0.15, 0.3),
            (0.25, -0.1),
            (0.4, 0.1),
        ],
        &[(-0.4, 0.35), (0.0, 0.3), (0.4, 0.35)],
    ];
    let mut actions = Vec::new();
    for stroke in strokes {
        for (i, (x, y)) in stroke.iter().enumerate() {
            let at = json!({"type": "pointerMove", "duration": 5, "origin": pad.reference(),
                "x": (x * w).round(), "y": (y * h).round()});
            actions.push(at);
            if i == 0 {
                actions.push(json!({"type": "pointerDown", "button": 0}));
            }
        }
        if pointer == "touch" {
            // Rest before lifting: a finger lifted at speed flings, and Chromium swallows the
            // tap that stops a fling (the next tap on Clear or Sign).
            actions.push(json!({"type": "pause", "duration": 120}));
        }
        actions.push(json!({"type": "pointerUp", "button": 0}));
    }
    browser
        .perform(json!([{"type": "pointer", "id": "pen", "parameters": {"pointerType": pointer}, "actions": actions}]))
        .await;
}

/// How many pixels of the pad carry ink.
pub(super) async fn ink(browser: &Session) -> u64 {
    let count = browser
        .execute(
            // Read a copy: reading the page's own canvas back makes Chromium warn.
            "const pad = document.getElementById('pad');\
             const copy = document.createElement('canvas');\
             copy.width = pad.width; copy.height = pad.height;\
             const ctx = copy.getContext('2d', {willReadFrequently: true});\
             ctx.drawImage(pad, 0, 0);\
             const data = ctx.getImageData(0, 0, pad.width, pad.height).data;\
             let n = 0; for (let i = 3; i < data.length; i += 4) if (data[i]) n++; return n;",
            vec![],
        )
        .await;
    count.as_u64().unwrap()
}

/// No script error, failed load or CSP violation, neither in the browser's console log nor in
/// the page's own error events; log entries containing one of `expected` are allowed.
pub(super) async fn assert_clean_console(browser: &Session, expected: &[&str]) {
    let log: Vec<_> = browser
        .browser_log()
        .await
        .into_iter()
        .filter(|e| e.level == "SEVERE" || e.level == "WARNING")
        .filter(|e| !expected.iter().any(|x| e.message.contains(x)))
        .collect();
    assert!(log.is_empty(), "browser console: {log:?}");
    let problems = browser.execute("return window.pageProblems;", vec![]).await;
    assert_eq!(problems, json!([]), "page errors");
}

/// Downloads the envelope's signed PDF, checks pyHanko accepts it against the instance CA,
/// and returns its path.
pub(super) async fn validated_signed_pdf(app: &TestApp, key: &str, id: &str) -> std::path::PathBuf {
    let dir = app.data_path();
    let (status, ca) = app.get_bytes(key, "/api/v1/trust/ca.pem").await;
    assert_eq!(status, 200);
    std::fs::write(dir.join("ca.pem"), &ca).unwrap();
    let (status, signed) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    let path = dir.join("signed.pdf");
    std::fs::write(&path, &signed).unwrap();
    let verdict = pyhanko_validate(&path, &dir.join("ca.pem"));
    assert!(
        verdict.success && verdict.output.contains("VALID"),
        "pyHanko: {}",
        verdict.output
    );
    path
}

/// Saves a screenshot of the page for people to look at (CI keeps them as artifacts): into
/// `SIGNET_KEEP_OUTPUTS` when set, else `target/screenshots/`.
pub(super) async fn keep_screenshot(browser: &Session, name: &str) {
    let dir = std::env::var_os("SIGNET_KEEP_OUTPUTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(screenshots_dir);
    std::fs::create_dir_all(&dir).unwrap();
    let viewport = match browser.viewport {
        Viewport::Phone => "phone",
        Viewport::Desktop => "desktop",
    };
    let png = browser.full_page_screenshot().await;
    std::fs::write(dir.join(format!("page-{name}-{viewport}.png")), png).unwrap();
    // The viewport alone also shows the PDF preview, which the full page leaves out.
    let top = browser.screenshot().await;
    std::fs::write(dir.join(format!("page-{name}-{viewport}-top.png")), top).unwrap();
}

/// `target/screenshots/` (beside the tests' `CARGO_TARGET_TMPDIR`, so it follows
/// `CARGO_TARGET_DIR`).
fn screenshots_dir() -> std::path::PathBuf {
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}
