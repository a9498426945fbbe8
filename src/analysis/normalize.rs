//! [`normalize`]: text as the [`super::Tokenizer`] should read it (the rules are in its
//! docs); `Normalized` keeps the way back to the original text's byte offsets, so the keyword
//! stage shows words as the document writes them.

use std::borrow::Cow;

/// What normalising does to one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Keep,
    Remove,
    Replace(&'static str),
}

/// The letters of the ligatures U+FB00..U+FB06, in order.
const LIGATURES: [&str; 7] = ["ff", "fi", "fl", "ffi", "ffl", "st", "st"];

/// Fullwidth U+FF01..U+FF5E as ASCII: the printable ASCII characters, in order.
const ASCII_PRINTABLE: &str =
    "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

fn change(c: char) -> Change {
    match c {
        '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => Change::Remove,
        '\u{FB00}'..='\u{FB06}' => Change::Replace(LIGATURES[c as usize - 0xFB00]),
        '\u{FF01}'..='\u{FF5E}' => {
            let i = c as usize - 0xFF01;
            Change::Replace(&ASCII_PRINTABLE[i..i + 1])
        }
        _ => Change::Keep,
    }
}

/// Whether normalising would change `text`: one fast scan for the lead bytes of the characters
/// it changes, and a look at each character found.
#[inline]
pub(crate) fn changes(text: &str) -> bool {
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, text.as_bytes()).any(|at| {
        text[at..]
            .chars()
            .next()
            .is_some_and(|c| change(c) != Change::Keep)
    })
}

/// `text` as the tokenizer reads it, borrowed as it is when nothing changes.
///
/// Characters that look like nothing, or like ASCII, must not change the words a reader sees:
/// `pa\u{ad}rliament` (with a soft hyphen) is "parliament", not "pa" and "rliament", and
/// fullwidth `ｐａｒｌｉａｍｅｎｔ` is the same word too. Normalising is a documented subset
/// of Unicode NFKC, plus the removal of invisible format characters (which NFKC keeps and
/// Unicode collation, UTS #10, ignores):
///
/// - **removed**: U+00AD soft hyphen; U+200B zero width space; U+200C and U+200D zero width
///   non-joiner and joiner; U+200E and U+200F direction marks; U+202A..U+202E direction
///   embeddings and overrides; U+2060 word joiner; U+2061..U+2064 invisible operators;
///   U+2066..U+2069 direction isolates; U+FEFF zero width no-break space (a byte-order mark);
/// - **folded as NFKC folds them**: fullwidth ASCII U+FF01..U+FF5E to U+0021..U+007E
///   (letters, digits and punctuation: `Ｐａｒｉｓ，２０１５` is `Paris,2015`), and the Latin
///   ligatures U+FB00..U+FB06 to their letters (`ﬁnance` from PDFs is `finance`).
///
/// Everything else is kept as written. Full NFKC is not applied: it rewrites characters that
/// ordinary news text is full of and that the tokenizer already reads well (the no-break
/// space, `…`, `™`, `½`), so it would change the results of ordinary documents, and checking
/// a document for it means decoding every non-ASCII character. Canonical composition (a
/// letter and a combining accent into one character) and mathematical alphanumerics (`𝐛𝐨𝐥𝐝`)
/// are not applied either: both need Unicode's tables and a look at every non-ASCII
/// character.
///
/// Every character changed here starts with byte 0xC2, 0xE2 or 0xEF, so a document without
/// them (or whose such characters are all kept, like `’` and `—`) is passed on as it is after
/// one `memchr3` scan; only a document with something to change is copied.
///
/// ```
/// use thematic::analysis::normalize;
///
/// assert_eq!(normalize("pa\u{ad}rlia\u{200b}ment"), "parliament");
/// assert_eq!(normalize("Ｐａｒｉｓ，２０１５ ﬁnance"), "Paris,2015 finance");
/// assert!(matches!(normalize("Zürich — “Parliament”"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    if !changes(text) {
        return Cow::Borrowed(text);
    }
    let mut normalized = Normalized::default();
    normalized.rewrite(text);
    Cow::Owned(normalized.text)
}

