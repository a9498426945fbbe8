//! `thematic train`: labelled data in, a model file out (written atomically), scores printed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use thematic::analysis::{AnalyzerConfig, Language};
use thematic::features::{VocabularyConfig, MAX_TERMS};
use thematic::model::learner::{LearnerOverrides, MAX_ALPHA, MAX_EPOCHS};
use thematic::model::{check_not_training_data, Learner};
use thematic::{train_with_progress, TrainOptions, TrainReport};

use super::ReportFormat;

/// `--learner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LearnerName {
    /// linfa-ftrl, FTRL-Proximal logistic model on seeded mini-batches.
    Ftrl,
    /// linfa-logistic, L2-penalised logistic regression (L-BFGS, full batch).
    Logistic,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled data: .jsonl, .csv, a directory of them, a folder per label, or '-' for JSONL
    /// on standard input.
    #[arg(long, short, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// Where to write the model (replaced atomically).
    #[arg(long, short)]
    out: PathBuf,
    /// Share of documents held out for the reported scores (0 to skip).
    #[arg(long, default_value_t = TrainOptions::default().holdout)]
    holdout: f64,
    /// Seed of every random choice (split, folds, learner).
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    seed: u64,
    /// Rename a label: FROM=TO (repeatable; TO may be `none`).
    #[arg(long = "label-map", value_name = "FROM=TO")]
    label_map: Vec<String>,
    /// linfa learner.
    #[arg(long, value_enum, default_value_t = LearnerName::Ftrl)]
    learner: LearnerName,
    /// Learner penalty/rate: logistic L2 alpha, or FTRL learning rate; above 0, at most 1e6
    /// [default: per learner].
    #[arg(long, value_parser = parse_alpha)]
    alpha: Option<f64>,
    /// FTRL passes over the data, 1 to 10000 [default: the learner's].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_EPOCHS)))]
    epochs: Option<u32>,
    /// Terms each theme is fitted on, chi-squared best, 1 to 1000000 [default: the learner's].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_TERMS)))]
    features_per_theme: Option<u32>,
    /// Folds for tuning each theme's threshold.
    #[arg(long, default_value_t = TrainOptions::default().folds)]
    folds: u32,
    /// Drop terms found in fewer documents.
    #[arg(long, default_value_t = VocabularyConfig::default().min_df)]
    min_df: u32,
    /// Drop terms found in more than this share of documents.
    #[arg(long, default_value_t = VocabularyConfig::default().max_df)]
    max_df: f64,
    /// Keep at most this many terms, 1 to 1000000.
    #[arg(long, default_value_t = VocabularyConfig::default().max_terms,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_TERMS)))]
    max_terms: u32,
    /// Stemmer language (english, french, german, spanish, ...).
    #[arg(long, default_value = "english", value_parser = parse_language)]
    language: Language,
    /// Use single words only, no bigrams.
    #[arg(long)]
    no_bigrams: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Most bytes of one training record (a JSONL line, a CSV record, a file of a label
    /// folder): a longer one is an error naming its file and line, found without holding it.
    /// SIZE is in bytes, or with a unit: 512KiB, 64MiB, 1GiB.
    #[arg(long, value_name = "SIZE", default_value = super::inputs::MAX_BYTES, value_parser = super::parse_size)]
    max_bytes: u64,
    /// Most memory the fits may take at once [default: what the system has available, under
    /// `ulimit -v` and the cgroup's limit]. Training that would need more stops before fitting,
    /// saying how much it needs and which option lowers it. SIZE as for --max-bytes.
    #[arg(long, value_name = "SIZE", value_parser = super::parse_size)]
    max_memory: Option<u64>,
    /// No progress bar (it is drawn on standard error only when that is a terminal).
    #[arg(long, short)]
    quiet: bool,
}

fn parse_language(name: &str) -> std::result::Result<Language, String> {
    Language::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Language::ALL.iter().map(|l| l.name()).collect();
        format!("unknown language `{name}`; one of: {}", names.join(", "))
    })
}

