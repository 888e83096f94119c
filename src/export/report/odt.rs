//! ODT (OpenDocument Text 1.3), the French public sector's reference format: `mimetype`
//! first and stored, `META-INF/manifest.xml`, `content.xml`, `styles.xml` (Heading 1–3,
//! Quotations, Table Contents…, A4 portrait and landscape pages with the page number at
//! their foot), `meta.xml`, and charts as SVG pictures with a PNG for applications that
//! draw no SVG, each with a title and a description.
//!
//! The document opens on its title and a table of contents (a real index, whose entries
//! already refer to the headings' pages); each part starts a new page. Excerpts use the
//! Quotations style, each with its code's colour as a left border. Tables have numbered
//! captions (sequence fields), columns sized from their content (see [`super::layout`]),
//! a repeated header row and rows kept on one page; a part whose tables are too wide for a
//! portrait page is set on landscape pages.

use std::collections::BTreeMap;

use super::ReportError;
use super::figure::{Figure, figure};
use super::layout::{self, TableLayout};
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

/// A heading of the table of contents: its level, text and bookmark.
struct TocEntry {
    level: u8,
    text: String,
    bookmark: String,
}

/// The document being written: its body, the automatic styles made on the way, the
/// headings for the table of contents, the numbers of captions and the pictures.
struct Writer<'a> {
    report: &'a Report,
    body: String,
    styles: String,
    colours: Colours,
    toc: Vec<TocEntry>,
    tables: usize,
    pictures: Pictures,
    figures: usize,
}

