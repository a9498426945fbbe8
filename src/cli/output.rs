//! Writing classification results: a table for people, `json`, `jsonl` or `csv` for programs.

use std::io::Write;

use anyhow::Result;
use clap::ValueEnum;
use serde_json::json;
use serde_json::value::RawValue;
use thematic::Classification;

use super::table::Layout;

/// `classify --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal (the default on a terminal), fitted to its width: paths
    /// and keywords cut with "…"; when too narrow for a themes column, a * follows the score
    /// of each theme found.
    Table,
    /// One JSON array of results.
    Json,
    /// One JSON object a line (the default when piped).
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
}

/// Scores are printed to four decimals: stable across platforms and readable.
pub fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// Where a result came from: a file path, or a JSONL line's id or number.
pub enum Origin<'a> {
    /// A file (or `-`).
    Path(&'a str),
    /// A JSONL record's id, as the JSON text it was given in.
    Id(&'a RawValue),
    /// A JSONL line without id.
    Line(u64),
}

/// Appends the JSON object of one result to `out`, keys in contract order (no intermediate
/// `Value`: this runs once per document on the hot path).
pub fn write_record(out: &mut Vec<u8>, origin: &Origin<'_>, result: &Classification<'_>) {
    // Every field named: a new one fails to compile here until the record says what to do
    // with it. `only_unknown_words` is a note on standard error, not a field of the record.
    let Classification {
        themes,
        scores,
        keywords,
        evidence,
        only_unknown_words: _,
    } = result;
    match origin {
        Origin::Path(path) => {
            out.extend_from_slice(b"{\"path\":");
            write_str(out, path);
        }
        Origin::Id(id) => {
            out.extend_from_slice(b"{\"id\":");
            out.extend_from_slice(id.get().as_bytes());
        }
        Origin::Line(line) => out.extend_from_slice(format!("{{\"line\":{line}").as_bytes()),
    }
    out.extend_from_slice(b",\"themes\":");
    write_strs(out, themes);
    out.extend_from_slice(b",\"scores\":");
    write_object(out, scores, |out, score| write_score(out, *score));
    out.extend_from_slice(b",\"keywords\":");
    write_strs(out, keywords);
    out.extend_from_slice(b",\"evidence\":");
    write_object(out, evidence, |out, terms| write_strs(out, terms));
    out.push(b'}');
}

/// Appends `round(score)` as serde_json writes it. A score in [+0, 1] is written from its
/// count of ten-thousandths (the shortest decimal of the rounded number is those digits,
/// trailing zeros dropped: no float formatting); anything else by serde_json.
fn write_score(out: &mut Vec<u8>, score: f64) {
    if !(score.is_sign_positive() && score <= 1.0) {
        serde_json::to_writer(out, &round(score)).expect("writing to memory does not fail");
        return;
    }
    let n = (score * 10_000.0).round() as u32;
    if n == 10_000 {
        out.extend_from_slice(b"1.0");
        return;
    }
    let digits = [
        b'0' + (n / 1000) as u8,
        b'0' + (n / 100 % 10) as u8,
        b'0' + (n / 10 % 10) as u8,
        b'0' + (n % 10) as u8,
    ];
    // "0.0" for zero, else without trailing zeros.
    let kept = 4 - digits
        .iter()
        .rev()
        .take_while(|&&d| d == b'0')
        .count()
        .min(3);
    out.extend_from_slice(b"0.");
    out.extend_from_slice(&digits[..kept]);
}

/// Appends `text` as a JSON string, as serde_json writes it. Nearly every string here
/// (paths, themes, keywords) needs no escape: those are copied whole after one branch-free
/// check.
fn write_str(out: &mut Vec<u8>, text: &str) {
    if !needs_escape(text.as_bytes()) {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(out, text).expect("writing to memory does not fail");
    }
}

/// Whether JSON must escape something in `bytes`: a control character, `"` or `\`. Eight
/// bytes at a time, the last eight (or, for fewer, the first and last four, two or one)
/// overlapping the rest: no branch per byte and no copy.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of a byte below `n` (n <= 0x80) sets the result: borrows may flag bytes
    // above a flagged one too, but never a word with none.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let escaped = |word: u64| {
        below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
    };
    let n = bytes.len();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let half = |at: usize| {
        u64::from(u32::from_le_bytes(
            bytes[at..at + 4].try_into().unwrap_or_default(),
        ))
    };
    let last = if n >= 8 {
        word(n - 8)
    } else if n >= 4 {
        half(0) | half(n - 4) << 32
    } else {
        // Up to three bytes: the first, middle and last cover them; letters fill the rest.
        let at = |i: usize| u64::from(bytes.get(i).copied().unwrap_or(b'a'));
        let (first, middle, end) = (at(0), at(n / 2), at(n.saturating_sub(1)));
        first | middle << 8 | end << 16 | (ONES * u64::from(b'a')) << 24
    };
    let mut found = escaped(last);
    for chunk in bytes.chunks_exact(8) {
        found |= escaped(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
    }
    found != 0
}

