//! The model file format: a fixed header, then the postcard-encoded [`ModelData`].
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"THEMATIC"
//! 8       4     format version, u32 little-endian (currently 1)
//! 12      8     payload length in bytes, u64 little-endian
//! 20      32    SHA-256 of the payload
//! 52      n     payload: postcard(ModelData), then postcard(StopListRecord)
//! ```
//! The loader checks each field before decoding, so a truncated, damaged or foreign file is a
//! clear error and a length field claiming terabytes allocates nothing.
//!
//! The stop-list record (the list's length and SHA-256) ends the payload of files written
//! since it was added; older files of the same format version end without it and load as
//! before. A model whose record differs from this build's list is refused: the stop list is
//! code, and a model trained with another list would analyse text differently from training.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::{AnalyzerConfig, Language};
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

/// Everything a model file holds but the stop-list record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ModelData {
    pub(crate) analyzer: AnalyzerRecord,
    pub(crate) tfidf: TfIdfData,
    pub(crate) scorer: Scorer,
    pub(crate) info: TrainingInfo,
}

/// The analysis settings as a model file records them: the [`AnalyzerConfig`], then the
/// vocabulary's `bigrams` (see [`crate::features::VocabularyConfig`]), where format version 1
/// put it. Serialised as `inspect` and the report show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerRecord {
    /// Stemmer language.
    pub language: Language,
    /// Whether stop words are dropped.
    pub stop_words: bool,
    /// Minimum token length in characters.
    pub min_token_chars: u32,
    /// Maximum token length in characters.
    pub max_token_chars: u32,
    /// Whether tokens without letters are kept.
    pub keep_numbers: bool,
    /// Whether bigrams of adjacent stems are terms.
    pub bigrams: bool,
}

impl AnalyzerRecord {
    /// The record of `config` with `bigrams`.
    pub(crate) fn new(config: &AnalyzerConfig, bigrams: bool) -> AnalyzerRecord {
        let AnalyzerConfig {
            language,
            stop_words,
            min_token_chars,
            max_token_chars,
            keep_numbers,
        } = config.clone();
        AnalyzerRecord {
            language,
            stop_words,
            min_token_chars,
            max_token_chars,
            keep_numbers,
            bigrams,
        }
    }

    /// The analyzer's settings.
    pub(crate) fn config(&self) -> AnalyzerConfig {
        AnalyzerConfig {
            language: self.language,
            stop_words: self.stop_words,
            min_token_chars: self.min_token_chars,
            max_token_chars: self.max_token_chars,
            keep_numbers: self.keep_numbers,
        }
    }
}

/// The stop-word list a model was trained with: how many words, and the SHA-256 of them, each
/// followed by a newline (no words: the hash of nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StopListRecord {
    words: u32,
    sha256: [u8; 32],
}

impl StopListRecord {
    pub(crate) fn of(list: &[&str]) -> StopListRecord {
        let mut hash = Sha256::new();
        for word in list {
            hash.update(word.as_bytes());
            hash.update(b"\n");
        }
        StopListRecord {
            words: list.len() as u32,
            sha256: hash.finalize().into(),
        }
    }

    /// Why a model with this record cannot be used by an analyzer whose list is `ours`, if
    /// it cannot.
    pub(crate) fn disagreement(&self, ours: &StopListRecord) -> Option<String> {
        let hex = |hash: &[u8; 32]| {
            hash[..6]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        (self != ours).then(|| {
            format!(
                "it was trained with a stop-word list of {} words (SHA-256 {}...), and this \
                 build's list has {} (SHA-256 {}...): it would analyse text differently from \
                 its training; retrain it with this build",
                self.words,
                hex(&self.sha256),
                ours.words,
                hex(&ours.sha256)
            )
        })
    }
}

/// The file's bytes: the header, then the payload of `data` and `stop_list`.
pub(crate) fn encode(data: &ModelData, stop_list: &StopListRecord) -> Vec<u8> {
    let mut payload = postcard::to_stdvec(data).expect("model data always serialises");
    payload.extend(postcard::to_stdvec(stop_list).expect("a stop-list record serialises"));
    with_header(&payload)
}

/// `payload` behind a header that declares it.
fn with_header(payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&Sha256::digest(payload));
    bytes.extend_from_slice(payload);
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

/// The model data of a file's `bytes`, and its stop-list record (`None` in files written
/// before it was added).
pub(crate) fn decode(bytes: &[u8]) -> Result<(ModelData, Option<StopListRecord>), String> {
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
    let (mut data, rest) = postcard::take_from_bytes::<ModelData>(payload)
        .map_err(|e| format!("payload does not decode: {e}"))?;
    let stop_list = if rest.is_empty() {
        None
    } else {
        let (record, rest) = postcard::take_from_bytes::<StopListRecord>(rest)
            .map_err(|e| format!("stop-list record does not decode: {e}"))?;
        if !rest.is_empty() {
            return Err(format!("{} unexpected bytes after the payload", rest.len()));
        }
        Some(record)
    };
    if data.analyzer.bigrams != data.tfidf.bigrams {
        return Err(format!(
            "the analysis settings say bigrams {} but the vocabulary says {} (damaged)",
            on_off(data.analyzer.bigrams),
            on_off(data.tfidf.bigrams)
        ));
    }
    data.info.vocabulary.bigrams = data.tfidf.bigrams;
    Ok((data, stop_list))
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClassifyOptions, Model, DEFAULT_MODEL};

