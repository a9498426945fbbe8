//! Reading labelled training data: [`read_labelled`] takes JSONL, CSV or a folder per label;
//! [`LabelMap`] renames a corpus's own categories onto themes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::decode::FileText;
use super::label::{theme_name_problem, LabelledDocument, NONE_LABEL};
use super::read::read_text_file;
use crate::corpus::lines::read_line_or_stop;
use crate::error::{Error, Result};

/// One JSONL line; unknown fields are ignored.
#[derive(Deserialize)]
struct JsonRecord {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    labels: Vec<String>,
}

fn clean_labels(labels: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = labels
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && l != NONE_LABEL)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `labels` as read from `path` (at `line`), each checked by [`theme_name_problem`], then
/// cleaned as [`clean_labels`] does.
fn checked_labels(labels: Vec<String>, path: &Path, line: Option<u64>) -> Result<Vec<String>> {
    for label in &labels {
        let label = label.trim();
        if let Some(reason) = theme_name_problem(label) {
            return Err(Error::ThemeName {
                path: path.to_path_buf(),
                line,
                label: label.to_string(),
                reason,
            });
        }
    }
    Ok(clean_labels(labels))
}

fn data_error(path: &Path, line: u64, message: impl Into<String>) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Most bytes of one labelled record (a JSONL line, a CSV record, a file of a label folder)
/// that [`read_labelled`] and [`read_labelled_jsonl`] accept: as classify's `--max-bytes`
/// default. A longer record is an error naming its file and line, found without holding it.
pub const MAX_RECORD_BYTES: u64 = 64 << 20;

/// The error for a record longer than `max_bytes`.
fn too_long(path: &Path, line: u64, max_bytes: u64, what: &str) -> Error {
    data_error(
        path,
        line,
        format!("{what} longer than the {max_bytes}-byte limit (--max-bytes)"),
    )
}

fn read_jsonl(path: &Path, max_bytes: u64, out: &mut Vec<LabelledDocument>) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_jsonl_lines(BufReader::new(file), path, max_bytes, out)
}

/// Reads labelled JSONL (the format of [`read_labelled`]'s `.jsonl` files) from `reader`, such
/// as standard input; `source` names it in errors and in the ids of records without one
/// (`-:3` for stdin's third line). A line may hold at most [`MAX_RECORD_BYTES`] (see
/// [`read_labelled_jsonl_within`]).
///
/// # Errors
/// [`Error::Data`] naming `source` and the line of a malformed or too long record or a failed
/// read; [`Error::NoText`] if it holds no record.
pub fn read_labelled_jsonl(reader: impl BufRead, source: &Path) -> Result<Vec<LabelledDocument>> {
    read_labelled_jsonl_within(reader, source, MAX_RECORD_BYTES)
}

/// [`read_labelled_jsonl`] with lines of at most `max_bytes` (their newline aside): a longer
/// line is an error, read past without being held.
///
/// # Errors
/// As [`read_labelled_jsonl`].
pub fn read_labelled_jsonl_within(
    reader: impl BufRead,
    source: &Path,
    max_bytes: u64,
) -> Result<Vec<LabelledDocument>> {
    let mut out = Vec::new();
    read_jsonl_lines(reader, source, max_bytes, &mut out)?;
    if out.is_empty() {
        return Err(Error::NoText {
            path: source.to_path_buf(),
            message: "no labelled documents".into(),
        });
    }
    Ok(out)
}

fn read_jsonl_lines(
    mut reader: impl BufRead,
    path: &Path,
    max_bytes: u64,
    out: &mut Vec<LabelledDocument>,
) -> Result<()> {
    let mut bytes = Vec::new();
    for number in 1u64.. {
        bytes.clear();
        let (read, too_long_line) = read_line_or_stop(&mut reader, &mut bytes, max_bytes)
            .map_err(|e| data_error(path, number, e.to_string()))?;
        if read == 0 {
            break;
        }
        if too_long_line {
            return Err(too_long(path, number, max_bytes, "line"));
        }
        let line = std::str::from_utf8(&bytes)
            .map_err(|_| data_error(path, number, "stream did not contain valid UTF-8"))?;
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        // A byte-order mark (some Windows tools write one first) is no part of the record.
        let line = match number {
            1 => line.strip_prefix('\u{feff}').unwrap_or(line),
            _ => line,
        };
        if line.trim().is_empty() {
            continue;
        }
        let record: JsonRecord = serde_json::from_str(line).map_err(|e| {
            data_error(
                path,
                number,
                format!(
                    "not a {{\"text\": ..., \"labels\": [...]}} object: {}",
                    e.to_string().split(" at line").next().unwrap_or_default()
                ),
            )
        })?;
        if record.text.trim().is_empty() {
            return Err(data_error(path, number, "empty `text`"));
        }
        let id = match record.id {
            Some(serde_json::Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => format!("{}:{number}", path.display()),
        };
        out.push(LabelledDocument {
            id,
            text: record.text,
            labels: checked_labels(record.labels, path, Some(number))?,
        });
    }
    Ok(())
}

/// The csv reader's own buffer: it reads the file this much at a time.
const CSV_BUFFER: usize = 64 * 1024;

/// A record longer than the limit, as the [`CsvWindow`] stops it.
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("record too long")
    }
}

