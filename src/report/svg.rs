//! Plain SVG plots: [`Chart`] (a unit square of scores: curves as `<path>`, points as
//! `<circle class="mark">`, rules as `<line>`) and [`bars`] (weights as `<rect class="bar">`).
//! Every shape a reader should find carries a `<title>` shown on hover; no script.

use std::fmt::Write;

use super::html::escape;

/// Size of a chart, in CSS pixels: three side by side fit a 1280-pixel-wide window.
const WIDTH: f64 = 380.0;
const HEIGHT: f64 = 290.0;
/// Room for the title, the tick labels and the axis labels.
const LEFT: f64 = 46.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 40.0;

/// A chart of values in [0, 1] on both axes, with a title, axis labels, grid and ticks.
#[derive(Debug)]
pub struct Chart {
    kind: &'static str,
    title: String,
    x_label: String,
    y_label: String,
    shapes: String,
}

/// A coordinate with one decimal: enough at this size, and it keeps the file small.
fn coordinate(value: f64) -> String {
    format!("{:.1}", value)
}

impl Chart {
    /// An empty chart; `kind` names it in its `data-chart` attribute (for tests and styles),
    /// the rest is text (escaped here).
    pub fn new(kind: &'static str, title: &str, x_label: &str, y_label: &str) -> Chart {
        Chart {
            kind,
            title: title.to_string(),
            x_label: x_label.to_string(),
            y_label: y_label.to_string(),
            shapes: String::new(),
        }
    }

    fn x(value: f64) -> f64 {
        LEFT + value.clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
    }

    fn y(value: f64) -> f64 {
        HEIGHT - BOTTOM - value.clamp(0.0, 1.0) * (HEIGHT - TOP - BOTTOM)
    }

    fn path_data(points: &[(f64, f64)]) -> String {
        let mut data = String::with_capacity(points.len() * 12);
        let mut last = String::new();
        for (index, &(x, y)) in points.iter().enumerate() {
            let point = format!("{} {}", coordinate(Chart::x(x)), coordinate(Chart::y(y)));
            // Points that round to the one before draw nothing: left out.
            if point == last {
                continue;
            }
            data.push(if index == 0 { 'M' } else { 'L' });
            data.push_str(&point);
            last = point;
        }
        data
    }

    /// A line through `points` (in order), as one `<path class="curve">`; nothing for no
    /// points.
    pub fn curve(&mut self, points: &[(f64, f64)], tooltip: &str) {
        if points.is_empty() {
            return;
        }
        let _ = writeln!(
            self.shapes,
            "<path class=\"curve\" d=\"{}\"><title>{}</title></path>",
            Chart::path_data(points),
            escape(tooltip)
        );
    }

    /// A dashed reference line through `points` (`<path class="reference">`).
    pub fn reference(&mut self, points: &[(f64, f64)], tooltip: &str) {
        let _ = writeln!(
            self.shapes,
            "<path class=\"reference\" d=\"{}\"><title>{}</title></path>",
            Chart::path_data(points),
            escape(tooltip)
        );
    }

    /// A point (`<circle class="mark {class}">`) with its tooltip.
    pub fn mark(&mut self, class: &str, (x, y): (f64, f64), radius: f64, tooltip: &str) {
        let _ = writeln!(
            self.shapes,
            "<circle class=\"mark {class}\" cx=\"{}\" cy=\"{}\" r=\"{radius:.1}\"><title>{}</title></circle>",
            coordinate(Chart::x(x)),
            coordinate(Chart::y(y)),
            escape(tooltip)
        );
    }

    /// A vertical rule at `x` (`<line class="rule">`), as where a threshold sits.
    pub fn rule(&mut self, x: f64, tooltip: &str) {
        let at = coordinate(Chart::x(x));
        let _ = writeln!(
            self.shapes,
            "<line class=\"rule\" x1=\"{at}\" x2=\"{at}\" y1=\"{}\" y2=\"{}\"><title>{}</title></line>",
            coordinate(Chart::y(1.0)),
            coordinate(Chart::y(0.0)),
            escape(tooltip)
        );
    }

