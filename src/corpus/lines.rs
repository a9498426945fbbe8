//! [`read_line_limited`]: one line of a stream, kept only if it is within a byte limit, so a
//! multi-gigabyte line costs no more memory than the limit (classify's `--input jsonl` and
//! labelled JSONL training data read their lines with it).

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
