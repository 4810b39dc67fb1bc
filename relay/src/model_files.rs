//! Speech model files for the app: `GET /api/v1/models` lists what `models_dir` holds (the
//! manifest written by `cargo xtask weights`), and `GET /models/{file}` serves a file with
//! Range requests (so an interrupted download resumes), a strong validator and a year of
//! immutable caching (the name carries the content hash).
//!
//! The file's SHA-256 is checked once at start; a damaged file stops the start with a clear
//! error rather than being served. A missing manifest only means no model is offered.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, CacheControl, CacheDirective, ContentType};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::State;
use crate::error::ApiError;

/// One model as the manifest describes it (the one definition, shared with `cargo xtask weights`).
pub use domain::speech::ModelManifest;

/// Models the relay offers.
#[derive(Debug, Default)]
pub struct ModelFiles {
    dir: PathBuf,
    models: Vec<ModelManifest>,
}

/// Why the model directory cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum ModelFilesError {
    /// The manifest is not valid JSON of the expected shape.
    #[error("model manifest {path}: {message}")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file is missing, has the wrong size or the wrong digest.
    #[error("model file {path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl ModelFiles {
    /// Reads and checks `dir/manifest.json` and the file it names.
    pub fn load(dir: &Path) -> Result<Self, ModelFilesError> {
        let manifest_path = dir.join("manifest.json");
        let Ok(text) = std::fs::read_to_string(&manifest_path) else {
            log::warn!(
                "no speech model in {} (run `cargo xtask weights`); recording still works, \
                 transcription is not offered",
                dir.display()
            );
            return Ok(Self {
                dir: dir.to_owned(),
                models: Vec::new(),
            });
        };
        let manifest: ModelManifest =
            serde_json::from_str(&text).map_err(|e| ModelFilesError::Manifest {
                path: manifest_path.clone(),
                message: e.to_string(),
            })?;
        if manifest.file.contains('/')
            || manifest.file.contains('\\')
            || manifest.file.starts_with('.')
        {
            return Err(ModelFilesError::Manifest {
                path: manifest_path,
                message: format!("file name {:?} is not a plain name", manifest.file),
            });
        }
        let path = dir.join(&manifest.file);
        let bytes = std::fs::read(&path).map_err(|e| ModelFilesError::File {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if bytes.len() as u64 != manifest.size {
            return Err(ModelFilesError::File {
                path,
                message: format!("{} bytes, the manifest says {}", bytes.len(), manifest.size),
            });
        }
        if hex::encode(Sha256::digest(&bytes)) != manifest.sha256 {
            return Err(ModelFilesError::File {
                path,
                message: "SHA-256 differs from the manifest (damaged file)".into(),
            });
        }
        Ok(Self {
            dir: dir.to_owned(),
            models: vec![manifest],
        })
    }

    /// The models on offer.
    pub fn models(&self) -> &[ModelManifest] {
        &self.models
    }
}

/// `GET /api/v1/models`.
pub async fn list(state: web::Data<State>) -> HttpResponse {
    let models: Vec<serde_json::Value> = state
        .models
        .models
        .iter()
        .map(|m| {
            serde_json::json!({
                "name": m.name,
                "version": m.version,
                "url": format!("/models/{}", m.file),
                "sha256": m.sha256,
                "size": m.size,
                "precision": m.precision,
                "license": m.license,
            })
        })
        .collect();
    HttpResponse::Ok()
        .insert_header(CacheControl(vec![CacheDirective::NoCache]))
        .json(serde_json::json!({ "models": models }))
}

/// `GET /models/{file}` with Range support.
pub async fn file(
    req: HttpRequest,
    name: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let Some(model) = state.models.models.iter().find(|m| m.file == *name) else {
        return Err(ApiError::NotFound);
    };
    let file = NamedFile::open_async(state.models.dir.join(&model.file))
        .await
        .map_err(|_| ApiError::NotFound)?
        .set_content_type(ContentType::octet_stream().0)
        .use_last_modified(false)
        .prefer_utf8(false);
    let mut response = file.into_response(&req);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(etag) = header::HeaderValue::from_str(&format!("\"{}\"", model.sha256)) {
        headers.insert(header::ETAG, etag);
    }
    Ok(response)
}
