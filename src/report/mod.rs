//! HTML reports to look at rather than read: [`evaluation_page`] (a model scored on labelled
//! data: per theme the precision-recall curve with the threshold marked, F1 against threshold,
//! calibration, top terms, confusion counts and the worst errors; the co-occurrence of gold
//! and predicted themes; where it all came from) and [`model_page`] (a model's themes,
//! thresholds, training scores and top terms). [`write()`] puts one on disk atomically.
//!
//! A page is one self-contained file: inline CSS and SVG written here ([`svg`]), no script,
//! nothing fetched (its Content-Security-Policy forbids both), so it opens offline and shows
//! the same everywhere. Every id, term and theme name in it goes through [`html::escape`].

pub mod curves;
pub mod html;
pub mod svg;

use std::fmt::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::model::{destination, file::write_atomically, Output};
use crate::{ClassifyOptions, Error, LabelledDocument, Metrics, Model, Result};
use curves::{calibration, co_occurrence, Counts, ThemeCurves};
use html::{escape, table, Page};
use svg::{bars, Chart};

/// Top terms shown per theme.
pub const TOP_TERMS: usize = 15;
/// False positives, and false negatives, shown per theme.
pub const WORST_ERRORS: usize = 5;
/// Terms shown for each of the worst errors.
const ERROR_TERMS: usize = 5;

/// A model scored on labelled data: what [`evaluation_page`] shows.
#[derive(Debug)]
pub struct Evaluation<'a> {
    /// The model.
    pub model: &'a Model,
    /// How the model was named (its path, or `built-in model`).
    pub model_name: &'a str,
    /// The labelled documents, labels already mapped.
    pub documents: &'a [LabelledDocument],
    /// Each document's probability per theme, in model order (as [`Model::probabilities`]).
    pub scores: &'a [Vec<f64>],
    /// How the evaluation was asked for, as (name, value): data paths, label map...
    pub options: &'a [(String, String)],
}

/// SHA-256 (hex) of `bytes`.
fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn number(value: f64) -> String {
    format!("{value:.3}")
}

/// A (name, value) table of where a page came from.
fn provenance(rows: &[(String, String)]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(name, value)| vec![escape(name), escape(value)])
        .collect();
    format!(
        "<section class=\"provenance\">\n<h2>Where this came from</h2>\n{}</section>\n",
        table("provenance", &["what", "value"], &rows, &[0, 1])
    )
}

/// The model's own facts, shared by both pages.
fn model_facts(model: &Model, model_name: &str) -> Vec<(String, String)> {
    let info = model.info();
    let analyzer = model.analyzer_record();
    let json = |value: serde_json::Result<String>| value.unwrap_or_else(|e| e.to_string());
    vec![
        ("model".into(), model_name.into()),
        ("model SHA-256".into(), sha256(&model.to_bytes())),
        (
            "model format version".into(),
            crate::model::FORMAT_VERSION.to_string(),
        ),
        (
            "model vocabulary".into(),
            format!(
                "{} terms over {} stems",
                model.tfidf().len(),
                model.tfidf().stems().len()
            ),
        ),
        ("analyzer".into(), json(serde_json::to_string(&analyzer))),
        ("learner".into(), json(serde_json::to_string(&info.learner))),
        (
            "vocabulary settings".into(),
            json(serde_json::to_string(&info.vocabulary)),
        ),
        (
            "trained on".into(),
            format!(
                "{} documents, SHA-256 {}; seed {}, {} folds, {:.0}% held out",
                info.documents,
                info.data_hash,
                info.seed,
                info.folds,
                info.holdout * 100.0
            ),
        ),
        (
            "made by".into(),
            format!("thematic {}", env!("CARGO_PKG_VERSION")),
        ),
    ]
}

/// The headers of the columns every [`metrics_rows`] row starts with.
const METRIC_COLUMNS: [&str; 5] = ["theme", "precision", "recall", "F1", "support"];

/// Per-theme precision, recall, F1 and support, with extra cells per theme from `more`.
fn metrics_rows(metrics: &Metrics, mut more: impl FnMut(usize) -> Vec<String>) -> Vec<Vec<String>> {
    metrics
        .themes
        .iter()
        .enumerate()
        .map(|(t, m)| {
            let mut row = vec![
                escape(&m.theme),
                number(m.precision),
                number(m.recall),
                number(m.f1),
                m.support.to_string(),
            ];
            row.extend(more(t));
            row
        })
        .collect()
}

fn averages(metrics: &Metrics) -> String {
    format!(
        "<p>macro-F1 {}, micro-F1 {}, {} documents; {:.1}% of the documents of no theme tagged \
         anyway</p>\n",
        number(metrics.macro_f1),
        number(metrics.micro_f1),
        metrics.documents,
        metrics.none_false_positive_rate * 100.0
    )
}

