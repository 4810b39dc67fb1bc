//! Load on the relay next to nginx, on the same machine in the same run.
//!
//! `scripts/bench-relay.sh` installs wrk and nginx from Debian, builds the app and runs this:
//! `cargo bench -p relay --bench load [-- --seconds 10 --connections 64]`.
//!
//! 1. Static: the app's hashed JavaScript asset (gzip) from the relay and from nginx serving the
//!    same `dist/` over TLS with the same certificate, `gzip_static on`.
//! 2. Sync pull: `GET /api/v1/sync/pull` of a page of 100 entries (1 KiB each).
//! 3. Sync push: `POST /api/v1/sync/push` of one new 1 KiB entry per request.
//! 4. Abuse: sync pull again while 64 anonymous connections from 127.0.0.1 send bodies the relay
//!    must not hold: half announce 16 MiB and send it as fast as they can, half announce 16 MiB
//!    and send a byte a second; each starts over (after 100 ms) when the relay cuts it, until
//!    the run ends. The pull p99 is compared with step 2, the resident memory read meanwhile.
//!
//! Without `dist/` (no wasm build at hand) the static comparison is left out and a stand-in
//! app is served.
//!
//! wrk (2 threads) drives each for the given time at the given number of connections and
//! reports requests/s and the 99th percentile latency; the relay's peak resident memory is read
//! from /proc at the end. The relay runs as its release binary with rate limits raised for the
//! run (the defaults would refuse a load generator, as they should).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

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
            std::thread::sleep(Duration::from_millis(100));
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
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("nginx did not listen");
        }
        std::thread::sleep(Duration::from_millis(50));
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
    proc_status_mb(pid, "VmHWM:")
}

fn rss_mb(pid: u32) -> f64 {
    proc_status_mb(pid, "VmRSS:")
}

fn proc_status_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU seconds (user and system) a process has used so far.
fn cpu_secs(pid: &str) -> f64 {
    let ticks = 100.0; // USER_HZ on Linux
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // Fields after the command name (which may hold spaces) in parentheses.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / ticks)
        })
        .unwrap_or(f64::NAN)
}

/// Connections of the abuse run.
const ABUSERS: usize = 64;
/// What each announces.
const ANNOUNCED: usize = 16 * 1024 * 1024;

/// Anonymous slow and large bodies against `port` on 127.0.0.1 until `stop`; returns how many
/// connections were made.
fn abuse(port: u16, pem: &[u8], stop: &Arc<AtomicBool>) -> Vec<std::thread::JoinHandle<u64>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut &pem[..]) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    );
    (0..ABUSERS)
        .map(|i| {
            let (config, stop) = (config.clone(), stop.clone());
            std::thread::spawn(move || {
                let slow = i % 2 == 1;
                let connections = AtomicU64::new(0);
                let chunk = vec![b' '; 64 * 1024];
                while !stop.load(Ordering::Relaxed) {
                    connections.fetch_add(1, Ordering::Relaxed);
                    let Ok(tcp) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    let _ = tcp.set_write_timeout(Some(Duration::from_secs(5)));
                    let conn = rustls::ClientConnection::new(
                        config.clone(),
                        "localhost".try_into().unwrap(),
                    )
                    .unwrap();
                    let mut tls = rustls::StreamOwned::new(conn, tcp);
                    let head = format!(
                        "POST /api/v1/sync/push HTTP/1.1\r\nHost: localhost\r\n\
                         Content-Type: application/json\r\nContent-Length: {ANNOUNCED}\r\n\r\n"
                    );
                    let mut ok = tls.write_all(head.as_bytes()).is_ok();
                    let mut sent = 0;
                    while ok && sent < ANNOUNCED && !stop.load(Ordering::Relaxed) {
                        if slow {
                            ok = tls.write_all(b" ").and_then(|()| tls.flush()).is_ok();
                            sent += 1;
                            std::thread::sleep(Duration::from_secs(1));
                        } else {
                            ok = tls.write_all(&chunk).is_ok();
                            sent += chunk.len();
                        }
                    }
                    drop(tls);
                    std::thread::sleep(Duration::from_millis(100));
                }
                connections.load(Ordering::Relaxed)
            })
        })
        .collect()
}

