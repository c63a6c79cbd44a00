//! The instance's own secrets: its seal (a root CA and a seal certificate), the key that derives
//! signing-link tokens, and the master key that encrypts both at rest in the database, so that
//! several nodes sharing a database share one identity.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::CoreError;
use crate::port::Store;
use crate::secret::{SecretBox, SigningTokens, random_bytes};

const PKI_SECRET: &str = "pki.v1";
const LINK_KEY_SECRET: &str = "signing-link-key.v1";

/// The instance's keys, decrypted in memory.
pub struct InstanceKeys {
    /// Signs the sealed PDFs.
    pub seal: signet_pdf::SealIdentity,
    /// The root certificate validators should trust, PEM.
    pub root_cert_pem: String,
    /// The seal certificate, DER (for reports and checks).
    pub seal_cert_der: Vec<u8>,
    /// Derives signing-link tokens.
    pub tokens: SigningTokens,
    /// Encrypts secrets at rest (account callback secrets).
    pub secrets: SecretBox,
}

#[derive(Serialize, Deserialize)]
struct StoredPki {
    root_cert_der: Vec<u8>,
    root_key_pkcs8_der: Vec<u8>,
    seal_cert_der: Vec<u8>,
    seal_key_pkcs8_der: Vec<u8>,
}

impl InstanceKeys {
    /// Loads the instance keys, generating and storing them on first start. Safe when several
    /// nodes start at once: the first stored value wins and everyone uses it.
    pub async fn load_or_create(
        store: &dyn Store,
        master_key: &[u8; 32],
        organization: &str,
        now: OffsetDateTime,
    ) -> Result<Self, CoreError> {
        let secrets = SecretBox::new(master_key);
        let pki = load_or_create_pki(store, &secrets, organization, now).await?;
        let link_key = load_or_create_secret(store, &secrets, LINK_KEY_SECRET, || {
            Ok(random_bytes::<32>().to_vec())
        })
        .await?;
        let link_key: [u8; 32] = link_key.try_into().map_err(|_| {
            CoreError::Integrity("the signing-link key has the wrong length".into())
        })?;
        let chain = [pki.seal_cert_der.clone(), pki.root_cert_der.clone()];
        let seal = signet_pdf::SealIdentity::from_der(&pki.seal_key_pkcs8_der, &chain)
            .map_err(|err| CoreError::Integrity(format!("stored seal key is unusable: {err}")))?;
        Ok(Self {
            seal,
            root_cert_pem: signet_pdf::der_to_pem("CERTIFICATE", &pki.root_cert_der),
            seal_cert_der: pki.seal_cert_der,
            tokens: SigningTokens::new(link_key),
            secrets,
        })
    }
}

async fn load_or_create_pki(
    store: &dyn Store,
    secrets: &SecretBox,
    organization: &str,
    now: OffsetDateTime,
) -> Result<StoredPki, CoreError> {
    let bytes = load_or_create_secret(store, secrets, PKI_SECRET, || {
        let subject = signet_pdf::PkiSubject {
            organization: organization.to_string(),
            common_name: format!("{organization} Root CA"),
        };
        let pki =
            signet_pdf::generate_instance_pki(&subject, signet_pdf::KeyAlgorithm::EcdsaP256, now)
                .map_err(|err| {
                CoreError::Internal(format!("generating the instance PKI failed: {err}"))
            })?;
        let stored = StoredPki {
            root_cert_der: pki.root_cert_der,
            root_key_pkcs8_der: pki.root_key_pkcs8_der,
            seal_cert_der: pki.seal_cert_der,
            seal_key_pkcs8_der: pki.seal_key_pkcs8_der,
        };
        serde_json::to_vec(&stored).map_err(|err| CoreError::Internal(err.to_string()))
    })
    .await?;
    serde_json::from_slice(&bytes)
        .map_err(|err| CoreError::Integrity(format!("stored instance PKI is unreadable: {err}")))
}

async fn load_or_create_secret(
    store: &dyn Store,
    secrets: &SecretBox,
    name: &str,
    generate: impl FnOnce() -> Result<Vec<u8>, CoreError>,
) -> Result<Vec<u8>, CoreError> {
    let sealed = match store.instance_secret(name).await? {
        Some(sealed) => sealed,
        None => {
            let fresh = secrets.seal(name, &generate()?)?;
            store.put_instance_secret_if_absent(name, &fresh).await?
        }
    };
    secrets.open(name, &sealed).map_err(|_| {
        CoreError::Integrity(format!(
            "the instance secret {name:?} cannot be decrypted: the master key does not match this database"
        ))
    })
}