impl std::error::Error for RecordTooLong {}

/// What the csv reader reads a file through: it keeps the bytes read since the end of the
/// last record returned, so lines are counted on them, and refuses to hand out more than a
/// record limit (plus the csv reader's buffer) past that end, so a record longer than the limit
/// (a 3 GB header line, an unterminated quote) stops the read instead of being held whole.
///
/// Line numbers are as a person counts them: 1 + the newlines before the record's first byte.
/// (The csv crate's own count is taken before it consumes the `\n` of a CRLF terminator, so in
/// a CRLF file every record after the header would be reported one line early.)
struct CsvWindow<R> {
    inner: R,
    /// Bytes from file offset `start` on, as handed to the csv reader.
    bytes: Vec<u8>,
    start: u64,
    /// `bytes[..done]` lie before the end of the last record returned.
    done: usize,
    /// 1 + the newlines before file offset `start + done`.
    line: u64,
    /// Most bytes handed out past `done`.
    limit: usize,
    /// Whether the file's end was reached.
    eof: bool,
}

impl<R: Read> Read for CsvWindow<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = self.limit.saturating_sub(self.bytes.len() - self.done);
        if room == 0 && !buf.is_empty() {
            return Err(std::io::Error::other(RecordTooLong));
        }
        let wanted = buf.len().min(room);
        let read = self.inner.read(&mut buf[..wanted])?;
        self.eof |= read == 0 && wanted > 0;
        self.bytes.extend_from_slice(&buf[..read]);
        Ok(read)
    }
}

impl<R> CsvWindow<R> {
    fn new(inner: R, max_bytes: u64) -> Self {
        CsvWindow {
            inner,
            bytes: Vec::new(),
            start: 0,
            done: 0,
            line: 1,
            limit: usize::try_from(max_bytes)
                .unwrap_or(usize::MAX)
                .saturating_add(CSV_BUFFER + 2),
            eof: false,
        }
    }

    /// Index in `bytes` of file offset `at`, within what is kept.
    fn index(&self, at: u64) -> usize {
        (at.saturating_sub(self.start) as usize).clamp(self.done, self.bytes.len())
    }

    /// Where a record at file offset `at` really starts: after the terminator left from the
    /// record before it, and any blank lines.
    fn first_byte(&self, at: u64) -> usize {
        let mut first = self.index(at);
        while first < self.bytes.len() && matches!(self.bytes[first], b'\r' | b'\n') {
            first += 1;
        }
        first
    }

    /// The line of the record (or error) at file offset `at`, not before the last record's end.
    fn line_of(&self, at: u64) -> u64 {
        let first = self.first_byte(at);
        self.line + memchr::memchr_iter(b'\n', &self.bytes[self.done..first]).count() as u64
    }

