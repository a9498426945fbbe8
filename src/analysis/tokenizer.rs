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

impl<'a> Iterator for Tokenizer<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.text;
        let bytes = text.as_bytes();
        // Skip to the start of a token.
        let mut start = self.pos;
        loop {
            if start >= bytes.len() {
                self.pos = start;
                return None;
            }
            let b = bytes[start];
            match CLASS[b as usize] {
                LETTER | DIGIT => break,
                SEPARATOR | JOINER => start += 1,
                _ => {
                    let c = char_at(text, start).unwrap_or(' ');
                    if c.is_alphanumeric() {
                        break;
                    }
                    start += c.len_utf8();
                }
            }
        }
        let mut end = start;
        let mut last_was_digit = false;
        while end < bytes.len() {
            let b = bytes[end];
            // Fast path for ASCII: letters and digits go on, and any other ASCII byte but
            // `.`, `,` and `'` ends the token without looking at what follows.
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
