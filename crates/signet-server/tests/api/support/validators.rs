//! The independent validators: pyHanko (the oracle), qpdf, pdfsig and pdftotext.
//! A missing tool fails the test with instructions; nothing is skipped silently.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The outcome of running a tool.
pub struct ToolRun {
    pub success: bool,
    pub output: String,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn pyhanko() -> PathBuf {
    if let Ok(path) = std::env::var("SIGNET_PYHANKO") {
        return PathBuf::from(path);
    }
    let venv = workspace_root().join(".venv/bin/pyhanko");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("pyhanko")
}

fn run(mut command: Command, what: &str) -> ToolRun {
    let output = command.output().unwrap_or_else(|err| {
        panic!("cannot run {what} ({err}); run ./scripts/test, which installs the validators")
    });
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    ToolRun {
        success: output.status.success(),
        output: text,
    }
}

/// `pyhanko sign validate --executive-summary` with `trust_pem` as the only trust root.
pub fn pyhanko_validate(pdf: &Path, trust_pem: &Path) -> ToolRun {
    let mut command = Command::new(pyhanko());
    command
        .args(["sign", "validate", "--executive-summary", "--trust"])
        .arg(trust_pem)
        .arg("--trust-replace")
        .arg(pdf);
    run(command, "pyhanko")
}

/// `pyhanko sign validate --pretty-print` (for details: coverage, modifications).
pub fn pyhanko_details(pdf: &Path, trust_pem: &Path) -> ToolRun {
    let mut command = Command::new(pyhanko());
    command
        .args(["sign", "validate", "--pretty-print", "--trust"])
        .arg(trust_pem)
        .arg("--trust-replace")
        .arg(pdf);
    run(command, "pyhanko")
}

/// pyHanko's long-term validation from the file's own DSS with fetching off and revocation
/// data required (`crates/signet-pdf/tests/pyhanko_ltv.py`); `level` is "B-LT" or "B-LTA".
pub fn pyhanko_ltv(pdf: &Path, trust_pem: &Path, level: &str) -> ToolRun {
    let mut command = Command::new(pyhanko().with_file_name("python"));
    command
        .arg(workspace_root().join("crates/signet-pdf/tests/pyhanko_ltv.py"))
        .arg(trust_pem)
        .arg(pdf)
        .arg(level);
    run(command, "python (pyHanko)")
}

/// `qpdf --check`.
pub fn qpdf_check(pdf: &Path) -> ToolRun {
    let mut command = Command::new("qpdf");
    command.arg("--check").arg(pdf);
    run(command, "qpdf")
}

/// `pdftotext -layout pdf -`.
pub fn pdftotext(pdf: &Path) -> String {
    let mut command = Command::new("pdftotext");
    command.arg("-layout").arg(pdf).arg("-");
    let run = run(command, "pdftotext");
    assert!(run.success, "pdftotext failed: {}", run.output);
    run.output
}

/// `pdfsig` output (its exit status means nothing: it exits 0 on a digest mismatch).
pub fn pdfsig(pdf: &Path) -> String {
    let mut command = Command::new("pdfsig");
    command.arg(pdf);
    run(command, "pdfsig").output
}