/// `--alpha A`: a number in (0, [`MAX_ALPHA`]].
fn parse_alpha(text: &str) -> std::result::Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if value > 0.0 && value <= MAX_ALPHA {
        Ok(value)
    } else {
        Err(format!("{text} is not in (0, 1e6]"))
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let name = match args.learner {
        LearnerName::Logistic => "logistic",
        LearnerName::Ftrl => "ftrl",
    };
    let learner = Learner::from_name(name)
        .expect("known learner")
        .with_overrides(LearnerOverrides {
            alpha: args.alpha,
            epochs: args.epochs,
            features_per_theme: args.features_per_theme,
        })?;
    let options = TrainOptions {
        analyzer: AnalyzerConfig {
            language: args.language,
            ..AnalyzerConfig::default()
        },
        vocabulary: VocabularyConfig {
            min_df: args.min_df,
            max_df: args.max_df,
            max_terms: args.max_terms,
            bigrams: !args.no_bigrams,
        },
        learner,
        folds: args.folds,
        holdout: args.holdout,
        seed: args.seed,
        max_memory: args.max_memory,
    };
    options.check()?;
    // Before any work: a destination that must not be replaced (or that is training data)
    // fails now, not after training.
    check_not_training_data(&args.out, &args.data)?;

    let progress = super::progress::Progress::train(args.quiet);
    let documents = super::read_labelled_data(&args.data, &args.label_map, args.max_bytes)?;
    let (model, report) =
        train_with_progress(&documents, &options, &|event| progress.training(event))?;
    progress.finish();
    model.save(&args.out).map_err(super::from_argument("out"))?;
    for (theme, why) in &report.degenerate {
        super::report(
            "warning",
            format!(
                "theme `{theme}` cannot tell documents apart: {why}; the model is written, but \
                 check --alpha and the data"
            ),
        );
    }

    // The model is written and whole from here: a report that cannot be printed is said to
    // be only that, with exit status 1 (a closed pipe, as with `| head`, is no error).
    match print_report(&args, &options, documents.len(), &report) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) if super::is_broken_pipe(&error) => Ok(ExitCode::SUCCESS),
        Err(error) => {
            super::report(
                "error",
                format!(
                    "model written to {} (it is complete), but the training report was not \
                     printed: {error:#}",
                    args.out.display()
                ),
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// Prints the training report on standard output.
fn print_report(
    args: &Args,
    options: &TrainOptions,
    documents: usize,
    report: &TrainReport,
) -> Result<()> {
    use std::io::Write;
    let mut out = super::StandardOutput::lock();
    match args.format {
        ReportFormat::Json => {
            let value = serde_json::json!({
                "model": args.out.display().to_string(),
                "documents": documents,
                "none_documents": report.none_documents,
                "terms": report.terms,
                "themes": report.themes.iter().zip(&report.positives)
                    .map(|(t, p)| (t.clone(), serde_json::json!(p)))
                    .collect::<serde_json::Map<_, _>>(),
                "holdout": report.holdout.as_ref().map(super::evaluate::metrics_json),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        ReportFormat::Table => {
            writeln!(
                out,
                "trained on {} documents ({} of no theme), {} terms, learner {}",
                documents,
                report.none_documents,
                report.terms,
                options.learner.name()
            )?;
            for (theme, positives) in report.themes.iter().zip(&report.positives) {
                writeln!(out, "  {theme:<20} {positives:>6} documents")?;
            }
            if let Some(metrics) = &report.holdout {
                writeln!(
                    out,
                    "\nscores on the held-out {:.0}% (seed {}), model fitted without it:",
                    options.holdout * 100.0,
                    options.seed
                )?;
                super::evaluate::write_metrics_table(&mut out, metrics)?;
            }
            writeln!(out, "\nmodel written to {}", args.out.display())?;
        }
    }
    out.flush()?;
    Ok(())
}
