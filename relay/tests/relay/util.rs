//! Starts the real relay on port 0 over TLS against a fixture app.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;

use actix_web::dev::ServerHandle;
use relay::Settings;

/// The JavaScript asset of the fixture app.
pub const APP_JS: &str = "console.log('Zorgvuldig fixture app');\n";
/// The fixture's hashed asset path.
pub const APP_JS_PATH: &str = "assets/app-0123abcd.js";

/// A running relay and a client that trusts its certificate.
pub struct TestRelay {
    /// `https://localhost:PORT`.
    pub base: String,
    /// A client trusting the relay's certificate, HTTPS only.
    pub client: reqwest::Client,
    /// The certificate's fingerprint as the relay reported it.
    pub fingerprint: String,
    /// The certificate, PEM.
    pub certificate_pem: String,
    /// The relay's data directory (its store is `relay.redb` there).
    pub data_dir: std::path::PathBuf,
    handle: ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Holds the relay's data and app directories.
    _dir: tempfile::TempDir,
}

impl TestRelay {
    /// GET `path` (starting with `/`) over TLS.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the relay answers")
    }
}

impl Drop for TestRelay {
    fn drop(&mut self) {
        // Stop, and wait until the server has let go of its store (a restart on the same data
        // directory must be able to open it).
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Writes a small built app: index.html, one hashed script with .br and .gz siblings.
pub fn write_fixture_app(dir: &Path) {
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Zorgvuldig</title><script type=module src=/assets/app-0123abcd.js></script>",
    )
    .unwrap();
    let js = dir.join(APP_JS_PATH);
    std::fs::write(&js, APP_JS).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(APP_JS.as_bytes()).unwrap();
    std::fs::write(dir.join(format!("{APP_JS_PATH}.gz")), gz.finish().unwrap()).unwrap();
    let mut br = Vec::new();
    brotli::BrotliCompress(
        &mut APP_JS.as_bytes(),
        &mut br,
        &brotli::enc::BrotliEncoderParams::default(),
    )
    .unwrap();
    std::fs::write(dir.join(format!("{APP_JS_PATH}.br")), br).unwrap();
}

/// Starts the relay with default settings, a fresh data dir and the fixture app.
pub fn start() -> TestRelay {
    let dir = tempfile::tempdir().unwrap();
    write_fixture_app(&dir.path().join("app"));
    let settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("app"),
        ..Settings::default()
    };
    start_with(settings, dir)
}

/// Tries to start the relay with `settings` and returns the start error's message.
pub fn start_error(settings: &Settings) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    actix_rt::System::new()
        .block_on(async { relay::run(settings, listener).err() })
        .expect("start must fail")
        .to_string()
}

/// Starts the relay with `settings`; `dir` is kept alive with it.
pub fn start_with(settings: Settings, dir: tempfile::TempDir) -> TestRelay {
    let listener = TcpListener::bind(settings.listen).unwrap();
    let port = listener.local_addr().unwrap().port();
    let data_dir = settings.data_dir.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let _ = actix_rt::System::new().block_on(async move {
            // A relay stopped a moment ago in this process may still be dropping its store on
            // a worker thread (workers stop without waiting): give it a little time.
            let mut attempts = 0;
            let running = loop {
                match relay::run(&settings, listener.try_clone().unwrap()) {
                    Ok(running) => break running,
                    Err(err) if attempts < 50 && err.to_string().contains("already open") => {
                        attempts += 1;
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                    Err(err) => panic!("relay did not start: {err}"),
                }
            };
            tx.send((
                running.server.handle(),
                running.certificate_pem,
                running.fingerprint,
            ))
            .unwrap();
            running.server.await
        });
    });
    let (handle, pem, fingerprint) = rx.recv().unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .https_only(true)
        .build()
        .unwrap();
    TestRelay {
        base: format!("https://localhost:{port}"),
        client,
        fingerprint,
        certificate_pem: pem,
        data_dir,
        handle,
        thread: Some(thread),
        _dir: dir,
    }
}

/// Settings for a test relay in `dir` (port 0, fixture app, no speech model).
pub fn settings_in(dir: &tempfile::TempDir) -> Settings {
    write_fixture_app(&dir.path().join("app"));
    Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("app"),
        models_dir: dir.path().join("no-models"),
        ..Settings::default()
    }
}

/// The PostgreSQL server `scripts/test.sh` starts (`ZV_TEST_POSTGRES`), or `None` with a
/// note when it is not set (a plain `cargo test` without the script).
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("ZV_TEST_POSTGRES").ok();
    if url.is_none() {
        eprintln!("ZV_TEST_POSTGRES is not set: PostgreSQL backend not tested here");
    }
    url
}

/// A raw HTTP/1.1 exchange over TLS, for what a well-behaved client never sends: writes `head`
/// (without the blank line), then `body`, then waits up to `wait` for the answer. Returns the
/// status and the body, or `None` when no answer came in time.
pub fn raw_exchange(
    relay: &TestRelay,
    head: &str,
    body: &[u8],
    wait: std::time::Duration,
) -> Option<(u16, String)> {
    raw_exchange_with(&relay.base, &relay.certificate_pem, head, body, wait)
}

/// [`raw_exchange`] with the relay at `base` whose certificate is `pem`.
pub fn raw_exchange_with(
    base: &str,
    pem: &str,
    head: &str,
    body: &[u8],
    wait: std::time::Duration,
) -> Option<(u16, String)> {
    use std::io::Read;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let port = base.rsplit(':').next().unwrap();
    let tcp = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    tcp.set_read_timeout(Some(wait)).unwrap();
    let conn =
        rustls::ClientConnection::new(std::sync::Arc::new(config), "localhost".try_into().unwrap())
            .unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let request = format!("{head}\r\nHost: localhost\r\n\r\n");
    tls.write_all(request.as_bytes()).ok()?;
    tls.write_all(body).ok()?;
    tls.flush().ok()?;
    let started = std::time::Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if got.len() >= end + 4 + len {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                let body = String::from_utf8_lossy(&got[end + 4..end + 4 + len]).into_owned();
                return Some((status, body));
            }
        }
        if started.elapsed() > wait {
            return None;
        }
        match tls.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}
