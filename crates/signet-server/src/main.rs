//! The `signet` command: `serve`, `worker`, `migrate`, `account create`, `user`, `api-key`,
//! `oauth-client`, `verify-chain`, `jobs list|retry`, `sign`, `seal import`, `openapi`,
//! `retention run`, `backup`, `restore`.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use signet_core::id::{AccountId, EnvelopeId};
use signet_core::usecase::account::NewAccount;
use signet_server::{App, Config, SystemClock, logging, serve};
use tokio_util::sync::CancellationToken;
use tracing_subscriber::util::SubscriberInitExt;

#[derive(Parser)]
#[command(
    name = "signet",
    version,
    about = "A self-hosted, API-first e-signature server"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server and a job worker.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "SIGNET_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Serve HTTP only; leave jobs to `signet worker` processes.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run a job worker without the HTTP server.
    Worker,
    /// Create or upgrade the database schema and the instance keys, then exit.
    Migrate,
    /// Manage accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Manage an account's users (acting as its owner).
    User {
        #[command(subcommand)]
        command: signet_server::admin_cli::UserCommand,
    },
    /// Manage an account's API keys (acting as its owner).
    ApiKey {
        #[command(subcommand)]
        command: signet_server::admin_cli::ApiKeyCommand,
    },
    /// Manage an account's OAuth2 clients.
    OauthClient {
        #[command(subcommand)]
        command: signet_server::oauth_cli::OAuthClientCommand,
    },
    /// Re-compute the audit trails' hash chains of an account (or one envelope).
    VerifyChain {
        /// The account.
        #[arg(long)]
        account: AccountId,
        /// Only this envelope.
        #[arg(long)]
        envelope: Option<EnvelopeId>,
    },
    /// Inspect the job queue.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Seal a PDF with the instance seal (an approval signature), like `pyhanko sign addsig`.
    /// Prints `sha256`, `size` and `level` of the output as JSON.
    Sign {
        /// The PDF to seal.
        file: std::path::PathBuf,
        /// Where to write the sealed PDF (written in full, then moved into place).
        #[arg(long)]
        out: std::path::PathBuf,
        /// PAdES baseline level: B-B, B-T, B-LT or B-LTA (default: SIGNET_PADES_LEVEL).
        #[arg(long, value_parser = signet_server::config::parse_pades_level)]
        level: Option<signet_pdf::PadesLevel>,
    },
    /// Manage the instance seal.
    Seal {
        #[command(subcommand)]
        command: SealCommand,
    },
    /// Verify a PDF's signatures. Exits 0 valid, 1 invalid, 2 indeterminate (for example an
    /// untrusted root) or unreadable. Trusts the `--trust` roots when given, else this instance's root and
    /// SIGNET_TRUST_ROOTS (opening the instance's database).
    Verify {
        /// The PDF to verify.
        file: std::path::PathBuf,
        /// Print the report as JSON (the format of `POST /api/v1/verify`).
        #[arg(long)]
        json: bool,
        /// A PEM file of root certificates to trust instead of the instance's (repeatable).
        #[arg(long = "trust")]
        trust: Vec<std::path::PathBuf>,
    },
    /// Print the OpenAPI document of the native API.
    Openapi,
    /// Retention: purge finished envelopes whose account's retention period has passed.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Take a consistent backup of a SQLite deployment while it runs: one tar file with the
    /// database, every blob it references, the master key file and a SHA-256 manifest.
    /// PostgreSQL deployments are refused (use pg_dump). Prints a summary as JSON.
    Backup {
        /// Where to write the archive (written in full, then moved into place).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a `signet backup` archive into a data folder, checking every hash first.
    Restore {
        /// The archive.
        #[arg(long)]
        from: std::path::PathBuf,
        /// The data folder to restore into (must be empty unless --force).
        #[arg(long)]
        data: std::path::PathBuf,
        /// Replace the database, blobs and master key of a folder that is not empty.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create an account with its owner; prints `account_id`, `user_id`, `api_key` and
    /// `webhook_secret` as JSON (the secrets are shown only now).
    Create {
        /// Account name.
        #[arg(long)]
        name: String,
        /// Owner's e-mail address.
        #[arg(long)]
        email: String,
        /// Owner's password (at least 10 characters).
        #[arg(long, env = "SIGNET_ACCOUNT_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Subcommand)]
enum SealCommand {
    /// Seal with a key and certificate chain from a PKCS#12 file instead of the instance's own
    /// seal certificate (ECDSA P-256 or RSA >= 2048; the chain up to its root must be in the
    /// file). Prints the imported certificate's details as JSON, never the key. The password
    /// comes from --password-file or SIGNET_P12_PASSWORD, never from the command line.
    Import {
        /// The PKCS#12 (.p12, .pfx) file.
        file: std::path::PathBuf,
        /// A file whose first line is the PKCS#12 password.
        #[arg(long)]
        password_file: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Run the retention sweep now (as the hourly `retention_sweep` job does) and print what it
    /// did as JSON: accounts with a rule, envelopes purged, blobs deleted, failures.
    Run,
}

#[derive(Subcommand)]
enum JobsCommand {
    /// List jobs (pending ones by default).
    List {
        /// Only dead jobs (failed on their last attempt).
        #[arg(long)]
        dead: bool,
    },
    /// Put a dead job (of any account) back in the queue: due now, with a fresh set of attempts.
    Retry {
        /// The job's id (from `signet jobs list --dead`).
        id: signet_core::id::JobId,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let logs = logging::subscriber(logging::env_filter(), std::io::stderr, true);
    logs.init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { listen, no_worker } => {
            signet_server::warn_if_mail_goes_to_the_outbox(&cli.config);
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("binding {listen}"))?;
            let app = build(&cli.config, listener.local_addr()?).await?;
            serve(&app, listener, shutdown_on_signal(), !no_worker).await
        }
        Command::Worker => {
            signet_server::warn_if_mail_goes_to_the_outbox(&cli.config);
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            let shutdown = shutdown_on_signal();
            let sweep =
                signet_server::blobs::sweep_orphan_blobs(app.signet.clone(), shutdown.clone());
            let retention = signet_server::retention::schedule_retention_sweeps(
                app.signet.clone(),
                shutdown.clone(),
            );
            tokio::join!(app.worker.run(shutdown), sweep, retention);
            Ok(())
        }
        Command::Migrate => build(&cli.config, "127.0.0.1:8080".parse()?)
            .await
            .map(|_| ()),
        Command::Account {
            command:
                AccountCommand::Create {
                    name,
                    email,
                    password,
                },
        } => {
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            let created = app
                .signet
                .create_account(NewAccount {
                    name,
                    email,
                    password,
                })
                .await?;
            println!("{}", serde_json::to_string(&created)?);
            Ok(())
        }
        Command::User { command } => {
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            signet_server::admin_cli::run_user(&app, command).await
        }
        Command::ApiKey { command } => {
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            signet_server::admin_cli::run_api_key(&app, command).await
        }
        Command::OauthClient { command } => {
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            signet_server::oauth_cli::run(&app, command).await
        }
        Command::VerifyChain { account, envelope } => {
            verify_chain(&cli.config, account, envelope).await
        }
        Command::Jobs {
            command: JobsCommand::List { dead },
        } => list_jobs(&cli.config, dead).await,
        Command::Jobs {
            command: JobsCommand::Retry { id },
        } => {
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            let job = app.signet.retry_job_as_operator(id).await?;
            println!("{}", job_line(&job));
            Ok(())
        }
        Command::Sign { file, out, level } => {
            let level = level.unwrap_or(cli.config.pades_level);
            sign_file(&cli.config, file, out, level).await
        }
        Command::Seal {
            command:
                SealCommand::Import {
                    file,
                    password_file,
                },
        } => {
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            signet_server::seal_import::run(&app, file, password_file).await
        }
        Command::Verify { file, json, trust } => {
            let code = verify(&cli.config, file, json, trust).await?;
            std::process::exit(code);
        }
        Command::Retention {
            command: RetentionCommand::Run,
        } => {
            let app = build(&cli.config, "127.0.0.1:8080".parse()?).await?;
            let run = app.signet.run_retention().await?;
            println!("{}", serde_json::to_string(&run)?);
            Ok(())
        }
        Command::Backup { out } => {
            let summary = signet_server::backup::backup(&cli.config, &out).await?;
            println!("{}", serde_json::to_string(&summary)?);
            Ok(())
        }
        Command::Restore { from, data, force } => {
            let summary = signet_server::restore::restore(&from, &data, force).await?;
            println!("{}", serde_json::to_string(&summary)?);
            Ok(())
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(signet_api::openapi_document())?
            );
            Ok(())
        }
    }
}

async fn build(config: &Config, listen: SocketAddr) -> anyhow::Result<App> {
    App::build(
        config,
        config.public_url(listen),
        Arc::new(SystemClock),
        true,
    )
    .await
}

/// `signet verify`: trusts the `--trust` roots when given, else the instance's (and then also
/// names the tombstone of an envelope purged under retention whose file it is). Returns the
/// exit code.
async fn verify(
    config: &Config,
    file: std::path::PathBuf,
    json: bool,
    trust: Vec<std::path::PathBuf>,
) -> anyhow::Result<i32> {
    let signet = if trust.is_empty() {
        Some(build(config, "127.0.0.1:8080".parse()?).await?.signet)
    } else {
        None
    };
    let roots = match &signet {
        Some(signet) => signet.trust_roots(),
        None => signet_server::verify_cli::roots_from(&trust)?,
    };
    let (limits, path) = (config.pdf_limits(), file.clone());
    let verified = tokio::task::spawn_blocking(move || {
        signet_server::verify_cli::verify_file(&path, roots, &limits)
    })
    .await?;
    let report = match verified {
        Ok(report) => report,
        Err(err) => {
            // A file that cannot be read or parsed is not verified either way: exit 2.
            eprintln!("Error: {err:#}");
            return Ok(2);
        }
    };
    let purged = match &signet {
        Some(signet) => signet.purged_seal(&report.sha256).await?,
        None => None,
    };
    signet_server::verify_cli::print_report(&file, report, purged, json)
}

async fn verify_chain(
    config: &Config,
    account: AccountId,
    envelope: Option<EnvelopeId>,
) -> anyhow::Result<()> {
    let app = build(config, "127.0.0.1:8080".parse()?).await?;
    let reports = app.signet.verify_account_chains(account, envelope).await?;
    let mut broken = 0;
    for (id, report) in &reports {
        if !report.ok {
            broken += 1;
        }
        println!(
            "{}",
            serde_json::json!({"envelope_id": id, "ok": report.ok, "events": report.events, "first_bad_seq": report.first_bad_seq})
        );
    }
    if broken > 0 {
        anyhow::bail!("{broken} of {} audit chains are broken", reports.len());
    }
    Ok(())
}

async fn list_jobs(config: &Config, dead: bool) -> anyhow::Result<()> {
    let app = build(config, "127.0.0.1:8080".parse()?).await?;
    let status = if dead {
        signet_core::model::JobStatus::Dead
    } else {
        signet_core::model::JobStatus::Pending
    };
    for job in app.signet.store().list_jobs(Some(status), 1000).await? {
        println!("{}", job_line(&job));
    }
    Ok(())
}

/// One job as a JSON line.
fn job_line(job: &signet_core::model::Job) -> serde_json::Value {
    serde_json::json!({
        "id": job.id, "kind": job.payload.kind(), "status": job.status.as_str(), "attempts": job.attempts,
        "max_attempts": job.max_attempts, "run_at": signet_core::time::rfc3339(job.run_at), "last_error": job.last_error,
    })
}

async fn sign_file(
    config: &Config,
    file: std::path::PathBuf,
    out: std::path::PathBuf,
    level: signet_pdf::PadesLevel,
) -> anyhow::Result<()> {
    let app = build(config, "127.0.0.1:8080".parse()?).await?;
    let signet = app.signet.clone();
    let outcome = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let input =
            std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty());
        let staged = output_file(dir.unwrap_or(std::path::Path::new(".")))?;
        let mut writer = std::io::BufWriter::new(staged.as_file());
        let outcome = signet
            .seal_standalone(std::io::BufReader::new(input), &mut writer, level)
            .with_context(|| format!("sealing {}", file.display()))?;
        drop(writer);
        staged.as_file().sync_all()?;
        staged
            .persist(&out)
            .with_context(|| format!("writing {}", out.display()))?;
        Ok(outcome)
    })
    .await??;
    println!(
        "{}",
        serde_json::json!({"sha256": hex::encode(outcome.sha256), "size": outcome.size, "level": level.as_str()})
    );
    Ok(())
}

/// A temporary file in `dir` for the output, readable like any new file (umask applies), not
/// only by its owner as temporary files are by default.
fn output_file(dir: &std::path::Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".signet-sign-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir).context("creating the output file")
}

/// Cancels on SIGTERM or SIGINT.
fn shutdown_on_signal() -> CancellationToken {
    let token = CancellationToken::new();
    let trigger = token.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(term) => term,
                    Err(err) => {
                        tracing::error!(%err, "cannot listen for SIGTERM");
                        let _ = ctrl_c.await;
                        trigger.cancel();
                        return;
                    }
                };
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down: draining requests and jobs");
        trigger.cancel();
    });
    token
}
