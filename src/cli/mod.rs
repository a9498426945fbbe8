//! Command-line arguments ([`Cli`]) and dispatch ([`run`]). Each command lives in its own file
//! and only parses, calls the library and prints.

mod classify;
mod evaluate;
mod inputs;
mod inspect;
mod keywords;
mod output;
mod progress;
mod shell;
mod standard_output;
mod table;
mod train;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use thematic::corpus::{read_labelled_jsonl_within, read_labelled_within, LabelMap};
use thematic::Model;

use standard_output::StandardOutput;

/// Tag news and policy text with themes, scores and the keywords behind them.
#[derive(Debug, Parser)]
#[command(name = "thematic", version, about, long_about = None)]
#[command(after_help = "Examples:
  # themes of one file, with the built-in model
  thematic classify article.txt
  # every text file under archive/, one JSON line each
  thematic classify archive/ --format jsonl
  cat feed.jsonl | thematic classify --input jsonl -
  thematic train --data datasets/train --out my.thematic
  thematic evaluate --data datasets/heldout
  thematic inspect

Exit status: 0 success; 1 some inputs failed (each reported on stderr, the rest still done),
or train wrote the model but could not print its report; 2 usage or fatal error (results that
cannot be written to standard output included; a closed pipe, as with `| head`, is no error).")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tag documents with themes, per-theme scores and keywords.
    #[command(after_help = "Examples:
  thematic classify report.txt
  thematic classify news/ --format csv > themes.csv
  thematic classify - < article.txt
  # one {\"id\": ..., \"text\": ...} object a line in, one result a line out
  thematic classify --input jsonl --format jsonl - < docs.jsonl")]
    Classify(classify::Args),
    /// Train a model on labelled data (JSONL, CSV, or one folder per label).
    #[command(after_help = "Examples:
  thematic train --data datasets/train --out models/default.thematic
  thematic train --data news.csv --out news.thematic --holdout 0.2 --seed 7
  thematic train --data ag_news.jsonl --out ag.thematic \\
      --label-map World=governance --label-map Sports=none

Limits, checked before any training work: at most 1000 themes (each costs a weight per term in
the model and (folds + 1) x 2 fits); every theme needs at least 5 positive and 5 negative
documents, and both kinds outside each threshold-tuning fold of the seeded holdout split and
of all the data, or train stops at once naming it.")]
    Train(train::Args),
    /// Score a model against labelled data: precision, recall and F1 per theme.
    #[command(after_help = "Examples:
  thematic evaluate --data datasets/heldout
  thematic evaluate --data test.jsonl --model my.thematic --format json
  # plots per theme in one HTML file: open report.html in a browser
  thematic evaluate --data datasets/heldout --report report.html")]
    Evaluate(evaluate::Args),
    /// List the top keywords of documents.
    #[command(after_help = "Examples:
  thematic keywords article.txt --top 10
  thematic keywords news/ --format jsonl > keywords.jsonl")]
    Keywords(keywords::Args),
    /// Show a model's themes, sizes, thresholds, training scores and top terms per theme.
    #[command(after_help = "Examples:
  thematic inspect
  thematic inspect my.thematic --top 20
  thematic inspect --model my.thematic --format json
  thematic inspect my.thematic --report model.html")]
    Inspect(inspect::Args),
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:
  d=~/.local/share/bash-completion/completions
  mkdir -p $d && thematic completions bash > $d/thematic
  # zsh: then add fpath+=~/.zfunc to ~/.zshrc
  thematic completions zsh > ~/.zfunc/_thematic
  thematic completions fish > ~/.config/fish/completions/thematic.fish")]
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff).
    #[command(after_help = "Examples:
  # then: man thematic
  thematic man > ~/.local/share/man/man1/thematic.1
  thematic man | man -l -")]
    Man,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    set_uring()?;
    match cli.command {
        Command::Classify(args) => classify::run(args),
        Command::Train(args) => train::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Keywords(args) => keywords::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
    }
}

/// The environment variable that turns reading files through io_uring off (`off` or `0`) or
/// on (`on` or `1`, the default), for measuring both read paths (see
/// [`thematic::corpus::use_uring`]).
const URING_VARIABLE: &str = "THEMATIC_URING";

/// Reads [`URING_VARIABLE`]: a value other than those it takes is an error naming it.
fn set_uring() -> Result<()> {
    let Some(value) = std::env::var_os(URING_VARIABLE) else {
        return Ok(());
    };
    match value.to_str() {
        Some("on" | "1") => thematic::corpus::use_uring(true),
        Some("off" | "0") => thematic::corpus::use_uring(false),
        _ => anyhow::bail!(
            "environment variable {URING_VARIABLE}: `{}` is neither on (1) nor off (0)",
            value.to_string_lossy()
        ),
    }
    Ok(())
}

/// `text` as a terminal should show it: control characters (an escape sequence could retitle
/// or clear the terminal, a newline or carriage return forge a line) and bidirectional
/// overrides (which reorder what is shown) are written as `\u{..}` escapes; tabs and newlines
/// as `\t` and `\n`.
pub fn for_humans(text: &str) -> std::borrow::Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Prints `thematic: KIND: MESSAGE` on standard error, the message made safe for a terminal
/// ([`for_humans`]): one line whatever the file names or ids in it.
/// A progress bar being drawn is moved out of the line's way.
pub fn report(kind: &str, message: impl std::fmt::Display) {
    let line = format!("thematic: {kind}: {}", for_humans(&message.to_string()));
    progress::suspend(|| eprintln!("{line}"));
}

