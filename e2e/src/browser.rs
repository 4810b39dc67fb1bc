//! ChromeDriver and a headless Chromium session with a fresh profile.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::{Client, ClientBuilder};

/// Flags Chromium needs in this closed, GPU-less environment.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
    // The relay's certificate is generated per test run.
    "--ignore-certificate-errors",
];

/// A ChromeDriver process; stopped on drop.
pub struct Driver {
    child: Child,
    /// WebDriver URL.
    pub url: String,
}

impl Driver {
    /// Spawns ChromeDriver (`$CHROMEDRIVER` or `/usr/bin/chromedriver`) on a free port.
    ///
    /// # Errors
    /// When it is missing or does not come up within 20 s.
    pub fn start() -> anyhow::Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let program =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        // Spawned directly (no shell) so that the PID we stop is ChromeDriver's.
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {program} (install chromium-driver)"))?;
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser session with its own profile and download directories.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    profile: tempfile::TempDir,
    downloads: tempfile::TempDir,
}

impl Browser {
    /// Opens headless Chromium (`$CHROMIUM` or `/usr/bin/chromium`) with a fresh profile.
    ///
    /// # Errors
    /// When the session cannot be created.
    pub async fn open(driver: &Driver) -> anyhow::Result<Self> {
        Self::open_with(driver, &[]).await
    }

    /// Like [`Browser::open`], with `extra` Chromium flags (a fake microphone, say).
    ///
    /// # Errors
    /// When the session cannot be created.
    pub async fn open_with(driver: &Driver, extra: &[String]) -> anyhow::Result<Self> {
        let profile = tempfile::tempdir()?;
        let downloads = tempfile::tempdir()?;
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| (*s).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.extend(extra.iter().cloned());
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": binary,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads.path(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            }),
        );
        // The console is read after every journey (see [`crate::console`]).
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({ "browser": "ALL" }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .context("cannot open a Chromium session")?;
        Ok(Self {
            client,
            profile,
            downloads,
        })
    }

    /// The profile directory (kept until the browser is closed).
    pub fn profile(&self) -> PathBuf {
        self.profile.path().to_owned()
    }

    /// Where downloads land.
    pub fn downloads(&self) -> PathBuf {
        self.downloads.path().to_owned()
    }

    /// Ends the session.
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// Flags for a fake microphone that plays `wav` once (then silence), with the permission
/// prompt answered "allow".
pub fn fake_microphone(wav: &std::path::Path) -> Vec<String> {
    vec![
        "--use-fake-device-for-media-stream".into(),
        "--use-fake-ui-for-media-stream".into(),
        format!("--use-file-for-fake-audio-capture={}%noloop", wav.display()),
        "--autoplay-policy=no-user-gesture-required".into(),
    ]
}
