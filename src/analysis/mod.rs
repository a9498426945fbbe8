//! Text analysis: [`Analyzer`] turns text into stems, memoised in a [`StemCache`].
//!
//! The stages, one file each: [`normalize`] (invisible characters removed, fullwidth
//! letters folded) -> [`Tokenizer`] (word tokens) -> lowercase -> [`stopwords`] ->
//! [`Language`] (Snowball stemming via `rust-stemmers`). Stemming every token is the slow
//! step, so each distinct lowercased surface form is stemmed once and remembered.
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

pub(crate) mod memo;
pub(crate) mod normalize;
mod stemmer;
pub mod stopwords;
mod tokenizer;

use std::collections::HashSet;
use std::sync::Arc;

use foldhash::HashMap;

use serde::{Deserialize, Serialize};

pub use normalize::normalize;
pub use stemmer::Language;
pub use tokenizer::Tokenizer;

use crate::error::{Error, Result};
use memo::{packed_key, Memo};
use normalize::Normalized;

/// Analysis settings, saved in the model so inference analyses text exactly as training did.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `language` | English | Snowball stemmer | [`Language::ALL`] |
/// | `stop_words` | true | drop the English stop-word list (English only) | |
/// | `min_token_chars` | 2 | shorter tokens are dropped | 1..=`max_token_chars` |
/// | `max_token_chars` | 40 | longer tokens (hashes, junk) are dropped | >= `min_token_chars` |
/// | `keep_numbers` | false | keep tokens with no letter in them | |
/// | `bigrams` | true | add pairs of adjacent kept stems as terms | |
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
    /// Whether to add bigrams of adjacent stems.
    pub bigrams: bool,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            language: Language::English,
            stop_words: true,
            min_token_chars: 2,
            max_token_chars: 40,
            keep_numbers: false,
            bigrams: true,
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

/// Tokenizer, stop words and stemmer, configured by an [`AnalyzerConfig`]. Immutable and
/// shareable across threads; the per-thread memo lives in a [`StemCache`].
pub struct Analyzer {
    config: AnalyzerConfig,
    stemmer: rust_stemmers::Stemmer,
    stop_words: HashSet<&'static str>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("config", &self.config)
            .finish()
    }
}

/// The memo value of a dropped token (a stop word, a number, a token too short or too long):
/// above every stem id, below only [`StemCache::UNKNOWN`].
const STOP: u32 = u32::MAX - 1;

/// Memo of lowercased surface form -> stem id, and the stems' names.
///
/// A *growing* cache (training) gives every new stem a new id. A *frozen* cache (inference)
/// knows only the stems of a vocabulary: [`Analyzer::analyze`] drops the tokens of any other
/// stem, which can be part of no term of that vocabulary, as it drops stop words. Its memo is
/// bounded, so streaming any amount of text keeps memory flat. Clones of a cache share its
/// stems until one learns a new stem, so a frozen cache per thread costs no copy of them.
#[derive(Debug, Clone)]
pub struct StemCache {
    memo: Memo,
    surfaces: Vec<Box<str>>,
    /// The stem id of each surface id (a growing cache's memo gives surface ids).
    surface_stems: Vec<u32>,
    stems: Arc<Stems>,
    frozen: bool,
    lower: String,
    /// The normalised copy of a text that needs one.
    normalized: Normalized,
}

/// Stem names by id, and ids by name.
#[derive(Debug, Clone, Default)]
struct Stems {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

/// A frozen cache forgets its memo past this many surface forms.
const FROZEN_MEMO_LIMIT: usize = 1 << 20;

impl StemCache {
    /// Id of a stem or surface the cache does not know.
    pub const UNKNOWN: u32 = u32::MAX;

    /// A cache that learns every stem it meets (for training).
    pub fn growing() -> Self {
        StemCache {
            memo: Memo::default(),
            surfaces: Vec::new(),
            surface_stems: Vec::new(),
            stems: Arc::default(),
            frozen: false,
            lower: String::new(),
            normalized: Normalized::default(),
        }
    }