fn figure(svg: &str, caption: &str) -> String {
    format!(
        "<figure>\n{svg}<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    )
}

/// A theme's top terms as bars with their weights.
fn top_terms_figure(model: &Model, theme: usize) -> String {
    let terms: Vec<(String, f64)> = model
        .top_terms(theme, TOP_TERMS)
        .into_iter()
        .map(|(term, weight)| (term, f64::from(weight)))
        .collect();
    let name = &model.themes()[theme];
    figure(
        &bars("top-terms", &format!("top terms of {name}"), &terms),
        "The terms whose weight pushes this theme's score up most (the weight a term's TF-IDF \
         value is multiplied by).",
    )
}

/// The evaluation report of `evaluation`, as one HTML document.
pub fn evaluation_page(evaluation: &Evaluation<'_>) -> String {
    let model = evaluation.model;
    let themes = model.themes();
    let thresholds: Vec<f64> = model
        .scorer()
        .thresholds()
        .iter()
        .map(|&t| f64::from(t))
        .collect();
    let gold: Vec<Vec<bool>> = evaluation
        .documents
        .iter()
        .map(|d| d.flags(themes))
        .collect();
    let predicted: Vec<Vec<bool>> = evaluation
        .scores
        .iter()
        .map(|scores| {
            scores
                .iter()
                .zip(&thresholds)
                .map(|(s, t)| s >= t)
                .collect()
        })
        .collect();
    let metrics = Metrics::compute(themes, &gold, &predicted);
    let exact = crate::metrics::exact_match(&gold, &predicted);
    let column = |t: usize| -> (Vec<f64>, Vec<bool>) {
        (
            evaluation.scores.iter().map(|s| s[t]).collect(),
            gold.iter().map(|g| g[t]).collect(),
        )
    };

    let title = format!(
        "thematic evaluation: {} on {} documents",
        evaluation.model_name,
        evaluation.documents.len()
    );
    let mut page = Page::new(
        &title,
        "Per theme: where the model's threshold sits on the precision-recall curve, what F1 \
         another threshold would give, how well the scores are calibrated, the terms the theme \
         rests on and the documents it gets most wrong. Hover a curve or point for its values.",
    );

    // Summary and co-occurrence, side by side.
    let counts: Vec<Counts> = (0..themes.len())
        .map(|t| {
            let (scores, gold) = column(t);
            Counts::at(&scores, &gold, thresholds[t])
        })
        .collect();
    let rows = metrics_rows(&metrics, |t| {
        let c = counts[t];
        vec![
            number(thresholds[t]),
            c.true_positives.to_string(),
            c.false_positives.to_string(),
            c.false_negatives.to_string(),
            c.true_negatives.to_string(),
        ]
    });
    let mut summary =
        String::from("<div class=\"row\">\n<section class=\"summary\">\n<h2>Scores</h2>\n");
    summary.push_str(&table(
        "metrics",
        &[&METRIC_COLUMNS[..], &["threshold", "TP", "FP", "FN", "TN"]].concat(),
        &rows,
        &[0],
    ));
    summary.push_str(&averages(&metrics));
    let _ = writeln!(summary, "<p>exact match {}</p>\n</section>", number(exact));
    let cells = co_occurrence(&gold, &predicted, themes.len());
    let names: Vec<String> = themes
        .iter()
        .map(|t| escape(t))
        .chain(std::iter::once("none".to_string()))
        .collect();
    let mut head: Vec<&str> = vec!["gold \\ tagged"];
    head.extend(themes.iter().map(String::as_str));
    head.push("none");
    let rows: Vec<Vec<String>> = cells
        .iter()
        .enumerate()
        .map(|(g, row)| {
            let total: u64 = row.iter().sum();
            let mut cellsrow = vec![names[g].clone()];
            cellsrow.extend(row.iter().map(|&n| {
                // Shade by the share of the row: where a theme's documents went.
                let share = if total == 0 { 0.0 } else { n as f64 / total as f64 };
                format!(
                    "<span class=\"cell\" style=\"display:block;background:rgba(47,109,181,{share:.2});color:{}\">{n}</span>",
                    if share > 0.55 { "#fff" } else { "inherit" }
                )
            }));
            cellsrow
        })
        .collect();
    summary
        .push_str("<section class=\"co-occurrence\">\n<h2>Which theme is taken for which</h2>\n");
    summary.push_str(&table("co-occurrence", &head, &rows, &[0]));
    summary.push_str(
        "<p class=\"note\">Documents by gold theme (rows) and tagged theme (columns); a \
         document of two themes counts in both rows. Shading: share of the row; the \
         diagonal is right.</p>\n</section>\n</div>\n",
    );
    page.push(&summary);

    let mut workspace = model.workspace();
    let evidence_options = ClassifyOptions {
        threshold: Some(0.0), // every theme "assigned": its evidence is listed
        keywords: 0,
        evidence: ERROR_TERMS,
        ..ClassifyOptions::default()
    };
    for (t, theme) in themes.iter().enumerate() {
        let (scores, theme_gold) = column(t);
        let curves = ThemeCurves::new(&scores, &theme_gold);
        let threshold = thresholds[t];
        let at = counts[t];
        let mut section = format!(
            "<section class=\"theme\" data-theme=\"{}\">\n<h2>{} <span class=\"note\">threshold {}, {} documents carry it</span></h2>\n<div class=\"row\">\n",
            escape(theme),
            escape(theme),
            number(threshold),
            at.true_positives + at.false_negatives
        );

        let mut pr = Chart::new(
            "precision-recall",
            &format!("{theme}: precision-recall"),
            "recall",
            "precision",
        );
        pr.curve(
            &curves.precision_recall,
            "precision and recall as the threshold moves over every document's score",
        );
        if !curves.precision_recall.is_empty() {
            pr.mark(
                "threshold",
                (at.recall(), at.precision()),
                5.0,
                &format!(
                    "model threshold {}: precision {}, recall {}",
                    number(threshold),
                    number(at.precision()),
                    number(at.recall())
                ),
            );
        }
        let caption = if curves.precision_recall.is_empty() {
            "No document of the data carries this theme: recall, and so the curve, is undefined."
                .to_string()
        } else {
            "The orange point is the model's threshold.".to_string()
        };
        section.push_str(&figure(&pr.finish(), &caption));

        let mut f1 = Chart::new(
            "f1-threshold",
            &format!("{theme}: F1 against threshold"),
            "threshold",
            "F1",
        );
        f1.curve(&curves.f1_by_threshold, "F1 if the threshold were here");
        f1.rule(threshold, &format!("model threshold {}", number(threshold)));
        f1.mark(
            "threshold",
            (threshold, at.f1()),
            5.0,
            &format!(
                "model threshold {}: F1 {}",
                number(threshold),
                number(at.f1())
            ),
        );
        let mut caption = format!(
            "The orange rule and point: the model's threshold {} (F1 {}).",
            number(threshold),
            number(at.f1())
        );
        if let Some((best_threshold, best_f1)) = curves.best {
            f1.mark(
                "best",
                (best_threshold, best_f1),
                5.0,
                &format!(
                    "best F1 on this data {} at threshold {}",
                    number(best_f1),
                    number(best_threshold)
                ),
            );
            let _ = write!(
                caption,
                " Green: the best F1 on this data, {} at threshold {}.",
                number(best_f1),
                number(best_threshold)
            );
        }
        section.push_str(&figure(&f1.finish(), &caption));

        let bins = calibration(&scores, &theme_gold);
        let mut calibrated = Chart::new(
            "calibration",
            &format!("{theme}: calibration"),
            "mean score in the bin",
            "observed share",
        );
        calibrated.reference(&[(0.0, 0.0), (1.0, 1.0)], "perfect calibration");
        let points: Vec<(f64, f64)> = bins.iter().map(|b| (b.mean_score, b.observed)).collect();
        calibrated.curve(&points, "observed share against mean score, per bin of 0.1");
        for bin in &bins {
            calibrated.mark(
                "bin",
                (bin.mean_score, bin.observed),
                (2.0 + (bin.documents as f64).sqrt() / 2.0).min(8.0),
                &format!(
                    "scores {:.1}-{:.1}: {} documents, mean score {}, {} carry the theme",
                    bin.lower,
                    bin.lower + 0.1,
                    bin.documents,
                    number(bin.mean_score),
                    number(bin.observed)
                ),
            );
        }
        section.push_str(&figure(
            &calibrated.finish(),
            "Documents in bins of score 0.1 wide; a point on the dashed diagonal means the score \
             is the observed share. Larger points hold more documents.",
        ));
        section.push_str("</div>\n<div class=\"row\">\n");
        section.push_str(&top_terms_figure(model, t));

        // The worst errors: the most confident false positives and false negatives.
        let mut false_positives: Vec<usize> = (0..scores.len())
            .filter(|&d| !theme_gold[d] && scores[d] >= threshold)
            .collect();
        false_positives.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let mut false_negatives: Vec<usize> = (0..scores.len())
            .filter(|&d| theme_gold[d] && scores[d] < threshold)
            .collect();
        false_negatives.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(a.cmp(&b)));
        let mut rows = Vec::new();
        for (kind, documents) in [
            ("false positive", &false_positives),
            ("false negative", &false_negatives),
        ] {
            for &d in documents.iter().take(WORST_ERRORS) {
                let document = &evaluation.documents[d];
                let result = model.classify(&document.text, &mut workspace, &evidence_options);
                let terms = result
                    .evidence
                    .iter()
                    .find(|(name, _)| *name == theme.as_str())
                    .map(|(_, terms)| terms.join(", "))
                    .unwrap_or_default();
                let labels = if document.labels.is_empty() {
                    "none".to_string()
                } else {
                    document.labels.join(", ")
                };
                rows.push(vec![
                    kind.to_string(),
                    escape(&document.id),
                    number(scores[d]),
                    escape(&labels),
                    escape(&terms),
                ]);
            }
        }
        let _ = write!(
            section,
            "<div class=\"errors\">\n<h3>Worst errors</h3>\n<p class=\"note\">TP {}, FP {}, FN {}, TN {}. \
             The {WORST_ERRORS} highest-scoring documents tagged without carrying the theme, and \
             the {WORST_ERRORS} lowest-scoring that carry it but were missed; the terms are those \
             that pushed the score up most.</p>\n",
            at.true_positives, at.false_positives, at.false_negatives, at.true_negatives
        );
        if rows.is_empty() {
            section.push_str("<p>No errors on this theme.</p>\n");
        } else {
            section.push_str(&table(
                "worst-errors",
                &[
                    "error",
                    "document",
                    "score",
                    "gold themes",
                    "terms that carried it",
                ],
                &rows,
                &[0, 1, 3, 4],
            ));
        }
        section.push_str("</div>\n</div>\n</section>\n");
        page.push(&section);
    }

    let data_positives: Vec<String> = themes
        .iter()
        .enumerate()
        .map(|(t, theme)| format!("{theme} {}", gold.iter().filter(|g| g[t]).count()))
        .collect();
    let none = gold.iter().filter(|g| !g.iter().any(|&x| x)).count();
    let mut facts: Vec<(String, String)> = evaluation.options.to_vec();
    facts.push((
        "data".into(),
        format!(
            "{} documents ({}, none {none}), SHA-256 {}",
            evaluation.documents.len(),
            data_positives.join(", "),
            crate::training::data_hash(evaluation.documents)
        ),
    ));
    facts.extend(model_facts(model, evaluation.model_name));
    page.push(&provenance(&facts));
    page.finish(&title)
}