    /// The length of the record from `from` to `to` (file offsets), its terminators aside.
    fn record_length(&self, from: u64, to: u64) -> u64 {
        let (first, mut end) = (self.first_byte(from), self.index(to));
        while end > first && matches!(self.bytes[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        end.saturating_sub(first) as u64
    }

    /// Whether a quoted field is still open at the end of the bytes kept, reading them from the
    /// record at file offset `at` on (a field that starts with `"` runs to the next lone `"`;
    /// `""` inside it is a quote).
    fn quote_open(&self, at: u64) -> bool {
        let (mut quoted, mut field_start) = (false, true);
        let mut bytes = self.bytes[self.first_byte(at)..].iter().peekable();
        while let Some(&byte) = bytes.next() {
            match (quoted, byte) {
                (true, b'"') if bytes.peek() == Some(&&b'"') => {
                    bytes.next();
                }
                (true, b'"') => quoted = false,
                (true, _) => {}
                (false, b'"') if field_start => quoted = true,
                (false, b',' | b'\n' | b'\r') => {
                    field_start = true;
                    continue;
                }
                (false, _) => {}
            }
            field_start = false;
        }
        quoted
    }

    /// Whether the record at file offset `at` opens a quoted field that the file's end closes:
    /// the csv reader takes the rest of the file into that field.
    fn unterminated_quote(&self, at: u64) -> bool {
        self.eof && self.quote_open(at)
    }

    /// Marks everything before file offset `to` (the end of a record returned) as done.
    fn record_ends_at(&mut self, to: u64) {
        let end = self.index(to);
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.done..end]).count() as u64;
        self.done = end;
        // Drop what is done once it is most of the buffer: each byte is moved at most once.
        if self.done > CSV_BUFFER && self.done * 2 > self.bytes.len() {
            self.bytes.drain(..self.done);
            self.start += self.done as u64;
            self.done = 0;
        }
    }
}

fn read_csv(path: &Path, max_bytes: u64, out: &mut Vec<LabelledDocument>) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .buffer_capacity(CSV_BUFFER)
        .from_reader(CsvWindow::new(file, max_bytes));
    let csv_error = |window: &CsvWindow<std::fs::File>, e: csv::Error| {
        let line = window.line_of(e.position().map_or(0, csv::Position::byte));
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths { pos, .. }
                if window.unterminated_quote(pos.as_ref().map_or(0, csv::Position::byte)) =>
            {
                return unterminated_quote(path, line);
            }
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} fields where the header has {expected_len}"),
            csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
            csv::ErrorKind::Io(io)
                if io
                    .get_ref()
                    .is_some_and(|inner| inner.downcast_ref::<RecordTooLong>().is_some()) =>
            {
                return too_long_record(path, window, line, max_bytes);
            }
            csv::ErrorKind::Io(io) => {
                return Error::io(path, std::io::Error::new(io.kind(), io.to_string()))
            }
            _ => e.to_string(),
        };
        data_error(path, line, message)
    };
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => return Err(csv_error(reader.get_ref(), e)),
    };
    let header_end = reader.position().byte();
    if reader.get_ref().record_length(0, header_end) > max_bytes {
        return Err(too_long(path, 1, max_bytes, "record"));
    }
    reader.get_mut().record_ends_at(header_end);
    let column = |name: &str| {
        let mut found = headers.iter().enumerate().filter(|(_, h)| h.trim() == name);
        match (found.next(), found.next()) {
            (Some((first, _)), None) => Ok(Some(first)),
            (None, _) => Ok(None),
            (Some((first, _)), Some((second, _))) => Err(data_error(
                path,
                1,
                format!(
                    "the header names `{name}` twice (columns {} and {}): which is meant?",
                    first + 1,
                    second + 1
                ),
            )),
        }
    };
    let (Some(text_col), Some(labels_col)) = (column("text")?, column("labels")?) else {
        return Err(data_error(
            path,
            1,
            "the header must name a `text` and a `labels` column",
        ));
    };
    let id_col = column("id")?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(reader.get_ref(), e)),
        }
        let (from, to) = (
            record.position().map_or(0, csv::Position::byte),
            reader.position().byte(),
        );
        let window = reader.get_ref();
        let line = window.line_of(from);
        if window.record_length(from, to) > max_bytes {
            return Err(too_long_record(path, window, line, max_bytes));
        }
        if window.unterminated_quote(from) {
            return Err(unterminated_quote(path, line));
        }
        let text = record.get(text_col).unwrap_or_default();
        if text.trim().is_empty() {
            return Err(data_error(path, line, "empty `text`"));
        }
        // An empty cell is a document of no theme; otherwise every `;`-separated part is a label.
        let labels = match record.get(labels_col).unwrap_or_default().trim() {
            "" => Vec::new(),
            cell => cell.split(';').map(str::to_string).collect(),
        };
        let labels = checked_labels(labels, path, Some(line))?;
        out.push(LabelledDocument {
            id: id_col
                .and_then(|c| record.get(c))
                .map_or_else(|| format!("{}:{line}", path.display()), str::to_string),
            text: text.to_string(),
            labels,
        });
        reader.get_mut().record_ends_at(to);
    }
    Ok(())
}

