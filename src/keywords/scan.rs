//! [`Scan`]: a document's words as it writes them, for the keyword stage.
//!
//! Unlike the analyzer (which feeds the classifier lowercased stems), the scan keeps what an
//! index term needs: each word's byte range in the text (so a phrase is shown with its own
//! case, hyphens and apostrophes), whether it is capitalised, whether it opens a sentence or
//! sits in the headline, and where phrases must break: punctuation, line ends, numbers, stop
//! words, dates and reporting verbs (see [`super::lists`]). Lines that are boilerplate
//! (bylines, credits, "Read more", copyright) are skipped whole, and a dateline
//! ("MOSCOW, May 3 (Agency) -") is skipped at the start of a paragraph.

use foldhash::HashMap;
use std::hash::BuildHasher;

use super::lists;
use crate::analysis::Tokenizer;

/// One word of the document that may be part of a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occurrence {
    /// Id in the scan's word table (its lowercase form).
    pub(crate) word: u32,
    /// Byte range in the text.
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// Sentence number (the headline is sentence 0).
    pub(crate) sentence: u32,
    /// Whether a phrase may not run from the previous occurrence into this one.
    pub(crate) breaks: bool,
    /// Whether its first letter is upper case.
    pub(crate) capitalized: bool,
    /// Whether it opens a sentence (its case then says nothing).
    pub(crate) initial: bool,
    /// Whether it is in the headline.
    pub(crate) headline: bool,
}

/// The words of one document; reused from document to document.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scan {
    /// Words in text order.
    pub(crate) occurrences: Vec<Occurrence>,
    /// Lowercase forms of the word table, end to end; `bounds[id]` is word `id`'s range.
    arena: String,
    bounds: Vec<(u32, u32)>,
    /// Hash of a lowercase form -> what is known of it, kept from document to document so
    /// each distinct word is classified once (the word lists are searched once per word, not
    /// once per token).
    memo: HashMap<u64, Memo>,
    /// Flags of each word id of the current document (see [`VAGUE`], [`TITLE`]).
    flags: Vec<u8>,
    /// Number of the current document, to tell whether a memo entry's id is this document's.
    epoch: u32,
    lower: String,
    hasher: foldhash::fast::FixedState,
}

/// What the memo knows of a lowercase form.
#[derive(Debug, Clone, Copy)]
struct Memo {
    flags: u8,
    /// The document (`epoch`) in which `id` was given, and the id.
    epoch: u32,
    id: u32,
}

/// Flag: the word breaks phrases and is never part of a keyword.
const BREAK: u8 = 1;
/// Flag: the word is too vague to be a keyword alone.
pub(crate) const VAGUE: u8 = 2;
/// Flag: the word is a title that stands before names.
pub(crate) const TITLE: u8 = 4;

/// Most distinct words the memo keeps before it starts afresh (a few MB).
const MEMO_LIMIT: usize = 1 << 18;

/// Most distinct words a document's table holds; later new words only break phrases.
const MAX_WORDS: usize = u16::MAX as usize;

/// Words that break phrases but start place names when capitalised mid-sentence ("New York",
/// "New Zealand").
const NAME_STARTS: &[&str] = &["new"];

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "co", "col", "corp", "dr", "gen", "gov", "inc", "jr", "lt", "ltd", "mr", "mrs", "ms", "no",
    "prof", "rep", "rev", "sen", "sgt", "sr", "st", "vs",
];

impl Scan {
    /// The lowercase form of word `id`.
    pub(crate) fn word(&self, id: u32) -> &str {
        let (start, end) = self.bounds[id as usize];
        &self.arena[start as usize..end as usize]
    }

    /// Number of distinct words.
    pub(crate) fn word_count(&self) -> usize {
        self.bounds.len()
    }

    /// The flags of word `id` ([`VAGUE`], [`TITLE`]).
    pub(crate) fn flags(&self, id: u32) -> u8 {
        self.flags[id as usize]
    }

