//! `/api/v1/templates`: the report template versions the app may use.
//!
//! The shipped versions are built in; `templates_dir` may add a municipality's own. Every file
//! is checked when the relay starts (a malformed template stops it with file and line). A
//! published version never changes, so each file is served as immutable with its SHA-256 as
//! ETag, and the app records the hash in every report. Each version is served twice: the TOML
//! file, and the checked template as JSON (what the app reads; it carries no TOML parser).

use std::path::Path;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use templates::update::{Catalogue, Listing};

use crate::{ApiError, State};

/// One template version, as the relay serves it.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Template id.
    pub id: String,
    /// Version.
    pub version: u32,
    /// Title.
    pub title: String,
    /// Publication date.
    pub published: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// The file.
    pub text: String,
    /// The checked template as JSON.
    pub checked: String,
}

/// Why the template catalogue could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateLoadError {
    /// The directory or a file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// One or more files are malformed; each line is `file:line: message`.
    #[error("malformed templates:\n{0}")]
    Invalid(String),
}

/// The shipped templates plus every `*.toml` in `extra`, checked together (so an added file
/// cannot reuse a shipped id and version).
///
/// # Errors
/// [`TemplateLoadError`] listing every problem.
pub fn load(extra: Option<&Path>) -> Result<Vec<TemplateFile>, TemplateLoadError> {
    let mut files: Vec<(String, String)> = templates::BUILTIN_FILES
        .iter()
        .map(|(name, text)| (format!("builtin/{name}"), (*text).to_owned()))
        .collect();
    if let Some(dir) = extra {
        let read_err = |source| TemplateLoadError::Read {
            path: dir.display().to_string(),
            source,
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(read_err)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text =
                std::fs::read_to_string(&path).map_err(|source| TemplateLoadError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
            files.push((path.display().to_string(), text));
        }
    }
    let checked = templates::check_files(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|errors| {
            TemplateLoadError::Invalid(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
    checked
        .into_iter()
        .map(|t| {
            // The template's hash is that of its file: find the file by it.
            let text = files
                .iter()
                .map(|(_, text)| text)
                .find(|text| hex_sha(text) == t.sha256)
                .cloned()
                .unwrap_or_default();
            let json = serde_json::to_string(&t).map_err(|e| {
                TemplateLoadError::Invalid(format!("{}: not writable as JSON: {e}", t.key()))
            })?;
            Ok(TemplateFile {
                id: t.id,
                version: t.version,
                title: t.title,
                published: t.published,
                sha256: t.sha256,
                text,
                checked: json,
            })
        })
        .collect()
}

fn hex_sha(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// `GET /api/v1/templates`: every version, with its hash and where to get it.
pub async fn list(state: web::Data<State>) -> HttpResponse {
    let templates: Vec<Listing> = state
        .templates
        .iter()
        .map(|t| Listing {
            id: t.id.clone(),
            version: t.version,
            title: t.title.clone(),
            published: t.published.clone(),
            sha256: t.sha256.clone(),
            url: format!("/api/v1/templates/{}/{}", t.id, t.version),
            checked_url: format!("/api/v1/templates/{}/{}/checked", t.id, t.version),
        })
        .collect();
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(Catalogue { templates })
}

/// `GET /api/v1/templates/{id}/{version}`: the file itself.
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown id or version.
pub async fn file(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let t = find(&state, path.into_inner())?;
    let etag = format!("\"{}\"", t.sha256);
    Ok(immutable(
        &req,
        &etag,
        "application/toml; charset=utf-8",
        &t.text,
    ))
}

/// `GET /api/v1/templates/{id}/{version}/checked`: the checked template as JSON.
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown id or version.
pub async fn checked(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let t = find(&state, path.into_inner())?;
    let etag = format!("\"{}-json\"", t.sha256);
    Ok(immutable(&req, &etag, "application/json", &t.checked))
}

fn find(state: &State, (id, version): (String, String)) -> Result<&TemplateFile, ApiError> {
    let version: u32 = version.parse().map_err(|_| ApiError::NotFound)?;
    state
        .templates
        .iter()
        .find(|t| t.id == id && t.version == version)
        .ok_or(ApiError::NotFound)
}

/// A published version's body: immutable, with `etag` (its file's hash, and the form).
fn immutable(req: &HttpRequest, etag: &str, content_type: &str, body: &str) -> HttpResponse {
    let fresh = crate::assets::not_modified(req, etag);
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::ETAG, etag.to_owned()))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::CONTENT_TYPE, content_type));
    if fresh {
        resp.finish()
    } else {
        resp.body(body.to_owned())
    }
}
