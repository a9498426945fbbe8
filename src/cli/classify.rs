//! `thematic classify`: files, directories, standard input or a JSONL stream in, one result
//! per document out, in input order.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;
use is_terminal::IsTerminal;
use rayon::prelude::*;
use serde_json::Value;
use thematic::corpus::{collect_files, read_stdin, read_text_file, Entry, FileText};
use thematic::{Classification, ClassifyOptions, Model};

use super::output::{Format, Origin, Writer};

/// `--input`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Each path is one document (directories: every file under them).
    Text,
    /// Each line is a `{"id": ..., "text": ...}` document.
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
    #[arg(long, short, value_parser = parse_probability)]
    threshold: Option<f64>,
    /// Keywords to report per document.
    #[arg(long, short, default_value_t = 8)]
    keywords: usize,
    /// How to read inputs.
    #[arg(long, value_enum, default_value_t = InputKind::Text)]
    input: InputKind,
    /// Worker threads (0: one per core). Output is the same for any number.
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

fn parse_probability(text: &str) -> std::result::Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

/// Documents handled per parallel batch: enough to keep every core busy, few enough that
/// memory stays flat and output starts at once.
const BATCH: usize = 256;

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
        ..ClassifyOptions::default()
    };
    let stdout = std::io::stdout().lock();
    let mut writer = Writer::new(std::io::BufWriter::new(stdout), format, model.themes());
    let failed = match args.input {
        InputKind::Text => classify_files(&model, &options, &paths, &mut writer)?,
        InputKind::Jsonl => classify_jsonl(&model, &options, &paths, &mut writer)?,
    };
    writer.finish()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

enum Outcome {
    Done(String, Vec<String>, Classification),
    Skipped(String, String),
    Failed(String),
}

/// Classifies whole files; returns whether any input failed.
fn classify_files<W: Write>(
    model: &Model,
    options: &ClassifyOptions,
    paths: &[PathBuf],
    writer: &mut Writer<W>,
) -> Result<bool> {
    let entries = collect_files(paths);
    let mut failed = false;
    // Documents classified per input path: a directory that gave none is an error.
    let mut classified = vec![0usize; paths.len()];
    for batch in entries.chunks(BATCH) {
        let outcomes: Vec<Outcome> = batch
            .par_iter()
            .map_init(
                || model.workspace(),
                |workspace, entry| match entry {
                    Entry::Failed(error) => Outcome::Failed(error.to_string()),
                    Entry::Skipped(path, reason) => {
                        Outcome::Skipped(path.display().to_string(), reason.clone())
                    }
                    Entry::File(path, _) => {
                        let read = if path.as_os_str() == "-" {
                            read_stdin()
                        } else {
                            read_text_file(path)
                        };
                        match read {
                            Err(error) => Outcome::Failed(error.to_string()),
                            Ok(FileText::Skipped(reason)) => {
                                Outcome::Skipped(path.display().to_string(), reason)
                            }
                            Ok(FileText::Text(doc)) => {
                                let result = model.classify(&doc.text, workspace, options);
                                Outcome::Done(doc.source, doc.notes, result)
                            }
                        }
                    }
                },
            )
            .collect();
        for (entry, outcome) in batch.iter().zip(outcomes) {
            match outcome {
                Outcome::Done(source, notes, result) => {
                    if let Entry::File(_, input) = entry {
                        classified[*input] += 1;
                    }
                    for note in notes {
                        eprintln!("thematic: note: {source}: {note}");
                    }
                    writer.write(&Origin::Path(&source), &result)?;
                }
                Outcome::Skipped(source, reason) => eprintln!("thematic: note: {source}: {reason}"),
                Outcome::Failed(message) => {
                    failed = true;
                    eprintln!("thematic: error: {message}");
                }
            }
        }
        writer.flush()?;
    }
    for (input, (path, count)) in paths.iter().zip(classified).enumerate() {
        // A directory with no file at all was already reported by `collect_files`.
        let had_files = entries
            .iter()
            .any(|e| matches!(e, Entry::File(_, i) if *i == input));
        if count == 0 && had_files && path.is_dir() {
            failed = true;
            eprintln!(
                "thematic: error: {}: directory holds no text files to classify",
                path.display()
            );
        }
    }
    Ok(failed)
}

/// One JSONL input line's fate.
enum LineOutcome {
    Done(Value, Classification),
    Error(String),
}

fn classify_line(
    model: &Model,
    options: &ClassifyOptions,
    workspace: &mut thematic::Workspace,
    bytes: &[u8],
) -> LineOutcome {
    let Ok(line) = std::str::from_utf8(bytes) else {
        return LineOutcome::Error("invalid UTF-8".into());
    };
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return LineOutcome::Error(format!("not JSON: {e}")),
    };
    let Some(text) = value.get("text").and_then(Value::as_str) else {
        return LineOutcome::Error("no string field `text`".into());
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    LineOutcome::Done(id, model.classify(text, workspace, options))
}

/// Classifies JSONL streams line by line, in bounded batches; returns whether a line failed.
fn classify_jsonl<W: Write>(
    model: &Model,
    options: &ClassifyOptions,
    paths: &[PathBuf],
    writer: &mut Writer<W>,
) -> Result<bool> {
    let mut failed = false;
    for path in paths {
        let name = path.display().to_string();
        let source: Box<dyn Read> = if path.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(file) => Box::new(file),
                Err(error) => {
                    failed = true;
                    eprintln!("thematic: error: {name}: {error}");
                    continue;
                }
            }
        };
        let mut reader = BufReader::new(source);
        let mut line_number = 0u64;
        let mut eof = false;
        while !eof {
            // Read a batch of non-blank lines with their numbers.
            let mut batch: Vec<(u64, Vec<u8>)> = Vec::with_capacity(BATCH);
            while batch.len() < BATCH {
                let mut buffer = Vec::new();
                let read = reader
                    .read_until(b'\n', &mut buffer)
                    .with_context(|| format!("{name}: read failed"))?;
                if read == 0 {
                    eof = true;
                    break;
                }
                line_number += 1;
                if buffer.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                batch.push((line_number, buffer));
            }
            let outcomes: Vec<LineOutcome> = batch
                .par_iter()
                .map_init(
                    || model.workspace(),
                    |workspace, (_, bytes)| classify_line(model, options, workspace, bytes),
                )
                .collect();
            for ((line, _), outcome) in batch.iter().zip(outcomes) {
                match outcome {
                    LineOutcome::Done(Value::Null, result) => {
                        writer.write(&Origin::Line(*line), &result)?
                    }
                    LineOutcome::Done(id, result) => writer.write(&Origin::Id(&id), &result)?,
                    LineOutcome::Error(message) => {
                        failed = true;
                        eprintln!("thematic: error: {name}:{line}: {message}");
                        writer.write_line_error(*line, &message)?;
                    }
                }
            }
            writer.flush()?;
        }
    }
    Ok(failed)
}
