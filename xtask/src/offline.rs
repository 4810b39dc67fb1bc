//! The offline shell: the service worker (`app/sw.js`) and what it keeps.
//!
//! The shell is the page (`/`) and every published asset except the PDF fonts (fetched and
//! kept by the first PDF export) and the compressed variants. Its version is a hash of the
//! list, whose names are content hashes themselves: any changed file is a new version.

use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};

/// The URLs the service worker keeps, `/` first, for an app staged in `staging`.
///
/// # Errors
/// When `staging/assets` cannot be read.
pub fn shell(staging: &Path) -> anyhow::Result<Vec<String>> {
    let mut urls = Vec::new();
    for entry in std::fs::read_dir(staging.join("assets"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let kept = !(name.ends_with(".br") || name.ends_with(".gz") || name.ends_with(".ttf"));
        if kept {
            urls.push(format!("/assets/{name}"));
        }
    }
    urls.sort();
    urls.insert(0, "/".to_owned());
    Ok(urls)
}

/// `template` (the text of `app/sw.js`) with the shell's list and version filled in.
///
/// # Errors
/// When the list cannot be written as JSON.
pub fn service_worker(template: &str, shell: &[String]) -> anyhow::Result<String> {
    let list = serde_json::to_string(shell).context("shell list")?;
    let version = &hex::encode(Sha256::digest(list.as_bytes()))[..16];
    Ok(template
        .replace("{{shell}}", &list)
        .replace("{{version}}", version))
}
