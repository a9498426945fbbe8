//! The trained model: [`Model`] holds the analysis settings, the [`TfIdf`] vocabulary, the
//! per-theme [`Scorer`] and [`TrainingInfo`], and classifies text into a [`Classification`].
//!
//! Inference runs per thread with a [`Workspace`] of reusable buffers, so classifying a
//! document allocates little beyond its result.

mod destination;
pub(crate) mod file;
pub mod learner;
mod scorer;
pub mod thresholds;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use destination::{
    check_not_inputs, check_not_training_data, destination, model_destination, Output,
};
pub use file::{AnalyzerRecord, FORMAT_VERSION, MAGIC};
pub use learner::Learner;
pub(crate) use scorer::sigmoid;
pub use scorer::Scorer;

use crate::analysis::normalize::Normalized;
use crate::analysis::{Analyzer, AnalyzerConfig, StemCache, Token};
use crate::error::{Error, Result};
use crate::features::{SparseVector, Term, TermCounts, TfIdf, VocabularyConfig};
use crate::keywords::{find_form_normalized, Extractor, KeywordScratch, WordStats};
use crate::metrics::Metrics;
use file::{ModelData, StopListRecord};

/// How a model was trained: enough to rebuild it and to judge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// SHA-256 (hex) of the training documents (ids, texts, labels, in order).
    pub data_hash: String,
    /// Documents trained on.
    pub documents: u64,
    /// Positive documents per theme, in theme order.
    pub positives: Vec<u64>,
    /// The learner and its hyperparameters.
    pub learner: Learner,
    /// Vocabulary settings.
    pub vocabulary: VocabularyConfig,
    /// Folds used to tune thresholds.
    pub folds: u32,
    /// Share of documents held out for the reported metrics.
    pub holdout: f64,
    /// Seed of every random choice.
    pub seed: u64,
    /// Scores on the seeded held-out split, from a model fitted without it.
    pub holdout_metrics: Option<Metrics>,
}

/// Per-call options of [`Model::classify`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifyOptions {
    /// One threshold for every theme instead of the tuned ones.
    pub threshold: Option<f64>,
    /// How many keywords to report, at most.
    pub keywords: usize,
    /// Past the first few, keywords scoring under this share of the best are left out (see
    /// [`crate::keywords::Extractor::extract`]).
    pub min_relevance: f32,
    /// How many terms to report per assigned theme as its evidence.
    pub evidence: usize,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions {
            threshold: None,
            keywords: 8,
            min_relevance: crate::keywords::MIN_RELEVANCE,
            evidence: 5,
        }
    }
}