/// Appends `["text", ...]`.
fn write_strs<S: AsRef<str>>(out: &mut Vec<u8>, texts: &[S]) {
    out.push(b'[');
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, text.as_ref());
    }
    out.push(b']');
}

/// Appends `{"key": value, ...}` in the pairs' order (a JSON object without building a map),
/// each value by `value`.
fn write_object<V>(out: &mut Vec<u8>, pairs: &[(&str, V)], value: impl Fn(&mut Vec<u8>, &V)) {
    out.push(b'{');
    for (i, (key, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        value(out, v);
    }
    out.push(b'}');
}

/// The JSONL line of one result, rendered away from the [`Writer`] so threads can do it in
/// parallel; `None` for other formats (use [`Writer::write`]).
pub fn render(format: Format, origin: &Origin<'_>, result: &Classification<'_>) -> Option<Vec<u8>> {
    let mut line = Vec::with_capacity(512);
    render_into(format, origin, result, &mut line).then_some(line)
}

/// [`render`], appending the line to `out`; false (nothing appended) for other formats.
pub fn render_into(
    format: Format,
    origin: &Origin<'_>,
    result: &Classification<'_>,
    out: &mut Vec<u8>,
) -> bool {
    if format != Format::Jsonl {
        return false;
    }
    write_record(out, origin, result);
    out.push(b'\n');
    true
}

/// A CSV cell a spreadsheet will not run as a formula: a cell starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'`, as OWASP's CSV-injection advice says.
/// Programs reading the CSV see the `'`; the JSON formats carry the value untouched.
pub fn spreadsheet_safe(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Streams results in one format.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    themes: Vec<String>,
    /// The table's columns (other formats ignore it).
    layout: Layout,
    /// Results given to [`Writer::write`] (the JSON array's commas depend on it).
    written: u64,
}

impl<W: Write> Writer<W> {
    /// A writer of `format` for a model with `themes`.
    pub fn new(out: W, format: Format, themes: &[String]) -> Self {
        Writer {
            out,
            format,
            themes: themes.to_vec(),
            layout: Layout::fixed(themes),
            written: 0,
        }
    }

    /// Fits the table to a terminal `width` characters wide; `None` keeps the fixed widths
    /// (files and pipes). Other formats are unchanged.
    pub fn fit_to(mut self, width: Option<usize>) -> Self {
        if let Some(width) = width {
            self.layout = Layout::fitted(&self.themes, width);
        }
        self
    }

    fn start(&mut self) -> Result<()> {
        match self.format {
            Format::Json => self.out.write_all(b"[\n")?,
            Format::Table => {
                let header = self.layout.header(&self.themes);
                writeln!(self.out, "{header}")?;
            }
            Format::Csv => {
                let mut header = vec!["document".to_string(), "themes".to_string()];
                header.extend(self.themes.iter().map(|t| format!("score_{t}")));
                header.push("keywords".into());
                self.write_csv(&header)?;
            }
            Format::Jsonl => {}
        }
        Ok(())
    }

    fn write_csv(&mut self, fields: &[String]) -> Result<()> {
        let mut csv = csv::Writer::from_writer(&mut self.out);
        csv.write_record(fields)?;
        csv.flush()?;
        Ok(())
    }

    /// Writes one result.
    pub fn write(&mut self, origin: &Origin<'_>, result: &Classification<'_>) -> Result<()> {
        // Every field named, as in `write_record`: the CSV and table rows have no evidence
        // column (JSON has), and `only_unknown_words` is a note on standard error.
        let Classification {
            themes,
            scores,
            keywords,
            evidence: _,
            only_unknown_words: _,
        } = result;
        if self.written == 0 {
            self.start()?;
        }
        self.written += 1;
        let name = match origin {
            Origin::Path(p) => p.to_string(),
            Origin::Id(id) => {
                serde_json::from_str::<String>(id.get()).unwrap_or_else(|_| id.get().to_string())
            }
            Origin::Line(n) => format!("line {n}"),
        };
        match self.format {
            Format::Jsonl => {
                let line = render(self.format, origin, result).unwrap_or_default();
                self.out.write_all(&line)?;
            }
            Format::Json => {
                if self.written > 1 {
                    self.out.write_all(b",\n")?;
                }
                let mut record = b"  ".to_vec();
                write_record(&mut record, origin, result);
                self.out.write_all(&record)?;
            }
            Format::Csv => {
                let mut fields = vec![spreadsheet_safe(name), spreadsheet_safe(themes.join(";"))];
                fields.extend(scores.iter().map(|(_, s)| format!("{:.4}", round(*s))));
                fields.push(spreadsheet_safe(keywords.join(";")));
                self.write_csv(&fields)?;
            }
            Format::Table => {
                let row = self
                    .layout
                    .row(&super::for_humans(&name), themes, scores, keywords);
                writeln!(self.out, "{row}")?;
            }
        }
        Ok(())
    }

    /// The output format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Writes results rendered by [`render`] or [`render_into`]: any number of whole lines.
    pub fn write_rendered(&mut self, lines: &[u8]) -> Result<()> {
        self.out.write_all(lines)?;
        Ok(())
    }

    /// Writes a JSONL error record in place of an unreadable input line: the input it is in
    /// (`-` for standard input), its line number there, and why.
    pub fn write_line_error(&mut self, input: &str, line: u64, message: &str) -> Result<()> {
        if self.format == Format::Jsonl {
            let record = json!({"path": input, "line": line, "error": message});
            writeln!(self.out, "{record}")?;
        }
        Ok(())
    }

    /// Flushes what was written so far (streaming consumers see results as they come).
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }

    /// Closes the output (the JSON array's bracket).
    pub fn finish(mut self) -> Result<()> {
        if self.format == Format::Json {
            if self.written == 0 {
                self.out.write_all(b"[\n")?;
            }
            self.out.write_all(b"\n]\n")?;
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_written_as_serde_json_writes_them_rounded() {
        // Every count of ten-thousandths, the values just around each, and the edges.
        let mut scores: Vec<f64> = (0..=10_000)
            .flat_map(|n| {
                let x = f64::from(n) / 10_000.0;
                [x, x - 0.000_049_9, x + 0.000_049_9, x - 0.000_050_1]
            })
            .collect();
        scores.extend([
            -0.0,
            -0.1,
            1.2,
            f64::NAN,
            f64::MIN_POSITIVE,
            0.999_95,
            0.000_05,
        ]);
        for score in scores {
            let mut ours = Vec::new();
            write_score(&mut ours, score);
            let expected = serde_json::to_vec(&round(score)).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(expected).unwrap(),
                "{score}"
            );
        }
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for text in [
            "",
            "plain/path.txt",
            "a \"quoted\" word",
            "back\\slash",
            "tab\there, newline\n, bell\x07, unit\x1f",
            "del\x7f and caf\u{e9} \u{2028} \u{1f600}",
        ] {
            let mut ours = Vec::new();
            write_str(&mut ours, text);
            assert_eq!(ours, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
        // Every byte that needs an escape, and its neighbours, at every place of strings
        // around the eight-byte steps.
        for special in [
            '\0', '\x1f', ' ', '!', '"', '#', '[', '\\', ']', '\x7f', '\u{e9}',
        ] {
            for len in 1..=20 {
                for at in 0..len {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { 'x' })
                        .collect();
                    let mut ours = Vec::new();
                    write_str(&mut ours, &text);
                    assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{text:?}");
                    let escaped = text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
                    assert_eq!(needs_escape(text.as_bytes()), escaped, "{text:?}");
                }
            }
        }
        let mut list = Vec::new();
        write_strs(&mut list, &["a", "b\"c"]);
        assert_eq!(list, serde_json::to_vec(&["a", "b\"c"]).unwrap());
    }
}
