//! The real relay, in-process, on port 0 over TLS.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use anyhow::{Context, ensure};

/// A running relay serving the built app.
pub struct Relay {
    /// `https://localhost:PORT`.
    pub base: String,
    handle: ServerHandle,
    _data: tempfile::TempDir,
}

impl Relay {
    /// Starts the relay on a free port, serving `app_dir`, with a fresh data directory (so a
    /// fresh self-signed certificate).
    ///
    /// # Errors
    /// When the app is not built or the relay cannot start.
    pub fn start(app_dir: &Path) -> anyhow::Result<Self> {
        ensure!(
            app_dir.join("index.html").is_file(),
            "{} has no built app: run `cargo xtask dist` first (scripts/test.sh does)",
            app_dir.display()
        );
        let data = tempfile::tempdir()?;
        // A municipality publishes a second version of the decision letter: the app must fetch
        // it, offer it for new reports and leave reports made with version 1 as they are.
        let extra = data.path().join("templates");
        std::fs::create_dir_all(&extra)?;
        std::fs::write(extra.join("beslissingsbrief.v2.toml"), letter_v2()?)?;
        let settings = relay::Settings {
            templates_dir: Some(extra),
            listen: "127.0.0.1:0".parse()?,
            data_dir: data.path().to_owned(),
            app_dir: app_dir.to_owned(),
            models_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../models/weights")),
            ..relay::Settings::default()
        };
        let listener = TcpListener::bind(settings.listen)?;
        let port = listener.local_addr()?.port();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_rt::System::new().block_on(async move {
                match relay::run(&settings, listener) {
                    Ok(running) => {
                        let _ = tx.send(Ok(running.server.handle()));
                        let _ = running.server.await;
                    }
                    Err(err) => {
                        let _ = tx.send(Err(err.to_string()));
                    }
                }
            });
        });
        let handle = rx
            .recv()
            .context("relay thread ended before starting")?
            .map_err(anyhow::Error::msg)?;
        Ok(Self {
            base: format!("https://localhost:{port}"),
            handle,
            _data: data,
        })
    }

    /// Stops the relay.
    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

/// Version 2 of the shipped decision letter: the same sections, a new title and reason.
///
/// # Errors
/// When the shipped file is not where it should be.
pub fn letter_v2() -> anyhow::Result<String> {
    let (_, v1) = templates::BUILTIN_FILES
        .iter()
        .find(|(name, _)| name.starts_with("beslissingsbrief"))
        .context("shipped decision letter")?;
    Ok(v1
        .replacen("version = 1", "version = 2", 1)
        .replacen(
            "title = \"Beslissingsbrief\"",
            "title = \"Beslissingsbrief in eenvoudige taal\"",
            1,
        )
        .replacen(
            "published = \"2026-11-25\"",
            "published = \"2026-12-01\"",
            1,
        ))
}

/// The built app: `$ZORGVULDIG_DIST` or `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("ZORGVULDIG_DIST").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../dist")),
        PathBuf::from,
    )
}