/// The error for a CSV record longer than `max_bytes`, starting on `line` (the first after the
/// last record read).
fn too_long_record<R>(path: &Path, window: &CsvWindow<R>, line: u64, max_bytes: u64) -> Error {
    let error = too_long(path, line, max_bytes, "record");
    match error {
        Error::Data {
            path,
            line,
            message,
        } if window.quote_open(window.start + window.done as u64) => Error::Data {
            path,
            line,
            message: format!("{message}, inside a quoted field: is a closing `\"` missing?"),
        },
        error => error,
    }
}

/// The error for a quoted field on `line` that is never closed: the csv reader would take the
/// rest of the file as that field (and then report a field count).
fn unterminated_quote(path: &Path, line: u64) -> Error {
    data_error(
        path,
        line,
        "a quoted field that is never closed (a `\"` without its closing `\"`)",
    )
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Whether a directory's file is read as labelled data (by its extension).
pub(crate) fn is_data_file(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("jsonl" | "ndjson" | "csv"))
}

fn sorted_children(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .map(|e| e.map(|e| e.path()).map_err(|e| Error::io(dir, e)))
        .collect::<Result<_>>()?;
    children.retain(|p| {
        !p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    children.sort();
    Ok(children)
}

/// `DIR/<label>/**` files, each document labelled with its folder name (`none`: no theme).
fn read_folders(dir: &Path, max_bytes: u64, out: &mut Vec<LabelledDocument>) -> Result<()> {
    let before = out.len();
    for label_dir in sorted_children(dir)?.into_iter().filter(|p| p.is_dir()) {
        let label = label_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let labels = checked_labels(vec![label], &label_dir, None)?;
        let walker = walkdir::WalkDir::new(&label_dir)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            let entry = entry.map_err(|e| Error::NoText {
                path: e.path().unwrap_or(&label_dir).to_path_buf(),
                message: e.to_string(),
            })?;
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            let size = entry.metadata().map_or(0, |m| m.len());
            if size > max_bytes {
                return Err(Error::NoText {
                    path: entry.path().to_path_buf(),
                    message: format!(
                        "{size} bytes, more than the {max_bytes}-byte limit of one document \
                         (--max-bytes)"
                    ),
                });
            }
            if let FileText::Text(doc) = read_text_file(entry.path(), max_bytes)? {
                if !doc.text.trim().is_empty() {
                    out.push(LabelledDocument {
                        id: doc.source,
                        text: doc.text,
                        labels: labels.clone(),
                    });
                }
            }
        }
    }
    if out.len() == before {
        return Err(Error::NoText {
            path: dir.to_path_buf(),
            message: "no labelled documents: expected .jsonl/.csv files, or one folder per label with text files".into(),
        });
    }
    Ok(())
}

/// Reads labelled documents from `path`:
/// - a `.jsonl` (or `.ndjson`) file: `{"text": "...", "labels": [...], "id": ...}` a line;
/// - a `.csv` file with a header naming `text` and `labels` (`;`-separated) and optionally `id`;
/// - a directory holding such files (read in name order), or else one folder per label
///   (`DIR/<label>/*.txt`, `DIR/none/` for documents of no theme).
///
/// # Errors
/// [`Error::Data`] naming the file and line of a malformed record; [`Error::ThemeName`] naming
/// the file and line (or the label folder) of a label that cannot name a theme (see
/// [`theme_name_problem`]); [`Error::Io`] or [`Error::NoText`] for paths that cannot be read or
/// hold nothing.
pub fn read_labelled(path: &Path) -> Result<Vec<LabelledDocument>> {
    read_labelled_within(path, MAX_RECORD_BYTES)
}

/// [`read_labelled`] with records (JSONL lines, CSV records, files of a label folder) of at most
/// `max_bytes`: a longer one is an error naming its file (and line), found without holding it.
///
/// # Errors
/// As [`read_labelled`].
pub fn read_labelled_within(path: &Path, max_bytes: u64) -> Result<Vec<LabelledDocument>> {
    let mut out = Vec::new();
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if metadata.is_dir() {
        let files: Vec<PathBuf> = sorted_children(path)?
            .into_iter()
            .filter(|p| p.is_file() && is_data_file(p))
            .collect();
        if files.is_empty() {
            read_folders(path, max_bytes, &mut out)?;
        }
        for file in files {
            read_file(&file, max_bytes, &mut out)?;
        }
    } else {
        read_file(path, max_bytes, &mut out)?;
    }
    if out.is_empty() {
        return Err(Error::NoText {
            path: path.to_path_buf(),
            message: "no labelled documents".into(),
        });
    }
    Ok(out)
}

fn read_file(path: &Path, max_bytes: u64, out: &mut Vec<LabelledDocument>) -> Result<()> {
    match extension(path).as_deref() {
        Some("jsonl" | "ndjson") => read_jsonl(path, max_bytes, out),
        Some("csv") => read_csv(path, max_bytes, out),
        _ => Err(Error::NoText {
            path: path.to_path_buf(),
            message: "unknown data format: expected a .jsonl or .csv file, or a directory".into(),
        }),
    }
}

/// `FROM=TO` label renames, applied in order; `TO` may be `none` to drop a label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelMap {
    rules: BTreeMap<String, String>,
}

