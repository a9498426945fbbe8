//! [`Tokenizer`]: splits text into word tokens, as slices of the input.
//!
//! The rules, chosen for news and policy prose:
//! - a token is a run of Unicode letters and digits (`char::is_alphanumeric`), so accented
//!   words, Cyrillic or Greek stay whole;
//! - an apostrophe (`'` or `’`) between letters joins them (`don't`, `O'Neill`), except the
//!   possessive `'s`, which is dropped (`China's` gives `China`);
//! - a `.` or `,` between digits joins them (`4.13`, `2,000`), so numbers stay one token;
//! - every other character, hyphens included, separates tokens: `cyber-security` and
//!   `cyber security` give the same two tokens, and so the same bigram.

// Byte classes for the ASCII fast path.
const SEPARATOR: u8 = 0; // ASCII that ends a token whatever follows
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const JOINER: u8 = 3; // `.`, `,`, `'`: may join what surrounds them
const OTHER: u8 = 4; // a byte of a non-ASCII character

/// Class of every byte value.
static CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            b'.' | b',' | b'\'' => JOINER,
            _ => SEPARATOR,
        };
        b += 1;
    }
    class
};

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// The char starting at byte `at`, if any.
fn char_at(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Iterator over the word tokens of a text; see the module docs for the rules.
///
/// The text is classified 64 bytes at a time into bit masks (see `Block`); most tokens are
/// then found with a few bit operations and no branch per byte. Bytes the masks cannot settle
/// (a token ending in `.`, `,` or an apostrophe, or touching a non-ASCII character) are read
/// one character at a time.
#[derive(Debug, Clone)]
pub struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    /// Where the last token ended (before a dropped possessive `'s`).
    last_end: usize,
    /// Where the bytes that `block` describes start.
    base: usize,
    block: Block,
}

/// The classes of the 64 bytes `text[base..base + 64]`, bit `i` standing for byte `base + i`.
/// Past the end of the text, bytes count as plain separators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Block {
    /// ASCII letters and digits.
    alnum: u64,
    /// Bytes of non-ASCII characters.
    high: u64,
    /// ASCII whitespace and `-`: what may stand between the two words of a bigram.
    joins: u64,
    /// ASCII bytes that end a token whatever follows (all but letters, digits, `.`, `,`, `'`).
    plain: u64,
    /// Bytes that end a token which reaches them: plain separators, and `.`, `,` and `'`
    /// where the next byte is neither an ASCII letter or digit nor part of a non-ASCII
    /// character (unsettled for the last byte, whose next byte is in the next block).
    ends: u64,
}

