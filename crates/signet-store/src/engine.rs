//! The seam between the shared store logic and a backend.
//!
//! Everything the two backends do identically (which rows to write, in which order, which
//! checks, portable SQL with `$n` placeholders and `ON CONFLICT`) is written once in
//! [`query`](crate::query) against [`Engine`] and [`Tx`]. A backend supplies only what differs:
//! how a transaction starts, how a [`Param`] is bound and a row is read, how its errors map to
//! [`StoreError`], and the job-claiming statement.

use async_trait::async_trait;
use signet_core::port::StoreError;

use crate::param::Param;
use crate::row::Columns;

/// Result rows, readable through [`Columns`] whatever the backend.
pub(crate) type Rows = Vec<Box<dyn Columns>>;

/// An open transaction. Dropping it without [`Tx::commit`] rolls it back.
#[async_trait]
pub(crate) trait Tx: Send {
    /// Runs a statement; returns the number of rows it changed.
    async fn execute(&mut self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError>;
    /// Runs a query; returns its rows.
    async fn fetch(&mut self, sql: &'static str, params: Vec<Param>) -> Result<Rows, StoreError>;
    /// Commits.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// A backend: where transactions come from, plus the statements that differ between dialects.
#[async_trait]
pub(crate) trait Engine: Send + Sync {
    /// A read-only transaction that sees one consistent snapshot.
    async fn read(&self) -> Result<Box<dyn Tx>, StoreError>;
    /// A transaction that will write. It must hold the write lock from its first statement
    /// (SQLite: `BEGIN IMMEDIATE`), so two writers never deadlock upgrading a read lock.
    async fn write(&self) -> Result<Box<dyn Tx>, StoreError>;
    /// One read statement outside an explicit transaction.
    async fn fetch(&self, sql: &'static str, params: Vec<Param>) -> Result<Rows, StoreError>;
    /// Claims due jobs. Parameters: `$1` worker, `$2` now, `$3` lease_until, `$4` limit; returns
    /// the claimed rows. Must never hand one job to two claimers with live leases.
    fn claim_sql(&self) -> &'static str;
    /// Inserts the webhook deliveries of one event: one row with a new random UUID per enabled
    /// endpoint of account `$1` whose `event_types` is `*` or contains `$7` (the type between
    /// spaces), for envelope `$2`, type `$3`, payload `$4`, at `$5`, tagged with fan-out id `$6`.
    /// (The UUID and substring functions differ between the backends.)
    fn webhook_fanout_sql(&self) -> &'static str;
}

impl dyn Tx + '_ {
    /// All rows of a query, decoded.
    pub(crate) async fn all<T>(
        &mut self,
        sql: &'static str,
        params: Vec<Param>,
        decode: fn(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.fetch(sql, params)
            .await?
            .iter()
            .map(|row| decode(row.as_ref()))
            .collect()
    }

    /// The first row of a query, decoded, if there is one.
    pub(crate) async fn first<T>(
        &mut self,
        sql: &'static str,
        params: Vec<Param>,
        decode: fn(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        self.fetch(sql, params)
            .await?
            .first()
            .map(|row| decode(row.as_ref()))
            .transpose()
    }
}

impl dyn Engine + '_ {
    /// All rows of a one-statement read, decoded.
    pub(crate) async fn all<T>(
        &self,
        sql: &'static str,
        params: Vec<Param>,
        decode: fn(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.fetch(sql, params)
            .await?
            .iter()
            .map(|row| decode(row.as_ref()))
            .collect()
    }

    /// The first row of a one-statement read, decoded, if there is one.
    pub(crate) async fn first<T>(
        &self,
        sql: &'static str,
        params: Vec<Param>,
        decode: fn(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        self.fetch(sql, params)
            .await?
            .first()
            .map(|row| decode(row.as_ref()))
            .transpose()
    }

    /// Runs one write statement in its own write transaction; returns the rows changed.
    pub(crate) async fn execute(
        &self,
        sql: &'static str,
        params: Vec<Param>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let changed = tx.execute(sql, params).await?;
        tx.commit().await?;
        Ok(changed)
    }
}

/// The error for a uniqueness violation, from a hint naming the constraint (PostgreSQL's
/// constraint name, or the `table.column` list of SQLite's message). Both backends map through
/// here so they report the same thing.
pub(crate) fn unique_violation(hint: &str) -> StoreError {
    const RULES: &[(&str, Option<&str>)] = &[
        ("external_key", Some("external_key")),
        ("email", Some("email")),
        ("lookup_id", Some("lookup_id")),
        ("token_hash", Some("token_hash")),
        ("dedupe_key", Some("dedupe_key")),
        // Somebody else inserted this envelope or appended this event sequence number first.
        ("audit_events", None),
        ("envelopes", None),
    ];
    for (needle, duplicate) in RULES {
        if hint.contains(needle) {
            return match duplicate {
                Some(name) => StoreError::Duplicate((*name).to_owned()),
                None => StoreError::VersionConflict,
            };
        }
    }
    StoreError::Duplicate("id".to_owned())
}

/// The error for a change whose rows do not fit together (a foreign-key or check violation, or
/// a row of another envelope). The store refuses it rather than guessing.
pub(crate) fn inconsistent(what: &str) -> StoreError {
    StoreError::Corrupt(format!("inconsistent change refused: {what}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_name_the_value_or_report_a_conflict() {
        let duplicate = |hint| match unique_violation(hint) {
            StoreError::Duplicate(name) => Some(name),
            _ => None,
        };
        // SQLite message lists and PostgreSQL constraint names.
        assert_eq!(
            duplicate("envelopes.account_id, envelopes.external_key").as_deref(),
            Some("external_key")
        );
        assert_eq!(
            duplicate("envelopes_account_id_external_key_key").as_deref(),
            Some("external_key")
        );
        assert_eq!(duplicate("users.email_key").as_deref(), Some("email"));
        assert_eq!(duplicate("users_email_key_key").as_deref(), Some("email"));
        assert_eq!(duplicate("accounts_pkey").as_deref(), Some("id"));
        assert!(matches!(
            unique_violation("audit_events.envelope_id, audit_events.seq"),
            StoreError::VersionConflict
        ));
        assert!(matches!(
            unique_violation("audit_events_pkey"),
            StoreError::VersionConflict
        ));
        assert!(matches!(
            unique_violation("envelopes_pkey"),
            StoreError::VersionConflict
        ));
    }
}
