//! Text analysis: [`Analyzer`] turns text into stems, memoised in a [`StemCache`].
//!
//! The stages, one file each, in the order text flows through them: `normalize.rs`
//! ([`normalize`]: invisible characters removed, fullwidth letters folded) -> `tokenizer.rs`
//! ([`Tokenizer`]: word tokens) -> `lowercase.rs` -> `word.rs` (one lowercased word to its
//! stem or to nothing: length, numbers, [`stopwords`], then `stemmer.rs`'s Snowball
//! [`Language`]). Stemming every token is the slow step, so `cache.rs` ([`StemCache`]) memoises
//! the word stage by lowercased form in `memo.rs`'s table, and `analyzer.rs` ([`Analyzer`]) is
//! the loop that runs a text through them. `config.rs` holds the settings ([`AnalyzerConfig`]).
//!
//! ```
//! use thematic::analysis::{Analyzer, AnalyzerConfig, StemCache};
//!
//! let analyzer = Analyzer::new(AnalyzerConfig::default());
//! let mut cache = StemCache::growing();
//! let mut tokens = Vec::new();
//! analyzer.analyze("The governments governed.", &mut cache, &mut tokens);
//! let stems: Vec<&str> = tokens.iter().map(|t| cache.stem(t.stem)).collect();
//! assert_eq!(stems, ["govern", "govern"]);
//! ```

mod analyzer;
mod cache;
mod config;
mod lowercase;
pub(crate) mod memo;
pub(crate) mod normalize;
mod stemmer;
pub mod stopwords;
mod tokenizer;
mod word;

pub use analyzer::{Analyzer, Token};
pub use cache::StemCache;
pub use config::AnalyzerConfig;
pub(crate) use lowercase::lowercase_into;
pub use normalize::normalize;
pub use stemmer::Language;
pub(crate) use tokenizer::Span;
pub use tokenizer::Tokenizer;
pub(crate) use word::stop_list;
