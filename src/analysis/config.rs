//! [`AnalyzerConfig`]: the analysis settings, saved in the model.

use serde::{Deserialize, Serialize};

use super::stemmer::Language;
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
