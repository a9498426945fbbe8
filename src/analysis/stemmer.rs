//! [`Language`]: the Snowball stemmer's language, wrapped so `rust-stemmers` types stay here.

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

/// Languages with a Snowball stemmer. Stored in the model's analyzer config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English (Porter2), the default.
    #[default]
    English,
    /// Danish.
    Danish,
    /// Dutch.
    Dutch,
    /// Finnish.
    Finnish,
    /// French.
    French,
    /// German.
    German,
    /// Italian.
    Italian,
    /// Norwegian.
    Norwegian,
    /// Portuguese.
    Portuguese,
    /// Romanian.
    Romanian,
    /// Russian.
    Russian,
    /// Spanish.
    Spanish,
    /// Swedish.
    Swedish,
}

impl Language {
    /// Every supported language, for help text and parsing.
    pub const ALL: [Language; 13] = [
        Language::English,
        Language::Danish,
        Language::Dutch,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
    ];

    /// The lowercase English name, as written in model files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "english",
            Language::Danish => "danish",
            Language::Dutch => "dutch",
            Language::Finnish => "finnish",
            Language::French => "french",
            Language::German => "german",
            Language::Italian => "italian",
            Language::Norwegian => "norwegian",
            Language::Portuguese => "portuguese",
            Language::Romanian => "romanian",
            Language::Russian => "russian",
            Language::Spanish => "spanish",
            Language::Swedish => "swedish",
        }
    }

    /// The language named `name` (case-insensitive).
    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name))
    }

    pub(crate) fn stemmer(self) -> Stemmer {
        Stemmer::create(match self {
            Language::English => Algorithm::English,
            Language::Danish => Algorithm::Danish,
            Language::Dutch => Algorithm::Dutch,
            Language::Finnish => Algorithm::Finnish,
            Language::French => Algorithm::French,
            Language::German => Algorithm::German,
            Language::Italian => Algorithm::Italian,
            Language::Norwegian => Algorithm::Norwegian,
            Language::Portuguese => Algorithm::Portuguese,
            Language::Romanian => Algorithm::Romanian,
            Language::Russian => Algorithm::Russian,
            Language::Spanish => Algorithm::Spanish,
            Language::Swedish => Algorithm::Swedish,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn names_round_trip() {
        for language in Language::ALL {
            assert_eq!(Language::from_name(language.name()), Some(language));
        }
        assert_eq!(Language::from_name("ENGLISH"), Some(Language::English));
        assert_eq!(Language::from_name("klingon"), None);
    }

    #[test]
    fn english_stems_inflections_together() {
        let stemmer = Language::English.stemmer();
        assert_eq!(stemmer.stem("governance"), stemmer.stem("governing"));
        assert_eq!(stemmer.stem("economies"), stemmer.stem("economy"));
    }
}