    /// Scans `text`, replacing what the scan held.
    pub(crate) fn run(&mut self, text: &str) {
        self.occurrences.clear();
        self.arena.clear();
        self.bounds.clear();
        self.flags.clear();
        self.epoch = self.epoch.wrapping_add(1);
        if self.memo.len() > MEMO_LIMIT || self.epoch == 0 {
            self.memo.clear();
            self.epoch = 1;
        }
        // The headline is sentence 0; each paragraph starts a new sentence.
        let mut sentence = 0u32;
        let mut first_line = true;
        let mut offset = 0usize;
        for raw_line in text.split_inclusive('\n') {
            let line_start = offset;
            offset += raw_line.len();
            let line = raw_line.trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                continue;
            }
            let lead = line.len() - trimmed.len();
            let headline = first_line && is_headline(trimmed, &text[offset..]);
            first_line = false;
            if is_boilerplate(trimmed) {
                continue;
            }
            let skip = dateline_len(trimmed);
            if !headline {
                sentence += 1;
            }
            let body_start = line_start + lead + skip;
            self.scan_line(
                text,
                body_start,
                line_start + line.len(),
                headline,
                &mut sentence,
            );
            if headline {
                sentence = 0;
            }
        }
        self.mark_titles();
    }

    /// A capitalised name starts a phrase of its own after a title or a lowercase word:
    /// "President Xi Jinping" gives "President" and "Xi Jinping", and the name is indexed.
    fn mark_titles(&mut self) {
        for i in 1..self.occurrences.len() {
            let (previous, current) = (self.occurrences[i - 1], self.occurrences[i]);
            let before_name = !current.breaks && current.capitalized && !current.initial;
            // "President Xi Jinping", "planetary scientist Vlada Stamenkovic": the name
            // stands apart from the words that describe it.
            if before_name
                && (!previous.capitalized
                    || (self.flags(previous.word) & TITLE != 0
                        && self.flags(current.word) & TITLE == 0))
            {
                self.occurrences[i].breaks = true;
            }
        }
    }

    /// Words of `text[from..to]` (one line), found by the analyzer's tokenizer; the gaps
    /// between them say where phrases break and sentences end.
    fn scan_line(
        &mut self,
        text: &str,
        from: usize,
        to: usize,
        headline: bool,
        sentence: &mut u32,
    ) {
        let line = &text[from..to];
        let mut tokens = Tokenizer::new(line);
        let mut pending_break = true;
        let mut initial = true;
        let mut paren_depth = 0u32;
        let mut paren_words = 0u32;
        let mut paren_start = self.occurrences.len();
        let mut previous_end = 0;
        let mut held = tokens.next_span();
        while let Some((mut start, mut end, _)) = held {
            // "Secretary-General", "cyber-security": words joined by one hyphen are one.
            held = tokens.next_span();
            while let Some((next_start, next_end, _)) = held {
                if matches!(&line[end..next_start], "-" | "\u{2010}" | "\u{2011}") {
                    end = next_end;
                    held = tokens.next_span();
                } else {
                    break;
                }
            }
            let gap = &line[previous_end..start];
            let before = &line[..previous_end];
            let saint = gap == ". "
                && (before.ends_with("St") || before.ends_with("Mt") || before.ends_with("Ft"));
            if saint {
                // "St. Petersburg": one name.
            } else if !gap.bytes().all(|b| b == b' ' || b == b'\t') {
                pending_break = true;
                for c in gap.chars() {
                    match c {
                        '(' | '[' => {
                            paren_depth += 1;
                            paren_words = 0;
                            paren_start = self.occurrences.len();
                        }
                        ')' | ']' if paren_depth > 0 => {
                            // A short aside is a tag or an acronym: "(AP)", "(NATO)".
                            if paren_words <= 3 {
                                self.occurrences.truncate(paren_start);
                            }
                            paren_depth -= 1;
                        }
                        '.' | '!' | '?' if previous_end > 0 => {
                            // Not after an abbreviation or an initial ("Mr.", "J.").
                            let before = &line[..previous_end];
                            let last = before
                                .rsplit(|c: char| !c.is_alphanumeric())
                                .next()
                                .unwrap_or("");
                            let abbreviation = c == '.'
                                && (last.chars().nth(1).is_none()
                                    || ABBREVIATIONS
                                        .binary_search(&last.to_ascii_lowercase().as_str())
                                        .is_ok());
                            if !abbreviation && !initial {
                                *sentence += 1;
                                initial = true;
                            }
                        }
                        _ => {}
                    }
                }
            }
            previous_end = end;
            start = start.min(end);
            if paren_depth > 0 {
                paren_words += 1;
            }
            let kept = self.push_word(
                &line[start..end],
                from + start,
                *sentence,
                pending_break,
                initial,
                headline,
            );
            pending_break = !kept;
            // Only the sentence's first word is initial, kept or not ("The Hague").
            initial = false;
        }
    }

    /// Records `word` if it can be part of a keyword; returns whether it was.
    fn push_word(
        &mut self,
        word: &str,
        start: usize,
        sentence: u32,
        breaks: bool,
        initial: bool,
        headline: bool,
    ) -> bool {
        if !word.chars().any(char::is_alphabetic) || word.chars().nth(1).is_none() {
            return false;
        }
        // Ordinals ("3rd", "21st") are numbers.
        if word.starts_with(|c: char| c.is_ascii_digit())
            && ["st", "nd", "rd", "th", "ST", "ND", "RD", "TH"]
                .iter()
                .any(|s| {
                    word.ends_with(s) && word[..word.len() - 2].bytes().all(|b| b.is_ascii_digit())
                })
        {
            return false;
        }
        self.lower.clear();
        if word.is_ascii() {
            self.lower.push_str(word);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        // Apostrophes are compared as one kind.
        if !word.is_ascii() && self.lower.contains('\u{2019}') {
            self.lower = self.lower.replace('\u{2019}', "'");
        }
        let capitalized = word.chars().next().is_some_and(char::is_uppercase);
        let hash = self.hasher.hash_one(self.lower.as_str());
        let lower = &self.lower;
        let memo = self.memo.entry(hash).or_insert_with(|| Memo {
            flags: if lists::is_break(lower) {
                BREAK
            } else {
                (u8::from(lists::is_vague(lower)) * VAGUE)
                    | (u8::from(lists::is_title(lower)) * TITLE)
            },
            epoch: 0,
            id: 0,
        });
        if memo.flags & BREAK != 0
            && !(NAME_STARTS.contains(&lower.as_str()) && !initial && capitalized)
        {
            return false;
        }
        if memo.epoch != self.epoch {
            if self.bounds.len() >= MAX_WORDS {
                return false;
            }
            memo.epoch = self.epoch;
            memo.id = self.bounds.len() as u32;
            let from = self.arena.len() as u32;
            self.arena.push_str(lower);
            self.bounds.push((from, self.arena.len() as u32));
            self.flags.push(memo.flags);
        }
        let id = memo.id;
        self.occurrences.push(Occurrence {
            word: id,
            start: start as u32,
            end: (start + word.len()) as u32,
            sentence,
            breaks,
            capitalized,
            initial,
            headline,
        });
        true
    }
}

