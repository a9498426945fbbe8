//! The columns of `classify`'s table, [`Layout`]: the same fixed widths wherever the table goes
//! (a file, a pipe), or fitted to the width of the terminal it is shown on.
//!
//! A fitted table keeps every score whole and aligned; the document and keywords columns share
//! what is left (a path shortened in the middle, keywords cut at a whole keyword, each with
//! `…`). When the terminal is too narrow for a themes column as well, it gives way to a `*`
//! after the score of each theme found.

/// Narrowest terminal a table is fitted to: below it, a narrower table would be unreadable
/// anyway, so lines wrap instead.
pub const MIN_WIDTH: usize = 60;

/// Fewest columns the document and keywords share before the themes column gives way.
const SHARED_WITH_THEMES: usize = 50;

/// Column widths of one table (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    document: usize,
    /// None: no themes column; a found theme's score is marked `*` instead.
    themes: Option<usize>,
    /// Each theme's score column, model order.
    scores: Vec<usize>,
    /// None: keywords whole (the fixed layout).
    keywords: Option<usize>,
    /// Whether cells are cut to their column (fitted) or only the document, at its start (fixed).
    fitted: bool,
}

impl Layout {
    /// The table as it is written to files and pipes: the same whatever the terminal.
    pub fn fixed(themes: &[String]) -> Layout {
        Layout {
            document: 40,
            themes: Some(32),
            scores: vec![11; themes.len()],
            keywords: None,
            fitted: false,
        }
    }

    /// A table at most `width` characters wide (at least [`MIN_WIDTH`]), unless the scores
    /// alone need more: they stay whole.
    pub fn fitted(themes: &[String], width: usize) -> Layout {
        let width = width.max(MIN_WIDTH);
        // A score is 4 characters ("0.97") under a header as wide as its theme's name.
        let scores: Vec<usize> = themes.iter().map(|t| t.chars().count().max(4)).collect();
        // Each score column with the character after it (a space or `*`), plus the spaces
        // after the document and before the keywords.
        let fixed = scores.iter().map(|w| w + 1).sum::<usize>() + 2;
        let all_themes = themes.iter().map(|t| t.chars().count() + 2).sum::<usize>();
        let themes_width = all_themes.saturating_sub(2).clamp(6, 32);
        let with_themes = width.saturating_sub(fixed + themes_width + 1);
        let (themes_column, shared) = if with_themes >= SHARED_WITH_THEMES {
            (Some(themes_width), with_themes)
        } else {
            (None, width.saturating_sub(fixed))
        };
        let document = (shared * 2 / 5).clamp(16.min(shared), 40);
        Layout {
            document,
            themes: themes_column,
            scores,
            keywords: Some(shared.saturating_sub(document)),
            fitted: true,
        }
    }

    /// The header line (without newline).
    pub fn header(&self, themes: &[String]) -> String {
        let mut line = self.cell("document", self.document);
        line.push(' ');
        if let Some(width) = self.themes {
            line.push_str(&self.cell("themes", width));
            line.push(' ');
        }
        for (theme, &width) in themes.iter().zip(&self.scores) {
            line.push_str(&format!("{theme:>width$} "));
        }
        line.push(' ');
        line.push_str(&match self.keywords {
            Some(width) => cut_list(&["keywords"], width),
            None => "keywords".into(),
        });
        line
    }

    /// One result's line (without newline): `name` and `keywords` as a terminal should show
    /// them (see [`super::for_humans`]).
    pub fn row(
        &self,
        name: &str,
        found: &[&str],
        scores: &[(&str, f64)],
        keywords: &[String],
    ) -> String {
        let name = if self.fitted {
            shorten_middle(name, self.document)
        } else {
            shorten_start(name, self.document)
        };
        let mut line = pad(&name, self.document);
        line.push(' ');
        if let Some(width) = self.themes {
            let themes = if found.is_empty() {
                "-".to_string()
            } else if self.fitted {
                cut_list(found, width)
            } else {
                found.join(", ")
            };
            line.push_str(&pad(&themes, width));
            line.push(' ');
        }
        for (&(theme, score), &width) in scores.iter().zip(&self.scores) {
            let mark = if self.themes.is_none() && found.contains(&theme) {
                '*'
            } else {
                ' '
            };
            line.push_str(&format!("{score:>width$.2}{mark}"));
        }
        line.push(' ');
        match self.keywords {
            Some(width) => {
                let shown: Vec<String> = keywords
                    .iter()
                    .map(|k| super::for_humans(k).into_owned())
                    .collect();
                line.push_str(&cut_list(&shown, width));
            }
            None => line.push_str(&super::for_humans(&keywords.join(", "))),
        }
        line
    }

    fn cell(&self, text: &str, width: usize) -> String {
        if self.fitted {
            pad(&shorten_middle(text, width), width)
        } else {
            pad(text, width)
        }
    }
}

/// `text` left-aligned in `width` characters (a longer text is left as it is).
fn pad(text: &str, width: usize) -> String {
    format!("{text:<width$}")
}

