//! Training: [`train`] turns [`LabelledDocument`]s into a [`Model`] and a [`TrainReport`].
//!
//! 1. analyse every document once (memoised stemming);
//! 2. hold out a seeded share of documents; on the rest fit the vocabulary, pick each theme's
//!    threshold on out-of-fold scores (k seeded folds), fit each theme with linfa, and score
//!    the held-out documents through the real inference path;
//! 3. refit the same way on all documents and return that model, carrying the held-out scores.
//!
//! Every random choice comes from `seed`, fits run in parallel but are collected in a fixed
//! order, and every tie is broken by id or text: the same data and options give the same
//! model, byte for byte.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::{Analyzer, AnalyzerConfig, StemCache, Token};
use crate::corpus::{LabelledDocument, NONE_LABEL};
use crate::error::{Error, Result};
use crate::features::{fit_vocabulary, SparseVector, TermCounts, TfIdf, VocabularyConfig};
use crate::metrics::Metrics;
use crate::model::learner::LogisticParams;
use crate::model::{thresholds, Learner, Model, Scorer, TrainingInfo};

/// Fewest positive (and negative) documents a theme needs, whatever the number of folds: fewer
/// cannot support a threshold.
const MIN_PER_CLASS: usize = 5;

/// Most themes one model may have. Every theme adds a weight per vocabulary term to the model
/// (1,000 themes x 60,000 terms is 240 MB) and 2 x (folds + 1) fits to training; far more
/// labels than this usually means ids or free text were read as labels.
pub const MAX_THEMES: usize = 1_000;

/// Training options.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `analyzer` | see [`AnalyzerConfig`] | text analysis | |
/// | `vocabulary` | see [`VocabularyConfig`] | which terms are features | |
/// | `learner` | FTRL | linfa learner and hyperparameters | see [`Learner`] |
/// | `folds` | 2 | folds for threshold tuning | 2..=20 |
/// | `holdout` | 0.2 | share held out for the reported scores (0: none) | [0, 0.5] |
/// | `seed` | 42 | seed of every random choice | any |
/// | `max_memory` | `None`: what the system has available | most bytes the fits may take | any |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Text analysis settings.
    pub analyzer: AnalyzerConfig,
    /// Vocabulary settings.
    pub vocabulary: VocabularyConfig,
    /// Learner.
    pub learner: Learner,
    /// Threshold-tuning folds.
    pub folds: u32,
    /// Held-out share.
    pub holdout: f64,
    /// Random seed.
    pub seed: u64,
    /// Most bytes the fits of one split may take at once (see [`Learner::fit_memory`]);
    /// `None`: what [`crate::memory::available`] says when they start. Training that would
    /// need more stops before fitting, saying how much it needs. It changes no model.
    #[serde(default)]
    pub max_memory: Option<u64>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            analyzer: AnalyzerConfig::default(),
            vocabulary: VocabularyConfig::default(),
            learner: Learner::default(),
            folds: 2,
            holdout: 0.2,
            seed: 42,
            max_memory: None,
        }
    }
}

impl TrainOptions {
    /// Checks every setting (the linfa `ParamGuard` habit: nothing is fitted with bad options).
    ///
    /// # Errors
    /// [`Error::InvalidParam`] naming the first setting out of range.
    pub fn check(&self) -> Result<()> {
        self.analyzer.check()?;
        self.vocabulary.check()?;
        self.learner.check()?;
        if !(2..=20).contains(&self.folds) {
            return Err(Error::InvalidParam {
                name: "folds",
                value: self.folds.to_string(),
                reason: "must be between 2 and 20".into(),
            });
        }
        if !(0.0..=0.5).contains(&self.holdout) {
            return Err(Error::InvalidParam {
                name: "holdout",
                value: self.holdout.to_string(),
                reason: "must be between 0 and 0.5".into(),
            });
        }
        Ok(())
    }
}

