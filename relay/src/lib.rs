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
pub mod body;
pub mod error;
pub mod headers;
pub mod limits;
pub mod logging;
pub mod model_files;
pub mod model_import;
pub mod settings;
pub mod share_api;
pub mod store;
pub mod sync_api;
pub mod template_api;
pub mod tls;

use std::net::TcpListener;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::{App, HttpResponse, HttpServer, ResponseError, Route, middleware, web};

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
    /// New accounts per address (IPv4) or /64 (IPv6).
    pub account_limiter: RateLimiter,
    /// Accounts the relay holds at most.
    pub max_accounts: u64,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// How long a whole request body may take to arrive.
    pub body_timeout: Duration,
    /// Quota per account, in bytes.
    pub account_quota_bytes: u64,
    /// Pairing offer lifetime, in seconds.
    pub pairing_ttl_secs: u64,
}

/// Threads per server worker for store calls that may block.
const BLOCKING_THREADS_PER_WORKER: usize = 16;

/// Registers every route of the relay. A path served for other methods answers any other
/// method with 405 and the JSON error, naming the methods it takes in `Allow`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz", "GET").route(web::get().to(healthz)))
        .service(resource("/api/v1/templates", "GET").route(web::get().to(template_api::list)))
        .service(
            resource("/api/v1/templates/{id}/{version}", "GET")
                .route(web::get().to(template_api::file)),
        )
        .service(
            resource("/api/v1/templates/{id}/{version}/checked", "GET")
                .route(web::get().to(template_api::checked)),
        )
        .service(resource("/api/v1/models", "GET").route(web::get().to(model_files::list)))
        .service(
            resource("/models/{file}", "GET, HEAD")
                .wrap(middleware::from_fn(model_files::normalize_range))
                .route(web::get().to(model_files::file))
                .route(web::head().to(model_files::file)),
        )
        .service(
            resource("/api/v1/accounts", "POST").route(web::post().to(sync_api::create_account)),
        )
        .service(
            resource("/api/v1/account", "DELETE").route(web::delete().to(sync_api::delete_account)),
        )
        .service(resource("/api/v1/devices", "GET").route(web::get().to(sync_api::devices)))
        .service(
            resource("/api/v1/devices/{device}", "DELETE")
                .route(web::delete().to(sync_api::revoke_device)),
        )
        .service(
            resource("/api/v1/pairings", "POST").route(web::post().to(sync_api::offer_pairing)),
        )
        .service(
            resource("/api/v1/pairings/{id}/claim", "POST")
                .route(web::post().to(sync_api::claim_pairing)),
        )
        .service(resource("/api/v1/sync/push", "POST").route(web::post().to(sync_api::push)))
        .service(resource("/api/v1/sync/pull", "GET").route(web::get().to(sync_api::pull)))
        .service(resource("/api/v1/sync/usage", "GET").route(web::get().to(sync_api::usage)))
        .service(
            resource("/api/v1/shares", "GET, POST")
                .route(web::post().to(share_api::create))
                .route(web::get().to(share_api::list)),
        )
        .service(
            resource("/api/v1/shares/{id}", "GET, DELETE")
                .route(web::get().to(share_api::open))
                .route(web::delete().to(share_api::revoke)),
        )
        .service(web::scope("/api").default_service(web::to(api_not_found)))
        .default_service(web::to(assets::serve));
}

/// A resource whose other methods answer 405 with `Allow: allow`.
fn resource(path: &str, allow: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(method_not_allowed(allow))
}

fn method_not_allowed(allow: &'static str) -> Route {
    web::to(move || async move {
        let mut response = ApiError::MethodNotAllowed.error_response();
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static(allow));
        response
    })
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
    private_dir(&settings.data_dir)?;
    let tls = tls::load_or_generate(settings)?;
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
        account_limiter: RateLimiter::per_hour(settings.accounts_per_address_per_hour),
        max_accounts: settings.max_accounts,
        max_body_bytes: settings.max_body_bytes,
        body_timeout: Duration::from_secs(settings.body_timeout_secs.max(1)),
        account_quota_bytes: settings.account_quota_bytes,
        pairing_ttl_secs: settings.pairing_ttl_secs,
    });
    actix_web::rt::spawn(maintain(
        Arc::downgrade(&state.store),
        Duration::from_secs(settings.sweep_interval_secs.max(1)),
        (settings.compact_interval_secs > 0)
            .then(|| Duration::from_secs(settings.compact_interval_secs)),
        settings.tombstone_retention_days.saturating_mul(86_400),
    ));
    let hsts_max_age = settings.hsts_max_age_secs;
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
            .configure(configure)
    })
    // Small answers go out at once instead of waiting on the client's delayed ACK.
    .tcp_nodelay(true)
    // After answering a request whose body it did not read (a refused upload), actix reads and
    // discards what still arrives until this deadline, so the client sees the answer rather than
    // a reset; a quarter second is plenty on any network and bounds what a refused client costs.
    .client_disconnect_timeout(Duration::from_millis(250))
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

/// Creates `dir` if needed and makes it reachable by the relay's user only (0700): it holds
/// the store and the TLS key.
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The store's upkeep, on a schedule rather than on requests: every `sweep_every` expired
/// pairing offers and compactable tombstones go; every `compact_every` the store gives free
/// space back and its size is logged. Ends when the relay has let go of its store.
async fn maintain(
    store: Weak<dyn RelayStore>,
    sweep_every: Duration,
    compact_every: Option<Duration>,
    tombstone_retention_secs: u64,
) {
    let mut tick = actix_web::rt::time::interval(sweep_every);
    let mut last_compaction = Instant::now();
    loop {
        tick.tick().await;
        let Some(store) = store.upgrade() else {
            return;
        };
        let compact = compact_every.is_some_and(|every| last_compaction.elapsed() >= every);
        if compact {
            last_compaction = Instant::now();
        }
        let done = web::block(move || {
            let now = sync_api::now();
            let swept = store.sweep(now, now.saturating_sub(tombstone_retention_secs))?;
            let size = if compact { store.compact()? } else { None };
            Ok::<_, store::StoreError>((swept, size))
        })
        .await;
        match done {
            Ok(Ok((swept, size))) => {
                if swept != store::Swept::default() {
                    log::info!(
                        "swept {} expired pairing offers and {} tombstones",
                        swept.pairings,
                        swept.tombstones
                    );
                }
                if let Some(bytes) = size {
                    log::info!("store compacted: {bytes} bytes on disk");
                }
            }
            Ok(Err(err)) => log::error!("store upkeep failed: {err}"),
            Err(_) => log::error!("store upkeep panicked"),
        }
    }
}
