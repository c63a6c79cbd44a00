//! Reading rows without knowing the backend: [`Columns`] gives typed access to one row's
//! columns by name, and the `decode` functions in [`decode`](crate::decode) build domain values
//! from it once for both backends.

use serde::de::DeserializeOwned;
use signet_core::port::StoreError;
use time::OffsetDateTime;
use uuid::Uuid;

/// Typed, nullable access to the columns of one result row. Each backend implements it for its
/// row type, converting its own representation (TEXT ids, integer microseconds, ...).
pub(crate) trait Columns: Send {
    /// A UUID column.
    fn id(&self, column: &str) -> Result<Option<Uuid>, StoreError>;
    /// A timestamp column.
    fn time(&self, column: &str) -> Result<Option<OffsetDateTime>, StoreError>;
    /// A text column.
    fn text(&self, column: &str) -> Result<Option<String>, StoreError>;
    /// An integer column (64 bits on both backends).
    fn int(&self, column: &str) -> Result<Option<i64>, StoreError>;
    /// A 32-bit float column.
    fn real(&self, column: &str) -> Result<Option<f32>, StoreError>;
    /// A bytes column.
    fn bytes(&self, column: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// A boolean column.
    fn boolean(&self, column: &str) -> Result<Option<bool>, StoreError>;
}

/// Required-column helpers on top of [`Columns`].
pub(crate) trait Required {
    /// A NOT NULL UUID.
    fn req_id(&self, column: &str) -> Result<Uuid, StoreError>;
    /// A NOT NULL timestamp.
    fn req_time(&self, column: &str) -> Result<OffsetDateTime, StoreError>;
    /// A NOT NULL text.
    fn req_text(&self, column: &str) -> Result<String, StoreError>;
    /// A NOT NULL integer.
    fn req_int(&self, column: &str) -> Result<i64, StoreError>;
    /// A NOT NULL float.
    fn req_real(&self, column: &str) -> Result<f32, StoreError>;
    /// A NOT NULL boolean.
    fn req_bool(&self, column: &str) -> Result<bool, StoreError>;
    /// A NOT NULL bytes column.
    fn req_bytes(&self, column: &str) -> Result<Vec<u8>, StoreError>;
    /// A NOT NULL 32-byte hash.
    fn req_hash(&self, column: &str) -> Result<[u8; 32], StoreError>;
    /// A nullable 32-byte hash.
    fn opt_hash(&self, column: &str) -> Result<Option<[u8; 32]>, StoreError>;
    /// An integer that must fit an `i32`.
    fn req_i32(&self, column: &str) -> Result<i32, StoreError>;
    /// A NOT NULL JSON text column, parsed.
    fn req_json<T: DeserializeOwned>(&self, column: &str) -> Result<T, StoreError>;
    /// A nullable JSON text column, parsed.
    fn opt_json<T: DeserializeOwned>(&self, column: &str) -> Result<Option<T>, StoreError>;
    /// A NOT NULL text column holding one of an enum's `as_str` values.
    fn req_enum<T>(&self, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError>;
    /// A nullable text column holding one of an enum's `as_str` values.
    fn opt_enum<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError>;
}

fn missing(column: &str) -> StoreError {
    StoreError::Corrupt(format!("column {column} is unexpectedly NULL"))
}

fn hash(column: &str, bytes: Vec<u8>) -> Result<[u8; 32], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("column {column} is not a 32-byte hash")))
}

fn parse_json<T: DeserializeOwned>(column: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("column {column}: {e}")))
}

impl<C: Columns + ?Sized> Required for C {
    fn req_id(&self, column: &str) -> Result<Uuid, StoreError> {
        self.id(column)?.ok_or_else(|| missing(column))
    }
    fn req_time(&self, column: &str) -> Result<OffsetDateTime, StoreError> {
        self.time(column)?.ok_or_else(|| missing(column))
    }
    fn req_text(&self, column: &str) -> Result<String, StoreError> {
        self.text(column)?.ok_or_else(|| missing(column))
    }
    fn req_int(&self, column: &str) -> Result<i64, StoreError> {
        self.int(column)?.ok_or_else(|| missing(column))
    }
    fn req_real(&self, column: &str) -> Result<f32, StoreError> {
        self.real(column)?.ok_or_else(|| missing(column))
    }
    fn req_bool(&self, column: &str) -> Result<bool, StoreError> {
        self.boolean(column)?.ok_or_else(|| missing(column))
    }
    fn req_bytes(&self, column: &str) -> Result<Vec<u8>, StoreError> {
        self.bytes(column)?.ok_or_else(|| missing(column))
    }
    fn req_hash(&self, column: &str) -> Result<[u8; 32], StoreError> {
        hash(column, self.req_bytes(column)?)
    }
    fn opt_hash(&self, column: &str) -> Result<Option<[u8; 32]>, StoreError> {
        self.bytes(column)?
            .map(|bytes| hash(column, bytes))
            .transpose()
    }
    fn req_i32(&self, column: &str) -> Result<i32, StoreError> {
        i32::try_from(self.req_int(column)?)
            .map_err(|_| StoreError::Corrupt(format!("column {column} is out of range")))
    }
    fn req_json<T: DeserializeOwned>(&self, column: &str) -> Result<T, StoreError> {
        parse_json(column, &self.req_text(column)?)
    }
    fn opt_json<T: DeserializeOwned>(&self, column: &str) -> Result<Option<T>, StoreError> {
        self.text(column)?
            .map(|text| parse_json(column, &text))
            .transpose()
    }
    fn req_enum<T>(&self, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
        let text = self.req_text(column)?;
        parse(&text).ok_or_else(|| {
            StoreError::Corrupt(format!("column {column} has unknown value {text:?}"))
        })
    }
    fn opt_enum<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        let Some(text) = self.text(column)? else {
            return Ok(None);
        };
        parse(&text).map(Some).ok_or_else(|| {
            StoreError::Corrupt(format!("column {column} has unknown value {text:?}"))
        })
    }
}
