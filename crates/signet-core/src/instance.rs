//! The instance's own secrets: its seal (a root CA and a seal certificate), its built-in
//! time-stamping authority (a TSA certificate under the same root), the key that derives
//! signing-link tokens, and the master key that encrypts them at rest in the database, so that
//! several nodes sharing a database share one identity. An operator may import an external
//! seal (`imported`); the instance root and TSA stay for time-stamps and their CRL.

mod imported;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::CoreError;
use crate::port::Store;
use crate::secret::{FormTokens, ResetTokens, SecretBox, SigningTokens, random_bytes};
use crate::time::Clock;

const PKI_SECRET: &str = "pki.v1";
const TSA_SECRET: &str = "tsa.v1";
const LINK_KEY_SECRET: &str = "signing-link-key.v1";
const RESET_KEY_SECRET: &str = "password-reset-key.v1";
const FORM_KEY_SECRET: &str = "form-key.v1";
const OTP_KEY_SECRET: &str = "otp-key.v1";
/// How long a CRL the instance issues stays current (its nextUpdate).
const CRL_VALIDITY: Duration = Duration::days(7);

/// The instance's keys, decrypted in memory.
pub struct InstanceKeys {
    /// Signs the sealed PDFs.
    pub seal: signet_pdf::SealIdentity,
    /// The seal certificate, DER (for reports and checks).
    pub seal_cert_der: Vec<u8>,
    /// The imported seal's chain (seal certificate first, its external root last), when the
    /// seal was imported; `None` when the instance root issued the seal.
    pub imported_chain: Option<Vec<Vec<u8>>>,
    /// Derives signing-link tokens.
    pub tokens: SigningTokens,
    /// Derives password-reset link tokens.
    pub reset_tokens: ResetTokens,
    /// Derives the anti-forgery tokens of unauthenticated HTML forms.
    pub forms: FormTokens,
    /// Hashes signers' one-time codes.
    pub otp_codes: crate::otp::OtpCodes,
    /// Encrypts secrets at rest (account callback secrets).
    pub secrets: SecretBox,
    root: KeyPair,
    tsa: KeyPair,
}

/// A certificate and its private key, both DER.
#[derive(Serialize, Deserialize)]
struct KeyPair {
    cert_der: Vec<u8>,
    key_pkcs8_der: Vec<u8>,
}

impl KeyPair {
    /// This pair as a certificate authority (for the root).
    fn as_ca(&self) -> signet_pdf::RootCa<'_> {
        signet_pdf::RootCa {
            cert_der: &self.cert_der,
            key_pkcs8_der: &self.key_pkcs8_der,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct StoredPki {
    root_cert_der: Vec<u8>,
    root_key_pkcs8_der: Vec<u8>,
    seal_cert_der: Vec<u8>,
    seal_key_pkcs8_der: Vec<u8>,
}

/// What new instance certificates look like (existing ones are kept as they are).
#[derive(Clone, Debug)]
pub struct PkiSettings {
    /// Organisation (O=) of the root, seal and TSA certificates.
    pub organization: String,
    /// Written into new seal and TSA certificates as their CRL distribution point (the server
    /// passes `{public_url}/api/v1/trust/root.crl` when its public URL is set).
    pub crl_url: Option<String>,
    /// Key type of the root, seal and TSA keys.
    pub algorithm: signet_pdf::KeyAlgorithm,
}

impl PkiSettings {
    /// ECDSA P-256 keys, no CRL distribution point.
    pub fn new(organization: &str) -> Self {
        Self {
            organization: organization.to_string(),
            crl_url: None,
            algorithm: signet_pdf::KeyAlgorithm::EcdsaP256,
        }
    }
}

impl InstanceKeys {
    /// Loads the instance keys, generating and storing them on first start (as `settings`
    /// say). Safe when several nodes start at once: the first stored value wins and everyone
    /// uses it.
    pub async fn load_or_create(
        store: &dyn Store,
        master_key: &[u8; 32],
        settings: &PkiSettings,
        now: OffsetDateTime,
    ) -> Result<Self, CoreError> {
        let secrets = SecretBox::new(master_key);
        let pki = load_or_create_pki(store, &secrets, settings, now).await?;
        let root = KeyPair {
            cert_der: pki.root_cert_der.clone(),
            key_pkcs8_der: pki.root_key_pkcs8_der.clone(),
        };
        let tsa = load_or_create_tsa(store, &secrets, &root, settings, now).await?;
        let link_key = load_or_create_key(store, &secrets, LINK_KEY_SECRET).await?;
        let reset_key = load_or_create_key(store, &secrets, RESET_KEY_SECRET).await?;
        let form_key = load_or_create_key(store, &secrets, FORM_KEY_SECRET).await?;
        let otp_key = load_or_create_key(store, &secrets, OTP_KEY_SECRET).await?;
        let imported = imported::load(store, &secrets).await?;
        let (key, chain) = match &imported {
            Some(seal) => (&seal.key_pkcs8_der, seal.chain_der.clone()),
            None => (
                &pki.seal_key_pkcs8_der,
                vec![pki.seal_cert_der.clone(), pki.root_cert_der.clone()],
            ),
        };
        let seal = signet_pdf::SealIdentity::from_der(key, &chain)
            .map_err(|err| CoreError::Integrity(format!("stored seal key is unusable: {err}")))?;
        Ok(Self {
            seal,
            seal_cert_der: chain.first().cloned().unwrap_or_default(),
            imported_chain: imported.map(|seal| seal.chain_der),
            tokens: SigningTokens::new(link_key),
            reset_tokens: ResetTokens::new(reset_key),
            forms: FormTokens::new(form_key),
            otp_codes: crate::otp::OtpCodes::new(otp_key),
            secrets,
            root,
            tsa,
        })
    }

    /// The instance root certificate (DER): the built-in TSA's root, and the seal's unless a
    /// seal was imported.
    pub fn root_cert_der(&self) -> &[u8] {
        &self.root.cert_der
    }

    /// The roots (DER) validators need for this instance's seals: the imported seal's root
    /// (when there is one) and the instance root (time-stamps, and the seal otherwise).
    pub fn trust_anchors(&self) -> Vec<Vec<u8>> {
        let imported_root = self.imported_chain.as_ref().and_then(|c| c.last());
        imported_root
            .into_iter()
            .chain([&self.root.cert_der])
            .cloned()
            .collect()
    }

    /// [`InstanceKeys::trust_anchors`] as concatenated PEM.
    pub fn trust_anchors_pem(&self) -> String {
        self.trust_anchors()
            .iter()
            .map(|der| signet_pdf::der_to_pem("CERTIFICATE", der))
            .collect()
    }

    /// Stores `seal` (checked by [`signet_pdf::check_seal_import`]) encrypted under the master
    /// key as the instance's seal, replacing the current one for every node that loads the
    /// keys afterwards (running nodes keep theirs until they restart).
    pub async fn import_seal(
        &self,
        store: &dyn Store,
        seal: &signet_pdf::ImportedSeal,
    ) -> Result<(), CoreError> {
        signet_pdf::SealIdentity::from_der(&seal.key_pkcs8_der, &seal.chain_der)
            .map_err(|err| CoreError::invalid("unusable_seal", err.to_string()))?;
        imported::store(store, &self.secrets, seal).await
    }

    /// The built-in time-stamping authority, reading the time from `clock`.
    pub fn timestamp_authority(
        &self,
        clock: Arc<dyn Clock>,
    ) -> Result<signet_pdf::BuiltinTsa, CoreError> {
        let chain = [self.tsa.cert_der.clone(), self.root.cert_der.clone()];
        signet_pdf::BuiltinTsa::new(
            &self.tsa.key_pkcs8_der,
            &chain,
            Box::new(move || clock.now()),
        )
        .map_err(|err| CoreError::Integrity(format!("stored TSA key is unusable: {err}")))
    }

    /// A CRL signed by the root, current from `now` for a week, revoking nothing: what
    /// validators need to know the seal and TSA certificates are in good standing. Its number
    /// is `now` in Unix seconds, so later CRLs have higher numbers on every node.
    pub fn current_crl(&self, now: OffsetDateTime) -> Result<Vec<u8>, CoreError> {
        let number = u64::try_from(now.unix_timestamp()).unwrap_or_default();
        signet_pdf::issue_crl(self.root.as_ca(), &[], number, now, now + CRL_VALIDITY)
            .map_err(|err| CoreError::Internal(format!("issuing the CRL failed: {err}")))
    }
}

impl std::fmt::Debug for InstanceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstanceKeys").finish_non_exhaustive()
    }
}

