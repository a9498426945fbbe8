//! [`TfIdf`]: the fitted vocabulary and IDF; turns analysed tokens into L2-normalised
//! sublinear TF-IDF [`SparseVector`]s.

use foldhash::{HashMap, HashMapExt};

use serde::{Deserialize, Serialize};

use crate::analysis::{StemCache, Token};
use crate::error::{Error, Result};

use super::SparseVector;

/// A vocabulary term: one stem (`second == Term::NONE`) or a pair of adjacent stems, as ids
/// into [`TfIdf::stems`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// First stem id.
    pub first: u32,
    /// Second stem id, or [`Term::NONE`] for a unigram.
    pub second: u32,
}

impl Term {
    /// Marks a unigram's missing second stem.
    pub const NONE: u32 = u32::MAX;
}

/// The part of [`TfIdf`] that is saved in a model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TfIdfData {
    pub(crate) stems: Vec<String>,
    pub(crate) terms: Vec<Term>,
    pub(crate) idf: Vec<f32>,
    pub(crate) surfaces: Vec<String>,
    pub(crate) bigrams: bool,
}

/// Fitted TF-IDF: vocabulary, IDF weights, and the surface form people see for each term.
#[derive(Debug, Clone)]
pub struct TfIdf {
    data: TfIdfData,
    unigram_of_stem: Vec<u32>,
    bigram_ids: HashMap<u64, u32>,
    /// An empty frozen cache of the stems, made at the first call of [`TfIdf::stem_cache`]
    /// and cloned for each: the clones share the stems.
    empty_cache: std::sync::OnceLock<StemCache>,
    /// `1 + ln(count)` for the counts most terms have, computed once.
    sublinear: [f32; SUBLINEAR_TABLE],
}

/// Counts below this take their sublinear weight from [`TfIdf::sublinear`].
const SUBLINEAR_TABLE: usize = 64;

/// Sublinear term frequency: `1 + ln(count)`.
fn sublinear(count: u32) -> f32 {
    1.0 + (count as f32).ln()
}

impl TfIdf {
    /// Builds a TF-IDF from its parts, checking they fit together.
    ///
    /// # Errors
    /// [`Error::Training`] if lengths differ, an id is out of range or a weight is not finite.
    pub fn new(
        stems: Vec<String>,
        terms: Vec<Term>,
        idf: Vec<f32>,
        surfaces: Vec<String>,
        bigrams: bool,
    ) -> Result<TfIdf> {
        TfIdf::from_data(TfIdfData {
            stems,
            terms,
            idf,
            surfaces,
            bigrams,
        })
        .map_err(Error::Training)
    }

    pub(crate) fn from_data(data: TfIdfData) -> std::result::Result<TfIdf, String> {
        let n_stems = data.stems.len();
        if data.terms.len() != data.idf.len() || data.terms.len() != data.surfaces.len() {
            return Err(format!(
                "vocabulary has {} terms but {} IDF weights and {} surface forms",
                data.terms.len(),
                data.idf.len(),
                data.surfaces.len()
            ));
        }
        if data.terms.len() >= Term::NONE as usize {
            return Err("vocabulary is too large".into());
        }
        if let Some(w) = data.idf.iter().find(|w| !w.is_finite() || **w < 0.0) {
            return Err(format!(
                "IDF weight {w} is not a finite non-negative number"
            ));
        }
        let mut unigram_of_stem = vec![Term::NONE; n_stems];
        let mut bigram_ids = HashMap::new();
        for (id, term) in data.terms.iter().enumerate() {
            let in_range = |s: u32| (s as usize) < n_stems;
            if !in_range(term.first) || !(term.second == Term::NONE || in_range(term.second)) {
                return Err(format!("term {id} refers to a stem that does not exist"));
            }
            let duplicate = if term.second == Term::NONE {
                std::mem::replace(&mut unigram_of_stem[term.first as usize], id as u32)
                    != Term::NONE
            } else {
                let key = (u64::from(term.first) << 32) | u64::from(term.second);
                bigram_ids.insert(key, id as u32).is_some()
            };
            if duplicate {
                return Err(format!("term {id} is listed twice"));
            }
        }
        Ok(TfIdf {
            empty_cache: std::sync::OnceLock::new(),
            data,
            unigram_of_stem,
            bigram_ids,
            sublinear: std::array::from_fn(|count| sublinear(count as u32)),
        })
    }

