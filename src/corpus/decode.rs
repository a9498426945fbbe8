//! Decoding documents: [`decode`] turns bytes read from a source into a [`Document`] (or
//! skips a binary), and `read_document` reads at most a byte limit of a stream and decodes it.

use std::io::Read;
use std::path::Path;

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
    if memchr::memchr(0, &bytes[..bytes.len().min(SNIFF_BYTES)]).is_some() {
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
pub(super) const FIRST_READ: u64 = 16 * 1024;

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

pub(super) fn read_document(
    source: &str,
    reader: impl Read,
    max_bytes: u64,
) -> std::io::Result<FileText> {
    let (bytes, truncated) = read_limited(reader, max_bytes)?;
    let mut text = decode(source, bytes);
    if let (FileText::Text(doc), true) = (&mut text, truncated) {
        doc.notes.push(format!(
            "larger than the {max_bytes}-byte limit (--max-bytes): classified its first {max_bytes} bytes"
        ));
    }
    Ok(text)
}

/// How a document read from `path` names its source ([`Document::source`]): the path as
/// text (lossily, if it is not UTF-8). Borrowed where it can be.
pub fn source_name(path: &Path) -> std::borrow::Cow<'_, str> {
    path.to_str().map_or_else(
        || std::borrow::Cow::Owned(path.display().to_string()),
        std::borrow::Cow::Borrowed,
    )
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