impl<'a> Writer<'a> {
    fn new(report: &'a Report) -> Writer<'a> {
        Writer {
            report,
            body: String::with_capacity(256 * 1024),
            styles: String::new(),
            colours: Colours::default(),
            toc: Vec::new(),
            tables: 0,
            pictures: Vec::new(),
            figures: 0,
        }
    }

    /// Starts a part: a level-1 heading on a new page of the given orientation (its style
    /// names the master page, which breaks the page).
    fn part(&mut self, title: &str, landscape: bool) {
        let style = if landscape {
            "H1Landscape"
        } else {
            "H1Portrait"
        };
        self.heading(1, style, &odf_text(title), title);
    }

    /// A heading with a bookmark the table of contents refers to.
    fn heading(&mut self, level: u8, style: &str, inner: &str, text: &str) {
        let bookmark = format!("toc{}", self.toc.len() + 1);
        self.body.push_str(&format!(
            "<text:h text:style-name=\"{style}\" text:outline-level=\"{level}\"><text:bookmark text:name=\"{bookmark}\"/>{inner}</text:h>"
        ));
        self.toc.push(TocEntry {
            level,
            text: text.to_string(),
            bookmark,
        });
    }

    /// A heading with its code's colour swatch.
    fn code_heading(&mut self, level: u8, text: &str, color: &str) {
        let inner = format!("{}{}", self.colours.swatch(color), odf_text(text));
        self.heading(level, &format!("Heading_20_{level}"), &inner, text);
    }

    /// A caption: « Tableau 3 — title », its number a sequence field.
    fn caption(&self, style: &str, word: &str, sequence: &str, n: usize, title: &str) -> String {
        let dash = self.report.lang.labels().caption_dash;
        let title = if title.is_empty() {
            String::new()
        } else {
            odf_text(&format!("{dash}{title}"))
        };
        p(
            style,
            &format!(
                "{} <text:sequence text:ref-name=\"ref{sequence}{n}\" text:name=\"{sequence}\" text:formula=\"ooow:{sequence}+1\" style:num-format=\"1\">{n}</text:sequence>{title}",
                odf_text(word)
            ),
        )
    }

    fn table(&mut self, table: &Table, landscape: bool) {
        self.tables += 1;
        let word = self.report.lang.labels().table_caption;
        let caption = self.caption("Table_20_caption", word, "Table", self.tables, &table.title);
        self.body.push_str(&caption);
        let plan = layout::plan(table, landscape);
        table_xml(table, &plan, self.tables, &mut self.body, &mut self.styles);
        for note in &table.notes {
            self.body.push_str(&p("Note", &odf_text(note)));
        }
    }

    /// A chart: its SVG drawing with a PNG for applications that draw no SVG, its title
    /// and description, then its caption.
    fn figure(&mut self, fig: &Figure) {
        self.figures += 1;
        let n = self.figures;
        let (svg, png) = (
            format!("Pictures/chart{n}.svg"),
            format!("Pictures/chart{n}.png"),
        );
        self.body.push_str(&p(
            "Chart",
            &format!(
                "<draw:frame draw:name=\"chart{n}\" text:anchor-type=\"as-char\" svg:width=\"{:.2}cm\" svg:height=\"{:.2}cm\" draw:z-index=\"0\">\
                 <draw:image xlink:href=\"{svg}\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\" draw:mime-type=\"image/svg+xml\"/>\
                 <draw:image xlink:href=\"{png}\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\" draw:mime-type=\"image/png\"/>\
                 <svg:title>{}</svg:title><svg:desc>{}</svg:desc></draw:frame>",
                fig.width_cm,
                fig.height_cm,
                escape(&fig.title),
                escape(&fig.alt)
            ),
        ));
        let word = self.report.lang.labels().figure_caption;
        let caption = self.caption("Figure_20_caption", word, "Figure", n, &fig.title);
        self.body.push_str(&caption);
        self.pictures
            .push((svg, "image/svg+xml", fig.svg.clone().into_bytes()));
        self.pictures.push((png, "image/png", fig.png.clone()));
    }

    /// The title page: title, subtitle and the table of contents of the headings written,
    /// its entries' page numbers references to the headings' bookmarks (computed by the
    /// word processor as it lays out the pages, before anyone updates the index).
    fn front(&self) -> String {
        let report = self.report;
        let labels = report.lang.labels();
        let mut s = p("Title", &odf_text(&report.title));
        s.push_str(&p(
            "Subtitle",
            &odf_text(&format!(
                "{} · {} {}",
                report.project_name, labels.generated_on, report.generated_at_display
            )),
        ));
        let title = odf_text(labels.contents);
        s.push_str(&format!(
            "<text:table-of-content text:protected=\"true\" text:name=\"toc\"><text:table-of-content-source text:outline-level=\"2\" text:use-index-marks=\"false\">\
             <text:index-title-template text:style-name=\"Contents_20_Heading\">{title}</text:index-title-template>"
        ));
        for level in 1..=2 {
            s.push_str(&format!(
                "<text:table-of-content-entry-template text:outline-level=\"{level}\" text:style-name=\"Contents_20_{level}\">\
                 <text:index-entry-link-start text:style-name=\"Index_20_Link\"/><text:index-entry-text/>\
                 <text:index-entry-tab-stop style:type=\"right\" style:leader-char=\".\"/><text:index-entry-page-number/>\
                 <text:index-entry-link-end/></text:table-of-content-entry-template>"
            ));
        }
        s.push_str(&format!(
            "</text:table-of-content-source><text:index-body><text:index-title text:name=\"toc_Head\">{}</text:index-title>",
            p("Contents_20_Heading", &title)
        ));
        for e in self.toc.iter().filter(|e| e.level <= 2) {
            s.push_str(&p(
                &format!("Contents_20_{}", e.level),
                &format!(
                    "<text:a xlink:type=\"simple\" xlink:href=\"#{b}\" text:style-name=\"Index_20_Link\" text:visited-style-name=\"Index_20_Link\">{}<text:tab/><text:bookmark-ref text:reference-format=\"page\" text:ref-name=\"{b}\"/></text:a>",
                    odf_text(&e.text),
                    b = e.bookmark
                ),
            ));
        }
        s.push_str("</text:index-body></text:table-of-content>");
        s
    }
}

/// A table laid out by `plan`; its table, column and text styles go to `styles`.
fn table_xml(table: &Table, plan: &TableLayout, n: usize, out: &mut String, styles: &mut String) {
    styles.push_str(&format!(
        "<style:style style:name=\"Tbl{n}\" style:family=\"table\"><style:table-properties style:width=\"{:.2}pt\" table:align=\"left\" fo:margin-top=\"0.1cm\" fo:margin-bottom=\"0.2cm\"/></style:style>",
        plan.width_pt()
    ));
    out.push_str(&format!(
        "<table:table table:name=\"Table{n}\" table:style-name=\"Tbl{n}\">"
    ));
    // Absolute widths only: LibreOffice lays out relative widths its own way, breaking the
    // narrow columns.
    for (i, width) in plan.widths_pt.iter().enumerate() {
        styles.push_str(&format!(
            "<style:style style:name=\"Tbl{n}C{i}\" style:family=\"table-column\"><style:table-column-properties \
             style:column-width=\"{width:.2}pt\"/></style:style>"
        ));
        out.push_str(&format!(
            "<table:table-column table:style-name=\"Tbl{n}C{i}\"/>"
        ));
    }
    // Smaller type for a table too wide for its page: a text style around each cell's text.
    let sized = |inner: String| -> String {
        if (plan.font_pt - layout::CELL_PT).abs() > 0.05 {
            format!("<text:span text:style-name=\"Tsz{n}\">{inner}</text:span>")
        } else {
            inner
        }
    };
    if (plan.font_pt - layout::CELL_PT).abs() > 0.05 {
        styles.push_str(&format!(
            "<style:style style:name=\"Tsz{n}\" style:family=\"text\"><style:text-properties fo:font-size=\"{:.1}pt\"/></style:style>",
            plan.font_pt
        ));
    }
    out.push_str("<table:table-header-rows><table:table-row table:style-name=\"TblRow\">");
    for i in 0..plan.widths_pt.len() {
        let header = table.columns.get(i).map(String::as_str).unwrap_or("");
        out.push_str(&format!(
            "<table:table-cell table:style-name=\"TblHead\" office:value-type=\"string\">{}</table:table-cell>",
            p("Table_20_Heading", &sized(odf_text(header)))
        ));
    }
    out.push_str("</table:table-row></table:table-header-rows>");
    for row in &table.rows {
        out.push_str("<table:table-row table:style-name=\"TblRow\">");
        for i in 0..plan.widths_pt.len() {
            let cell = row.get(i).cloned().unwrap_or(Cell::Empty);
            let (value, style) = cell_value(&cell);
            out.push_str(&format!(
                "<table:table-cell table:style-name=\"TblCell\"{value}>{}</table:table-cell>",
                p(style, &sized(odf_text(&layout::bind(&cell.display()))))
            ));
        }
        out.push_str("</table:table-row>");
    }
    out.push_str("</table:table>");
}

/// A cell's typed value attributes and its paragraph style (numbers aligned right).
fn cell_value(cell: &Cell) -> (String, &'static str) {
    match cell {
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
    }
}

fn excerpts_part(w: &mut Writer) {
    let report = w.report;
    let labels = report.lang.labels();
    w.part(labels.excerpts, false);
    for sec in &report.sections {
        w.code_heading(2, &sec.title, &sec.color);
        if !sec.description.is_empty() {
            w.body
                .push_str(&p("Description", &odf_text(&sec.description)));
        }
        for g in &sec.groups {
            w.code_heading(3, &g.title, &g.color);
            if !g.description.is_empty() {
                w.body
                    .push_str(&p("Description", &odf_text(&g.description)));
            }
            w.body
                .push_str(&p("Group_20_count", &odf_text(&g.count_line(report.lang))));
            if g.excerpts.is_empty() {
                w.body.push_str(&p("Note", &odf_text(labels.no_excerpt)));
            }
            for e in &g.excerpts {
                excerpt_xml(e, &g.color, report, &mut w.colours, &mut w.body);
            }
        }
    }
}

fn codebook_part(w: &mut Writer) {
    let report = w.report;
    let labels = report.lang.labels();
    w.part(labels.codebook, false);
    for c in &report.codebook {
        let depth = c.depth.min(6);
        let line = format!(
            "{}{} {}",
            w.colours.swatch(&c.color),
            bold(&c.name),
            odf_text(&format!(
                "({}, {} {})",
                labels.kind_name(c.kind),
                c.excerpts,
                labels.excerpts_count.to_lowercase()
            ))
        );
        w.body.push_str(&p(&format!("Pind{depth}"), &line));
        if !c.description.is_empty() {
            w.body
                .push_str(&p(&format!("Pdesc{depth}"), &odf_text(&c.description)));
        }
        for m in &c.memos {
            let memo = format!(
                "{}{}",
                bold(&format!("{}{}", labels.memo, labels.colon)),
                odf_text(m)
            );
            w.body.push_str(&p("Memo", &memo));
        }
    }
}

/// A part made of tables: on landscape pages when one of them needs it.
fn tables_part(w: &mut Writer, title: &str, intro: Option<&str>, tables: &[Table]) {
    let landscape = tables.iter().any(layout::needs_landscape);
    w.part(title, landscape);
    if let Some(intro) = intro {
        w.body.push_str(&p("Text_20_body", &odf_text(intro)));
    }
    for t in tables {
        w.table(t, landscape);
    }
}

/// The fixed automatic styles of `content.xml`.
const AUTOMATIC_STYLES: &str = "<style:style style:name=\"TblRow\" style:family=\"table-row\"><style:table-row-properties fo:keep-together=\"always\"/></style:style>\
     <style:style style:name=\"TblCell\" style:family=\"table-cell\"><style:table-cell-properties fo:padding-left=\"4.25pt\" fo:padding-right=\"4.25pt\" fo:padding-top=\"1.4pt\" fo:padding-bottom=\"1.4pt\" fo:border=\"0.5pt solid #a0a8b0\"/></style:style>\
     <style:style style:name=\"TblHead\" style:family=\"table-cell\"><style:table-cell-properties fo:padding-left=\"4.25pt\" fo:padding-right=\"4.25pt\" fo:padding-top=\"1.4pt\" fo:padding-bottom=\"1.4pt\" fo:border=\"0.5pt solid #a0a8b0\" fo:background-color=\"#eef0f2\"/></style:style>\
     <style:style style:name=\"Pnum\" style:family=\"paragraph\" style:parent-style-name=\"Table_20_Contents\"><style:paragraph-properties fo:text-align=\"end\"/></style:style>\
     <style:style style:name=\"Tb\" style:family=\"text\"><style:text-properties fo:font-weight=\"bold\"/></style:style>\
     <style:style style:name=\"Tpending\" style:family=\"text\"><style:text-properties fo:font-weight=\"bold\" fo:color=\"#8a4b00\"/></style:style>\
     <style:style style:name=\"H1Portrait\" style:family=\"paragraph\" style:parent-style-name=\"Heading_20_1\" style:master-page-name=\"Standard\"/>\
     <style:style style:name=\"H1Landscape\" style:family=\"paragraph\" style:parent-style-name=\"Heading_20_1\" style:master-page-name=\"Landscape\"/>\
     <style:style style:name=\"Chart\" style:family=\"paragraph\" style:parent-style-name=\"Standard\"><style:paragraph-properties fo:text-align=\"center\" fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0cm\" fo:keep-with-next=\"always\"/></style:style>";

/// The sequences the captions count (the names LibreOffice gives them).
const SEQUENCES: &str = "<text:sequence-decls><text:sequence-decl text:display-outline-level=\"0\" text:name=\"Illustration\"/>\
     <text:sequence-decl text:display-outline-level=\"0\" text:name=\"Table\"/><text:sequence-decl text:display-outline-level=\"0\" text:name=\"Text\"/>\
     <text:sequence-decl text:display-outline-level=\"0\" text:name=\"Drawing\"/><text:sequence-decl text:display-outline-level=\"0\" text:name=\"Figure\"/></text:sequence-decls>";

/// Pictures of the package: (path, media type, bytes).
type Pictures = Vec<(String, &'static str, Vec<u8>)>;

/// `content.xml` and the pictures it refers to.
fn content_xml(report: &Report) -> Result<(String, Pictures), ReportError> {
    let labels = report.lang.labels();
    let mut w = Writer::new(report);
    let overview = std::slice::from_ref(&report.overview);
    let landscape = overview.iter().any(layout::needs_landscape);
    w.part(labels.overview, landscape);
    for n in &report.notices {
        w.body
            .push_str(&p("Text_20_body", &odf_text(&format!("• {n}"))));
    }
    w.table(&report.overview, landscape);
    excerpts_part(&mut w);
    if !report.codebook.is_empty() {
        codebook_part(&mut w);
    }
    if !report.tables.is_empty() {
        tables_part(&mut w, labels.tables, None, &report.tables);
    }
    if !report.charts.is_empty() {
        w.part(labels.charts, false);
        for c in &report.charts {
            w.figure(&figure(c, labels.colon)?);
        }
    }
    if !report.appendix.is_empty() {
        let note = Some(labels.appendix_offsets_note);
        tables_part(&mut w, labels.appendix_offsets, note, &report.appendix);
    }
    let mut auto = String::from(AUTOMATIC_STYLES);
    for depth in 0..=6 {
        auto.push_str(&format!(
            "<style:style style:name=\"Pind{depth}\" style:family=\"paragraph\" style:parent-style-name=\"Codebook_20_entry\"><style:paragraph-properties fo:margin-left=\"{:.2}cm\"/></style:style>\
             <style:style style:name=\"Pdesc{depth}\" style:family=\"paragraph\" style:parent-style-name=\"Description\"><style:paragraph-properties fo:margin-left=\"{:.2}cm\"/></style:style>",
            0.6 * depth as f64,
            0.6 * depth as f64 + 0.6
        ));
    }
    auto.push_str(&w.colours.styles());
    auto.push_str(&w.styles);
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {NS} office:version=\"1.3\">\
         <office:automatic-styles>{auto}</office:automatic-styles><office:body><office:text>{SEQUENCES}{}{}</office:text></office:body></office:document-content>",
        w.front(),
        w.body
    );
    Ok((xml, w.pictures))
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
    s.push_str(&heading(1, "16pt", "0cm"));
    s.push_str(&heading(2, "14pt", "0.6cm"));
    s.push_str(&heading(3, "12pt", "0.4cm"));
    s.push_str(&para(
        "Title",
        "Title",
        "Heading",
        " style:class=\"chapter\"",
        "fo:margin-top=\"4cm\" fo:margin-bottom=\"0.1cm\"",
        "fo:font-size=\"22pt\" fo:font-weight=\"bold\"",
    ));
    s.push_str(&para(
        "Subtitle",
        "Subtitle",
        "Standard",
        " style:class=\"chapter\"",
        "fo:margin-bottom=\"1.2cm\"",
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
        "fo:margin-bottom=\"0cm\" fo:line-height=\"100%\"",
        "fo:font-size=\"9pt\"",
    ));
    s.push_str(&para(
        "Table_20_Heading",
        "Table Heading",
        "Table_20_Contents",
        " style:class=\"extra\"",
        "fo:margin-bottom=\"0cm\"",
        "fo:font-weight=\"bold\" fo:font-size=\"9pt\"",
    ));
    s.push_str(&para(
        "Table_20_caption",
        "Table caption",
        "Standard",
        "",
        "fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.1cm\" fo:keep-with-next=\"always\"",
        "fo:font-weight=\"bold\"",
    ));
    s.push_str(&print_styles(&para));
    s.push_str("</office:styles><office:automatic-styles>");
    for (name, width, height, orientation) in [
        ("pm1", "21cm", "29.7cm", "portrait"),
        ("pm2", "29.7cm", "21cm", "landscape"),
    ] {
        s.push_str(&format!(
            "<style:page-layout style:name=\"{name}\"><style:page-layout-properties fo:page-width=\"{width}\" fo:page-height=\"{height}\" \
             style:print-orientation=\"{orientation}\" fo:margin-top=\"2cm\" fo:margin-bottom=\"1cm\" fo:margin-left=\"2cm\" fo:margin-right=\"2cm\"/>\
             <style:footer-style><style:header-footer-properties fo:min-height=\"0.6cm\" fo:margin-top=\"0.4cm\"/></style:footer-style></style:page-layout>"
        ));
    }
    // Every page shows its number at the foot.
    let footer = "<style:footer><text:p text:style-name=\"Footer\"><text:page-number text:select-page=\"current\">1</text:page-number></text:p></style:footer>";
    s.push_str(&format!(
        "</office:automatic-styles><office:master-styles>\
         <style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\">{footer}</style:master-page>\
         <style:master-page style:name=\"Landscape\" style:page-layout-name=\"pm2\">{footer}</style:master-page>\
         </office:master-styles></office:document-styles>"
    ));
    s
}

/// The styles of the printed document's furniture: figure captions, the table of contents,
/// the footer. `para` writes one paragraph style (name, display name, parent, attributes,
/// paragraph and text properties).
fn print_styles(para: &dyn Fn(&str, &str, &str, &str, &str, &str) -> String) -> String {
    let mut s = String::new();
    s.push_str(&para(
        "Figure_20_caption",
        "Figure caption",
        "Standard",
        "",
        "fo:margin-top=\"0.15cm\" fo:margin-bottom=\"0.4cm\" fo:text-align=\"center\"",
        "fo:font-weight=\"bold\"",
    ));
    s.push_str(&para(
        "Contents_20_Heading",
        "Contents Heading",
        "Standard",
        " style:class=\"index\"",
        "fo:margin-top=\"0.6cm\" fo:margin-bottom=\"0.3cm\"",
        "fo:font-size=\"14pt\" fo:font-weight=\"bold\"",
    ));
    for (level, indent, weight, top) in [(1, 0.0, "bold", "0.2cm"), (2, 0.5, "normal", "0cm")] {
        s.push_str(&format!(
            "<style:style style:name=\"Contents_20_{level}\" style:display-name=\"Contents {level}\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"index\">\
             <style:paragraph-properties fo:margin-left=\"{indent}cm\" fo:margin-top=\"{top}\" fo:margin-bottom=\"0.05cm\"><style:tab-stops>\
             <style:tab-stop style:position=\"{:.2}cm\" style:type=\"right\" style:leader-style=\"dotted\" style:leader-text=\".\"/></style:tab-stops></style:paragraph-properties>\
             <style:text-properties fo:font-weight=\"{weight}\"/></style:style>",
            17.0 - indent
        ));
    }
    s.push_str(&para(
        "Footer",
        "Footer",
        "Standard",
        " style:class=\"extra\"",
        "fo:text-align=\"center\" fo:margin-bottom=\"0cm\"",
        "fo:font-size=\"9pt\" fo:color=\"#5b6770\"",
    ));
    s.push_str("<style:style style:name=\"Index_20_Link\" style:display-name=\"Index Link\" style:family=\"text\"/>");
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
    let (content, pictures) = content_xml(report)?;
    let mut manifest = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
         <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>",
    );
    for (name, media_type, _) in &pictures {
        manifest.push_str(&format!("<manifest:file-entry manifest:full-path=\"{name}\" manifest:media-type=\"{media_type}\"/>"));
    }
    manifest.push_str("</manifest:manifest>");
    let mut entries = vec![
        (
            "mimetype".to_string(),
            b"application/vnd.oasis.opendocument.text".to_vec(),
            true,
        ),
        ("META-INF/manifest.xml".into(), manifest.into_bytes(), false),
        ("content.xml".into(), content.into_bytes(), false),
        ("styles.xml".into(), styles_xml(report).into_bytes(), false),
        ("meta.xml".into(), meta_xml(report).into_bytes(), false),
    ];
    // PNG is compressed already: stored as it is.
    entries.extend(
        pictures
            .into_iter()
            .map(|(name, media_type, bytes)| (name, bytes, media_type == "image/png")),
    );
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