/// What training measured.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainReport {
    /// Themes learned, in model order.
    pub themes: Vec<String>,
    /// Documents per theme.
    pub positives: Vec<u64>,
    /// Documents with no theme.
    pub none_documents: u64,
    /// Scores on the held-out split (None with `holdout` 0).
    pub holdout: Option<Metrics>,
    /// Vocabulary size of the final model.
    pub terms: usize,
    /// Themes the final model cannot tell documents apart on, each with why: its scores on
    /// the training documents all lie within [`FLAT_SCORES`] of each other, or it tags every
    /// one of them (a penalty so large that every weight is zero does this). The model is
    /// still written; a caller should warn.
    pub degenerate: Vec<(String, String)>,
}

/// Score spread under which a theme's model is taken to say the same of every document.
pub const FLAT_SCORES: f64 = 0.01;

/// What [`train_with_progress`] is doing, told to its observer as it goes. The library only
/// reports; showing it (a progress bar, a log) is the caller's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrainProgress {
    /// Analysing (tokenizing, stemming) all `documents`; [`TrainProgress::Documents`] follow.
    Analysing {
        /// Documents to analyse.
        documents: u64,
    },
    /// Fitting the vocabulary and TF-IDF rows of `split`'s `documents`.
    Vectorizing {
        /// Which fit this is part of.
        split: Split,
        /// Documents in it.
        documents: u64,
    },
    /// Fitting `fits` linear models for `split` (each theme on each fold, and on the whole
    /// split), in parallel; they pass `documents` documents through the learner in all (each
    /// epoch counts). [`TrainProgress::Documents`] and [`TrainProgress::FitDone`] follow.
    Fitting {
        /// Which fit this is part of.
        split: Split,
        /// Models to fit.
        fits: u32,
        /// Documents the learner will go through.
        documents: u64,
    },
    /// `n` more documents went through the current stage (a batch of the analysis, or one
    /// epoch of one fit). May come from several threads at once.
    Documents(u64),
    /// One fit of the current [`TrainProgress::Fitting`] stage ended.
    FitDone,
}

/// The two fits of [`train`]: on the documents not held out (for the held-out scores), then
/// on all of them (the model returned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Split {
    /// The documents not held out; the model scored on the held-out share.
    HeldOut,
    /// Every document; the model returned.
    Final,
}

/// Documents analysed between two [`TrainProgress::Documents`] reports.
const ANALYSIS_BATCH: usize = 256;

/// Analysed training documents: stems in a growing cache, every document's tokens end to end
/// in one buffer. (A `Vec` per document cost far more than its tokens: the analyzer's output
/// buffer starts at 64 tokens, 768 bytes, and a short document keeps a dozen.)
struct Corpus {
    tokens: Vec<Token>,
    /// Document `i`'s tokens are `tokens[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
    cache: StemCache,
}

impl Corpus {
    /// Analyses every document, telling `progress` after each batch.
    fn analyse(
        documents: &[LabelledDocument],
        analyzer: &Analyzer,
        progress: &(dyn Fn(TrainProgress) + Sync),
    ) -> Corpus {
        let mut cache = StemCache::growing();
        let (mut tokens, mut ends, mut scratch) = (Vec::new(), Vec::new(), Vec::new());
        ends.reserve_exact(documents.len());
        for batch in documents.chunks(ANALYSIS_BATCH) {
            for document in batch {
                analyzer.analyze(&document.text, &mut cache, &mut scratch);
                tokens.extend_from_slice(&scratch);
                ends.push(tokens.len());
            }
            progress(TrainProgress::Documents(batch.len() as u64));
        }
        tokens.shrink_to_fit();
        Corpus {
            tokens,
            ends,
            cache,
        }
    }

    /// Document `i`'s tokens.
    fn document(&self, i: usize) -> &[Token] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.tokens[start..self.ends[i]]
    }
}

/// Which themes each document carries: `themes` flags a document, end to end in one buffer
/// (one `Vec<bool>` per document cost 56 bytes for 3 flags).
struct Gold {
    flags: Vec<bool>,
    themes: usize,
}

