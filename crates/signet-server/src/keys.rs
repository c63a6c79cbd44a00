//! The master key that encrypts the instance's secrets at rest.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The master key from `SIGNET_MASTER_KEY`, else from `<data_dir>/master.key` (created with
/// mode 0600 on first start).
pub fn master_key(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<[u8; 32]> {
    if let Some(text) = configured {
        return decode(text).context("SIGNET_MASTER_KEY must be the base64 of 32 bytes");
    }
    let path = data_dir.join("master.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            decode(&text).with_context(|| format!("{} is not a valid master key", path.display()))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

fn decode(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = STANDARD.decode(text.trim())?;
    match <[u8; 32]>::try_from(bytes.as_slice()) {
        Ok(key) => Ok(key),
        Err(_) => bail!("expected 32 bytes, got {}", bytes.len()),
    }
}

fn create(path: &Path) -> anyhow::Result<[u8; 32]> {
    let key = signet_core::secret::random_bytes::<32>();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(STANDARD.encode(key).as_bytes())?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "created a new master key; back it up with the database");
    Ok(key)
}
