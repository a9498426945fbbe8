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

/// Iterator over the word tokens of a text; see the module docs for the rules.
#[derive(Debug, Clone)]
pub struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Tokenizer<'a> {
    /// Tokenizes `text`.
    pub fn new(text: &'a str) -> Self {
        Tokenizer { text, pos: 0 }
    }
}

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

/// `bytes[at..at + 8]` as a little-endian integer, zero past the end of `bytes`.
#[inline(always)]
pub(super) fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
        None => {
            let mut padded = [0u8; 8];
            let rest = bytes.get(at..).unwrap_or_default();
            padded[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(padded)
        }
    }
}

/// A one in each byte, and the high bit of each byte: for classifying eight bytes at once.
pub(super) const ONES: u64 = 0x0101_0101_0101_0101;
pub(super) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` in `low..=high`, for words whose bytes are all below
/// 0x80 (so no byte carries into the next).
#[inline(always)]
pub(super) fn bytes_between(word: u64, low: u8, high: u8) -> u64 {
    let at_least_low = word + ONES * (0x80 - u64::from(low));
    let above_high = word + ONES * (0x80 - u64::from(high) - 1);
    at_least_low & !above_high & HIGH
}

/// The mask of the low `n` bytes of a word (all of it from 8 on).
#[inline(always)]
pub(super) fn low_bytes(n: usize) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    }
}

/// The high bit of each byte of `word` that is an ASCII letter or digit: eight bytes classified
/// with no branch (no byte can carry into the next: high bits are cleared first).
#[inline(always)]
fn alnum_bits(word: u64) -> u64 {
    let ascii = word & !HIGH;
    let lower = ascii | (ONES * 0x20);
    (bytes_between(lower, b'a', b'z') | bytes_between(ascii, b'0', b'9')) & !word
}

/// How many of the bytes from `at` on are ASCII letters or digits, counting at most 16.
#[inline(always)]
fn alnum_run(bytes: &[u8], at: usize) -> usize {
    let run = |bits: u64| ((!bits & HIGH).trailing_zeros() / 8) as usize;
    let first = run(alnum_bits(load8(bytes, at)));
    let second = run(alnum_bits(load8(bytes, at + 8)));
    first + if first == 8 { second } else { 0 }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.text;
        let bytes = text.as_bytes();
        // Skip to the start of a token: eight bytes at a time to the first that is an ASCII
        // letter or digit or not ASCII at all.
        let mut start = self.pos;
        loop {
            let word = load8(bytes, start);
            let candidates = alnum_bits(word) | (word & HIGH);
            if candidates == 0 {
                start += 8;
                if start >= bytes.len() {
                    self.pos = bytes.len();
                    return None;
                }
                continue;
            }
            start += (candidates.trailing_zeros() / 8) as usize;
            if start >= bytes.len() {
                self.pos = bytes.len();
                return None;
            }
            if bytes[start] < 0x80 {
                break;
            }
            let c = char_at(text, start).unwrap_or(' ');
            if c.is_alphanumeric() {
                break;
            }
            start += c.len_utf8();
        }
        // Most tokens are a run of ASCII letters and digits ended by a plain separator: found
        // with no branch per byte (which the CPU would mispredict at every word's end).
        let mut end = start + alnum_run(bytes, start);
        match bytes.get(end) {
            None => {
                self.pos = end;
                return Some(&text[start..end]);
            }
            Some(&b) if CLASS[b as usize] == SEPARATOR => {
                self.pos = end;
                return Some(&text[start..end]);
            }
            _ => {}
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
                    return Some(&text[start..end]);
                }
                end += len;
                continue;
            }
            break;
        }
        self.pos = end;
        Some(&text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::Tokenizer;
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

    proptest! {
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
