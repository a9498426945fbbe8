//! `thematic classify`: files, directories, standard input or a JSONL stream in, one result
//! per document out, in input order.

use std::io::{BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use rayon::prelude::*;
use serde_json::value::RawValue;
use std::borrow::Cow;
use thematic::corpus::read_line_limited;
use thematic::{keywords, Classification, ClassifyOptions, Model};

use super::inputs::{self, BATCH, BATCH_BYTES};
use super::output::{self, Format, Origin, Writer};
use super::progress::Progress;

/// `--input`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Each path is one document (directories: every file under them).
    Text,
    /// Each line is a `{"id": ..., "text": ...}` document (directories: every .jsonl file
    /// under them, in name order). An id is echoed back if it is a string or number of at
    /// most 1024 bytes (as written in JSON); any other id makes the line an error record.
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories (searched recursively) or '-' for standard input.
    paths: Vec<PathBuf>,
    /// Model file [default: the built-in model].
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// Output format [default: table on a terminal, jsonl otherwise].
    #[arg(long, short, value_enum)]
    format: Option<Format>,
    /// One score threshold for every theme, instead of each theme's tuned threshold.
    #[arg(long, short, value_parser = super::parse_probability)]
    threshold: Option<f64>,
    /// Keywords to report per document, at most.
    #[arg(long, short, default_value_t = 8)]
    keywords: usize,
    /// Past the first 5, leave out keywords scoring under this share of the document's best
    /// (0 lists all --keywords).
    #[arg(long, value_name = "SHARE", default_value_t = keywords::MIN_RELEVANCE, value_parser = super::parse_share)]
    min_relevance: f32,
    /// How to read inputs.
    #[arg(long, value_enum, default_value_t = InputKind::Text)]
    input: InputKind,
    /// Worker threads (0: one per core; at most 256). Output is the same for any number.
    #[arg(long, default_value_t = 0, value_parser = super::parse_threads)]
    threads: usize,
    /// Read at most SIZE of a file (the rest is left, with a note) or of a JSONL line (a longer
    /// line is an error record): memory stays bounded whatever the input. SIZE is in bytes, or
    /// with a unit: 512KiB, 64MiB, 1GiB.
    #[arg(long, value_name = "SIZE", default_value = inputs::MAX_BYTES, value_parser = super::parse_size)]
    max_bytes: u64,
    /// No progress bar. It is drawn on standard error when that is a terminal, the results go
    /// elsewhere (a file, a pipe) and the run lasts over a second.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    super::set_threads(args.threads)?;
    let model = super::load_model(args.model.as_deref())?;
    let paths = super::paths_or_stdin(args.paths)?;
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    });
    let options = ClassifyOptions {
        threshold: args.threshold,
        keywords: args.keywords,
        min_relevance: args.min_relevance,
        ..ClassifyOptions::default()
    };
    let stdout = std::io::BufWriter::new(super::StandardOutput::lock());
    let mut writer = Writer::new(stdout, format, model.themes()).fit_to(super::table_width());
    if args.input == InputKind::Text {
        // A JSONL file read as prose gives one result for the whole file, of JSON syntax.
        for path in paths
            .iter()
            .filter(|path| inputs::is_jsonl(path) && !path.is_dir())
        {
            super::report(
                "note",
                format!(
                    "{}: looks like JSONL but is read as one document of prose; \
                     --input jsonl reads one document a line",
                    path.display()
                ),
            );
        }
    }
    let mut unknown = UnknownNotes::default();
    let failed = match args.input {
        InputKind::Text => {
            let progress = Progress::classify(args.quiet, "files");
            classify_files(
                &model,
                &options,
                &paths,
                args.max_bytes,
                &mut writer,
                &progress,
                &mut unknown,
            )?
        }
        InputKind::Jsonl => {
            let progress = Progress::classify(args.quiet, "lines");
            classify_jsonl(
                &model,
                &options,
                &paths,
                args.max_bytes,
                &mut writer,
                &progress,
                &mut unknown,
            )?
        }
    };
    writer.finish()?;
    unknown.finish();
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Notes on standard error for documents with words but none the model knows (see
/// [`Classification::only_unknown_words`]): one each for the first [`UnknownNotes::SHOWN`],
/// in input order, then how many more there were, once at the end, so a stream in a foreign
/// language does not bury other messages. The output itself is unchanged: its scores are
/// still the model's.
#[derive(Default)]
struct UnknownNotes {
    count: u64,
}

impl UnknownNotes {
    const SHOWN: u64 = 10;

    fn note(&mut self, source: impl std::fmt::Display) {
        self.count += 1;
        if self.count <= Self::SHOWN {
            super::report(
                "note",
                format!(
                    "{source}: no word of it is in the model's vocabulary (a language or \
                     script the model has no terms for?): its scores are the model's defaults"
                ),
            );
        }
    }

    fn finish(&self) {
        if self.count > Self::SHOWN {
            super::report(
                "note",
                format!(
                    "{} more documents with no word in the model's vocabulary",
                    self.count - Self::SHOWN
                ),
            );
        }
    }
}

/// One file's result: rendered by the worker where the format allows (JSONL), with the other
/// results of its run, or kept for the writer (tables, CSV and JSON arrays are laid out as a
/// whole). `Rendered` says whether the document had only unknown words.
enum FileOutcome<'m> {
    Rendered(bool),
    Done(Classification<'m>),
}

/// Classifies whole files; returns whether any input failed.
fn classify_files<W: Write>(
    model: &Model,
    options: &ClassifyOptions,
    paths: &[PathBuf],
    max_bytes: u64,
    writer: &mut Writer<W>,
    progress: &Progress,
    unknown: &mut UnknownNotes,
) -> Result<bool> {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    let pool = model.workspace_pool();
    // Files and bytes done since the last batch, counted once a file; the bar is updated once
    // a batch.
    let (files_done, bytes_done) = (AtomicU64::new(0), AtomicU64::new(0));
    let format = writer.format();
    let writer = std::cell::RefCell::new(writer);
    // Results are rendered by the workers where the format allows (JSONL), so the writing
    // thread only writes the bytes of each run of files.
    inputs::for_each_document(
        paths,
        max_bytes,
        Classification::default,
        |result, source, text, out| {
            pool.with(|workspace| model.classify_into(text, workspace, options, result));
            files_done.fetch_add(1, Relaxed);
            bytes_done.fetch_add(text.len() as u64, Relaxed);
            if output::render_into(format, &Origin::Path(source), result, out) {
                FileOutcome::Rendered(result.only_unknown_words)
            } else {
                FileOutcome::Done(result.clone())
            }
        },
        |source, outcome| match outcome {
            FileOutcome::Rendered(only_unknown) => {
                if only_unknown {
                    unknown.note(source);
                }
                Ok(())
            }
            FileOutcome::Done(result) => {
                if result.only_unknown_words {
                    unknown.note(source);
                }
                writer.borrow_mut().write(&Origin::Path(source), &result)
            }
        },
        |rendered| writer.borrow_mut().write_rendered(rendered),
        || {
            progress.classified(files_done.swap(0, Relaxed), bytes_done.swap(0, Relaxed));
            writer.borrow_mut().flush()
        },
    )
}

/// One JSONL input line, borrowed from the line where it can be; other fields are ignored.
#[derive(serde::Deserialize)]
struct InputLine<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    text: Cow<'a, str>,
}

