//! Relay settings: built-in defaults, then a TOML file, then `ZORGVULDIG_*` environment
//! variables, then command-line flags. Unknown keys are rejected in every layer.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Prefix of the environment variables read as settings.
pub const ENV_PREFIX: &str = "ZORGVULDIG_";

/// Everything the relay can be told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address and port to listen on (HTTPS only).
    pub listen: SocketAddr,
    /// Where the relay keeps its own files: the generated certificate and `relay.redb`, the store
    /// of synced ciphertext, device credentials and share links.
    pub data_dir: PathBuf,
    /// The built app (`index.html` and `assets/`).
    pub app_dir: PathBuf,
    /// PEM certificate chain; with `tls_key`. Unset: a self-signed certificate for localhost
    /// is generated in `data_dir` on first start and reused afterwards.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// `Strict-Transport-Security` max-age in seconds.
    pub hsts_max_age_secs: u64,
    /// Extra report template versions (`*.toml`), served next to the shipped ones.
    pub templates_dir: Option<PathBuf>,
    /// Speech model files (`manifest.json` and the file it names, from `cargo xtask weights`).
    pub models_dir: PathBuf,
    /// Largest request body accepted, in bytes (sync pushes, shares).
    pub max_body_bytes: usize,
    /// Seconds a request body may take to arrive in full; a slower one is cut (408).
    pub body_timeout_secs: u64,
    /// Bytes one account may keep on the relay: synced entries, tombstones (64 bytes each until
    /// compacted), pairing offers and shares.
    pub account_quota_bytes: u64,
    /// Accounts the relay holds at most; beyond it new accounts are refused (503).
    pub max_accounts: u64,
    /// New accounts an hour from one address (IPv4) or one /64 (IPv6).
    pub accounts_per_address_per_hour: u32,
    /// Days a tombstone is kept for a device that has not pulled it yet.
    pub tombstone_retention_days: u64,
    /// Seconds between sweeps of expired pairing offers and compactable tombstones.
    pub sweep_interval_secs: u64,
    /// Seconds between compactions of `relay.redb` (0: never).
    pub compact_interval_secs: u64,
    /// Requests a minute one device may make.
    pub device_requests_per_minute: u32,
    /// Requests a minute one address may make without a device token (new accounts, pairing
    /// claims, opening share links).
    pub address_requests_per_minute: u32,
    /// How long a pairing code stays valid, in seconds.
    pub pairing_ttl_secs: u64,
    /// A PostgreSQL connection string (`host=… user=… dbname=…`). Unset: the embedded store
    /// `relay.redb` in `data_dir`. Set it to run several relay instances on one database.
    pub postgres_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8443)),
            data_dir: PathBuf::from("data"),
            app_dir: PathBuf::from("dist"),
            tls_cert: None,
            tls_key: None,
            hsts_max_age_secs: 31_536_000,
            templates_dir: None,
            models_dir: PathBuf::from("models/weights"),
            max_body_bytes: 16 * 1024 * 1024,
            body_timeout_secs: 30,
            account_quota_bytes: 512 * 1024 * 1024,
            max_accounts: 10_000,
            accounts_per_address_per_hour: 20,
            tombstone_retention_days: 90,
            sweep_interval_secs: 60,
            compact_interval_secs: 6 * 3600,
            device_requests_per_minute: 600,
            address_requests_per_minute: 60,
            pairing_ttl_secs: 600,
            postgres_url: None,
        }
    }
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The settings file could not be read.
    #[error("cannot read settings file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A layer has a syntax error, an unknown key or a value of the wrong type.
    #[error("invalid settings in {origin}: {message}")]
    Invalid {
        /// Where the bad value came from: a file path, "environment" or "flags".
        origin: String,
        /// What is wrong, with the key (and for files, the line).
        message: String,
    },
    /// `tls_cert` and `tls_key` must be set together.
    #[error("tls_cert and tls_key must be set together")]
    HalfTls,
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--listen`.
    pub listen: Option<SocketAddr>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--app-dir`.
    pub app_dir: Option<PathBuf>,
    /// `--tls-cert`.
    pub tls_cert: Option<PathBuf>,
    /// `--tls-key`.
    pub tls_key: Option<PathBuf>,
}

