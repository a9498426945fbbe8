//! [`Metrics`]: multi-label precision, recall and F1 per theme, macro and micro averages, and
//! how often a document of none of the themes is tagged anyway.

use serde::{Deserialize, Serialize};

/// Scores of one theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeMetrics {
    /// Theme name.
    pub theme: String,
    /// Share of documents tagged with the theme that carry it.
    pub precision: f64,
    /// Share of documents carrying the theme that were tagged.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Documents that carry the theme.
    pub support: u64,
}

/// Scores of a multi-label classification against gold labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Documents scored.
    pub documents: u64,
    /// Per theme, in model order.
    pub themes: Vec<ThemeMetrics>,
    /// Mean of the per-theme F1.
    pub macro_f1: f64,
    /// F1 over all (document, theme) decisions pooled.
    pub micro_f1: f64,
    /// Share of documents with no gold theme that were tagged with at least one.
    pub none_false_positive_rate: f64,
}

/// `num / den`, 0 when `den` is 0.
pub(crate) fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn f1(tp: u64, fp: u64, fn_: u64) -> f64 {
    ratio(2 * tp, 2 * tp + fp + fn_)
}

impl Metrics {
    /// Scores `predicted` against `gold`; both are one `Vec<bool>` per document, one flag per
    /// theme of `themes`.
    pub fn compute(themes: &[String], gold: &[Vec<bool>], predicted: &[Vec<bool>]) -> Metrics {
        let mut counts = vec![(0u64, 0u64, 0u64); themes.len()];
        let (mut none_docs, mut none_tagged) = (0u64, 0u64);
        for (g, p) in gold.iter().zip(predicted) {
            for (t, c) in counts.iter_mut().enumerate() {
                match (g[t], p[t]) {
                    (true, true) => c.0 += 1,
                    (false, true) => c.1 += 1,
                    (true, false) => c.2 += 1,
                    (false, false) => {}
                }
            }
            if !g.iter().any(|&x| x) {
                none_docs += 1;
                none_tagged += u64::from(p.iter().any(|&x| x));
            }
        }
        let per_theme: Vec<ThemeMetrics> = themes
            .iter()
            .zip(&counts)
            .map(|(theme, &(tp, fp, fn_))| ThemeMetrics {
                theme: theme.clone(),
                precision: ratio(tp, tp + fp),
                recall: ratio(tp, tp + fn_),
                f1: f1(tp, fp, fn_),
                support: tp + fn_,
            })
            .collect();
        let (tp, fp, fn_) = counts
            .iter()
            .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        Metrics {
            documents: gold.len() as u64,
            macro_f1: per_theme.iter().map(|m| m.f1).sum::<f64>() / per_theme.len().max(1) as f64,
            micro_f1: f1(tp, fp, fn_),
            none_false_positive_rate: ratio(none_tagged, none_docs),
            themes: per_theme,
        }
    }
}

/// Exact match (subset accuracy): the share of documents whose predicted themes are exactly
/// their gold themes, none included. Kept apart from [`Metrics`], whose layout is part of the
/// model file.
pub fn exact_match(gold: &[Vec<bool>], predicted: &[Vec<bool>]) -> f64 {
    let exact = gold.iter().zip(predicted).filter(|(g, p)| g == p).count();
    ratio(exact as u64, gold.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_example() {
        let themes = vec!["a".to_string(), "b".to_string()];
        let gold = vec![
            vec![true, false],
            vec![true, true],
            vec![false, false],
            vec![false, false],
        ];
        let predicted = vec![
            vec![true, false],
            vec![false, true],
            vec![true, false],
            vec![false, false],
        ];
        let m = Metrics::compute(&themes, &gold, &predicted);
        // a: tp 1, fp 1, fn 1 -> p = r = f1 = 0.5; b: tp 1 -> 1.0.
        assert_eq!(m.themes[0].f1, 0.5);
        assert_eq!(m.themes[1].f1, 1.0);
        assert_eq!(m.macro_f1, 0.75);
        // pooled: tp 2, fp 1, fn 1 -> 4 / 6.
        assert!((m.micro_f1 - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(m.none_false_positive_rate, 0.5);
        assert_eq!(m.themes[0].support, 2);
        // documents 1 and 4 match exactly.
        assert_eq!(exact_match(&gold, &predicted), 0.5);
    }
}
