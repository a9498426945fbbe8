//! [`Analyzer`]: the analysis loop. Each token of the [`Tokenizer`] is looked up in the
//! [`StemCache`] by its lowercased form; a form met for the first time is stemmed (or dropped)
//! by the [`WordStemmer`] and remembered.

use super::cache::{StemCache, STOP};
use super::config::AnalyzerConfig;
use super::lowercase::lowercase_into;
use super::memo::packed_key;
use super::normalize::normalize;
use super::tokenizer::{Span, Tokenizer};
use super::word::WordStemmer;

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
    words: WordStemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("config", &self.config)
            .finish()
    }
}

impl Analyzer {
    /// An analyzer for `config` (assumed checked, see [`AnalyzerConfig::check`]).
    pub fn new(config: AnalyzerConfig) -> Self {
        Analyzer {
            words: WordStemmer::new(&config),
            config,
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
        while let Some(Span {
            start,
            end,
            joins: gap_joins,
        }) = tokenizer.next_token()
        {
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
                    cache.learn(&self.words)
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
            self.words
                .stem(&lower)
                .is_some_and(|stem| !cache.knows(&stem))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Language;

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
                while let Some(Span { start, end, joins }) = tokenizer.next_token() {
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
}
