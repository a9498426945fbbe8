//! `thematic evaluate`: a model's precision, recall and F1 on labelled data.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use thematic::metrics::exact_match;
use thematic::model::{check_not_inputs, Output};
use thematic::{report, Metrics};

use super::ReportFormat;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled data: .jsonl, .csv, a directory of them, a folder per label, or '-' for JSONL
    /// on standard input.
    #[arg(long, short, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// Model file [default: the built-in model].
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// Rename a label: FROM=TO (repeatable; TO may be `none`).
    #[arg(long = "label-map", value_name = "FROM=TO")]
    label_map: Vec<String>,
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Most bytes of one training record (a JSONL line, a CSV record, a file of a label
    /// folder): a longer one is an error naming its file and line, found without holding it.
    /// SIZE is in bytes, or with a unit: 512KiB, 64MiB, 1GiB.
    #[arg(long, value_name = "SIZE", default_value = super::inputs::MAX_BYTES, value_parser = super::parse_size)]
    max_bytes: u64,
    /// Also write an HTML report with plots to this file (self-contained; replaced
    /// atomically).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

/// The `evaluate --format json` object of DESIGN.md.
pub fn metrics_json(metrics: &Metrics) -> Value {
    let themes: Map<String, Value> = metrics
        .themes
        .iter()
        .map(|m| {
            (
                m.theme.clone(),
                json!({"precision": m.precision, "recall": m.recall, "f1": m.f1, "support": m.support}),
            )
        })
        .collect();
    json!({
        "documents": metrics.documents,
        "themes": themes,
        "macro_f1": metrics.macro_f1,
        "micro_f1": metrics.micro_f1,
        "none_false_positive_rate": metrics.none_false_positive_rate,
    })
}

/// Per-theme rows and averages, for people.
pub fn write_metrics_table(out: &mut impl Write, metrics: &Metrics) -> std::io::Result<()> {
    writeln!(
        out,
        "  {:<20} {:>9} {:>9} {:>9} {:>9}",
        "theme", "precision", "recall", "f1", "support"
    )?;
    for m in &metrics.themes {
        writeln!(
            out,
            "  {:<20} {:>9.3} {:>9.3} {:>9.3} {:>9}",
            m.theme, m.precision, m.recall, m.f1, m.support
        )?;
    }
    writeln!(
        out,
        "  macro-F1 {:.3}   micro-F1 {:.3}   documents {}   none tagged anyway {:.1}%",
        metrics.macro_f1,
        metrics.micro_f1,
        metrics.documents,
        metrics.none_false_positive_rate * 100.0
    )
}

/// Up to eight names, `a, b, c and 4 more`, so a message stays one readable line.
fn listed(names: &[&String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

pub fn run(args: Args) -> Result<ExitCode> {
    // Before any work: a report destination that must not be replaced (the data, the model,
    // a device...) fails now, not after the evaluation.
    if let Some(report) = &args.report {
        check_not_inputs(report, Output::Report, &args.data, args.model.as_deref())
            .map_err(super::from_argument("report"))?;
    }
    let model = super::load_model(args.model.as_deref())?;
    let documents = super::read_labelled_data(&args.data, &args.label_map, args.max_bytes)?;
    let themes = model.themes();
    let labels: BTreeSet<&String> = documents.iter().flat_map(|d| &d.labels).collect();
    let (known, unknown): (Vec<&String>, Vec<&String>) =
        labels.into_iter().partition(|l| themes.contains(l));
    // Data of no theme at all is a fair test (of false positives); labels that are all
    // foreign are a mistake, and would score a table of zeros.
    if known.is_empty() && !unknown.is_empty() {
        anyhow::bail!(
            "none of the data's labels ({}) is a theme of the model ({}): \
             map them with --label-map FROM=TO (TO may be `none`)",
            listed(&unknown),
            listed(&themes.iter().collect::<Vec<_>>())
        );
    }
    for label in unknown {
        super::report(
            "note",
            format!("label `{label}` is not a theme of this model; it is ignored"),
        );
    }
    let gold: Vec<Vec<bool>> = documents.iter().map(|d| d.flags(themes)).collect();
    let pool = model.workspace_pool();
    let scores: Vec<Vec<f64>> = documents
        .par_iter()
        .map(|d| pool.with(|workspace| model.probabilities(&d.text, workspace).to_vec()))
        .collect();
    // The model's own decisions (as `Model::decisions`), from the scores the report plots.
    let thresholds = model.scorer().thresholds();
    let predicted: Vec<Vec<bool>> = scores
        .iter()
        .map(|s| {
            s.iter()
                .zip(thresholds)
                .map(|(&p, &cut)| p >= f64::from(cut))
                .collect()
        })
        .collect();
    let metrics = Metrics::compute(themes, &gold, &predicted);
    let exact = exact_match(&gold, &predicted);
    if let Some(path) = &args.report {
        let model_name = args
            .model
            .as_ref()
            .map_or("built-in model".to_string(), |p| p.display().to_string());
        let mut options: Vec<(String, String)> = args
            .data
            .iter()
            .map(|p| ("--data".to_string(), p.display().to_string()))
            .collect();
        options.extend(
            args.label_map
                .iter()
                .map(|rule| ("--label-map".to_string(), rule.clone())),
        );
        let page = report::evaluation_page(&report::Evaluation {
            model: &model,
            model_name: &model_name,
            documents: &documents,
            scores: &scores,
            options: &options,
        });
        report::write(path, &page).map_err(super::from_argument("report"))?;
        super::report("note", format!("report written to {}", path.display()));
    }
    let mut out = super::StandardOutput::lock();
    match args.format {
        ReportFormat::Json => {
            let mut value = metrics_json(&metrics);
            value["exact_match"] = json!(exact);
            writeln!(out, "{value}")?
        }
        ReportFormat::Table => {
            write_metrics_table(&mut out, &metrics)?;
            writeln!(out, "  exact match {:.3}", exact)?
        }
    }
    Ok(ExitCode::SUCCESS)
}
