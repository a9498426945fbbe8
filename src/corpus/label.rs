//! [`LabelledDocument`]: one training document and its themes, and what a theme label may be
//! ([`theme_name_problem`]).

/// The label that means "none of the themes".
pub const NONE_LABEL: &str = "none";

/// Longest theme name, in characters: a name is shown in tables, CSV columns and JSON keys.
pub const MAX_THEME_NAME_CHARS: usize = 64;

/// Why `label` (already trimmed) cannot name a theme, or `None` if it can. A theme name is 1 to
/// [`MAX_THEME_NAME_CHARS`] characters with no control character (NUL, tab, newline, escape),
/// no bidirectional control (they reorder what a terminal shows), no `;` (the separator of CSV
/// label cells and of the CSV `themes` column) and is not `null` or a spelling of `none` other than `none` itself (a
/// theme a reader would take for "no theme").
pub fn theme_name_problem(label: &str) -> Option<String> {
    let length = label.chars().count();
    if length == 0 {
        return Some("it is empty".into());
    }
    if length > MAX_THEME_NAME_CHARS {
        return Some(format!(
            "it has {length} characters, more than {MAX_THEME_NAME_CHARS}"
        ));
    }
    if let Some(c) = label.chars().find(|&c| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        return Some(format!(
            "it contains {}, a control or bidirectional character",
            c.escape_unicode()
        ));
    }
    if label.contains(';') {
        return Some("it contains `;`, the label separator in CSV".into());
    }
    if label != NONE_LABEL
        && (label.eq_ignore_ascii_case(NONE_LABEL) || label.eq_ignore_ascii_case("null"))
    {
        return Some("it reads as no theme (only `none`, in lower case, means none)".into());
    }
    None
}

/// One training document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledDocument {
    /// Where it came from ("file:line" or an id), for messages.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its themes; empty for none.
    pub labels: Vec<String>,
}

impl LabelledDocument {
    /// Whether the document carries each of `themes`, in their order.
    pub fn flags(&self, themes: &[String]) -> Vec<bool> {
        themes.iter().map(|t| self.labels.contains(t)).collect()
    }
}