/// Whether the first line is a headline: short, no closing full stop, more text after it.
fn is_headline(line: &str, rest: &str) -> bool {
    !rest.trim().is_empty()
        && line.split_whitespace().count() <= 25
        && !line.ends_with(['.', ':', ';', ','])
}

/// Credits, bylines, links and legal lines: no keyword comes from them.
fn is_boilerplate(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "(reporting",
        "(this story",
        "additional reporting",
        "adjust font",
        "advertisement",
        "all rights reserved",
        "click here",
        "compiled by",
        "copyright",
        "editing by",
        "file photo",
        "follow us",
        "image:",
        "photo:",
        "read more",
        "related coverage",
        "related:",
        "reporting by",
        "share this",
        "sign up",
        "subscribe",
        "this story has been",
        "writing by",
        "\u{a9}",
    ];
    // Most lines start with a letter no prefix starts with: one test, no allocation.
    let first = line.as_bytes()[0].to_ascii_lowercase();
    let can_match = matches!(
        first,
        b'(' | b'a' | b'b' | b'c' | b'e' | b'f' | b'i' | b'p' | b'r' | b's' | b't' | b'w'
    ) || !first.is_ascii();
    let short = line.split_whitespace().nth(12).is_none();
    if !can_match && !short {
        return false;
    }
    let head: String = line.chars().take(24).flat_map(char::to_lowercase).collect();
    if PREFIXES.iter().any(|p| head.starts_with(p)) {
        return true;
    }
    if !short {
        return false;
    }
    // "By Jane Ossei, Business Reporter"; "Agency, May 3, 2015 Adjust font size:"
    let lower = line.to_lowercase();
    head.starts_with("by ")
        || [
            "all rights reserved",
            "adjust font",
            "font size",
            "print this",
            "email this",
        ]
        .iter()
        .any(|m| lower.contains(m))
}

