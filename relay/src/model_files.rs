//! Speech model files for the app: `GET /api/v1/models` lists what `models_dir` holds (the
//! shipped model's manifest written by `cargo xtask weights`, first and marked default, then
//! every model an organisation placed there, see [`crate::model_import`]), and `GET /models/{file}` serves a file with
//! Range requests (so an interrupted download resumes), a strong validator and a year of
//! immutable caching (the name carries the content hash).
//!
//! Each file's SHA-256 is checked once at start; a damaged file stops the start with a clear
//! error rather than being served. A missing manifest only means the shipped model is not
//! offered.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, CacheControl, CacheDirective, ContentType};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

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
    /// Reads and checks `dir/manifest.json` (the shipped model) and the file it names, then
    /// converts or reuses the model directories an organisation placed in `dir`
    /// ([`crate::model_import`]). The shipped model is listed first: it is the default.
    pub fn load(dir: &Path) -> Result<Self, ModelFilesError> {
        let mut models = Vec::new();
        let manifest_path = dir.join("manifest.json");
        match std::fs::read_to_string(&manifest_path) {
            Ok(text) => {
                let manifest: ModelManifest =
                    serde_json::from_str(&text).map_err(|e| ModelFilesError::Manifest {
                        path: manifest_path.clone(),
                        message: e.to_string(),
                    })?;
                check(dir, &manifest)?;
                models.push(manifest);
            }
            Err(_) => log::warn!(
                "no shipped speech model in {} (run `cargo xtask weights`)",
                dir.display()
            ),
        }
        let taken: Vec<String> = models.iter().map(|m| m.name.clone()).collect();
        // An imported model's file is checked by the import itself (its digest on reuse, or
        // the bytes it just wrote): hashing a large model once more would only slow the start.
        models.extend(crate::model_import::import_all(dir, &taken));
        if models.is_empty() {
            log::warn!("no speech model is offered: recording still works, transcription does not");
        }
        Ok(Self {
            dir: dir.to_owned(),
            models,
        })
    }

    /// The models on offer.
    pub fn models(&self) -> &[ModelManifest] {
        &self.models
    }
}

/// The file a manifest names exists, with its size and digest.
fn check(dir: &Path, manifest: &ModelManifest) -> Result<(), ModelFilesError> {
    if manifest.file.contains('/') || manifest.file.contains('\\') || manifest.file.starts_with('.')
    {
        return Err(ModelFilesError::Manifest {
            path: dir.join("manifest.json"),
            message: format!("file name {:?} is not a plain name", manifest.file),
        });
    }
    let path = dir.join(&manifest.file);
    let (sha256, size) =
        crate::model_import::digest_file(&path).map_err(|e| ModelFilesError::File {
            path: path.clone(),
            message: e.to_string(),
        })?;
    if size != manifest.size {
        return Err(ModelFilesError::File {
            path,
            message: format!("{size} bytes, the manifest says {}", manifest.size),
        });
    }
    if sha256 != manifest.sha256 {
        return Err(ModelFilesError::File {
            path,
            message: "SHA-256 differs from the manifest (damaged file)".into(),
        });
    }
    Ok(())
}

