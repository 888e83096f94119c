//! DOCX: a WordprocessingML package written by hand ([Content_Types].xml, relationships,
//! `word/document.xml`, `word/styles.xml`, `word/settings.xml`, a footer with the page
//! number, the charts as PNG images under `word/media/`, `docProps/core.xml` and
//! `app.xml`).
//!
//! The document opens on its title and a table of contents (a real TOC field, whose cached
//! entries already carry PAGEREF fields, so the page numbers are right before anyone
//! updates it); each part starts a new page. Excerpts are Quote paragraphs, memos
//! IntenseQuote paragraphs. Tables have numbered captions (SEQ fields), columns sized
//! from their content (see [`super::layout`]), a header row repeated on every page and
//! rows kept on one page; a part whose tables are too wide for a portrait page is a
//! landscape section. Charts are PNG drawings with their description as alt text.

use super::ReportError;
use super::figure::{Figure, figure};
use super::layout::{self, TableLayout};
use super::model::{Report, ReportExcerpt};
use super::xml::{escape, safe_color};
use crate::analysis::{Cell, Table};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
    xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
    xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
    xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";
/// Twentieths of a point in a point.
const TWIPS: f64 = 20.0;
/// EMUs (the drawing unit) in a centimetre.
const EMU_PER_CM: f64 = 360_000.0;
/// Relationship id of the footer in the document's relationships (the images are `rIdImageN`).
const FOOTER_RID: &str = "rIdFooter";

/// Run properties.
#[derive(Default, Clone, Copy)]
struct Style<'a> {
    bold: bool,
    italic: bool,
    color: Option<&'a str>,
    /// Size in half-points, when not the paragraph's.
    half_points: Option<u32>,
}

/// One run; line breaks become `<w:br/>`, tabs `<w:tab/>`.
fn run(text: &str, style: Style) -> String {
    let mut props = String::new();
    if style.bold {
        props.push_str("<w:b/>");
    }
    if style.italic {
        props.push_str("<w:i/>");
    }
    if let Some(c) = style.color {
        props.push_str(&format!("<w:color w:val=\"{}\"/>", &safe_color(c)[1..]));
    }
    if let Some(size) = style.half_points {
        props.push_str(&format!(
            "<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"
        ));
    }
    let mut s = String::from("<w:r>");
    if !props.is_empty() {
        s.push_str(&format!("<w:rPr>{props}</w:rPr>"));
    }
    for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
        if i > 0 {
            s.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                s.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                s.push_str(&format!(
                    "<w:t xml:space=\"preserve\">{}</w:t>",
                    escape(piece)
                ));
            }
        }
    }
    s.push_str("</w:r>");
    s
}

fn plain(text: &str) -> String {
    run(text, Style::default())
}

fn para(style: &str, runs: &str) -> String {
    if style.is_empty() {
        format!("<w:p>{runs}</w:p>")
    } else {
        format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>")
    }
}

/// A complex field (`instruction` with its cached `result` runs) as runs.
fn field(instruction: &str, result: &str) -> String {
    format!(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {instruction} </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{result}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    )
}

/// The section properties of a page of the given orientation, with the page-number footer.
fn section(landscape: bool) -> String {
    let size = if landscape {
        "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"
    } else {
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    };
    format!(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"{FOOTER_RID}\"/>{size}\
         <w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    )
}

/// A heading of the table of contents: its level, text and bookmark.
struct TocEntry {
    level: u8,
    text: String,
    bookmark: String,
}

/// The document being written: its body, the current section's orientation, the headings
/// for the table of contents, the numbers of captions and the images.
struct Writer<'a> {
    report: &'a Report,
    body: String,
    landscape: bool,
    /// The next heading opens a new section (its page break is the section's).
    section_start: bool,
    toc: Vec<TocEntry>,
    tables: usize,
    images: Media,
}