impl LabelMap {
    /// Parses `FROM=TO` rules.
    ///
    /// # Errors
    /// [`Error::InvalidParam`] for a rule without `=`, with an empty side, a `TO` that cannot
    /// name a theme ([`theme_name_problem`]), or a repeated `FROM`.
    pub fn parse<S: AsRef<str>>(rules: &[S]) -> Result<LabelMap> {
        let mut map = BTreeMap::new();
        for rule in rules {
            let rule = rule.as_ref();
            let invalid = |reason: &str| Error::InvalidParam {
                name: "label map",
                value: rule.to_string(),
                reason: reason.into(),
            };
            let (from, to) = rule
                .split_once('=')
                .ok_or_else(|| invalid("expected FROM=TO"))?;
            let (from, to) = (from.trim(), to.trim());
            if from.is_empty() || to.is_empty() {
                return Err(invalid("FROM and TO must not be empty"));
            }
            if let Some(reason) = theme_name_problem(to) {
                return Err(invalid(&format!("TO cannot be a theme: {reason}")));
            }
            if map.insert(from.to_string(), to.to_string()).is_some() {
                return Err(invalid("this FROM is mapped twice"));
            }
        }
        Ok(LabelMap { rules: map })
    }

    /// Renames the labels of `documents`.
    ///
    /// # Errors
    /// [`Error::UnusedLabelMap`] for a rule whose `FROM` labels no document (a typo would
    /// otherwise silently train the wrong model).
    pub fn apply(&self, documents: &mut [LabelledDocument]) -> Result<()> {
        let mut used = std::collections::BTreeSet::new();
        for doc in documents.iter_mut() {
            let mapped = doc.labels.iter().map(|label| match self.rules.get(label) {
                Some(to) => {
                    used.insert(label.clone());
                    to.clone()
                }
                None => label.clone(),
            });
            doc.labels = clean_labels(mapped.collect::<Vec<_>>());
        }
        if let Some((from, to)) = self.rules.iter().find(|(from, _)| !used.contains(*from)) {
            return Err(Error::UnusedLabelMap {
                from: from.clone(),
                to: to.clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(labels: &[&str]) -> LabelledDocument {
        LabelledDocument {
            id: "d".into(),
            text: "t".into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn label_map_renames_drops_and_reports_unused() {
        let map = LabelMap::parse(&["World=governance", "Sports=none"]).unwrap();
        let mut docs = vec![doc(&["World"]), doc(&["Sports", "World"])];
        map.apply(&mut docs).unwrap();
        assert_eq!(docs[0].labels, ["governance"]);
        assert_eq!(docs[1].labels, ["governance"]);

        let typo = LabelMap::parse(&["Wrold=governance"]).unwrap();
        let err = typo.apply(&mut [doc(&["World"])]).unwrap_err();
        assert!(err.to_string().contains("Wrold=governance"), "{err}");
    }

    #[test]
    fn csv_lines_are_counted_alike_for_lf_and_crlf() {
        let dir = tempfile::tempdir().unwrap();
        for terminator in ["\n", "\r\n"] {
            let text = [
                "id,text,labels",
                "a,\"one\ntwo\",x",
                "",
                "b,three,x",
                "c,four,x,extra",
            ]
            .join(terminator)
                + terminator;
            let path = dir.path().join("data.csv");
            std::fs::write(&path, text).unwrap();
            let error = read_labelled(&path).unwrap_err();
            assert!(
                matches!(error, Error::Data { line: 6, .. }),
                "{terminator:?}: {error}"
            );
            let path = dir.path().join("good.csv");
            std::fs::write(&path, ["id,text,labels", "", "a,one,x"].join(terminator)).unwrap();
            let documents = read_labelled(&path).unwrap();
            assert_eq!(documents[0].labels, ["x"], "{terminator:?}");
        }
    }

    /// Hostile-input issue, item 22: a quoted field never closed took the rest of the file and
    /// was reported as a field count; a duplicated `text` column was used silently.
    #[test]
    fn csv_unterminated_quotes_and_duplicate_columns_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        for terminator in ["\n", "\r\n"] {
            let text = [
                "id,text,labels",
                "a,one,x",
                "b,\"two",
                "c,three,x",
                "d,four,x",
            ]
            .join(terminator);
            std::fs::write(&path, text + terminator).unwrap();
            let error = read_labelled(&path).unwrap_err().to_string();
            assert!(
                error.ends_with("data.csv:3: a quoted field that is never closed (a `\"` without its closing `\"`)"),
                "{terminator:?}: {error}"
            );
        }
        // A stray quote inside an unquoted field is text, and a wrong field count is still one.
        std::fs::write(&path, "id,text,labels\na,say \"hi,x\nb,two,x,y\n").unwrap();
        let error = read_labelled(&path).unwrap_err().to_string();
        assert!(
            error.ends_with("data.csv:3: 4 fields where the header has 3"),
            "{error}"
        );
        std::fs::write(&path, "id,text,labels\na,say \"hi,x\n").unwrap();
        assert_eq!(read_labelled(&path).unwrap()[0].text, "say \"hi");
        // Quoted fields that close, "" inside them, and a last line with no newline.
        std::fs::write(
            &path,
            "id,text,labels\na,\"say \"\"hi\"\", x\",x\nb,\"two\",x",
        )
        .unwrap();
        let documents = read_labelled(&path).unwrap();
        assert_eq!(documents[0].text, "say \"hi\", x");
        assert_eq!(documents[1].text, "two");

        std::fs::write(&path, "text,labels,text\na,x,b\n").unwrap();
        let error = read_labelled(&path).unwrap_err().to_string();
        assert!(
            error.ends_with(
                "data.csv:1: the header names `text` twice (columns 1 and 3): which is meant?"
            ),
            "{error}"
        );
        std::fs::write(&path, "text,labels, labels\na,x,b\n").unwrap();
        let error = read_labelled(&path).unwrap_err().to_string();
        assert!(error.contains("names `labels` twice"), "{error}");
    }

    /// Hostile-input issue, item 5: a CSV record is bounded like a JSONL line; one over the limit
    /// is found without holding it, at the line it starts on.
    #[test]
    fn csv_records_over_the_limit_are_refused_at_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        let text = format!(
            "id,text,labels\n\na,one,x\nb,\"{}\",x\nc,two,x\n",
            "y\n".repeat(100_000)
        );
        std::fs::write(&path, &text).unwrap();
        let error = read_labelled_within(&path, 1_000).unwrap_err().to_string();
        assert!(
            error.contains("data.csv:4: record longer than the 1000-byte limit (--max-bytes)"),
            "{error}"
        );
        assert_eq!(read_labelled_within(&path, 200_010).unwrap().len(), 3);
        // Within the csv reader's buffer, the record's own length is checked.
        std::fs::write(&path, "id,text,labels\na,one,x\nb,twelve bytes,x\n").unwrap();
        let error = read_labelled_within(&path, 15).unwrap_err().to_string();
        assert!(
            error.ends_with("data.csv:3: record longer than the 15-byte limit (--max-bytes)"),
            "{error}"
        );
        assert_eq!(read_labelled_within(&path, 16).unwrap().len(), 2);
        // An unterminated quote that runs past the limit says so.
        let text = format!("id,text,labels\na,\"{}", "z ".repeat(100_000));
        std::fs::write(&path, &text).unwrap();
        let error = read_labelled_within(&path, 1_000).unwrap_err().to_string();
        assert!(error.contains("data.csv:2: record longer than"), "{error}");
        assert!(error.contains("is a closing `\"` missing?"), "{error}");
    }

    #[test]
    fn jsonl_from_a_reader_is_read_like_a_file() {
        let text = "{\"text\": \"a\", \"labels\": [\"x\"]}\n\n{\"text\": \"b\", \"labels\": []}\n";
        let documents = read_labelled_jsonl(text.as_bytes(), Path::new("-")).unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[1].id, "-:3");
        let error = read_labelled_jsonl("\n".as_bytes(), Path::new("-")).unwrap_err();
        assert_eq!(error.to_string(), "-: no labelled documents");
    }

    #[test]
    fn malformed_rules_are_rejected() {
        assert!(LabelMap::parse(&["novalue"]).is_err());
        assert!(LabelMap::parse(&["=x"]).is_err());
        assert!(LabelMap::parse(&["a=b", "a=c"]).is_err());
    }

    /// Hostile-input issue, item 22: a JSONL file that starts with a UTF-8 byte-order mark is
    /// read as CSV files with one are; a mark anywhere else is still an error.
    #[test]
    fn a_byte_order_mark_before_the_first_jsonl_record_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.jsonl");
        let record = r#"{"text": "Rates rose.", "labels": ["economy"]}"#;
        std::fs::write(&path, format!("\u{feff}{record}\n{record}\n")).unwrap();
        let documents = read_labelled(&path).unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].labels, ["economy"]);
        std::fs::write(&path, format!("{record}\n\u{feff}{record}\n")).unwrap();
        let error = read_labelled(&path).unwrap_err().to_string();
        assert!(error.contains("bom.jsonl:2:"), "{error}");
    }

