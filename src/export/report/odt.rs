//! ODT (OpenDocument Text 1.3), the French public sector's reference format: `mimetype`
//! first and stored, `META-INF/manifest.xml`, `content.xml`, `styles.xml` (Heading 1–3,
//! Quotations, Table Contents…, an A4 page), `meta.xml`, and charts as SVG pictures.
//! Excerpts use the Quotations style, each with its code's colour as a left border.

use std::collections::BTreeMap;

use super::ReportError;
use super::model::{Report, ReportExcerpt};
use super::xml::{clean, escape, safe_color};
use crate::analysis::{Cell, Table};

const NS: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
    xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
    xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
    xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
    xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" \
    xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
    xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
    xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" \
    xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"";

/// Text for ODF content: escaped; runs of spaces as `<text:s/>`, tabs as `<text:tab/>`,
/// line breaks as `<text:line-break/>` (ODF collapses white space otherwise).
pub fn odf_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut spaces = 0usize;
    let flush = |out: &mut String, spaces: &mut usize, at_start: bool| {
        if *spaces == 0 {
            return;
        }
        let (literal, extra) = if at_start {
            (0, *spaces)
        } else {
            (1, *spaces - 1)
        };
        if literal == 1 {
            out.push(' ');
        }
        match extra {
            0 => {}
            1 => out.push_str("<text:s/>"),
            n => out.push_str(&format!("<text:s text:c=\"{n}\"/>")),
        }
        *spaces = 0;
    };
    let mut at_start = true;
    for c in clean(text.trim_end_matches('\n')).chars() {
        match c {
            ' ' => spaces += 1,
            '\t' | '\n' => {
                flush(&mut out, &mut spaces, at_start);
                out.push_str(if c == '\t' {
                    "<text:tab/>"
                } else {
                    "<text:line-break/>"
                });
                at_start = c == '\n';
            }
            c => {
                flush(&mut out, &mut spaces, at_start);
                out.push_str(&escape(&c.to_string()));
                at_start = false;
            }
        }
    }
    flush(&mut out, &mut spaces, at_start);
    out
}

fn p(style: &str, inner: &str) -> String {
    format!("<text:p text:style-name=\"{style}\">{inner}</text:p>")
}

fn h(level: u8, inner: &str) -> String {
    format!(
        "<text:h text:style-name=\"Heading_20_{level}\" text:outline-level=\"{level}\">{inner}</text:h>"
    )
}

fn bold(text: &str) -> String {
    format!(
        "<text:span text:style-name=\"Tb\">{}</text:span>",
        odf_text(text)
    )
}

/// Automatic styles made on the way: one per code colour.
#[derive(Default)]
struct Colours {
    names: BTreeMap<String, usize>,
}

impl Colours {
    fn id(&mut self, color: &str) -> usize {
        let c = safe_color(color);
        let n = self.names.len() + 1;
        *self.names.entry(c).or_insert(n)
    }
    fn swatch(&mut self, color: &str) -> String {
        format!(
            "<text:span text:style-name=\"Tc{}\">■ </text:span>",
            self.id(color)
        )
    }
    fn styles(&self) -> String {
        let mut s = String::new();
        for (color, n) in &self.names {
            s.push_str(&format!(
                "<style:style style:name=\"Tc{n}\" style:family=\"text\"><style:text-properties fo:color=\"{color}\"/></style:style>\
                 <style:style style:name=\"Pq{n}\" style:family=\"paragraph\" style:parent-style-name=\"Quotations\">\
                 <style:paragraph-properties fo:border-left=\"2.5pt solid {color}\" fo:padding-left=\"0.25cm\"/></style:style>"
            ));
        }
        s
    }
}

