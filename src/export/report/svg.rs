//! Charts: small input structs that callers fill (a horizontal bar chart, a diverging bar
//! chart, a heat map), drawn as standalone SVG. Every label is escaped; colours that are not
//! `#rrggbb` become grey. Markdown, which has no images, shows a chart's data as a table
//! ([`Chart::to_table`]); DOCX and ODT embed it as a PNG drawing (see [`super::fonts`]).

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
/// Height of the band at the top of a drawing that holds its title; a drawing without its
/// title (the paged formats put it in the figure's caption) starts below it.
const TITLE_BAND: f64 = 30.0;

fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Width of a label in px, measured with the bundled font the PNG drawings use (browsers
/// and office suites draw it with theirs, DejaVu Sans first, no wider).
fn label_px(label: &str, size: u32, bold: bool) -> f64 {
    super::fonts::text_width_pt(label, f64::from(size), bold)
}

/// The label cut with « … » to fit `width_px`.
fn clip(label: &str, width_px: f64, size: u32, bold: bool) -> String {
    if label_px(label, size, bold) <= width_px {
        return label.to_string();
    }
    let mut kept: Vec<char> = label.chars().collect();
    while !kept.is_empty() {
        kept.pop();
        let shown = format!("{}…", kept.iter().collect::<String>().trim_end());
        if label_px(&shown, size, bold) <= width_px || kept.len() <= 3 {
            return shown;
        }
    }
    "…".to_string()
}

/// Room for the widest of `labels` (at 12 px), between `least` and `most` px.
fn label_room<'a>(labels: impl Iterator<Item = &'a String>, least: f64, most: f64) -> f64 {
    let widest = labels.map(|l| label_px(l, 12, false)).fold(0.0, f64::max);
    (widest + 16.0).clamp(least, most).ceil()
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
    let shown = clip(label, width_px, size, extra.contains("bold"));
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

/// The opening of a drawing: with its title drawn in the top band, or without it (the band
/// cut off by the view box when `cut` is true).
fn open(width: f64, height: f64, title: &str, titled: bool, cut: bool) -> String {
    let top = if !titled && cut { TITLE_BAND } else { 0.0 };
    let drawn = if titled {
        text(
            10.0,
            22.0,
            "start",
            15,
            title,
            width - 20.0,
            " font-weight=\"bold\"",
        )
    } else {
        String::new()
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{h:.0}\" viewBox=\"0 {top:.0} {width:.0} {h:.0}\" {FONT} role=\"img\" aria-label=\"{t}\"><title>{t}</title><rect y=\"{top:.0}\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{drawn}",
        h = height - top,
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
                ..Table::default()
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
                ..Table::default()
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
                ..Table::default()
            },
        }
    }

    /// The chart as a standalone SVG document, its title drawn at the top.
    pub fn to_svg(&self) -> String {
        self.svg(true)
    }

    /// The chart as a standalone SVG document without its title, for documents that give
    /// it in a caption ("Figure 2 — …").
    pub fn to_svg_untitled(&self) -> String {
        self.svg(false)
    }

    fn svg(&self, titled: bool) -> String {
        match self {
            Chart::Bars(c) => bars_svg(c, titled),
            Chart::Diverging(c) => diverging_svg(c, titled),
            Chart::Heat(c) => heat_svg(c, titled),
        }
    }

    /// Width and height of [`Chart::to_svg`]'s drawing, in px.
    pub fn size_px(&self) -> (f64, f64) {
        match self {
            Chart::Bars(c) => (
                bars_label_w(c) + BARS_AREA + 70.0,
                40.0 + 24.0 * c.bars.len() as f64 + 10.0,
            ),
            Chart::Diverging(c) => (DIV_W, 40.0 + 46.0 * c.rows.len() as f64 + 10.0),
            Chart::Heat(c) => heat_dims(c),
        }
    }

    /// Width and height of [`Chart::to_svg_untitled`]'s drawing, in px.
    pub fn untitled_size_px(&self) -> (f64, f64) {
        let (w, h) = self.size_px();
        match self {
            // The heat map's column labels rise into the title's band: it stays.
            Chart::Heat(_) => (w, h),
            _ => (w, h - TITLE_BAND),
        }
    }

    /// A text alternative for readers who cannot see the drawing (screen readers, the
    /// image's description in a document): the title, then every value with its labels;
    /// `colon` is what the report's language puts between a label and its value.
    pub fn alt_text(&self, colon: &str) -> String {
        let values: Vec<String> = match self {
            Chart::Bars(c) => c
                .bars
                .iter()
                .map(|b| format!("{}{colon}{}", b.label, fmt_num(b.value)))
                .collect(),
            Chart::Diverging(c) => c
                .rows
                .iter()
                .map(|r| {
                    format!(
                        "{}{colon}{} {}, {} {}",
                        r.label,
                        r.left_label,
                        fmt_num(r.left_value),
                        r.right_label,
                        fmt_num(r.right_value)
                    )
                })
                .collect(),
            Chart::Heat(c) => c
                .row_labels
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let cells: Vec<String> = c
                        .column_labels
                        .iter()
                        .enumerate()
                        .map(|(j, col)| {
                            let v = c.values.get(i).and_then(|r| r.get(j)).copied();
                            format!("{col} {}", fmt_num(v.unwrap_or(0.0)))
                        })
                        .collect();
                    format!("{row}{colon}{}", cells.join(", "))
                })
                .collect(),
        };
        format!("{}. {}.", self.title(), values.join(" ; "))
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

