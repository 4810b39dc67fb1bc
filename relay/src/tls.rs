//! TLS: the configured certificate, or a self-signed one for localhost generated on first start.
//!
//! The generated certificate is a proper server certificate: valid [`GENERATED_VALIDITY_DAYS`]
//! days (the most browsers accept), subject `CN=localhost, O=Zorgvuldig relay`, `basicConstraints
//! CA:false`, `keyUsage digitalSignature`, `extendedKeyUsage serverAuth`, and the names
//! localhost, 127.0.0.1 and ::1. At start a generated certificate with fewer than
//! [`RENEW_DAYS_BEFORE_EXPIRY`] days left, or one made by an earlier version (valid longer than
//! that), is replaced; the binary prints the new fingerprint.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

use crate::Settings;

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A certificate or key file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The PEM file holds no usable certificate or key.
    #[error("{path}: {what}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// What is missing or malformed.
        what: String,
    },
    /// Generating the self-signed certificate failed.
    #[error("cannot generate a certificate: {0}")]
    Generate(String),
    /// rustls refused the certificate and key (for example, they do not match).
    #[error("certificate and key are not usable together: {0}")]
    Rustls(#[from] rustls::Error),
}

/// Days a generated certificate is valid.
pub const GENERATED_VALIDITY_DAYS: u64 = 397;
/// A generated certificate with fewer days left is replaced at start.
pub const RENEW_DAYS_BEFORE_EXPIRY: u64 = 30;

/// A server configuration with facts about its certificate.
#[derive(Debug)]
pub struct TlsMaterial {
    /// The rustls server configuration.
    pub config: ServerConfig,
    /// SHA-256 of the leaf certificate (DER), as colon-separated uppercase hex.
    pub fingerprint: String,
    /// The leaf certificate as PEM.
    pub certificate_pem: String,
    /// Whether it was generated now.
    pub generated: bool,
}

/// Loads the configured certificate and key, or the generated pair in `data_dir/tls/`,
/// generating it first if absent.
///
/// # Errors
/// [`TlsError`] naming the file at fault.
pub fn load_or_generate(settings: &Settings) -> Result<TlsMaterial, TlsError> {
    let (cert_path, key_path, generated) = match (&settings.tls_cert, &settings.tls_key) {
        (Some(cert), Some(key)) => (cert.clone(), key.clone(), false),
        _ => {
            let dir = settings.data_dir.join("tls");
            let cert = dir.join("cert.pem");
            let key = dir.join("key.pem");
            let generated = !cert.exists() || !key.exists() || needs_renewal(&cert);
            if generated {
                generate(&dir, &cert, &key)?;
            }
            (cert, key, generated)
        }
    };
    let certs = read_certs(&cert_path)?;
    let key = read_key(&key_path)?;
    let leaf = certs.first().cloned().ok_or_else(|| TlsError::Pem {
        path: cert_path.clone(),
        what: "no certificate found".into(),
    })?;
    let fingerprint = fingerprint(&leaf);
    let certificate_pem = pem_of(&leaf);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsMaterial {
        config,
        fingerprint,
        certificate_pem,
        generated,
    })
}

/// Whether the generated certificate at `path` must be replaced: unreadable, expiring within
/// [`RENEW_DAYS_BEFORE_EXPIRY`] days, or made by an earlier version (valid far longer, without
/// the constraints).
fn needs_renewal(path: &Path) -> bool {
    let Ok(Some(leaf)) = read_certs(path).map(|c| c.into_iter().next()) else {
        return true;
    };
    let Some((not_before, not_after)) = validity(&leaf) else {
        return true;
    };
    let now = crate::sync_api::now();
    let renew = not_after.saturating_sub(RENEW_DAYS_BEFORE_EXPIRY * 86_400) <= now
        || not_after.saturating_sub(not_before) > (GENERATED_VALIDITY_DAYS + 1) * 86_400;
    if renew {
        log::warn!("the generated certificate expires soon or predates this version: renewing it");
    }
    renew
}

