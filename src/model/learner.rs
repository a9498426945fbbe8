//! [`Learner`]: fits one binary theme model with linfa and reads its weights back out.
//!
//! linfa's linear models take dense `ndarray` matrices. Densifying every document over the
//! whole vocabulary costs documents x terms x 8 bytes, so each theme first keeps the
//! `features_per_theme` terms with the highest chi-squared score against its labels; the dense
//! matrix is documents x that many columns. The fitted weights go back onto vocabulary ids and
//! inference never densifies (see [`super::Scorer`]).

use linfa::prelude::*;
use linfa::Dataset;
use linfa_ftrl::Ftrl;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::SparseVector;

/// linfa-logistic's hyperparameters: L2-penalised logistic regression, L-BFGS, full batch.
/// [`LogisticParams::check`] gives the [`ValidLogisticParams`] a fit takes.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `alpha` | 0.5 | L2 penalty (larger: smoother weights) | (0, 1e6] |
/// | `max_iterations` | 200 | L-BFGS iterations | >= 1 |
/// | `features_per_theme` | 5000 | chi-squared best terms each theme is fitted on | 1..=1,000,000 |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    /// L2 penalty.
    pub alpha: f64,
    /// L-BFGS iteration cap.
    pub max_iterations: u64,
    /// Columns each theme is fitted on.
    pub features_per_theme: u32,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams {
            alpha: 0.5,
            max_iterations: 200,
            features_per_theme: 5000,
        }
    }
}

/// linfa-ftrl's hyperparameters: an FTRL-Proximal logistic model, fitted online on seeded
/// shuffled mini-batches. [`FtrlParams::check`] gives the [`ValidFtrlParams`] a fit takes.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `alpha` | 2.0 | learning rate | (0, 1e6] |
/// | `l1` | 0.001 | L1 penalty (linfa's `l1_ratio`) | [0, 1] |
/// | `l2` | 0.01 | L2 penalty (linfa's `l2_ratio`) | [0, 1] |
/// | `epochs` | 10 | passes over the data | 1..=10,000 |
/// | `features_per_theme` | 3000 | chi-squared best terms each theme is fitted on | 1..=1,000,000 |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FtrlParams {
    /// Learning rate.
    pub alpha: f64,
    /// L1 penalty.
    pub l1: f64,
    /// L2 penalty.
    pub l2: f64,
    /// Passes over the data.
    pub epochs: u32,
    /// Columns each theme is fitted on.
    pub features_per_theme: u32,
}

impl Default for FtrlParams {
    fn default() -> Self {
        FtrlParams {
            alpha: 2.0,
            l1: 0.001,
            l2: 0.01,
            epochs: 10,
            features_per_theme: 3000,
        }
    }
}

/// [`LogisticParams`] within their ranges: what a logistic fit takes.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidLogisticParams(LogisticParams);

/// [`FtrlParams`] within their ranges: what an FTRL fit takes.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidFtrlParams(FtrlParams);

impl std::ops::Deref for ValidLogisticParams {
    type Target = LogisticParams;
    fn deref(&self) -> &LogisticParams {
        &self.0
    }
}

impl std::ops::Deref for ValidFtrlParams {
    type Target = FtrlParams;
    fn deref(&self) -> &FtrlParams {
        &self.0
    }
}

/// An [`Error::InvalidParam`].
fn invalid<T>(name: &'static str, value: String, reason: &str) -> Result<T> {
    Err(Error::InvalidParam {
        name,
        value,
        reason: reason.into(),
    })
}

fn check_alpha(alpha: f64) -> Result<()> {
    if alpha > 0.0 && alpha <= MAX_ALPHA {
        Ok(())
    } else {
        invalid(
            "alpha",
            alpha.to_string(),
            "must be a positive number, at most 1e6",
        )
    }
}

fn check_features_per_theme(features_per_theme: u32) -> Result<()> {
    if (1..=MAX_FEATURES_PER_THEME).contains(&features_per_theme) {
        Ok(())
    } else {
        invalid(
            "features_per_theme",
            features_per_theme.to_string(),
            &format!("must be between 1 and {MAX_FEATURES_PER_THEME}"),
        )
    }
}