/// A table; its column styles go to `styles` (automatic styles).
fn table_xml(table: &Table, n: usize, out: &mut String, styles: &mut String) {
    if !table.title.is_empty() {
        out.push_str(&p("Table_20_caption", &odf_text(&table.title)));
    }
    let cols = table
        .columns
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    out.push_str(&format!(
        "<table:table table:name=\"Table{n}\" table:style-name=\"Tbl\">"
    ));
    for (i, share) in super::column_shares(table, cols).iter().enumerate() {
        styles.push_str(&format!(
            "<style:style style:name=\"Tbl{n}C{i}\" style:family=\"table-column\"><style:table-column-properties \
             style:column-width=\"{:.2}cm\" style:rel-column-width=\"{}*\"/></style:style>",
            17.0 * share,
            (65535.0 * share) as u32
        ));
        out.push_str(&format!(
            "<table:table-column table:style-name=\"Tbl{n}C{i}\"/>"
        ));
    }
    out.push_str("<table:table-header-rows><table:table-row>");
    for i in 0..cols {
        out.push_str(&format!(
            "<table:table-cell table:style-name=\"TblHead\" office:value-type=\"string\">{}</table:table-cell>",
            p("Table_20_Heading", &odf_text(table.columns.get(i).map(String::as_str).unwrap_or("")))
        ));
    }
    out.push_str("</table:table-row></table:table-header-rows>");
    for row in &table.rows {
        out.push_str("<table:table-row>");
        for i in 0..cols {
            let cell = row.get(i).cloned().unwrap_or(Cell::Empty);
            let (value, style) = match &cell {
                Cell::Int(v) => (
                    format!(" office:value-type=\"float\" office:value=\"{v}\""),
                    "Pnum",
                ),
                Cell::Float(v) if v.is_finite() => (
                    format!(" office:value-type=\"float\" office:value=\"{v}\""),
                    "Pnum",
                ),
                Cell::Percent(v) if v.is_finite() => (
                    format!(
                        " office:value-type=\"percentage\" office:value=\"{}\"",
                        v / 100.0
                    ),
                    "Pnum",
                ),
                _ => (
                    " office:value-type=\"string\"".to_string(),
                    "Table_20_Contents",
                ),
            };
            out.push_str(&format!(
                "<table:table-cell table:style-name=\"TblCell\"{value}>{}</table:table-cell>",
                p(style, &odf_text(&cell.display()))
            ));
        }
        out.push_str("</table:table-row>");
    }
    out.push_str("</table:table>");
    for note in &table.notes {
        out.push_str(&p("Note", &odf_text(note)));
    }
}

fn excerpt_xml(
    e: &ReportExcerpt,
    color: &str,
    report: &Report,
    colours: &mut Colours,
    out: &mut String,
) {
    let labels = report.lang.labels();
    out.push_str(&p(&format!("Pq{}", colours.id(color)), &odf_text(&e.text)));
    let mut meta: Vec<String> = e
        .caption(report.lang)
        .iter()
        .map(|(k, v)| format!("{}{}", bold(&format!("{k}{}", labels.colon)), odf_text(v)))
        .collect();
    if e.consent_pending {
        meta.push(format!(
            "<text:span text:style-name=\"Tpending\">{}</text:span>",
            odf_text(labels.consent_pending)
        ));
    }
    out.push_str(&p("Excerpt_20_meta", &meta.join(" · ")));
    for memo in &e.memos {
        out.push_str(&p(
            "Memo",
            &format!(
                "{}{}",
                bold(&format!("{}{}", labels.memo, labels.colon)),
                odf_text(memo)
            ),
        ));
    }
}

