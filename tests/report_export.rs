//! Coded reports on the real sample project: pseudonymisation in every format, consent,
//! groupings and filters, packages read back.

use fouille::analysis::{Cell, Table};
use fouille::export::report::svg::{Bar, BarChart, Chart, HeatMap};
use fouille::export::report::{self, GroupBy, Lang, ReportFormat, ReportOptions, build_report};
use fouille::model::{CodeKind, MemoTarget};
use fouille::store::{codes, codings, memos, pseudonyms, respondents};

use crate::support::archive::unzip;
use crate::support::report::{check_html_balanced, export_all, has_word, open_sample, xml_text};

// A pseudonymised report of the sample contains no respondent's name, first name or last
// name, in any format, metadata included; withdrawn consent leaves a respondent out.
#[test]
fn pseudonymised_sample_report_hides_every_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = open_sample(dir.path());
    let everyone = respondents::list(project.conn()).unwrap();
    let nadia = everyone
        .iter()
        .find(|r| r.name == "Nadia Benali")
        .expect("Nadia is in the sample")
        .clone();
    // Names in a memo, a code description and the title, in the forms people write them.
    let coding = codings::list(project.conn())
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    project
        .action("memo", |tx| {
            memos::add(
                tx,
                &MemoTarget::Coding(coding.guid.clone()),
                "Vu avec Nadia Benali ; BENALI confirme. Jean-Marc Delorme aussi, et Mme Ferrand.",
                None,
            )?;
            let theme = codes::resolve(tx.conn, "Thèmes/Numérique")?;
            codes::set_details(
                tx,
                &theme.guid,
                &theme.color,
                "Cité par Karim et par M. Haddad.",
            )?;
            pseudonyms::add(tx, "Ferrand", "[directrice]")?;
            pseudonyms::add(tx, "Valcourt", "[ville]")?;
            Ok(())
        })
        .unwrap();
    let table = Table {
        title: "Matrice code × répondant·e".into(),
        columns: vec!["Répondant·e".into(), "Extraits".into()],
        rows: everyone
            .iter()
            .map(|r| vec![Cell::Text(r.name.clone()), Cell::Int(1)])
            .collect(),
        notes: vec!["Source : entretien de Thomas Aubry.".into()],
        ..Table::default()
    };
    let chart = Chart::Bars(BarChart {
        title: "Extraits".into(),
        bars: vec![Bar {
            label: "Léa Vasseur".into(),
            value: 3.0,
            color: "#336699".into(),
        }],
    });
    let heat = Chart::Heat(HeatMap {
        title: "Carte".into(),
        row_labels: vec!["Inès Ferreira".into()],
        column_labels: vec!["Patrick Guérin".into()],
        values: vec![vec![2.0]],
        color: "#993333".into(),
    });
    for group_by in [GroupBy::Code, GroupBy::Controversy, GroupBy::Orientation] {
        let options = ReportOptions {
            group_by,
            pseudonymise: true,
            attributes: vec!["role".into(), "territory".into(), "interviewer".into()],
            title: Some("Synthèse — entretien de Nadia Benali".into()),
            generated_at_ms: Some(1_741_000_000_000),
            ..ReportOptions::default()
        };
        let report = build_report(
            &project,
            &options,
            std::slice::from_ref(&table),
            &[chart.clone(), heat.clone()],
        )
        .unwrap();
        assert_eq!(report.stats.withdrawn_respondents, 1);
        assert!(report.stats.withdrawn_codings > 0);
        let files = export_all(&report, dir.path(), &format!("pseudo-{group_by:?}"));
        for (path, parts) in &files {
            let mut all_text = String::new();
            for (name, text) in parts {
                if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".svg") {
                    xml_text(text, name);
                }
                all_text.push_str(text);
                all_text.push('\n');
            }
            for r in &everyone {
                let words: Vec<&str> = r.name.split_whitespace().collect();
                let mut forms = vec![r.name.clone(), r.name.to_uppercase()];
                if words.len() > 1 {
                    forms.push(words[0].to_string());
                    forms.push(words[1..].join(" "));
                }
                for form in forms {
                    assert!(
                        !has_word(&all_text, &form),
                        "{} still contains « {form} »",
                        path.display()
                    );
                }
            }
            for listed in ["Ferrand", "Valcourt"] {
                assert!(
                    !has_word(&all_text, listed),
                    "{} still contains « {listed} »",
                    path.display()
                );
            }
            assert!(
                all_text.contains(&nadia.pseudonym) || group_by != GroupBy::Code,
                "{}",
                path.display()
            );
            assert!(
                !all_text.contains("10-dgs-interco"),
                "{}: the withdrawn interview is shown",
                path.display()
            );
            assert!(
                all_text.contains("retiré son consentement"),
                "{}: no withdrawn notice",
                path.display()
            );
        }
        // The metadata carries the pseudonymised title.
        let docx = &files[2].1;
        let core = &docx
            .iter()
            .find(|(n, _)| n == "docProps/core.xml")
            .unwrap()
            .1;
        assert!(xml_text(core, "core.xml").contains("Synthèse — entretien de Répondante A"));
        let odt = &files[3].1;
        let meta = &odt.iter().find(|(n, _)| n == "meta.xml").unwrap().1;
        assert!(xml_text(meta, "meta.xml").contains("entretien de Répondante A"));
        let html = &files[0].1[0].1;
        assert!(html.contains("<title>Synthèse — entretien de Répondante A</title>"));
    }
}

