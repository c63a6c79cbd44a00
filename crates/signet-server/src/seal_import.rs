//! `signet seal import FILE.p12`: reads a seal key and its certificate chain from a PKCS#12
//! file (the modern AES-256/PBKDF2 kind `openssl pkcs12 -export` makes, and the legacy 3DES
//! kind), has the PDF engine check them (`signet_pdf::check_seal_import`), stores them
//! encrypted under the master key, and prints what was imported — never the key.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use p12_keystore::{KeyStore, KeyStoreEntry};

use crate::App;

/// The environment variable holding the PKCS#12 password when no file is given.
pub const PASSWORD_ENV: &str = "SIGNET_P12_PASSWORD";

/// The PKCS#12 password: the first line of `password_file`, else [`PASSWORD_ENV`].
pub fn password(password_file: Option<&Path>) -> anyhow::Result<String> {
    if let Some(path) = password_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the password file {}", path.display()))?;
        return Ok(text.lines().next().unwrap_or_default().to_string());
    }
    match std::env::var(PASSWORD_ENV) {
        Ok(password) => Ok(password),
        Err(_) => bail!(
            "give the PKCS#12 password with --password-file FILE or in {PASSWORD_ENV} \
             (an empty file for an empty password)"
        ),
    }
}

/// Reads and checks the seal in `file` as of `now`.
pub fn read(
    file: &Path,
    password: &str,
    now: time::OffsetDateTime,
) -> anyhow::Result<signet_pdf::ImportedSeal> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let store = KeyStore::from_pkcs12(&bytes, password).map_err(|err| match err {
        p12_keystore::error::Error::MacError(_) => anyhow::anyhow!(
            "{}: wrong password (the file's integrity check failed)",
            file.display()
        ),
        other => anyhow::anyhow!("{} is not a readable PKCS#12 file: {other}", file.display()),
    })?;
    let mut keys = Vec::new();
    let mut certificates = Vec::new();
    for (_, entry) in store.entries() {
        match entry {
            KeyStoreEntry::PrivateKeyChain(chain) => {
                keys.push(chain.key().to_vec());
                certificates.extend(chain.chain().iter().map(|c| c.as_der().to_vec()));
            }
            KeyStoreEntry::Certificate(cert) => certificates.push(cert.as_der().to_vec()),
            KeyStoreEntry::Secret(_) => {}
        }
    }
    let key = match keys.as_slice() {
        [key] => key,
        [] => bail!(
            "{} holds no private key together with its certificate",
            file.display()
        ),
        _ => bail!(
            "{} holds {} private keys: export only the seal's",
            file.display(),
            keys.len()
        ),
    };
    signet_pdf::check_seal_import(key, &certificates, now)
        .with_context(|| format!("{} cannot be the seal", file.display()))
}

/// Imports the seal in `file` into the instance of `app`; prints the summary as JSON.
pub async fn run(app: &App, file: PathBuf, password_file: Option<PathBuf>) -> anyhow::Result<()> {
    let password = password(password_file.as_deref())?;
    let now = app.signet.now();
    let seal = tokio::task::spawn_blocking(move || read(&file, &password, now)).await??;
    app.signet
        .keys()
        .import_seal(app.signet.store().as_ref(), &seal)
        .await
        .context("storing the seal")?;
    let summary = &seal.summary;
    let mut warnings = Vec::new();
    if summary.crl_urls.is_empty() {
        warnings.push(
            "the certificate names no http(s) CRL distribution point: B-LT and B-LTA seals will \
             be delayed (set SIGNET_PADES_LEVEL=B-T or import a certificate that has one)",
        );
    }
    println!(
        "{}",
        serde_json::json!({
            "subject": summary.subject, "issuer": summary.issuer, "serial": summary.serial,
            "not_after": signet_core::time::rfc3339(summary.not_after), "key_type": summary.key_type,
            "root": summary.root, "crl_urls": summary.crl_urls, "warnings": warnings,
            "note": "restart running signet processes so that they seal with it",
        })
    );
    Ok(())
}