/// `GET /api/v1/models`.
pub async fn list(state: web::Data<State>) -> HttpResponse {
    let models: Vec<serde_json::Value> = state
        .models
        .models
        .iter()
        .enumerate()
        .map(|(i, m)| {
            serde_json::json!({
                "name": m.name,
                "version": m.version,
                "url": format!("/models/{}", m.file),
                "sha256": m.sha256,
                "size": m.size,
                "precision": m.precision,
                "license": m.license,
                "default": i == 0,
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
    // The file server answers a range covering the whole file with 200 and a Content-Range;
    // a range request that is answered with a range is a 206 (RFC 9110 §15.3.7).
    if response.status() == actix_web::http::StatusCode::OK
        && response.headers().contains_key(header::CONTENT_RANGE)
    {
        *response.status_mut() = actix_web::http::StatusCode::PARTIAL_CONTENT;
    }
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

/// What to answer for a `Range` header, per RFC 9110 §14.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangePlan {
    /// The whole file, 200: no range, another unit than `bytes` (ignored, §14.2), a malformed
    /// range, or several ranges (see [`plan_range`]).
    Whole,
    /// One range, first and last byte inclusive, already clamped to the file.
    One(u64, u64),
    /// 416: the range starts at or past the end of the file.
    Unsatisfiable,
}

/// Decides how to answer `Range: header` for a file of `size` bytes.
///
/// Several ranges (`bytes=0-0,5-9`) are answered with the whole file, which RFC 9110 §14.2
/// allows ("a server MAY ignore the Range header field"): the app resumes a download with one
/// range, and `multipart/byteranges` would add an encoder for no client while letting a small
/// request ask for many overlapping copies of the file. A last position past the end, however
/// many digits it has, means "to the end" (§14.1.2); a first position too large for 64 bits lies
/// past any file, so it is unsatisfiable like any other past the end.
pub fn plan_range(header: &str, size: u64) -> RangePlan {
    let Some((unit, set)) = header.split_once('=') else {
        return RangePlan::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return RangePlan::Whole;
    }
    let specs: Vec<&str> = set
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let [spec] = specs[..] else {
        return RangePlan::Whole;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return RangePlan::Whole;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Digits beyond 64 bits: saturate (a position past every file).
    let number = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX);
    match (first.trim(), last.trim()) {
        ("", suffix) if digits(suffix) => {
            let n = number(suffix);
            if n == 0 || size == 0 {
                RangePlan::Unsatisfiable
            } else {
                RangePlan::One(size - n.min(size), size - 1)
            }
        }
        (first, last) if digits(first) && (last.is_empty() || digits(last)) => {
            let start = number(first);
            let end = if last.is_empty() {
                u64::MAX
            } else {
                number(last)
            };
            if end < start {
                RangePlan::Whole
            } else if start >= size {
                RangePlan::Unsatisfiable
            } else {
                RangePlan::One(start, end.min(size - 1))
            }
        }
        _ => RangePlan::Whole,
    }
}

/// Middleware of `/models/{file}`: puts the `Range` header in the one form the file server
/// answers exactly (see [`plan_range`]), and answers an unsatisfiable range itself with the
/// JSON error and `Content-Range: bytes */size`.
///
/// # Errors
/// Those of the wrapped service.
pub async fn normalize_range(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let size = req.app_data::<web::Data<State>>().and_then(|state| {
        let name = req.match_info().get("file")?;
        state
            .models
            .models
            .iter()
            .find(|m| m.file == name)
            .map(|m| m.size)
    });
    let range = req
        .headers()
        .get(header::RANGE)
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    if let (Some(size), Some(range)) = (size, range) {
        match plan_range(&range, size) {
            RangePlan::Whole => {
                req.headers_mut().remove(header::RANGE);
            }
            RangePlan::One(first, last) => {
                if let Ok(v) = header::HeaderValue::from_str(&format!("bytes={first}-{last}")) {
                    req.headers_mut().insert(header::RANGE, v);
                }
            }
            RangePlan::Unsatisfiable => {
                let mut response = ApiError::RangeNotSatisfiable.error_response();
                if let Ok(v) = header::HeaderValue::from_str(&format!("bytes */{size}")) {
                    response.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return Ok(req.into_response(response));
            }
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110() {
        let plan = |h: &str| plan_range(h, 100);
        assert_eq!(plan("bytes=10-19"), RangePlan::One(10, 19));
        assert_eq!(plan("BYTES = 10-"), RangePlan::One(10, 99));
        assert_eq!(plan("bytes=-10"), RangePlan::One(90, 99));
        assert_eq!(plan("bytes=-1000"), RangePlan::One(0, 99));
        assert_eq!(plan("bytes=0-18446744073709551615"), RangePlan::One(0, 99));
        assert_eq!(
            plan("bytes=0-99999999999999999999999"),
            RangePlan::One(0, 99)
        );
        assert_eq!(
            plan("bytes=99999999999999999999999-"),
            RangePlan::Unsatisfiable
        );
        assert_eq!(plan("bytes=100-"), RangePlan::Unsatisfiable);
        assert_eq!(plan("bytes=-0"), RangePlan::Unsatisfiable);
        assert_eq!(plan("bytes=0-0,5-9"), RangePlan::Whole);
        assert_eq!(plan("items=0-10"), RangePlan::Whole);
        assert_eq!(plan("bytes=9-3"), RangePlan::Whole);
        assert_eq!(plan("bytes=a-b"), RangePlan::Whole);
    }
}