impl Settings {
    /// Loads all layers: defaults, `file` (if any), the `ZORGVULDIG_*` variables in `env`, then
    /// `flags`.
    ///
    /// # Errors
    /// [`SettingsError`] naming the layer and the key at fault.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        flags: &Overrides,
    ) -> Result<Self, SettingsError> {
        let mut table = toml::Table::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
                path: path.to_owned(),
                source,
            })?;
            let origin = path.display().to_string();
            table = text
                .parse::<toml::Table>()
                .map_err(|e| SettingsError::Invalid {
                    origin: origin.clone(),
                    message: e.to_string(),
                })?;
            // Check the file on its own so errors name it rather than a later layer.
            check(&table, &origin)?;
        }
        let mut from_env = toml::Table::new();
        for (name, value) in env {
            if let Some(key) = name.strip_prefix(ENV_PREFIX) {
                if key == "CONFIG" || key == "LOG" {
                    continue; // read by the binary itself
                }
                from_env.insert(key.to_ascii_lowercase(), env_value(&value));
            }
        }
        check(&from_env, "environment")?;
        table.extend(from_env);
        let mut settings = check(&table, "settings")?;
        settings.apply(flags);
        if settings.tls_cert.is_some() != settings.tls_key.is_some() {
            return Err(SettingsError::HalfTls);
        }
        Ok(settings)
    }

    fn apply(&mut self, flags: &Overrides) {
        if let Some(v) = flags.listen {
            self.listen = v;
        }
        if let Some(v) = &flags.data_dir {
            self.data_dir.clone_from(v);
        }
        if let Some(v) = &flags.app_dir {
            self.app_dir.clone_from(v);
        }
        if let Some(v) = &flags.tls_cert {
            self.tls_cert = Some(v.clone());
        }
        if let Some(v) = &flags.tls_key {
            self.tls_key = Some(v.clone());
        }
    }
}

fn check(table: &toml::Table, origin: &str) -> Result<Settings, SettingsError> {
    Settings::deserialize(table.clone()).map_err(|e| SettingsError::Invalid {
        origin: origin.to_owned(),
        message: e.to_string(),
    })
}

/// Environment values are text; numbers and booleans are recognised so that
/// `ZORGVULDIG_HSTS_MAX_AGE_SECS=60` works.
fn env_value(value: &str) -> toml::Value {
    if let Ok(n) = value.parse::<i64>() {
        toml::Value::Integer(n)
    } else if let Ok(b) = value.parse::<bool>() {
        toml::Value::Boolean(b)
    } else {
        toml::Value::String(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_without_layers() {
        let s = Settings::load(None, env(&[]), &Overrides::default()).unwrap();
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn layers_override_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("relay.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\nhsts_max_age_secs = 10\n",
        )
        .unwrap();
        let s = Settings::load(
            Some(&file),
            env(&[
                ("ZORGVULDIG_HSTS_MAX_AGE_SECS", "20"),
                ("ZORGVULDIG_APP_DIR", "/srv/app"),
                ("PATH", "/bin"),
            ]),
            &Overrides {
                app_dir: Some("/flag/app".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(s.listen, "127.0.0.1:9000".parse().unwrap());
        assert_eq!(s.hsts_max_age_secs, 20);
        assert_eq!(s.app_dir, PathBuf::from("/flag/app"));
    }

    #[test]
    fn unknown_key_in_file_names_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("relay.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\nport = 80\n").unwrap();
        let err = Settings::load(Some(&file), env(&[]), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("relay.toml"), "{err}");
        assert!(err.contains("unknown field `port`"), "{err}");
    }

    #[test]
    fn unknown_environment_key_is_rejected() {
        let err = Settings::load(
            None,
            env(&[("ZORGVULDIG_PORT", "80")]),
            &Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("environment"), "{err}");
        assert!(err.contains("`port`"), "{err}");
    }

    #[test]
    fn wrong_type_and_half_tls_are_rejected() {
        let bad = Settings::load(
            None,
            env(&[("ZORGVULDIG_LISTEN", "not-an-address")]),
            &Overrides::default(),
        );
        assert!(matches!(bad, Err(SettingsError::Invalid { .. })));
        let half = Settings::load(
            None,
            env(&[("ZORGVULDIG_TLS_CERT", "/x.pem")]),
            &Overrides::default(),
        );
        assert!(matches!(half, Err(SettingsError::HalfTls)));
    }

    #[test]
    fn example_config_matches_defaults() {
        let example = concat!(env!("CARGO_MANIFEST_DIR"), "/zorgvuldig-relay.example.toml");
        let s = Settings::load(Some(Path::new(example)), env(&[]), &Overrides::default()).unwrap();
        assert_eq!(s, Settings::default());
    }
}
