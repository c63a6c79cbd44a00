//! `signet restore`: unpacks a `signet backup` archive into a data folder. Entries go to a
//! private folder inside the target first, each hashed on the way; only when every file the
//! manifest lists is there with its SHA-256 and size, nothing else is, and SQLite's
//! integrity check passes, are they moved into place. Job leases held by the old instance's
//! workers are cleared, so those jobs run at once on the restored one.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::Digest;

use crate::backup::{FileEntry, Hashing, Manifest, Summary};

const MANIFEST: &str = "manifest.json";

/// Restores `from` into the data folder `data` (refused when it holds anything, unless
/// `force`: then the database, blobs and master key there are replaced).
pub async fn restore(from: &Path, data: &Path, force: bool) -> anyhow::Result<Summary> {
    fs::create_dir_all(data).with_context(|| format!("creating {}", data.display()))?;
    let occupied = fs::read_dir(data)?.next().is_some();
    if occupied && !force {
        bail!(
            "{} is not empty; restore into an empty folder, or pass --force to replace its database, blobs and master key",
            data.display()
        );
    }
    let staging = tempfile::Builder::new()
        .prefix(".restore-")
        .tempdir_in(data)
        .context("creating the restore's work folder")?;
    let (found, manifest) = unpack(from, staging.path())?;
    check(&found, &manifest)?;
    signet_store::backup::check_sqlite_integrity(&staging.path().join("signet.db"))
        .await
        .context("the restored database failed SQLite's integrity check")?;
    let cleared = signet_store::backup::clear_job_leases(&staging.path().join("signet.db"))
        .await
        .context("clearing the job leases of the restored database")?;
    tracing::info!(cleared, "job leases of the old instance's workers cleared");
    move_into_place(staging.path(), data, &manifest)?;
    Ok(Summary {
        blobs: manifest
            .files
            .iter()
            .filter(|f| f.path.starts_with("blobs/"))
            .count(),
        bytes: manifest.files.iter().map(|f| f.size).sum(),
        attempts: 1,
    })
}

/// Writes every entry under `into`, hashing it; returns what was found and the manifest.
fn unpack(from: &Path, into: &Path) -> anyhow::Result<(BTreeMap<String, FileEntry>, Manifest)> {
    let file = File::open(from).with_context(|| format!("opening {}", from.display()))?;
    let mut archive = tar::Archive::new(BufReader::new(file));
    let (mut found, mut manifest) = (BTreeMap::new(), None);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if entry.header().entry_type() != tar::EntryType::Regular {
            bail!("the archive holds {name:?}, which is not a regular file");
        }
        if name == MANIFEST {
            manifest = Some(
                serde_json::from_reader::<_, Manifest>(&mut entry)
                    .context("reading the manifest")?,
            );
            continue;
        }
        let target = allowed_path(into, &name)?;
        if found.contains_key(&name) {
            bail!("the archive holds {name:?} twice");
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut reader = Hashing::new(&mut entry);
        io::copy(&mut reader, &mut File::create(&target)?)?;
        let entry = FileEntry {
            path: name.clone(),
            sha256: hex::encode(reader.hasher.finalize()),
            size: reader.count,
        };
        found.insert(name, entry);
    }
    let manifest = manifest.context("the archive has no manifest.json: not a signet backup")?;
    if manifest.format != "signet-backup/1" {
        bail!("unknown backup format {:?}", manifest.format);
    }
    Ok((found, manifest))
}

/// Where an entry may go: the database, the master key, or a blob under a key the core could
/// have made (so no entry can climb out of the folder).
fn allowed_path(root: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let fine = match name.strip_prefix("blobs/") {
        Some(key) => signet_core::port::valid_blob_key(key) && !key.starts_with('.'),
        None => name == "signet.db" || name == "master.key",
    };
    if !fine {
        bail!("the archive holds an unexpected entry {name:?}");
    }
    Ok(root.join(name))
}

/// Every listed file present with its hash and size, nothing unlisted, a database included.
fn check(found: &BTreeMap<String, FileEntry>, manifest: &Manifest) -> anyhow::Result<()> {
    for listed in &manifest.files {
        match found.get(&listed.path) {
            None => bail!("{} is in the manifest but not in the archive", listed.path),
            Some(entry) if entry != listed => bail!(
                "{} does not match the manifest (SHA-256 {} size {}, expected {} size {})",
                listed.path,
                entry.sha256,
                entry.size,
                listed.sha256,
                listed.size
            ),
            Some(_) => {}
        }
    }
    if found.len() != manifest.files.len() {
        bail!("the archive holds files the manifest does not list");
    }
    if !found.contains_key("signet.db") {
        bail!("the archive holds no database");
    }
    Ok(())
}

/// Moves the checked files into the data folder, replacing what a forced restore replaces.
fn move_into_place(staging: &Path, data: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    for stale in ["signet.db-wal", "signet.db-shm"] {
        match fs::remove_file(data.join(stale)) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err.into()),
            _ => {}
        }
    }
    fs::rename(staging.join("signet.db"), data.join("signet.db"))?;
    if manifest.files.iter().any(|f| f.path == "master.key") {
        let key = data.join("master.key");
        fs::rename(staging.join("master.key"), &key)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&key, fs::Permissions::from_mode(0o600))?;
        }
    }
    let blobs = data.join("blobs");
    if blobs.exists() {
        fs::remove_dir_all(&blobs)?;
    }
    if staging.join("blobs").exists() {
        fs::rename(staging.join("blobs"), &blobs)?;
    }
    Ok(())
}