    pub(crate) fn data(&self) -> &TfIdfData {
        &self.data
    }

    /// The stems the vocabulary is built on; a [`StemCache::frozen`] on them analyses text for it.
    pub fn stems(&self) -> &[String] {
        &self.data.stems
    }

    /// A frozen stem cache that knows this vocabulary's stems (shared with the other caches
    /// of this vocabulary, not copied).
    pub fn stem_cache(&self) -> StemCache {
        self.empty_cache
            .get_or_init(|| StemCache::frozen(&self.data.stems))
            .clone()
    }

    /// Number of terms (features).
    pub fn len(&self) -> usize {
        self.data.terms.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.data.terms.is_empty()
    }

    /// The IDF of the unigram term of stem `stem`, if the vocabulary has it.
    pub fn unigram_idf(&self, stem: u32) -> Option<f32> {
        match self.unigram_of_stem.get(stem as usize) {
            Some(&id) if id != Term::NONE => Some(self.idf(id)),
            _ => None,
        }
    }

    /// The largest IDF weight (0 for an empty vocabulary).
    pub fn max_idf(&self) -> f32 {
        self.data.idf.iter().copied().fold(0.0, f32::max)
    }

    /// The stems of term `id` (`second` is [`Term::NONE`] for a unigram).
    pub fn term(&self, id: u32) -> Term {
        self.data.terms[id as usize]
    }

    /// IDF weight of term `id`.
    pub fn idf(&self, id: u32) -> f32 {
        self.data.idf[id as usize]
    }

    /// The most frequent surface form of term `id` in the training data ("cyber security").
    pub fn surface(&self, id: u32) -> &str {
        &self.data.surfaces[id as usize]
    }

    /// The stemmed text of term `id` ("cyber secur").
    pub fn term_text(&self, id: u32) -> String {
        let term = self.data.terms[id as usize];
        let first = &self.data.stems[term.first as usize];
        if term.second == Term::NONE {
            first.clone()
        } else {
            format!("{first} {}", self.data.stems[term.second as usize])
        }
    }

    /// Calls `emit` with the term id of every unigram and bigram in `tokens` (whose stem ids
    /// are this vocabulary's, from [`TfIdf::stem_cache`]), in text order.
    pub fn for_each_term(&self, tokens: &[Token], mut emit: impl FnMut(u32)) {
        for_each_ngram(tokens, self.data.bigrams, |prev, token| match prev {
            None => {
                let id = self
                    .unigram_of_stem
                    .get(token.stem as usize)
                    .copied()
                    .unwrap_or(Term::NONE);
                if id != Term::NONE {
                    emit(id);
                }
            }
            Some(prev) => {
                let key = (u64::from(prev.stem) << 32) | u64::from(token.stem);
                if let Some(&id) = self.bigram_ids.get(&key) {
                    emit(id);
                }
            }
        });
    }