// Without pseudonymisation names are kept, pending consent is marked and counted.
#[test]
fn plain_report_keeps_names_and_states_consent() {
    let dir = tempfile::tempdir().unwrap();
    let project = open_sample(dir.path());
    let options = ReportOptions {
        group_by: GroupBy::Controversy,
        generated_at_ms: Some(0),
        ..ReportOptions::default()
    };
    let report = build_report(&project, &options, &[], &[]).unwrap();
    // Six controversies, each with its two poles.
    assert_eq!(report.sections.len(), 6);
    for s in &report.sections {
        assert_eq!(s.kind, CodeKind::Controversy);
        assert_eq!(
            s.groups.iter().filter(|g| g.kind == CodeKind::Pole).count(),
            2,
            "{}",
            s.title
        );
    }
    // Sylvie Carrasco's consent is pending: she is in, marked.
    let pending: Vec<_> = report
        .sections
        .iter()
        .flat_map(|s| &s.groups)
        .flat_map(|g| &g.excerpts)
        .filter(|e| e.consent_pending)
        .collect();
    assert!(!pending.is_empty());
    assert!(
        pending
            .iter()
            .all(|e| e.respondent.as_deref() == Some("Sylvie Carrasco"))
    );
    assert_eq!(report.stats.pending_respondents, 1);
    assert!(report.notices.iter().any(|n| n.contains("en attente")));
    // Jean-Marc Delorme withdrew: none of his excerpts.
    let shown: Vec<_> = report
        .sections
        .iter()
        .flat_map(|s| &s.groups)
        .flat_map(|g| &g.excerpts)
        .collect();
    assert!(
        shown
            .iter()
            .all(|e| e.respondent.as_deref() != Some("Jean-Marc Delorme"))
    );
    // Two coders' identical codings are merged into one excerpt with both coders.
    assert!(shown.iter().any(|e| e.coders.len() == 2));
    // The counts in the overview table add up to the excerpts shown.
    let total: i64 = report
        .overview
        .rows
        .iter()
        .map(|r| if let Cell::Int(n) = r[2] { n } else { 0 })
        .sum();
    assert_eq!(total as usize, shown.len());
    assert_eq!(
        report.stats.excerpts,
        shown.len() + report.stats.outside_grouping
    );
    let html = report::html::render(&report);
    check_html_balanced(&html);
    assert!(html.contains("Nadia Benali"));
    assert!(html.contains("consentement en attente"));
}

