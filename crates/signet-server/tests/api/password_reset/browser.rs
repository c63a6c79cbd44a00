//! A browser's view of the password pages: it keeps the anti-forgery cookie between requests
//! and sends forms URL-encoded, as a browser does.

use reqwest::header::{COOKIE, SET_COOKIE};

use crate::support::TestApp;

/// A browser's view of the password pages: it keeps the form cookie between requests.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookie: Option<String>,
}

/// A page as the browser got it.
pub struct Page {
    pub status: u16,
    pub html: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// The anti-forgery token of the page's form.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.html.find(marker).expect("a csrf field") + marker.len();
        let end = self.html[start..].find('"').unwrap();
        self.html[start..start + end].to_string()
    }
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let mut request = self.app.client.get(self.app.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        self.page(request.send().await.unwrap()).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut request = self
            .app
            .client
            .post(self.app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(fields));
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        self.page(request.send().await.unwrap()).await
    }

    async fn page(&mut self, response: reqwest::Response) -> Page {
        if let Some(set) = response.headers().get(SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            self.cookie = Some(pair.to_string());
        }
        Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            html: response.text().await.unwrap(),
        }
    }

    /// Fills in and sends the "forgot your password" form.
    pub async fn request_link(&mut self, email: &str) -> Page {
        let form = self.get("/password/forgot").await;
        assert_eq!(form.status, 200, "{}", form.html);
        self.post(
            "/password/forgot",
            &[("csrf", &form.csrf()), ("email", email)],
        )
        .await
    }

    /// Opens a reset link and sends its form with `password` and `repeat`.
    pub async fn set_password(&mut self, link: &str, password: &str, repeat: &str) -> Page {
        let path = path_of(self.app, link);
        let form = self.get(&path).await;
        assert_eq!(form.status, 200, "{}", form.html);
        self.post(
            &path,
            &[
                ("csrf", &form.csrf()),
                ("password", password),
                ("password_repeat", repeat),
            ],
        )
        .await
    }
}

/// Fields as `application/x-www-form-urlencoded`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                other => format!("%{other:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The path of a link to this app.
pub fn path_of(app: &TestApp, link: &str) -> String {
    link.strip_prefix(&app.base)
        .expect("a link to this app")
        .to_string()
}
