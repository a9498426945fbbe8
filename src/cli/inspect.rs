//! `thematic inspect`: what a model knows and how it was made.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;
use thematic::Model;

use super::ReportFormat;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Model file [default: the built-in model].
    model: Option<PathBuf>,
    /// Top terms to list per theme.
    #[arg(long, short, default_value_t = 15)]
    top: usize,
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

/// The `n` terms with the largest positive weight for theme `t`, as (surface, weight).
fn top_terms(model: &Model, t: usize, n: usize) -> Vec<(String, f32)> {
    let scorer = model.scorer();
    let mut terms: Vec<(f32, u32)> = (0..model.tfidf().len() as u32)
        .map(|id| (scorer.weight(id, t), id))
        .filter(|(w, _)| *w > 0.0)
        .collect();
    terms.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    terms
        .into_iter()
        .take(n)
        .map(|(w, id)| (model.tfidf().surface(id).to_string(), w))
        .collect()
}

pub fn run(args: Args) -> Result<ExitCode> {
    let model = super::load_model(args.model.as_deref())?;
    let info = model.info();
    let name = args
        .model
        .as_ref()
        .map_or("built-in model".to_string(), |p| p.display().to_string());
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
                            "top_terms": top_terms(&model, t, args.top).into_iter().map(|(s, _)| s).collect::<Vec<_>>(),
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
                "analyzer": model.analyzer_config(),
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
                if analyzer.bigrams { "on" } else { "off" }
            )?;
            writeln!(
                out,
                "  trained on {} documents with {} (seed {}, {} folds), data sha256 {}",
                info.documents,
                serde_json::to_string(&info.learner)?,
                info.seed,
                info.folds,
                info.data_hash
            )?;
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
                let terms: Vec<String> = top_terms(&model, t, args.top)
                    .into_iter()
                    .map(|(s, w)| format!("{s} ({w:.2})"))
                    .collect();
                writeln!(out, "    {}", terms.join(", "))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