    /// A cache that knows exactly `stems` (ids are their positions) and nothing else.
    pub fn frozen<S: AsRef<str>>(stems: &[S]) -> Self {
        let names: Vec<Box<str>> = stems.iter().map(|s| s.as_ref().into()).collect();
        let ids = names
            .iter()
            .enumerate()
            .map(|(id, s)| (s.clone(), id as u32))
            .collect();
        StemCache {
            memo: Memo::default(),
            surfaces: Vec::new(),
            surface_stems: Vec::new(),
            stems: Arc::new(Stems { names, ids }),
            frozen: true,
            lower: String::new(),
            normalized: Normalized::default(),
        }
    }

    /// The stem with id `id`.
    pub fn stem(&self, id: u32) -> &str {
        self.stems.names.get(id as usize).map_or("", |s| s)
    }

    /// The lowercased surface form with id `id` (empty if forgotten).
    pub fn surface(&self, id: u32) -> &str {
        self.surfaces.get(id as usize).map_or("", |s| s)
    }

    /// Number of stems known.
    pub fn stem_count(&self) -> usize {
        self.stems.names.len()
    }

    /// (stem id, surface id) of a memo value, in a cache that is frozen if `FROZEN` (which
    /// must say what `self.frozen` says).
    #[inline(always)]
    fn ids<const FROZEN: bool>(&self, value: u32) -> (u32, u32) {
        if FROZEN {
            (value, Self::UNKNOWN)
        } else {
            (self.surface_stems[value as usize], value)
        }
    }

    fn intern_stem(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stems.ids.get(stem) {
            return id;
        }
        if self.frozen {
            return Self::UNKNOWN;
        }
        // Copied first if another cache shares them (a clone of this one).
        let stems = Arc::make_mut(&mut self.stems);
        let id = stems.names.len() as u32;
        stems.names.push(stem.into());
        stems.ids.insert(stem.into(), id);
        id
    }
}

impl Analyzer {
    /// An analyzer for `config` (assumed checked, see [`AnalyzerConfig::check`]).
    pub fn new(config: AnalyzerConfig) -> Self {
        let stop_words = if config.stop_words && config.language == Language::English {
            stopwords::ENGLISH.iter().copied().collect()
        } else {
            HashSet::new()
        };
        Analyzer {
            stemmer: config.language.stemmer(),
            config,
            stop_words,
        }
    }

    /// The settings this analyzer runs with.
    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// Appends the kept tokens of `text` (normalised first, see [`normalize`]) to `out`
    /// (cleared first), in text order: not stop words, numbers (unless kept), tokens of the
    /// wrong length or, with a frozen cache, tokens whose stem the cache does not know.
    pub fn analyze(&self, text: &str, cache: &mut StemCache, out: &mut Vec<Token>) {
        // Most texts need no normalising: one fast scan finds so, and they are read as they are.
        let mut normalized = std::mem::take(&mut cache.normalized);
        let text = if normalized.set(text) {
            normalized.text()
        } else {
            text
        };
        self.analyze_normalized(text, cache, out);
        cache.normalized = normalized;
    }

    /// [`Analyzer::analyze`] of a text known to be normalised already (a word the keyword
    /// stage read from a normalised text): no check.
    pub(crate) fn analyze_normalized(
        &self,
        text: &str,
        cache: &mut StemCache,
        out: &mut Vec<Token>,
    ) {
        // One loop for each kind of cache: no test of the kind for every token.
        if cache.frozen {
            self.analyze_with::<true>(text, cache, out);
        } else {
            self.analyze_with::<false>(text, cache, out);
        }
    }

