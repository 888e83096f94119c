//! Charts: small input structs that callers fill (a horizontal bar chart, a diverging bar
//! chart, a heat map), drawn as standalone SVG. Every label is escaped; colours that are not
//! `#rrggbb` become grey. Renderers without images show a chart's data as a table instead
//! ([`Chart::to_table`]).

use serde::Serialize;

use super::xml::{escape, safe_color};
use crate::analysis::{Cell, Table};

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Text left of the bar, clipped with « … » to fit (the full text in a tooltip).
    pub label: String,
    /// Value (negative values are drawn as 0).
    pub value: f64,
    /// Colour `#rrggbb`; anything else is drawn grey.
    pub color: String,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarChart {
    /// Title, drawn in bold at the top and repeated in the SVG's `<title>`; the table fallback
    /// keeps it.
    pub title: String,
    /// Bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// One row of a [`DivergingChart`]: two values drawn left and right of a centre line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DivergingRow {
    /// Row label (e.g. a controversy).
    pub label: String,
    /// Value drawn to the left.
    pub left_value: f64,
    /// Value drawn to the right.
    pub right_value: f64,
    /// Label of the left side (e.g. the first pole).
    pub left_label: String,
    /// Label of the right side.
    pub right_label: String,
    /// Colour of the left bar.
    pub left_color: String,
    /// Colour of the right bar.
    pub right_color: String,
}

/// A diverging bar chart (e.g. the balance of each controversy between its poles).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DivergingChart {
    /// Title, drawn in bold at the top and repeated in the SVG's `<title>`; the table fallback
    /// keeps it.
    pub title: String,
    /// Rows, top to bottom.
    pub rows: Vec<DivergingRow>,
}

/// A heat map: a matrix of values shaded by size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatMap {
    /// Title, drawn in bold at the top and repeated in the SVG's `<title>`; the table fallback
    /// keeps it.
    pub title: String,
    /// Labels of the rows, top to bottom; `values` has one row per label.
    pub row_labels: Vec<String>,
    /// Labels of the columns, left to right.
    pub column_labels: Vec<String>,
    /// Values, one row per row label (missing cells count as 0).
    pub values: Vec<Vec<f64>>,
    /// Colour of the largest value.
    pub color: String,
}

/// A chart of any kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Chart {
    /// Horizontal bars.
    Bars(BarChart),
    /// Diverging bars.
    Diverging(DivergingChart),
    /// Heat map.
    Heat(HeatMap),
}

const FONT: &str = "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\"";
const CHAR_W: f64 = 6.6;

fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn clip(label: &str, width_px: f64) -> String {
    let max = ((width_px / CHAR_W) as usize).max(4);
    if label.chars().count() <= max {
        label.to_string()
    } else {
        format!("{}…", label.chars().take(max - 1).collect::<String>())
    }
}

fn finite(v: f64) -> f64 {
    if v.is_finite() { v.max(0.0) } else { 0.0 }
}

/// A text element whose full label is also in a `<title>` (a tooltip) when clipped.
fn text(
    x: f64,
    y: f64,
    anchor: &str,
    size: u32,
    label: &str,
    width_px: f64,
    extra: &str,
) -> String {
    let shown = clip(label, width_px);
    let tip = if shown != label {
        format!("<title>{}</title>", escape(label))
    } else {
        String::new()
    };
    format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" font-size=\"{size}\"{extra}>{tip}{}</text>",
        escape(&shown)
    )
}

fn open(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" {FONT} role=\"img\" aria-label=\"{t}\"><title>{t}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{}",
        text(
            10.0,
            22.0,
            "start",
            15,
            title,
            width - 20.0,
            " font-weight=\"bold\""
        ),
        t = escape(title)
    )
}