/// The result of classifying one document. Names borrow from the [`Model`], so a result
/// costs a few vectors, not a string per theme and keyword.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Classification<'m> {
    /// Themes whose score reached their threshold, in model order.
    pub themes: Vec<&'m str>,
    /// Probability of every theme, in model order.
    pub scores: Vec<(&'m str, f64)>,
    /// The document's keywords, best first, each as the document writes it (see
    /// [`crate::keywords`]).
    pub keywords: Vec<String>,
    /// For each assigned theme, the terms that pushed its score up most, in the document's
    /// own words where it has them.
    pub evidence: Vec<(&'m str, Vec<String>)>,
    /// Whether the document has words but not one the model's vocabulary knows: most likely a
    /// language or script the model has no terms for (Cyrillic or Chinese text given to an
    /// English model). Its scores are then the model's defaults, whatever the text says.
    /// Serialised only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub only_unknown_words: bool,
}

/// Reusable per-thread buffers for [`Model`] inference.
#[derive(Debug, Clone)]
pub struct Workspace {
    cache: StemCache,
    tokens: Vec<Token>,
    counts: TermCounts,
    features: SparseVector,
    probabilities: Vec<f64>,
    ranked: Vec<u64>,
    keywords: KeywordScratch,
    words: Vec<Token>,
    /// The document normalised, for finding the evidence terms' forms.
    normalized: Normalized,
}

/// One [`Workspace`] per worker thread, kept across calls so each thread's stemming memo stays
/// warm from batch to batch (a fresh workspace per batch re-stems every word it meets).
#[derive(Debug)]
pub struct WorkspacePool {
    slots: Vec<std::sync::Mutex<Workspace>>,
}

impl WorkspacePool {
    /// A workspace for each thread of rayon's current pool, plus one for callers outside it.
    pub fn new(model: &Model) -> WorkspacePool {
        let threads = rayon::current_num_threads() + 1;
        WorkspacePool {
            slots: (0..threads)
                .map(|_| std::sync::Mutex::new(model.workspace()))
                .collect(),
        }
    }

    /// Runs `work` with the calling thread's workspace.
    pub fn with<R>(&self, work: impl FnOnce(&mut Workspace) -> R) -> R {
        let slot = rayon::current_thread_index().map_or(0, |i| (i + 1) % self.slots.len());
        // Each rayon thread has its own slot, so the lock is uncontended; a poisoned lock
        // only means an earlier call panicked, and the buffers are still valid to reuse.
        let mut workspace = self.slots[slot]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        work(&mut workspace)
    }
}

/// A trained thematic model.
#[derive(Debug)]
pub struct Model {
    analyzer: Analyzer,
    tfidf: TfIdf,
    scorer: Scorer,
    info: TrainingInfo,
    extractor: Extractor,
}

/// The record of the stop-word list an analyzer with `config` drops.
fn stop_list_of(config: &AnalyzerConfig) -> StopListRecord {
    StopListRecord::of(crate::analysis::stop_list(config))
}

/// The default model's bytes, built from `datasets/` (see README).
pub const DEFAULT_MODEL: &[u8] = include_bytes!("../../models/default.thematic");

impl Model {
    pub(crate) fn new(
        analyzer: AnalyzerConfig,
        tfidf: TfIdf,
        scorer: Scorer,
        info: TrainingInfo,
    ) -> Model {
        let extractor = Extractor {
            unknown_idf: tfidf.max_idf(),
        };
        Model {
            analyzer: Analyzer::new(analyzer),
            tfidf,
            scorer,
            info,
            extractor,
        }
    }

    /// The model embedded in the binary.
    ///
    /// # Errors
    /// [`Error::Model`] if the embedded bytes are unusable (a build problem).
    pub fn embedded() -> Result<Model> {
        Model::from_bytes(DEFAULT_MODEL, Path::new("<embedded default model>"))
    }

    /// Reads a model file. The header is checked against the file's size before the rest is
    /// read, and anything but a regular file (a FIFO, a device) is refused without waiting on it.
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; [`Error::Model`] if it is not a regular file, or is
    /// truncated, damaged, of another format version or inconsistent.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = file::read(path).map_err(|e| match e {
            Ok(message) => Error::Model {
                path: path.to_path_buf(),
                message,
            },
            Err(io) => Error::io(path, io),
        })?;
        Model::from_bytes(&bytes, path)
    }

    /// Decodes model bytes; `origin` names them in errors.
    ///
    /// # Errors
    /// [`Error::Model`] as for [`Model::load`].
    pub fn from_bytes(bytes: &[u8], origin: &Path) -> Result<Model> {
        let invalid = |message: String| Error::Model {
            path: PathBuf::from(origin),
            message,
        };
        let (data, stop_list) = file::decode(bytes).map_err(invalid)?;
        let analyzer = data.analyzer.config();
        analyzer.check().map_err(|e| invalid(e.to_string()))?;
        if let Some(why) = stop_list.and_then(|saved| saved.disagreement(&stop_list_of(&analyzer)))
        {
            return Err(invalid(why));
        }
        let tfidf = TfIdf::from_data(data.tfidf).map_err(invalid)?;
        data.scorer.check(tfidf.len()).map_err(invalid)?;
        Ok(Model::new(analyzer, tfidf, data.scorer, data.info))
    }

    /// The model file's bytes. The same model always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        file::encode(
            &ModelData {
                analyzer: self.analyzer_record(),
                tfidf: self.tfidf.data().clone(),
                scorer: self.scorer.clone(),
                info: self.info.clone(),
            },
            &stop_list_of(self.analyzer.config()),
        )
    }

    /// Writes the model to `path` atomically (a crash leaves the old file or none, never half).
    /// A symbolic link at `path` is followed and its target replaced; see
    /// [`model_destination`] for what is refused.
    ///
    /// # Errors
    /// [`Error::Destination`] for a destination that must not be replaced; [`Error::Io`]
    /// naming `path` when the write fails.
    pub fn save(&self, path: &Path) -> Result<()> {
        let target = model_destination(path)?;
        file::write_atomically(&target, &self.to_bytes()).map_err(|e| Error::io(path, e))
    }

    /// Theme names.
    pub fn themes(&self) -> &[String] {
        self.scorer.themes()
    }

    /// Training metadata.
    pub fn info(&self) -> &TrainingInfo {
        &self.info
    }

    /// The analysis settings.
    pub fn analyzer_config(&self) -> &AnalyzerConfig {
        self.analyzer.config()
    }

    /// The analysis settings as the model file records them, with the vocabulary's `bigrams`.
    pub fn analyzer_record(&self) -> AnalyzerRecord {
        AnalyzerRecord::new(self.analyzer.config(), self.tfidf.data().bigrams)
    }

    /// The fitted vocabulary.
    pub fn tfidf(&self) -> &TfIdf {
        &self.tfidf
    }

    /// The per-theme scorer.
    pub fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    /// A [`WorkspacePool`] for parallel inference with this model.
    pub fn workspace_pool(&self) -> WorkspacePool {
        WorkspacePool::new(self)
    }

    /// Fresh buffers for this model's inference; keep one per thread.
    pub fn workspace(&self) -> Workspace {
        Workspace {
            cache: self.tfidf.stem_cache(),
            tokens: Vec::new(),
            counts: TermCounts::default(),
            features: SparseVector::default(),
            probabilities: Vec::new(),
            ranked: Vec::new(),
            keywords: KeywordScratch::default(),
            words: Vec::new(),
            normalized: Normalized::default(),
        }
    }

    /// The TF-IDF vector of `text`, left in `workspace` and returned.
    pub fn vectorize<'w>(&self, text: &str, workspace: &'w mut Workspace) -> &'w SparseVector {
        self.analyzer
            .analyze(text, &mut workspace.cache, &mut workspace.tokens);
        self.tfidf.vectorize(
            &workspace.tokens,
            &mut workspace.counts,
            &mut workspace.features,
        );
        &workspace.features
    }

    /// Theme probabilities of `text`, one per theme in model order.
    pub fn probabilities<'w>(&self, text: &str, workspace: &'w mut Workspace) -> &'w [f64] {
        self.vectorize(text, workspace);
        self.scorer
            .probabilities(&workspace.features, &mut workspace.probabilities);
        &workspace.probabilities
    }

    /// Whether each theme's probability for `text` reaches the theme's tuned threshold, in
    /// theme order: the model's decisions, without keywords or evidence.
    pub fn decisions(&self, text: &str, workspace: &mut Workspace) -> Vec<bool> {
        self.probabilities(text, workspace)
            .iter()
            .zip(self.scorer.thresholds())
            .map(|(&p, &cut)| p >= f64::from(cut))
            .collect()
    }

    /// Themes, scores, keywords and evidence of `text`.
    pub fn classify(
        &self,
        text: &str,
        workspace: &mut Workspace,
        options: &ClassifyOptions,
    ) -> Classification<'_> {
        let mut result = Classification::default();
        self.classify_into(text, workspace, options, &mut result);
        result
    }

    /// [`Model::classify`] into `result`, whose vectors are reused: classifying many
    /// documents into one result allocates nothing for most of them.
    pub fn classify_into<'m>(
        &'m self,
        text: &str,
        workspace: &mut Workspace,
        options: &ClassifyOptions,
        result: &mut Classification<'m>,
    ) {
        self.probabilities(text, workspace);
        // Only a document with no word kept is looked at again (rare, and mostly short).
        result.only_unknown_words = workspace.tokens.is_empty()
            && self.analyzer.has_unknown_words(text, &mut workspace.cache);
        let Workspace {
            features,
            ranked,
            probabilities,
            cache,
            words,
            keywords: scratch,
            normalized,
            ..
        } = workspace;
        let themes = self.themes();
        result.themes.clear();
        result.scores.clear();
        result.scores.extend(
            themes
                .iter()
                .map(String::as_str)
                .zip(probabilities.iter().copied()),
        );
        // Keywords and evidence are read from the document's own words.
        let mut stats = ModelWords {
            model: self,
            cache,
            tokens: words,
        };
        self.extractor.extract(
            text,
            options.keywords,
            options.min_relevance,
            &mut stats,
            scratch,
            &mut result.keywords,
        );
        // One pass over the themes fills both lists: no list of the assigned ones in between.
        // The evidence lists of earlier documents are refilled, not dropped.
        let mut assigned = 0;
        // Whether the text needs normalising is checked once, at the first evidence term.
        let mut normalized_set = false;
        for (t, theme) in themes.iter().enumerate() {
            let cut = options
                .threshold
                .unwrap_or(f64::from(self.scorer.thresholds()[t]));
            if probabilities[t] >= cut {
                let helped = self.helping_keys(features, t, ranked);
                let shown = options.evidence.min(helped.len());
                sort_top(helped, shown);
                if assigned == result.evidence.len() {
                    result.evidence.push((theme.as_str(), Vec::new()));
                }
                let (name, terms) = &mut result.evidence[assigned];
                *name = theme.as_str();
                terms.clear();
                for &key in &helped[..shown] {
                    let term = key as u32;
                    let Term { first, second } = self.tfidf.term(term);
                    let stems = [first, second];
                    if !normalized_set {
                        normalized.set(text);
                        normalized_set = true;
                    }
                    let own = find_form_normalized(
                        text,
                        normalized,
                        &stems[..1 + usize::from(second != Term::NONE)],
                        self.tfidf.stems(),
                        &mut stats,
                    );
                    terms.push(own.unwrap_or_else(|| self.tfidf.surface(term).to_string()));
                }
                result.themes.push(theme.as_str());
                assigned += 1;
            }
        }
        result.evidence.truncate(assigned);
    }

    /// The rank keys of the terms of `features` that pushed theme `theme`'s score up, in
    /// `ranked` (a reusable buffer, only grown).
    // Kept out of `classify`: inlined there, the loop ran short of registers and reloaded its
    // pointers from the stack on every term.
    #[inline(never)]
    fn helping_keys<'r>(
        &self,
        features: &SparseVector,
        theme: usize,
        ranked: &'r mut Vec<u64>,
    ) -> &'r mut [u64] {
        if ranked.len() < features.len() {
            ranked.resize(features.len(), 0);
        }
        // A slice, not the Vec: its pointer and length stay in registers across the stores.
        let slots = &mut ranked[..features.len()];
        // Each key is written to the next place, which moves on only for the terms that
        // helped (whether one did is a coin toss to the CPU: no branch on it).
        let mut helped = 0;
        for (term, value) in features.iter() {
            let carried = value * self.scorer.weight(term, theme);
            slots[helped] = rank_key(carried, term);
            helped += usize::from(carried > 0.0);
        }
        &mut slots[..helped]
    }

    /// The `n` terms with the largest positive weight for theme `theme` (an index into
    /// [`Model::themes`]), as (surface form, weight), heaviest first (ties by term id).
    pub fn top_terms(&self, theme: usize, n: usize) -> Vec<(String, f32)> {
        let mut terms: Vec<(f32, u32)> = (0..self.tfidf.len() as u32)
            .map(|id| (self.scorer.weight(id, theme), id))
            .filter(|(weight, _)| *weight > 0.0)
            .collect();
        terms.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        terms
            .into_iter()
            .take(n)
            .map(|(weight, id)| (self.tfidf.surface(id).to_string(), weight))
            .collect()
    }

    /// The `n` best keywords of `text`, each as the document writes it, fewer where the rest
    /// score under `min_relevance` times the best (see [`crate::keywords`]).
    pub fn keywords(
        &self,
        text: &str,
        workspace: &mut Workspace,
        n: usize,
        min_relevance: f32,
    ) -> Vec<String> {
        let (mut stats, scratch) = workspace.keyword_stage(self);
        let mut out = Vec::new();
        self.extractor
            .extract(text, n, min_relevance, &mut stats, scratch, &mut out);
        out
    }
}

