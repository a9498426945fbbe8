//! Reading labelled training data: [`read_labelled`] takes JSONL, CSV or a folder per label;
//! [`LabelMap`] renames a corpus's own categories onto themes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::corpus::documents::{read_text_file, FileText};
use crate::error::{Error, Result};
use crate::training::{theme_name_problem, LabelledDocument, NONE_LABEL};

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

fn read_jsonl(path: &Path, out: &mut Vec<LabelledDocument>) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_jsonl_lines(BufReader::new(file), path, out)
}

/// Reads labelled JSONL (the format of [`read_labelled`]'s `.jsonl` files) from `reader`, such
/// as standard input; `source` names it in errors and in the ids of records without one
/// (`-:3` for stdin's third line).
///
/// # Errors
/// [`Error::Data`] naming `source` and the line of a malformed record or a failed read;
/// [`Error::NoText`] if it holds no record.
pub fn read_labelled_jsonl(reader: impl BufRead, source: &Path) -> Result<Vec<LabelledDocument>> {
    let mut out = Vec::new();
    read_jsonl_lines(reader, source, &mut out)?;
    if out.is_empty() {
        return Err(Error::NoText {
            path: source.to_path_buf(),
            message: "no labelled documents".into(),
        });
    }
    Ok(out)
}

fn read_jsonl_lines(
    reader: impl BufRead,
    path: &Path,
    out: &mut Vec<LabelledDocument>,
) -> Result<()> {
    for (index, line) in reader.lines().enumerate() {
        let number = index as u64 + 1;
        let line = line.map_err(|e| data_error(path, number, e.to_string()))?;
        // A byte-order mark (some Windows tools write one first) is no part of the record.
        let line = match number {
            1 => line.strip_prefix('\u{feff}').unwrap_or(&line),
            _ => &line,
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

/// Line numbers of CSV records as a person counts them: 1 + the newlines before the record's
/// first byte. The csv crate's own count is taken before it consumes the `\n` of a CRLF
/// terminator, so in a CRLF file (Python's `csv` module writes them) every record after the
/// header was reported one line early. Records come in order, so each newline is counted once.
struct CsvLines<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    line: u64,
}

impl<'a> CsvLines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        CsvLines {
            bytes,
            counted_to: 0,
            line: 1,
        }
    }

    /// The line a record (or a record's error) at `position` starts on.
    fn line_of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return self.line;
        };
        let mut start = (position.byte() as usize).min(self.bytes.len());
        // The record starts after the terminator left from the line before, and any blank lines.
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            let newlines = memchr::memchr_iter(b'\n', &self.bytes[self.counted_to..start]).count();
            self.line += newlines as u64;
            self.counted_to = start;
        }
        self.line
    }
}

fn read_csv(path: &Path, out: &mut Vec<LabelledDocument>) -> Result<()> {
    // Read whole, so line numbers can be counted on the bytes (the texts are kept anyway).
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let mut lines = CsvLines::new(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| data_error(path, 1, e.to_string()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(text_col), Some(labels_col)) = (column("text"), column("labels")) else {
        return Err(data_error(
            path,
            1,
            "the header must name a `text` and a `labels` column",
        ));
    };
    let id_col = column("id");
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = lines.line_of(e.position());
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("{len} fields where the header has {expected_len}"),
                csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
                _ => e.to_string(),
            };
            data_error(path, line, message)
        })?;
        let line = lines.line_of(record.position());
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
    }
    Ok(())
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
fn read_folders(dir: &Path, out: &mut Vec<LabelledDocument>) -> Result<()> {
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
            if let FileText::Text(doc) = read_text_file(entry.path(), u64::MAX)? {
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
    let mut out = Vec::new();
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if metadata.is_dir() {
        let files: Vec<PathBuf> = sorted_children(path)?
            .into_iter()
            .filter(|p| p.is_file() && is_data_file(p))
            .collect();
        if files.is_empty() {
            read_folders(path, &mut out)?;
        }
        for file in files {
            read_file(&file, &mut out)?;
        }
    } else {
        read_file(path, &mut out)?;
    }
    if out.is_empty() {
        return Err(Error::NoText {
            path: path.to_path_buf(),
            message: "no labelled documents".into(),
        });
    }
    Ok(out)
}

fn read_file(path: &Path, out: &mut Vec<LabelledDocument>) -> Result<()> {
    match extension(path).as_deref() {
        Some("jsonl" | "ndjson") => read_jsonl(path, out),
        Some("csv") => read_csv(path, out),
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