impl Gold {
    fn new(documents: &[LabelledDocument], themes: &[String]) -> Gold {
        let mut flags = Vec::with_capacity(documents.len() * themes.len());
        for document in documents {
            flags.extend(themes.iter().map(|t| document.labels.contains(t)));
        }
        Gold {
            flags,
            themes: themes.len(),
        }
    }

    /// Document `i`'s flags, one per theme.
    fn of(&self, i: usize) -> &[bool] {
        &self.flags[i * self.themes..(i + 1) * self.themes]
    }

    /// Number of documents.
    fn len(&self) -> usize {
        self.flags.len() / self.themes.max(1)
    }
}

/// Trains a model on `documents`.
///
/// # Errors
/// [`Error::InvalidParam`] for bad options; [`Error::Training`] for no documents, no themes or
/// no usable term; [`Error::DegenerateTheme`] when a theme has too few positive or negative
/// documents to fit and tune it.
pub fn train(
    documents: &[LabelledDocument],
    options: &TrainOptions,
) -> Result<(Model, TrainReport)> {
    train_with_progress(documents, options, &|_| {})
}

/// [`train`], telling `progress` what it does as it goes (see [`TrainProgress`]): called
/// once a stage, a batch of documents or an epoch, never once a token, and from the fitting
/// threads too. The model is the same with any observer.
///
/// # Errors
/// As [`train`].
pub fn train_with_progress(
    documents: &[LabelledDocument],
    options: &TrainOptions,
    progress: &(dyn Fn(TrainProgress) + Sync),
) -> Result<(Model, TrainReport)> {
    options.check()?;
    if documents.is_empty() {
        return Err(Error::Training("no documents".into()));
    }
    let mut themes: Vec<String> = documents
        .iter()
        .flat_map(|d| d.labels.iter().cloned())
        .filter(|l| l != NONE_LABEL)
        .collect();
    themes.sort();
    themes.dedup();
    if themes.is_empty() {
        return Err(Error::Training(
            "the data has no labels: every document is `none`".into(),
        ));
    }
    if themes.len() > MAX_THEMES {
        return Err(Error::Training(format!(
            "the data has {} themes, more than the {MAX_THEMES} a model may have (were ids or \
             free text read as labels?)",
            themes.len()
        )));
    }
    let gold = Gold::new(documents, &themes);
    let positives: Vec<u64> = (0..themes.len())
        .map(|t| (0..gold.len()).filter(|&i| gold.of(i)[t]).count() as u64)
        .collect();
    let needed = (options.folds as usize).max(MIN_PER_CLASS);
    for (t, theme) in themes.iter().enumerate() {
        let pos = positives[t] as usize;
        let neg = documents.len() - pos;
        if pos < needed || neg < needed {
            return Err(Error::DegenerateTheme {
                theme: theme.clone(),
                positives: pos,
                negatives: neg,
                needed,
            });
        }
    }
    // Every split the fits below will make is known from the labels alone: a theme that one of
    // them would leave with a single class fails now, not after minutes of fitting.
    let split = holdout_split(documents.len(), options);
    if let Some((_, train_part)) = &split {
        check_folds(
            &gold,
            train_part,
            &themes,
            options,
            "documents left after the holdout",
        )?;
    }
    let all: Vec<usize> = (0..documents.len()).collect();
    check_folds(&gold, &all, &themes, options, "documents")?;

    let analyzer = Analyzer::new(options.analyzer.clone());
    progress(TrainProgress::Analysing {
        documents: documents.len() as u64,
    });
    let corpus = Corpus::analyse(documents, &analyzer, progress);
    // The final fit is the largest (every document): its vocabulary is fitted now, so a fit
    // that cannot have the memory it needs stops before any fitting work.
    let final_tfidf = {
        let docs: Vec<&[Token]> = (0..documents.len()).map(|i| corpus.document(i)).collect();
        fit_vocabulary(&options.vocabulary, &docs, &corpus.cache)?
    };
    check_memory(
        options,
        documents.len(),
        corpus.tokens.len(),
        final_tfidf.len(),
        themes.len() * (options.folds as usize + 1),
    )?;

    let holdout_metrics = if let Some((test, train_part)) = split {
        let (model, _) = fit(
            &corpus,
            &gold,
            &train_part,
            &themes,
            options,
            None,
            (Split::HeldOut, progress),
        )?;
        let mut workspace = model.workspace();
        let predicted: Vec<Vec<bool>> = test
            .iter()
            .map(|&i| model.decisions(&documents[i].text, &mut workspace))
            .collect();
        let test_gold: Vec<Vec<bool>> = test.iter().map(|&i| gold.of(i).to_vec()).collect();
        Some(Metrics::compute(&themes, &test_gold, &predicted))
    } else {
        None
    };

    let info_hash = data_hash(documents);
    let (model, degenerate) = fit(
        &corpus,
        &gold,
        &all,
        &themes,
        options,
        Some(FinalFit {
            data_hash: info_hash,
            holdout_metrics: holdout_metrics.clone(),
            positives: positives.clone(),
            tfidf: final_tfidf,
        }),
        (Split::Final, progress),
    )?;
    let report = TrainReport {
        themes: themes.clone(),
        positives,
        none_documents: (0..gold.len())
            .filter(|&i| !gold.of(i).iter().any(|&x| x))
            .count() as u64,
        holdout: holdout_metrics,
        terms: model.tfidf().len(),
        degenerate,
    };
    Ok((model, report))
}

