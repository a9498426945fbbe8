//! `thematic inspect`: what a model knows and how it was made.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{json, Value};
use thematic::model::{check_not_inputs, Output};

use super::ReportFormat;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Model file [default: the built-in model].
    #[arg(value_name = "MODEL", conflicts_with = "model")]
    model_file: Option<PathBuf>,
    /// Model file, as the other commands take it (the same as MODEL).
    #[arg(long, short, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Top terms to list per theme.
    #[arg(long, short, default_value_t = 15)]
    top: usize,
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Also write the model as an HTML page (themes, thresholds, training scores, top terms)
    /// to this file (self-contained; replaced atomically).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

/// Columns the table keeps within: under the usual terminal's 80, where a full line can leave
/// the cursor on an extra blank one.
const WIDTH: usize = 79;

/// Characters of the data hash the table shows: enough to tell two models apart at a glance;
/// `--format json` gives the whole hash.
const SHORT_HASH: usize = 12;

fn short_hash(hash: &str) -> &str {
    hash.get(..SHORT_HASH).unwrap_or(hash)
}

/// Settings as `name value` items, from their serde form: a struct's fields, or those of an
/// enum variant (`{"Ftrl": {"alpha": 2.0, ...}}`, whose name is shown elsewhere).
fn name_value_pairs(value: &Value) -> Result<Vec<String>> {
    let fields = match value {
        Value::Object(map) => match map.values().next() {
            Some(Value::Object(inner)) if map.len() == 1 => inner,
            _ => map,
        },
        other => anyhow::bail!("settings are not named fields: {other}"),
    };
    Ok(fields
        .iter()
        .map(|(name, value)| format!("{name} {value}"))
        .collect())
}

/// Writes `items` joined by `, `, the first line starting with `first`, the next ones with
/// `rest`, each line kept within [`WIDTH`] columns where the items allow.
fn wrapped(out: &mut impl Write, first: &str, rest: &str, items: &[String]) -> std::io::Result<()> {
    let mut line = first.to_string();
    let mut empty = true;
    for (index, item) in items.iter().enumerate() {
        let separator = if index + 1 < items.len() { "," } else { "" };
        let needed = item.chars().count() + separator.len() + usize::from(!empty);
        if !empty && line.chars().count() + needed > WIDTH {
            writeln!(out, "{line}")?;
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(item);
        line.push_str(separator);
        empty = false;
    }
    writeln!(out, "{line}")
}

pub fn run(args: Args) -> Result<ExitCode> {
    let path = args.model.or(args.model_file);
    if let Some(report) = &args.report {
        check_not_inputs(report, Output::Report, &[], path.as_deref())
            .map_err(super::from_argument("report"))?;
    }
    let model = super::load_model(path.as_deref())?;
    let info = model.info();
    let name = path
        .as_ref()
        .map_or("built-in model".to_string(), |p| p.display().to_string());
    if let Some(report) = &args.report {
        thematic::report::write(report, &thematic::report::model_page(&model, &name))
            .map_err(super::from_argument("report"))?;
        super::report("note", format!("report written to {}", report.display()));
    }
    let mut out = super::StandardOutput::lock();
    match args.format {
        ReportFormat::Json => {
            let themes: serde_json::Map<String, serde_json::Value> = model
                .themes()
                .iter()
                .enumerate()
                .map(|(t, theme)| {
                    (
                        theme.clone(),
                        json!({
                            "threshold": model.scorer().thresholds()[t],
                            "training_documents": info.positives.get(t),
                            "top_terms": model.top_terms(t, args.top).into_iter().map(|(s, _)| s).collect::<Vec<_>>(),
                        }),
                    )
                })
                .collect();
            let value = json!({
                "model": name,
                "format_version": thematic::model::FORMAT_VERSION,
                "themes": themes,
                "terms": model.tfidf().len(),
                "stems": model.tfidf().stems().len(),
                "analyzer": model.analyzer_record(),
                "learner": info.learner,
                "vocabulary": info.vocabulary,
                "documents": info.documents,
                "folds": info.folds,
                "holdout": info.holdout,
                "seed": info.seed,
                "data_sha256": info.data_hash,
                "holdout_metrics": info.holdout_metrics.as_ref().map(super::evaluate::metrics_json),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        ReportFormat::Table => {
            let analyzer = model.analyzer_config();
            writeln!(
                out,
                "{name}: thematic model, format version {}",
                thematic::model::FORMAT_VERSION
            )?;
            writeln!(
                out,
                "  {} terms over {} stems; {} stemming, stop words {}, bigrams {}",
                model.tfidf().len(),
                model.tfidf().stems().len(),
                analyzer.language.name(),
                if analyzer.stop_words { "on" } else { "off" },
                if info.vocabulary.bigrams { "on" } else { "off" }
            )?;
            writeln!(
                out,
                "  trained on {} documents (seed {}, {} folds), data sha256 {}",
                info.documents,
                info.seed,
                info.folds,
                short_hash(&info.data_hash)
            )?;
            let learner = name_value_pairs(&serde_json::to_value(&info.learner)?)?;
            let learner_name = format!("  learner {}: ", info.learner.name());
            wrapped(&mut out, &learner_name, "    ", &learner)?;
            let vocabulary = name_value_pairs(&serde_json::to_value(&info.vocabulary)?)?;
            wrapped(&mut out, "  vocabulary: ", "    ", &vocabulary)?;
            if let Some(metrics) = &info.holdout_metrics {
                writeln!(
                    out,
                    "\n  scores on its held-out {:.0}%:",
                    info.holdout * 100.0
                )?;
                super::evaluate::write_metrics_table(&mut out, metrics)?;
            }
            for (t, theme) in model.themes().iter().enumerate() {
                writeln!(
                    out,
                    "\n  {theme} (threshold {:.3}, {} training documents)",
                    model.scorer().thresholds()[t],
                    info.positives.get(t).copied().unwrap_or(0)
                )?;
                let terms: Vec<String> = model
                    .top_terms(t, args.top)
                    .into_iter()
                    .map(|(s, w)| format!("{s} ({w:.2})"))
                    .collect();
                wrapped(&mut out, "    ", "    ", &terms)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