    const TEXTS: [&str; 3] = [
        "The central bank raised interest rates as inflation and the budget deficit grew.",
        "Parliament passed the cybersecurity law after the attack on the ministry.",
        "The team won the final in extra time.",
    ];

    fn classified(model: &Model) -> Vec<String> {
        let options = ClassifyOptions::default();
        let mut workspace = model.workspace();
        TEXTS
            .iter()
            .map(|text| format!("{:?}", model.classify(text, &mut workspace, &options)))
            .collect()
    }

    fn load(bytes: &[u8]) -> crate::Result<Model> {
        Model::from_bytes(bytes, Path::new("test.thematic"))
    }

    /// Issue 18, item 4: files written before the stop-list record (the same format version,
    /// the payload ending after the model data) load and analyse as files with it; saved
    /// again, they gain it.
    #[test]
    fn a_model_file_without_the_stop_list_record_loads_and_classifies_as_with_it() {
        let (data, record) = decode(DEFAULT_MODEL).unwrap();
        assert_eq!(
            record,
            Some(StopListRecord::of(crate::analysis::stopwords::ENGLISH))
        );
        let old = with_header(&postcard::to_stdvec(&data).unwrap());
        assert_eq!(old.len() + 34, DEFAULT_MODEL.len());
        assert_eq!(decode(&old).unwrap().1, None);
        let (with, without) = (load(DEFAULT_MODEL).unwrap(), load(&old).unwrap());
        assert_eq!(classified(&with), classified(&without));
        assert_eq!(without.to_bytes(), DEFAULT_MODEL);
    }

    /// Issue 18, item 4: a model whose saved stop list is not this build's is refused, saying
    /// why; a record of no list agrees with an analyzer that drops none.
    #[test]
    fn a_model_trained_with_another_stop_list_is_refused() {
        let (data, _) = decode(DEFAULT_MODEL).unwrap();
        let mut edited = crate::analysis::stopwords::ENGLISH.to_vec();
        edited.push("zebra");
        for list in [&edited[..], &[]] {
            let bytes = encode(&data, &StopListRecord::of(list));
            let error = load(&bytes).unwrap_err().to_string();
            assert!(error.contains("stop-word list of"), "{error}");
            assert!(error.contains("retrain it"), "{error}");
        }
        let mut french = data.clone();
        french.analyzer.language = Language::French;
        assert!(load(&encode(&french, &StopListRecord::of(&[]))).is_ok());
        let error = load(&encode(
            &french,
            &StopListRecord::of(crate::analysis::stopwords::ENGLISH),
        ))
        .unwrap_err()
        .to_string();
        assert!(error.contains("stop-word list of 213 words"), "{error}");
    }

    /// Issue 18, item 4: `bigrams`, recorded with the analysis settings and with the TF-IDF,
    /// must agree, and sets the vocabulary settings' own.
    #[test]
    fn bigrams_recorded_twice_must_agree() {
        let (mut data, record) = decode(DEFAULT_MODEL).unwrap();
        assert!(data.info.vocabulary.bigrams);
        data.analyzer.bigrams = false;
        let error = load(&encode(&data, &record.unwrap()))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("bigrams off but the vocabulary says on"),
            "{error}"
        );
        data.tfidf.bigrams = false;
        data.info.vocabulary.bigrams = true;
        let (decoded, _) = decode(&encode(&data, &StopListRecord::of(&[]))).unwrap();
        assert!(!decoded.info.vocabulary.bigrams);
    }
}
