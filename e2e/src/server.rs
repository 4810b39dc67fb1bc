//! The real relay, in-process, on port 0 over TLS.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use anyhow::{Context, ensure};

/// A running relay serving the built app.
pub struct Relay {
    /// `https://localhost:PORT`.
    pub base: String,
    port: u16,
    handle: ServerHandle,
    data: tempfile::TempDir,
}

impl Relay {
    /// Starts the relay on a free port, serving `app_dir`, with a fresh data directory (so a
    /// fresh self-signed certificate).
    ///
    /// # Errors
    /// When the app is not built or the relay cannot start.
    pub fn start(app_dir: &Path) -> anyhow::Result<Self> {
        Self::launch(app_dir, tempfile::tempdir()?, 0)
    }

    /// Stops the relay and keeps what it stored, to be started again on the same address with
    /// [`Stopped::restart`] (a device that lost its connection, then found it again).
    pub async fn stop_for_now(self) -> Stopped {
        self.handle.stop(true).await;
        Stopped {
            port: self.port,
            data: self.data,
        }
    }

    fn launch(app_dir: &Path, data: tempfile::TempDir, port: u16) -> anyhow::Result<Self> {
        ensure!(
            app_dir.join("index.html").is_file(),
            "{} has no built app: run `cargo xtask dist` first (scripts/test.sh does)",
            app_dir.display()
        );
        // A municipality publishes a second version of the decision letter: the app must fetch
        // it, offer it for new reports and leave reports made with version 1 as they are.
        let extra = data.path().join("templates");
        std::fs::create_dir_all(&extra)?;
        std::fs::write(extra.join("beslissingsbrief.v2.toml"), letter_v2()?)?;
        let settings = relay::Settings {
            templates_dir: Some(extra),
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            data_dir: data.path().to_owned(),
            app_dir: app_dir.to_owned(),
            models_dir: models_dir(data.path())?,
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
            port,
            handle,
            data,
        })
    }

    /// Stops the relay.
    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

/// A relay stopped by [`Relay::stop_for_now`]: its address and data, kept.
pub struct Stopped {
    port: u16,
    data: tempfile::TempDir,
}

impl Stopped {
    /// Starts the relay again on its old address with its old data.
    ///
    /// # Errors
    /// As [`Relay::start`]; also when the address is taken meanwhile.
    pub fn restart(self, app_dir: &Path) -> anyhow::Result<Relay> {
        Relay::launch(app_dir, self.data, self.port)
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

/// Copies the directory `from` with everything in it to `to` (a copy of the built app to serve
/// in a changed form).
///
/// # Errors
/// When a file cannot be read or written.
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The relay's model directory: the shipped model (linked from `models/weights/`) and an
/// organisation's tiny CTranslate2 model in `org-tiny/`, which the relay converts at start.
fn models_dir(data: &Path) -> anyhow::Result<PathBuf> {
    let dir = data.join("models");
    std::fs::create_dir_all(&dir)?;
    let weights = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../models/weights"));
    if let Ok(text) = std::fs::read_to_string(weights.join("manifest.json")) {
        let manifest: serde_json::Value = serde_json::from_str(&text)?;
        let file = manifest["file"].as_str().context("manifest without file")?;
        for name in ["manifest.json", file] {
            let link = dir.join(name);
            if !link.exists() {
                std::os::unix::fs::symlink(weights.join(name), link)?;
            }
        }
    }
    speech_fixtures::whisper_dir::write_tiny_ct2(&dir.join("org-tiny"), 1)?;
    Ok(dir)
}
