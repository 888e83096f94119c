//! Table exports: CSV, XLSX, ODS and Markdown files read back with real readers (the csv
//! crate; zip + quick-xml for XLSX and ODS), and formula injection neutralised in every
//! spreadsheet format, including through the CLI on hostile excerpt text.

use std::collections::BTreeMap;

use fouille::analysis::{Cell, Table};
use fouille::export::tables::{self, CsvOptions, TableFormat};
use quick_xml::events::Event;

use crate::support::archive::unzip;
use crate::support::project::fouille_in_process_ok;

const HYPERLINK: &str = "=HYPERLINK(\"http://evil.example\",\"clic\")";

/// A table with hostile text, numbers, a percentage, an empty cell, quotes, a separator,
/// a line break, accents and an emoji.
fn hostile_table() -> Table {
    let mut t = Table::new(
        "Test : [injection]/1",
        vec![
            "Texte".into(),
            "Nombre".into(),
            "Part".into(),
            "Vide".into(),
        ],
    );
    let rows: Vec<(&str, Cell)> = vec![
        (HYPERLINK, Cell::Int(-5)),
        ("+cmd|' /C calc'!A0", Cell::Float(2.5)),
        ("-2+3", Cell::Int(0)),
        ("@SUM(A1:A2)", Cell::Int(42)),
        ("\tTab", Cell::Int(1)),
        (
            "Œuvre « citée » ; \"guillemets\", virgule\net saut 😀",
            Cell::Int(7),
        ),
        ("  deux  espaces  ", Cell::Int(3)),
    ];
    for (text, number) in rows {
        t.rows.push(vec![
            Cell::Text(text.into()),
            number,
            Cell::Percent(42.857142),
            Cell::Empty,
        ]);
    }
    t.notes.push("=note dangereuse".into());
    t
}

/// What every hostile text must become.
fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn resolve(reference: &quick_xml::events::BytesRef) -> String {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return c.to_string();
    }
    let name: &str = reference;
    quick_xml::escape::resolve_xml_entity(name)
        .unwrap_or_else(|| panic!("unknown entity {name}"))
        .to_string()
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).unwrap().map(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    })
}

// ---- CSV ----

#[test]
fn csv_reads_back_with_numbers_kept_and_formulas_neutralised() {
    let t = hostile_table();
    let bytes = tables::csv::to_csv_bytes(&t, &CsvOptions::default()).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["Texte", "Nombre", "Part", "Vide"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), t.rows.len());
    for (record, row) in records.iter().zip(&t.rows) {
        let Cell::Text(text) = &row[0] else {
            unreachable!()
        };
        assert_eq!(&record[0], neutralised(text));
        assert_eq!(&record[2], "42.86");
        assert_eq!(&record[3], "");
    }
    // Numbers stay numbers, even negative ones.
    assert_eq!(&records[0][1], "-5");
    assert_eq!(&records[1][1], "2.5");
    assert!(records[0][0].starts_with("'=HYPERLINK"));
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn csv_for_french_excel_has_bom_semicolons_and_decimal_commas() {
    let t = hostile_table();
    let bytes = tables::csv::to_csv_bytes(&t, &CsvOptions::french_excel()).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    let text = std::str::from_utf8(body).unwrap();
    assert!(text.starts_with("Texte;Nombre;Part;Vide\n"), "{text}");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(body);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&records[1][1], "2,5");
    assert_eq!(&records[1][2], "42,86");
    assert_eq!(
        &records[5][0],
        "Œuvre « citée » ; \"guillemets\", virgule\net saut 😀"
    );
}

