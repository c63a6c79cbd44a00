//! `signet user create|list|disable` and `signet api-key create|list|revoke`: the account's
//! users and API keys from the command line. The operator acts as the account's first active
//! owner, through the same use cases (and rules) as the API. Output is one JSON object a line;
//! a new key's text is printed once, passwords are read from a file or the environment, never
//! from the command line.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Subcommand;
use serde_json::{Value, json};
use signet_core::id::{AccountId, ApiKeyId, UserId};
use signet_core::model::{ApiKey, Scopes, User, UserRole};
use signet_core::time::rfc3339;
use signet_core::usecase::account::Principal;
use signet_core::usecase::credential::NewCredential;
use signet_core::usecase::user::NewUser;

use crate::App;

/// The environment variable holding a new user's password when no file is given.
pub const PASSWORD_ENV: &str = "SIGNET_USER_PASSWORD";

/// `signet user …`
#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user to an account; prints the user as JSON. The password comes from
    /// --password-file or SIGNET_USER_PASSWORD (at least 10 characters).
    Create {
        /// The account.
        #[arg(long)]
        account: AccountId,
        /// Login e-mail address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// `owner`, `admin` or `member`.
        #[arg(long, value_parser = parse_role)]
        role: UserRole,
        /// A file whose first line is the password.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// List an account's users, one JSON object a line.
    List {
        /// The account.
        #[arg(long)]
        account: AccountId,
    },
    /// Disable a user: all their API keys and tokens stop working at once.
    Disable {
        /// The account.
        #[arg(long)]
        account: AccountId,
        /// The user.
        #[arg(long)]
        user: UserId,
    },
}

/// `signet api-key …`
#[derive(Subcommand)]
pub enum ApiKeyCommand {
    /// Create an API key acting as the account's owner; prints it as JSON with its text in
    /// `key` (shown only now).
    Create {
        /// The account.
        #[arg(long)]
        account: AccountId,
        /// A label for people.
        #[arg(long)]
        name: String,
        /// Space-separated scopes (`read`, `write`, `admin`); default: all of them.
        #[arg(long, value_parser = parse_scopes)]
        scopes: Option<Scopes>,
        /// Days until it stops working; default: never.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=36500))]
        expires_in_days: Option<u32>,
    },
    /// List an account's API keys (never their secrets), one JSON object a line.
    List {
        /// The account.
        #[arg(long)]
        account: AccountId,
    },
    /// Revoke an API key.
    Revoke {
        /// The account.
        #[arg(long)]
        account: AccountId,
        /// The key's id.
        #[arg(long)]
        key: ApiKeyId,
    },
}

/// Runs a `signet user` subcommand.
pub async fn run_user(app: &App, command: UserCommand) -> anyhow::Result<()> {
    let signet = &app.signet;
    match command {
        UserCommand::Create {
            account,
            email,
            name,
            role,
            password_file,
        } => {
            let who = owner(app, account).await?;
            let password = password(password_file.as_deref())?;
            let new = NewUser {
                email,
                name,
                password,
                role,
            };
            print(user_json(&signet.create_user(&who, new).await?));
        }
        UserCommand::List { account } => {
            for user in signet.list_users(&owner(app, account).await?).await? {
                print(user_json(&user));
            }
        }
        UserCommand::Disable { account, user } => {
            let who = owner(app, account).await?;
            print(user_json(&signet.disable_user(&who, user).await?));
        }
    }
    Ok(())
}

/// Runs a `signet api-key` subcommand.
pub async fn run_api_key(app: &App, command: ApiKeyCommand) -> anyhow::Result<()> {
    let signet = &app.signet;
    match command {
        ApiKeyCommand::Create {
            account,
            name,
            scopes,
            expires_in_days,
        } => {
            let expires_at =
                expires_in_days.map(|days| signet.now() + time::Duration::days(i64::from(days)));
            let new = NewCredential {
                name,
                scopes,
                expires_at,
            };
            let created = signet
                .create_api_key(&owner(app, account).await?, new)
                .await?;
            let mut out = key_json(&created.key);
            out["key"] = Value::String(created.text);
            print(out);
        }
        ApiKeyCommand::List { account } => {
            for key in signet.list_api_keys(&owner(app, account).await?).await? {
                print(key_json(&key));
            }
        }
        ApiKeyCommand::Revoke { account, key } => {
            let who = owner(app, account).await?;
            print(key_json(&signet.revoke_api_key(&who, key).await?));
        }
    }
    Ok(())
}

async fn owner(app: &App, account: AccountId) -> anyhow::Result<Principal> {
    app.signet
        .operator_principal(account, None)
        .await
        .with_context(|| format!("account {account} has no active owner (or does not exist)"))
}

/// The password: the first line of `password_file`, else [`PASSWORD_ENV`].
fn password(password_file: Option<&Path>) -> anyhow::Result<String> {
    if let Some(path) = password_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the password file {}", path.display()))?;
        return Ok(text.lines().next().unwrap_or_default().to_string());
    }
    match std::env::var(PASSWORD_ENV) {
        Ok(password) => Ok(password),
        Err(_) => bail!("give the password with --password-file FILE or in {PASSWORD_ENV}"),
    }
}

fn print(value: Value) {
    println!("{value}");
}

fn user_json(user: &User) -> Value {
    json!({
        "id": user.id, "email": user.email, "name": user.name, "role": user.role.as_str(),
        "created_at": rfc3339(user.created_at), "disabled_at": user.disabled_at.map(rfc3339),
    })
}

fn key_json(key: &ApiKey) -> Value {
    json!({
        "id": key.id, "name": key.name, "lookup_id": key.lookup_id,
        "scopes": key.scopes.to_string(), "created_by": key.user_id,
        "created_at": rfc3339(key.created_at), "expires_at": key.expires_at.map(rfc3339),
        "last_used_at": key.last_used_at.map(rfc3339), "revoked_at": key.revoked_at.map(rfc3339),
    })
}

fn parse_role(value: &str) -> Result<UserRole, String> {
    UserRole::parse(value).ok_or_else(|| format!("{value:?} is not owner, admin or member"))
}

fn parse_scopes(value: &str) -> Result<Scopes, String> {
    Scopes::parse(value)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("{value:?} is not a space-separated list of read, write, admin"))
}