    /// The L2-normalised sublinear TF-IDF vector of `tokens` (see [`TfIdf::for_each_term`])
    /// into `out`; `counts` is a reusable buffer.
    pub fn vectorize(&self, tokens: &[Token], counts: &mut TermCounts, out: &mut SparseVector) {
        out.clear();
        if counts.counts.len() != self.len() {
            counts.counts = vec![0; self.len()];
            counts.seen = vec![0; self.len().div_ceil(64)];
            counts.summary = vec![0; counts.seen.len().div_ceil(64)];
        }
        // Every term sets its bit in `seen` and the bit of that word in `summary`: no branch on
        // whether the term is new to the document (a coin toss to the CPU), and the ids come
        // back in ascending order (the order the weights are summed in) with no sort.
        self.for_each_term(tokens, |id| {
            let id = id as usize;
            counts.counts[id] += 1;
            counts.seen[id / 64] |= 1 << (id % 64);
            counts.summary[id / 4096] |= 1 << (id / 64 % 64);
        });
        let mut norm = 0.0f32;
        for group in 0..counts.summary.len() {
            let mut words = std::mem::take(&mut counts.summary[group]);
            while words != 0 {
                let word = group * 64 + words.trailing_zeros() as usize;
                words &= words - 1;
                let mut bits = std::mem::take(&mut counts.seen[word]);
                while bits != 0 {
                    let id = word * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let count = std::mem::take(&mut counts.counts[id]);
                    // The same function fills the table, so both ways give the same bits.
                    let tf = match self.sublinear.get(count as usize) {
                        Some(&tf) => tf,
                        None => sublinear(count),
                    };
                    let weight = tf * self.idf(id as u32);
                    norm += weight * weight;
                    out.indices.push(id as u32);
                    out.values.push(weight);
                }
            }
        }
        if norm > 0.0 {
            let inv = 1.0 / norm.sqrt();
            out.values.iter_mut().for_each(|v| *v *= inv);
        }
    }
}

/// The one rule for which terms a token stream holds, shared by the vocabulary fit and
/// vectorization: `emit(None, token)` for every token (its unigram) and, with `bigrams`,
/// `emit(Some(previous), token)` for every token joined to the one before it.
pub(crate) fn for_each_ngram<'t>(
    tokens: &'t [Token],
    bigrams: bool,
    mut emit: impl FnMut(Option<&'t Token>, &'t Token),
) {
    let mut prev: Option<&Token> = None;
    for token in tokens {
        emit(None, token);
        if let (true, true, Some(prev)) = (bigrams, token.joined, prev) {
            emit(Some(prev), token);
        }
        prev = Some(token);
    }
}