impl<'a> Writer<'a> {
    fn new(report: &'a Report) -> Writer<'a> {
        Writer {
            report,
            body: String::with_capacity(256 * 1024),
            landscape: false,
            section_start: false,
            toc: Vec::new(),
            tables: 0,
            images: Vec::new(),
        }
    }

    /// Starts a part (a level-1 heading on a new page), on pages of the given orientation.
    fn part(&mut self, title: &str, landscape: bool) {
        if landscape != self.landscape {
            // The empty paragraph ends the section before, and carries its properties.
            self.body.push_str(&format!(
                "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>{}</w:pPr></w:p>",
                section(self.landscape)
            ));
            self.landscape = landscape;
            self.section_start = true;
        }
        self.heading(1, title, None);
    }

    fn heading(&mut self, level: u8, text: &str, color: Option<&str>) {
        let mut runs = String::new();
        if let Some(c) = color {
            runs.push_str(&run(
                "■ ",
                Style {
                    color: Some(c),
                    ..Style::default()
                },
            ));
        }
        runs.push_str(&plain(text));
        let n = self.toc.len() + 1;
        let bookmark = format!("_TocFouille{n}");
        let no_break = if std::mem::take(&mut self.section_start) {
            "<w:pageBreakBefore w:val=\"0\"/>"
        } else {
            ""
        };
        self.body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/>{no_break}</w:pPr>\
             <w:bookmarkStart w:id=\"{n}\" w:name=\"{bookmark}\"/>{runs}<w:bookmarkEnd w:id=\"{n}\"/></w:p>"
        ));
        self.toc.push(TocEntry {
            level,
            text: text.to_string(),
            bookmark,
        });
    }

    /// A caption: « Tableau 3 — title », its number a SEQ field; centred under a figure.
    fn caption(&self, word: &str, sequence: &str, n: usize, title: &str) -> String {
        let dash = self.report.lang.labels().caption_dash;
        let title = if title.is_empty() {
            String::new()
        } else {
            format!("{dash}{title}")
        };
        let centred = if sequence == "Figure" {
            "<w:jc w:val=\"center\"/>"
        } else {
            ""
        };
        let number = field(
            &format!("SEQ {sequence} \\* ARABIC"),
            &plain(&n.to_string()),
        );
        format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Caption\"/>{centred}</w:pPr>{}{number}{}</w:p>",
            plain(&format!("{word} ")),
            plain(&title)
        )
    }

    fn table(&mut self, table: &Table, landscape: bool) {
        self.tables += 1;
        let word = self.report.lang.labels().table_caption;
        let caption = self.caption(word, "Table", self.tables, &table.title);
        self.body.push_str(&caption);
        let plan = layout::plan(table, landscape);
        table_xml(table, &plan, &mut self.body);
        for n in &table.notes {
            let note = run(
                n,
                Style {
                    italic: true,
                    ..Style::default()
                },
            );
            self.body.push_str(&para("Note", &note));
        }
    }

    fn figure(&mut self, fig: &Figure) {
        let n = self.images.len() + 1;
        let (cx, cy) = (
            (fig.width_cm * EMU_PER_CM) as u64,
            (fig.height_cm * EMU_PER_CM) as u64,
        );
        let rid = format!("rIdImage{n}");
        let (alt, title) = (escape(&fig.alt), escape(&fig.title));
        let drawing = format!(
            "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
             <wp:docPr id=\"{n}\" name=\"chart{n}\" descr=\"{alt}\" title=\"{title}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>\
             <pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>\
             </pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        );
        self.body.push_str(&para("ChartImage", &drawing));
        let word = self.report.lang.labels().figure_caption;
        let caption = self.caption(word, "Figure", n, &fig.title);
        self.body.push_str(&caption);
        self.images
            .push((format!("media/chart{n}.png"), fig.png.clone()));
    }

    /// The title page: title, subtitle and the table of contents of the headings written.
    fn front(&self) -> String {
        let report = self.report;
        let labels = report.lang.labels();
        let mut s = para("Title", &plain(&report.title));
        s.push_str(&para(
            "Subtitle",
            &plain(&format!(
                "{} · {} {}",
                report.project_name, labels.generated_on, report.generated_at_display
            )),
        ));
        s.push_str(&para("TOCHeading", &plain(labels.contents)));
        let entries: Vec<&TocEntry> = self.toc.iter().filter(|e| e.level <= 2).collect();
        for (i, e) in entries.iter().enumerate() {
            let open = if i == 0 {
                "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
                 <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z \\u </w:instrText></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            } else {
                ""
            };
            s.push_str(&format!(
                "<w:p><w:pPr><w:pStyle w:val=\"TOC{}\"/><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{}\"/></w:tabs></w:pPr>{open}\
                 <w:hyperlink w:anchor=\"{b}\" w:history=\"1\">{}<w:r><w:tab/></w:r>{}</w:hyperlink></w:p>",
                e.level,
                (layout::PORTRAIT_PT * TWIPS) as usize,
                plain(&e.text),
                field(&format!("PAGEREF {} \\h", e.bookmark), ""),
                b = e.bookmark,
            ));
        }
        if !entries.is_empty() {
            s.push_str("<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>");
        }
        s
    }
}

