//! An external CA made with `openssl`, as an operator's CA would be: a P-256 root, seal
//! certificates under it and PKCS#12 files of them, for `signet seal import`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The password of every PKCS#12 file made here.
pub const P12_PASSWORD: &str = "correct horse battery staple";

/// A root CA in a folder: `ca.pem`, `ca.key`, and their DER forms.
pub struct TestCa {
    pub dir: PathBuf,
    pub root_pem: PathBuf,
    pub root_der: Vec<u8>,
    pub root_key_der: Vec<u8>,
    /// A file holding [`P12_PASSWORD`].
    pub password_file: PathBuf,
}

/// Runs `openssl` in `dir`; panics with its output on failure.
pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestCa {
    /// A new root "CN=Test Root CA" (30 days) in `dir`.
    pub fn new(dir: &Path) -> TestCa {
        openssl(
            dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "30",
                "-subj",
                "/O=Test CA Ltd/CN=Test Root CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        openssl(
            dir,
            &["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der"],
        );
        let password_file = dir.join("p12-password");
        std::fs::write(&password_file, format!("{P12_PASSWORD}\n")).unwrap();
        TestCa {
            dir: dir.to_path_buf(),
            root_pem: dir.join("ca.pem"),
            root_der: std::fs::read(dir.join("ca.der")).unwrap(),
            root_key_der: pkcs8_der(&dir.join("ca.key")),
            password_file,
        }
    }

    /// The private key `name.key` as PKCS#8 DER.
    pub fn key_der(&self, name: &str) -> Vec<u8> {
        pkcs8_der(&self.dir.join(format!("{name}.key")))
    }

    /// The certificate `name.pem` as DER.
    pub fn cert_der(&self, name: &str) -> Vec<u8> {
        let pem = format!("{name}.pem");
        let der = format!("{name}.der");
        openssl(
            &self.dir,
            &["x509", "-in", &pem, "-outform", "DER", "-out", &der],
        );
        std::fs::read(self.dir.join(der)).unwrap()
    }

    /// The root as a CA for `signet_pdf::issue_crl` and `issue_certificate`.
    pub fn root_ca(&self) -> signet_pdf::RootCa<'_> {
        signet_pdf::RootCa {
            cert_der: &self.root_der,
            key_pkcs8_der: &self.root_key_der,
        }
    }

    /// A CRL of the root, current for a week, revoking `revoked` serials (big-endian bytes).
    pub fn crl(&self, revoked: &[Vec<u8>]) -> Vec<u8> {
        let now = time::OffsetDateTime::now_utc();
        let revoked: Vec<_> = revoked
            .iter()
            .map(|serial| signet_pdf::RevokedCertificate {
                serial: serial.clone(),
                revoked_at: now - time::Duration::hours(1),
            })
            .collect();
        let (from, to) = (
            now - time::Duration::minutes(5),
            now + time::Duration::days(7),
        );
        signet_pdf::issue_crl(self.root_ca(), &revoked, 1, from, to).unwrap()
    }

    /// Issues `name.pem` for a new key `name.key` (`newkey` as for `openssl req -newkey`, e.g.
    /// "rsa:2048") with the extension lines `extensions`. Its serial number is [`serial`]`(name)`.
    pub fn issue(&self, name: &str, newkey: &[&str], extensions: &str) -> PathBuf {
        let ext = self.dir.join(format!("{name}.ext"));
        std::fs::write(&ext, format!("[leaf]\n{extensions}\n")).unwrap();
        let (key, csr, pem) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
        );
        let mut args = vec!["req", "-new", "-newkey"];
        args.extend_from_slice(newkey);
        let subject = format!("/O=Acme/CN=Acme {name}");
        args.extend_from_slice(&["-nodes", "-keyout", &key, "-out", &csr, "-subj", &subject]);
        openssl(&self.dir, &args);
        let serial = format!("0x{}", hex::encode(serial(name)));
        openssl(
            &self.dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                &serial,
                "-days",
                "20",
                "-out",
                &pem,
                "-extfile",
                ext.to_str().unwrap(),
                "-extensions",
                "leaf",
            ],
        );
        self.dir.join(pem)
    }

    /// `name.p12` from `name.key` and `name.pem` with the root, as `openssl pkcs12 -export`
    /// makes it by default (AES-256-CBC, PBKDF2, HMAC-SHA256), plus `extra` options.
    pub fn p12(&self, name: &str, extra: &[&str]) -> PathBuf {
        let (key, pem, out) = (
            format!("{name}.key"),
            format!("{name}.pem"),
            format!("{name}.p12"),
        );
        let passout = format!("file:{}", self.password_file.display());
        let mut args = vec![
            "pkcs12",
            "-export",
            "-inkey",
            &key,
            "-in",
            &pem,
            "-certfile",
            "ca.pem",
            "-passout",
            &passout,
            "-out",
            &out,
        ];
        args.extend_from_slice(extra);
        openssl(&self.dir, &args);
        self.dir.join(out)
    }
}

/// A PEM private key file as PKCS#8 DER (`openssl pkey -outform DER` would write SEC1 for EC).
fn pkcs8_der(key: &Path) -> Vec<u8> {
    let out = key.with_extension("key.der");
    let (key, out_str) = (key.to_str().unwrap(), out.to_str().unwrap());
    let dir = Path::new("/");
    let args = [
        "pkcs8", "-topk8", "-nocrypt", "-in", key, "-outform", "DER", "-out", out_str,
    ];
    openssl(dir, &args);
    std::fs::read(out).unwrap()
}

/// The serial number [`TestCa::issue`] gives the certificate `name` (big-endian bytes).
pub fn serial(name: &str) -> Vec<u8> {
    let mut bytes = vec![0x01];
    bytes.extend_from_slice(name.as_bytes());
    bytes
}

/// The extensions of a good seal certificate whose CRL is published at `crl_url`.
pub fn seal_extensions(crl_url: &str) -> String {
    format!(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n\
         extendedKeyUsage=1.3.6.1.5.5.7.3.36\ncrlDistributionPoints=URI:{crl_url}"
    )
}