impl LogisticParams {
    /// Checks the ranges in the table above (linfa-logistic's own limits, and ours).
    ///
    /// # Errors
    /// [`Error::InvalidParam`] naming the first value out of range.
    pub fn check(self) -> Result<ValidLogisticParams> {
        check_alpha(self.alpha)?;
        if self.max_iterations == 0 {
            return invalid("max_iterations", "0".into(), "must be at least 1");
        }
        check_features_per_theme(self.features_per_theme)?;
        Ok(ValidLogisticParams(self))
    }
}

impl FtrlParams {
    /// Checks the ranges in the table above: linfa-ftrl's own (its `l1_ratio` and `l2_ratio`
    /// lie in [0, 1]), so a fit never fails on them after the corpus is analysed, and ours.
    ///
    /// # Errors
    /// [`Error::InvalidParam`] naming the first value out of range.
    pub fn check(self) -> Result<ValidFtrlParams> {
        check_alpha(self.alpha)?;
        for (name, value) in [("l1", self.l1), ("l2", self.l2)] {
            if !(0.0..=1.0).contains(&value) {
                return invalid(name, value.to_string(), "must be between 0 and 1");
            }
        }
        if !(1..=MAX_EPOCHS).contains(&self.epochs) {
            return invalid(
                "epochs",
                self.epochs.to_string(),
                &format!("must be between 1 and {MAX_EPOCHS}"),
            );
        }
        check_features_per_theme(self.features_per_theme)?;
        Ok(ValidFtrlParams(self))
    }
}

/// Which linfa learner fits the per-theme models, with its hyperparameters (see
/// [`LogisticParams`] and [`FtrlParams`] for their defaults and ranges).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Learner {
    /// linfa-logistic: L2-penalised logistic regression, L-BFGS, full batch.
    Logistic(LogisticParams),
    /// linfa-ftrl: FTRL-Proximal logistic model, fitted online on mini-batches.
    Ftrl(FtrlParams),
}

/// FTRL is the default: on the shipped dataset it matched logistic regression's held-out F1
/// in a quarter of the training time (see README, "Choosing the learner").
impl Default for Learner {
    fn default() -> Self {
        Learner::Ftrl(FtrlParams::default())
    }
}

/// Hyperparameters that replace a learner's defaults where given (the command line's
/// `--alpha`, `--epochs`, `--features-per-theme`); `None` keeps the default.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LearnerOverrides {
    /// `alpha` of either learner.
    pub alpha: Option<f64>,
    /// FTRL's `epochs` (an error for logistic regression).
    pub epochs: Option<u32>,
    /// `features_per_theme` of either learner.
    pub features_per_theme: Option<u32>,
}

/// One theme's fitted linear model over vocabulary ids.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeWeights {
    /// Dense weights, one per vocabulary term (zero outside the selected columns).
    pub weights: Vec<f32>,
    /// Intercept.
    pub bias: f32,
}

const FTRL_BATCH: usize = 64;

/// Largest `alpha` of either learner. Far below it a logistic penalty already zeroes every
/// weight (the model then says the same of every document), and FTRL computes in f32, where
/// 1e50 is infinite: beyond it a value is a typo.
pub const MAX_ALPHA: f64 = 1e6;

/// Most FTRL passes over the data: a thousand times the default, already hours on a large
/// corpus (each pass runs for every theme and fold); more is a typo, not a setting.
pub const MAX_EPOCHS: u32 = 10_000;

/// Most columns a theme is fitted on: as many as the largest vocabulary
/// ([`crate::features::MAX_TERMS`]).
pub const MAX_FEATURES_PER_THEME: u32 = crate::features::MAX_TERMS;

