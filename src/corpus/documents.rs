//! Reading documents to classify: [`collect_files`] walks paths, [`read_text_file`] reads one
//! file as text, skipping binaries and decoding invalid UTF-8 lossily.

use std::fs::File;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A text to classify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where it came from: a path, or `-` for standard input.
    pub source: String,
    /// Its text.
    pub text: String,
    /// Things worth telling the user (lossy decoding, empty file).
    pub notes: Vec<String>,
}

/// What reading a file gave.
#[derive(Debug)]
pub enum FileText {
    /// A text document.
    Text(Document),
    /// A file that is not text, skipped; the reason says why.
    Skipped(String),
}

/// Bytes inspected for NUL to call a file binary.
const SNIFF_BYTES: usize = 8 * 1024;

/// Decodes `bytes` read from `source`: binary (a NUL byte early on) is skipped, invalid UTF-8
/// is decoded lossily with a note.
pub fn decode(source: &str, bytes: Vec<u8>) -> FileText {
    if bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0) {
        return FileText::Skipped("binary file (NUL bytes), skipped".into());
    }
    let mut notes = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            notes.push("invalid UTF-8, decoded lossily".to_string());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    if text.trim().is_empty() {
        notes.push("empty file, no text to classify".to_string());
    }
    FileText::Text(Document {
        source: source.to_string(),
        text,
        notes,
    })
}

/// First buffer for a document: most files fit, so the common read is one `read` call that
/// fills part of it and one that returns 0 (reading into an empty `Vec` starts with a 32-byte
/// probe and grows by doubling: eight calls for a typical 1 KB news file).
const FIRST_READ: u64 = 16 * 1024;

/// Reads at most `max_bytes` of `reader`; says whether more was left unread. Memory is
/// bounded by `max_bytes` whatever the input's size (a multi-GB file, an endless pipe).
fn read_limited(mut reader: impl Read, max_bytes: u64) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::with_capacity(FIRST_READ.min(max_bytes) as usize);
    reader.by_ref().take(max_bytes).read_to_end(&mut bytes)?;
    // Only a read that stopped at the limit may have left something behind.
    let more = bytes.len() as u64 == max_bytes && reader.read(&mut [0u8; 1])? > 0;
    if more {
        // Do not leave half a UTF-8 character at the cut.
        if let Err(e) = std::str::from_utf8(&bytes) {
            if e.error_len().is_none() {
                bytes.truncate(e.valid_up_to());
            }
        }
    }
    Ok((bytes, more))
}

fn read_document(source: &str, reader: impl Read, max_bytes: u64) -> std::io::Result<FileText> {
    let (bytes, truncated) = read_limited(reader, max_bytes)?;
    let mut text = decode(source, bytes);
    if let (FileText::Text(doc), true) = (&mut text, truncated) {
        doc.notes.push(format!(
            "larger than the {max_bytes}-byte limit (--max-bytes): classified its first {max_bytes} bytes"
        ));
    }
    Ok(text)
}

/// Reads the file at `path` as text (see [`decode`]), at most `max_bytes` of it (a note says
/// when the rest was left unread).
///
/// # Errors
/// [`Error::Io`] naming the file if it cannot be opened or read.
pub fn read_text_file(path: &Path, max_bytes: u64) -> Result<FileText> {
    open_for_reading(path)
        .and_then(|f| read_document(&path.display().to_string(), f, max_bytes))
        .map_err(|e| Error::io(path, e))
}

/// Opens `path` to read it without updating its access time where the system allows (Linux,
/// files the user owns): reading a directory of small files is mostly system calls, and the
/// access-time check and update are a part of each `open`. Elsewhere, a plain open.
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_atime = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOATIME)
            .open(path);
        // O_NOATIME is refused (EPERM) on files of other users.
        match no_atime {
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
            opened => return opened,
        }
    }
    File::open(path)
}

/// Reads standard input as one document, at most `max_bytes` of it.
///
/// # Errors
/// [`Error::Io`] if standard input cannot be read.
pub fn read_stdin(max_bytes: u64) -> Result<FileText> {
    read_document("-", std::io::stdin().lock(), max_bytes).map_err(|e| Error::io("-", e))
}

/// One input path after walking: a file to read, or a problem with a path.
#[derive(Debug)]
pub enum Entry {
    /// A regular file (or `-`), with the index of the input path it came from.
    File(PathBuf, usize),
    /// Something that stops this path, but not the others.
    Failed(Error),
    /// Something skipped, with the reason (special files, symlink loops, hidden files).
    Skipped(PathBuf, String),
}

/// Expands `paths` into files, in order: a file stays itself, a directory gives its regular
/// files recursively in name order (hidden entries skipped, symlinks followed, loops
/// reported), `-` stays standard input. A missing path or a directory with no file is a
/// [`Entry::Failed`].
pub fn collect_files(paths: &[PathBuf]) -> Vec<Entry> {
    let mut entries = Vec::new();
    walk_files(paths, |entry| {
        entries.push(entry);
        ControlFlow::Continue(())
    });
    entries
}

