//! Property tests: analysis of arbitrary text never panics and is deterministic; the
//! classifier's scores are probabilities.

use proptest::prelude::*;
use thematic::analysis::{normalize, Analyzer, AnalyzerConfig, StemCache, Tokenizer};
use thematic::keywords::MIN_RELEVANCE;
use thematic::{ClassifyOptions, Model};

/// The embedded model written to a file and read back.
fn reloaded() -> &'static Model {
    static RELOADED: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    RELOADED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copy.thematic");
        Model::embedded().unwrap().save(&path).unwrap();
        Model::load(&path).unwrap()
    })
}

proptest! {
    #[test]
    fn save_then_load_predicts_identically(text in "\\PC{0,300}") {
        let model = Model::embedded().unwrap();
        let copy = reloaded();
        let options = ClassifyOptions::default();
        prop_assert_eq!(
            model.classify(&text, &mut model.workspace(), &options),
            copy.classify(&text, &mut copy.workspace(), &options)
        );
    }

    #[test]
    fn tokens_are_non_empty_slices_in_order(text in "\\PC{0,200}") {
        let mut last_end = 0;
        for token in Tokenizer::new(&text) {
            prop_assert!(!token.is_empty());
            let start = token.as_ptr() as usize - text.as_ptr() as usize;
            prop_assert!(start >= last_end);
            last_end = start + token.len();
        }
    }

    #[test]
    fn analysis_is_deterministic_with_or_without_memo(text in "\\PC{0,300}") {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut warm = StemCache::growing();
        let (mut first, mut second) = (Vec::new(), Vec::new());
        analyzer.analyze(&text, &mut warm, &mut first);
        analyzer.analyze(&text, &mut warm, &mut second);
        prop_assert_eq!(&first, &second);
        let mut cold = StemCache::growing();
        let mut third = Vec::new();
        analyzer.analyze(&text, &mut cold, &mut third);
        let stems = |cache: &StemCache, tokens: &[thematic::analysis::Token]| {
            tokens.iter().map(|t| cache.stem(t.stem).to_string()).collect::<Vec<_>>()
        };
        prop_assert_eq!(stems(&warm, &first), stems(&cold, &third));
    }

    #[test]
    fn scores_are_probabilities(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let model = Model::embedded().unwrap();
        let result = model.classify(&text, &mut model.workspace(), &ClassifyOptions::default());
        prop_assert_eq!(result.scores.len(), 3);
        for (_, score) in &result.scores {
            prop_assert!((0.0..=1.0).contains(score));
        }
    }

    /// Keywords on arbitrary text (words, names, punctuation, multi-byte letters, lines): no
    /// panic, every keyword verbatim in the text, and asking for fewer gives the first ones.
    #[test]
    fn keywords_are_verbatim_and_stable(
        parts in proptest::collection::vec(
            prop_oneof![
                "[A-Z][a-z]{1,8}",
                "[a-z]{2,10}",
                "(St|Mt|New|The|\\(AP\\)|said|Tuesday|1999|3rd)",
                // Names joined over "of (the)", particles, plural possessives, bodies.
                "(of|the|van|der|du|Party|Group|Institution|Republic|Guild|[A-Z][a-z]{1,6}s')",
                "[ ,.;:!?'\\-\n]{1,2}",
                "[\\u{e9}\\u{fc}\\u{431}\\u{3b1}\\u{4e2d}\\u{2019}\\u{a0}]{1,3}",
                // Invisible characters, fullwidth letters and ligatures (normalised).
                "[a-z]{1,4}[\\u{ad}\\u{200b}\\u{200d}\\u{feff}][a-z]{1,4}",
                "[\\u{ff21}-\\u{ff3a}][\\u{ff41}-\\u{ff5a}]{1,6}",
                "[\\u{fb01}\\u{fb02}][a-z]{1,6}",
            ],
            0..120,
        )
    ) {
        let text: String = parts.iter().flat_map(|p| [p.as_str(), " "]).collect();
        let model = Model::embedded().unwrap();
        let mut workspace = model.workspace();
        let all = model.keywords(&text, &mut workspace, 10, MIN_RELEVANCE);
        for keyword in &all {
            prop_assert!(text.contains(keyword.as_str()), "{keyword:?} not in {text:?}");
        }
        for n in [4, 6] {
            let fewer = model.keywords(&text, &mut workspace, n, MIN_RELEVANCE);
            prop_assert_eq!(&fewer[..], &all[..all.len().min(n)]);
        }
    }
}

proptest! {
    /// Normalising changes no ASCII text (and copies none), nor text without the characters it
    /// removes or folds.
    #[test]
    fn normalising_keeps_ascii_text_as_it_is(text in "[\\x00-\\x7f]{0,300}") {
        let normalized = normalize(&text);
        prop_assert!(matches!(normalized, std::borrow::Cow::Borrowed(_)));
        prop_assert_eq!(normalized.as_ref(), text.as_str());
    }

    /// Invisible characters and fullwidth letters anywhere in a text analyse as the text
    /// without them: the same stems, and the same tokens joined.
    #[test]
    fn invisible_characters_and_fullwidth_letters_change_no_analysis(
        parts in proptest::collection::vec(
            ("[a-zA-Z]{1,8}|[ ,.'\\-]{1,2}", proptest::sample::select(vec![
                "", "", "", "\u{ad}", "\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}",
                "\u{202e}", "\u{2066}",
            ]), any::<bool>()),
            0..60,
        )
    ) {
        let mut plain = String::new();
        let mut hostile = String::new();
        for (part, invisible, fullwidth) in &parts {
            plain.push_str(part);
            if *fullwidth {
                hostile.extend(part.chars().map(|c| {
                    if c.is_ascii_graphic() {
                        char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()
                    } else {
                        c
                    }
                }));
            } else {
                hostile.push_str(part);
            }
            hostile.push_str(invisible);
        }
        let normalized = normalize(&hostile);
        prop_assert_eq!(normalized.as_ref(), plain.as_str());
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let mut cache = StemCache::growing();
        let (mut expected, mut found) = (Vec::new(), Vec::new());
        analyzer.analyze(&plain, &mut cache, &mut expected);
        analyzer.analyze(&hostile, &mut cache, &mut found);
        prop_assert_eq!(found, expected);
    }
}