/// Whether `error` comes from writing to a closed pipe (`thematic ... | head`): not a failure.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            io.kind() == BrokenPipe
        } else if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            json.io_error_kind() == Some(BrokenPipe)
        } else if let Some(csv) = cause.downcast_ref::<csv::Error>() {
            matches!(csv.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe)
        } else if let Some(thematic::Error::Io { io, .. }) = cause.downcast_ref() {
            io.kind() == BrokenPipe
        } else {
            false
        }
    })
}

/// Human table or machine formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned text for people.
    Table,
    /// One JSON document.
    Json,
}

/// A library error about the file given to argument `name`, said once with the argument's name:
/// `model DIR: is a directory`. Errors not about a file are left as they are.
fn from_argument(name: &'static str) -> impl FnOnce(thematic::Error) -> anyhow::Error {
    move |error| {
        if error.starts_with_path() {
            anyhow::Error::new(ArgumentError { name, error })
        } else {
            anyhow::Error::new(error)
        }
    }
}

/// See [`from_argument`]. The library error is part of the message, not a cause printed again.
#[derive(Debug, thiserror::Error)]
#[error("{name} {error}")]
struct ArgumentError {
    name: &'static str,
    error: thematic::Error,
}

/// `--data PATH...` read in order (`-`: labelled JSONL on standard input), then
/// `--label-map FROM=TO...` applied: the labelled documents of `train` and `evaluate`. The
/// rules are checked before any file is read.
fn read_labelled_data(
    paths: &[PathBuf],
    label_map: &[String],
    max_bytes: u64,
) -> Result<Vec<thematic::LabelledDocument>> {
    let label_map = LabelMap::parse(label_map)?;
    let mut documents = Vec::new();
    for path in paths {
        let read = if path.as_os_str() == "-" {
            read_labelled_jsonl_within(std::io::stdin().lock(), path, max_bytes)
        } else {
            read_labelled_within(path, max_bytes)
        };
        let read = read.map_err(from_argument("data"))?;
        // The first input's documents are kept as read, not copied into a second vector.
        if documents.is_empty() {
            documents = read;
        } else {
            documents.extend(read);
        }
    }
    label_map.apply(&mut documents)?;
    Ok(documents)
}

/// `--model M`, or the embedded default model.
fn load_model(path: Option<&Path>) -> Result<Model> {
    match path {
        Some(path) => Model::load(path).map_err(from_argument("model")),
        None => Model::embedded().context("the built-in model is unusable; rebuild thematic"),
    }
}

/// Most worker threads `--threads` accepts: more only costs memory and start-up time (each
/// thread has its own stack and workspace) on any machine this runs on.
const MAX_THREADS: usize = 256;

/// A probability, 0 to 1.
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

/// A share, 0 to 1.
fn parse_share(text: &str) -> std::result::Result<f32, String> {
    parse_probability(text).map(|share| share as f32)
}

/// `--threads N`: 0 (one per core) to [`MAX_THREADS`], checked before any work.
fn parse_threads(text: &str) -> std::result::Result<usize, String> {
    let threads: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    if threads > MAX_THREADS {
        return Err(format!(
            "{threads} is more than {MAX_THREADS} (0 means one per core)"
        ));
    }
    Ok(threads)
}

/// `--max-bytes SIZE`: plain bytes (`1000`) or binary units (`512KiB`, `64MiB`, `1GiB`), as
/// its default is shown in `--help`.
fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size: give bytes (`1000`) or KiB, MiB, GiB (`64MiB`)"
            ))
        }
    };
    let count: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size: a whole number comes first (`64MiB`)"))?;
    match count.checked_mul(multiplier) {
        None => Err(format!("`{text}` is too large")),
        Some(0) => Err("0 bytes would read nothing: give at least 1".into()),
        Some(bytes) => Ok(bytes),
    }
}

/// Sets the number of worker threads (0: one per core).
fn set_threads(threads: usize) -> Result<()> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .context("could not start worker threads")
}

/// The width to fit a table to: standard output's terminal's (`COLUMNS`, when set, says it
/// instead), at least [`table::MIN_WIDTH`]. `None` when standard output is not a terminal:
/// files and pipes get the same full table whatever terminal the command ran from.
fn table_width() -> Option<usize> {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|&columns| columns > 0);
    let width = columns.or_else(|| {
        terminal_size::terminal_size_of(&stdout).map(|(width, _)| usize::from(width.0))
    })?;
    Some(width.max(table::MIN_WIDTH))
}

/// Paths given, or `-` (standard input) when none are.
fn paths_or_stdin(paths: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    use std::io::IsTerminal;
    if !paths.is_empty() {
        return Ok(paths);
    }
    if std::io::stdin().is_terminal() {
        anyhow::bail!("no input: give files or directories, or '-' to read standard input");
    }
    Ok(vec![PathBuf::from("-")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_bytes_or_binary_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size(inputs::MAX_BYTES), Ok(64 << 20));
        assert_eq!(parse_size("1gib"), Ok(1 << 30));
        assert_eq!(parse_size("7 B"), Ok(7));
        for bad in [
            "",
            "MiB",
            "64MB",
            "1.5MiB",
            "-1",
            "99999999999999GiB",
            "0",
            "0KiB",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
