//! `thematic keywords`: the top terms of each document, as words.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

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
    /// Read at most SIZE of each file: bytes, or with a unit (512KiB, 64MiB, 1GiB).
    #[arg(long, value_name = "SIZE", default_value = super::inputs::MAX_BYTES, value_parser = super::parse_size)]
    max_bytes: u64,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let model = super::load_model(args.model.as_deref())?;
    let paths = super::paths_or_stdin(args.paths)?;
    let pool = model.workspace_pool();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let out = std::cell::RefCell::new(&mut out);
    let failed = super::inputs::for_each_document(
        &paths,
        args.max_bytes,
        || (),
        |_, _, text, _| pool.with(|workspace| model.keywords(text, workspace, args.top)),
        |source, keywords| {
            let mut out = out.borrow_mut();
            if args.json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"path": source, "keywords": keywords})
                )?;
            } else {
                // Tabs and newlines in a name or keyword would forge columns or rows.
                writeln!(
                    out,
                    "{}\t{}",
                    super::for_humans(source),
                    super::for_humans(&keywords.join(", "))
                )?;
            }
            Ok(())
        },
        |_| Ok(()),
        || Ok(out.borrow_mut().flush()?),
    )?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
