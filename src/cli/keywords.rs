//! `thematic keywords`: the top terms of each document, as words.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use rayon::prelude::*;
use thematic::corpus::{collect_files, read_stdin, read_text_file, Entry, FileText};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories (searched recursively) or '-' for standard input.
    paths: Vec<PathBuf>,
    /// Keywords per document.
    #[arg(long, short, default_value_t = 10)]
    top: usize,
    /// Model whose vocabulary and IDF rank the terms [default: the built-in model].
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// Print one JSON object a line instead of `path<TAB>keywords`.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let model = super::load_model(args.model.as_deref())?;
    let entries = collect_files(&super::paths_or_stdin(args.paths)?);
    let results: Vec<Result<(String, Vec<String>), String>> = entries
        .par_iter()
        .map_init(
            || model.workspace(),
            |workspace, entry| match entry {
                Entry::Failed(e) => Err(format!("error: {e}")),
                Entry::Skipped(path, reason) => Err(format!("note: {}: {reason}", path.display())),
                Entry::File(path, _) => {
                    let read = if path.as_os_str() == "-" {
                        read_stdin()
                    } else {
                        read_text_file(path)
                    };
                    match read {
                        Err(e) => Err(format!("error: {e}")),
                        Ok(FileText::Skipped(reason)) => {
                            Err(format!("note: {}: {reason}", path.display()))
                        }
                        Ok(FileText::Text(doc)) => {
                            Ok((doc.source, model.keywords(&doc.text, workspace, args.top)))
                        }
                    }
                }
            },
        )
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for result in results {
        match result {
            Ok((source, keywords)) if args.json => writeln!(
                out,
                "{}",
                serde_json::json!({"path": source, "keywords": keywords})
            )?,
            Ok((source, keywords)) => writeln!(out, "{source}\t{}", keywords.join(", "))?,
            Err(message) => {
                failed |= message.starts_with("error");
                eprintln!("thematic: {message}");
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