impl Workspace {
    /// The keyword stage's buffers, and word statistics by `model` over this workspace's memo.
    fn keyword_stage<'a>(
        &'a mut self,
        model: &'a Model,
    ) -> (ModelWords<'a>, &'a mut KeywordScratch) {
        let Workspace {
            cache,
            words,
            keywords,
            ..
        } = self;
        let stats = ModelWords {
            model,
            cache,
            tokens: words,
        };
        (stats, keywords)
    }
}

/// A word's stem and IDF by the model's own analysis, through a workspace's memo (the words
/// of a document being classified were just stemmed, so most lookups are memo hits).
struct ModelWords<'a> {
    model: &'a Model,
    cache: &'a mut StemCache,
    tokens: &'a mut Vec<Token>,
}

impl WordStats for ModelWords<'_> {
    fn word_stats(&mut self, lower: &str) -> (u32, Option<f32>) {
        // Words of a normalised text: the scan's, and those `find_form_normalized` reads.
        self.model
            .analyzer
            .analyze_normalized(lower, self.cache, self.tokens);
        // A hyphenated word is several tokens: its stem is the last one's, its IDF their mean.
        let mut idf = 0.0;
        let mut known = 0;
        for token in self.tokens.iter() {
            if let Some(w) = self.model.tfidf.unigram_idf(token.stem) {
                idf += w;
                known += 1;
            }
        }
        let stem = match self.tokens.as_slice() {
            [] => u32::MAX,
            [one] => one.stem,
            many => {
                many.iter()
                    .fold(0x9e37_79b9u32, |h, t| h.rotate_left(5) ^ t.stem)
                    | 0x8000_0000
            }
        };
        (stem, (known > 0).then(|| idf / known as f32))
    }
}