/// The seeded held-out split of `n` documents: (held out, trained on), each in ascending order;
/// `None` when `holdout` is 0.
fn holdout_split(n: usize, options: &TrainOptions) -> Option<(Vec<usize>, Vec<usize>)> {
    if options.holdout <= 0.0 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(options.seed));
    let n_test = ((n as f64) * options.holdout).round() as usize;
    let (test, train_part) = order.split_at(n_test.min(n - 1));
    let mut train_part = train_part.to_vec();
    train_part.sort_unstable();
    let mut test = test.to_vec();
    test.sort_unstable();
    Some((test, train_part))
}

/// The seeded threshold-tuning fold of each of `n` rows of a subset.
fn fold_assignment(n: usize, options: &TrainOptions) -> Vec<usize> {
    let folds = options.folds as usize;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(
        options.seed ^ 0x5eed,
    ));
    let mut fold_of = vec![0usize; n];
    for (rank, &row) in order.iter().enumerate() {
        fold_of[row] = rank % folds;
    }
    fold_of
}

/// Checks, from the labels alone, that every fit [`fit`] makes on `subset` (one per fold, on the
/// rows outside it, and one on all of it) sees both positive and negative documents of every
/// theme. Costs one pass over the subset's labels.
///
/// # Errors
/// [`Error::Training`] naming the first theme and fold left with one class only.
fn check_folds(
    gold: &Gold,
    subset: &[usize],
    themes: &[String],
    options: &TrainOptions,
    part: &str,
) -> Result<()> {
    let folds = options.folds as usize;
    let fold_of = fold_assignment(subset.len(), options);
    let mut rows_in = vec![0usize; folds];
    // positives_in[theme * folds + fold]
    let mut positives_in = vec![0usize; themes.len() * folds];
    for (row, &document) in subset.iter().enumerate() {
        let fold = fold_of[row];
        rows_in[fold] += 1;
        for (theme, _) in gold.of(document).iter().enumerate().filter(|(_, &g)| g) {
            positives_in[theme * folds + fold] += 1;
        }
    }
    for (t, theme) in themes.iter().enumerate() {
        let counts = &positives_in[t * folds..(t + 1) * folds];
        let positives: usize = counts.iter().sum();
        for fold in 0..folds {
            let kept = subset.len() - rows_in[fold];
            let kept_positives = positives - counts[fold];
            let missing = if kept_positives == 0 {
                "positive"
            } else if kept_positives == kept {
                "negative"
            } else {
                continue;
            };
            return Err(Error::Training(format!(
                "theme `{theme}` would be fitted without a single {missing} document: none is \
                 outside fold {} of {folds} of the {} {part} (seed {}); give it more \
                 documents, or use fewer folds or a smaller holdout",
                fold + 1,
                subset.len(),
                options.seed
            )));
        }
    }
    Ok(())
}