impl Learner {
    /// The learner's name on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Learner::Logistic(_) => "logistic",
            Learner::Ftrl(_) => "ftrl",
        }
    }

    /// The named learner with default hyperparameters.
    pub fn from_name(name: &str) -> Option<Learner> {
        match name {
            "logistic" => Some(Learner::Logistic(LogisticParams::default())),
            "ftrl" => Some(Learner::Ftrl(FtrlParams::default())),
            _ => None,
        }
    }

    /// This learner with `overrides` in place of its hyperparameters where given.
    ///
    /// # Errors
    /// [`Error::InvalidParam`] for an override the learner does not take (`epochs` for
    /// logistic regression). Ranges are checked by [`Learner::check`].
    pub fn with_overrides(mut self, overrides: LearnerOverrides) -> Result<Learner> {
        let (alpha, features_per_theme) = match &mut self {
            Learner::Logistic(params) => (&mut params.alpha, &mut params.features_per_theme),
            Learner::Ftrl(params) => (&mut params.alpha, &mut params.features_per_theme),
        };
        if let Some(value) = overrides.alpha {
            *alpha = value;
        }
        if let Some(value) = overrides.features_per_theme {
            *features_per_theme = value;
        }
        if let Some(value) = overrides.epochs {
            match &mut self {
                Learner::Ftrl(params) => params.epochs = value,
                Learner::Logistic(_) => {
                    return invalid(
                        "epochs",
                        value.to_string(),
                        "applies to --learner ftrl only",
                    )
                }
            }
        }
        Ok(self)
    }

    /// Checks the hyperparameters' ranges (see [`LogisticParams::check`],
    /// [`FtrlParams::check`]).
    ///
    /// # Errors
    /// [`Error::InvalidParam`] naming the first value out of range.
    pub fn check(&self) -> Result<()> {
        match self {
            Learner::Logistic(params) => params.clone().check().map(drop),
            Learner::Ftrl(params) => params.clone().check().map(drop),
        }
    }

    fn features_per_theme(&self) -> usize {
        match self {
            Learner::Logistic(params) => params.features_per_theme as usize,
            Learner::Ftrl(params) => params.features_per_theme as usize,
        }
    }

    /// Columns one theme is fitted on, out of a vocabulary of `n_terms`.
    pub fn columns(&self, n_terms: usize) -> usize {
        self.features_per_theme().min(n_terms)
    }

    /// Bytes one [`Learner::fit`] over `rows` documents holding `nonzeros` TF-IDF entries in
    /// all, out of a vocabulary of `n_terms`, allocates at its peak (the rows themselves aside):
    /// for logistic regression a dense `rows` x [`Learner::columns`] matrix of 8-byte numbers
    /// (linfa takes nothing sparse) and L-BFGS's vectors; for FTRL a 64-row batch buffer;
    /// for both the chi-squared scores, each row cut to the theme's columns and the targets.
    pub fn fit_memory(&self, rows: usize, nonzeros: usize, n_terms: usize) -> u64 {
        let (rows, nonzeros, n_terms) = (rows as u64, nonzeros as u64, n_terms as u64);
        let columns = self.columns(n_terms as usize) as u64;
        // Chi-squared sums and scores, the dense weights returned; the rows cut to the columns
        // (a (column, value) pair per entry, an end per row), row references and targets.
        let common = n_terms * (8 + 8 + 16 + 4) + nonzeros * 8 + rows * (8 + 8 + 1);
        let learner = match self {
            // The matrix; linfa's own copy of the targets, margins and gradient terms per row;
            // L-BFGS's history of 10 steps and gradients per column.
            Learner::Logistic(_) => {
                rows.saturating_mul(columns).saturating_mul(8) + rows * 32 + columns * 8 * 32
            }
            // The batch buffer; the shuffled order; FTRL's three vectors per column.
            Learner::Ftrl(_) => FTRL_BATCH as u64 * (columns + 1) * 4 + rows * 8 + columns * 24,
        };
        common.saturating_add(learner)
    }

    /// Passes over the data one fit makes: FTRL's epochs; 1 for logistic regression (its
    /// L-BFGS iterations are linfa's and not reported).
    pub fn epochs(&self) -> u32 {
        match self {
            Learner::Logistic(_) => 1,
            Learner::Ftrl(params) => params.epochs,
        }
    }

    /// Fits one theme on `rows` (vectors over `n_terms` ids) against `targets`.
    ///
    /// # Errors
    /// [`Error::Training`] when linfa fails (non-finite data, solver failure).
    pub fn fit(
        &self,
        rows: &[&SparseVector],
        targets: &[bool],
        n_terms: usize,
        seed: u64,
    ) -> Result<ThemeWeights> {
        self.fit_with_progress(rows, targets, n_terms, seed, &|_| {})
    }

    /// [`Learner::fit`], calling `pass_done(rows.len())` after each pass over the data
    /// ([`Learner::epochs`] in all): the same model with any callback.
    ///
    /// # Errors
    /// As [`Learner::fit`].
    pub fn fit_with_progress(
        &self,
        rows: &[&SparseVector],
        targets: &[bool],
        n_terms: usize,
        seed: u64,
        pass_done: &(dyn Fn(u64) + Sync),
    ) -> Result<ThemeWeights> {
        // Checked before any work: linfa would refuse a value out of its range only at the fit.
        let (weights, bias) = match self {
            Learner::Logistic(params) => {
                let params = params.clone().check()?;
                let columns =
                    select_features(rows, targets, n_terms, params.features_per_theme as usize);
                let model = fit_logistic(rows, targets, &columns, &params)?;
                pass_done(rows.len() as u64);
                // linfa-logistic's "positive" class is the first label it meets in the
                // targets, not `true`: flip the model when it learned P(false).
                let sign = if model.labels().pos.class { 1.0 } else { -1.0 };
                let weights = model.params().iter().map(|w| sign * w).collect();
                ((columns, weights), sign * model.intercept())
            }
            Learner::Ftrl(params) => {
                let params = params.clone().check()?;
                let columns =
                    select_features(rows, targets, n_terms, params.features_per_theme as usize);
                let model = fit_ftrl(rows, targets, &columns, &params, seed, pass_done)?;
                let mut weights: Vec<f64> = model.get_weights().iter().map(|&w| w.into()).collect();
                // The constant last column is the intercept.
                let bias = weights.pop().unwrap_or(0.0);
                ((columns, weights), bias)
            }
        };
        let (columns, weights) = weights;
        let mut dense = vec![0.0f32; n_terms];
        for (&term, &w) in columns.iter().zip(&weights) {
            dense[term as usize] = w as f32;
        }
        Ok(ThemeWeights {
            weights: dense,
            bias: bias as f32,
        })
    }
}