/// Width of the bars' area (the longest bar).
const BARS_AREA: f64 = 400.0;
const DIV_W: f64 = 780.0;

/// Room left of the bars for their labels: the longest, within bounds.
fn bars_label_w(c: &BarChart) -> f64 {
    label_room(c.bars.iter().map(|b| &b.label), 120.0, 380.0)
}

fn bars_svg(c: &BarChart, titled: bool) -> String {
    let (w, h) = Chart::Bars(c.clone()).size_px();
    let label_w = bars_label_w(c);
    let max = c
        .bars
        .iter()
        .map(|b| finite(b.value))
        .fold(0.0, f64::max)
        .max(1e-9);
    let mut s = open(w, h, &c.title, titled, true);
    for (i, b) in c.bars.iter().enumerate() {
        let y = 40.0 + 24.0 * i as f64;
        let bw = BARS_AREA * finite(b.value) / max;
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

fn diverging_svg(c: &DivergingChart, titled: bool) -> String {
    let (w, h) = Chart::Diverging(c.clone()).size_px();
    let centre = w / 2.0;
    let half = 110.0;
    let max = c
        .rows
        .iter()
        .flat_map(|r| [finite(r.left_value), finite(r.right_value)])
        .fold(0.0, f64::max)
        .max(1e-9);
    let mut s = open(w, h, &c.title, titled, true);
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

const HEAT_TOP: f64 = 130.0;
const CELL_W: f64 = 44.0;
const CELL_H: f64 = 24.0;

/// Room left of the cells for the row labels: the longest, within bounds.
fn heat_label_w(c: &HeatMap) -> f64 {
    label_room(c.row_labels.iter(), 100.0, 340.0)
}

fn heat_dims(c: &HeatMap) -> (f64, f64) {
    (
        // Room on the right for the last rotated column label.
        (heat_label_w(c) + CELL_W * c.column_labels.len() as f64 + 110.0).max(300.0),
        HEAT_TOP + CELL_H * c.row_labels.len() as f64 + 10.0,
    )
}

fn heat_svg(c: &HeatMap, titled: bool) -> String {
    let (w, h) = heat_dims(c);
    let label_w = heat_label_w(c);
    let max = c
        .values
        .iter()
        .flatten()
        .map(|v| finite(*v))
        .fold(0.0, f64::max)
        .max(1e-9);
    let color = safe_color(&c.color);
    let mut s = open(w, h, &c.title, titled, false);
    for (j, label) in c.column_labels.iter().enumerate() {
        let x = label_w + CELL_W * j as f64 + CELL_W / 2.0;
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
            label_w - 8.0,
            y + 16.0,
            "end",
            11,
            label,
            label_w - 16.0,
            "",
        ));
        for j in 0..c.column_labels.len() {
            let v = c
                .values
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(0.0);
            let x = label_w + CELL_W * j as f64;
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