    /// Hostile-input issue, item 18: labels that would be ambiguous, invisible or unsafe as theme
    /// names are refused where they are read, naming the file, the line and the label.
    #[test]
    fn labels_that_cannot_name_a_theme_are_refused_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.jsonl");
        // A comma is allowed: "Arts, Culture" is a plain name (CSV separates labels with `;`).
        let good = r#"{"text": "Rates rose.", "labels": ["economy", " none", "public health", "Arts, Culture"]}"#;
        for (label, says) in [
            ("x;y", "`;`"),
            ("", "empty"),
            (r"a\u0000b", "\\u{0}"),
            (r"\u202eevil", "\\u{202e}"),
            (r"tab\there", "\\u{9}"),
            ("None", "no theme"),
            ("NULL", "no theme"),
            ("x".repeat(65).as_str(), "65 characters"),
        ] {
            let bad = format!(r#"{{"text": "Rates rose.", "labels": ["{label}"]}}"#);
            std::fs::write(&path, format!("{good}\n{bad}\n")).unwrap();
            let error = read_labelled(&path).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("{}:2: label ", path.display())),
                "{error}"
            );
            assert!(error.contains(says), "{label}: {error}");
            assert!(
                !error.contains('\n') && !error.contains('\u{202e}'),
                "{error}"
            );
        }
        std::fs::write(&path, format!("{good}\n")).unwrap();
        assert_eq!(
            read_labelled(&path).unwrap()[0].labels,
            ["Arts, Culture", "economy", "public health"]
        );
        let longest = "é".repeat(64);
        std::fs::write(
            &path,
            format!(r#"{{"text": "Rates rose.", "labels": ["{longest}"]}}"#),
        )
        .unwrap();
        assert_eq!(read_labelled(&path).unwrap()[0].labels, [longest]);

        let csv = dir.path().join("data.csv");
        std::fs::write(
            &csv,
            "text,labels\na,economy;security\nb,\nc,\"x,y\"\nd,NONE\n",
        )
        .unwrap();
        let error = read_labelled(&csv).unwrap_err().to_string();
        assert!(error.contains("data.csv:5: label \"NONE\""), "{error}");
        std::fs::write(&csv, "text,labels\na,economy;;security\n").unwrap();
        let error = read_labelled(&csv).unwrap_err().to_string();
        assert!(error.contains("data.csv:2: label \"\" cannot"), "{error}");

        let folders = dir.path().join("folders");
        std::fs::create_dir_all(folders.join("Null")).unwrap();
        std::fs::write(folders.join("Null/a.txt"), "Rates rose.").unwrap();
        let error = read_labelled(&folders).unwrap_err().to_string();
        assert!(error.contains("Null: label \"Null\""), "{error}");

        assert!(LabelMap::parse(&["World=a;b"]).is_err());
        assert!(LabelMap::parse(&["Sports=none"]).is_ok());
    }

    #[test]
    fn labels_are_trimmed_sorted_and_none_dropped() {
        assert_eq!(
            clean_labels([
                "security ".into(),
                "none".into(),
                "economy".into(),
                "".into()
            ]),
            ["economy", "security"]
        );
    }
}