/// [`collect_files`], handing each entry to `emit` as the walk finds it, so reading can start
/// before a large tree is walked. A directory's notes are held back until its first file is
/// found: a directory with no file gives one [`Entry::Failed`] instead. The walk stops early
/// when `emit` breaks.
pub fn walk_files(paths: &[PathBuf], mut emit: impl FnMut(Entry) -> ControlFlow<()>) {
    for (input, path) in paths.iter().enumerate() {
        if path.as_os_str() == "-" {
            if emit(Entry::File(path.clone(), input)).is_break() {
                return;
            }
            continue;
        }
        let entry = match std::fs::metadata(path) {
            Err(e) => Some(Entry::Failed(Error::io(path, e))),
            Ok(m) if m.is_dir() => None,
            Ok(m) if m.is_file() => Some(Entry::File(path.clone(), input)),
            Ok(_) => Some(Entry::Skipped(
                path.clone(),
                "not a regular file (FIFO, socket or device), skipped".into(),
            )),
        };
        if let Some(entry) = entry {
            if emit(entry).is_break() {
                return;
            }
            continue;
        }
        // Entries before the directory's first file, held back (see above).
        let mut pending = Some(Vec::new());
        let mut found = |entry: Entry, emit: &mut dyn FnMut(Entry) -> ControlFlow<()>| {
            let is_file = matches!(entry, Entry::File(..));
            match &mut pending {
                Some(held) if !is_file => {
                    held.push(entry);
                    ControlFlow::Continue(())
                }
                Some(held) => {
                    for entry in held.drain(..) {
                        emit(entry)?;
                    }
                    pending = None;
                    emit(entry)
                }
                None => emit(entry),
            }
        };
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by(|a, b| file_name(a.path()).cmp(file_name(b.path())))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for item in walker {
            let entry = match item {
                Ok(e) if e.file_type().is_file() => Entry::File(e.into_path(), input),
                Ok(e) if e.file_type().is_dir() => continue,
                Ok(e) => Entry::Skipped(
                    e.into_path(),
                    "not a regular file (FIFO, socket or device), skipped".into(),
                ),
                Err(e) => {
                    let at = e.path().unwrap_or(path).to_path_buf();
                    if e.loop_ancestor().is_some() {
                        Entry::Skipped(at, "symbolic link loop, skipped".into())
                    } else {
                        // An unreadable subdirectory is a failed input, like an unreadable file.
                        let message = e.to_string();
                        Entry::Failed(match e.into_io_error() {
                            Some(io) => Error::io(at, io),
                            None => Error::NoText { path: at, message },
                        })
                    }
                }
            };
            if found(entry, &mut emit).is_break() {
                return;
            }
        }
        if pending.is_some() {
            let failed = Entry::Failed(Error::NoText {
                path: path.clone(),
                message: "directory holds no files to classify".into(),
            });
            if emit(failed).is_break() {
                return;
            }
        }
    }
}

/// The last component of a walked path, as `Path::file_name` gives it, but found by looking
/// for the last separator rather than parsing components (the walk sorts every directory by
/// it: a 1,000-file directory makes about 10,000 comparisons).
fn file_name(path: &Path) -> &[u8] {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        match memchr::memrchr(b'/', bytes) {
            Some(at) => &bytes[at + 1..],
            None => bytes,
        }
    }
    #[cfg(not(unix))]
    {
        path.file_name()
            .unwrap_or(path.as_os_str())
            .as_encoded_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_at_the_limit_on_a_character_boundary() {
        let text = "ab\u{e9}cd".as_bytes(); // é is two bytes
        let (bytes, more) = read_limited(text, 3).unwrap();
        assert_eq!((bytes.as_slice(), more), (&b"ab"[..], true));
        let (bytes, more) = read_limited(text, 100).unwrap();
        assert_eq!((bytes.as_slice(), more), (text, false));
        match read_document("x", text, 4).unwrap() {
            FileText::Text(d) => {
                assert_eq!(d.text, "ab\u{e9}");
                assert!(d.notes[0].contains("4-byte limit"), "{:?}", d.notes);
            }
            FileText::Skipped(r) => panic!("skipped: {r}"),
        }
    }

    #[test]
    fn binary_is_skipped_and_invalid_utf8_noted() {
        assert!(matches!(
            decode("a", b"ab\0cd".to_vec()),
            FileText::Skipped(_)
        ));
        match decode("b", b"caf\xe9 news".to_vec()) {
            FileText::Text(d) => {
                assert_eq!(d.text, "caf\u{fffd} news");
                assert_eq!(d.notes, ["invalid UTF-8, decoded lossily"]);
            }
            FileText::Skipped(r) => panic!("skipped: {r}"),
        }
        match decode("c", b"  \n".to_vec()) {
            FileText::Text(d) => assert_eq!(d.notes.len(), 1),
            FileText::Skipped(r) => panic!("skipped: {r}"),
        }
    }
}