fn content_xml(report: &Report) -> (String, Vec<(String, String)>) {
    let labels = report.lang.labels();
    let mut colours = Colours::default();
    let mut pictures = Vec::new();
    let mut b = String::with_capacity(128 * 1024);
    let mut tables = 0;
    let mut column_styles = String::new();
    b.push_str(&p("Title", &odf_text(&report.title)));
    b.push_str(&p(
        "Subtitle",
        &odf_text(&format!(
            "{} · {} {}",
            report.project_name, labels.generated_on, report.generated_at_display
        )),
    ));
    b.push_str(&h(1, &odf_text(labels.overview)));
    for n in &report.notices {
        b.push_str(&p("Text_20_body", &odf_text(&format!("• {n}"))));
    }
    tables += 1;
    table_xml(&report.overview, tables, &mut b, &mut column_styles);
    b.push_str(&h(1, &odf_text(labels.excerpts)));
    for sec in &report.sections {
        b.push_str(&h(
            2,
            &format!("{}{}", colours.swatch(&sec.color), odf_text(&sec.title)),
        ));
        if !sec.description.is_empty() {
            b.push_str(&p("Description", &odf_text(&sec.description)));
        }
        for g in &sec.groups {
            b.push_str(&h(
                3,
                &format!("{}{}", colours.swatch(&g.color), odf_text(&g.title)),
            ));
            if !g.description.is_empty() {
                b.push_str(&p("Description", &odf_text(&g.description)));
            }
            b.push_str(&p("Group_20_count", &odf_text(&g.count_line(report.lang))));
            if g.excerpts.is_empty() {
                b.push_str(&p("Note", &odf_text(labels.no_excerpt)));
            }
            for e in &g.excerpts {
                excerpt_xml(e, &g.color, report, &mut colours, &mut b);
            }
        }
    }
    if !report.codebook.is_empty() {
        b.push_str(&h(1, &odf_text(labels.codebook)));
        for c in &report.codebook {
            let depth = c.depth.min(6);
            let line = format!(
                "{}{} {}",
                colours.swatch(&c.color),
                bold(&c.name),
                odf_text(&format!(
                    "({}, {} {})",
                    labels.kind_name(c.kind),
                    c.excerpts,
                    labels.excerpts_count.to_lowercase()
                ))
            );
            b.push_str(&p(&format!("Pind{depth}"), &line));
            if !c.description.is_empty() {
                b.push_str(&p(&format!("Pdesc{depth}"), &odf_text(&c.description)));
            }
            for m in &c.memos {
                b.push_str(&p(
                    "Memo",
                    &format!(
                        "{}{}",
                        bold(&format!("{}{}", labels.memo, labels.colon)),
                        odf_text(m)
                    ),
                ));
            }
        }
    }
    if !report.tables.is_empty() {
        b.push_str(&h(1, &odf_text(labels.tables)));
        for t in &report.tables {
            tables += 1;
            table_xml(t, tables, &mut b, &mut column_styles);
        }
    }
    if !report.charts.is_empty() {
        b.push_str(&h(1, &odf_text(labels.charts)));
        for (i, c) in report.charts.iter().enumerate() {
            let name = format!("Pictures/chart{}.svg", i + 1);
            let (w_px, h_px) = c.size_px();
            let w_cm = (w_px * 2.54 / 96.0).min(17.0);
            let h_cm = w_cm * h_px / w_px.max(1.0);
            b.push_str(&p(
                "Chart",
                &format!(
                    "<draw:frame draw:name=\"chart{n}\" text:anchor-type=\"as-char\" svg:width=\"{w_cm:.2}cm\" svg:height=\"{h_cm:.2}cm\" draw:z-index=\"0\">\
                     <draw:image xlink:href=\"{name}\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\" draw:mime-type=\"image/svg+xml\"/>\
                     <svg:title>{}</svg:title></draw:frame>",
                    escape(c.title()),
                    n = i + 1
                ),
            ));
            pictures.push((name, c.to_svg()));
        }
    }
    let mut auto = String::from(
        "<style:style style:name=\"Tbl\" style:family=\"table\"><style:table-properties style:width=\"17cm\" table:align=\"margins\" fo:margin-top=\"0.1cm\" fo:margin-bottom=\"0.3cm\"/></style:style>\
         <style:style style:name=\"TblCell\" style:family=\"table-cell\"><style:table-cell-properties fo:padding=\"0.08cm\" fo:border=\"0.5pt solid #a0a8b0\"/></style:style>\
         <style:style style:name=\"TblHead\" style:family=\"table-cell\"><style:table-cell-properties fo:padding=\"0.08cm\" fo:border=\"0.5pt solid #a0a8b0\" fo:background-color=\"#eef0f2\"/></style:style>\
         <style:style style:name=\"Pnum\" style:family=\"paragraph\" style:parent-style-name=\"Table_20_Contents\"><style:paragraph-properties fo:text-align=\"end\"/></style:style>\
         <style:style style:name=\"Tb\" style:family=\"text\"><style:text-properties fo:font-weight=\"bold\"/></style:style>\
         <style:style style:name=\"Tpending\" style:family=\"text\"><style:text-properties fo:font-weight=\"bold\" fo:color=\"#8a4b00\"/></style:style>\
         <style:style style:name=\"Chart\" style:family=\"paragraph\" style:parent-style-name=\"Standard\"><style:paragraph-properties fo:text-align=\"center\" fo:margin-bottom=\"0.4cm\"/></style:style>",
    );
    for depth in 0..=6 {
        auto.push_str(&format!(
            "<style:style style:name=\"Pind{depth}\" style:family=\"paragraph\" style:parent-style-name=\"Codebook_20_entry\"><style:paragraph-properties fo:margin-left=\"{:.2}cm\"/></style:style>\
             <style:style style:name=\"Pdesc{depth}\" style:family=\"paragraph\" style:parent-style-name=\"Description\"><style:paragraph-properties fo:margin-left=\"{:.2}cm\"/></style:style>",
            0.6 * depth as f64,
            0.6 * depth as f64 + 0.6
        ));
    }
    auto.push_str(&colours.styles());
    auto.push_str(&column_styles);
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {NS} office:version=\"1.3\">\
         <office:automatic-styles>{auto}</office:automatic-styles><office:body><office:text>{b}</office:text></office:body></office:document-content>"
    );
    (xml, pictures)
}

