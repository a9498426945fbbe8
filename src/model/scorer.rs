//! [`Scorer`]: one linear scorer per theme, applied to a sparse TF-IDF vector.
//!
//! linfa trains the weights (see [`super::learner`]); inference is a sparse dot product over
//! a term-major weight table, so each document term touches one contiguous row.

use serde::{Deserialize, Serialize};

use crate::features::SparseVector;

/// Per-theme weights, biases and decision thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorer {
    pub(crate) themes: Vec<String>,
    /// `weights[term * themes.len() + theme]`.
    pub(crate) weights: Vec<f32>,
    pub(crate) bias: Vec<f32>,
    pub(crate) thresholds: Vec<f32>,
}

/// The logistic function, in f64 for stability at large margins.
pub(crate) fn sigmoid(margin: f64) -> f64 {
    1.0 / (1.0 + (-margin).exp())
}

impl Scorer {
    /// Builds a scorer from dense per-theme weight vectors (each `n_terms` long).
    pub(crate) fn from_themes(
        themes: Vec<String>,
        per_theme: &[Vec<f32>],
        bias: Vec<f32>,
        thresholds: Vec<f32>,
        n_terms: usize,
    ) -> Scorer {
        let n_themes = themes.len();
        let mut weights = vec![0.0; n_terms * n_themes];
        for (theme, column) in per_theme.iter().enumerate() {
            for (term, &w) in column.iter().enumerate() {
                weights[term * n_themes + theme] = w;
            }
        }
        Scorer {
            themes,
            weights,
            bias,
            thresholds,
        }
    }

    /// Checks the table's shape against a vocabulary of `n_terms` and that every number is usable.
    pub(crate) fn check(&self, n_terms: usize) -> Result<(), String> {
        let n = self.themes.len();
        if n == 0 {
            return Err("model has no themes".into());
        }
        if self.bias.len() != n || self.thresholds.len() != n {
            return Err(format!(
                "{} themes but {} biases and {} thresholds",
                n,
                self.bias.len(),
                self.thresholds.len()
            ));
        }
        if self.weights.len() != n_terms.saturating_mul(n) {
            return Err(format!(
                "weight table has {} entries, expected {} terms x {} themes",
                self.weights.len(),
                n_terms,
                n
            ));
        }
        if self
            .weights
            .iter()
            .chain(&self.bias)
            .any(|w| !w.is_finite())
        {
            return Err("a weight is not a finite number".into());
        }
        if self.thresholds.iter().any(|t| !(0.0..=1.0).contains(t)) {
            return Err("a threshold is outside [0, 1]".into());
        }
        Ok(())
    }

    /// Theme names, in score order.
    pub fn themes(&self) -> &[String] {
        &self.themes
    }

    /// Decision thresholds, one per theme.
    pub fn thresholds(&self) -> &[f32] {
        &self.thresholds
    }

    /// Weight of term `term` for theme `theme`.
    pub fn weight(&self, term: u32, theme: usize) -> f32 {
        self.weights[term as usize * self.themes.len() + theme]
    }

    /// Probabilities in [0, 1], one per theme, for `features`, written to `out`.
    pub fn probabilities(&self, features: &SparseVector, out: &mut Vec<f64>) {
        let n = self.themes.len();
        out.clear();
        out.extend(self.bias.iter().map(|&b| f64::from(b)));
        for (term, value) in features.iter() {
            let row = &self.weights[term as usize * n..(term as usize + 1) * n];
            for (margin, &w) in out.iter_mut().zip(row) {
                *margin += f64::from(value * w);
            }
        }
        out.iter_mut().for_each(|m| *m = sigmoid(*m));
    }
}
