//! DOCX: a minimal, valid WordprocessingML package written by hand ([Content_Types].xml,
//! relationships, `word/document.xml`, `word/styles.xml` with Title, Heading1–3, Quote,
//! IntenseQuote and Table Grid, `word/settings.xml`, `docProps/core.xml` and `app.xml`).
//! Excerpts are Quote paragraphs, memos IntenseQuote paragraphs, tables real tables with a
//! repeated header row. Charts are given as tables of their data.

use super::ReportError;
use super::model::{Report, ReportExcerpt};
use super::xml::{escape, safe_color};
use crate::analysis::{Cell, Table};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// Text width of an A4 page with 2 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = 9638;

/// Run properties.
#[derive(Default, Clone, Copy)]
struct Style<'a> {
    bold: bool,
    italic: bool,
    color: Option<&'a str>,
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

fn para(style: &str, runs: &str) -> String {
    if style.is_empty() {
        format!("<w:p>{runs}</w:p>")
    } else {
        format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>")
    }
}

fn heading(level: u8, text: &str, color: Option<&str>) -> String {
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
    runs.push_str(&run(text, Style::default()));
    para(&format!("Heading{level}"), &runs)
}

fn table_xml(table: &Table, out: &mut String) {
    if !table.title.is_empty() {
        out.push_str(&para("Caption", &run(&table.title, Style::default())));
    }
    let cols = table
        .columns
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let widths: Vec<usize> = super::column_shares(table, cols)
        .iter()
        .map(|s| (TEXT_WIDTH as f64 * s) as usize)
        .collect();
    out.push_str(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>\
         <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
    );
    for width in &widths {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    let cell = |i: usize, text: &str, header: bool, numeric: bool| {
        let width = widths[i];
        let shade = if header {
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEF0F2\"/>"
        } else {
            ""
        };
        let align = if numeric {
            "<w:pPr><w:pStyle w:val=\"TableContents\"/><w:jc w:val=\"right\"/></w:pPr>"
        } else {
            "<w:pPr><w:pStyle w:val=\"TableContents\"/></w:pPr>"
        };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{shade}</w:tcPr><w:p>{align}{}</w:p></w:tc>",
            run(
                text,
                Style {
                    bold: header,
                    ..Style::default()
                }
            )
        )
    };
    out.push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for i in 0..cols {
        out.push_str(&cell(
            i,
            table.columns.get(i).map(String::as_str).unwrap_or(""),
            true,
            false,
        ));
    }
    out.push_str("</w:tr>");
    for row in &table.rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for i in 0..cols {
            let c = row.get(i).cloned().unwrap_or(Cell::Empty);
            out.push_str(&cell(
                i,
                &c.display(),
                false,
                !matches!(c, Cell::Text(_) | Cell::Empty),
            ));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    for n in &table.notes {
        out.push_str(&para(
            "Note",
            &run(
                n,
                Style {
                    italic: true,
                    ..Style::default()
                },
            ),
        ));
    }
}

fn excerpt_xml(e: &ReportExcerpt, color: &str, report: &Report, out: &mut String) {
    let labels = report.lang.labels();
    let border = format!(
        "<w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"8\" w:color=\"{}\"/></w:pBdr>",
        &safe_color(color)[1..]
    );
    out.push_str(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Quote\"/>{border}</w:pPr>{}</w:p>",
        run(&e.text, Style::default())
    ));
    let mut runs = String::new();
    for (i, (k, v)) in e.caption(report.lang).iter().enumerate() {
        if i > 0 {
            runs.push_str(&run(" · ", Style::default()));
        }
        runs.push_str(&run(
            &format!("{k}{}", labels.colon),
            Style {
                bold: true,
                ..Style::default()
            },
        ));
        runs.push_str(&run(v, Style::default()));
    }
    if e.consent_pending {
        runs.push_str(&run(" · ", Style::default()));
        runs.push_str(&run(
            labels.consent_pending,
            Style {
                bold: true,
                color: Some("#8a4b00"),
                ..Style::default()
            },
        ));
    }
    out.push_str(&para("ExcerptMeta", &runs));
    for memo in &e.memos {
        let runs = run(
            &format!("{}{}", labels.memo, labels.colon),
            Style {
                bold: true,
                ..Style::default()
            },
        ) + &run(memo, Style::default());
        out.push_str(&para("IntenseQuote", &runs));
    }
}