fn table_xml(table: &Table, plan: &TableLayout, out: &mut String) {
    let cols = plan.widths_pt.len();
    let widths: Vec<usize> = plan
        .widths_pt
        .iter()
        .map(|w| (w * TWIPS) as usize)
        .collect();
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>\
         <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        widths.iter().sum::<usize>()
    ));
    for width in &widths {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    let half_points = ((plan.font_pt - layout::CELL_PT).abs() > 0.05)
        .then(|| (plan.font_pt * 2.0).round() as u32);
    let cell = |i: usize, text: &str, header: bool, numeric: bool| {
        let shade = if header {
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEF0F2\"/>"
        } else {
            ""
        };
        let align = if numeric {
            "<w:jc w:val=\"right\"/>"
        } else {
            ""
        };
        let style = Style {
            bold: header,
            half_points,
            ..Style::default()
        };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{shade}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableContents\"/>{align}</w:pPr>{}</w:p></w:tc>",
            widths[i],
            run(text, style)
        )
    };
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for i in 0..cols {
        let header = table.columns.get(i).map(String::as_str).unwrap_or("");
        out.push_str(&cell(i, header, true, false));
    }
    out.push_str("</w:tr>");
    for row in &table.rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for i in 0..cols {
            let c = row.get(i).cloned().unwrap_or(Cell::Empty);
            let numeric = !matches!(c, Cell::Text(_) | Cell::Empty);
            out.push_str(&cell(i, &layout::bind(&c.display()), false, numeric));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

fn excerpt_xml(e: &ReportExcerpt, color: &str, report: &Report, out: &mut String) {
    let labels = report.lang.labels();
    let border = format!(
        "<w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"8\" w:color=\"{}\"/></w:pBdr>",
        &safe_color(color)[1..]
    );
    out.push_str(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Quote\"/>{border}</w:pPr>{}</w:p>",
        plain(&e.text)
    ));
    let bold = Style {
        bold: true,
        ..Style::default()
    };
    let mut runs = String::new();
    for (i, (k, v)) in e.caption(report.lang).iter().enumerate() {
        if i > 0 {
            runs.push_str(&plain(" · "));
        }
        runs.push_str(&run(&format!("{k}{}", labels.colon), bold));
        runs.push_str(&plain(v));
    }
    if e.consent_pending {
        runs.push_str(&plain(" · "));
        runs.push_str(&run(
            labels.consent_pending,
            Style {
                color: Some("#8a4b00"),
                ..bold
            },
        ));
    }
    out.push_str(&para("ExcerptMeta", &runs));
    for memo in &e.memos {
        let runs = run(&format!("{}{}", labels.memo, labels.colon), bold) + &plain(memo);
        out.push_str(&para("IntenseQuote", &runs));
    }
}

fn excerpts_part(w: &mut Writer) {
    let report = w.report;
    let labels = report.lang.labels();
    w.part(labels.excerpts, false);
    for sec in &report.sections {
        w.heading(2, &sec.title, Some(&sec.color));
        if !sec.description.is_empty() {
            w.body
                .push_str(&para("Description", &plain(&sec.description)));
        }
        for g in &sec.groups {
            w.heading(3, &g.title, Some(&g.color));
            if !g.description.is_empty() {
                w.body
                    .push_str(&para("Description", &plain(&g.description)));
            }
            w.body
                .push_str(&para("GroupCount", &plain(&g.count_line(report.lang))));
            if g.excerpts.is_empty() {
                w.body.push_str(&para("Note", &plain(labels.no_excerpt)));
            }
            for e in &g.excerpts {
                excerpt_xml(e, &g.color, report, &mut w.body);
            }
        }
    }
}

fn codebook_part(w: &mut Writer) {
    let report = w.report;
    let labels = report.lang.labels();
    w.part(labels.codebook, false);
    let bold = Style {
        bold: true,
        ..Style::default()
    };
    for c in &report.codebook {
        let indent = 360 * c.depth;
        let swatch = Style {
            color: Some(&c.color),
            ..Style::default()
        };
        let mut runs = run("■ ", swatch);
        runs.push_str(&run(&c.name, bold));
        runs.push_str(&plain(&format!(
            " ({}, {} {})",
            labels.kind_name(c.kind),
            c.excerpts,
            labels.excerpts_count.to_lowercase()
        )));
        w.body.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"CodebookEntry\"/><w:ind w:left=\"{indent}\"/></w:pPr>{runs}</w:p>"));
        if !c.description.is_empty() {
            w.body.push_str(&format!(
                "<w:p><w:pPr><w:pStyle w:val=\"Description\"/><w:ind w:left=\"{}\"/></w:pPr>{}</w:p>",
                indent + 360,
                plain(&c.description)
            ));
        }
        for m in &c.memos {
            let runs = run(&format!("{}{}", labels.memo, labels.colon), bold) + &plain(m);
            w.body.push_str(&para("IntenseQuote", &runs));
        }
    }
}

