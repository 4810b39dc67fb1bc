//! `zorgvuldig-relay`: serves the Zorgvuldig app over HTTPS.

use std::net::TcpListener;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use relay::settings::Overrides;
use relay::{Settings, run};

/// Serves the Zorgvuldig app over HTTPS. Settings: defaults < --config file < ZORGVULDIG_*
/// environment variables < these flags.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// TOML settings file (see relay/zorgvuldig-relay.example.toml).
    #[arg(long, env = "ZORGVULDIG_CONFIG")]
    config: Option<PathBuf>,
    /// Address and port to listen on, e.g. 127.0.0.1:8443.
    #[arg(long)]
    listen: Option<std::net::SocketAddr>,
    /// Directory for the relay's own files.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Directory of the built app.
    #[arg(long)]
    app_dir: Option<PathBuf>,
    /// PEM certificate chain (with --tls-key).
    #[arg(long)]
    tls_cert: Option<PathBuf>,
    /// PEM private key (with --tls-cert).
    #[arg(long)]
    tls_key: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let logger =
        env_logger::Builder::from_env(env_logger::Env::new().filter_or("ZORGVULDIG_LOG", "info"))
            .build();
    let max_level = logger.filter();
    // Malformed requests are logged at most once a minute (see `relay::logging`).
    log::set_boxed_logger(Box::new(relay::logging::Quiet::new(logger)))?;
    log::set_max_level(max_level);
    let cli = Cli::parse();
    let flags = Overrides {
        listen: cli.listen,
        data_dir: cli.data_dir,
        app_dir: cli.app_dir,
        tls_cert: cli.tls_cert,
        tls_key: cli.tls_key,
    };
    let settings = Settings::load(cli.config.as_deref(), std::env::vars(), &flags)?;
    let listener = TcpListener::bind(settings.listen)
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    actix_rt::System::new().block_on(async move {
        let running = run(&settings, listener)?;
        if running.generated_certificate {
            println!(
                "Generated a self-signed certificate in {}",
                settings.data_dir.join("tls").display()
            );
        }
        println!("Certificate SHA-256 fingerprint: {}", running.fingerprint);
        println!("Zorgvuldig is served at https://localhost:{}/", addr.port());
        running.server.await.context("server stopped with an error")
    })
}