fn document_xml(report: &Report) -> String {
    let labels = report.lang.labels();
    let mut b = String::with_capacity(128 * 1024);
    b.push_str(&para("Title", &run(&report.title, Style::default())));
    b.push_str(&para(
        "Subtitle",
        &run(
            &format!(
                "{} · {} {}",
                report.project_name, labels.generated_on, report.generated_at_display
            ),
            Style::default(),
        ),
    ));
    b.push_str(&heading(1, labels.overview, None));
    for n in &report.notices {
        b.push_str(&para("", &run(&format!("• {n}"), Style::default())));
    }
    table_xml(&report.overview, &mut b);
    b.push_str(&heading(1, labels.excerpts, None));
    for sec in &report.sections {
        b.push_str(&heading(2, &sec.title, Some(&sec.color)));
        if !sec.description.is_empty() {
            b.push_str(&para(
                "Description",
                &run(&sec.description, Style::default()),
            ));
        }
        for g in &sec.groups {
            b.push_str(&heading(3, &g.title, Some(&g.color)));
            if !g.description.is_empty() {
                b.push_str(&para("Description", &run(&g.description, Style::default())));
            }
            b.push_str(&para(
                "GroupCount",
                &run(&g.count_line(report.lang), Style::default()),
            ));
            if g.excerpts.is_empty() {
                b.push_str(&para("Note", &run(labels.no_excerpt, Style::default())));
            }
            for e in &g.excerpts {
                excerpt_xml(e, &g.color, report, &mut b);
            }
        }
    }
    if !report.codebook.is_empty() {
        b.push_str(&heading(1, labels.codebook, None));
        for c in &report.codebook {
            let indent = 360 * c.depth;
            let mut runs = run(
                "■ ",
                Style {
                    color: Some(&c.color),
                    ..Style::default()
                },
            );
            runs.push_str(&run(
                &c.name,
                Style {
                    bold: true,
                    ..Style::default()
                },
            ));
            runs.push_str(&run(
                &format!(
                    " ({}, {} {})",
                    labels.kind_name(c.kind),
                    c.excerpts,
                    labels.excerpts_count.to_lowercase()
                ),
                Style::default(),
            ));
            b.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"CodebookEntry\"/><w:ind w:left=\"{indent}\"/></w:pPr>{runs}</w:p>"));
            if !c.description.is_empty() {
                b.push_str(&format!(
                    "<w:p><w:pPr><w:pStyle w:val=\"Description\"/><w:ind w:left=\"{}\"/></w:pPr>{}</w:p>",
                    indent + 360,
                    run(&c.description, Style::default())
                ));
            }
            for m in &c.memos {
                let runs = run(
                    &format!("{}{}", labels.memo, labels.colon),
                    Style {
                        bold: true,
                        ..Style::default()
                    },
                ) + &run(m, Style::default());
                b.push_str(&para("IntenseQuote", &runs));
            }
        }
    }
    if !report.tables.is_empty() {
        b.push_str(&heading(1, labels.tables, None));
        for t in &report.tables {
            table_xml(t, &mut b);
        }
    }
    if !report.charts.is_empty() {
        b.push_str(&heading(1, labels.charts, None));
        for c in &report.charts {
            table_xml(&c.to_table(labels.value), &mut b);
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{W_NS}\"><w:body>{b}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
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
        para_style(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            &format!(
                "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"120\"/><w:outlineLvl w:val=\"{}\"/>",
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
        "<w:spacing w:after=\"60\"/>",
        "<w:b/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>",
    ));
    s.push_str(&para_style(
        "Subtitle",
        "Subtitle",
        "<w:spacing w:after=\"360\"/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"22\"/>",
    ));
    s.push_str(&heading(1, 32, 480));
    s.push_str(&heading(2, 28, 360));
    s.push_str(&heading(3, 24, 240));
    s.push_str(&para_style(
        "Quote",
        "Quote",
        "<w:keepNext/><w:keepLines/><w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"8\" w:color=\"888888\"/></w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F6F7F8\"/><w:spacing w:before=\"160\" w:after=\"40\"/><w:ind w:left=\"567\" w:right=\"567\"/>",
        "<w:i/><w:color w:val=\"1D2329\"/>",
    ));
    s.push_str(&para_style(
        "IntenseQuote",
        "Intense Quote",
        "<w:keepLines/><w:pBdr><w:left w:val=\"dashed\" w:sz=\"8\" w:space=\"8\" w:color=\"5B6770\"/></w:pBdr><w:spacing w:before=\"40\" w:after=\"120\"/><w:ind w:left=\"851\" w:right=\"567\"/>",
        "<w:color w:val=\"3A4650\"/><w:sz w:val=\"19\"/>",
    ));
    s.push_str(&para_style(
        "ExcerptMeta",
        "Excerpt metadata",
        "<w:spacing w:after=\"80\"/><w:ind w:left=\"567\"/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"18\"/>",
    ));
    s.push_str(&para_style(
        "GroupCount",
        "Group count",
        "<w:keepNext/>",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"18\"/>",
    ));
    s.push_str(&para_style(
        "Description",
        "Code description",
        "",
        "<w:i/><w:color w:val=\"5B6770\"/>",
    ));
    s.push_str(&para_style(
        "Note",
        "Note",
        "",
        "<w:color w:val=\"5B6770\"/><w:sz w:val=\"18\"/>",
    ));
    s.push_str(&para_style(
        "Caption",
        "caption",
        "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"80\"/>",
        "<w:b/>",
    ));
    s.push_str(&para_style(
        "CodebookEntry",
        "Codebook entry",
        "<w:keepNext/><w:spacing w:after=\"40\"/>",
        "",
    ));
    s.push_str(&para_style(
        "TableContents",
        "Table Contents",
        "<w:spacing w:after=\"0\"/>",
        "<w:sz w:val=\"19\"/>",
    ));
    s.push_str(
        "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>\
         <w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:tblPr><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A8B0\"/>\
         </w:tblBorders></w:tblPr></w:style></w:styles>",
    );
    s
}

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

/// Renders a report as a DOCX package.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
        <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
        <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
        <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
        <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";
    let doc_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/></Relationships>";
    let settings = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"{W_NS}\"><w:defaultTabStop w:val=\"708\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"
    );
    let app = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>Fouille</Application></Properties>";
    super::zip_package(&[
        (
            "[Content_Types].xml",
            content_types.as_bytes().to_vec(),
            false,
        ),
        ("_rels/.rels", rels.as_bytes().to_vec(), false),
        (
            "word/document.xml",
            document_xml(report).into_bytes(),
            false,
        ),
        (
            "word/_rels/document.xml.rels",
            doc_rels.as_bytes().to_vec(),
            false,
        ),
        ("word/styles.xml", styles_xml(report).into_bytes(), false),
        ("word/settings.xml", settings.into_bytes(), false),
        ("docProps/core.xml", core_xml(report).into_bytes(), false),
        ("docProps/app.xml", app.as_bytes().to_vec(), false),
    ])
}
