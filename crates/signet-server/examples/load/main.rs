//! Load generator for a running `signet serve`: the whole API story per envelope (create, upload,
//! add a link signer, send, complete signing, wait for `completed`, download `signed.pdf`) by
//! `--concurrency` closed-loop clients, against the HTTP floor: the same clients doing the same
//! number of requests per iteration on a trivial route (`GET /api/v1/trust/ca.pem`).
//!
//! ```sh
//! cargo run --release -p signet-server --example load -- \
//!     --base http://127.0.0.1:8080 --key sk_... --pdf contract.pdf --concurrency 8 --duration 30
//! ```
//!
//! After a warm-up, each round runs the floor and then the story for `--duration` seconds (or
//! `--count` iterations). The floor's requests/s divided by `K`, the requests per envelope the
//! story phase actually made (6 calls plus its status polls), is the floor in envelopes/s. The
//! last line, `RESULT {...}`, is the summary as JSON (`bench/summary.py` reads it). The client
//! runs on one thread so that it takes at most one core. With `--server-pid` it also reports the
//! server's CPU per thread name (is one thread, such as SQLite's writer, saturated?).
//!
//! `bench/run.sh` drives it and `docs/benchmarks.md` explains the figures.
#![allow(missing_docs)]

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use futures::future::join_all;
use serde_json::{Value, json};

mod cpu;
mod floor;
mod report;
mod story;

use cpu::*;
use floor::*;
use report::*;
use story::*;

#[derive(Parser, Debug)]
pub(crate) struct Args {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub(crate) base: String,
    /// API key (`sk_...`) of an account on that server.
    #[arg(long, env = "SIGNET_API_KEY", hide_env_values = true)]
    pub(crate) key: String,
    /// The PDF to upload; it must contain a `{{signature_1}}` tag.
    #[arg(long)]
    pub(crate) pdf: std::path::PathBuf,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    pub(crate) concurrency: usize,
    /// Seconds per measured phase.
    #[arg(long, default_value_t = 30.0)]
    pub(crate) duration: f64,
    /// Iterations per measured phase instead of a duration.
    #[arg(long)]
    pub(crate) count: Option<usize>,
    /// Envelopes in the warm-up (at least 1; not measured; sizes the floor's iterations).
    #[arg(long, default_value_t = 16)]
    pub(crate) warmup: usize,
    /// Rounds of (floor, story).
    #[arg(long, default_value_t = 2)]
    pub(crate) rounds: usize,
    /// Skip the floor (story only, e.g. while profiling the server).
    #[arg(long)]
    pub(crate) no_floor: bool,
    /// Pause between status polls while waiting for `completed`, in milliseconds.
    #[arg(long, default_value_t = 10)]
    pub(crate) poll_ms: u64,
    /// The server's process id: its CPU time per phase is read from /proc.
    #[arg(long)]
    pub(crate) server_pid: Option<u32>,
    /// Envelopes of the last round whose audit events are fetched afterwards (queue wait).
    #[arg(long, default_value_t = 32)]
    pub(crate) sample_events: usize,
}

/// The steps of one envelope, in order.
pub(crate) const STEPS: [&str; 7] = [
    "create", "upload", "signer", "send", "complete", "wait", "download",
];
pub(crate) const WAIT: usize = 5;

pub(crate) struct Ctx {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) auth: String,
    pub(crate) pdf: &'static [u8],
    pub(crate) poll: Duration,
}

/// One envelope: the time of each step, and the requests it took.
pub(crate) struct Story {
    pub(crate) id: String,
    pub(crate) steps: [Duration; 7],
    pub(crate) polls: Vec<Duration>,
    pub(crate) requests: usize,
}

/// When a phase ends: at a deadline, or after a number of iterations.
pub(crate) enum Budget {
    Until(Instant),
    Count(AtomicUsize),
}

impl Budget {
    pub(crate) fn new(duration: f64, count: Option<usize>) -> Self {
        match count {
            Some(n) => Budget::Count(AtomicUsize::new(n)),
            None => Budget::Until(Instant::now() + Duration::from_secs_f64(duration)),
        }
    }

    pub(crate) fn take(&self) -> bool {
        match self {
            Budget::Until(deadline) => Instant::now() < *deadline,
            Budget::Count(left) => left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok(),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // reqwest is built without a default TLS provider; it wants one even for plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = Args::parse();
    let pdf: &'static [u8] = Box::leak(std::fs::read(&args.pdf)?.into_boxed_slice());
    let ctx = Ctx {
        http: reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(args.concurrency * 2)
            .build()?,
        base: args.base.trim_end_matches('/').to_string(),
        auth: format!("Bearer {}", args.key),
        pdf,
        poll: Duration::from_millis(args.poll_ms),
    };
    println!(
        "load: {} clients, pdf {} bytes, {} rounds of {}, poll every {} ms",
        args.concurrency,
        pdf.len(),
        args.rounds,
        args.count
            .map_or(format!("{} s", args.duration), |n| format!(
                "{n} iterations"
            )),
        args.poll_ms
    );

    let warm = run_story(
        &ctx,
        args.concurrency,
        &Budget::Count(AtomicUsize::new(args.warmup.max(1))),
    )
    .await;
    if warm.done.is_empty() {
        return Err(format!("the warm-up story failed: {:?}", warm.errors.first()).into());
    }
    let k_actual = warm.requests() as f64 / warm.done.len() as f64;
    let k = k_actual.round().max(1.0) as usize;
    println!(
        "warm-up: {} envelopes, {k_actual:.1} requests per envelope -> floor iterations of {k} requests\n\
         (ratios use the requests per envelope measured in each story phase)\n",
        warm.done.len()
    );

    let mut rounds = Vec::new();
    let mut last = Vec::new();
    for round in 1..=args.rounds {
        let cpu = Cpu::start(args.server_pid);
        let floor_budget = match args.no_floor {
            true => Budget::Count(AtomicUsize::new(0)),
            false => Budget::new(args.duration, args.count),
        };
        let floor = run_floor(&ctx, args.concurrency, k, &floor_budget).await;
        let floor_cpu = cpu.stop();
        let cpu = Cpu::start(args.server_pid);
        let story = run_story(
            &ctx,
            args.concurrency,
            &Budget::new(args.duration, args.count),
        )
        .await;
        let story_cpu = cpu.stop();
        let report = round_report(round, k, &floor, &floor_cpu, &story, &story_cpu);
        rounds.push(report);
        last = story.done.iter().map(|s| s.id.clone()).collect();
    }
    let queue = queue_waits(&ctx, &last, args.sample_events).await;
    let summary = summarize(&rounds, queue, args.server_pid);
    println!("RESULT {summary}");
    Ok(())
}
