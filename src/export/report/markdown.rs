//! Markdown (CommonMark with pipe tables). Every text is escaped: `<`, `>` and `&` become
//! entities, so no excerpt can turn into live HTML in a Markdown viewer, and Markdown's own
//! marks are backslash-escaped. Charts are given as tables of their data.

use super::model::{Report, ReportExcerpt};
use super::xml::clean;
use crate::analysis::Table;

/// Escapes one line of text for Markdown (inline).
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    // A line starting like a list item or a heading would change meaning.
    let trimmed = out.trim_start();
    let lead = out.len() - trimmed.len();
    if trimmed.starts_with(['-', '+', '=']) {
        out.insert(lead, '\\');
    } else if let Some(dot) = trimmed.find(['.', ')'])
        && dot > 0
        && trimmed[..dot].chars().all(|c| c.is_ascii_digit())
    {
        out.insert(lead + dot, '\\');
    }
    out
}

/// Escapes multi-line text: each line escaped, lines joined by hard breaks (`\` at the end).
fn escape_block(text: &str, prefix: &str) -> String {
    let lines: Vec<String> = clean(text)
        .trim_end_matches('\n')
        .split('\n')
        .map(|l| format!("{prefix}{}", escape_inline(l)))
        .collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if i + 1 < lines.len() {
            if line.trim_end() == prefix.trim_end() {
                out.push('\n');
            } else {
                out.push_str("\\\n");
            }
        }
    }
    out
}

/// Renders a table as a pipe table (title in bold above, notes in italics below).
pub fn table_md(table: &Table) -> String {
    let mut s = String::new();
    if !table.title.is_empty() {
        s.push_str(&format!("**{}**\n\n", escape_inline(&table.title)));
    }
    let cols = table
        .columns
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let header: Vec<String> = (0..cols)
        .map(|i| {
            table
                .columns
                .get(i)
                .map(|c| escape_inline(c))
                .unwrap_or_default()
        })
        .collect();
    s.push_str(&format!("| {} |\n", header.join(" | ")));
    s.push_str(&format!("|{}\n", " --- |".repeat(cols)));
    for row in &table.rows {
        let cells: Vec<String> = (0..cols)
            .map(|i| {
                row.get(i)
                    .map(|c| escape_inline(&c.display()))
                    .unwrap_or_default()
            })
            .collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s.push('\n');
    for n in &table.notes {
        s.push_str(&format!("*{}*\n\n", escape_inline(n)));
    }
    s
}

fn excerpt_md(e: &ReportExcerpt, report: &Report, s: &mut String) {
    let labels = report.lang.labels();
    s.push_str(&escape_block(&e.text, "> "));
    s.push_str("\n\n");
    let mut parts: Vec<String> = e
        .caption(report.lang)
        .iter()
        .map(|(k, v)| format!("*{}*{}{}", escape_inline(k), labels.colon, escape_inline(v)))
        .collect();
    if e.consent_pending {
        parts.push(format!("**{}**", escape_inline(labels.consent_pending)));
    }
    s.push_str(&parts.join(" · "));
    s.push_str("\n\n");
    for memo in &e.memos {
        s.push_str(&format!(
            "**{}**{}{}\n\n",
            escape_inline(labels.memo),
            labels.colon,
            escape_block(memo, "")
        ));
    }
}

/// Renders a whole report as Markdown.
pub fn render(report: &Report) -> String {
    let labels = report.lang.labels();
    let mut s = String::with_capacity(64 * 1024);
    s.push_str(&format!("# {}\n\n", escape_inline(&report.title)));
    s.push_str(&format!(
        "{} · {} {}\n\n",
        escape_inline(&report.project_name),
        escape_inline(labels.generated_on),
        escape_inline(&report.generated_at_display)
    ));
    s.push_str(&format!("## {}\n\n", escape_inline(labels.overview)));
    for n in &report.notices {
        s.push_str(&format!("- {}\n", escape_inline(n)));
    }
    s.push('\n');
    s.push_str(&table_md(&report.overview));
    s.push_str(&format!("## {}\n\n", escape_inline(labels.excerpts)));
    for sec in &report.sections {
        s.push_str(&format!("### {}\n\n", escape_inline(&sec.title)));
        if !sec.description.is_empty() {
            s.push_str(&format!("*{}*\n\n", escape_block(&sec.description, "")));
        }
        for g in &sec.groups {
            s.push_str(&format!("#### {}\n\n", escape_inline(&g.title)));
            if !g.description.is_empty() {
                s.push_str(&format!("*{}*\n\n", escape_block(&g.description, "")));
            }
            s.push_str(&format!(
                "{}\n\n",
                escape_inline(&g.count_line(report.lang))
            ));
            if g.excerpts.is_empty() {
                s.push_str(&format!("*{}*\n\n", escape_inline(labels.no_excerpt)));
            }
            for e in &g.excerpts {
                excerpt_md(e, report, &mut s);
            }
        }
    }
    if !report.codebook.is_empty() {
        s.push_str(&format!("## {}\n\n", escape_inline(labels.codebook)));
        for c in &report.codebook {
            let indent = "  ".repeat(c.depth);
            s.push_str(&format!(
                "{indent}- **{}** ({}, {} {})",
                escape_inline(&c.name),
                escape_inline(labels.kind_name(c.kind)),
                c.excerpts,
                escape_inline(&labels.excerpts_count.to_lowercase())
            ));
            if !c.description.is_empty() {
                s.push_str(&format!(
                    "{}{}",
                    labels.colon,
                    escape_inline(&c.description)
                ));
            }
            for m in &c.memos {
                s.push_str(&format!(
                    " — *{}*{}{}",
                    escape_inline(labels.memo),
                    labels.colon,
                    escape_inline(m)
                ));
            }
            s.push('\n');
        }
        s.push('\n');
    }
    if !report.tables.is_empty() {
        s.push_str(&format!("## {}\n\n", escape_inline(labels.tables)));
        for t in &report.tables {
            s.push_str(&table_md(t));
        }
    }
    if !report.charts.is_empty() {
        s.push_str(&format!("## {}\n\n", escape_inline(labels.charts)));
        for c in &report.charts {
            s.push_str(&table_md(&c.to_table(labels.value)));
        }
    }
    if !report.appendix.is_empty() {
        s.push_str(&format!(
            "## {}\n\n{}\n\n",
            escape_inline(labels.appendix_offsets),
            escape_inline(labels.appendix_offsets_note)
        ));
        for t in &report.appendix {
            s.push_str(&table_md(t));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    // hostile text stays text in Markdown
    #[test]
    fn escapes_html_and_markdown_marks() {
        assert_eq!(
            escape_inline("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape_inline("*gras* [lien](x) | a"),
            "\\*gras\\* \\[lien\\](x) \\| a"
        );
        assert_eq!(escape_inline("- pas une liste"), "\\- pas une liste");
        assert_eq!(escape_inline("12. pas une liste"), "12\\. pas une liste");
        assert_eq!(escape_inline("=HYPERLINK(\"x\")"), "\\=HYPERLINK(\"x\")");
    }
}
