use time::OffsetDateTime;

use crate::id::{AccountId, ContactId};

/// A person an account keeps on file to name as a recipient of its drafts later (a front door
/// may create its signers before any envelope exists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// The owning account; every query is scoped by it.
    pub account_id: AccountId,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail address.
    pub email: String,
    /// The client's own reference.
    pub external_id: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

impl Contact {
    /// The full name, or the e-mail address when no name is known.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            self.email.clone()
        } else {
            name
        }
    }
}
