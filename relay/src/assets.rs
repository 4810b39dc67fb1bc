//! The built app, held in memory and served with precompressed variants.
//!
//! The app directory (made by `cargo xtask dist`) has `index.html` at the top and content-hashed
//! files under `assets/`, each with `.br` and `.gz` siblings. Hashed assets never change under
//! their name, so they are cached for a year as `immutable`; `index.html` is revalidated on every
//! load (`no-cache` with an `ETag`), which is how a new release reaches the browser.
//!
//! Paths that are not files and have no extension are routes of the single-page app and get
//! `index.html`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::{ApiError, State};

/// Why the app could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AssetError {
    /// `index.html` is missing: the app was not built.
    #[error("{0} has no index.html: build the app first (scripts/run.sh or `cargo xtask dist`)")]
    NotBuilt(PathBuf),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Content codings the relay can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    /// Brotli.
    Br,
    /// Gzip.
    Gzip,
    /// Uncompressed.
    Identity,
}

impl Coding {
    fn token(self) -> &'static str {
        match self {
            Self::Br => "br",
            Self::Gzip => "gzip",
            Self::Identity => "identity",
        }
    }
}

/// One file of the app with its precompressed variants.
#[derive(Debug)]
pub struct Asset {
    content_type: &'static str,
    etag: String,
    immutable: bool,
    variants: HashMap<Coding, Vec<u8>>,
}

impl Asset {
    /// The bytes for a coding, if that variant exists.
    pub fn variant(&self, coding: Coding) -> Option<&[u8]> {
        self.variants.get(&coding).map(Vec::as_slice)
    }
}

/// The whole app.
#[derive(Debug)]
pub struct AppAssets {
    files: HashMap<String, Asset>,
}

impl AppAssets {
    /// Reads the app directory into memory.
    ///
    /// # Errors
    /// [`AssetError::NotBuilt`] without `index.html`; [`AssetError::Io`] for unreadable files.
    pub fn load(dir: &Path) -> Result<Self, AssetError> {
        if !dir.join("index.html").is_file() {
            return Err(AssetError::NotBuilt(dir.to_owned()));
        }
        let mut paths = Vec::new();
        collect(dir, dir, &mut paths)?;
        let mut files = HashMap::new();
        for rel in paths {
            if rel.ends_with(".br") || rel.ends_with(".gz") {
                continue;
            }
            let full = dir.join(&rel);
            let identity = read(&full)?;
            let mut variants = HashMap::new();
            for (coding, ext) in [(Coding::Br, "br"), (Coding::Gzip, "gz")] {
                let sibling = PathBuf::from(format!("{}.{ext}", full.display()));
                if sibling.is_file() {
                    variants.insert(coding, read(&sibling)?);
                }
            }
            let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&identity))[..32]);
            variants.insert(Coding::Identity, identity);
            files.insert(
                rel.clone(),
                Asset {
                    content_type: content_type(&rel),
                    etag,
                    immutable: rel.starts_with("assets/"),
                    variants,
                },
            );
        }
        Ok(Self { files })
    }

    /// The file at `path` (relative, `/`-separated).
    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }

    /// Number of files (variants not counted).
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files (never true for a loaded app: it has `index.html`).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, AssetError> {
    std::fs::read(path).map_err(|source| AssetError::Io {
        path: path.to_owned(),
        source,
    })
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), AssetError> {
    let io = |source| AssetError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            out.push(rel.join("/"));
        }
    }
    Ok(())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("ttf") => "font/ttf",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Picks the best coding the client accepts among those available: br, then gzip, then identity.
/// Honors `q=0` (refusal) and `*`.
pub fn negotiate(accept_encoding: Option<&str>, available: impl Fn(Coding) -> bool) -> Coding {
    let Some(header) = accept_encoding else {
        return Coding::Identity;
    };
    let accepted = |coding: Coding| {
        let mut star = None;
        for part in header.split(',') {
            let mut fields = part.split(';');
            let token = fields.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = fields
                .filter_map(|f| f.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if token == coding.token() {
                return q > 0.0;
            }
            if token == "*" {
                star = Some(q > 0.0);
            }
        }
        star.unwrap_or(false)
    };
    [Coding::Br, Coding::Gzip]
        .into_iter()
        .find(|c| available(*c) && accepted(*c))
        .unwrap_or(Coding::Identity)
}

/// Serves the app: files, and `index.html` for app routes.
///
/// # Errors
/// [`ApiError::MethodNotAllowed`] for anything but GET/HEAD, [`ApiError::NotFound`] for missing
/// files.
pub async fn serve(req: HttpRequest, state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::MethodNotAllowed);
    }
    let path = req.path().trim_start_matches('/');
    if path
        .split('/')
        .any(|seg| seg == ".." || seg.starts_with('.'))
    {
        return Err(ApiError::NotFound);
    }
    let assets = &state.assets;
    let asset = match assets.get(path) {
        Some(asset) => asset,
        None if is_app_route(path) => assets.get("index.html").ok_or(ApiError::NotFound)?,
        None => return Err(ApiError::NotFound),
    };
    let accept = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok());
    let coding = negotiate(accept, |c| asset.variants.contains_key(&c));
    let etag = match coding {
        Coding::Identity => asset.etag.clone(),
        other => format!("{}-{}\"", asset.etag.trim_end_matches('"'), other.token()),
    };
    let mut resp = if not_modified(&req, &etag) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::CONTENT_TYPE, asset.content_type))
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header((
            header::CACHE_CONTROL,
            if asset.immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            },
        ));
    if coding != Coding::Identity {
        resp.insert_header((
            header::CONTENT_ENCODING,
            HeaderValue::from_static(coding.token()),
        ));
    }
    if not_modified(&req, &etag) {
        return Ok(resp.finish());
    }
    // For HEAD, actix sends the headers of this response (length included) without the body.
    Ok(resp.body(asset.variant(coding).unwrap_or_default().to_vec()))
}

/// Whether the request's `If-None-Match` names `etag` (or `*`).
pub(crate) fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn is_app_route(path: &str) -> bool {
    !path.starts_with("assets/")
        && !path.starts_with("api/")
        && !path.rsplit('/').next().unwrap_or("").contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: Coding) -> bool {
        true
    }

    #[test]
    fn negotiation_prefers_br_and_honours_refusals() {
        assert_eq!(negotiate(Some("gzip, deflate, br"), all), Coding::Br);
        assert_eq!(negotiate(Some("gzip, br;q=0"), all), Coding::Gzip);
        assert_eq!(negotiate(Some("identity"), all), Coding::Identity);
        assert_eq!(negotiate(None, all), Coding::Identity);
        assert_eq!(negotiate(Some("*"), all), Coding::Br);
        assert_eq!(negotiate(Some("*;q=0, gzip"), all), Coding::Gzip);
        assert_eq!(
            negotiate(Some("br, gzip"), |c| c != Coding::Br),
            Coding::Gzip
        );
    }

    #[test]
    fn fonts_for_pdf_exports_are_served_as_fonts() {
        assert_eq!(
            content_type("assets/DejaVuSans-0123456789abcdef.ttf"),
            "font/ttf"
        );
    }

    #[test]
    fn app_routes_fall_back_to_index() {
        assert!(is_app_route(""));
        assert!(is_app_route("dossiers/abc"));
        assert!(!is_app_route("assets/app-123.js"));
        assert!(!is_app_route("favicon.ico"));
        assert!(!is_app_route("api/v1/x"));
    }
}
