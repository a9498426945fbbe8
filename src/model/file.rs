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
use crate::open::Opened;

/// First bytes of every model file.
pub const MAGIC: &[u8; 8] = b"THEMATIC";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 8 + 32;
/// Largest payload a model file may declare. The default model is a few MB; a 60,000-term
/// vocabulary with 100 themes stays far below this. A larger claim is damage, not a model.
const MAX_PAYLOAD: u64 = 1 << 31;

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

/// Reads a model file, checking before reading the payload that it is a regular file (a FIFO
/// or device is refused, never waited on) whose header declares exactly the bytes the file
/// holds: a huge, sparse or endless file costs a header read, not its size in memory.
/// `Err(Ok(message))` is a file that is not a usable model; `Err(Err(io))` a read failure.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, Result<String, std::io::Error>> {
    use std::io::Read;
    let (mut file, metadata) = match crate::open::open_to_read(path).map_err(Err)? {
        Opened::File(file, metadata) => (file, metadata),
        Opened::Directory => return Err(Ok("it is a directory".into())),
        Opened::Special => {
            return Err(Ok(
                "it is not a regular file (a FIFO, device or socket)".into()
            ))
        }
    };
    let size = metadata.len();
    let mut header = Vec::with_capacity(HEADER_LEN);
    (&mut file)
        .take(HEADER_LEN as u64)
        .read_to_end(&mut header)
        .map_err(Err)?;
    check_header(&header).map_err(Ok)?;
    let declared = declared_len(&header);
    if declared > MAX_PAYLOAD {
        return Err(Ok(format!(
            "header declares {declared} payload bytes, more than a model can have ({MAX_PAYLOAD})"
        )));
    }
    if declared != size - HEADER_LEN as u64 {
        return Err(Ok(format!(
            "header declares {declared} payload bytes but the file has {} (truncated or damaged)",
            size - HEADER_LEN as u64
        )));
    }
    let mut bytes = header;
    bytes.reserve_exact(declared as usize);
    // One byte more than declared, so a file that grew while being read is caught by decode.
    (&mut file)
        .take(declared + 1)
        .read_to_end(&mut bytes)
        .map_err(Err)?;
    Ok(bytes)
}

/// Checks magic, header length and format version.
fn check_header(bytes: &[u8]) -> Result<(), String> {
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
    Ok(())
}

/// The payload length a checked header declares.
fn declared_len(header: &[u8]) -> u64 {
    u64::from_le_bytes(header[12..20].try_into().expect("8 bytes"))
}

pub(crate) fn decode(bytes: &[u8]) -> Result<ModelData, String> {
    check_header(bytes)?;
    let declared = declared_len(bytes);
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

/// Name prefix and suffix of the temporary file a model is written to before its rename.
const TEMP_PREFIX: &str = ".thematic-model-";
const TEMP_SUFFIX: &str = ".tmp";

/// Age past which another run's temporary model file, if no process holds its lock, is a
/// leftover of a run killed while writing (a write takes seconds, not an hour).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed and
/// synced, then renamed over `path`. A failure at any point leaves `path` as it was and removes
/// the temporary file. On Linux the temporary file is held under an exclusive advisory lock
/// while it is written, and the leftovers of killed runs are removed first (see
/// [`remove_stale_temp_files`]).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    // Ours is locked before the others are looked at, so no other run takes it for stale; on a
    // file system without locks nothing is cleaned (a lock is the only proof of a live writer).
    #[cfg(target_os = "linux")]
    if rustix::fs::flock(
        temp.as_file(),
        rustix::fs::FlockOperation::NonBlockingLockExclusive,
    )
    .is_ok()
    {
        remove_stale_temp_files(dir, temp.path());
    }
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

/// Removes, from `dir`, temporary model files (`.thematic-model-*.tmp`) other than `own` that
/// are regular files last modified more than [`STALE_AFTER`] ago and whose exclusive lock can
/// be taken: a run still writing one holds its lock, so only leftovers of killed runs go. Best
/// effort: whatever cannot be read, locked or removed is left.
#[cfg(target_os = "linux")]
fn remove_stale_temp_files(dir: &Path, own: &Path) {
    use rustix::fs::{flock, FlockOperation, Mode, OFlags};
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let path = entry.path();
        if !name.starts_with(TEMP_PREFIX) || !name.ends_with(TEMP_SUFFIX) || path == own {
            continue;
        }
        let Ok(before) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let old = before
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if !before.file_type().is_file() || !old {
            continue;
        }
        // Never follow a link, never wait on anything: a FIFO or device named like a temp
        // file is not opened at all (checked above), and one swapped in is not waited on.
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let Ok(fd) = rustix::fs::open(&path, flags, Mode::empty()) else {
            continue;
        };
        if flock(&fd, FlockOperation::NonBlockingLockExclusive).is_err() {
            continue; // a run is writing it
        }
        let Ok(opened) = rustix::fs::fstat(&fd) else {
            continue;
        };
        // Remove the file that was locked, not one renamed into its place meanwhile.
        if opened.st_dev == before.dev() && opened.st_ino == before.ino() {
            let _ = std::fs::remove_file(&path);
        }
    }
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
