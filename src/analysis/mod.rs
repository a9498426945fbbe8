//! Text analysis: [`Analyzer`] turns text into stems, memoised in a [`StemCache`].
//!
//! The stages, one file each, in the order text flows through them: `normalize.rs`
//! ([`normalize`]: invisible characters removed, fullwidth letters folded) -> `tokenizer.rs`
//! ([`Tokenizer`]: word tokens) -> `lowercase.rs` -> `word.rs` (one lowercased word to its
//! stem or to nothing: length, numbers, [`stopwords`], then `stemmer.rs`'s Snowball
//! [`Language`]). Stemming every token is the slow step, so `cache.rs` ([`StemCache`]) memoises
//! the word stage by lowercased form in `memo.rs`'s table, and `analyzer.rs` ([`Analyzer`]) is
//! the loop that runs a text through them.
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
mod lowercase;
pub(crate) mod memo;
pub(crate) mod normalize;
mod stemmer;
pub mod stopwords;
mod tokenizer;
mod word;

use serde::{Deserialize, Serialize};

pub use analyzer::Analyzer;
pub use cache::StemCache;
pub(crate) use lowercase::lowercase_into;
pub use normalize::normalize;
pub use stemmer::Language;
pub use tokenizer::Tokenizer;
pub(crate) use word::stop_list;

use crate::error::{Error, Result};

/// Analysis settings, saved in the model so inference analyses text exactly as training did.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `language` | English | Snowball stemmer | [`Language::ALL`] |
/// | `stop_words` | true | drop the English stop-word list (English only) | |
/// | `min_token_chars` | 2 | shorter tokens are dropped | 1..=`max_token_chars` |
/// | `max_token_chars` | 40 | longer tokens (hashes, junk) are dropped | >= `min_token_chars` |
/// | `keep_numbers` | false | keep tokens with no letter in them | |
///
/// Whether pairs of adjacent stems become terms is the vocabulary's setting
/// ([`crate::features::VocabularyConfig`]): the analyzer gives every kept token either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerConfig {
    /// Stemmer language.
    pub language: Language,
    /// Whether to drop stop words.
    pub stop_words: bool,
    /// Minimum token length in characters.
    pub min_token_chars: u32,
    /// Maximum token length in characters.
    pub max_token_chars: u32,
    /// Whether to keep tokens without letters.
    pub keep_numbers: bool,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            language: Language::English,
            stop_words: true,
            min_token_chars: 2,
            max_token_chars: 40,
            keep_numbers: false,
        }
    }
}

impl AnalyzerConfig {
    /// Checks the ranges in the table above.
    ///
    /// # Errors
    /// [`Error::InvalidParam`] naming the first setting out of range.
    pub fn check(&self) -> Result<()> {
        if self.min_token_chars == 0 || self.min_token_chars > self.max_token_chars {
            return Err(Error::InvalidParam {
                name: "min_token_chars",
                value: self.min_token_chars.to_string(),
                reason: format!(
                    "must be between 1 and max_token_chars ({})",
                    self.max_token_chars
                ),
            });
        }
        Ok(())
    }
}

/// One kept token: its stem and its lowercased surface form, as ids in a [`StemCache`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Stem id.
    pub stem: u32,
    /// Surface id ([`StemCache::UNKNOWN`] once a bounded cache stops remembering).
    pub surface: u32,
    /// Whether this token directly follows the previous kept one in the text: nothing dropped
    /// between them (a stop word, a number) and no punctuation but hyphens. Only joined
    /// tokens form a bigram, so "taxes to cut" gives no "tax cut" and "security, cyber" no
    /// "security cyber".
    pub joined: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_check_rejects_bad_lengths() {
        let config = AnalyzerConfig {
            min_token_chars: 0,
            ..AnalyzerConfig::default()
        };
        assert!(config.check().is_err());
        assert!(AnalyzerConfig::default().check().is_ok());
    }
}
