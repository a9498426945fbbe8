//! [`WordStemmer`]: one lowercased word to its stem, or to nothing (a stop word, a number, a
//! word too short or too long). A pure function of the word and the [`AnalyzerConfig`]: the
//! [`super::StemCache`] memoises it, so a word is stemmed once however often it comes.

use std::borrow::Cow;
use std::collections::HashSet;

use super::config::AnalyzerConfig;
use super::stemmer::Language;
use super::stopwords;

/// The length, number and stop-word rules of an [`AnalyzerConfig`], then its stemmer.
pub(crate) struct WordStemmer {
    min_chars: u32,
    max_chars: u32,
    keep_numbers: bool,
    stop_words: HashSet<&'static str>,
    stemmer: rust_stemmers::Stemmer,
}

impl WordStemmer {
    /// The rules of `config` (assumed checked). The stop-word list is English only.
    pub(crate) fn new(config: &AnalyzerConfig) -> WordStemmer {
        WordStemmer {
            min_chars: config.min_token_chars,
            max_chars: config.max_token_chars,
            keep_numbers: config.keep_numbers,
            stop_words: stop_list(config).iter().copied().collect(),
            stemmer: config.language.stemmer(),
        }
    }

    /// The stem of the lowercased word `lower`, or `None` if it is dropped.
    pub(crate) fn stem<'w>(&self, lower: &'w str) -> Option<Cow<'w, str>> {
        self.is_kept(lower).then(|| self.stemmer.stem(lower))
    }

    #[inline]
    fn is_kept(&self, lower: &str) -> bool {
        let chars = lower.chars().count() as u32;
        chars >= self.min_chars
            && chars <= self.max_chars
            && (self.keep_numbers || lower.chars().any(char::is_alphabetic))
            && !self.stop_words.contains(lower)
    }
}

/// The stop words an analyzer with `config` drops: [`stopwords::ENGLISH`] for English with
/// stop words on, none otherwise.
pub(crate) fn stop_list(config: &AnalyzerConfig) -> &'static [&'static str] {
    if config.stop_words && config.language == Language::English {
        stopwords::ENGLISH
    } else {
        &[]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_drops_its_words_and_the_rest_are_stemmed() {
        let words = WordStemmer::new(&AnalyzerConfig::default());
        for dropped in ["the", "x", "2015", "3.5", &"a".repeat(41)] {
            assert_eq!(words.stem(dropped), None, "{dropped}");
        }
        assert_eq!(words.stem("governments").as_deref(), Some("govern"));
        assert_eq!(words.stem(&"a".repeat(40)).map(|s| s.len()), Some(40));
        let numbers = WordStemmer::new(&AnalyzerConfig {
            keep_numbers: true,
            stop_words: false,
            ..AnalyzerConfig::default()
        });
        assert_eq!(numbers.stem("2015").as_deref(), Some("2015"));
        assert_eq!(numbers.stem("the").as_deref(), Some("the"));
    }
}