/// One character the normalised text writes differently: it starts at byte `at` of the
/// normalised text, where it takes `written` bytes, and at byte `from` of the original, where
/// it took `read` bytes (a removed character writes none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    at: u32,
    from: u32,
    written: u8,
    read: u8,
}

/// A reusable normalised copy of a text, with what was changed: byte offsets in it map back
/// to the original's, so what is found in the copy can be shown as the original writes it.
/// Memory is the copy plus 12 bytes per changed character.
#[derive(Debug, Clone, Default)]
pub(crate) struct Normalized {
    text: String,
    edits: Vec<Edit>,
    /// Whether `text` holds the normalised copy of the last text given (else it was unchanged).
    active: bool,
}

impl Normalized {
    /// Normalises `text` into this buffer if that changes it; returns whether it did. Until
    /// the next call, [`Normalized::text`] is the text to read and the offset maps apply.
    pub(crate) fn set(&mut self, text: &str) -> bool {
        self.active = changes(text);
        if self.active {
            self.rewrite(text);
        }
        self.active
    }

    /// Whether the last [`Normalized::set`] changed its text (and [`Normalized::text`] holds
    /// the copy to read).
    pub(crate) fn is_set(&self) -> bool {
        self.active
    }

    /// The normalised text of the last [`Normalized::set`] that changed its text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    fn rewrite(&mut self, text: &str) {
        self.text.clear();
        self.edits.clear();
        let mut copied = 0;
        for at in memchr::memchr3_iter(0xC2, 0xE2, 0xEF, text.as_bytes()) {
            let Some(c) = text[at..].chars().next() else {
                continue;
            };
            let replacement = match change(c) {
                Change::Keep => continue,
                Change::Remove => "",
                Change::Replace(replacement) => replacement,
            };
            self.text.push_str(&text[copied..at]);
            self.edits.push(Edit {
                at: self.text.len() as u32,
                from: at as u32,
                written: replacement.len() as u8,
                read: c.len_utf8() as u8,
            });
            self.text.push_str(replacement);
            copied = at + c.len_utf8();
        }
        self.text.push_str(&text[copied..]);
    }

    /// Where the original text has what follows the normalised text's byte `at`: a word
    /// starting there starts there in the original (after any removed characters before it).
    pub(crate) fn start_in_original(&self, at: usize) -> usize {
        if !self.active {
            return at;
        }
        let at = at as u32;
        let i = self
            .edits
            .partition_point(|e| e.at + u32::from(e.written) <= at);
        match self.edits.get(i) {
            // Inside (or at the start of) a replacement: from the character it replaces.
            Some(e) if e.at <= at => e.from as usize,
            _ => self.after(i, at),
        }
    }

    /// Where the original text has what precedes the normalised text's byte `at`: a word
    /// ending there ends there in the original (before any removed characters after it).
    pub(crate) fn end_in_original(&self, at: usize) -> usize {
        if !self.active {
            return at;
        }
        let at = at as u32;
        let i = self.edits.partition_point(|e| {
            let end = e.at + u32::from(e.written);
            end < at || (e.written > 0 && end == at)
        });
        match self.edits.get(i) {
            // Inside a replacement: through the whole character it replaces.
            Some(e) if e.at < at => (e.from + u32::from(e.read)) as usize,
            _ => self.after(i, at),
        }
    }

    /// The original offset of normalised byte `at`, which follows the first `i` edits and is
    /// in no replacement.
    fn after(&self, i: usize, at: u32) -> usize {
        match i.checked_sub(1).map(|k| self.edits[k]) {
            Some(e) => (at - (e.at + u32::from(e.written)) + e.from + u32::from(e.read)) as usize,
            None => at as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original text of the normalised range `start..end`.
    fn original<'t>(normalized: &Normalized, text: &'t str, start: usize, end: usize) -> &'t str {
        &text[normalized.start_in_original(start)..normalized.end_in_original(end)]
    }

    #[test]
    fn invisible_format_characters_are_removed() {
        for c in [
            '\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}',
            '\u{202E}', '\u{2060}', '\u{2064}', '\u{2066}', '\u{2069}', '\u{FEFF}',
        ] {
            let text = format!("pa{c}rlia{c}{c}ment");
            assert_eq!(normalize(&text), "parliament", "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn fullwidth_ascii_and_ligatures_are_folded() {
        let printable: String = (b'!'..=b'~').map(char::from).collect();
        assert_eq!(ASCII_PRINTABLE, printable);
        let fullwidth: String = ('\u{FF01}'..='\u{FF5E}').collect();
        assert_eq!(normalize(&fullwidth), printable);
        assert_eq!(normalize("ｐａｒｌｉａｍｅｎｔ"), "parliament");
        assert_eq!(normalize("ＰＡＲＬＩＡＭＥＮＴ"), "PARLIAMENT");
        assert_eq!(normalize("！～０９＇，．－"), "!~09',.-");
        assert_eq!(
            normalize("\u{FB00}\u{FB01}\u{FB02}\u{FB03}\u{FB04}\u{FB05}\u{FB06}"),
            "fffiflffifflstst"
        );
        assert_eq!(normalize("ﬁnancial ﬂows"), "financial flows");
    }

    /// Neighbours of every changed range, the lead bytes' other characters and ordinary
    /// non-ASCII text are kept: the text is borrowed as it is.
    #[test]
    fn everything_else_is_kept_and_borrowed() {
        let kept = "Zürich São Москва 北京 ½ … ™ \u{a0}\u{ac}\u{ae} \u{200a}\u{2010}\u{2014}\u{2019}\u{201c}\u{2029}\u{2065}\u{206a}\u{202f} \u{fb07}\u{feff}x\u{fefe}\u{ff00}\u{ff5f}\u{ff61}\u{ffe0} 𝐛𝐨𝐥𝐝";
        // (U+FEFF is in there once, to check the rest around it.)
        let without_bom = kept.replace('\u{feff}', "");
        assert!(matches!(normalize(&without_bom), Cow::Borrowed(_)));
        assert_eq!(normalize(kept), without_bom);
        assert!(matches!(
            normalize("plain ASCII, as most text is."),
            Cow::Borrowed(_)
        ));
        assert!(matches!(normalize(""), Cow::Borrowed(_)));
    }

    #[test]
    fn offsets_map_words_back_to_the_original() {
        let text = "\u{AD}pa\u{AD}rliament\u{200B} ｐａｒｉｓ\u{FEFF}, ﬁnal \u{200D}";
        let mut normalized = Normalized::default();
        assert!(normalized.set(text));
        assert_eq!(normalized.text(), "parliament paris, final ");
        let words: Vec<&str> = crate::analysis::Tokenizer::new(normalized.text())
            .map(|word| {
                let start = word.as_ptr() as usize - normalized.text().as_ptr() as usize;
                original(&normalized, text, start, start + word.len())
            })
            .collect();
        // Removed characters inside a word stay in its original form; before or after it, not.
        assert_eq!(words, ["pa\u{AD}rliament", "ｐａｒｉｓ", "ﬁnal"]);
        // Inside a replacement, a start goes back to the character's start and an end on to
        // its end: the original range always covers it whole.
        assert_eq!(original(&normalized, text, 19, 20), "ﬁ");
        assert_eq!(original(&normalized, text, 18, 19), "ﬁ");
        // At the end, after a removed character: a start after it, an end before it.
        assert_eq!(normalized.start_in_original(24), text.len());
        assert_eq!(
            normalized.end_in_original(24),
            text.len() - "\u{200D}".len()
        );
    }

    #[test]
    fn an_unchanged_text_maps_to_itself() {
        let mut normalized = Normalized::default();
        assert!(normalized.set("x\u{AD}y"));
        assert!(!normalized.set("plain text"));
        assert_eq!(normalized.start_in_original(3), 3);
        assert_eq!(normalized.end_in_original(5), 5);
    }
}