impl Chart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Bars(c) => &c.title,
            Chart::Diverging(c) => &c.title,
            Chart::Heat(c) => &c.title,
        }
    }

    /// Applies `f` to every label (pseudonymisation).
    pub fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        match self {
            Chart::Bars(c) => {
                c.title = f(&c.title);
                c.bars.iter_mut().for_each(|b| b.label = f(&b.label));
            }
            Chart::Diverging(c) => {
                c.title = f(&c.title);
                for r in &mut c.rows {
                    r.label = f(&r.label);
                    r.left_label = f(&r.left_label);
                    r.right_label = f(&r.right_label);
                }
            }
            Chart::Heat(c) => {
                c.title = f(&c.title);
                c.row_labels.iter_mut().for_each(|l| *l = f(l));
                c.column_labels.iter_mut().for_each(|l| *l = f(l));
            }
        }
    }

    /// The chart's data as a table (for formats that show no images).
    pub fn to_table(&self, value_label: &str) -> Table {
        match self {
            Chart::Bars(c) => Table {
                title: c.title.clone(),
                columns: vec![String::new(), value_label.to_string()],
                rows: c
                    .bars
                    .iter()
                    .map(|b| vec![Cell::Text(b.label.clone()), Cell::Float(b.value)])
                    .map(int_cells)
                    .collect(),
                notes: Vec::new(),
            },
            Chart::Diverging(c) => Table {
                title: c.title.clone(),
                columns: vec![
                    String::new(),
                    "←".into(),
                    value_label.into(),
                    value_label.into(),
                    "→".into(),
                ],
                rows: c
                    .rows
                    .iter()
                    .map(|r| {
                        int_cells(vec![
                            Cell::Text(r.label.clone()),
                            Cell::Text(r.left_label.clone()),
                            Cell::Float(r.left_value),
                            Cell::Float(r.right_value),
                            Cell::Text(r.right_label.clone()),
                        ])
                    })
                    .collect(),
                notes: Vec::new(),
            },
            Chart::Heat(c) => Table {
                title: c.title.clone(),
                columns: std::iter::once(String::new())
                    .chain(c.column_labels.iter().cloned())
                    .collect(),
                rows: c
                    .row_labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let values = c.values.get(i).cloned().unwrap_or_default();
                        let cells = (0..c.column_labels.len())
                            .map(|j| Cell::Float(values.get(j).copied().unwrap_or(0.0)));
                        int_cells(
                            std::iter::once(Cell::Text(label.clone()))
                                .chain(cells)
                                .collect(),
                        )
                    })
                    .collect(),
                notes: Vec::new(),
            },
        }
    }

    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        match self {
            Chart::Bars(c) => bars_svg(c),
            Chart::Diverging(c) => diverging_svg(c),
            Chart::Heat(c) => heat_svg(c),
        }
    }

    /// Width and height of [`Chart::to_svg`]'s drawing, in px.
    pub fn size_px(&self) -> (f64, f64) {
        match self {
            Chart::Bars(c) => (BARS_W, 40.0 + 24.0 * c.bars.len() as f64 + 10.0),
            Chart::Diverging(c) => (DIV_W, 40.0 + 46.0 * c.rows.len() as f64 + 10.0),
            Chart::Heat(c) => {
                let (w, h) = heat_dims(c);
                (w, h)
            }
        }
    }
}

fn int_cells(row: Vec<Cell>) -> Vec<Cell> {
    row.into_iter()
        .map(|c| match c {
            Cell::Float(v) if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 => {
                Cell::Int(v.round() as i64)
            }
            other => other,
        })
        .collect()
}

const BARS_W: f64 = 720.0;
const DIV_W: f64 = 860.0;

fn bars_svg(c: &BarChart) -> String {
    let (w, h) = Chart::Bars(c.clone()).size_px();
    let label_w = 250.0;
    let area = w - label_w - 70.0;
    let max = c
        .bars
        .iter()
        .map(|b| finite(b.value))
        .fold(0.0, f64::max)
        .max(1e-9);
    let mut s = open(w, h, &c.title);
    for (i, b) in c.bars.iter().enumerate() {
        let y = 40.0 + 24.0 * i as f64;
        let bw = area * finite(b.value) / max;
        s.push_str(&text(
            label_w - 8.0,
            y + 14.0,
            "end",
            12,
            &b.label,
            label_w - 16.0,
            "",
        ));
        s.push_str(&format!(
            "<rect x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"18\" fill=\"{}\"/>",
            y + 1.0,
            safe_color(&b.color)
        ));
        s.push_str(&text(
            label_w + bw + 6.0,
            y + 14.0,
            "start",
            12,
            &fmt_num(b.value),
            60.0,
            "",
        ));
    }
    s.push_str("</svg>");
    s
}