/// One JSONL input line's fate: its result rendered as a JSONL line, with whether the document
/// had only unknown words (or kept for another format), or why it could not be read.
enum LineOutcome<'m> {
    Rendered(Vec<u8>, bool),
    Done(Option<Box<RawValue>>, Classification<'m>),
    Error(String),
}

fn classify_line<'m>(
    model: &'m Model,
    options: &ClassifyOptions,
    workspace: &mut thematic::Workspace,
    format: Format,
    bytes: &[u8],
    (number, read): &(u64, Result<std::ops::Range<usize>, String>),
) -> LineOutcome<'m> {
    let bytes = match read {
        Ok(range) => &bytes[range.clone()],
        Err(message) => return LineOutcome::Error(message.clone()),
    };
    let Ok(line) = std::str::from_utf8(bytes) else {
        return LineOutcome::Error("invalid UTF-8".into());
    };
    let input: InputLine<'_> = match serde_json::from_str(line) {
        Ok(input) => input,
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            return LineOutcome::Error(format!(
                "not a {{\"id\": ..., \"text\": \"...\"}} object: {}",
                e.to_string().split(" at line").next().unwrap_or_default()
            ))
        }
        Err(e) => return LineOutcome::Error(format!("not JSON: {e}")),
    };
    if let Some(problem) = input.id.and_then(id_problem) {
        return LineOutcome::Error(problem);
    }
    let result = model.classify(&input.text, workspace, options);
    let origin = match input.id {
        Some(id) if id.get() != "null" => Origin::Id(id),
        _ => Origin::Line(*number),
    };
    match output::render(format, &origin, &result) {
        Some(rendered) => LineOutcome::Rendered(rendered, result.only_unknown_words),
        None => LineOutcome::Done(input.id.map(ToOwned::to_owned), result),
    }
}