    /// The `<svg>` element: frame, grid, ticks at every 0.2, labels, then the shapes.
    pub fn finish(self) -> String {
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\">\n",
            self.kind,
            escape(&self.title)
        );
        let _ = writeln!(
            out,
            "<text class=\"title\" x=\"{LEFT}\" y=\"16\">{}</text>",
            escape(&self.title)
        );
        for step in 0..=5 {
            let value = f64::from(step) / 5.0;
            let (x, y) = (coordinate(Chart::x(value)), coordinate(Chart::y(value)));
            let (left, right) = (coordinate(Chart::x(0.0)), coordinate(Chart::x(1.0)));
            let (top, bottom) = (coordinate(Chart::y(1.0)), coordinate(Chart::y(0.0)));
            let _ = writeln!(
                out,
                "<line class=\"grid\" x1=\"{left}\" x2=\"{right}\" y1=\"{y}\" y2=\"{y}\"/>\
                 <line class=\"grid\" x1=\"{x}\" x2=\"{x}\" y1=\"{top}\" y2=\"{bottom}\"/>\
                 <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{value:.1}</text>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{value:.1}</text>",
                coordinate(Chart::y(0.0) + 14.0),
                coordinate(LEFT - 5.0),
                coordinate(Chart::y(value) + 4.0),
            );
        }
        let _ = writeln!(
            out,
            "<line class=\"axis\" x1=\"{l}\" x2=\"{r}\" y1=\"{b}\" y2=\"{b}\"/><line class=\"axis\" x1=\"{l}\" x2=\"{l}\" y1=\"{t}\" y2=\"{b}\"/>",
            l = coordinate(Chart::x(0.0)),
            r = coordinate(Chart::x(1.0)),
            t = coordinate(Chart::y(1.0)),
            b = coordinate(Chart::y(0.0)),
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            coordinate((Chart::x(0.0) + Chart::x(1.0)) / 2.0),
            coordinate(HEIGHT - 8.0),
            escape(&self.x_label)
        );
        let middle = coordinate((Chart::y(0.0) + Chart::y(1.0)) / 2.0);
        let _ = writeln!(
            out,
            "<text x=\"12\" y=\"{middle}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {middle})\">{}</text>",
            escape(&self.y_label)
        );
        out.push_str(&self.shapes);
        out.push_str("</svg>\n");
        out
    }
}

/// Horizontal bars, one `<rect class="bar">` per (label, value), longest for the largest
/// value, each labelled with its text and value; `kind` goes in `data-chart`.
pub fn bars(kind: &'static str, title: &str, items: &[(String, f64)]) -> String {
    const ROW: f64 = 17.0;
    const LABELS: f64 = 150.0;
    const VALUES: f64 = 44.0;
    let height = TOP + ROW * items.len() as f64 + 8.0;
    let largest = items.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let span = WIDTH - LABELS - VALUES - RIGHT;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{kind}\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\">\n\
         <text class=\"title\" x=\"4\" y=\"16\">{}</text>\n",
        escape(title),
        escape(title)
    );
    for (index, (label, value)) in items.iter().enumerate() {
        let top = TOP + ROW * index as f64;
        let length = if largest > 0.0 {
            value.max(0.0) / largest * span
        } else {
            0.0
        };
        let label = escape(label);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"bar\" x=\"{LABELS}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{label}: {value:.3}</title></rect>\
             <text x=\"{}\" y=\"{}\">{value:.2}</text>",
            coordinate(LABELS - 6.0),
            coordinate(top + 12.0),
            coordinate(top + 2.0),
            coordinate(length),
            coordinate(ROW - 4.0),
            coordinate(LABELS + length + 4.0),
            coordinate(top + 12.0),
        );
    }
    out.push_str("</svg>\n");
    out
}