/// A (weight, term) pair as one integer whose ascending order is descending weight (as
/// `f32::total_cmp`), then ascending term: ranking sorts plain integers. The term is the low
/// 32 bits.
fn rank_key(weight: f32, term: u32) -> u64 {
    let bits = weight.to_bits();
    // In total_cmp order, a positive weight's bits count up with it and a negative weight's
    // count down, below every positive one. Flipping all but the sign of the positive ones
    // (the mask is 0x7FFF_FFFF for them, 0 for the negative) reverses that order as unsigned
    // integers, without a branch.
    let descending = bits ^ (!((bits as i32 >> 31) as u32) >> 1);
    (u64::from(descending) << 32) | u64::from(term)
}

/// Puts the `k` best of `keys` (see [`rank_key`]) first, in order, without sorting the rest.
fn sort_top(keys: &mut [u64], k: usize) {
    match k {
        0 => {}
        1..=FEW => sort_few::<FEW>(keys),
        _ if k < keys.len() => {
            keys.select_nth_unstable(k);
            keys[..k].sort_unstable();
        }
        _ => keys.sort_unstable(),
    }
}

/// Up to this many best keys are found by [`sort_few`]: the default evidence count. The
/// keywords' 16 stay with the selection, which needs fewer instructions for them: 16 places
/// do not fit in registers, and every key would pass all of them.
const FEW: usize = 5;