// Grouped by code, sections are the top-level codes and groups follow the codebook's tree
// order (an orientation, then its pistes), each with the excerpts of that code only.
#[test]
fn code_grouping_follows_the_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let project = open_sample(dir.path());
    let options = ReportOptions {
        generated_at_ms: Some(0),
        ..ReportOptions::default()
    };
    let report = build_report(&project, &options, &[], &[]).unwrap();
    let titles: Vec<&str> = report.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Controverses", "Orientations", "Thèmes"]);
    let order: Vec<String> = codes::list(project.conn())
        .unwrap()
        .iter()
        .map(|c| codes::path_of(&codes::list(project.conn()).unwrap(), &c.guid))
        .collect();
    let shown: Vec<&String> = report
        .sections
        .iter()
        .flat_map(|s| &s.groups)
        .map(|g| &g.code_path)
        .collect();
    let positions: Vec<usize> = shown
        .iter()
        .map(|p| order.iter().position(|o| o == *p).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "groups out of tree order: {shown:?}"
    );
    let orientation = report.sections[1]
        .groups
        .iter()
        .position(|g| g.code_path == "Orientations/Prendre soin des rituels")
        .unwrap();
    assert_eq!(
        report.sections[1].groups[orientation + 1].code_path,
        "Orientations/Prendre soin des rituels/Instituer un accueil des nouveaux agents"
    );
    // No excerpt is lost or duplicated: every shown excerpt is counted once.
    assert_eq!(report.stats.outside_grouping, 0);
    let total: usize = report
        .sections
        .iter()
        .flat_map(|s| &s.groups)
        .map(|g| g.excerpts.len())
        .sum();
    assert_eq!(total, report.stats.excerpts);
}

// Grouping by orientation gives each orientation its pistes; --code and --coder filter.
#[test]
fn orientation_grouping_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let project = open_sample(dir.path());
    let conn = project.conn();
    let rituels = codes::resolve(conn, "Orientations/Prendre soin des rituels").unwrap();
    let yann = fouille::store::coders::find(conn, "Yann Le Gall").unwrap();
    let options = ReportOptions {
        group_by: GroupBy::Orientation,
        codes: vec![rituels.guid.clone()],
        coders: vec![yann.guid.clone()],
        lang: Lang::En,
        generated_at_ms: Some(0),
        ..ReportOptions::default()
    };
    let report = build_report(&project, &options, &[], &[]).unwrap();
    assert_eq!(report.sections.len(), 1);
    let section = &report.sections[0];
    assert_eq!(section.title, "Prendre soin des rituels");
    let pistes: Vec<&str> = section
        .groups
        .iter()
        .filter(|g| g.kind == CodeKind::Piste)
        .map(|g| g.title.as_str())
        .collect();
    assert_eq!(
        pistes,
        [
            "Instituer un accueil des nouveaux agents",
            "Préserver les temps informels d'équipe"
        ]
    );
    let excerpts: Vec<_> = section.groups.iter().flat_map(|g| &g.excerpts).collect();
    assert!(!excerpts.is_empty());
    assert!(excerpts.iter().all(|e| e.coders == ["Yann Le Gall"]));
    // Each excerpt is the exact coded text.
    let expected: usize = fouille::store::excerpts::excerpts(
        conn,
        &fouille::store::excerpts::ExcerptFilter {
            codes: vec![rituels.guid.clone()],
            coders: vec![yann.guid.clone()],
            ..Default::default()
        },
    )
    .unwrap()
    .iter()
    .filter(|e| e.respondent_name.as_deref() != Some("Jean-Marc Delorme"))
    .count();
    assert_eq!(excerpts.len(), expected);
    assert!(
        report
            .notices
            .iter()
            .any(|n| n.starts_with("Codes selected"))
    );
    assert!(report::markdown::render(&report).contains("## Coded excerpts"));
}

