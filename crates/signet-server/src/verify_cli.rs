//! `signet verify FILE`: the verifier from the command line. Prints a summary (or, with
//! `--json`, the `POST /api/v1/verify` report) and exits 0 valid, 1 invalid, 2 indeterminate.

use std::path::{Path, PathBuf};

use anyhow::Context;
use signet_api::verify::{SignatureJson, VerifyResponse};
use signet_core::usecase::retention::PurgedSeal;
use signet_core::usecase::verify::{Verdict, Verification};

/// Verifies `file` against `roots` (DER). Blocking: call it off async threads.
pub fn verify_file(
    file: &Path,
    roots: Vec<Vec<u8>>,
    limits: &signet_pdf::Limits,
) -> anyhow::Result<signet_pdf::VerifyReport> {
    let input = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let options = signet_pdf::VerifyOptions {
        trust_roots: roots,
        now: time::OffsetDateTime::now_utc(),
    };
    signet_pdf::verify(std::io::BufReader::new(input), &options, limits)
        .with_context(|| format!("reading {}", file.display()))
}

/// Prints the report (with, when given, what the tombstone of a purged envelope says about
/// the file) and returns the exit code.
pub fn print_report(
    file: &Path,
    report: signet_pdf::VerifyReport,
    purged: Option<PurgedSeal>,
    json: bool,
) -> anyhow::Result<i32> {
    let code = match report.verdict {
        Verdict::Valid => 0,
        Verdict::Invalid => 1,
        Verdict::Indeterminate => 2,
    };
    let response = VerifyResponse::from(&Verification {
        report,
        envelope: None,
        purged,
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&response)?);
    } else {
        print!("{}", summary(file, &response));
    }
    Ok(code)
}

/// The roots to trust: the `--trust` files when given, else none (the caller adds the
/// instance's).
pub fn roots_from(files: &[PathBuf]) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut roots = Vec::new();
    for file in files {
        roots.extend(crate::config::read_pem_certificates(file)?);
    }
    Ok(roots)
}

fn summary(file: &Path, r: &VerifyResponse) -> String {
    let mut out = format!(
        "{}: {} signature(s), {} revision(s), sha256 {}\n",
        file.display(),
        r.signatures.len(),
        r.revisions,
        r.sha256
    );
    for (n, s) in r.signatures.iter().enumerate() {
        out.push_str(&signature_line(n + 1, s));
    }
    for problem in &r.problems {
        out.push_str(&format!("  problem: {problem}\n"));
    }
    if let Some(p) = &r.purged {
        out.push_str(&format!(
            "sealed by this instance on {}; envelope since deleted under retention on {}\n",
            p.sealed_at.as_deref().unwrap_or("an unrecorded date"),
            p.purged_at
        ));
    }
    out.push_str(&format!("verdict: {}\n", r.verdict.to_uppercase()));
    out
}

fn signature_line(n: usize, s: &SignatureJson) -> String {
    let role = match s.docmdp_permission {
        Some(p) => format!("{} (P={p})", s.role),
        None => s.role.clone(),
    };
    let mut out = format!(
        "#{n} {:?}: {} {role}{}, by {}\n    intact {}, valid {}, trusted {}; covers {}; changed after: {} ({})\n",
        s.field,
        s.verdict.to_uppercase(),
        s.pades_level
            .as_deref()
            .map(|l| format!(" PAdES {l}"))
            .unwrap_or_default(),
        match (&s.name, s.signer.as_deref().unwrap_or("unknown")) {
            (Some(name), subject) => format!("{name} ({subject})"),
            (None, subject) => subject.to_string(),
        },
        yes(s.intact),
        yes(s.valid),
        yes(s.trusted),
        s.coverage,
        s.modification,
        if s.docmdp_ok {
            "permitted"
        } else {
            "NOT permitted"
        },
    );
    if let Some(t) = &s.timestamp {
        out.push_str(&format!(
            "    time-stamp {} by {} (valid {}, trusted {})\n",
            t.time,
            t.authority,
            yes(t.valid),
            yes(t.trusted)
        ));
    }
    for problem in &s.problems {
        out.push_str(&format!("    problem: {problem}\n"));
    }
    out
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
