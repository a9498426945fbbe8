//! Reading documents to classify: [`collect_files`] walks paths, [`read_text_file`] reads one
//! file as text, skipping binaries and decoding invalid UTF-8 lossily.

use std::fs::File;
use std::io::Read;
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

/// Reads the file at `path` as text (see [`decode`]).
///
/// # Errors
/// [`Error::Io`] naming the file if it cannot be opened or read.
pub fn read_text_file(path: &Path) -> Result<FileText> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, e))?;
    Ok(decode(&path.display().to_string(), bytes))
}

/// Reads all of standard input as one document.
///
/// # Errors
/// [`Error::Io`] if standard input cannot be read.
pub fn read_stdin() -> Result<FileText> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("-", e))?;
    Ok(decode("-", bytes))
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
    for (input, path) in paths.iter().enumerate() {
        if path.as_os_str() == "-" {
            entries.push(Entry::File(path.clone(), input));
            continue;
        }
        let metadata = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                entries.push(Entry::Failed(Error::io(path, e)));
                continue;
            }
        };
        if !metadata.is_dir() {
            if metadata.is_file() {
                entries.push(Entry::File(path.clone(), input));
            } else {
                entries.push(Entry::Skipped(
                    path.clone(),
                    "not a regular file (FIFO, socket or device), skipped".into(),
                ));
            }
            continue;
        }
        let before = entries.len();
        let mut files = 0usize;
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for item in walker {
            match item {
                Ok(e) if e.file_type().is_file() => {
                    files += 1;
                    entries.push(Entry::File(e.into_path(), input));
                }
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => entries.push(Entry::Skipped(
                    e.into_path(),
                    "not a regular file (FIFO, socket or device), skipped".into(),
                )),
                Err(e) => {
                    let at = e.path().unwrap_or(path).to_path_buf();
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop, skipped".to_string()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    };
                    entries.push(Entry::Skipped(at, reason));
                }
            }
        }
        if files == 0 {
            entries.truncate(before);
            entries.push(Entry::Failed(Error::NoText {
                path: path.clone(),
                message: "directory holds no files to classify".into(),
            }));
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

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
