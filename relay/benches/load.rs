//! Load on the relay next to nginx, on the same machine in the same run.
//!
//! `scripts/bench-relay.sh` installs wrk and nginx from Debian, builds the app and runs this:
//! `cargo bench -p relay --bench load [-- --seconds 10 --connections 64]`.
//!
//! 1. Static: the app's hashed JavaScript asset (gzip) from the relay and from nginx serving the
//!    same `dist/` over TLS with the same certificate, `gzip_static on`.
//! 2. Sync pull: `GET /api/v1/sync/pull` of a page of 100 entries (1 KiB each).
//! 3. Sync push: `POST /api/v1/sync/push` of one new 1 KiB entry per request.
//!
//! wrk (2 threads) drives each for the given time at the given number of connections and
//! reports requests/s and the 99th percentile latency; the relay's peak resident memory is read
//! from /proc at the end. The relay runs as its release binary with rate limits raised for the
//! run (the defaults would refuse a load generator, as they should).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};

struct Args {
    seconds: u32,
    connections: u32,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 10,
        connections: 64,
    };
    let argv: Vec<String> = std::env::args().collect();
    for w in argv.windows(2) {
        match w[0].as_str() {
            "--seconds" => a.seconds = w[1].parse().unwrap_or(a.seconds),
            "--connections" => a.connections = w[1].parse().unwrap_or(a.connections),
            _ => {}
        }
    }
    a
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        // SIGTERM first: nginx's master takes its workers down with it (SIGKILL would orphan
        // them, and they would load the next run's cores).
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.0.id().to_string())
            .status();
        for _ in 0..50 {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_relay(dist: &Path, data: &Path) -> anyhow::Result<(Killed, String)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zorgvuldig-relay"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .arg("--app-dir")
        .arg(dist)
        .env("ZORGVULDIG_MODELS_DIR", data.join("no-models"))
        .env("ZORGVULDIG_DEVICE_REQUESTS_PER_MINUTE", "1000000000")
        .env("ZORGVULDIG_ADDRESS_REQUESTS_PER_MINUTE", "1000000000")
        .env("ZORGVULDIG_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .context("start the relay")?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
    let base = loop {
        let line = lines.next().context("relay exited")??;
        if let Some(rest) = line.strip_prefix("Zorgvuldig is served at ") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    Ok((Killed(child), base))
}

fn start_nginx(dist: &Path, tls: &Path, dir: &Path) -> anyhow::Result<(Killed, String)> {
    let port = free_port();
    let conf = dir.join("nginx.conf");
    let mut f = std::fs::File::create(&conf)?;
    write!(
        f,
        "daemon off;\nworker_processes auto;\npid {pid};\nerror_log {err} warn;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n  access_log off;\n  sendfile on;\n  gzip_static on;\n  keepalive_requests 100000;\n\
           types {{ application/javascript js; text/html html; application/wasm wasm; }}\n\
           client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};\n\
           uwsgi_temp_path {tmp}; scgi_temp_path {tmp};\n\
           server {{\n    listen 127.0.0.1:{port} ssl;\n    ssl_certificate {cert};\n\
             ssl_certificate_key {key};\n    root {root};\n  }}\n}}\n",
        pid = dir.join("nginx.pid").display(),
        err = dir.join("error.log").display(),
        tmp = dir.display(),
        cert = tls.join("cert.pem").display(),
        key = tls.join("key.pem").display(),
        root = dist.display(),
    )?;
    let child = Command::new("nginx")
        .args(["-p"])
        .arg(dir)
        .arg("-c")
        .arg(&conf)
        .spawn()
        .context("start nginx (apt-get install nginx-light)")?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if std::time::Instant::now() > deadline {
            bail!("nginx did not listen");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Ok((Killed(child), format!("https://localhost:{port}")))
}

struct Figures {
    rps: f64,
    p99_ms: f64,
    errors: String,
}

fn millis(text: &str) -> f64 {
    let (num, unit) = text.split_at(text.find(|c: char| c.is_alphabetic()).unwrap_or(text.len()));
    let v: f64 = num.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => v / 1000.0,
        "s" => v * 1000.0,
        _ => v,
    }
}

fn wrk(args: &Args, url: &str, extra: &[&str]) -> anyhow::Result<Figures> {
    let out = Command::new("wrk")
        .args(["-t2", &format!("-c{}", args.connections)])
        .arg(format!("-d{}s", args.seconds))
        .arg("--latency")
        .args(extra)
        .arg(url)
        .output()
        .context("run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("wrk output: {text}"))?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| millis(v.trim()))
        .unwrap_or(f64::NAN);
    let errors = text
        .lines()
        .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ");
    Ok(Figures {
        rps,
        p99_ms: p99,
        errors,
    })
}

fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let args = args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dist = root
        .join("dist")
        .canonicalize()
        .context("no dist/: run `cargo xtask dist`")?;
    let asset = std::fs::read_dir(dist.join("assets"))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".js") && n.starts_with("zorgvuldig-app"))
        .or_else(|| {
            std::fs::read_dir(dist.join("assets"))
                .ok()?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.ends_with(".js"))
        })
        .context("no JavaScript asset in dist/assets")?;
    let dir = tempfile::tempdir()?;
    let (relay, base) = start_relay(&dist, &dir.path().join("data"))?;
    let nginx_dir = dir.path().join("nginx");
    std::fs::create_dir_all(&nginx_dir)?;
    let (_nginx, nginx_base) = start_nginx(&dist, &dir.path().join("data/tls"), &nginx_dir)?;

    // An account with 100 entries to pull.
    let rt = tokio::runtime::Runtime::new()?;
    let pem = std::fs::read(dir.path().join("data/tls/cert.pem"))?;
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem)?)
        .build()?;
    let token: String = rt.block_on(async {
        let created: serde_json::Value = http
            .post(format!("{base}/api/v1/accounts"))
            .send()
            .await?
            .json()
            .await?;
        let token = created["token"].as_str().unwrap_or_default().to_owned();
        let data = base64_of(&[0x5a; 1024]);
        let items: Vec<serde_json::Value> = (0..100u32)
            .map(|i| {
                let mut key = [0u8; 16];
                key[12..].copy_from_slice(&i.to_be_bytes());
                serde_json::json!({"store": "records", "key": hex::encode(key), "base": 0, "data": data})
            })
            .collect();
        http.post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "items": items }))
            .send()
            .await?
            .error_for_status()?;
        anyhow::Ok(token)
    })?;

    let gzip = ["-H", "Accept-Encoding: gzip"];
    let auth = format!("Authorization: Bearer {token}");
    let script = dir.path().join("push.lua");
    std::fs::write(
        &script,
        format!(
            "counter = 0\n\
             setup = function(thread) thread:set('tid', math.random(1, 2^30)) end\n\
             request = function()\n  counter = counter + 1\n\
               local key = string.format('%016x%08x%08x', tid, counter, math.random(0, 2^30))\n\
               local body = '{{\"items\":[{{\"store\":\"records\",\"key\":\"' .. key .. '\",\"base\":0,\"data\":\"{data}\"}}]}}'\n\
               return wrk.format('POST', '/api/v1/sync/push', {{['Content-Type']='application/json', ['Authorization']='Bearer {token}'}}, body)\n\
             end\n",
            data = base64_of(&[0x33; 1024]),
        ),
    )?;

    let static_relay = wrk(&args, &format!("{base}/assets/{asset}"), &gzip)?;
    let static_nginx = wrk(&args, &format!("{nginx_base}/assets/{asset}"), &gzip)?;
    let pull = wrk(
        &args,
        &format!("{base}/api/v1/sync/pull?since=0&limit=100"),
        &["-H", &auth],
    )?;
    let push = wrk(&args, &base, &["-s", script.to_str().context("path")?])?;
    let rss = peak_rss_mb(relay.0.id());

    println!(
        "relay load, {} connections, {} s each, wrk 2 threads, asset {asset} (gzip)",
        args.connections, args.seconds
    );
    println!("| what | requests/s | p99 latency | errors |");
    println!("| --- | --- | --- | --- |");
    for (name, f) in [
        ("static asset, relay", &static_relay),
        ("static asset, nginx", &static_nginx),
        ("sync pull (100 × 1 KiB)", &pull),
        ("sync push (1 × 1 KiB, new entry)", &push),
    ] {
        println!(
            "| {name} | {:.0} | {:.1} ms | {} |",
            f.rps,
            f.p99_ms,
            if f.errors.is_empty() {
                "none"
            } else {
                &f.errors
            }
        );
    }
    println!(
        "relay / nginx static throughput: {:.2} (target ≥ 0.83, i.e. within 1.2×)",
        static_relay.rps / static_nginx.rps
    );
    println!("relay peak resident memory: {rss:.1} MB (target < 50 MB)");
    Ok(())
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
