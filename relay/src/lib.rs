//! Zorgvuldig's relay.
//!
//! The relay serves the built app over HTTPS and nothing readable passes through it: it never
//! holds a key, and the records the app keeps are encrypted on the device. Besides the app it
//! serves template versions, speech model files, end-to-end-encrypted sync between a worker's
//! devices ([`sync_api`]) and share links for clients ([`share_api`]), kept in a
//! [`store::RelayStore`]. This crate exposes the
//! pieces the binary and the tests share:
//!
//! - [`Settings`]: defaults → TOML file → environment → flags;
//! - [`configure`]: every route, used by [`run`] and by tests alike;
//! - [`run`]: the HTTPS server on a given listener.

pub mod assets;
pub mod error;
pub mod headers;
pub mod limits;
pub mod model_files;
pub mod settings;
pub mod share_api;
pub mod store;
pub mod sync_api;
pub mod template_api;
pub mod tls;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, middleware, web};

pub use error::ApiError;
pub use settings::{Settings, SettingsError};

use crate::assets::AppAssets;
use crate::limits::RateLimiter;
use crate::store::RelayStore;

/// Shared state of a running relay.
#[derive(Debug)]
pub struct State {
    /// The built app.
    pub assets: AppAssets,
    /// Report template versions.
    pub templates: Vec<template_api::TemplateFile>,
    /// Speech model files.
    pub models: model_files::ModelFiles,
    /// Accounts, devices, synced ciphertext and shares.
    pub store: Arc<dyn RelayStore>,
    /// Requests per device.
    pub device_limiter: RateLimiter,
    /// Requests per address without a device token.
    pub address_limiter: RateLimiter,
    /// Quota per account, in bytes.
    pub account_quota_bytes: u64,
    /// Pairing offer lifetime, in seconds.
    pub pairing_ttl_secs: u64,
}

/// Threads per server worker for store calls that may block.
const BLOCKING_THREADS_PER_WORKER: usize = 16;

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
        .route("/api/v1/accounts", web::post().to(sync_api::create_account))
        .route(
            "/api/v1/account",
            web::delete().to(sync_api::delete_account),
        )
        .route("/api/v1/devices", web::get().to(sync_api::devices))
        .route(
            "/api/v1/devices/{device}",
            web::delete().to(sync_api::revoke_device),
        )
        .route("/api/v1/pairings", web::post().to(sync_api::offer_pairing))
        .route(
            "/api/v1/pairings/{id}/claim",
            web::post().to(sync_api::claim_pairing),
        )
        .route("/api/v1/sync/push", web::post().to(sync_api::push))
        .route("/api/v1/sync/pull", web::get().to(sync_api::pull))
        .route("/api/v1/sync/usage", web::get().to(sync_api::usage))
        .route("/api/v1/shares", web::post().to(share_api::create))
        .route("/api/v1/shares", web::get().to(share_api::list))
        .route("/api/v1/shares/{id}", web::get().to(share_api::open))
        .route("/api/v1/shares/{id}", web::delete().to(share_api::revoke))
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
    /// The store cannot be opened.
    #[error("cannot open the relay store: {0}")]
    Store(#[from] store::StoreError),
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
    std::fs::create_dir_all(&settings.data_dir)?;
    let store: Arc<dyn RelayStore> = match &settings.postgres_url {
        // The synchronous client runs its own runtime: connect off this one.
        Some(url) => {
            let url = url.clone();
            let connected =
                std::thread::spawn(move || store::postgres_store::PostgresStore::connect(&url))
                    .join()
                    .map_err(|_| {
                        store::StoreError::Backend("connecting to PostgreSQL panicked".into())
                    })??;
            Arc::new(connected)
        }
        None => Arc::new(store::redb_store::RedbStore::open(
            &settings.data_dir.join("relay.redb"),
        )?),
    };
    let state = web::Data::new(State {
        assets,
        templates,
        models,
        store,
        device_limiter: RateLimiter::new(settings.device_requests_per_minute),
        address_limiter: RateLimiter::new(settings.address_requests_per_minute),
        account_quota_bytes: settings.account_quota_bytes,
        pairing_ttl_secs: settings.pairing_ttl_secs,
    });
    let hsts_max_age = settings.hsts_max_age_secs;
    let body_limit = settings.max_body_bytes;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(headers::security_headers(hsts_max_age))
            // The route pattern, not the path: ids of shares and pairings stay out of the log.
            // Access log only when it is wanted: building each line costs even when it is
            // thrown away.
            .wrap(middleware::Condition::new(
                log::log_enabled!(log::Level::Info),
                middleware::Logger::new("%{method}xi %{route}xi %s %b %Dms")
                    .custom_request_replace("method", |req| req.method().to_string())
                    .custom_request_replace("route", |req| {
                        req.match_pattern().unwrap_or_else(|| "(static)".to_owned())
                    }),
            ))
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            .app_data(web::QueryConfig::default().error_handler(|_, _| ApiError::BadRequest.into()))
            .app_data(web::JsonConfig::default().limit(body_limit).error_handler(
                |err, _| match err {
                    actix_web::error::JsonPayloadError::Overflow { .. }
                    | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                        ApiError::PayloadTooLarge.into()
                    }
                    _ => ApiError::BadRequest.into(),
                },
            ))
            .configure(configure)
    })
    // Small answers go out at once instead of waiting on the client's delayed ACK.
    .tcp_nodelay(true)
    // Store calls that may block run here; a bounded pool keeps memory flat under load (each
    // thread gets its own allocator arena) while still batching pushes into group commits.
    .worker_max_blocking_threads(BLOCKING_THREADS_PER_WORKER)
    .listen_rustls_0_23(listener, tls.config)?
    .run();
    Ok(Running {
        server,
        fingerprint: tls.fingerprint,
        certificate_pem: tls.certificate_pem,
        generated_certificate: tls.generated,
    })
}