impl Block {
    /// The classes of `text[at..at + 64]`.
    fn at(bytes: &[u8], at: usize) -> Block {
        match bytes.get(at..at + 64) {
            Some(chunk) => Block::of(chunk.try_into().unwrap_or(&[0; 64])),
            None => {
                let mut padded = [0u8; 64];
                let rest = bytes.get(at..).unwrap_or_default();
                padded[..rest.len()].copy_from_slice(rest);
                Block::of(&padded)
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn of(chunk: &[u8; 64]) -> Block {
        // SAFETY: SSE2 is part of every x86_64 CPU.
        unsafe { Block::of_sse2(chunk) }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of(chunk: &[u8; 64]) -> Block {
        Block::of_bytes(chunk)
    }

    /// One byte at a time, from [`CLASS`]: the definition the SIMD version must agree with.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn of_bytes(chunk: &[u8; 64]) -> Block {
        let mut block = Block::default();
        for (i, &b) in chunk.iter().enumerate() {
            let bit = 1u64 << i;
            match CLASS[b as usize] {
                LETTER | DIGIT => block.alnum |= bit,
                OTHER => block.high |= bit,
                SEPARATOR => {
                    block.plain |= bit;
                    block.ends |= bit;
                }
                JOINER => {
                    let next = chunk.get(i + 1).map(|&n| CLASS[n as usize]);
                    if next.is_some_and(|n| !matches!(n, LETTER | DIGIT | OTHER)) {
                        block.ends |= bit;
                    }
                }
                _ => {}
            }
            if matches!(b, b'\t'..=b'\r' | b' ' | b'-') {
                block.joins |= bit;
            }
        }
        block
    }

    /// Sixteen bytes at a time: each class is a few comparisons of all of them at once, and
    /// `movemask` gathers one bit a byte.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "sse2")]
    unsafe fn of_sse2(chunk: &[u8; 64]) -> Block {
        use std::arch::x86_64::{
            __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
            _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let set = |b: u8| _mm_set1_epi8(b as i8);
        // Signed comparisons: non-ASCII bytes are negative, so never in an ASCII range.
        let between = |v: __m128i, low: u8, high: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, set(low - 1)),
                _mm_cmplt_epi8(v, set(high + 1)),
            )
        };
        let bits = |v: __m128i| u64::from(_mm_movemask_epi8(v) as u16);
        let mut block = Block::default();
        for (i, sixteen) in chunk.chunks_exact(16).enumerate() {
            // SAFETY: `sixteen` is 16 readable bytes; the load needs no alignment.
            let v = unsafe { _mm_loadu_si128(sixteen.as_ptr().cast()) };
            let letter = between(_mm_or_si128(v, set(0x20)), b'a', b'z');
            let alnum = bits(_mm_or_si128(letter, between(v, b'0', b'9')));
            let high = bits(v);
            let space = _mm_or_si128(_mm_cmpeq_epi8(v, set(b' ')), _mm_cmpeq_epi8(v, set(b'-')));
            let joins = bits(_mm_or_si128(space, between(v, b'\t', b'\r')));
            let joiner = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, set(b'.')), _mm_cmpeq_epi8(v, set(b','))),
                _mm_cmpeq_epi8(v, set(b'\'')),
            );
            let plain = !(alnum | high | bits(joiner)) & 0xffff;
            let shift = 16 * i;
            block.alnum |= alnum << shift;
            block.high |= high << shift;
            block.joins |= joins << shift;
            block.plain |= plain << shift;
        }
        let word = block.alnum | block.high;
        let joiner = !(word | block.plain);
        block.ends = block.plain | (joiner & !(word >> 1) & (u64::MAX >> 1));
        block
    }
}

/// One token of a text, as [`Tokenizer::next_token`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Byte offset of the token's first byte.
    pub(crate) start: usize,
    /// Byte offset just past the token.
    pub(crate) end: usize,
    /// Whether the gap between the previous token and this one lets them form a bigram:
    /// nothing but whitespace and hyphens (`-`, U+2010, U+2011).
    pub(crate) joins: bool,
}

impl<'a> Tokenizer<'a> {
    /// Tokenizes `text`.
    pub fn new(text: &'a str) -> Self {
        Tokenizer {
            text,
            pos: 0,
            last_end: 0,
            base: 0,
            block: Block::at(text.as_bytes(), 0),
        }
    }

    /// The offset of `at` in the current block, which moves there first if it does not hold
    /// `at` (`at` never goes back).
    #[inline(always)]
    fn offset(&mut self, at: usize) -> usize {
        let offset = at - self.base;
        if offset < 64 {
            return offset;
        }
        self.base = at;
        self.block = Block::at(self.text.as_bytes(), at);
        0
    }