/// At most `width` characters of `text`: its end, after `…` (the fixed table's paths).
fn shorten_start(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    let tail: String = text.chars().skip(count - (width - 1)).collect();
    format!("…{tail}")
}

/// At most `width` characters of `text`: its start and its longer end, joined by `…` (a path
/// keeps its root and its file name).
fn shorten_middle(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let head = (width - 1) / 3;
    let tail = width - 1 - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// `items` joined by ", " in at most `width` characters: as many whole items as fit, then
/// ", …" when some were left out (`…` alone when not even the first fits).
fn cut_list<S: AsRef<str>>(items: &[S], width: usize) -> String {
    let mut line = String::new();
    let mut length = 0;
    for (i, item) in items.iter().enumerate() {
        let item = item.as_ref();
        let separator = if i == 0 { 0 } else { 2 };
        let last = i + 1 == items.len();
        // Room for this item and, unless it is the last, for ", …" after it.
        let needed = length + separator + item.chars().count() + if last { 0 } else { 3 };
        if needed > width {
            if line.is_empty() {
                return if width > 0 {
                    "…".into()
                } else {
                    String::new()
                };
            }
            line.push_str(", …");
            return line;
        }
        if i > 0 {
            line.push_str(", ");
        }
        line.push_str(item);
        length += separator + item.chars().count();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes() -> Vec<String> {
        ["economy", "governance", "security"]
            .map(String::from)
            .to_vec()
    }

    fn width(line: &str) -> usize {
        line.chars().count()
    }

    #[test]
    fn the_fixed_table_is_as_before() {
        let layout = Layout::fixed(&themes());
        assert_eq!(
            layout.header(&themes()),
            format!(
                "{:<40} {:<32} {:>11} {:>11} {:>11}  keywords",
                "document", "themes", "economy", "governance", "security"
            )
        );
        let long = format!("{}/file.txt", "d".repeat(50));
        let row = layout.row(
            &long,
            &["security"],
            &[("economy", 0.1), ("governance", 0.2), ("security", 0.9)],
            &["a".into(), "b".into()],
        );
        let expected_name = format!("…{}", &long[long.len() - 39..]);
        assert_eq!(
            row,
            format!(
                "{expected_name:<40} {:<32} {:>11.2} {:>11.2} {:>11.2}  a, b",
                "security", 0.1, 0.2, 0.9
            )
        );
    }

    #[test]
    fn fitted_tables_are_never_wider_than_the_terminal() {
        let keywords: Vec<String> = (0..20).map(|i| format!("keyword number {i}")).collect();
        let name = format!("archive/{}/report.txt", "deep/".repeat(30));
        for columns in [60, 72, 80, 100, 119, 140, 200, 300] {
            let layout = Layout::fitted(&themes(), columns);
            assert!(width(&layout.header(&themes())) <= columns, "{columns}");
            let row = layout.row(
                &name,
                &["economy", "governance", "security"],
                &[("economy", 1.0), ("governance", 0.5), ("security", 0.0)],
                &keywords,
            );
            assert!(width(&row) <= columns, "{columns}: {row}");
            assert!(row.contains("report.txt"), "{row}");
            assert!(row.ends_with('…'), "{row}");
            if columns >= 80 {
                assert!(row.contains("keyword number 0, "), "{row}");
            }
        }
        // Narrower than the minimum: the minimum.
        let layout = Layout::fitted(&themes(), 20);
        assert!(width(&layout.header(&themes())) <= MIN_WIDTH);
    }

    #[test]
    fn a_narrow_table_marks_found_themes_on_their_scores() {
        let layout = Layout::fitted(&themes(), 80);
        assert_eq!(layout.themes, None);
        let row = layout.row(
            "a.txt",
            &["security"],
            &[("economy", 0.1), ("governance", 0.2), ("security", 0.9)],
            &[],
        );
        assert!(row.contains("   0.90*"), "{row}");
        assert!(!row.contains("0.20*"), "{row}");
        let wide = Layout::fitted(&themes(), 140);
        assert_eq!(wide.themes, Some(29));
    }

    #[test]
    fn lists_are_cut_at_a_whole_item() {
        assert_eq!(
            cut_list(&["alpha", "beta", "gamma"], 100),
            "alpha, beta, gamma"
        );
        assert_eq!(
            cut_list(&["alpha", "beta", "gamma"], 18),
            "alpha, beta, gamma"
        );
        assert_eq!(cut_list(&["alpha", "beta", "gamma"], 17), "alpha, beta, …");
        assert_eq!(cut_list(&["alpha", "beta", "gamma"], 8), "alpha, …");
        assert_eq!(cut_list(&["alpha", "beta"], 4), "…");
        assert_eq!(cut_list::<&str>(&[], 4), "");
        assert_eq!(shorten_middle("abcdefghij", 7), "ab…ghij");
        assert_eq!(shorten_middle("abc", 7), "abc");
    }
}