fn styles_xml(report: &Report) -> String {
    let (language, country) = if report.lang == super::Lang::Fr {
        ("fr", "FR")
    } else {
        ("en", "GB")
    };
    let para = |name: &str,
                display: &str,
                parent: &str,
                extra_attrs: &str,
                ppr: &str,
                tpr: &str| {
        format!(
            "<style:style style:name=\"{name}\" style:display-name=\"{display}\" style:family=\"paragraph\" style:parent-style-name=\"{parent}\"{extra_attrs}>\
             <style:paragraph-properties {ppr}/><style:text-properties {tpr}/></style:style>"
        )
    };
    let heading = |level: u8, size: &str, top: &str| {
        para(
            &format!("Heading_20_{level}"),
            &format!("Heading {level}"),
            "Heading",
            &format!(
                " style:next-style-name=\"Text_20_body\" style:default-outline-level=\"{level}\" style:class=\"text\""
            ),
            &format!(
                "fo:margin-top=\"{top}\" fo:margin-bottom=\"0.2cm\" fo:keep-with-next=\"always\""
            ),
            &format!("fo:font-size=\"{size}\" fo:font-weight=\"bold\" fo:color=\"#1d2329\""),
        )
    };
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {NS} office:version=\"1.3\">\
         <office:font-face-decls><style:font-face style:name=\"Liberation Sans\" svg:font-family=\"&apos;Liberation Sans&apos;\" \
         style:font-family-generic=\"swiss\" style:font-pitch=\"variable\"/></office:font-face-decls><office:styles>\
         <style:default-style style:family=\"paragraph\"><style:paragraph-properties fo:hyphenation-ladder-count=\"no-limit\"/>\
         <style:text-properties style:font-name=\"Liberation Sans\" fo:font-size=\"10.5pt\" fo:language=\"{language}\" fo:country=\"{country}\"/></style:default-style>\
         <style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\"/>"
    );
    s.push_str(&para(
        "Text_20_body",
        "Text body",
        "Standard",
        " style:class=\"text\"",
        "fo:margin-top=\"0cm\" fo:margin-bottom=\"0.2cm\" fo:line-height=\"115%\"",
        "",
    ));
    s.push_str(&para(
        "Heading",
        "Heading",
        "Standard",
        " style:next-style-name=\"Text_20_body\" style:class=\"text\"",
        "fo:margin-top=\"0.42cm\" fo:margin-bottom=\"0.21cm\" fo:keep-with-next=\"always\"",
        "fo:font-size=\"14pt\"",
    ));
    s.push_str(&heading(1, "16pt", "0.8cm"));
    s.push_str(&heading(2, "14pt", "0.6cm"));
    s.push_str(&heading(3, "12pt", "0.4cm"));
    s.push_str(&para(
        "Title",
        "Title",
        "Heading",
        " style:class=\"chapter\"",
        "fo:margin-bottom=\"0.1cm\"",
        "fo:font-size=\"22pt\" fo:font-weight=\"bold\"",
    ));
    s.push_str(&para(
        "Subtitle",
        "Subtitle",
        "Standard",
        " style:class=\"chapter\"",
        "fo:margin-bottom=\"0.6cm\"",
        "fo:font-size=\"11pt\" fo:color=\"#5b6770\"",
    ));
    s.push_str(&para(
        "Quotations",
        "Quotations",
        "Standard",
        " style:class=\"html\"",
        "fo:margin-left=\"1cm\" fo:margin-right=\"1cm\" fo:margin-top=\"0.25cm\" fo:margin-bottom=\"0.05cm\" fo:background-color=\"#f6f7f8\" fo:padding=\"0.15cm\" fo:border-left=\"2.5pt solid #888888\" fo:keep-with-next=\"always\" fo:line-height=\"115%\"",
        "fo:font-style=\"italic\"",
    ));
    s.push_str(&para(
        "Excerpt_20_meta",
        "Excerpt metadata",
        "Standard",
        "",
        "fo:margin-left=\"1cm\" fo:margin-bottom=\"0.15cm\"",
        "fo:font-size=\"9pt\" fo:color=\"#5b6770\"",
    ));
    s.push_str(&para(
        "Memo",
        "Memo",
        "Standard",
        "",
        "fo:margin-left=\"1.5cm\" fo:margin-right=\"1cm\" fo:margin-bottom=\"0.2cm\" fo:border-left=\"0.75pt dashed #5b6770\" fo:padding-left=\"0.2cm\"",
        "fo:font-size=\"9.5pt\" fo:color=\"#3a4650\"",
    ));
    s.push_str(&para(
        "Description",
        "Code description",
        "Standard",
        "",
        "fo:margin-bottom=\"0.15cm\"",
        "fo:font-style=\"italic\" fo:color=\"#5b6770\"",
    ));
    s.push_str(&para(
        "Note",
        "Note",
        "Standard",
        "",
        "fo:margin-bottom=\"0.15cm\"",
        "fo:font-size=\"9pt\" fo:color=\"#5b6770\"",
    ));
    s.push_str(&para(
        "Group_20_count",
        "Group count",
        "Standard",
        "",
        "fo:margin-bottom=\"0.15cm\" fo:keep-with-next=\"always\"",
        "fo:font-size=\"9pt\" fo:color=\"#5b6770\"",
    ));
    s.push_str(&para(
        "Codebook_20_entry",
        "Codebook entry",
        "Standard",
        "",
        "fo:margin-bottom=\"0.05cm\" fo:keep-with-next=\"always\"",
        "",
    ));
    s.push_str(&para(
        "Table_20_Contents",
        "Table Contents",
        "Standard",
        " style:class=\"extra\"",
        "fo:margin-bottom=\"0cm\"",
        "fo:font-size=\"9.5pt\"",
    ));
    s.push_str(&para(
        "Table_20_Heading",
        "Table Heading",
        "Table_20_Contents",
        " style:class=\"extra\"",
        "fo:margin-bottom=\"0cm\"",
        "fo:font-weight=\"bold\" fo:font-size=\"9.5pt\"",
    ));
    s.push_str(&para(
        "Table_20_caption",
        "Table caption",
        "Standard",
        "",
        "fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.1cm\" fo:keep-with-next=\"always\"",
        "fo:font-weight=\"bold\"",
    ));
    s.push_str(
        "</office:styles><office:automatic-styles><style:page-layout style:name=\"pm1\"><style:page-layout-properties \
         fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" style:print-orientation=\"portrait\" fo:margin-top=\"2cm\" \
         fo:margin-bottom=\"2cm\" fo:margin-left=\"2cm\" fo:margin-right=\"2cm\"/></style:page-layout></office:automatic-styles>\
         <office:master-styles><style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\"/></office:master-styles></office:document-styles>",
    );
    s
}