/// Longest `id` echoed back, in bytes of its JSON text: an id is a name for the caller, and a
/// huge or deeply nested one would be passed on to every consumer of the output.
const MAX_ID_BYTES: usize = 1024;

/// Why an input line's `id` is not echoed, or `None` when it is: it must be a JSON string or
/// number (or `null`, the same as no id) of at most [`MAX_ID_BYTES`].
fn id_problem(id: &RawValue) -> Option<String> {
    let text = id.get();
    let kind = match text.as_bytes().first() {
        Some(b'"') | Some(b'-') | Some(b'0'..=b'9') => None,
        Some(b'n') => return None, // null
        Some(b'[') => Some("an array"),
        Some(b'{') => Some("an object"),
        _ => Some("a boolean"),
    };
    if let Some(kind) = kind {
        return Some(format!(
            "`id` is {kind}: an id must be a string or a number (at most {MAX_ID_BYTES} bytes)"
        ));
    }
    (text.len() > MAX_ID_BYTES).then(|| {
        format!(
            "`id` is {} bytes long: an id must be a string or a number of at most \
             {MAX_ID_BYTES} bytes",
            text.len()
        )
    })
}

/// Reads `reader` into batches of non-blank lines with their numbers, sent to `batches`:
/// up to BATCH lines (fewer once BATCH_BYTES are held), but only those already arrived, so
/// a producer that waits for each answer is answered at once (reading on would block), while
/// a bulk stream fills whole batches. Runs on its own thread so reading overlaps
/// classification. Batches handed back on `used` are filled again: a stream costs a few
/// batches' memory, allocated once.
fn read_batches(
    reader: Box<dyn Read + Send>,
    name: &str,
    max_bytes: u64,
    batches: std::sync::mpsc::SyncSender<Batch>,
    used: std::sync::mpsc::Receiver<Batch>,
) -> Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line_number = 0u64;
    loop {
        let mut batch = used.try_recv().unwrap_or_default();
        batch.bytes.clear();
        batch.lines.clear();
        let mut eof = false;
        while batch.lines.len() < BATCH
            && batch.bytes.len() < BATCH_BYTES
            && (batch.lines.is_empty() || !reader.buffer().is_empty())
        {
            let start = batch.bytes.len();
            let (read, too_long) = read_line_limited(&mut reader, &mut batch.bytes, max_bytes)
                .map_err(|error| thematic::Error::io(name, error))?;
            if read == 0 {
                eof = true;
                break;
            }
            line_number += 1;
            if line_number == 1 && batch.bytes[start..].starts_with(BOM) {
                batch.bytes.drain(start..start + BOM.len());
            }
            if too_long {
                let message = format!("line longer than the {max_bytes}-byte limit (--max-bytes)");
                batch.lines.push((line_number, Err(message)));
            } else if batch.bytes[start..].iter().all(u8::is_ascii_whitespace) {
                batch.bytes.truncate(start);
            } else {
                batch
                    .lines
                    .push((line_number, Ok(start..batch.bytes.len())));
            }
        }
        if !batch.lines.is_empty() && batches.send(batch).is_err() {
            return Ok(()); // The consumer stopped (a write failed); it reports why.
        }
        if eof {
            return Ok(());
        }
    }
}