/// A part made of tables: on landscape pages when one of them needs it.
fn tables_part(w: &mut Writer, title: &str, intro: Option<&str>, tables: &[Table]) {
    let landscape = tables.iter().any(layout::needs_landscape);
    w.part(title, landscape);
    if let Some(intro) = intro {
        w.body.push_str(&para("", &plain(intro)));
    }
    for t in tables {
        w.table(t, landscape);
    }
}

/// Files of the package besides the XML parts: (path under `word/`, bytes).
type Media = Vec<(String, Vec<u8>)>;

fn document_xml(report: &Report) -> Result<(String, Media), ReportError> {
    let labels = report.lang.labels();
    let mut w = Writer::new(report);
    let overview = std::slice::from_ref(&report.overview);
    w.part(
        labels.overview,
        overview.iter().any(layout::needs_landscape),
    );
    for n in &report.notices {
        w.body.push_str(&para("", &plain(&format!("• {n}"))));
    }
    let landscape = w.landscape;
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
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NAMESPACES}><w:body>{}{}{}</w:body></w:document>",
        w.front(),
        w.body,
        section(w.landscape)
    );
    Ok((xml, w.images))
}

fn styles_xml(report: &Report) -> String {
    let lang = if report.lang == super::Lang::Fr {
        "fr-FR"
    } else {
        "en-GB"
    };
    let para_style = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    };
    let heading = |level: u8, size: u32, before: u32| {
        let page_break = if level == 1 {
            "<w:pageBreakBefore/>"
        } else {
            ""
        };
        para_style(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            &format!(
                "<w:keepNext/><w:keepLines/>{page_break}<w:spacing w:before=\"{before}\" w:after=\"120\"/><w:outlineLvl w:val=\"{}\"/>",
                level - 1
            ),
            &format!(
                "<w:b/><w:color w:val=\"1D2329\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"
            ),
        )
    };
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"{W_NS}\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>\
         <w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/><w:lang w:val=\"{lang}\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>"
    );
    s.push_str(&para_style(
        "Title",
        "Title",
        "<w:spacing w:before=\"2400\" w:after=\"60\"/>",
        "<w:b/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>",
    ));
    s.push_str(&para_style(
        "Subtitle",
        "Subtitle",
        "<w:spacing w:after=\"720\"/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"22\"/>",
    ));
    s.push_str(&heading(1, 32, 0));
    s.push_str(&heading(2, 28, 360));
    s.push_str(&heading(3, 24, 240));
    for (id, name, ppr, rpr) in PARAGRAPH_STYLES {
        s.push_str(&para_style(id, name, ppr, rpr));
    }
    s.push_str(TABLE_STYLES);
    s
}

