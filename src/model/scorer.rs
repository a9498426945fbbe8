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
        out.clear();
        out.extend(self.bias.iter().map(|&b| f64::from(b)));
        // The usual theme counts get a loop whose rows are arrays: no loop over the themes
        // inside the loop over the terms. The sums are the same, in the same order.
        match self.themes.len() {
            2 => self.add_margins::<2>(features, out),
            3 => self.add_margins::<3>(features, out),
            4 => self.add_margins::<4>(features, out),
            n => {
                for (term, value) in features.iter() {
                    let row = &self.weights[term as usize * n..(term as usize + 1) * n];
                    for (margin, &w) in out.iter_mut().zip(row) {
                        *margin += f64::from(value * w);
                    }
                }
            }
        }
        out.iter_mut().for_each(|m| *m = sigmoid(*m));
    }

    /// Adds each term's weighted row to `margins`, for a model of `N` themes.
    fn add_margins<const N: usize>(&self, features: &SparseVector, margins: &mut [f64]) {
        let Ok(margins) = <&mut [f64; N]>::try_from(margins) else {
            unreachable!("one margin per theme");
        };
        for (term, value) in features.iter() {
            let row = &self.weights[term as usize * N..(term as usize + 1) * N];
            for (margin, &w) in margins.iter_mut().zip(row) {
                *margin += f64::from(value * w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{sigmoid, Scorer};
    use crate::features::SparseVector;
    use rand::{Rng, SeedableRng};

    /// Every theme count, those with their own loop and the others, gives the probabilities
    /// of the plain definition, bit for bit: the same sums in the same order.
    #[test]
    fn probabilities_are_the_sums_of_the_rows_for_any_theme_count() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let n_terms = 50;
        for n in 1..=6 {
            let per_theme: Vec<Vec<f32>> = (0..n)
                .map(|_| (0..n_terms).map(|_| rng.gen_range(-3.0..3.0)).collect())
                .collect();
            let bias: Vec<f32> = (0..n).map(|_| rng.gen_range(-1.0..1.0)).collect();
            let themes = (0..n).map(|t| format!("t{t}")).collect();
            let scorer =
                Scorer::from_themes(themes, &per_theme, bias.clone(), vec![0.5; n], n_terms);
            let mut features = SparseVector::default();
            for term in 0..n_terms as u32 {
                if rng.gen_bool(0.3) {
                    features.indices.push(term);
                    features.values.push(rng.gen_range(0.0..1.0));
                }
            }
            let expected: Vec<f64> = (0..n)
                .map(|t| {
                    let margin = features.iter().fold(f64::from(bias[t]), |m, (term, v)| {
                        m + f64::from(v * per_theme[t][term as usize])
                    });
                    sigmoid(margin)
                })
                .collect();
            let mut got = Vec::new();
            scorer.probabilities(&features, &mut got);
            assert_eq!(got, expected, "{n} themes");
        }
    }
}
