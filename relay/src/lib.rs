//! Zorgvuldig's relay.
//!
//! The relay serves the built app over HTTPS and nothing readable passes through it: it never
//! holds a key, and the records the app keeps are encrypted on the device. This crate exposes the
//! pieces the binary and the tests share:
//!
//! - [`Settings`]: defaults → TOML file → environment → flags;
//! - [`configure`]: every route, used by [`run`] and by tests alike;
//! - [`run`]: the HTTPS server on a given listener.

pub mod assets;
pub mod error;
pub mod headers;
pub mod model_files;
pub mod settings;
pub mod template_api;
pub mod tls;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, middleware, web};

pub use error::ApiError;
pub use settings::{Settings, SettingsError};

use crate::assets::AppAssets;

/// Shared, read-only state of a running relay.
#[derive(Debug)]
pub struct State {
    /// The built app.
    pub assets: AppAssets,
    /// Report template versions.
    pub templates: Vec<template_api::TemplateFile>,
    /// Speech model files.
    pub models: model_files::ModelFiles,
}

/// Registers every route of the relay.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/api/v1/templates", web::get().to(template_api::list))
        .route(
            "/api/v1/templates/{id}/{version}",
            web::get().to(template_api::file),
        )
        .route("/api/v1/models", web::get().to(model_files::list))
        .route("/models/{file}", web::get().to(model_files::file))
        .route("/models/{file}", web::head().to(model_files::file))
        .service(web::scope("/api").default_service(web::to(api_not_found)))
        .default_service(web::to(assets::serve));
}

async fn api_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

/// Why the relay could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The app directory is missing or unreadable.
    #[error(transparent)]
    Assets(#[from] assets::AssetError),
    /// Certificate problems.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    /// Template files that cannot be served.
    #[error(transparent)]
    Templates(#[from] template_api::TemplateLoadError),
    /// A speech model file that cannot be served.
    #[error(transparent)]
    Models(#[from] model_files::ModelFilesError),
    /// Binding or configuring the listener failed.
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
}

/// A started relay.
pub struct Running {
    /// The server future; await it (or spawn it) to serve.
    pub server: Server,
    /// SHA-256 fingerprint of the certificate in use, `AB:CD:…`.
    pub fingerprint: String,
    /// The certificate chain's first certificate, PEM (for clients that must trust it).
    pub certificate_pem: String,
    /// Whether the certificate was generated on this start.
    pub generated_certificate: bool,
}

/// Starts the relay on `listener` with `settings`.
///
/// # Errors
/// [`StartError`] when the app or the certificate cannot be loaded, or the listener refused.
pub fn run(settings: &Settings, listener: TcpListener) -> Result<Running, StartError> {
    let assets = AppAssets::load(&settings.app_dir)?;
    let templates = template_api::load(settings.templates_dir.as_deref())?;
    let models = model_files::ModelFiles::load(&settings.models_dir)?;
    let tls = tls::load_or_generate(settings)?;
    let state = web::Data::new(State {
        assets,
        templates,
        models,
    });
    let hsts_max_age = settings.hsts_max_age_secs;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(headers::security_headers(hsts_max_age))
            .wrap(middleware::Logger::new("\"%r\" %s %b %Dms"))
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            .configure(configure)
    })
    .listen_rustls_0_23(listener, tls.config)?
    .run();
    Ok(Running {
        server,
        fingerprint: tls.fingerprint,
        certificate_pem: tls.certificate_pem,
        generated_certificate: tls.generated,
    })
}