// The ODT package follows the OpenDocument rules (mimetype first, stored), the DOCX package
// has its parts, and our own importers read the exported text back.
#[test]
fn packages_are_valid_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let project = open_sample(dir.path());
    let options = ReportOptions {
        group_by: GroupBy::Controversy,
        generated_at_ms: Some(0),
        ..ReportOptions::default()
    };
    let mut report = build_report(&project, &options, &[], &[]).unwrap();
    report
        .charts
        .push(report::controversy_balance_chart(&report).unwrap());
    let odt = report::render(&report, ReportFormat::Odt).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(odt.clone())).unwrap();
    {
        let first = archive.by_index(0).unwrap();
        assert_eq!(first.name().unwrap(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    }
    assert_eq!(&odt[30..38], b"mimetype");
    assert_eq!(&odt[38..77], b"application/vnd.oasis.opendocument.text");
    let parts = unzip(&odt);
    for name in [
        "META-INF/manifest.xml",
        "content.xml",
        "styles.xml",
        "meta.xml",
        "Pictures/chart1.svg",
    ] {
        assert!(parts.contains_key(name), "ODT lacks {name}");
    }
    let styles = String::from_utf8(parts["styles.xml"].clone()).unwrap();
    for style in ["Heading_20_1", "Heading_20_2", "Heading_20_3", "Quotations"] {
        assert!(
            styles.contains(&format!("style:name=\"{style}\"")),
            "ODT styles lack {style}"
        );
    }
    let manifest = String::from_utf8(parts["META-INF/manifest.xml"].clone()).unwrap();
    assert!(manifest.contains("Pictures/chart1.svg"));
    let odt_text = fouille::import::odt::extract_text(&odt).unwrap();

    let docx = report::render(&report, ReportFormat::Docx).unwrap();
    let parts = unzip(&docx);
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "docProps/core.xml",
    ] {
        assert!(parts.contains_key(name), "DOCX lacks {name}");
    }
    let styles = String::from_utf8(parts["word/styles.xml"].clone()).unwrap();
    for style in [
        "Heading1",
        "Heading2",
        "Heading3",
        "Quote",
        "IntenseQuote",
        "TableGrid",
    ] {
        assert!(
            styles.contains(&format!("w:styleId=\"{style}\"")),
            "DOCX styles lack {style}"
        );
    }
    let docx_text = fouille::import::docx::extract_text(&docx).unwrap();
    // Every excerpt's text comes back from both files, line by line.
    let mut lines_checked = 0;
    for e in report
        .sections
        .iter()
        .flat_map(|s| &s.groups)
        .flat_map(|g| &g.excerpts)
    {
        for line in e.text.lines().filter(|l| !l.trim().is_empty()) {
            let squeezed = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let odt_flat = odt_text.split_whitespace().collect::<Vec<_>>().join(" ");
            let docx_flat = docx_text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(odt_flat.contains(&squeezed), "ODT lost « {line} »");
            assert!(docx_flat.contains(&squeezed), "DOCX lost « {line} »");
            lines_checked += 1;
        }
    }
    assert!(lines_checked > 100, "only {lines_checked} lines read back");
}

