//! [`VocabularyConfig`] and the vocabulary fit: which terms become features.

use foldhash::{HashMap, HashMapExt};

use serde::{Deserialize, Serialize};

use crate::analysis::{StemCache, Token};
use crate::error::{Error, Result};

use super::tfidf::{for_each_ngram, Term, TfIdf};

/// Largest vocabulary: every term costs a weight per theme in the model, and a model file
/// holds at most 2 GiB.
pub const MAX_TERMS: u32 = 1_000_000;

/// Vocabulary settings.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `min_df` | 2 | drop terms in fewer documents (typos, names seen once) | >= 1 |
/// | `max_df` | 0.5 | drop terms in more than this share of documents | (0, 1] |
/// | `max_terms` | 60000 | keep at most this many terms, the most frequent | 1..=1,000,000 |
/// | `bigrams` | true | add pairs of adjacent kept stems as terms | |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VocabularyConfig {
    /// Minimum document frequency.
    pub min_df: u32,
    /// Maximum document frequency, as a share of documents.
    pub max_df: f64,
    /// Vocabulary size cap.
    pub max_terms: u32,
    /// Whether to add bigrams of adjacent stems. Not serialised with the other settings: a
    /// model file keeps it with the fitted TF-IDF, which inference reads, and where format
    /// version 1 put it, in the analysis settings; loading checks the two agree and sets it
    /// here (see `model::file`).
    #[serde(skip)]
    pub bigrams: bool,
}

impl Default for VocabularyConfig {
    fn default() -> Self {
        VocabularyConfig {
            min_df: 2,
            max_df: 0.5,
            max_terms: 60_000,
            bigrams: true,
        }
    }
}

impl VocabularyConfig {
    /// Checks the ranges in the table above.
    ///
    /// # Errors
    /// [`Error::InvalidParam`] naming the first setting out of range.
    pub fn check(&self) -> Result<()> {
        if self.min_df == 0 {
            return Err(Error::InvalidParam {
                name: "min_df",
                value: self.min_df.to_string(),
                reason: "must be at least 1".into(),
            });
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(Error::InvalidParam {
                name: "max_df",
                value: self.max_df.to_string(),
                reason: "must be in (0, 1]".into(),
            });
        }
        if !(1..=MAX_TERMS).contains(&self.max_terms) {
            return Err(Error::InvalidParam {
                name: "max_terms",
                value: self.max_terms.to_string(),
                reason: format!("must be between 1 and {MAX_TERMS}"),
            });
        }
        Ok(())
    }
}

/// Key of a term over a growing cache's stem ids: `first << 32 | second`.
fn key(first: u32, second: u32) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

/// The text of a `key`: one name, or two joined by a space, looked up by `name`.
fn joined<'c>(key: u64, name: impl Fn(u32) -> &'c str) -> String {
    let (first, second) = ((key >> 32) as u32, key as u32);
    if second == Term::NONE {
        name(first).to_string()
    } else {
        format!("{} {}", name(first), name(second))
    }
}

/// Calls `emit(key, surface key)` for every unigram and (if `bigrams`) bigram of `tokens`.
fn for_each_term(tokens: &[Token], bigrams: bool, mut emit: impl FnMut(u64, u64)) {
    for_each_ngram(tokens, bigrams, |prev, token| match prev {
        None => emit(key(token.stem, Term::NONE), key(token.surface, Term::NONE)),
        Some(prev) => emit(key(prev.stem, token.stem), key(prev.surface, token.surface)),
    });
}

/// Fits the vocabulary and IDF of `documents`, analysed with the growing `cache`: unigrams
/// and, if `config.bigrams`, bigrams.
///
/// Deterministic: ties in frequency are broken by the term's text, and ids follow the text order.
///
/// # Errors
/// [`Error::Training`] when no term survives the document-frequency limits.
pub fn fit(config: &VocabularyConfig, documents: &[&[Token]], cache: &StemCache) -> Result<TfIdf> {
    config.check()?;
    let bigrams = config.bigrams;
    let n_docs = documents.len();
    let mut doc_freq: HashMap<u64, u32> = HashMap::new();
    let mut seen = Vec::new();
    for tokens in documents {
        seen.clear();
        for_each_term(tokens, bigrams, |term, _| seen.push(term));
        seen.sort_unstable();
        seen.dedup();
        for &term in &seen {
            *doc_freq.entry(term).or_insert(0) += 1;
        }
    }
    let max_df = (config.max_df * n_docs as f64).floor().max(1.0) as u32;
    let text = |term: u64| joined(term, |id| cache.stem(id));
    let mut kept: Vec<(u64, u32, String)> = doc_freq
        .iter()
        .filter(|(_, &df)| df >= config.min_df && df <= max_df)
        .map(|(&term, &df)| (term, df, text(term)))
        .collect();
    if kept.is_empty() {
        return Err(Error::Training(format!(
            "no term occurs in at least {} and at most {} of the {n_docs} documents; lower min_df or raise max_df",
            config.min_df, max_df
        )));
    }
    kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    kept.truncate(config.max_terms as usize);
    kept.sort_by(|a, b| a.2.cmp(&b.2));

    // Stems used by kept terms, renumbered in text order.
    let mut stem_old: Vec<u32> = kept
        .iter()
        .flat_map(|(term, _, _)| [(term >> 32) as u32, *term as u32])
        .filter(|&s| s != Term::NONE)
        .collect();
    stem_old.sort_unstable_by(|a, b| cache.stem(*a).cmp(cache.stem(*b)));
    stem_old.dedup();
    let new_id: HashMap<u32, u32> = stem_old
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new as u32))
        .collect();
    let stems: Vec<String> = stem_old
        .iter()
        .map(|&s| cache.stem(s).to_string())
        .collect();
    let renumber = |s: u32| {
        if s == Term::NONE {
            Term::NONE
        } else {
            new_id[&s]
        }
    };

    // The most frequent surface form of each kept term.
    let term_index: HashMap<u64, usize> = kept
        .iter()
        .enumerate()
        .map(|(i, (t, _, _))| (*t, i))
        .collect();
    let mut surface_counts: Vec<HashMap<u64, u32>> = vec![HashMap::new(); kept.len()];
    for tokens in documents {
        for_each_term(tokens, bigrams, |term, surface| {
            if let Some(&i) = term_index.get(&term) {
                *surface_counts[i].entry(surface).or_insert(0) += 1;
            }
        });
    }
    let surface_text = |surface: u64| joined(surface, |id| cache.surface(id));
    let surfaces: Vec<String> = surface_counts
        .iter()
        .map(|counts| {
            counts
                .iter()
                .map(|(&s, &c)| (c, surface_text(s)))
                .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
                .map(|(_, s)| s)
                .unwrap_or_default()
        })
        .collect();

    let terms: Vec<Term> = kept
        .iter()
        .map(|(term, _, _)| Term {
            first: renumber((term >> 32) as u32),
            second: renumber(*term as u32),
        })
        .collect();
    let idf: Vec<f32> = kept
        .iter()
        .map(|(_, df, _)| (((1 + n_docs) as f64 / (1 + *df) as f64).ln() + 1.0) as f32)
        .collect();
    TfIdf::new(stems, terms, idf, surfaces, bigrams)
}