fn generate(dir: &Path, cert_path: &Path, key_path: &Path) -> Result<(), TlsError> {
    use rcgen::{
        CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| TlsError::Io { path, source }
    };
    let failed = |e: rcgen::Error| TlsError::Generate(e.to_string());
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    let names = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    let mut params = CertificateParams::new(names).map_err(failed)?;
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CommonName, "localhost");
    subject.push(DnType::OrganizationName, "Zorgvuldig relay");
    params.distinguished_name = subject;
    params.is_ca = IsCa::ExplicitNoCa;
    // The key is ECDSA P-256: it signs the handshake and never encrypts a key, so
    // keyEncipherment (an RSA key-transport use) does not apply.
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let now = crate::sync_api::now();
    // A day of slack for clocks behind ours.
    let (y, m, d) = day_of(now.saturating_sub(86_400));
    params.not_before = rcgen::date_time_ymd(y, m, d);
    let (y, m, d) = day_of(now + GENERATED_VALIDITY_DAYS * 86_400);
    params.not_after = rcgen::date_time_ymd(y, m, d);
    let key = KeyPair::generate().map_err(failed)?;
    let cert = params.self_signed(&key).map_err(failed)?;
    write_private(key_path, key.serialize_pem().as_bytes()).map_err(io(key_path))?;
    std::fs::write(cert_path, cert.pem()).map_err(io(cert_path))?;
    Ok(())
}

/// Year, month and day (UTC) of `unix` seconds.
fn day_of(unix: u64) -> (i32, u8, u8) {
    civil_from_days(i64::try_from(unix / 86_400).unwrap_or(i64::MAX))
}

/// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One DER element: tag, contents, and what follows it.
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// An X.509 time (UTCTime or GeneralizedTime, `…Z`) in Unix seconds.
fn x509_time(tag: u8, bytes: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(bytes).ok()?.strip_suffix('Z')?;
    let (year, rest) = match tag {
        0x17 => {
            let yy: i64 = text.get(..2)?.parse().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, text.get(2..)?)
        }
        0x18 => (text.get(..4)?.parse().ok()?, text.get(4..)?),
        _ => return None,
    };
    let field = |at: usize| -> Option<i64> { rest.get(at..at + 2)?.parse().ok() };
    let days = days_from_civil(year, field(0)?, field(2)?);
    let secs = days * 86_400 + field(4)? * 3600 + field(6)? * 60 + field(8)?;
    u64::try_from(secs).ok()
}

/// The validity of a DER certificate: `(not before, not after)` in Unix seconds.
pub fn validity(cert: &CertificateDer<'_>) -> Option<(u64, u64)> {
    let (_, certificate, _) = der(cert.as_ref())?;
    let (_, tbs, _) = der(certificate)?;
    let (tag, _, after_version) = der(tbs)?;
    let rest = if tag == 0xa0 { after_version } else { tbs };
    let (_, _, rest) = der(rest)?; // serial number
    let (_, _, rest) = der(rest)?; // signature algorithm
    let (_, _, rest) = der(rest)?; // issuer
    let (_, validity, _) = der(rest)?;
    let (t1, not_before, rest) = der(validity)?;
    let (t2, not_after, _) = der(rest)?;
    Some((x509_time(t1, not_before)?, x509_time(t2, not_after)?))
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bytes = std::fs::read(path).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })?;
    rustls_pemfile::certs(&mut bytes.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::Pem {
            path: path.to_owned(),
            what: e.to_string(),
        })
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let bytes = std::fs::read(path).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })?;
    rustls_pemfile::private_key(&mut bytes.as_slice())
        .map_err(|e| TlsError::Pem {
            path: path.to_owned(),
            what: e.to_string(),
        })?
        .ok_or_else(|| TlsError::Pem {
            path: path.to_owned(),
            what: "no private key found".into(),
        })
}

/// SHA-256 fingerprint of a DER certificate, `AB:CD:…`.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    Sha256::digest(cert.as_ref())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn pem_of(cert: &CertificateDer<'_>) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_certificate_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        };
        let first = load_or_generate(&settings).unwrap();
        assert!(first.generated);
        let second = load_or_generate(&settings).unwrap();
        assert!(!second.generated);
        assert_eq!(first.fingerprint, second.fingerprint);
        assert_eq!(first.fingerprint.len(), 32 * 3 - 1);
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-1, 0, 59, 365 * 30 + 7, 20_793, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(
                days_from_civil(i64::from(y), i64::from(m), i64::from(d)),
                days
            );
        }
        assert_eq!(civil_from_days(20_793), (2026, 12, 6));
        assert_eq!(
            x509_time(0x17, b"261206120000Z"),
            Some(20_793 * 86_400 + 43_200)
        );
        assert_eq!(
            x509_time(0x18, b"40960101000000Z").map(|s| s > 4_000_000_000),
            Some(true)
        );
    }

    #[test]
    fn garbage_key_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        };
        load_or_generate(&settings).unwrap();
        std::fs::write(dir.path().join("tls/key.pem"), "not a key").unwrap();
        let err = load_or_generate(&settings).unwrap_err().to_string();
        assert!(
            err.contains("key.pem") && err.contains("no private key"),
            "{err}"
        );
    }
}