/// Reusable term-frequency buffer for [`TfIdf::vectorize`]: a count per vocabulary term, a bit
/// per term seen and a bit per 64 terms with one seen (all zero between calls), so counting is
/// O(1) a term, no hash map is built and the terms seen are found in order without a sort.
#[derive(Debug, Clone, Default)]
pub struct TermCounts {
    counts: Vec<u32>,
    seen: Vec<u64>,
    summary: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analyzer, AnalyzerConfig};
    use crate::features::{fit_vocabulary, VocabularyConfig};

    fn fitted(texts: &[&str], config: &VocabularyConfig) -> (Analyzer, TfIdf) {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut cache = StemCache::growing();
        let docs: Vec<Vec<Token>> = texts
            .iter()
            .map(|t| {
                let mut tokens = Vec::new();
                analyzer.analyze(t, &mut cache, &mut tokens);
                tokens
            })
            .collect();
        let refs: Vec<&[Token]> = docs.iter().map(Vec::as_slice).collect();
        let tfidf = fit_vocabulary(config, &refs, &cache).unwrap();
        (analyzer, tfidf)
    }

    #[test]
    fn vocabulary_respects_min_df_and_max_df() {
        let config = VocabularyConfig {
            min_df: 2,
            max_df: 0.75,
            max_terms: 100,
            bigrams: true,
        };
        let (_, tfidf) = fitted(
            &[
                "cyber security threat",
                "cyber security law",
                "budget law vote",
                "cyber budget",
            ],
            &config,
        );
        let texts: Vec<String> = (0..tfidf.len() as u32)
            .map(|i| tfidf.term_text(i))
            .collect();
        // "cyber" is in 3 of 4 documents (<= 0.75), "threat" and "vote" in only one.
        assert_eq!(texts, ["budget", "cyber", "cyber secur", "law", "secur"]);
        assert_eq!(tfidf.surface(2), "cyber security");
    }

    #[test]
    fn vectors_are_l2_normalised_sublinear_tfidf() {
        let config = VocabularyConfig {
            min_df: 1,
            max_df: 1.0,
            max_terms: 100,
            bigrams: true,
        };
        let (analyzer, tfidf) = fitted(&["tax tax tax vote", "vote"], &config);
        let mut cache = tfidf.stem_cache();
        let mut tokens = Vec::new();
        analyzer.analyze("tax tax tax vote", &mut cache, &mut tokens);
        let mut vector = SparseVector::default();
        tfidf.vectorize(&tokens, &mut TermCounts::default(), &mut vector);
        let norm: f32 = vector.values.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        let weight = |text: &str| {
            let id = (0..tfidf.len() as u32)
                .find(|&i| tfidf.term_text(i) == text)
                .unwrap();
            vector.values[vector.indices.iter().position(|&j| j == id).unwrap()]
        };
        // tax: (1 + ln 3) * (ln(3/2) + 1); vote: 1 * (ln(3/3) + 1).
        let tax = (1.0 + 3f32.ln()) * (1.5f32.ln() + 1.0);
        assert!((weight("tax") / weight("vote") - tax).abs() < 1e-5);
    }

    #[test]
    fn a_term_repeated_more_often_than_the_vocabulary_is_large_counts_once() {
        let config = VocabularyConfig {
            min_df: 1,
            max_df: 1.0,
            max_terms: 100,
            bigrams: true,
        };
        let (analyzer, tfidf) = fitted(&["tax"], &config);
        assert_eq!(tfidf.len(), 1);
        let mut cache = tfidf.stem_cache();
        let mut tokens = Vec::new();
        analyzer.analyze(&"taxes tax ".repeat(100), &mut cache, &mut tokens);
        let (mut counts, mut vector) = (TermCounts::default(), SparseVector::default());
        for _ in 0..2 {
            tfidf.vectorize(&tokens, &mut counts, &mut vector);
            assert_eq!(vector.indices, [0]);
            assert!((vector.values[0] - 1.0).abs() < 1e-6, "{:?}", vector.values);
        }
    }

    #[test]
    fn vectors_list_terms_in_ascending_order_with_their_counts_document_after_document() {
        // More terms than one summary word covers (64 x 64), ids spread over all of them.
        let n = 10_000u32;
        let tfidf = TfIdf::new(
            (0..n).map(|i| format!("s{i}")).collect(),
            (0..n)
                .map(|first| Term {
                    first,
                    second: Term::NONE,
                })
                .collect(),
            (0..n).map(|i| 1.0 + (i % 7) as f32 / 3.0).collect(),
            (0..n).map(|i| format!("w{i}")).collect(),
            false,
        )
        .unwrap();
        let mut counts = TermCounts::default();
        let mut vector = SparseVector::default();
        let mut state = 0x9e37_79b9_u32;
        for length in [1, 7, 300, 90, 0, 2_000] {
            let stems: Vec<u32> = (0..length)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    // Repeats, neighbours and both ends of the vocabulary.
                    [state % n, state % 64, n - 1 - state % 3, 4095 + state % 2][i % 4]
                })
                .collect();
            let tokens: Vec<Token> = stems
                .iter()
                .map(|&stem| Token {
                    stem,
                    surface: 0,
                    joined: false,
                })
                .collect();
            tfidf.vectorize(&tokens, &mut counts, &mut vector);
            let mut expected = std::collections::BTreeMap::new();
            for &stem in &stems {
                *expected.entry(stem).or_insert(0u32) += 1;
            }
            let weights: Vec<f32> = expected
                .iter()
                .map(|(&id, &count)| sublinear(count) * tfidf.idf(id))
                .collect();
            let norm = weights.iter().map(|w| w * w).sum::<f32>().sqrt();
            let ids: Vec<u32> = expected.keys().copied().collect();
            assert_eq!(vector.indices, ids, "{length} tokens");
            let expected: Vec<f32> = weights.iter().map(|w| w * (1.0 / norm)).collect();
            assert_eq!(vector.values, expected, "{length} tokens");
        }
    }

    #[test]
    fn inconsistent_parts_are_rejected() {
        let bad = TfIdf::new(
            vec!["a".into()],
            vec![Term {
                first: 3,
                second: Term::NONE,
            }],
            vec![1.0],
            vec!["a".into()],
            true,
        );
        assert!(bad.is_err());
    }
}