// The tables a report shows its readers name codes by their names (with the parent where two
// share one) and carry no char offsets; `appendix_offsets` puts the offsets in an appendix.
#[test]
fn reader_tables_name_codes_and_leave_offsets_to_the_appendix() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = open_sample(dir.path());
    // Two codes named alike under different parents, both used.
    let doc = fouille::store::documents::list(project.conn())
        .unwrap()
        .into_iter()
        .find(|d| d.name == "01-ccas-accueil")
        .unwrap()
        .guid;
    project
        .action("codes", |tx| {
            for parent in ["Thèmes", "Orientations"] {
                let parent = codes::resolve(tx.conn, parent)?.guid;
                let new = codes::NewCode::new("Divers", CodeKind::Theme, Some(&parent));
                let code = codes::insert(tx, new)?;
                for i in 0..30 {
                    codings::apply(tx, &doc, &code, i * 50, i * 50 + 40)?;
                }
            }
            Ok(())
        })
        .unwrap();
    let options = ReportOptions {
        group_by: GroupBy::Controversy,
        appendix_offsets: true,
        generated_at_ms: Some(0),
        ..ReportOptions::default()
    };
    let (tables, charts) =
        report::synthesis::synthesis(project.conn(), &options, Some("territory")).unwrap();
    let report = build_report(&project, &options, &tables, &charts).unwrap();
    let representative = tables
        .iter()
        .find(|t| t.title == "Extraits représentatifs des pôles")
        .unwrap();
    assert_eq!(representative.offset_columns.len(), 2);
    for t in &report.tables {
        assert!(t.offset_columns.is_empty(), "{}", t.title);
        for header in ["Début", "Fin"] {
            assert!(!t.columns.iter().any(|c| c == header), "{}", t.title);
        }
        for cell in t.rows.iter().flatten() {
            if let Cell::Text(text) = cell {
                assert!(!text.starts_with("Controverses/"), "a path: {text}");
            }
        }
    }
    // The appendix: the representative passages with their offsets, without the quotes.
    assert_eq!(report.appendix.len(), 1);
    let appendix = &report.appendix[0];
    assert_eq!(appendix.rows.len(), representative.rows.len());
    assert!(appendix.columns.iter().any(|c| c == "Début"));
    assert!(!appendix.columns.iter().any(|c| c == "Extrait"));
    // Names in the charts, the parent's before the name two codes share.
    let Chart::Bars(bars) = &report.charts[0] else {
        panic!("the first chart is the frequencies' bars")
    };
    let labels: Vec<&str> = bars.bars.iter().map(|b| b.label.as_str()).collect();
    assert!(labels.contains(&"Thèmes › Divers"), "{labels:?}");
    assert!(labels.contains(&"Orientations › Divers"), "{labels:?}");
    assert!(labels.iter().all(|l| !l.contains('/')), "{labels:?}");
    // Without the option, no appendix.
    let plain = build_report(
        &project,
        &ReportOptions {
            appendix_offsets: false,
            ..options
        },
        &tables,
        &charts,
    )
    .unwrap();
    assert!(plain.appendix.is_empty());
}

// An English report's captions, contents and chart descriptions are in English, and its DOCX
// holds the charts as PNG images with that description.
#[test]
fn english_report_captions_and_chart_images() {
    let dir = tempfile::tempdir().unwrap();
    let project = open_sample(dir.path());
    let options = ReportOptions {
        group_by: GroupBy::Controversy,
        lang: Lang::En,
        generated_at_ms: Some(0),
        ..ReportOptions::default()
    };
    let (tables, charts) = report::synthesis::synthesis(project.conn(), &options, None).unwrap();
    let report = build_report(&project, &options, &tables, &charts).unwrap();
    let docx = unzip(&report::render(&report, ReportFormat::Docx).unwrap());
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let text = xml_text(&document, "document.xml");
    assert!(text.contains("Contents"));
    assert!(
        text.contains("Table") && text.contains("— Code frequencies"),
        "{text:.400}"
    );
    assert!(document.contains(" SEQ Table "));
    assert!(document.contains(" TOC \\o "));
    for (i, chart) in report.charts.iter().enumerate() {
        assert!(docx.contains_key(&format!("word/media/chart{}.png", i + 1)));
        assert!(text.contains(&format!("— {}", chart.title())));
    }
    assert!(document.contains(&format!("descr=\"{}", report.charts[0].title())));
    let odt = unzip(&report::render(&report, ReportFormat::Odt).unwrap());
    let content = String::from_utf8(odt["content.xml"].clone()).unwrap();
    let text = xml_text(&content, "content.xml")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Contents") && text.contains("Figure 1 — "),
        "{text:.400}"
    );
    assert!(!text.contains("Tableau") && !text.contains("Sommaire"));
}
