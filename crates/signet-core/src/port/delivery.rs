use async_trait::async_trait;

/// Why a message or callback could not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// Worth retrying later (connection refused, timeout, 4xx SMTP reply, 5xx HTTP status).
    #[error("temporary delivery failure: {0}")]
    Transient(String),
    /// Retrying will not help (bad address, refused URL).
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

/// A name and address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    /// Display name (may be empty).
    pub name: String,
    /// E-mail address.
    pub address: String,
}

/// An e-mail with a plain-text and an HTML part, and any attachments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// Stable `Message-ID` (without angle brackets): the same job always sends the same id, so
    /// a receiver can drop a duplicate caused by a retry.
    pub message_id: String,
    /// Display name for the sender (the address is configured in the transport).
    pub from_name: String,
    /// The recipient.
    pub to: Mailbox,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// Files sent with the message (the signed documents of a completed envelope).
    pub attachments: Vec<Attachment>,
}

/// A file attached to an [`Email`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The file name the recipient sees.
    pub filename: String,
    /// Its media type (`application/pdf`).
    pub content_type: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// Sends e-mail.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Hands the message to the mail system; `Ok` means it was accepted.
    async fn send(&self, email: &Email) -> Result<(), DeliveryError>;
}

/// An HTTP POST to a client's callback URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackRequest {
    /// The full URL, query included.
    pub url: String,
    /// Extra headers (signature, id, timestamp).
    pub headers: Vec<(String, String)>,
    /// JSON body.
    pub body: Vec<u8>,
}

/// Calls client callback URLs, refusing private-network targets unless configured otherwise.
#[async_trait]
pub trait CallbackSender: Send + Sync {
    /// Posts the request; returns the HTTP status when the server answered at all.
    async fn post(&self, request: &CallbackRequest) -> Result<u16, DeliveryError>;
    /// Posts the request and says how long it took (for the webhook attempt log).
    async fn post_timed(&self, request: &CallbackRequest) -> TimedResponse;
    /// Checks, without calling it, that `url` may be called: its scheme, and (unless private
    /// targets are allowed) every address its host is or resolves to. Refusals are
    /// `Permanent`; a failed lookup is `Transient`.
    async fn check_target(&self, url: &str) -> Result<(), DeliveryError>;
}

/// The outcome of [`CallbackSender::post_timed`].
#[derive(Debug)]
pub struct TimedResponse {
    /// The HTTP status, or why there was none.
    pub status: Result<u16, DeliveryError>,
    /// How long the request took.
    pub elapsed: std::time::Duration,
}