    /// [`Analyzer::analyze`] with a cache that is frozen if `FROZEN`.
    #[inline(always)]
    fn analyze_with<const FROZEN: bool>(
        &self,
        text: &str,
        cache: &mut StemCache,
        out: &mut Vec<Token>,
    ) {
        // Whether a token is kept is a coin toss to the CPU (stop words are common), so each
        // token is written to the next place and the count moves on only when it is kept:
        // no branch on it. `out` is cut to the kept tokens at the end.
        let mut kept = 0;
        let mut previous_kept = false;
        let mut tokenizer = Tokenizer::new(text);
        while let Some((start, end, gap_joins)) = tokenizer.next_span() {
            let joined = previous_kept & gap_joins;
            // Most tokens are short ASCII words: look those up by a key built in registers.
            // (The token is sliced out of the text only when needed: slicing a `str` checks
            // both ends are character boundaries.)
            let fast = packed_key(text.as_bytes(), start, end - start);
            let hit = match fast {
                Some(key) => cache.memo.get_key(key),
                None => {
                    lowercase_into(&text[start..end], &mut cache.lower);
                    cache.memo.get(cache.lower.as_str())
                }
            };
            let value = match hit {
                Some(value) => value,
                None => {
                    if fast.is_some() {
                        lowercase_into(&text[start..end], &mut cache.lower);
                    }
                    self.remember(cache)
                }
            };
            let (stem, surface) = cache.ids::<FROZEN>(value);
            let token = Token {
                stem,
                surface,
                joined,
            };
            if kept == out.len() {
                // Rare: room for many more at once, so the common case does not branch on
                // whether `out` is long enough (which stop words make a coin toss too).
                out.resize(2 * kept + 64, token);
            }
            out[kept] = token;
            // Neither a stop word nor (the only id above it) a stem a frozen cache does not know.
            previous_kept = stem < STOP;
            kept += usize::from(previous_kept);
        }
        out.truncate(kept);
    }

    /// Stems `cache.lower`, records it in the memo and returns its memo value.
    fn remember(&self, cache: &mut StemCache) -> u32 {
        let lower = std::mem::take(&mut cache.lower);
        let stem = if self.is_kept(&lower) {
            let stemmed = self.stemmer.stem(&lower);
            cache.intern_stem(&stemmed)
        } else {
            STOP
        };
        if cache.frozen && cache.memo.len() >= FROZEN_MEMO_LIMIT {
            cache.memo.clear();
        }
        let value = if cache.frozen {
            stem
        } else {
            cache.surfaces.push(lower.as_str().into());
            cache.surface_stems.push(stem);
            (cache.surfaces.len() - 1) as u32
        };
        cache.memo.insert(&lower, value);
        cache.lower = lower;
        value
    }

    /// Whether `text` has a word that would be kept (not a stop word, a number or a token of
    /// the wrong length) but whose stem the frozen `cache` does not know. A text with such words
    /// and no kept token is in a language or script the vocabulary has no terms for. Always
    /// false with a growing cache, which knows every stem.
    pub fn has_unknown_words(&self, text: &str, cache: &mut StemCache) -> bool {
        if !cache.frozen {
            return false;
        }
        let text = normalize(text);
        let mut lower = String::new();
        Tokenizer::new(&text).any(|token| {
            lowercase_into(token, &mut lower);
            self.is_kept(&lower)
                && !cache
                    .stems
                    .ids
                    .contains_key(self.stemmer.stem(&lower).as_ref())
        })
    }

