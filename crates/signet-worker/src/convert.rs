//! DOC and DOCX to PDF with LibreOffice in headless mode: each conversion with its own
//! throw-away profile (so conversions can run side by side) and under a time limit enforced by
//! coreutils `timeout`, which stops LibreOffice's whole process group.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use signet_core::port::{ConvertError, DocumentConverter};

/// `timeout`'s exit status when the time ran out (124), or when it had to kill (137).
const TIMED_OUT: [i32; 2] = [124, 137];

/// Converts with the LibreOffice program (`soffice`) at a given path.
#[derive(Clone, Debug)]
pub struct LibreOfficeConverter {
    program: PathBuf,
    timeout: Duration,
}

impl LibreOfficeConverter {
    /// A converter running `program` for at most `timeout` per document.
    pub fn new(program: PathBuf, timeout: Duration) -> Self {
        Self { program, timeout }
    }

    fn command(&self, input: &Path, out_dir: &Path, pdf_dir: &Path) -> Command {
        let mut command = Command::new("timeout");
        command
            .arg("--kill-after=5")
            .arg(self.timeout.as_secs().max(1).to_string())
            .arg(&self.program)
            .args([
                "--headless",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
            ])
            .arg(format!(
                "-env:UserInstallation=file://{}",
                out_dir.join("profile").display()
            ))
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(pdf_dir)
            .arg(input)
            .env("HOME", out_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }
}

impl DocumentConverter for LibreOfficeConverter {
    /// Copies the document into a private temporary folder, converts it there and streams the
    /// PDF out; the folder (with LibreOffice's profile) is removed afterwards.
    fn convert_to_pdf(
        &self,
        input: &mut dyn Read,
        extension: &str,
        output: &mut dyn Write,
    ) -> Result<(), ConvertError> {
        let io = |what: &str, err: std::io::Error| ConvertError::Failed(format!("{what}: {err}"));
        let dir = tempfile::tempdir().map_err(|err| io("creating a conversion folder", err))?;
        let path = dir.path().join(format!("upload.{extension}"));
        let mut file = std::fs::File::create(&path).map_err(|err| io("writing the upload", err))?;
        std::io::copy(input, &mut file).map_err(|err| io("writing the upload", err))?;
        drop(file);
        let pdf = self.convert_file(&path, dir.path())?;
        let mut pdf = std::fs::File::open(pdf).map_err(|err| io("reading the PDF", err))?;
        std::io::copy(&mut pdf, output).map_err(|err| io("passing the PDF on", err))?;
        Ok(())
    }
}

impl LibreOfficeConverter {
    fn convert_file(&self, input: &Path, out_dir: &Path) -> Result<PathBuf, ConvertError> {
        let pdf_dir = out_dir.join("pdf");
        std::fs::create_dir_all(&pdf_dir).map_err(|err| {
            ConvertError::Failed(format!("creating {}: {err}", pdf_dir.display()))
        })?;
        let output = self
            .command(input, out_dir, &pdf_dir)
            .output()
            .map_err(|err| {
                ConvertError::Failed(format!("running {}: {err}", self.program.display()))
            })?;
        if output.status.code().is_some_and(|c| TIMED_OUT.contains(&c)) {
            return Err(ConvertError::TimedOut(self.timeout.as_secs()));
        }
        let stem = input.file_stem().unwrap_or_default();
        let pdf = pdf_dir.join(stem).with_extension("pdf");
        if output.status.success() && pdf.is_file() {
            return Ok(pdf);
        }
        // LibreOffice exits 0 even when it cannot load the file; what it printed says why.
        let said = format!(
            "{} {}",
            String::from_utf8_lossy(&output.stderr).trim(),
            String::from_utf8_lossy(&output.stdout).trim()
        )
        .trim()
        .to_string();
        Err(ConvertError::Rejected(if said.is_empty() {
            format!("LibreOffice exited with {} and wrote no PDF", output.status)
        } else {
            said.chars().take(500).collect()
        }))
    }
}
