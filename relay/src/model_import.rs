//! Models an organisation brings: a directory per model inside `models_dir`, holding a
//! CTranslate2 model (`model.bin`, as faster-whisper publishes them) or a Hugging Face one
//! (`*.safetensors`), of any Whisper size. At start each is converted once to the engine's model
//! file (`models::import`) beside it, with a manifest `NAME.manifest.json` that records the
//! digest of the directory's files; a later start reuses the file while that digest holds.
//!
//! A directory that cannot be converted is reported in the log and left out; the other models
//! are still offered.

use std::io::Read;
use std::path::{Path, PathBuf};

use domain::speech::{ModelManifest, ModelSource};
use models::convert::Precision;
use models::import::{SourceFormat, import_dir};
use sha2::{Digest, Sha256};

/// Bumped whenever the import changes its output.
const IMPORT_VERSION: u32 = 1;

/// Why one model directory is left out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The directory is not a usable Whisper model.
    #[error(transparent)]
    Model(#[from] models::ModelError),
    /// The conversion stopped on a fault of its own (reported, the relay goes on).
    #[error("the conversion failed: {0}")]
    Panicked(String),
    /// The directory's name cannot name a model.
    #[error("{0:?} is not a model name (1–120 letters, digits, '-', '_' and '.', not first)")]
    Name(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// SHA-256 (hex) and size of a file, read in pieces (model files can be gigabytes).
pub fn digest_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Digest of a model directory: every plain file's name, size and content, in name order.
fn digest_dir(dir: &Path) -> Result<String, ImportError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok())
        // Followed through links, as the import reads them.
        .filter(|e| std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut hasher = Sha256::new();
    for name in names {
        let path = dir.join(&name);
        let (sha, size) = digest_file(&path).map_err(io(&path))?;
        hasher.update(format!("{name}\0{size}\0{sha}\n"));
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Whether `file` is a converted file of the directory `name`: `NAME-q8-` + 16 hex digits +
/// `.zvsm`.
pub fn conversion_of(file: &str, name: &str) -> bool {
    file.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix("-q8-"))
        .and_then(|rest| rest.strip_suffix(".zvsm"))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Converts (or reuses) every model directory in `dir`; `taken` are names already offered.
pub fn import_all(dir: &Path, taken: &[String]) -> Vec<ModelManifest> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut subdirs: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir()))
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    subdirs.sort();
    let mut out = Vec::new();
    for (name, path) in subdirs {
        if taken.contains(&name) {
            log::error!(
                "model directory {}: the name {name} is the shipped model's; rename the directory",
                path.display()
            );
            continue;
        }
        // A fault inside the conversion costs this model, not the relay's start.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            import_one(dir, &name, &path)
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(ImportError::Panicked(what))
        });
        match result {
            Ok(manifest) => out.push(manifest),
            Err(err) => log::error!("model directory {} is not offered: {err}", path.display()),
        }
    }
    out
}

fn import_one(models_dir: &Path, name: &str, source: &Path) -> Result<ModelManifest, ImportError> {
    if !domain::speech::is_model_name(name) {
        return Err(ImportError::Name(name.to_owned()));
    }
    let fingerprint = digest_dir(source)?;
    let manifest_path = models_dir.join(format!("{name}.manifest.json"));
    let version = format!("import-{IMPORT_VERSION}");
    if let Ok(text) = std::fs::read_to_string(&manifest_path)
        && let Ok(existing) = serde_json::from_str::<ModelManifest>(&text)
        && existing.version == version
        && existing
            .sources
            .first()
            .is_some_and(|s| s.sha256 == fingerprint)
        && digest_file(&models_dir.join(&existing.file))
            .is_ok_and(|(sha, size)| sha == existing.sha256 && size == existing.size)
    {
        return Ok(existing);
    }
    log::info!("converting the model in {} (once)", source.display());
    let started = std::time::Instant::now();
    let imported = import_dir(source, Precision::Q8)?;
    let sha256 = hex::encode(Sha256::digest(&imported.sealed));
    let file = format!("{name}-q8-{}.zvsm", &sha256[..16]);
    let partial = models_dir.join(format!("{file}.partial"));
    std::fs::write(&partial, &imported.sealed).map_err(io(&partial))?;
    std::fs::rename(&partial, models_dir.join(&file)).map_err(io(&partial))?;
    // Earlier conversions of this directory go: exactly `NAME-q8-` and 16 hex digits (not the
    // file of a directory called `NAME-q8-other`).
    for entry in std::fs::read_dir(models_dir)
        .map_err(io(models_dir))?
        .flatten()
    {
        let other = entry.file_name().to_string_lossy().into_owned();
        if other != file && conversion_of(&other, name) {
            std::fs::remove_file(entry.path()).ok();
        }
    }
    let c = &imported.config;
    let manifest = ModelManifest {
        name: name.to_owned(),
        version,
        file,
        sha256,
        size: imported.sealed.len() as u64,
        precision: "q8_0".into(),
        license: "as supplied with the model directory".into(),
        sources: vec![ModelSource {
            package: name.to_owned(),
            version: match imported.format {
                SourceFormat::CTranslate2 => "ctranslate2".into(),
                SourceFormat::Safetensors => "safetensors".into(),
            },
            sha256: fingerprint,
        }],
    };
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    std::fs::write(&manifest_path, text).map_err(io(&manifest_path))?;
    log::info!(
        "model {name}: {} mel bins, width {}, {}+{} layers, {} bytes, converted in {:.1} s",
        c.n_mels,
        c.d_model,
        c.encoder_layers,
        c.decoder_layers,
        manifest.size,
        started.elapsed().as_secs_f64()
    );
    Ok(manifest)
}