fn diverging_svg(c: &DivergingChart) -> String {
    let (w, h) = Chart::Diverging(c.clone()).size_px();
    let _ = h;
    let centre = w / 2.0;
    let half = 130.0;
    let max = c
        .rows
        .iter()
        .flat_map(|r| [finite(r.left_value), finite(r.right_value)])
        .fold(0.0, f64::max)
        .max(1e-9);
    let mut s = open(w, h, &c.title);
    for (i, r) in c.rows.iter().enumerate() {
        let y = 40.0 + 46.0 * i as f64;
        s.push_str(&text(
            centre,
            y + 13.0,
            "middle",
            12,
            &r.label,
            w - 20.0,
            " font-weight=\"bold\"",
        ));
        let lw = half * finite(r.left_value) / max;
        let rw = half * finite(r.right_value) / max;
        let by = y + 19.0;
        s.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{by:.1}\" width=\"{lw:.1}\" height=\"18\" fill=\"{}\"/>",
            centre - lw,
            safe_color(&r.left_color)
        ));
        s.push_str(&format!(
            "<rect x=\"{centre:.1}\" y=\"{by:.1}\" width=\"{rw:.1}\" height=\"18\" fill=\"{}\"/>",
            safe_color(&r.right_color)
        ));
        s.push_str(&format!(
            "<line x1=\"{centre:.1}\" y1=\"{:.1}\" x2=\"{centre:.1}\" y2=\"{:.1}\" stroke=\"#333333\" stroke-width=\"1\"/>",
            by - 2.0,
            by + 20.0
        ));
        let left = format!("{} ({})", r.left_label, fmt_num(r.left_value));
        let right = format!("({}) {}", fmt_num(r.right_value), r.right_label);
        s.push_str(&text(
            centre - lw - 6.0,
            by + 13.0,
            "end",
            11,
            &left,
            centre - lw - 16.0,
            "",
        ));
        s.push_str(&text(
            centre + rw + 6.0,
            by + 13.0,
            "start",
            11,
            &right,
            w - centre - rw - 16.0,
            "",
        ));
    }
    s.push_str("</svg>");
    s
}

const HEAT_LABEL_W: f64 = 220.0;
const HEAT_TOP: f64 = 130.0;
const CELL_W: f64 = 44.0;
const CELL_H: f64 = 24.0;

fn heat_dims(c: &HeatMap) -> (f64, f64) {
    (
        // Room on the right for the last rotated column label.
        (HEAT_LABEL_W + CELL_W * c.column_labels.len() as f64 + 110.0).max(300.0),
        HEAT_TOP + CELL_H * c.row_labels.len() as f64 + 10.0,
    )
}

fn heat_svg(c: &HeatMap) -> String {
    let (w, h) = heat_dims(c);
    let max = c
        .values
        .iter()
        .flatten()
        .map(|v| finite(*v))
        .fold(0.0, f64::max)
        .max(1e-9);
    let color = safe_color(&c.color);
    let mut s = open(w, h, &c.title);
    for (j, label) in c.column_labels.iter().enumerate() {
        let x = HEAT_LABEL_W + CELL_W * j as f64 + CELL_W / 2.0;
        let y = HEAT_TOP - 6.0;
        s.push_str(&text(
            x,
            y,
            "start",
            11,
            label,
            130.0,
            &format!(" transform=\"rotate(-50 {x:.1} {y:.1})\""),
        ));
    }
    for (i, label) in c.row_labels.iter().enumerate() {
        let y = HEAT_TOP + CELL_H * i as f64;
        s.push_str(&text(
            HEAT_LABEL_W - 8.0,
            y + 16.0,
            "end",
            11,
            label,
            HEAT_LABEL_W - 16.0,
            "",
        ));
        for j in 0..c.column_labels.len() {
            let v = c
                .values
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(0.0);
            let x = HEAT_LABEL_W + CELL_W * j as f64;
            let opacity = finite(v) / max;
            s.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{CELL_W}\" height=\"{CELL_H}\" fill=\"{color}\" fill-opacity=\"{opacity:.3}\" stroke=\"#dddddd\"/>"
            ));
            let ink = if opacity > 0.6 {
                " fill=\"#ffffff\""
            } else {
                ""
            };
            s.push_str(&text(
                x + CELL_W / 2.0,
                y + 16.0,
                "middle",
                11,
                &fmt_num(v),
                CELL_W,
                ink,
            ));
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    // hostile labels and colours stay inert in the SVG
    #[test]
    fn labels_are_escaped_and_colours_checked() {
        let chart = Chart::Bars(BarChart {
            title: "<script>alert(1)</script>".into(),
            bars: vec![Bar {
                label: "a & b".into(),
                value: 3.0,
                color: "red\" onload=\"x".into(),
            }],
        });
        let svg = chart.to_svg();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("a &amp; b"));
        assert!(!svg.contains("onload"));
        assert!(svg.contains("fill=\"#888888\""));
    }
}
