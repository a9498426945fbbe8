//! Features: the vocabulary fit ([`VocabularyConfig`], [`fit_vocabulary`]) and [`TfIdf`], which
//! maps analysed tokens to sparse, L2-normalised, sublinear TF-IDF vectors ([`SparseVector`]).

mod sparse;
mod tfidf;
mod vocabulary;

pub use sparse::SparseVector;
pub(crate) use tfidf::TfIdfData;
pub use tfidf::{Term, TermCounts, TfIdf};
pub use vocabulary::{fit as fit_vocabulary, VocabularyConfig, MAX_TERMS};