/// The UTF-8 byte-order mark some Windows tools write first: not a part of the first line.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Numbered input lines, their bytes kept end to end in one buffer (one allocation a batch,
/// not one a line), or why a line was not kept.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    lines: Vec<(u64, Result<std::ops::Range<usize>, String>)>,
}

/// Opens a JSONL input named on the command line. A directory is refused here (its read
/// would fail): `--input jsonl` reads files, FIFOs and standard input, not trees.
fn open_jsonl(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "a directory: --input jsonl reads files or '-'",
        ));
    }
    Ok(file)
}

/// Classifies JSONL streams line by line, in bounded batches (a directory: each `.jsonl` file
/// under it, in name order); returns whether a line or an input failed. An input that cannot
/// be opened or read is reported and the next one read.
fn classify_jsonl<W: Write>(
    model: &Model,
    options: &ClassifyOptions,
    paths: &[PathBuf],
    max_bytes: u64,
    writer: &mut Writer<W>,
    progress: &Progress,
    unknown: &mut UnknownNotes,
) -> Result<bool> {
    let pool = model.workspace_pool();
    let (paths, mut failed) = inputs::jsonl_files(paths);
    for path in &paths {
        let name = path.display().to_string();
        let source: Box<dyn Read + Send> = if path.as_os_str() == "-" {
            Box::new(std::io::stdin())
        } else {
            match open_jsonl(path) {
                Ok(file) => Box::new(file),
                Err(error) => {
                    // One input that cannot be read stops only itself.
                    failed = true;
                    super::report("error", thematic::Error::io(path, error));
                    continue;
                }
            }
        };
        // Two batches waiting at most (and those being classified, see `inputs::in_order`):
        // memory stays bounded whatever the stream's length.
        let (send, batches) = std::sync::mpsc::sync_channel(2);
        let (give_back, used) = std::sync::mpsc::channel::<Batch>();
        let format = writer.format();
        let failed_here = std::thread::scope(|scope| -> Result<bool> {
            let reading = scope.spawn(|| read_batches(source, &name, max_bytes, send, used));
            let mut failed = false;
            let classify_batch = |batch: Batch| {
                let outcomes: Vec<LineOutcome> = batch
                    .lines
                    .par_iter()
                    .map(|line| {
                        pool.with(|workspace| {
                            classify_line(model, options, workspace, format, &batch.bytes, line)
                        })
                    })
                    .collect();
                (batch, outcomes)
            };
            inputs::in_order(batches, classify_batch, |(mut batch, outcomes)| {
                for ((line, _), outcome) in batch.lines.iter().zip(outcomes) {
                    let only_unknown = match &outcome {
                        LineOutcome::Rendered(_, only_unknown) => *only_unknown,
                        LineOutcome::Done(_, result) => result.only_unknown_words,
                        LineOutcome::Error(_) => false,
                    };
                    if only_unknown {
                        unknown.note(format!("{name}:{line}"));
                    }
                    match outcome {
                        LineOutcome::Rendered(bytes, _) => writer.write_rendered(&bytes)?,
                        LineOutcome::Done(Some(id), result) => {
                            writer.write(&Origin::Id(&id), &result)?
                        }
                        LineOutcome::Done(None, result) => {
                            writer.write(&Origin::Line(*line), &result)?
                        }
                        LineOutcome::Error(message) => {
                            failed = true;
                            super::report("error", format!("{name}:{line}: {message}"));
                            writer.write_line_error(&name, *line, &message)?;
                        }
                    }
                }
                writer.flush()?;
                progress.classified(batch.lines.len() as u64, batch.bytes.len() as u64);
                // Back to the reader (if it still reads), but not the memory of a very long line.
                if batch.bytes.capacity() > 2 * BATCH_BYTES {
                    batch.bytes = Vec::new();
                }
                let _ = give_back.send(batch);
                Ok(())
            })?;
            // A read that fails part way (an I/O error) ends this input, not the run: the
            // lines before it were classified.
            if let Err(error) = reading.join().expect("reader thread does not panic") {
                failed = true;
                super::report("error", format!("{error:#}"));
            }
            Ok(failed)
        })?;
        failed |= failed_here;
    }
    Ok(failed)
}
