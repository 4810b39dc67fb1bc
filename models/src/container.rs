//! The model file container: a small checked header around a GGUF payload.
//!
//! Layout: magic `ZVSM`, u32 format version (1), 32-byte SHA-256 of the payload, u64 payload
//! length, payload. The length and the digest are checked before the payload is parsed, so a
//! truncated download or a flipped byte is reported as such and never reaches the tensor parser.

use sha2::{Digest, Sha256};

use crate::error::{ModelError, Result};

const MAGIC: &[u8; 4] = b"ZVSM";
const VERSION: u32 = 1;
const HEADER_LEN: usize = 4 + 4 + 32 + 8;

/// Wraps a GGUF payload in the checked container.
pub fn seal(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&Sha256::digest(payload));
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Checks the container and returns the payload.
pub fn open(bytes: &[u8]) -> Result<&[u8]> {
    if bytes.len() < HEADER_LEN {
        return Err(ModelError::Truncated(format!(
            "{} bytes, shorter than the {HEADER_LEN}-byte header",
            bytes.len()
        )));
    }
    if &bytes[..4] != MAGIC {
        return Err(ModelError::Invalid(
            "the file does not start with the ZVSM signature".into(),
        ));
    }
    let version = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if version != VERSION {
        return Err(ModelError::Invalid(format!(
            "container version {version}, this build reads version {VERSION}"
        )));
    }
    let digest = &bytes[8..40];
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[40..48]);
    let declared = u64::from_le_bytes(len_bytes);
    let payload = &bytes[HEADER_LEN..];
    if (payload.len() as u64) < declared {
        return Err(ModelError::Truncated(format!(
            "payload has {} of {declared} bytes",
            payload.len()
        )));
    }
    if payload.len() as u64 != declared {
        return Err(ModelError::Invalid(format!(
            "payload has {} bytes, header says {declared}",
            payload.len()
        )));
    }
    if Sha256::digest(payload).as_slice() != digest {
        return Err(ModelError::Invalid(
            "SHA-256 of the payload does not match the header (corrupted file)".into(),
        ));
    }
    Ok(payload)
}
