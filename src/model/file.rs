//! The model file format: a fixed header, then the postcard-encoded [`ModelData`].
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"THEMATIC"
//! 8       4     format version, u32 little-endian (currently 1)
//! 12      8     payload length in bytes, u64 little-endian
//! 20      32    SHA-256 of the payload
//! 52      n     payload: postcard(ModelData)
//! ```
//! The loader checks each field before decoding, so a truncated, damaged or foreign file is a
//! clear error and a length field claiming terabytes allocates nothing.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::AnalyzerConfig;
use crate::features::TfIdfData;
use crate::model::{Scorer, TrainingInfo};

/// First bytes of every model file.
pub const MAGIC: &[u8; 8] = b"THEMATIC";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 8 + 32;

/// Everything a model file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ModelData {
    pub(crate) analyzer: AnalyzerConfig,
    pub(crate) tfidf: TfIdfData,
    pub(crate) scorer: Scorer,
    pub(crate) info: TrainingInfo,
}

pub(crate) fn encode(data: &ModelData) -> Vec<u8> {
    let payload = postcard::to_stdvec(data).expect("model data always serialises");
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&Sha256::digest(&payload));
    bytes.extend_from_slice(&payload);
    bytes
}

pub(crate) fn decode(bytes: &[u8]) -> Result<ModelData, String> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err("it does not start with the thematic model signature".into());
    }
    if bytes.len() < HEADER_LEN {
        return Err(format!(
            "truncated header ({} of {HEADER_LEN} bytes)",
            bytes.len()
        ));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(format!(
            "format version {version} is not supported (this build reads version {FORMAT_VERSION})"
        ));
    }
    let declared = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let payload = &bytes[HEADER_LEN..];
    if declared != payload.len() as u64 {
        return Err(format!(
            "header declares {declared} payload bytes but the file has {} (truncated or damaged)",
            payload.len()
        ));
    }
    if Sha256::digest(payload).as_slice() != &bytes[20..52] {
        return Err("checksum mismatch (the file is damaged)".into());
    }
    let (data, rest) = postcard::take_from_bytes::<ModelData>(payload)
        .map_err(|e| format!("payload does not decode: {e}"))?;
    if !rest.is_empty() {
        return Err(format!("{} unexpected bytes after the payload", rest.len()));
    }
    Ok(data)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed and
/// synced, then renamed over `path`. A failure at any point leaves `path` as it was and removes
/// the temporary file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".thematic-model-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    // The temp file is created private (0600); give the model the permissions of the file it
    // replaces, or the usual 0644 for a new one.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(temp.as_file())?,
    };
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = file.metadata()?.permissions();
    permissions.set_mode(0o644);
    Ok(permissions)
}

#[cfg(not(unix))]
fn default_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}