/// Puts the `K` best of `keys` first, in order, without sorting the rest. For a small `K`
/// this beats a selection: `select_nth_unstable` and the small sorts branch on each
/// comparison of keys, which the CPU cannot predict.
///
/// `K` places, kept sorted in registers, start empty (`u64::MAX`). Each key passes down them:
/// every place keeps the smaller of its key and the one passing and hands on the larger (a
/// compare and two conditional moves, no branch), so what leaves the last place is the worst
/// of the `K + 1`, written back where the key came from. The first `K` keys push out the
/// empty places, so the best `K` end where those were written: at the front.
fn sort_few<const K: usize>(keys: &mut [u64]) {
    let mut places = [u64::MAX; K];
    for slot in keys.iter_mut() {
        let mut passing = *slot;
        for place in &mut places {
            let kept = (*place).min(passing);
            passing = (*place).max(passing);
            *place = kept;
        }
        *slot = passing;
    }
    for (slot, place) in keys.iter_mut().zip(places) {
        *slot = place;
    }
}

#[cfg(test)]
mod tests {
    use super::{rank_key, sort_top, Classification, ClassifyOptions, Model};
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// One result reused across documents (with more, fewer and no themes than the one
    /// before) holds what a fresh classification of each gives.
    #[test]
    fn classify_into_a_reused_result_gives_what_classify_gives() {
        let model = Model::embedded().unwrap();
        let mut workspace = model.workspace();
        let options = ClassifyOptions::default();
        let mut reused = Classification::default();
        for text in [
            "The parliament passed the budget after the central bank raised interest rates \
             and troops were deployed to the border after the attack.",
            "Troops were deployed to the border.",
            "",
            "The finance minister presented the budget; parliament will vote on the tax law.",
            "Weather: sunny.",
        ] {
            model.classify_into(text, &mut workspace, &options, &mut reused);
            let fresh = model.classify(text, &mut model.workspace(), &options);
            assert_eq!(reused, fresh, "{text}");
        }
    }