/// A 32-byte HMAC key kept as the instance secret `name`, made on first use.
async fn load_or_create_key(
    store: &dyn Store,
    secrets: &SecretBox,
    name: &str,
) -> Result<[u8; 32], CoreError> {
    let key =
        load_or_create_secret(store, secrets, name, || Ok(random_bytes::<32>().to_vec())).await?;
    key.try_into()
        .map_err(|_| CoreError::Integrity(format!("the instance key {name} has the wrong length")))
}

async fn load_or_create_pki(
    store: &dyn Store,
    secrets: &SecretBox,
    settings: &PkiSettings,
    now: OffsetDateTime,
) -> Result<StoredPki, CoreError> {
    let bytes = load_or_create_secret(store, secrets, PKI_SECRET, || {
        let organization = &settings.organization;
        let subject = signet_pdf::PkiSubject {
            organization: organization.clone(),
            common_name: format!("{organization} Root CA"),
        };
        let options = signet_pdf::PkiOptions {
            crl_url: settings.crl_url.clone(),
        };
        let pki =
            signet_pdf::generate_instance_pki_with(&subject, settings.algorithm, now, &options)
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

/// The built-in TSA's certificate and key, issued under the root on first use. Kept apart from
/// the PKI secret so that instances created before the TSA existed get one too.
async fn load_or_create_tsa(
    store: &dyn Store,
    secrets: &SecretBox,
    root: &KeyPair,
    settings: &PkiSettings,
    now: OffsetDateTime,
) -> Result<KeyPair, CoreError> {
    let organization = &settings.organization;
    let bytes = load_or_create_secret(store, secrets, TSA_SECRET, || {
        let issued = signet_pdf::issue_certificate(
            root.as_ca(),
            signet_pdf::CertificateRole::TimestampAuthority,
            organization,
            &format!("{organization} TSA"),
            settings.algorithm,
            now,
            settings.crl_url.as_deref(),
        )
        .map_err(|err| CoreError::Internal(format!("issuing the TSA certificate failed: {err}")))?;
        let pair = KeyPair {
            cert_der: issued.cert_der,
            key_pkcs8_der: issued.key_pkcs8_der,
        };
        serde_json::to_vec(&pair).map_err(|err| CoreError::Internal(err.to_string()))
    })
    .await?;
    serde_json::from_slice(&bytes)
        .map_err(|err| CoreError::Integrity(format!("stored TSA key is unreadable: {err}")))
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