/// The `k` terms with the largest chi-squared statistic of TF-IDF mass against the labels (as
/// scikit-learn's `chi2`), in ascending id order. Ties go to the lower id.
pub(crate) fn select_features(
    rows: &[&SparseVector],
    targets: &[bool],
    n_terms: usize,
    k: usize,
) -> Vec<u32> {
    let mut positive = vec![0.0f64; n_terms];
    let mut total = vec![0.0f64; n_terms];
    for (row, &target) in rows.iter().zip(targets) {
        for (term, value) in row.iter() {
            total[term as usize] += f64::from(value);
            if target {
                positive[term as usize] += f64::from(value);
            }
        }
    }
    let share = targets.iter().filter(|&&t| t).count() as f64 / targets.len().max(1) as f64;
    let mut scored: Vec<(f64, u32)> = (0..n_terms)
        .filter(|&t| total[t] > 0.0)
        .map(|t| {
            let expected_pos = total[t] * share;
            let expected_neg = total[t] - expected_pos;
            let observed_neg = total[t] - positive[t];
            let chi = |o: f64, e: f64| if e > 0.0 { (o - e) * (o - e) / e } else { 0.0 };
            (
                chi(positive[t], expected_pos) + chi(observed_neg, expected_neg),
                t as u32,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(k);
    let mut columns: Vec<u32> = scored.into_iter().map(|(_, t)| t).collect();
    columns.sort_unstable();
    columns
}

/// `rows` restricted to `columns`, as a dense f64 matrix.
///
/// # Errors
/// [`Error::Training`] when the memory for it cannot be had.
pub(crate) fn densify(rows: &[&SparseVector], columns: &[u32]) -> Result<Array2<f64>> {
    densify_into(rows, columns, 0)
}

/// A `rows` x `columns` matrix of zeros, or an error where the allocator refuses the memory:
/// `ndarray`'s own constructors abort the process then.
fn zeros(rows: usize, columns: usize) -> Result<Array2<f64>> {
    let refused = || {
        Error::Training(format!(
            "a dense {rows} x {columns} matrix (linfa takes no sparse input) needs {}, which \
             the system refused; lower --features-per-theme, or use --learner ftrl",
            crate::memory::describe(
                (rows as u64)
                    .saturating_mul(columns as u64)
                    .saturating_mul(8)
            )
        ))
    };
    let length = rows.checked_mul(columns).ok_or_else(refused)?;
    if length == 0 {
        return Ok(Array2::zeros((rows, columns)));
    }
    let layout = std::alloc::Layout::array::<f64>(length).map_err(|_| refused())?;
    // SAFETY: `layout` has a non-zero size; memory from `alloc_zeroed` with the layout of
    // `[f64; length]` is `length` initialised f64 zeros (all-zero bits are 0.0), owned by the
    // Vec built on it, which frees it with the same global allocator and layout. Zeroed pages
    // come from the system untouched, so the zeros cost no memory until written, as with
    // `vec![0.0; n]` (which aborts where this returns an error).
    let values = unsafe {
        let pointer = std::alloc::alloc_zeroed(layout).cast::<f64>();
        if pointer.is_null() {
            return Err(refused());
        }
        Vec::from_raw_parts(pointer, length, length)
    };
    Ok(Array2::from_shape_vec((rows, columns), values).expect("rows x columns values"))
}

/// [`densify`] with `extra` trailing columns of ones.
fn densify_into(rows: &[&SparseVector], columns: &[u32], extra: usize) -> Result<Array2<f64>> {
    let mut matrix = zeros(rows.len(), columns.len() + extra)?;
    matrix.slice_mut(ndarray::s![.., columns.len()..]).fill(1.0);
    for (r, pairs) in project(rows, columns).rows().enumerate() {
        for &(c, value) in pairs {
            matrix[[r, c as usize]] = f64::from(value);
        }
    }
    Ok(matrix)
}

pub(crate) fn fit_logistic(
    rows: &[&SparseVector],
    targets: &[bool],
    columns: &[u32],
    params: &ValidLogisticParams,
) -> Result<linfa_logistic::FittedLogisticRegression<f64, bool>> {
    let dataset = Dataset::new(densify(rows, columns)?, Array1::from(targets.to_vec()));
    LogisticRegression::default()
        .alpha(params.alpha)
        .max_iterations(params.max_iterations)
        .fit(&dataset)
        .map_err(|e| Error::Training(format!("linfa logistic regression failed: {e}")))
}

fn fit_ftrl(
    rows: &[&SparseVector],
    targets: &[bool],
    columns: &[u32],
    params: &ValidFtrlParams,
    seed: u64,
    epoch_done: &(dyn Fn(u64) + Sync),
) -> Result<Ftrl<f32>> {
    use rand::seq::SliceRandom;
    // FTRL has no intercept: a constant last column plays its part.
    let linfa_params = Ftrl::<f32>::params_with_rng(Xoshiro256Plus::seed_from_u64(seed))
        .alpha(params.alpha as f32)
        .beta(1.0)
        .l1_ratio(params.l1 as f32)
        .l2_ratio(params.l2 as f32)
        .check()
        .map_err(|e| Error::Training(format!("linfa FTRL parameters: {e}")))?;
    let projected = project(rows, columns);
    // One batch buffer for the whole fit: each batch scatters its rows' values in and
    // clears them again after the update, so only the intercept column stays set.
    let width = columns.len() + 1;
    let mut buffer = Array2::<f32>::zeros((FTRL_BATCH.min(rows.len()), width));
    buffer.column_mut(columns.len()).fill(1.0);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut model = None;
    for _ in 0..params.epochs {
        order.shuffle(&mut rng);
        for batch in order.chunks(FTRL_BATCH) {
            for (r, &i) in batch.iter().enumerate() {
                for &(c, value) in projected.row(i) {
                    buffer[[r, c as usize]] = value;
                }
            }
            let labels: Array1<bool> = batch.iter().map(|&i| targets[i]).collect();
            let dataset =
                linfa::DatasetBase::new(buffer.slice(ndarray::s![..batch.len(), ..]), labels);
            model = Some(
                linfa_params
                    .fit_with(model, &dataset)
                    .map_err(|e| Error::Training(format!("linfa FTRL failed: {e}")))?,
            );
            for (r, &i) in batch.iter().enumerate() {
                for &(c, _) in projected.row(i) {
                    buffer[[r, c as usize]] = 0.0;
                }
            }
        }
        epoch_done(rows.len() as u64);
    }
    model.ok_or_else(|| Error::Training("no training data".into()))
}

/// Rows restricted to a theme's columns: each row's (column index, value) pairs end to end in
/// one buffer (a `Vec` per row cost more than its pairs on short documents, on every fit).
struct Projected {
    pairs: Vec<(u32, f32)>,
    /// Row `i`'s pairs are `pairs[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
}

impl Projected {
    /// Row `i`'s pairs.
    fn row(&self, i: usize) -> &[(u32, f32)] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.pairs[start..self.ends[i]]
    }

    fn rows(&self) -> impl Iterator<Item = &[(u32, f32)]> + '_ {
        (0..self.ends.len()).map(|i| self.row(i))
    }
}

/// Each row restricted to `columns` (ascending term ids), as (column index, value) pairs.
fn project(rows: &[&SparseVector], columns: &[u32]) -> Projected {
    let mut pairs = Vec::new();
    let mut ends = Vec::with_capacity(rows.len());
    for row in rows {
        pairs.extend(row.iter().filter_map(|(term, value)| {
            let c = columns.binary_search(&term).ok()?;
            Some((c as u32, value))
        }));
        ends.push(pairs.len());
    }
    pairs.shrink_to_fit();
    Projected { pairs, ends }
}

/// [`densify`] plus a constant last column of ones, FTRL's stand-in for an intercept (built
/// in place: appending a column to a row-major array would copy it whole).
#[cfg(test)]
pub(crate) fn densify_with_intercept(rows: &[&SparseVector], columns: &[u32]) -> Array2<f64> {
    densify_into(rows, columns, 1).expect("a small test matrix")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scorer;

    /// Small synthetic sparse data: theme words 0..5 for positives, 5..10 for negatives, noise.
    fn data() -> (Vec<SparseVector>, Vec<bool>) {
        let mut rows = Vec::new();
        let mut targets = Vec::new();
        for i in 0..60u32 {
            let positive = i % 3 == 1;
            let base = if positive { 0 } else { 5 };
            let mut indices = vec![base + i % 5, 10 + i % 7, 20 + (i * 7) % 11];
            indices.sort_unstable();
            indices.dedup();
            let values = vec![1.0 / (indices.len() as f32).sqrt(); indices.len()];
            rows.push(SparseVector { indices, values });
            targets.push(positive);
        }
        (rows, targets)
    }

    /// Our inference over one fitted theme, threshold 0.5.
    fn one_theme_scorer(theme: ThemeWeights, n_terms: usize) -> Scorer {
        Scorer::from_themes(
            vec!["t".into()],
            &[theme.weights],
            vec![theme.bias],
            vec![0.5],
            n_terms,
        )
    }

    #[test]
    fn sparse_scores_match_linfa_predictions() {
        let (rows, targets) = data();
        let refs: Vec<&SparseVector> = rows.iter().collect();
        let n_terms = 40;
        let columns = select_features(&refs, &targets, n_terms, 12);
        let params = LogisticParams {
            features_per_theme: 12,
            ..LogisticParams::default()
        };
        let model =
            fit_logistic(&refs, &targets, &columns, &params.clone().check().unwrap()).unwrap();
        // linfa reports the probability of its positive class, the first label it met.
        assert!(
            !targets[0],
            "the data must start with a negative to test the flip"
        );
        assert!(!model.labels().pos.class);
        let linfa_probs = model
            .predict_probabilities(&densify(&refs, &columns).unwrap())
            .mapv(|p| 1.0 - p);
        let linfa_labels: Array1<bool> = model.predict(&densify(&refs, &columns).unwrap());

        let theme = Learner::Logistic(params)
            .fit(&refs, &targets, n_terms, 0)
            .unwrap();
        let scorer = one_theme_scorer(theme, n_terms);
        let mut probs = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            scorer.probabilities(row, &mut probs);
            assert!(
                (probs[0] - linfa_probs[r]).abs() < 1e-5,
                "row {r}: {} vs linfa {}",
                probs[0],
                linfa_probs[r]
            );
            assert_eq!(probs[0] >= 0.5, linfa_labels[r], "row {r}");
        }
        // The data is separable: the model must actually have learned it.
        assert!(linfa_labels.iter().zip(&targets).all(|(a, b)| a == b));
    }

    #[test]
    fn sparse_scores_match_linfa_ftrl_predictions() {
        let (rows, targets) = data();
        let refs: Vec<&SparseVector> = rows.iter().collect();
        let n_terms = 40;
        let columns = select_features(&refs, &targets, n_terms, 12);
        let params = FtrlParams {
            alpha: 0.5,
            l1: 0.001,
            l2: 0.01,
            epochs: 30,
            features_per_theme: 12,
        };
        let valid = params.clone().check().unwrap();
        let model = fit_ftrl(&refs, &targets, &columns, &valid, 3, &|_| {}).unwrap();
        let linfa_probs: Array1<linfa::dataset::Pr> =
            model.predict(&densify_with_intercept(&refs, &columns).mapv(|v| v as f32));

        let learner = Learner::Ftrl(params);
        let theme = learner.fit(&refs, &targets, n_terms, 3).unwrap();
        let scorer = one_theme_scorer(theme, n_terms);
        let mut probs = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            scorer.probabilities(row, &mut probs);
            let linfa = f64::from(*linfa_probs[r]);
            assert!(
                (probs[0] - linfa).abs() < 1e-5,
                "row {r}: {} vs linfa {linfa}",
                probs[0]
            );
        }
    }

    #[test]
    fn ftrl_learns_and_is_deterministic() {
        let (rows, targets) = data();
        let refs: Vec<&SparseVector> = rows.iter().collect();
        let learner = Learner::from_name("ftrl").unwrap();
        let a = learner.fit(&refs, &targets, 40, 7).unwrap();
        let b = learner.fit(&refs, &targets, 40, 7).unwrap();
        assert_eq!(a, b);
        let scorer = one_theme_scorer(a, 40);
        let mut probs = Vec::new();
        let correct = rows
            .iter()
            .zip(&targets)
            .filter(|(row, &t)| {
                scorer.probabilities(row, &mut probs);
                (probs[0] >= 0.5) == t
            })
            .count();
        assert!(correct >= 54, "{correct}/60");
    }

    #[test]
    fn chi2_prefers_discriminative_terms() {
        let (rows, targets) = data();
        let refs: Vec<&SparseVector> = rows.iter().collect();
        let columns = select_features(&refs, &targets, 40, 10);
        assert_eq!(columns, (0..10).collect::<Vec<u32>>());
    }

    /// Hostile-input issue, item 5: the estimate that training checks before fitting covers the
    /// dense matrix logistic regression needs (200 MB of text once took 7.25 GB and aborted),
    /// and FTRL's stays small.
    #[test]
    fn fit_memory_counts_the_dense_matrix_logistic_regression_needs() {
        let logistic = Learner::from_name("logistic").unwrap();
        let dense = 200_000u64 * 5_000 * 8;
        let estimate = logistic.fit_memory(200_000, 4_000_000, 60_000);
        assert!(
            (dense..dense + dense / 10).contains(&estimate),
            "{estimate}"
        );
        // A vocabulary smaller than features_per_theme: every term is a column.
        let small = logistic.fit_memory(1_000, 20_000, 300);
        assert!(
            (1_000 * 300 * 8..1_000 * 5_000 * 8).contains(&small),
            "{small}"
        );
        let ftrl = Learner::default().fit_memory(200_000, 4_000_000, 60_000);
        assert!(ftrl < dense / 100, "{ftrl}");
        assert!(ftrl > 4_000_000 * 8, "{ftrl}");
    }

    /// An impossible dense matrix is an error, not an abort of the process.
    #[test]
    fn a_dense_matrix_too_large_to_allocate_is_an_error() {
        let error = zeros(usize::MAX / 4, 3).unwrap_err().to_string();
        assert!(error.contains("lower --features-per-theme"), "{error}");
        let error = zeros(1 << 40, 1 << 20).unwrap_err().to_string();
        assert!(error.contains("the system refused"), "{error}");
        assert_eq!(zeros(2, 3).unwrap(), Array2::<f64>::zeros((2, 3)));
    }

    #[test]
    fn bad_hyperparameters_are_rejected() {
        let bad = Learner::Logistic(LogisticParams {
            alpha: -1.0,
            ..LogisticParams::default()
        });
        assert!(bad.check().is_err());
        assert!(Learner::default().check().is_ok());
        assert!(Learner::from_name("logistic").unwrap().check().is_ok());
        for epochs in [0, MAX_EPOCHS + 1, u32::MAX] {
            let bad = Learner::Ftrl(FtrlParams {
                epochs,
                ..FtrlParams::default()
            });
            assert!(bad.check().unwrap_err().to_string().contains("epochs"));
        }
        let wide = Learner::Logistic(LogisticParams {
            features_per_theme: u32::MAX,
            ..LogisticParams::default()
        });
        assert!(wide.check().is_err());
    }

    /// Issue 18, item 3: linfa-ftrl refuses an `l1_ratio` or `l2_ratio` outside [0, 1]; the
    /// check does too, before any work, and a fit never reaches linfa with one.
    #[test]
    fn ftrl_penalties_are_checked_as_linfa_checks_them() {
        for (l1, l2) in [(1.5, 0.0), (0.0, 1.01), (-0.1, 0.0), (f64::NAN, 0.0)] {
            let params = FtrlParams {
                l1,
                l2,
                ..FtrlParams::default()
            };
            let ours = params.clone().check().unwrap_err().to_string();
            assert!(ours.contains(if l2 > 1.0 { "l2" } else { "l1" }), "{ours}");
            let linfa = Ftrl::<f32>::params()
                .l1_ratio(l1 as f32)
                .l2_ratio(l2 as f32)
                .check();
            assert!(linfa.is_err(), "linfa takes l1 {l1}, l2 {l2}");
            let (rows, targets) = data();
            let refs: Vec<&SparseVector> = rows.iter().collect();
            let error = Learner::Ftrl(params)
                .fit(&refs, &targets, 40, 0)
                .unwrap_err();
            assert!(matches!(error, Error::InvalidParam { .. }), "{error}");
        }
        for (l1, l2) in [(0.0, 0.0), (1.0, 1.0)] {
            let params = FtrlParams {
                l1,
                l2,
                ..FtrlParams::default()
            };
            assert!(params.check().is_ok());
            assert!(Ftrl::<f32>::params()
                .l1_ratio(l1 as f32)
                .l2_ratio(l2 as f32)
                .check()
                .is_ok());
        }
    }

    #[test]
    fn overrides_replace_the_defaults_they_name() {
        let ftrl = Learner::from_name("ftrl")
            .unwrap()
            .with_overrides(LearnerOverrides {
                alpha: Some(0.5),
                epochs: Some(3),
                features_per_theme: None,
            })
            .unwrap();
        let expected = FtrlParams {
            alpha: 0.5,
            epochs: 3,
            ..FtrlParams::default()
        };
        assert_eq!(ftrl, Learner::Ftrl(expected));
        let logistic = Learner::from_name("logistic").unwrap();
        assert_eq!(
            logistic
                .clone()
                .with_overrides(LearnerOverrides::default())
                .unwrap(),
            logistic
        );
        let epochs = LearnerOverrides {
            epochs: Some(3),
            ..LearnerOverrides::default()
        };
        let error = logistic.with_overrides(epochs).unwrap_err().to_string();
        assert!(error.contains("--learner ftrl only"), "{error}");
    }
}