fn meta_xml(report: &Report) -> String {
    let language = if report.lang == super::Lang::Fr {
        "fr-FR"
    } else {
        "en-GB"
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {NS} office:version=\"1.3\"><office:meta>\
         <meta:generator>Fouille</meta:generator><dc:title>{}</dc:title><dc:subject>{}</dc:subject>\
         <meta:initial-creator>{}</meta:initial-creator><dc:creator>{}</dc:creator>\
         <meta:creation-date>{}</meta:creation-date><dc:date>{}</dc:date><dc:language>{language}</dc:language>\
         </office:meta></office:document-meta>",
        escape(&report.title),
        escape(&report.project_name),
        escape(&report.author),
        escape(&report.author),
        escape(&report.generated_at),
        escape(&report.generated_at)
    )
}

/// Renders a report as an ODT package.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let (content, pictures) = content_xml(report);
    let mut manifest = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
         <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>",
    );
    for (name, _) in &pictures {
        manifest.push_str(&format!("<manifest:file-entry manifest:full-path=\"{name}\" manifest:media-type=\"image/svg+xml\"/>"));
    }
    manifest.push_str("</manifest:manifest>");
    let mut entries = vec![
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.text".to_vec(),
            true,
        ),
        ("META-INF/manifest.xml", manifest.into_bytes(), false),
        ("content.xml", content.into_bytes(), false),
        ("styles.xml", styles_xml(report).into_bytes(), false),
        ("meta.xml", meta_xml(report).into_bytes(), false),
    ];
    for (name, svg) in &pictures {
        entries.push((name.as_str(), svg.clone().into_bytes(), false));
    }
    super::zip_package(&entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    // ODF white space is kept, markup escaped
    #[test]
    fn odf_text_keeps_spaces_tabs_and_breaks() {
        assert_eq!(
            odf_text("a  b\tc\n d <x>"),
            "a <text:s/>b<text:tab/>c<text:line-break/><text:s/>d &lt;x&gt;"
        );
        assert_eq!(odf_text("x   y"), "x <text:s text:c=\"2\"/>y");
    }
}