/// The page of a model: its themes, thresholds, training scores and top terms.
pub fn model_page(model: &Model, model_name: &str) -> String {
    let info = model.info();
    let title = format!("thematic model: {model_name}");
    let mut page = Page::new(
        &title,
        "The model's themes, the threshold each is tagged at, how it scored on the data held \
         out from its training, and the terms each theme rests on.",
    );
    let thresholds = model.scorer().thresholds();
    let mut section = String::from("<section class=\"summary\">\n<h2>Themes</h2>\n");
    match &info.holdout_metrics {
        Some(metrics) => {
            let rows = metrics_rows(metrics, |t| {
                vec![
                    number(f64::from(thresholds[t])),
                    info.positives.get(t).copied().unwrap_or(0).to_string(),
                ]
            });
            let _ = writeln!(
                section,
                "<p>Scores on its held-out {:.0}%, from a model fitted without it:</p>",
                info.holdout * 100.0
            );
            section.push_str(&table(
                "metrics",
                &[&METRIC_COLUMNS[..], &["threshold", "training documents"]].concat(),
                &rows,
                &[0],
            ));
            section.push_str(&averages(metrics));
        }
        None => {
            let rows: Vec<Vec<String>> = model
                .themes()
                .iter()
                .enumerate()
                .map(|(t, theme)| {
                    vec![
                        escape(theme),
                        number(f64::from(thresholds[t])),
                        info.positives.get(t).copied().unwrap_or(0).to_string(),
                    ]
                })
                .collect();
            section.push_str("<p>Trained with nothing held out: no training scores.</p>\n");
            section.push_str(&table(
                "metrics",
                &["theme", "threshold", "training documents"],
                &rows,
                &[0],
            ));
        }
    }
    section.push_str("</section>\n");
    page.push(&section);
    page.push("<section class=\"top-terms\">\n<h2>Top terms</h2>\n<div class=\"row\">\n");
    for t in 0..model.themes().len() {
        page.push(&top_terms_figure(model, t));
    }
    page.push("</div>\n</section>\n");
    page.push(&provenance(&model_facts(model, model_name)));
    page.finish(&title)
}

/// Writes `page` to `path` atomically, as a model is written: a symbolic link is followed, and
/// what [`destination`] refuses is refused.
///
/// # Errors
/// [`Error::Destination`] for a destination that must not be replaced; [`Error::Io`] naming
/// `path` when the write fails.
pub fn write(path: &Path, page: &str) -> Result<()> {
    let target = destination(path, Output::Report)?;
    write_atomically(&target, page.as_bytes()).map_err(|e| Error::io(path, e))
}