/// SHA-256 over ids, texts and labels, each length-prefixed so boundaries cannot shift.
pub(crate) fn data_hash(documents: &[LabelledDocument]) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    for d in documents {
        field(d.id.as_bytes());
        field(d.text.as_bytes());
        for l in &d.labels {
            field(l.as_bytes());
        }
        field(b"");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What the final fit (on every document) is given beside the documents.
struct FinalFit {
    data_hash: String,
    holdout_metrics: Option<Metrics>,
    positives: Vec<u64>,
    /// The vocabulary of every document, fitted before any fit to check memory.
    tfidf: TfIdf,
}

/// Checks that `fits` fits of `options.learner` on `rows` documents with about `nonzeros`
/// TF-IDF entries over `n_terms` terms, as many at once as there are worker threads, fit in
/// `options.max_memory` (or the memory available).
///
/// # Errors
/// [`Error::Training`] saying how much they need, how much there is, and which option lowers it.
fn check_memory(
    options: &TrainOptions,
    rows: usize,
    nonzeros: usize,
    n_terms: usize,
    fits: usize,
) -> Result<()> {
    let (available, whence) = match options.max_memory {
        Some(bytes) => (bytes, "the --max-memory limit"),
        None => match crate::memory::available() {
            Some(bytes) => (bytes, "the memory available"),
            None => return Ok(()),
        },
    };
    let at_once = rayon::current_num_threads().clamp(1, fits.max(1));
    let each = options.learner.fit_memory(rows, nonzeros, n_terms);
    let needed = each.saturating_mul(at_once as u64);
    if needed <= available {
        return Ok(());
    }
    let columns = options.learner.columns(n_terms);
    let advice = match &options.learner {
        Learner::Logistic(LogisticParams {
            features_per_theme, ..
        }) => format!(
            "each holds a dense {rows} x {columns} matrix of 8-byte numbers (linfa takes no sparse \
             input): lower --features-per-theme (now {features_per_theme}), use --learner ftrl, \
             or train on fewer documents"
        ),
        Learner::Ftrl(_) => {
            "lower --max-terms or --features-per-theme, or train on fewer documents".to_string()
        }
    };
    Err(Error::Training(format!(
        "fitting needs about {} ({at_once} fits at once, {} each), more than {} ({whence}); {advice}",
        crate::memory::describe(needed),
        crate::memory::describe(each),
        crate::memory::describe(available),
    )))
}

/// Fits vocabulary, thresholds and theme models on the documents `subset`, telling `progress`
/// as it goes; also returns the themes whose fitted model is degenerate on the subset (see
/// [`TrainReport::degenerate`]).
fn fit(
    corpus: &Corpus,
    gold: &Gold,
    subset: &[usize],
    themes: &[String],
    options: &TrainOptions,
    final_fit: Option<FinalFit>,
    (split, progress): (Split, &(dyn Fn(TrainProgress) + Sync)),
) -> Result<(Model, Vec<(String, String)>)> {
    progress(TrainProgress::Vectorizing {
        split,
        documents: subset.len() as u64,
    });
    let docs: Vec<&[Token]> = subset.iter().map(|&i| corpus.document(i)).collect();
    let (final_info, tfidf) = match final_fit {
        Some(FinalFit {
            data_hash,
            holdout_metrics,
            positives,
            tfidf,
        }) => (Some((data_hash, holdout_metrics, positives)), tfidf),
        None => (
            None,
            fit_vocabulary(&options.vocabulary, &docs, &corpus.cache)?,
        ),
    };
    let rows = vectorize_all(&tfidf, &docs, &corpus.cache);
    let targets: Vec<Vec<bool>> = (0..themes.len())
        .map(|t| subset.iter().map(|&i| gold.of(i)[t]).collect())
        .collect();
    let n_terms = tfidf.len();

    let folds = options.folds as usize;
    let fold_of = fold_assignment(subset.len(), options);
    let nonzeros = rows.iter().map(SparseVector::len).sum();
    check_memory(
        options,
        rows.len(),
        nonzeros,
        n_terms,
        themes.len() * (folds + 1),
    )?;

    // One job per (theme, fold) for out-of-fold scores, plus one per theme on everything.
    let jobs: Vec<(usize, Option<usize>)> = (0..themes.len())
        .flat_map(|t| (0..folds).map(move |f| (t, Some(f))).chain([(t, None)]))
        .collect();
    let rows_in_fold = (0..folds)
        .map(|f| fold_of.iter().filter(|&&of| of == f).count())
        .collect::<Vec<_>>();
    let fitted_documents: usize = jobs
        .iter()
        .map(|&(_, fold)| rows.len() - fold.map_or(0, |f| rows_in_fold[f]))
        .sum();
    progress(TrainProgress::Fitting {
        split,
        fits: jobs.len() as u32,
        documents: (fitted_documents * options.learner.epochs() as usize) as u64,
    });
    let fitted: Vec<Result<(Vec<f32>, f32)>> = jobs
        .par_iter()
        .map(|&(t, fold)| {
            let (train_rows, train_targets): (Vec<&SparseVector>, Vec<bool>) = (0..rows.len())
                .filter(|&r| fold != Some(fold_of[r]))
                .map(|r| (&rows[r], targets[t][r]))
                .unzip();
            if !train_targets.iter().any(|&x| x) || train_targets.iter().all(|&x| x) {
                return Err(Error::Training(format!(
                    "theme `{}` has a fold with one class only; use fewer folds or more data",
                    themes[t]
                )));
            }
            let seed = options
                .seed
                .wrapping_add((t * (folds + 1) + fold.unwrap_or(folds)) as u64);
            let fitted = options.learner.fit_with_progress(
                &train_rows,
                &train_targets,
                n_terms,
                seed,
                &|documents| progress(TrainProgress::Documents(documents)),
            )?;
            progress(TrainProgress::FitDone);
            Ok((fitted.weights, fitted.bias))
        })
        .collect();
    let fitted: Vec<(Vec<f32>, f32)> = fitted.into_iter().collect::<Result<_>>()?;

    let mut weights = Vec::with_capacity(themes.len());
    let mut bias = Vec::with_capacity(themes.len());
    let mut cuts = Vec::with_capacity(themes.len());
    let mut degenerate_themes = Vec::new();
    for t in 0..themes.len() {
        let per_fold = &fitted[t * (folds + 1)..(t + 1) * (folds + 1)];
        let out_of_fold: Vec<f64> = (0..rows.len())
            .map(|r| {
                let (w, b) = &per_fold[fold_of[r]];
                let margin: f64 = f64::from(*b)
                    + rows[r]
                        .iter()
                        .map(|(term, v)| f64::from(v * w[term as usize]))
                        .sum::<f64>();
                crate::model::sigmoid(margin)
            })
            .collect();
        let cut = thresholds::tune(&out_of_fold, &targets[t]);
        cuts.push(cut as f32);
        let (w, b) = per_fold[folds].clone();
        if let Some(why) = degenerate(&rows, &w, b, cut as f32) {
            degenerate_themes.push((themes[t].clone(), why));
        }
        weights.push(w);
        bias.push(b);
    }
    let scorer = Scorer::from_themes(themes.to_vec(), &weights, bias, cuts, n_terms);
    let (data_hash, holdout_metrics, positives) = final_info.unwrap_or_default();
    let info = TrainingInfo {
        data_hash,
        documents: subset.len() as u64,
        positives,
        learner: options.learner.clone(),
        vocabulary: options.vocabulary.clone(),
        folds: options.folds,
        holdout: options.holdout,
        seed: options.seed,
        holdout_metrics,
    };
    Ok((
        Model::new(options.analyzer.clone(), tfidf, scorer, info),
        degenerate_themes,
    ))
}

/// Why a theme's model with `weights` and `bias` says the same of every one of `rows`: its
/// scores lie within [`FLAT_SCORES`] of each other, or all reach its threshold `cut`.
fn degenerate(rows: &[SparseVector], weights: &[f32], bias: f32, cut: f32) -> Option<String> {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for row in rows {
        let margin = f64::from(bias)
            + row
                .iter()
                .map(|(term, v)| f64::from(v * weights[term as usize]))
                .sum::<f64>();
        let score = crate::model::sigmoid(margin);
        low = low.min(score);
        high = high.max(score);
    }
    if high - low < FLAT_SCORES {
        Some(format!(
            "every training document scores between {low:.3} and {high:.3}"
        ))
    } else if low >= f64::from(cut) {
        Some(format!(
            "it tags all {} training documents, negatives included",
            rows.len()
        ))
    } else {
        None
    }
}

/// TF-IDF rows of documents analysed with the growing `cache`.
fn vectorize_all(tfidf: &TfIdf, docs: &[&[Token]], cache: &StemCache) -> Vec<SparseVector> {
    // Growing-cache stem id -> vocabulary stem id.
    let vocab_stem: foldhash::HashMap<&str, u32> = tfidf
        .stems()
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as u32))
        .collect();
    let remap: Vec<u32> = (0..cache.stem_count() as u32)
        .map(|s| {
            vocab_stem
                .get(cache.stem(s))
                .copied()
                .unwrap_or(StemCache::UNKNOWN)
        })
        .collect();
    // Each row is built in a per-thread scratch vector and copied out at its exact size: a
    // vector grown push by push keeps up to half its room unused, on every document.
    docs.par_iter()
        .map_init(
            || (TermCounts::default(), Vec::new(), SparseVector::default()),
            |(counts, mapped, scratch), tokens| {
                mapped.clear();
                mapped.extend(tokens.iter().map(|t| Token {
                    stem: remap[t.stem as usize],
                    ..*t
                }));
                tfidf.vectorize(mapped, counts, scratch);
                scratch.clone()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 24 documents: themes `a` and `b`, 6 positives each, the rest of no theme.
    fn documents() -> Vec<LabelledDocument> {
        (0..24)
            .map(|i| LabelledDocument {
                id: format!("d{i}"),
                text: format!("word{} shared text number{i} word{}", i % 4, i % 3),
                labels: match i % 4 {
                    0 => vec!["a".to_string()],
                    1 => vec!["b".to_string()],
                    _ => Vec::new(),
                },
            })
            .collect()
    }

    /// Hostile-input issue, item 10: the up-front check sees every split the fits make, so the
    /// fits' own "one class only" error is never reached, and the check does refuse some seeds.
    #[test]
    fn fold_check_before_training_covers_every_fit() {
        let documents = documents();
        let mut refused = 0;
        for seed in 0..40 {
            for folds in [2, 3] {
                let options = TrainOptions {
                    vocabulary: VocabularyConfig {
                        min_df: 1,
                        max_df: 1.0,
                        ..VocabularyConfig::default()
                    },
                    folds,
                    holdout: 0.5,
                    seed,
                    ..TrainOptions::default()
                };
                match train(&documents, &options) {
                    Ok(_) => {}
                    Err(error) => {
                        let message = error.to_string();
                        assert!(
                            message.contains("would be fitted without a single"),
                            "seed {seed}, {folds} folds: {message}"
                        );
                        refused += 1;
                    }
                }
            }
        }
        assert!(refused > 0, "no seed was refused: the test proves nothing");
    }
}