    /// The next token's [`Span`]: its byte range, and whether the text between the previous
    /// token and this one lets them form a bigram.
    #[inline(always)]
    pub(crate) fn next_token(&mut self) -> Option<Span> {
        let text = self.text;
        let bytes = text.as_bytes();
        // Skip to the start of a token: the first ASCII letter or digit, or non-ASCII
        // character that is a letter or digit. What is skipped is the gap, which starts where
        // the last token ended (a dropped possessive `'s` in between is not whitespace).
        let mut start = self.pos;
        let mut joins = self.last_end == start;
        loop {
            let offset = self.offset(start);
            let candidates = (self.block.alnum | self.block.high) >> offset;
            // The bytes before the first candidate (all the rest of the block if there is
            // none) are gap: ASCII, since non-ASCII bytes are candidates.
            let gap = candidates.wrapping_sub(1) & !candidates;
            joins &= (!self.block.joins >> offset) & gap == 0;
            if candidates == 0 {
                start = self.base + 64;
                if start >= bytes.len() {
                    self.pos = bytes.len();
                    return None;
                }
                continue;
            }
            let at = candidates.trailing_zeros() as usize;
            start += at;
            if (self.block.high >> (offset + at)) & 1 == 0 {
                break;
            }
            let c = char_at(text, start).unwrap_or(' ');
            if c.is_alphanumeric() {
                break;
            }
            joins &= c.is_whitespace() || c == '\u{2010}' || c == '\u{2011}';
            start += c.len_utf8();
        }
        // Most tokens are a run of ASCII letters and digits ended by a plain separator, or by
        // a `.`, `,` or `'` that no letter or digit follows (the end of a clause).
        let mut end = start;
        let ended = loop {
            let offset = self.offset(end);
            let run = (!(self.block.alnum >> offset)).trailing_zeros() as usize;
            end += run;
            if offset + run < 64 {
                break self.block.ends >> (offset + run) & 1 == 1;
            }
        };
        if ended {
            self.pos = end;
            self.last_end = end;
            return Some(Span { start, end, joins });
        }
        let mut last_was_digit = end > start && bytes[end - 1].is_ascii_digit();
        while end < bytes.len() {
            let b = bytes[end];
            // ASCII letters and digits go on, and any other ASCII byte but `.`, `,` and `'`
            // ends the token without looking at what follows.
            match CLASS[b as usize] {
                LETTER => {
                    last_was_digit = false;
                    end += 1;
                    continue;
                }
                DIGIT => {
                    last_was_digit = true;
                    end += 1;
                    continue;
                }
                SEPARATOR => break,
                _ => {}
            }
            let (c, len) = if b.is_ascii() {
                (b as char, 1)
            } else {
                let c = char_at(text, end).unwrap_or(' ');
                (c, c.len_utf8())
            };
            if c.is_alphanumeric() {
                last_was_digit = c.is_ascii_digit();
                end += len;
                continue;
            }
            let next = char_at(text, end + len);
            if last_was_digit && (c == '.' || c == ',') && next.is_some_and(|n| n.is_ascii_digit())
            {
                end += len;
                continue;
            }
            if is_apostrophe(c) && next.is_some_and(char::is_alphanumeric) {
                // Possessive 's ends the token and is dropped.
                let after_s = end + len + 1;
                let is_possessive = matches!(next, Some('s' | 'S'))
                    && char_at(text, after_s).is_none_or(|n| !n.is_alphanumeric());
                if is_possessive {
                    self.pos = after_s;
                    self.last_end = end;
                    return Some(Span { start, end, joins });
                }
                end += len;
                continue;
            }
            break;
        }
        self.pos = end;
        self.last_end = end;
        Some(Span { start, end, joins })
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let Span { start, end, .. } = self.next_token()?;
        Some(&self.text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::{Block, Span, Tokenizer};
    use proptest::prelude::*;

    /// The module's rules, one character at a time, for comparison.
    fn reference(text: &str) -> Vec<&str> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = |i: usize| chars.get(i).map(|&(_, c)| c);
        let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].1.is_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i + 1; // chars[start..end] is the token so far
            let mut possessive = false;
            while let Some(c) = at(end) {
                let next = at(end + 1);
                let previous = chars[end - 1].1;
                if c.is_alphanumeric() {
                    end += 1;
                } else if (c == '.' || c == ',')
                    && previous.is_ascii_digit()
                    && next.is_some_and(|n| n.is_ascii_digit())
                {
                    end += 2;
                } else if (c == '\'' || c == '\u{2019}') && next.is_some_and(char::is_alphanumeric)
                {
                    if matches!(next, Some('s' | 'S'))
                        && !at(end + 2).is_some_and(char::is_alphanumeric)
                    {
                        possessive = true;
                        break;
                    }
                    end += 2;
                } else {
                    break;
                }
            }
            tokens.push(&text[offset(start)..offset(end)]);
            i = if possessive { end + 2 } else { end };
        }
        tokens
    }

    /// The gap rule of [`Tokenizer::next_token`], one character at a time.
    fn joins(gap: &str) -> bool {
        gap.chars()
            .all(|c| c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2011}')
    }

    proptest! {
        #[test]
        fn blocks_agree_with_the_byte_classes(
            bytes in proptest::collection::vec(
                prop_oneof![any::<u8>(), proptest::sample::select(b"aZz09.,'- \t\r\n\x0b\x0c\x08\x0e/@[`{\x7f\x80\xff".to_vec())],
                0..150,
            ),
            at in 0usize..150,
        ) {
            let at = at.min(bytes.len());
            let mut padded = [0u8; 64];
            let rest = &bytes[at..bytes.len().min(at + 64)];
            padded[..rest.len()].copy_from_slice(rest);
            prop_assert_eq!(Block::at(&bytes, at), Block::of_bytes(&padded));
        }

        #[test]
        fn spans_say_whether_the_gap_joins(
            text in "([a-z]{1,12}|[0-9]{1,3}|[.,]|'s|'|[ ]{1,3}|[ ]{30,70}|[-\n\t()]|[\u{e9}\u{a0}\u{2010}\u{2014}]){0,60}"
        ) {
            let mut tokenizer = Tokenizer::new(&text);
            let mut previous_end = 0;
            while let Some(Span {
                start,
                end,
                joins: gap_joins,
            }) = tokenizer.next_token()
            {
                prop_assert_eq!(gap_joins, joins(&text[previous_end..start]), "{:?}", &text[..end]);
                previous_end = end;
            }
        }

        #[test]
        fn agrees_with_the_reference_on_prose_like_text(
            text in "([a-z]{1,10}|[A-Z][a-z]{0,8}|[0-9]{1,4}|[.,]|'s|'|\u{2019}|[ ]{1,2}|[-\n\t()]|[\u{e9}\u{df}\u{2014}\u{a0}\u{41c}\u{5317}]){0,40}"
        ) {
            prop_assert_eq!(Tokenizer::new(&text).collect::<Vec<_>>(), reference(&text));
        }

        #[test]
        fn agrees_with_the_reference_on_any_text(text in "\\PC{0,200}") {
            prop_assert_eq!(Tokenizer::new(&text).collect::<Vec<_>>(), reference(&text));
        }
    }

    fn tokens(text: &str) -> Vec<&str> {
        Tokenizer::new(text).collect()
    }

    #[test]
    fn splits_words_and_punctuation() {
        assert_eq!(
            tokens("Xi slams \"double standards,\" advocates (shared) future."),
            [
                "Xi",
                "slams",
                "double",
                "standards",
                "advocates",
                "shared",
                "future"
            ]
        );
    }

    #[test]
    fn hyphens_split_apostrophes_join_possessives_drop() {
        assert_eq!(
            tokens("cyber-security don't China's O’Neill’s rock'n'roll"),
            [
                "cyber",
                "security",
                "don't",
                "China",
                "O’Neill",
                "rock'n'roll"
            ]
        );
    }

    #[test]
    fn numbers_keep_their_separators() {
        assert_eq!(
            tokens("4.13 million, 2,000 people in 2015."),
            ["4.13", "million", "2,000", "people", "in", "2015"]
        );
    }

    #[test]
    fn unicode_letters_stay_whole() {
        assert_eq!(
            tokens("Zürich — São Paulo; Москва, 北京"),
            ["Zürich", "São", "Paulo", "Москва", "北京"]
        );
    }

    #[test]
    fn empty_and_symbol_only_text_has_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens(" -- ... ’' ").is_empty());
        assert_eq!(tokens("'s"), ["s"]);
    }
}