fn main() -> anyhow::Result<()> {
    let args = args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir()?;
    let (dist, with_static) = match root.join("dist").canonicalize() {
        Ok(dist) => (dist, true),
        Err(_) => {
            let stand_in = dir.path().join("app");
            std::fs::create_dir_all(stand_in.join("assets"))?;
            std::fs::write(
                stand_in.join("index.html"),
                "<!doctype html><title>Zorgvuldig</title>",
            )?;
            std::fs::write(stand_in.join("assets/app-0123abcd.js"), "console.log(1);\n")?;
            println!("no dist/ (run `cargo xtask dist`): static comparison left out");
            (stand_in, false)
        }
    };
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
    let (relay, base) = start_relay(&dist, &dir.path().join("data"))?;
    let nginx_dir = dir.path().join("nginx");
    std::fs::create_dir_all(&nginx_dir)?;
    let nginx = if with_static {
        Some(start_nginx(
            &dist,
            &dir.path().join("data/tls"),
            &nginx_dir,
        )?)
    } else {
        None
    };

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

    let statics = match &nginx {
        Some((_, nginx_base)) => Some((
            wrk(&args, &format!("{base}/assets/{asset}"), &gzip)?,
            wrk(&args, &format!("{nginx_base}/assets/{asset}"), &gzip)?,
        )),
        None => None,
    };
    let pull_url = format!("{base}/api/v1/sync/pull?since=0&limit=100");
    let pull = wrk(&args, &pull_url, &["-H", &auth])?;
    let push = wrk(&args, &base, &["-s", script.to_str().context("path")?])?;
    let rss = peak_rss_mb(relay.0.id());

    // The same pull load with the abuse next to it.
    let port: u16 = base.rsplit(':').next().context("port")?.parse()?;
    let stop = Arc::new(AtomicBool::new(false));
    let relay_pid = relay.0.id().to_string();
    let (relay_cpu, own_cpu) = (cpu_secs(&relay_pid), cpu_secs("self"));
    let abusers = abuse(port, &pem, &stop);
    let started = Instant::now();
    let sampler = {
        let (stop, pid) = (stop.clone(), relay.0.id());
        std::thread::spawn(move || {
            let mut most = 0f64;
            while !stop.load(Ordering::Relaxed) {
                most = most.max(rss_mb(pid));
                std::thread::sleep(Duration::from_millis(200));
            }
            most
        })
    };
    // Let the abusers connect before measuring.
    std::thread::sleep(Duration::from_secs(2));
    let pull_abused = wrk(&args, &pull_url, &["-H", &auth])?;
    stop.store(true, Ordering::Relaxed);
    let abuse_connections: u64 = abusers.into_iter().map(|t| t.join().unwrap_or(0)).sum();
    let abuse_rss = sampler.join().unwrap_or(f64::NAN);
    let abuse_secs = started.elapsed().as_secs_f64();
    let relay_cpu = cpu_secs(&relay_pid) - relay_cpu;
    let abuser_cpu = cpu_secs("self") - own_cpu;
    let rss_after = rss_mb(relay.0.id());

    println!(
        "relay load, {} connections, {} s each, wrk 2 threads, asset {asset} (gzip)",
        args.connections, args.seconds
    );
    println!("| what | requests/s | p99 latency | errors |");
    println!("| --- | --- | --- | --- |");
    let mut rows = Vec::new();
    if let Some((relay_static, nginx_static)) = &statics {
        rows.push(("static asset, relay", relay_static));
        rows.push(("static asset, nginx", nginx_static));
    }
    rows.push(("sync pull (100 × 1 KiB)", &pull));
    rows.push(("sync push (1 × 1 KiB, new entry)", &push));
    rows.push(("sync pull under abuse", &pull_abused));
    for (name, f) in rows {
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
    if let Some((relay_static, nginx_static)) = &statics {
        println!(
            "relay / nginx static throughput: {:.2} (target ≥ 0.83, i.e. within 1.2×)",
            relay_static.rps / nginx_static.rps
        );
    }
    println!("relay peak resident memory before the abuse: {rss:.1} MB (target < 50 MB)");
    println!(
        "abuse: {ABUSERS} anonymous connections (half 16 MiB fast, half a byte a second), \
         {abuse_connections} connections in {abuse_secs:.0} s; CPU meanwhile: relay \
         {relay_cpu:.1} s, abusing clients {abuser_cpu:.1} s (of {:.0} s on this machine's cores)",
        abuse_secs * std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
    );
    println!(
        "relay resident memory under abuse: at most {abuse_rss:.1} MB, {rss_after:.1} MB after \
         (target < 100 MB)"
    );
    println!(
        "sync pull p99 under abuse / without: {:.2} (target ≤ 2)",
        pull_abused.p99_ms / pull.p99_ms
    );
    Ok(())
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
