//! `signet oauth-client create|list|delete`: the operator's way to manage an account's OAuth2
//! clients. Output is JSON, one object per line; a new client's secret is shown only once.

use anyhow::Context;
use clap::Subcommand;
use signet_core::id::{AccountId, OAuthClientId, UserId};
use signet_core::model::OAuthClient;
use signet_core::usecase::oauth::client::{NewOAuthClient, parse_grants, parse_scopes};

use crate::App;

/// The `oauth-client` subcommands.
#[derive(Subcommand)]
pub enum OAuthClientCommand {
    /// Register a client; prints it with its `client_secret` (shown only now).
    Create {
        /// The account.
        #[arg(long)]
        account: AccountId,
        /// The user the client is registered by (client-credentials tokens act for this
        /// user); default: the account's owner.
        #[arg(long)]
        user: Option<UserId>,
        /// Shown on the consent page.
        #[arg(long)]
        name: String,
        /// A redirect URI (repeatable): https, or http on a loopback host.
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// A public client (no secret; PKCE required).
        #[arg(long)]
        public: bool,
        /// A grant type (repeatable): authorization_code, refresh_token, client_credentials;
        /// default: all the client type allows.
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// Space-separated scopes; default: all the user's role allows.
        #[arg(long)]
        scope: Option<String>,
    },
    /// List the account's clients.
    List {
        /// The account.
        #[arg(long)]
        account: AccountId,
    },
    /// Delete a client with its codes and tokens.
    Delete {
        /// The account.
        #[arg(long)]
        account: AccountId,
        /// The client_id.
        #[arg(long)]
        id: OAuthClientId,
    },
}

/// Runs one `oauth-client` subcommand.
pub async fn run(app: &App, command: OAuthClientCommand) -> anyhow::Result<()> {
    let signet = &app.signet;
    match command {
        OAuthClientCommand::Create {
            account,
            user,
            name,
            redirect_uris,
            public,
            grants,
            scope,
        } => {
            let user = match user {
                Some(user) => user,
                None => {
                    signet
                        .store()
                        .account_owner(account)
                        .await?
                        .context("the account has no owner")?
                        .id
                }
            };
            let new = NewOAuthClient {
                name,
                redirect_uris,
                confidential: !public,
                grants: (!grants.is_empty())
                    .then(|| parse_grants(&grants))
                    .transpose()?,
                scopes: scope.as_deref().map(parse_scopes).transpose()?,
            };
            let created = signet.register_oauth_client(account, user, new).await?;
            let mut json = describe(&created.client);
            json["client_secret"] = serde_json::json!(created.client_secret);
            println!("{json}");
        }
        OAuthClientCommand::List { account } => {
            for client in signet.oauth_clients_of(account).await? {
                println!("{}", describe(&client));
            }
        }
        OAuthClientCommand::Delete { account, id } => {
            signet.remove_oauth_client(account, id).await?;
            println!("{}", serde_json::json!({"deleted": id}));
        }
    }
    Ok(())
}

fn describe(client: &OAuthClient) -> serde_json::Value {
    serde_json::json!({
        "client_id": client.id,
        "name": client.name,
        "redirect_uris": client.redirect_uris,
        "confidential": client.is_confidential(),
        "grants": client.grants.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        "scope": client.scopes.to_string(),
        "user_id": client.user_id,
    })
}
