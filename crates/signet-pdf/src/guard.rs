//! Last line of defence: public entry points run inside `catch_unwind`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{PdfError, Result};

/// Runs `f`, turning a panic into [`PdfError::Internal`].
pub(crate) fn shielded<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            Err(PdfError::Internal(format!("{what}: {msg}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_internal_errors() {
        let r: Result<()> = shielded("test", || panic!("boom"));
        assert!(matches!(r, Err(PdfError::Internal(m)) if m.contains("boom")));
    }
}
