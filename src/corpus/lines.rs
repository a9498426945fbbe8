//! [`read_line_limited`]: one line of a stream, kept only if it is within a byte limit, so a
//! multi-gigabyte line costs no more memory than the limit (classify's `--input jsonl` reads its
//! lines with it), and [`read_line_or_stop`], which also stops reading there (labelled JSONL
//! training data, where such a line ends the run).

use std::io::BufRead;

/// Reads one line (through its newline) onto the end of `buffer`, keeping it only if it has
/// at most `max_bytes` bytes before its newline: a longer line is consumed without being
/// stored. Returns the bytes consumed (0 at the end) and whether the line was too long.
///
/// # Errors
/// The reader's own errors.
pub fn read_line_limited(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    max_bytes: u64,
) -> std::io::Result<(usize, bool)> {
    read_line(reader, buffer, max_bytes, false)
}

/// [`read_line_limited`] for a reader that stops at a line too long: it returns as soon as the
/// line passes the limit, leaving the rest unread (a 3 GB line costs no 3 GB read when the
/// caller fails at it anyway).
///
/// # Errors
/// The reader's own errors.
pub(crate) fn read_line_or_stop(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    max_bytes: u64,
) -> std::io::Result<(usize, bool)> {
    read_line(reader, buffer, max_bytes, true)
}

fn read_line(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    max_bytes: u64,
    stop: bool,
) -> std::io::Result<(usize, bool)> {
    let start = buffer.len();
    let (mut consumed, mut too_long) = (0, false);
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let (length, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        if !too_long {
            if (buffer.len() - start + length) as u64 > max_bytes.saturating_add(1) {
                too_long = true;
                buffer.truncate(start);
                if stop {
                    // What was looked at is consumed, so a line too long is never taken for
                    // the end of the stream (0 bytes consumed).
                    reader.consume(length);
                    return Ok((consumed + length, too_long));
                }
            } else {
                buffer.extend_from_slice(&available[..length]);
            }
        }
        reader.consume(length);
        consumed += length;
        if done {
            return Ok((consumed, too_long));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor, Read};

    /// A line past the limit: `read_line_limited` consumes all of it and reads the next line
    /// after; `read_line_or_stop` returns at the limit, most of the line left unread.
    #[test]
    fn a_long_line_is_skipped_or_stopped_at() {
        let mut text = vec![b'x'; 100_000];
        text.extend_from_slice(b"\nnext\n");
        let mut buffer = Vec::new();
        let mut reader = BufReader::with_capacity(64, Cursor::new(text.clone()));
        assert_eq!(
            read_line_limited(&mut reader, &mut buffer, 1_000).unwrap(),
            (100_001, true)
        );
        assert!(buffer.is_empty());
        assert_eq!(
            read_line_limited(&mut reader, &mut buffer, 1_000).unwrap(),
            (5, false)
        );
        assert_eq!(buffer, b"next\n");

        buffer.clear();
        let mut reader = BufReader::with_capacity(64, Cursor::new(text));
        let (consumed, too_long) = read_line_or_stop(&mut reader, &mut buffer, 1_000).unwrap();
        assert!(too_long && consumed > 0 && consumed <= 1_064, "{consumed}");
        assert!(buffer.is_empty());
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        assert_eq!(rest.len(), 100_006 - consumed);
    }

    /// A first chunk already past the limit still counts as read: the line is too long, not
    /// the end of the stream.
    #[test]
    fn stopping_at_the_first_chunk_is_no_end_of_stream() {
        let mut reader = BufReader::with_capacity(64, Cursor::new(vec![b'x'; 1_000]));
        let mut buffer = Vec::new();
        let (consumed, too_long) = read_line_or_stop(&mut reader, &mut buffer, 10).unwrap();
        assert!(too_long && consumed == 64, "{consumed}");
    }
}