#[test]
fn csv_files_number_the_extra_tables() {
    let dir = tempfile::tempdir().unwrap();
    let mut second = hostile_table();
    second.title = "Second".into();
    let path = dir.path().join("out.csv");
    let written = tables::write_files(
        &[hostile_table(), second],
        TableFormat::Csv,
        &path,
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(written, [path.clone(), dir.path().join("out-2.csv")]);
    for p in &written {
        let mut reader = csv::Reader::from_path(p).unwrap();
        assert_eq!(reader.records().count(), 7);
    }
}

// ---- XLSX ----

pub(crate) struct XlsxSheet {
    /// Cell reference → (type attribute, value or shared string).
    pub(crate) cells: BTreeMap<String, (Option<String>, String)>,
    formulas: usize,
}

/// The sheet names and cells of an XLSX file, read with zip and quick-xml.
pub(crate) fn read_xlsx(bytes: &[u8]) -> (Vec<String>, Vec<XlsxSheet>) {
    let files = unzip(bytes);
    // Shared strings.
    let mut strings = Vec::new();
    if let Some(xml) = files.get("xl/sharedStrings.xml") {
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let (mut buf, mut current, mut in_t) = (Vec::new(), String::new(), false);
        loop {
            match reader.read_event_into(&mut buf).unwrap() {
                Event::Start(e) if e.local_name().as_ref() == "t" => in_t = true,
                Event::End(e) if e.local_name().as_ref() == "t" => in_t = false,
                Event::End(e) if e.local_name().as_ref() == "si" => {
                    strings.push(std::mem::take(&mut current))
                }
                Event::Text(t) if in_t => current.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if in_t => current.push_str(&resolve(&r)),
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
    }
    // Sheet names, in order.
    let mut names = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(files["xl/workbook.xml"].as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                names.push(attr(&e, "name").unwrap())
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let mut sheets = Vec::new();
    for i in 1..=names.len() {
        let xml = &files[&format!("xl/worksheets/sheet{i}.xml")];
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut sheet = XlsxSheet {
            cells: BTreeMap::new(),
            formulas: 0,
        };
        let (mut buf, mut current, mut in_v) =
            (Vec::new(), None::<(String, Option<String>)>, false);
        loop {
            match reader.read_event_into(&mut buf).unwrap() {
                Event::Start(e) if e.local_name().as_ref() == "c" => {
                    current = Some((attr(&e, "r").unwrap(), attr(&e, "t")))
                }
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "f" => {
                    sheet.formulas += 1
                }
                Event::Start(e) if e.local_name().as_ref() == "v" => in_v = true,
                Event::End(e) if e.local_name().as_ref() == "v" => in_v = false,
                Event::Text(t) if in_v => {
                    let (r, kind) = current.clone().unwrap();
                    let raw = t.xml10_content().into_owned();
                    let value = if kind.as_deref() == Some("s") {
                        strings[raw.parse::<usize>().unwrap()].clone()
                    } else {
                        raw
                    };
                    sheet.cells.insert(r, (kind, value));
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        sheets.push(sheet);
    }
    (names, sheets)
}

#[test]
fn xlsx_reads_back_as_strings_and_numbers_never_formulas() {
    let t = hostile_table();
    let mut other = hostile_table();
    other.title = "Test : [injection]/1".into(); // the same title twice: names must differ
    let bytes = tables::to_bytes(
        &[t.clone(), other],
        TableFormat::Xlsx,
        &CsvOptions::default(),
    )
    .unwrap();
    let (names, sheets) = read_xlsx(&bytes);
    assert_eq!(names, ["Test injection 1", "Test injection 1 (2)"]);
    let sheet = &sheets[0];
    assert_eq!(sheet.formulas, 0);
    // Row 1: title; row 2: header; data from row 3.
    assert_eq!(sheet.cells["A1"], (Some("s".into()), t.title.clone()));
    assert_eq!(sheet.cells["B2"].1, "Nombre");
    for (i, row) in t.rows.iter().enumerate() {
        let Cell::Text(text) = &row[0] else {
            unreachable!()
        };
        let (kind, value) = &sheet.cells[&format!("A{}", i + 3)];
        assert_eq!(kind.as_deref(), Some("s"), "text cells are shared strings");
        assert_eq!(value, &neutralised(text));
        // Percentages are fractions with a percent format; numbers have no type (numeric).
        let (kind, value) = &sheet.cells[&format!("C{}", i + 3)];
        assert_eq!(kind, &None);
        assert!(
            (value.parse::<f64>().unwrap() - 0.42857142).abs() < 1e-12,
            "{value}"
        );
        assert!(!sheet.cells.contains_key(&format!("D{}", i + 3)));
    }
    assert_eq!(sheet.cells["B3"], (None, "-5".into()));
    assert_eq!(sheet.cells["B4"], (None, "2.5".into()));
    // Notes after an empty row, neutralised too.
    assert_eq!(
        sheet.cells[&format!("A{}", t.rows.len() + 4)].1,
        "'=note dangereuse"
    );
}

// ---- ODS ----

#[derive(Debug, Clone, PartialEq)]
struct OdsCell {
    value_type: Option<String>,
    value: Option<String>,
    text: String,
}

/// Reads content.xml: table name → rows → cells. Formulas are counted, not evaluated.
/// Sheets as (name, rows of cells).
type OdsSheets = Vec<(String, Vec<Vec<OdsCell>>)>;

fn read_ods_content(xml: &[u8]) -> (OdsSheets, usize) {
    let mut reader = quick_xml::NsReader::from_reader(xml);
    let mut buf = Vec::new();
    let mut tables: OdsSheets = Vec::new();
    let mut formulas = 0;
    let mut cell: Option<OdsCell> = None;
    let mut paragraphs = 0;
    loop {
        let event = reader.read_event_into(&mut buf).unwrap();
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                if e.attributes()
                    .any(|a| a.unwrap().key.local_name().as_ref() == "formula")
                {
                    formulas += 1;
                }
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => tables.push((attr(e, "table:name").unwrap(), Vec::new())),
                    "table:table-row" => tables.last_mut().unwrap().1.push(Vec::new()),
                    "table:table-cell" => {
                        let c = OdsCell {
                            value_type: attr(e, "office:value-type"),
                            value: attr(e, "office:value"),
                            text: String::new(),
                        };
                        paragraphs = 0;
                        if empty {
                            tables.last_mut().unwrap().1.last_mut().unwrap().push(c);
                        } else {
                            cell = Some(c);
                        }
                    }
                    "text:p" => {
                        if let Some(c) = cell.as_mut() {
                            if paragraphs > 0 {
                                c.text.push('\n');
                            }
                            paragraphs += 1;
                        }
                    }
                    "text:s" => {
                        let n = attr(e, "text:c")
                            .map(|n| n.parse::<usize>().unwrap())
                            .unwrap_or(1);
                        cell.as_mut().unwrap().text.push_str(&" ".repeat(n));
                    }
                    "text:tab" => cell.as_mut().unwrap().text.push('\t'),
                    _ => {}
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-cell" => {
                let c = cell.take().unwrap();
                tables.last_mut().unwrap().1.last_mut().unwrap().push(c);
            }
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&resolve(r));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    (tables, formulas)
}

#[test]
fn ods_is_a_real_odf_zip_that_reads_back() {
    let t = hostile_table();
    let bytes = tables::to_bytes(
        std::slice::from_ref(&t),
        TableFormat::Ods,
        &CsvOptions::default(),
    )
    .unwrap();
    // The first entry is "mimetype", stored, without extra field: its content sits at byte 38.
    assert_eq!(&bytes[0..4], b"PK\x03\x04");
    assert_eq!(
        u16::from_le_bytes([bytes[8], bytes[9]]),
        0,
        "stored, not compressed"
    );
    assert_eq!(
        u16::from_le_bytes([bytes[28], bytes[29]]),
        0,
        "no extra field"
    );
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(
        &bytes[38..38 + 46],
        b"application/vnd.oasis.opendocument.spreadsheet"
    );
    let files = unzip(&bytes);
    let manifest = String::from_utf8(files["META-INF/manifest.xml"].clone()).unwrap();
    assert!(manifest.contains("manifest:full-path=\"content.xml\""));
    // Every XML part is well-formed.
    for part in [
        "META-INF/manifest.xml",
        "content.xml",
        "styles.xml",
        "meta.xml",
    ] {
        let mut reader = quick_xml::Reader::from_reader(files[part].as_slice());
        let mut buf = Vec::new();
        while !matches!(
            reader
                .read_event_into(&mut buf)
                .unwrap_or_else(|e| panic!("{part}: {e}")),
            Event::Eof
        ) {
            buf.clear();
        }
    }
    let (sheets, formulas) = read_ods_content(&files["content.xml"]);
    assert_eq!(formulas, 0);
    assert_eq!(sheets.len(), 1);
    let (name, rows) = &sheets[0];
    assert_eq!(name, "Test injection 1");
    assert_eq!(rows[0][0].text, t.title);
    assert_eq!(
        rows[1].iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
        ["Texte", "Nombre", "Part", "Vide"]
    );
    for (i, row) in t.rows.iter().enumerate() {
        let Cell::Text(text) = &row[0] else {
            unreachable!()
        };
        let cells = &rows[i + 2];
        assert_eq!(cells[0].value_type.as_deref(), Some("string"));
        assert_eq!(cells[0].text, neutralised(text), "row {i}");
        assert_eq!(cells[2].value_type.as_deref(), Some("percentage"));
        let share: f64 = cells[2].value.as_deref().unwrap().parse().unwrap();
        assert!((share - 0.42857142).abs() < 1e-12, "{share}");
        assert_eq!(cells[3].value_type, None);
    }
    let number = &rows[2][1];
    assert_eq!(
        (number.value_type.as_deref(), number.value.as_deref()),
        (Some("float"), Some("-5"))
    );
    assert_eq!(rows[3][1].value.as_deref(), Some("2.5"));
    // The notes, after an empty row.
    assert_eq!(rows[t.rows.len() + 3][0].text, "'=note dangereuse");
}

// ---- Markdown ----

#[test]
fn markdown_escapes_pipes_and_line_breaks() {
    let t = hostile_table();
    let md = tables::markdown::to_markdown(std::slice::from_ref(&t));
    assert!(md.starts_with("## Test : \\[injection\\]/1\n\n| Texte | Nombre | Part | Vide |\n| --- | ---: | ---: | --- |\n"), "{md}");
    // Every table line has exactly 5 unescaped pipes (4 columns).
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let pipes = line.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 5, "{line}");
    }
    assert!(md.contains("virgule<br>et saut 😀"));
    assert!(md.contains("| 42.9 % |"));
}

// ---- end to end, through the CLI, on hostile excerpt text ----

#[test]
fn cli_writes_hostile_excerpts_safely_in_every_format() {
    use fouille::model::{CodeKind, DocumentKind};
    use fouille::store::codes::NewCode;
    use fouille::store::documents::NewDocument;
    use fouille::store::{Project, codes, codings, documents};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.fouille");
    let lines = [HYPERLINK, "+cmd", "-2+3", "@SUM(A1:A2)"];
    {
        let mut project = Project::create(&path, "Hostile", Some("Alice")).unwrap();
        project
            .action("setup", |tx| {
                let c = codes::insert(tx, NewCode::new("Tension", CodeKind::Controversy, None))?;
                let a = codes::insert(tx, NewCode::new("=Pôle A", CodeKind::Pole, Some(&c)))?;
                let b = codes::insert(tx, NewCode::new("Pôle B", CodeKind::Pole, Some(&c)))?;
                let doc = documents::insert(
                    tx,
                    NewDocument {
                        guid: None,
                        name: "-doc".into(),
                        kind: DocumentKind::Note,
                        text: lines.join("\n"),
                        origin: String::new(),
                        media_path: None,
                        respondent_guid: None,
                    },
                )?;
                let mut start = 0;
                for (i, line) in lines.iter().enumerate() {
                    let len = line.chars().count();
                    codings::apply(
                        tx,
                        &doc,
                        if i % 2 == 0 { &a } else { &b },
                        start,
                        start + len,
                    )?;
                    start += len + 1;
                }
                Ok(())
            })
            .unwrap();
    }
    let p = path.to_str().unwrap();
    let out = |ext: &str| dir.path().join(format!("out.{ext}"));
    for ext in ["csv", "xlsx", "ods", "md"] {
        fouille_in_process_ok(&[
            "table",
            p,
            "controversies",
            "-o",
            out(ext).to_str().unwrap(),
        ]);
    }
    // The representative excerpts are the second table: CSV puts it in out-2.csv.
    let mut reader = csv::Reader::from_path(dir.path().join("out-2.csv")).unwrap();
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[9].to_string())
        .collect();
    // Pole A: the longer first (HYPERLINK, then -2+3); pole B: @SUM(A1:A2), then +cmd.
    let expected: Vec<String> = [0, 2, 3, 1]
        .iter()
        .map(|&i| neutralised(lines[i]))
        .collect();
    assert_eq!(texts, expected);
    let (names, sheets) = read_xlsx(&std::fs::read(out("xlsx")).unwrap());
    assert_eq!(names.len(), 2);
    assert_eq!(sheets[1].formulas, 0);
    let xlsx_texts: Vec<String> = (3..=6)
        .map(|r| sheets[1].cells[&format!("J{r}")].1.clone())
        .collect();
    assert_eq!(xlsx_texts, expected);
    assert_eq!(sheets[0].cells["B3"].1, "'=Pôle A");
    let ods = unzip(&std::fs::read(out("ods")).unwrap());
    let (ods_sheets, formulas) = read_ods_content(&ods["content.xml"]);
    assert_eq!(formulas, 0);
    let ods_texts: Vec<String> = (2..6).map(|r| ods_sheets[1].1[r][9].text.clone()).collect();
    assert_eq!(ods_texts, expected);
    // French Excel CSV through the CLI: BOM and semicolons.
    let fr = dir.path().join("fr.csv");
    fouille_in_process_ok(&[
        "table",
        p,
        "frequencies",
        "--separator",
        ";",
        "--bom",
        "-o",
        fr.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&fr).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFCode;Type;Extraits;"));
    let md = std::fs::read_to_string(out("md")).unwrap();
    assert!(md.contains("## Équilibre des controverses"));
}