    #[test]
    fn sort_top_puts_the_k_best_first_in_order_and_keeps_every_key() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for len in 0..300 {
            // Few distinct weights, as in real documents (many terms share a weight), so keys
            // often differ only in the term; every key is distinct, as term ids are.
            let weights: Vec<f32> = (0..1 + len / 4).map(|_| rng.gen_range(-2.0..2.0)).collect();
            let mut terms: Vec<u32> = (0..len as u32)
                .map(|t| t * 7 + rng.gen_range(0..7))
                .collect();
            if len > 3 {
                // The extremes: the empty places of the small selection hold u64::MAX.
                terms[0] = u32::MAX;
                terms[1] = 0;
            }
            let mut keys: Vec<u64> = terms
                .iter()
                .map(|&t| rank_key(weights[rng.gen_range(0..weights.len())], t))
                .collect();
            if len > 3 {
                keys[2] = u64::MAX;
                keys[3] = 0;
            }
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            for k in 0..=len + 2 {
                let mut top = keys.clone();
                sort_top(&mut top, k);
                let shown = k.min(len);
                assert_eq!(top[..shown], sorted[..shown], "len {len}, k {k}");
                top.sort_unstable();
                assert_eq!(top, sorted, "len {len}, k {k}: keys lost or duplicated");
            }
        }
    }

    #[test]
    fn rank_keys_order_as_descending_weight_then_ascending_term() {
        let weights = [
            f32::INFINITY,
            3.5,
            1.0,
            1e-30,
            0.0,
            -0.0,
            -1e-30,
            -2.0,
            f32::NEG_INFINITY,
        ];
        let mut pairs: Vec<(f32, u32)> = weights
            .iter()
            .flat_map(|&w| [(w, 7), (w, 2), (w, u32::MAX)])
            .collect();
        let mut keys: Vec<u64> = pairs.iter().map(|&(w, t)| rank_key(w, t)).collect();
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        keys.sort_unstable();
        let expected: Vec<u64> = pairs.iter().map(|&(w, t)| rank_key(w, t)).collect();
        assert_eq!(keys, expected);
        assert!(keys.iter().zip(&pairs).all(|(&k, &(_, t))| k as u32 == t));
    }
}
