//! The page around the plots: [`escape`] for every name, id and term put into it, and [`Page`],
//! one self-contained HTML document (inline CSS, no script, nothing fetched).

use std::fmt::Write;

/// `text` safe as HTML (and XML) text or as a quoted attribute value: `&`, `<`, `>`, `"` and
/// `'` as character references; control characters (which XML refuses even as references,
/// and which would forge lines or clear screens wherever the text is copied), bidirectional
/// controls (which reorder what is shown) and noncharacters shown as `\u{..}` escapes; tabs
/// and newlines as `\t` and `\n`. An id can be shown, never obeyed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters never written as they are: controls, bidirectional marks and overrides, and
/// the noncharacters XML refuses.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
}

/// The page's only style: system fonts (nothing fetched), sized to read at 1280x800.
const STYLE: &str = "
body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1d2430;background:#fafbfc;margin:0}
main{max-width:1240px;margin:0 auto;padding:12px 20px 40px}
h1{font-size:22px;margin:4px 0 2px}h2{font-size:18px;margin:16px 0 6px;border-bottom:1px solid #d5dae1;padding-bottom:3px}
h3{font-size:14px;margin:10px 0 4px}
p.lead{margin:0 0 8px;color:#4a5463}
table{border-collapse:collapse;margin:4px 0 8px;font-variant-numeric:tabular-nums}
th,td{padding:2px 8px;border-bottom:1px solid #e3e7ec;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.text,th.text{text-align:left}
td.text{max-width:520px;overflow-wrap:anywhere}
.row{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
section.summary{max-width:680px;margin-right:24px}section.co-occurrence{max-width:500px}
figure{margin:0;background:#fff;border:1px solid #e3e7ec;border-radius:4px;padding:4px}
figcaption{font-size:12px;color:#4a5463;max-width:380px;padding:0 4px}
svg text{font-size:11px;fill:#4a5463}svg text.title{font-size:13px;fill:#1d2430;font-weight:600}
.axis{stroke:#8a94a3;stroke-width:1}.grid{stroke:#eef0f3;stroke-width:1}
.curve{fill:none;stroke:#2f6db5;stroke-width:2}.reference{fill:none;stroke:#a0a8b4;stroke-width:1;stroke-dasharray:4 3}
.rule{stroke:#c2410c;stroke-width:1;stroke-dasharray:3 2}
.mark{fill:#2f6db5;stroke:#fff;stroke-width:1}.mark.threshold{fill:#c2410c;stroke:#fff}.mark.best{fill:#15803d}
.bar{fill:#2f6db5}
.errors{flex:1 1 560px;min-width:0}
.note{color:#6b7482;font-size:12px}
.legend span{display:inline-block;margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;vertical-align:-1px}
";

/// One HTML page built from sections, written as well-formed XML too (every element closed,
/// every attribute quoted) so a strict parser can check it.
#[derive(Debug)]
pub struct Page {
    body: String,
}

impl Page {
    /// A page titled `title` (escaped here), with `lead` (escaped) under the heading.
    pub fn new(title: &str, lead: &str) -> Page {
        let mut page = Page {
            body: String::new(),
        };
        let _ = write!(
            page.body,
            "<h1>{}</h1>\n<p class=\"lead\">{}</p>\n",
            escape(title),
            escape(lead)
        );
        page
    }

    /// Appends markup as it is: the caller has escaped its text.
    pub fn push(&mut self, markup: &str) {
        self.body.push_str(markup);
    }

    /// The whole document. A Content-Security-Policy allows inline styles and nothing else:
    /// no script runs and nothing is fetched, whatever the page holds.
    pub fn finish(self, title: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
            escape(title),
            self.body
        )
    }
}

/// A table: `head` cells, then rows of cells; every cell already escaped markup. Cells of the
/// first column, and columns listed in `text_columns`, are left-aligned text.
pub fn table(class: &str, head: &[&str], rows: &[Vec<String>], text_columns: &[usize]) -> String {
    let mut out = format!("<table class=\"{class}\">\n<tr>");
    for (index, cell) in head.iter().enumerate() {
        let align = if text_columns.contains(&index) {
            " class=\"text\""
        } else {
            ""
        };
        let _ = write!(out, "<th{align}>{}</th>", escape(cell));
    }
    out.push_str("</tr>\n");
    for row in rows {
        out.push_str("<tr>");
        for (index, cell) in row.iter().enumerate() {
            let align = if text_columns.contains(&index) {
                " class=\"text\""
            } else {
                ""
            };
            let _ = write!(out, "<td{align}>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_controls_and_bidi_are_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\u{1b}[2Jb\u{0}"), "a\\u{1b}[2Jb\\u{0}");
        assert_eq!(escape("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(escape("line\nnext\ttab\r"), "line\\nnext\\ttab\\u{d}");
        assert_eq!(escape("Überweisung €"), "Überweisung €");
    }
}
