//! HTML: one self-contained file (inline CSS and SVG, no script, no external resource),
//! every text escaped, with print CSS (A4 pages, no excerpt split across pages).

use super::model::{Report, ReportExcerpt};
use super::xml::{escape, safe_color};
use crate::analysis::{Cell, Table};

const CSS: &str = r#"
:root { --ink: #1d2329; --muted: #5b6770; --line: #d5dadf; --paper: #ffffff; }
* { box-sizing: border-box; }
body { font-family: "Marianne", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
  background: var(--paper); max-width: 52rem; margin: 2rem auto; padding: 0 1.2rem; line-height: 1.5; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; }
h2 { font-size: 1.45rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.4rem; }
h3 { font-size: 1.2rem; margin-top: 2rem; padding-left: .6rem; border-left: .5rem solid var(--code, #888); }
h4 { font-size: 1.02rem; margin: 1.4rem 0 .3rem; }
.meta, .count, .note { color: var(--muted); font-size: .9rem; }
.description { font-style: italic; color: var(--muted); }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .35em;
  vertical-align: baseline; background: var(--code, #888); }
ul.notices li { margin: .2rem 0; }
nav.toc ol { padding-left: 1.2rem; }
figure.excerpt { margin: .8rem 0 1rem; padding: 0; break-inside: avoid; page-break-inside: avoid; }
figure.excerpt blockquote { margin: 0; padding: .5rem .9rem; border-left: 4px solid var(--code, #888);
  background: #f6f7f8; white-space: normal; }
figure.excerpt figcaption { font-size: .85rem; color: var(--muted); margin-top: .25rem; }
figure.excerpt figcaption b { font-weight: 600; color: var(--ink); }
.pending { color: #8a4b00; font-weight: 600; }
.memo { font-size: .9rem; margin: .3rem 0 0 1rem; padding: .3rem .6rem; border-left: 2px dashed var(--line); }
table { border-collapse: collapse; margin: .8rem 0 1.4rem; width: 100%; font-size: .9rem; break-inside: auto; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; text-align: left; }
th { background: #eef0f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure.chart { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2 { break-before: page; page-break-before: always; }
  h2.first { break-before: auto; page-break-before: auto; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  nav.toc { break-after: page; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Escaped text with line breaks as `<br>`.
fn multiline(text: &str) -> String {
    escape(text.trim_end_matches('\n')).replace('\n', "<br>\n")
}

/// Renders a table (title as caption, notes below).
pub fn table_html(table: &Table) -> String {
    let mut s = String::from("<table>\n");
    if !table.title.is_empty() {
        s.push_str(&format!("<caption>{}</caption>\n", escape(&table.title)));
    }
    s.push_str("<thead><tr>");
    for c in &table.columns {
        s.push_str(&format!("<th scope=\"col\">{}</th>", escape(c)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        s.push_str("<tr>");
        for cell in row {
            let class = if matches!(cell, Cell::Text(_) | Cell::Empty) {
                ""
            } else {
                " class=\"num\""
            };
            s.push_str(&format!("<td{class}>{}</td>", multiline(&cell.display())));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
    for n in &table.notes {
        s.push_str(&format!("<p class=\"note\">{}</p>\n", multiline(n)));
    }
    s
}

fn excerpt_html(e: &ReportExcerpt, report: &Report, out: &mut String) {
    let labels = report.lang.labels();
    out.push_str("<figure class=\"excerpt\">\n<blockquote>");
    out.push_str(&multiline(&e.text));
    out.push_str("</blockquote>\n<figcaption>");
    let parts: Vec<String> = e
        .caption(report.lang)
        .iter()
        .map(|(k, v)| format!("<b>{}</b>{}{}", escape(k), labels.colon, escape(v)))
        .collect();
    out.push_str(&parts.join(" · "));
    if e.consent_pending {
        out.push_str(&format!(
            " · <span class=\"pending\">{}</span>",
            escape(labels.consent_pending)
        ));
    }
    out.push_str("</figcaption>\n");
    for memo in &e.memos {
        out.push_str(&format!(
            "<div class=\"memo\"><b>{}</b>{}{}</div>\n",
            escape(labels.memo),
            labels.colon,
            multiline(memo)
        ));
    }
    out.push_str("</figure>\n");
}

/// Renders a whole report as one HTML document.
pub fn render(report: &Report) -> String {
    let labels = report.lang.labels();
    let mut s = String::with_capacity(64 * 1024);
    s.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Fouille\">\n<meta name=\"author\" content=\"{}\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        report.lang.code(),
        escape(&report.author),
        escape(&report.title)
    ));
    s.push_str(&format!("<header>\n<h1>{}</h1>\n", escape(&report.title)));
    s.push_str(&format!(
        "<p class=\"meta\">{} · {} {}</p>\n</header>\n",
        escape(&report.project_name),
        escape(labels.generated_on),
        escape(&report.generated_at_display)
    ));

    let mut parts: Vec<(&str, &str)> =
        vec![("overview", labels.overview), ("excerpts", labels.excerpts)];
    if !report.codebook.is_empty() {
        parts.push(("codebook", labels.codebook));
    }
    if !report.tables.is_empty() {
        parts.push(("tables", labels.tables));
    }
    if !report.charts.is_empty() {
        parts.push(("charts", labels.charts));
    }
    if !report.appendix.is_empty() {
        parts.push(("appendix", labels.appendix_offsets));
    }
    s.push_str("<nav class=\"toc\"><ol>\n");
    for (id, title) in &parts {
        s.push_str(&format!("<li><a href=\"#{id}\">{}</a>", escape(title)));
        if *id == "excerpts" && !report.sections.is_empty() {
            s.push_str("<ol>");
            for (i, sec) in report.sections.iter().enumerate() {
                s.push_str(&format!(
                    "<li><a href=\"#s{}\">{}</a></li>",
                    i + 1,
                    escape(&sec.title)
                ));
            }
            s.push_str("</ol>");
        }
        s.push_str("</li>\n");
    }
    s.push_str("</ol></nav>\n");

    s.push_str(&format!(
        "<section id=\"overview\">\n<h2 class=\"first\">{}</h2>\n<ul class=\"notices\">\n",
        escape(labels.overview)
    ));
    for n in &report.notices {
        s.push_str(&format!("<li>{}</li>\n", escape(n)));
    }
    s.push_str("</ul>\n");
    s.push_str(&table_html(&report.overview));
    s.push_str("</section>\n");

    s.push_str(&format!(
        "<section id=\"excerpts\">\n<h2>{}</h2>\n",
        escape(labels.excerpts)
    ));
    for (i, sec) in report.sections.iter().enumerate() {
        s.push_str(&format!(
            "<section id=\"s{}\" style=\"--code: {}\">\n<h3>{}</h3>\n",
            i + 1,
            safe_color(&sec.color),
            escape(&sec.title)
        ));
        if !sec.description.is_empty() {
            s.push_str(&format!(
                "<p class=\"description\">{}</p>\n",
                multiline(&sec.description)
            ));
        }
        for g in &sec.groups {
            s.push_str(&format!(
                "<div class=\"group\" style=\"--code: {}\">\n<h4><span class=\"swatch\"></span>{}</h4>\n",
                safe_color(&g.color),
                escape(&g.title)
            ));
            if !g.description.is_empty() {
                s.push_str(&format!(
                    "<p class=\"description\">{}</p>\n",
                    multiline(&g.description)
                ));
            }
            s.push_str(&format!(
                "<p class=\"count\">{}</p>\n",
                escape(&g.count_line(report.lang))
            ));
            if g.excerpts.is_empty() {
                s.push_str(&format!(
                    "<p class=\"note\">{}</p>\n",
                    escape(labels.no_excerpt)
                ));
            }
            for e in &g.excerpts {
                excerpt_html(e, report, &mut s);
            }
            s.push_str("</div>\n");
        }
        s.push_str("</section>\n");
    }
    s.push_str("</section>\n");

    if !report.codebook.is_empty() {
        s.push_str(&format!(
            "<section id=\"codebook\">\n<h2>{}</h2>\n<table>\n<thead><tr>",
            escape(labels.codebook)
        ));
        for h in [
            labels.code,
            labels.kind,
            labels.description,
            labels.excerpts_count,
        ] {
            s.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        for c in &report.codebook {
            s.push_str(&format!(
                "<tr style=\"--code: {}\"><td style=\"padding-left: {:.1}rem\"><span class=\"swatch\"></span>{}</td><td>{}</td><td>{}",
                safe_color(&c.color),
                0.5 + 1.2 * c.depth as f64,
                escape(&c.name),
                escape(labels.kind_name(c.kind)),
                multiline(&c.description)
            ));
            for m in &c.memos {
                s.push_str(&format!(
                    "<div class=\"memo\"><b>{}</b>{}{}</div>",
                    escape(labels.memo),
                    labels.colon,
                    multiline(m)
                ));
            }
            s.push_str(&format!(
                "</td><td class=\"num\">{}</td></tr>\n",
                c.excerpts
            ));
        }
        s.push_str("</tbody></table>\n</section>\n");
    }
    if !report.tables.is_empty() {
        s.push_str(&format!(
            "<section id=\"tables\">\n<h2>{}</h2>\n",
            escape(labels.tables)
        ));
        for t in &report.tables {
            s.push_str(&table_html(t));
        }
        s.push_str("</section>\n");
    }
    if !report.charts.is_empty() {
        s.push_str(&format!(
            "<section id=\"charts\">\n<h2>{}</h2>\n",
            escape(labels.charts)
        ));
        for c in &report.charts {
            s.push_str("<figure class=\"chart\">\n");
            s.push_str(&c.to_svg());
            s.push_str("\n</figure>\n");
        }
        s.push_str("</section>\n");
    }
    if !report.appendix.is_empty() {
        s.push_str(&format!(
            "<section id=\"appendix\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
            escape(labels.appendix_offsets),
            escape(labels.appendix_offsets_note)
        ));
        for t in &report.appendix {
            s.push_str(&table_html(t));
        }
        s.push_str("</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