    #[inline]
    fn is_kept(&self, lower: &str) -> bool {
        let chars = lower.chars().count() as u32;
        chars >= self.config.min_token_chars
            && chars <= self.config.max_token_chars
            && (self.config.keep_numbers || lower.chars().any(char::is_alphabetic))
            && !self.stop_words.contains(lower)
    }
}

/// `raw` lowercased into `lower` (cleared first).
pub(crate) fn lowercase_into(raw: &str, lower: &mut String) {
    lower.clear();
    if raw.is_ascii() {
        lower.push_str(raw);
        lower.make_ascii_lowercase();
    } else {
        lower.extend(raw.chars().flat_map(char::to_lowercase));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(analyzer: &Analyzer, cache: &mut StemCache, text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        analyzer.analyze(text, cache, &mut tokens);
        tokens
            .iter()
            .map(|t| cache.stem(t.stem).to_string())
            .collect()
    }

    #[test]
    fn drops_stop_words_numbers_and_short_tokens() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut cache = StemCache::growing();
        assert_eq!(
            stems(
                &analyzer,
                &mut cache,
                "The 2,000 delegates of a U.S. conference"
            ),
            ["deleg", "confer"]
        );
    }

    #[test]
    fn memo_gives_same_ids_and_keeps_surfaces() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut cache = StemCache::growing();
        let mut first = Vec::new();
        let mut second = Vec::new();
        analyzer.analyze("Cyber attacks, cyber ATTACKS", &mut cache, &mut first);
        analyzer.analyze("cyber attacks", &mut cache, &mut second);
        assert_eq!(first[0].stem, first[2].stem);
        assert_eq!(first[1].stem, first[3].stem);
        assert_eq!(&first[..2], &second[..]);
        assert_eq!(cache.surface(first[1].surface), "attacks");
        assert_eq!(cache.stem(first[1].stem), "attack");
    }

