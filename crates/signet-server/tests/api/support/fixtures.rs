//! Documents and images the tests upload.

/// Two pages with `{{text_1}} {{checkbox_1}} {{signature_1}} {{date_1}}` (page 1) and
/// `{{initials_1}} {{signature_2}}` (page 2); made by `tests/fixtures/make_fixtures.py`.
pub fn contract_pdf() -> Vec<u8> {
    include_bytes!("../../fixtures/contract.pdf").to_vec()
}

/// A one-page Word document with `{{signature_1}}` (split across two runs) and `{{date_1}}`;
/// made by `tests/fixtures/make_fixtures.py`.
pub fn contract_docx() -> Vec<u8> {
    include_bytes!("../../fixtures/contract.docx").to_vec()
}

/// The same document saved by LibreOffice as Word 97-2003 (see `make_fixtures.py`).
pub fn contract_doc() -> Vec<u8> {
    include_bytes!("../../fixtures/contract.doc").to_vec()
}

/// A small PNG (a drawn signature stand-in): 3x2 blue pixels, RGBA.
pub fn tiny_png() -> Vec<u8> {
    let hex = "89504e470d0a1a0a0000000d49484452000000030000000208060000009d74661a0000001049444154789c636060f8ff1f819138008f8a0bf5d7cb9a720000000049454e44ae426082";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// The PEM root certificate of a freshly generated PKI that has nothing to do with the
/// instance's.
pub fn other_root_pem() -> String {
    let subject = signet_pdf::PkiSubject {
        organization: "Elsewhere".into(),
        common_name: "Elsewhere Root".into(),
    };
    let pki = signet_pdf::generate_instance_pki(
        &subject,
        signet_pdf::KeyAlgorithm::EcdsaP256,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    signet_pdf::der_to_pem("CERTIFICATE", &pki.root_cert_der)
}

/// A new API key of `account` (acting as its owner) holding exactly `scopes` (space-separated,
/// e.g. `"read"`), in the real key format. Until the API-key API is on this branch it is written
/// straight into the database next to the account's first key.
pub async fn key_with_scopes(
    app: &super::TestApp,
    account: &super::app::TestAccount,
    scopes: &str,
) -> String {
    let scopes = signet_core::model::Scopes::parse(scopes).expect("known scope names");
    let key = signet_core::secret::api_key::generate();
    super::secrets::remember_as("API key", &key.text);
    let row = ScopedKeyRow {
        id: uuid::Uuid::new_v4().hyphenated().to_string(),
        lookup_id: key.lookup_id,
        hash: key.hash.to_vec(),
        scopes: scopes.to_string(),
        account_id: account.account_id.clone(),
    };
    if app.database_url.starts_with("postgres") {
        insert_key_postgres(&app.database_url, &row).await;
    } else {
        insert_key_sqlite(&app.database_url, &row).await;
    }
    key.text
}

struct ScopedKeyRow {
    id: String,
    lookup_id: String,
    hash: Vec<u8>,
    scopes: String,
    account_id: String,
}

/// Copies the owner and creation time from the account's first key (named `default`).
const INSERT_KEY: &str = "INSERT INTO api_keys (id, account_id, user_id, name, lookup_id, \
    secret_hash, created_at, kind, scopes) SELECT {id}, account_id, user_id, 'scoped', $2, $3, \
    created_at, 'api_key', $4 FROM api_keys WHERE account_id = {account} AND name = 'default'";

async fn insert_key_sqlite(url: &str, row: &ScopedKeyRow) {
    use sqlx::Connection;
    let sql = INSERT_KEY.replace("{id}", "$1").replace("{account}", "$5");
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&row.id)
        .bind(&row.lookup_id)
        .bind(&row.hash)
        .bind(&row.scopes)
        .bind(&row.account_id)
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1, "the account has its first key");
}

async fn insert_key_postgres(url: &str, row: &ScopedKeyRow) {
    use sqlx::Connection;
    let sql = INSERT_KEY
        .replace("{id}", "CAST($1 AS uuid)")
        .replace("{account}", "CAST($5 AS uuid)");
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&row.id)
        .bind(&row.lookup_id)
        .bind(&row.hash)
        .bind(&row.scopes)
        .bind(&row.account_id)
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1, "the account has its first key");
}
