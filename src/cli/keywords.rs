//! `thematic keywords`: the top terms of each document, as words.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;

/// `keywords --format`: the values `classify --format` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path<TAB>keywords, ...` lines.
    Table,
    /// One JSON array of `{"path", "keywords"}` objects.
    Json,
    /// One `{"path", "keywords": [...]}` object a line.
    Jsonl,
    /// `path,keywords` with a header, keywords separated by `;`.
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories (searched recursively) or '-' for standard input.
    paths: Vec<PathBuf>,
    /// Keywords per document, at most.
    #[arg(long, short, default_value_t = 10)]
    top: usize,
    /// Past the first 5, leave out keywords scoring under this share of the document's best
    /// (0 lists all --top).
    #[arg(long, value_name = "SHARE", default_value_t = thematic::keywords::MIN_RELEVANCE, value_parser = super::parse_share)]
    min_relevance: f32,
    /// Model whose vocabulary and IDF rank the terms [default: the built-in model].
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// Output format (not chosen by the terminal: scripts read the table's tab-separated
    /// lines).
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The old spelling of `--format jsonl`, kept for scripts.
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
    /// Read at most SIZE of each file: bytes, or with a unit (512KiB, 64MiB, 1GiB).
    #[arg(long, value_name = "SIZE", default_value = super::inputs::MAX_BYTES, value_parser = super::parse_size)]
    max_bytes: u64,
}

/// One document's JSON object.
fn record(source: &str, keywords: &[String]) -> serde_json::Value {
    serde_json::json!({"path": source, "keywords": keywords})
}

pub fn run(args: Args) -> Result<ExitCode> {
    let model = super::load_model(args.model.as_deref())?;
    let paths = super::paths_or_stdin(args.paths)?;
    let format = if args.json {
        Format::Jsonl
    } else {
        args.format
    };
    let pool = model.workspace_pool();
    let written = std::cell::Cell::new(0u64);
    let out = std::cell::RefCell::new(std::io::BufWriter::new(super::StandardOutput::lock()));
    let failed = super::inputs::for_each_document(
        &paths,
        args.max_bytes,
        || (),
        |_, _, text, _| {
            pool.with(|workspace| model.keywords(text, workspace, args.top, args.min_relevance))
        },
        |source, keywords| {
            let mut out = out.borrow_mut();
            let first = written.get() == 0;
            written.set(written.get() + 1);
            match format {
                Format::Jsonl => writeln!(out, "{}", record(source, &keywords))?,
                Format::Json => {
                    let separator = if first { "[\n" } else { ",\n" };
                    write!(out, "{separator}  {}", record(source, &keywords))?
                }
                Format::Csv => {
                    let mut csv = csv::Writer::from_writer(&mut *out);
                    if first {
                        csv.write_record(["path", "keywords"])?;
                    }
                    csv.write_record([
                        super::output::spreadsheet_safe(source.to_string()),
                        super::output::spreadsheet_safe(keywords.join(";")),
                    ])?;
                    csv.flush()?;
                }
                // Tabs and newlines in a name or keyword would forge columns or rows.
                Format::Table => writeln!(
                    out,
                    "{}\t{}",
                    super::for_humans(source),
                    super::for_humans(&keywords.join(", "))
                )?,
            }
            Ok(())
        },
        |_| Ok(()),
        || Ok(out.borrow_mut().flush()?),
    )?;
    let mut out = out.into_inner();
    if format == Format::Json {
        out.write_all(if written.get() == 0 {
            b"[\n]\n"
        } else {
            b"\n]\n"
        })?;
        out.flush()?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