/// The report's own paragraph styles: (id, name, paragraph properties, run properties).
const PARAGRAPH_STYLES: [(&str, &str, &str, &str); 14] = [
    (
        "Quote",
        "Quote",
        "<w:keepNext/><w:keepLines/><w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"8\" w:color=\"888888\"/></w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F6F7F8\"/><w:spacing w:before=\"160\" w:after=\"40\"/><w:ind w:left=\"567\" w:right=\"567\"/>",
        "<w:i/><w:color w:val=\"1D2329\"/>",
    ),
    (
        "IntenseQuote",
        "Intense Quote",
        "<w:keepLines/><w:pBdr><w:left w:val=\"dashed\" w:sz=\"8\" w:space=\"8\" w:color=\"5B6770\"/></w:pBdr><w:spacing w:before=\"40\" w:after=\"120\"/><w:ind w:left=\"851\" w:right=\"567\"/>",
        "<w:color w:val=\"3A4650\"/><w:sz w:val=\"19\"/>",
    ),
    (
        "ExcerptMeta",
        "Excerpt metadata",
        "<w:spacing w:after=\"80\"/><w:ind w:left=\"567\"/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"18\"/>",
    ),
    (
        "GroupCount",
        "Group count",
        "<w:keepNext/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"18\"/>",
    ),
    (
        "Description",
        "Code description",
        "",
        "<w:i/><w:color w:val=\"5B6770\"/>",
    ),
    (
        "Note",
        "Note",
        "<w:spacing w:before=\"60\"/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"18\"/>",
    ),
    (
        "Caption",
        "caption",
        "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"80\"/>",
        "<w:b/>",
    ),
    (
        // Not "Figure": LibreOffice has a style of that name (its figure captions) and
        // would take this one for it.
        "ChartImage",
        "Chart image",
        "<w:keepNext/><w:jc w:val=\"center\"/><w:spacing w:before=\"240\" w:after=\"0\"/>",
        "",
    ),
    (
        "CodebookEntry",
        "Codebook entry",
        "<w:keepNext/><w:spacing w:after=\"40\"/>",
        "",
    ),
    (
        "TableContents",
        "Table Contents",
        "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ),
    (
        "TOCHeading",
        "TOC Heading",
        "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/>",
        "<w:b/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>",
    ),
    (
        "TOC1",
        "toc 1",
        "<w:spacing w:before=\"120\" w:after=\"40\"/>",
        "<w:b/>",
    ),
    (
        "TOC2",
        "toc 2",
        "<w:spacing w:after=\"20\"/><w:ind w:left=\"284\"/>",
        "",
    ),
    (
        "Footer",
        "footer",
        "<w:jc w:val=\"center\"/><w:spacing w:after=\"0\"/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"18\"/>",
    ),
];

const TABLE_STYLES: &str = "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/>\
     <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"85\" w:type=\"dxa\"/>\
     <w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
     <w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>\
     <w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:tblPr><w:tblBorders>\
     <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/>\
     <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/>\
     <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/>\
     </w:tblBorders></w:tblPr></w:style></w:styles>";

fn core_xml(report: &Report) -> String {
    let lang = if report.lang == super::Lang::Fr {
        "fr-FR"
    } else {
        "en-GB"
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy>\
         <dc:language>{lang}</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{}</dcterms:modified>\
         </cp:coreProperties>",
        escape(&report.title),
        escape(&report.project_name),
        escape(&report.author),
        escape(&report.author),
        escape(&report.generated_at),
        escape(&report.generated_at)
    )
}

/// The footer of every page: its number, centred.
fn footer_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {NAMESPACES}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}</w:p></w:ftr>",
        field("PAGE", &plain("1"))
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
    <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
    <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
    <Default Extension=\"png\" ContentType=\"image/png\"/>\
    <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
    <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
    <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
    <Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
    <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
    <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
    <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
    <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
    <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

/// The document's relationships: styles, settings, the footer, then one per image.
fn document_rels(images: &Media) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"{FOOTER_RID}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
    );
    for (i, (name, _)) in images.iter().enumerate() {
        s.push_str(&format!(
            "<Relationship Id=\"rIdImage{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{name}\"/>",
            i + 1
        ));
    }
    s.push_str("</Relationships>");
    s
}

/// Renders a report as a DOCX package.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    // Word updates the fields (table of contents, page references) when it opens the file.
    let settings = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"{W_NS}\"><w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"708\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"
    );
    let app = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>Fouille</Application></Properties>";
    let (document, images) = document_xml(report)?;
    let mut entries = vec![
        (
            "[Content_Types].xml".to_string(),
            CONTENT_TYPES.as_bytes().to_vec(),
            false,
        ),
        (
            "_rels/.rels".into(),
            PACKAGE_RELS.as_bytes().to_vec(),
            false,
        ),
        ("word/document.xml".into(), document.into_bytes(), false),
        (
            "word/_rels/document.xml.rels".into(),
            document_rels(&images).into_bytes(),
            false,
        ),
        (
            "word/styles.xml".into(),
            styles_xml(report).into_bytes(),
            false,
        ),
        ("word/settings.xml".into(), settings.into_bytes(), false),
        ("word/footer1.xml".into(), footer_xml().into_bytes(), false),
        (
            "docProps/core.xml".into(),
            core_xml(report).into_bytes(),
            false,
        ),
        ("docProps/app.xml".into(), app.as_bytes().to_vec(), false),
    ];
    // PNG is compressed already: stored as it is.
    entries.extend(
        images
            .into_iter()
            .map(|(name, png)| (format!("word/{name}"), png, true)),
    );
    super::zip_package(&entries)
}