    #[test]
    fn clones_of_a_cache_share_its_stems_but_learn_apart() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut first = StemCache::growing();
        stems(&analyzer, &mut first, "governments");
        let mut second = first.clone();
        assert_eq!(
            stems(&analyzer, &mut second, "taxes governed"),
            ["tax", "govern"]
        );
        assert_eq!(stems(&analyzer, &mut first, "wars"), ["war"]);
        assert_eq!((first.stem_count(), second.stem_count()), (2, 2));
        assert_eq!((first.stem(1), second.stem(1)), ("war", "tax"));
    }

    #[test]
    fn frozen_cache_drops_unknown_stems_as_it_drops_stop_words() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut cache = StemCache::frozen(&["cyber", "attack"]);
        let mut tokens = Vec::new();
        analyzer.analyze(
            "cyber zebras attacks, cyber attacks",
            &mut cache,
            &mut tokens,
        );
        let kept: Vec<(&str, bool)> = tokens
            .iter()
            .map(|t| (cache.stem(t.stem), t.joined))
            .collect();
        // "zebras" is dropped, and like a stop word it keeps its neighbours from joining.
        assert_eq!(
            kept,
            [
                ("cyber", false),
                ("attack", false),
                ("cyber", false),
                ("attack", true)
            ]
        );
        assert_eq!(cache.stem_count(), 2);
    }

    #[test]
    fn only_adjacent_tokens_are_joined() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut cache = StemCache::growing();
        let mut tokens = Vec::new();
        analyzer.analyze(
            "cyber-security, raising taxes to cut deficits. Central bank",
            &mut cache,
            &mut tokens,
        );
        let joined: Vec<bool> = tokens.iter().map(|t| t.joined).collect();
        // cyber security | raising taxes | cut deficits | central bank
        assert_eq!(joined, [false, true, false, true, false, true, false, true]);
    }

    #[test]
    fn gaps_join_as_their_characters_say() {
        let joining = |gap: &str| {
            gap.chars()
                .all(|c| c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2011}')
        };
        // Every gap of up to three of these characters (ASCII and not, joining and not,
        // neighbours of the ranges tested), followed by more text that must not count.
        let alphabet = [
            ' ', '-', '\t', '\n', '\x0b', '\x0c', '\r', '\x08', '\x0e', '\x1f', '!', ',', '.', '/',
            '@', 'a', '\u{a0}', '\u{2010}', '\u{2011}', '\u{2014}', '\u{3000}',
        ];
        let mut gaps = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = gaps
                .iter()
                .flat_map(|g| alphabet.iter().map(move |c| format!("{g}{c}")))
                .collect();
            gaps.extend(longer);
        }
        gaps.extend([
            "        ".into(),
            "  -  -  -".into(),
            "       .".into(),
            "\n\n\n\n\n\n\n\n\n".into(),
            " ".repeat(63),
            " ".repeat(64),
            " ".repeat(70),
            format!("{}.", " ".repeat(70)),
            format!("{}\u{2010}", " ".repeat(62)),
        ]);
        for gap in gaps {
            for tail in ["", "x", "xxxxxxxxxxxxxxxx", "\u{e9}t\u{e9}"] {
                let text = format!("x{gap}y{tail}");
                let mut tokenizer = Tokenizer::new(&text);
                let mut previous_end = 0;
                while let Some((start, end, joins)) = tokenizer.next_span() {
                    let between = &text[previous_end..start];
                    assert_eq!(joins, joining(between), "{between:?} in {text:?}");
                    previous_end = end;
                }
            }
        }
    }

    #[test]
    fn invisible_and_fullwidth_characters_give_the_words_a_reader_sees() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut cache = StemCache::growing();
        let plain = stems(
            &analyzer,
            &mut cache,
            "Parliament passed the cybersecurity law",
        );
        assert_eq!(plain, ["parliament", "pass", "cybersecur", "law"]);
        for text in [
            "Pa\u{ad}rliament passed the cyber\u{ad}security law",
            "Par\u{200b}lia\u{200c}ment pass\u{200d}ed the \u{feff}cybersecurity\u{2060} law",
            "\u{202e}Parliament\u{202c} passed the cy\u{2063}bersecurity law\u{200e}",
            "ＰＡＲＬＩＡＭＥＮＴ ｐａｓｓｅｄ ｔｈｅ ｃｙｂｅｒｓｅｃｕｒｉｔｙ ｌａｗ",
        ] {
            assert_eq!(stems(&analyzer, &mut cache, text), plain, "{text}");
        }
        assert_eq!(
            stems(&analyzer, &mut cache, "ﬁnancial ﬂows"),
            stems(&analyzer, &mut cache, "financial flows")
        );
        // With a frozen cache (inference) too; the gap a zero-width space leaves still joins.
        let mut frozen = StemCache::frozen(&["parliament", "pass"]);
        let mut tokens = Vec::new();
        analyzer.analyze("pa\u{ad}rliament \u{200b}passed", &mut frozen, &mut tokens);
        let kept: Vec<(&str, bool)> = tokens
            .iter()
            .map(|t| (frozen.stem(t.stem), t.joined))
            .collect();
        assert_eq!(kept, [("parliament", false), ("pass", true)]);
    }

    #[test]
    fn unknown_words_are_told_from_stop_words_and_numbers() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut frozen = StemCache::frozen(&["parliament"]);
        assert!(analyzer.has_unknown_words("Парламент принял закон", &mut frozen));
        assert!(analyzer.has_unknown_words("议会通过了法律", &mut frozen));
        assert!(analyzer.has_unknown_words("zebras", &mut frozen));
        assert!(!analyzer.has_unknown_words("the of and 2015, 3.5 ...", &mut frozen));
        assert!(!analyzer.has_unknown_words("pa\u{ad}rliament", &mut frozen));
        assert!(!analyzer.has_unknown_words("", &mut frozen));
        assert!(!analyzer.has_unknown_words("zebras", &mut StemCache::growing()));
    }

    #[test]
    fn non_english_has_no_stop_list() {
        let config = AnalyzerConfig {
            language: Language::French,
            ..AnalyzerConfig::default()
        };
        let analyzer = Analyzer::new(config);
        let mut cache = StemCache::growing();
        assert_eq!(
            stems(&analyzer, &mut cache, "Les élections nationales"),
            ["le", "élect", "national"]
        );
    }

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