/// Bytes of a dateline opening a paragraph ("LONDON -", "NAIROBI, March 3 (Agency) —"), or 0.
fn dateline_len(line: &str) -> usize {
    let mut cut = line.len().min(90);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &line[..cut];
    for dash in [" \u{2014} ", " \u{2013} ", " - ", "\u{2014}", " -- "] {
        if let Some(at) = window.find(dash) {
            let prefix = &line[..at];
            let words = prefix.split_whitespace().count();
            let first = prefix.split([' ', ',']).next().unwrap_or("");
            let shouting = first.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !first.chars().any(char::is_lowercase);
            if words <= 9 && (shouting || prefix.trim_end().ends_with(')')) {
                return at + dash.len();
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut scan = Scan::default();
        scan.run(text);
        scan.occurrences
            .iter()
            .map(|o| {
                let mark = if o.breaks { "|" } else { "" };
                format!("{mark}{}", &text[o.start as usize..o.end as usize])
            })
            .collect()
    }

    #[test]
    fn phrases_break_at_stop_words_punctuation_and_dates() {
        assert_eq!(
            words("The Secretary-General said on Tuesday that cyber sovereignty, not trade, mattered."),
            ["|Secretary-General", "|cyber", "sovereignty", "|trade", "|mattered"]
        );
    }

    #[test]
    fn datelines_bylines_tags_and_credits_are_skipped() {
        let text = "Talks collapse in Geneva\n\nBy Jane Ossei, Staff Reporter\n\nGENEVA, May 3 (Agency) - Negotiators left Geneva.\n\nReporting by Tom Lee; Editing by Ann Wu\n";
        assert_eq!(
            words(text),
            [
                "|Talks",
                "collapse",
                "|Geneva",
                "|Negotiators",
                "left",
                "|Geneva"
            ]
        );
    }

    #[test]
    fn possessives_go_and_sentences_are_numbered() {
        let mut scan = Scan::default();
        scan.run("China's envoy met Mr. Smith. Smith's aides waited.");
        let found: Vec<(&str, u32, bool)> = scan
            .occurrences
            .iter()
            .map(|o| (scan.word(o.word), o.sentence, o.initial))
            .collect();
        assert_eq!(
            found,
            [
                ("china", 1, true),
                ("envoy", 1, false),
                ("met", 1, false),
                ("smith", 1, false),
                ("smith", 2, true),
                ("aides", 2, false),
                ("waited", 2, false),
            ]
        );
    }
}
