//! Reports against hostile input, the pseudonym list and the CLI.

use std::path::Path;

use fouille::analysis::{Cell, Table};
use fouille::export::pseudonymise::Pseudonymiser;
use fouille::export::report::{self, Lang, ReportFormat, ReportOptions, build_report};
use fouille::model::{CodeKind, Consent, DocumentKind, MemoTarget};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::respondents::NewRespondent;
use fouille::store::{Project, codes, codings, documents, memos, pseudonyms, respondents};

use crate::support::archive::unzip;
use crate::support::project::{fouille, fouille_ok};
use crate::support::report::{check_html_balanced, open_sample, xml_text};

fn hostile_project(dir: &Path) -> Project {
    let mut project = Project::create(
        &dir.join("hostile.fouille"),
        "Projet <b>gras</b> & \"cité\"",
        Some("Codeuse"),
    )
    .unwrap();
    project
        .action("setup", |tx| {
            let r = respondents::insert(
                tx,
                NewRespondent { guid: None, name: "Zoé <i>Martin</i>".into(), pseudonym: String::new(), consent: Consent::Given },
            )?;
            let text = "Avant <script>alert(1)</script> puis =HYPERLINK(\"http://evil\",\"x\") et \u{1}\u{7}ctrl ]]> &amp; *gras* fin.\nDeux  espaces\tet tab.";
            let doc = documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: "doc <img src=x onerror=alert(2)>".into(),
                    kind: DocumentKind::Interview,
                    text: text.into(),
                    origin: String::new(),
                    media_path: None,
                    respondent_guid: Some(r),
                },
            )?;
            let mut code = NewCode::new("Code <em>x", CodeKind::Theme, None);
            code.color = Some("#123456".into());
            code.description = "</style><script>alert(3)</script>".into();
            let code = codes::insert(tx, code)?;
            let len = text.chars().count();
            let coding = codings::apply(tx, &doc, &code, 0, len)?;
            memos::add(tx, &MemoTarget::Coding(coding), "<iframe src=\"javascript:alert(4)\"></iframe>", None)?;
            Ok(())
        })
        .unwrap();
    project
}

// Hostile text is escaped in HTML, stays text in Markdown, and DOCX/ODT stay well-formed
// (control characters stripped).
#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let project = hostile_project(dir.path());
    let options = ReportOptions {
        attributes: vec!["absent".into()],
        title: Some("</title><script>alert(5)</script>".into()),
        generated_at_ms: Some(0),
        ..ReportOptions::default()
    };
    let table = Table {
        title: "<b>t</b>".into(),
        columns: vec!["<th>".into(), "n".into()],
        rows: vec![vec![
            Cell::Text("=HYPERLINK(\"x\")".into()),
            Cell::Percent(12.5),
        ]],
        notes: vec!["<script>".into()],
        ..Table::default()
    };
    let report = build_report(&project, &options, &[table], &[]).unwrap();
    let html = report::html::render(&report);
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "<em>",
        "<i>martin",
        "<b>gras",
        "<b>t</b>",
        "<th>",
    ] {
        assert!(!lower.contains(bad), "the HTML contains a live {bad}");
    }
    let text = check_html_balanced(&html);
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(text.contains("=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)"));
    assert!(!html.contains('\u{1}') && !html.contains('\u{7}'));
    assert!(html.contains("<title>&lt;/title&gt;&lt;script&gt;alert(5)&lt;/script&gt;</title>"));

    let md = report::markdown::render(&report);
    assert!(
        !md.to_lowercase().contains("<script") && !md.contains("<iframe") && !md.contains("<img")
    );
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    for (format, main) in [
        (ReportFormat::Docx, "word/document.xml"),
        (ReportFormat::Odt, "content.xml"),
    ] {
        let parts = unzip(&report::render(&report, format).unwrap());
        let mut texts = String::new();
        for (name, data) in &parts {
            let s = String::from_utf8(data.clone()).unwrap();
            if name.ends_with(".xml") || name.ends_with(".rels") {
                texts.push_str(&xml_text(&s, name));
            }
        }
        let body = xml_text(&String::from_utf8(parts[main].clone()).unwrap(), main);
        assert!(
            body.contains("<script>alert(1)</script>"),
            "{format:?}: the excerpt is text"
        );
        assert!(body.contains("=HYPERLINK(\"http://evil\",\"x\")"));
        assert!(body.contains("<iframe src=\"javascript:alert(4)\"></iframe>"));
        assert!(!texts.contains('\u{1}'));
        assert!(
            texts.contains("</title><script>alert(5)</script>"),
            "{format:?}: title in metadata"
        );
    }
}

// The pseudonym list is stored, undoable, and fed to the pseudonymiser.
#[test]
fn pseudonym_list_store_and_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = open_sample(dir.path());
    let added = project
        .action("p", |tx| {
            pseudonyms::add(tx, "  Mme Ferrand ", "la directrice")
        })
        .unwrap();
    assert!(added);
    let again = project
        .action("p", |tx| pseudonyms::add(tx, "Mme Ferrand", "[directrice]"))
        .unwrap();
    assert!(!again);
    assert_eq!(
        pseudonyms::list(project.conn()).unwrap(),
        vec![pseudonyms::Pseudonym {
            original: "Mme Ferrand".into(),
            replacement: "[directrice]".into()
        }]
    );
    assert!(
        project
            .action("p", |tx| pseudonyms::add(tx, " ", "x"))
            .is_err()
    );
    project.undo().unwrap();
    assert_eq!(
        pseudonyms::list(project.conn()).unwrap()[0].replacement,
        "la directrice"
    );
    let p = Pseudonymiser::from_project(project.conn(), Lang::Fr).unwrap();
    assert_eq!(
        p.apply(
            "Nadia : la directrice, Mme Ferrand, a appelé Nadia Benali (BENALI) ; Nadiana non."
        ),
        "Répondante A : la directrice, la directrice, a appelé Répondante A (Répondante A) ; Nadiana non."
    );
    // Survey respondents have no pseudonym: numbered labels.
    let r001 = respondents::find(project.conn(), "R001").unwrap();
    assert_eq!(p.respondent_label(&r001.guid), Some("Répondant·e 1"));
    assert_eq!(p.apply("R001 et R002"), "Répondant·e 1 et Répondant·e 2");
    project
        .action("rm", |tx| pseudonyms::remove(tx, "Mme Ferrand"))
        .unwrap();
    assert!(pseudonyms::list(project.conn()).unwrap().is_empty());
    assert!(
        project
            .action("rm", |tx| pseudonyms::remove(tx, "Mme Ferrand"))
            .is_err()
    );
}

// The CLI writes the four formats and manages the pseudonym list.
#[test]
fn cli_report_and_pseudonym_commands() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("cli.fouille");
    let p = project.to_str().unwrap();
    fouille_ok(&["sample", p]);
    fouille_ok(&["pseudonym", "add", p, "Valcourt", "[ville]"]);
    assert!(fouille_ok(&["pseudonym", "list", p]).contains("Valcourt  →  [ville]"));
    assert!(
        fouille_ok(&["pseudonym", "list", p, "--all"]).contains("Nadia Benali  →  Répondante A")
    );
    for ext in ["html", "md", "docx", "odt"] {
        let out = dir.path().join(format!("r.{ext}"));
        let stdout = fouille_ok(&[
            "report",
            p,
            "-o",
            out.to_str().unwrap(),
            "--group-by",
            "controversy",
            "--pseudonymise",
            "--attributes",
            "role,territory",
            "--coder",
            "Claire Morel",
            "--lang",
            "en",
        ]);
        assert!(stdout.contains("pseudonymised"), "{stdout}");
        assert!(std::fs::metadata(&out).unwrap().len() > 1000);
    }
    let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(md.contains("## Coded excerpts") && !md.contains("Nadia") && !md.contains("Valcourt"));
    fouille_ok(&[
        "report",
        p,
        "--format",
        "md",
        "-o",
        dir.path().join("by-code.txt").to_str().unwrap(),
        "--code",
        "Thèmes",
    ]);
    fouille_ok(&["pseudonym", "remove", p, "Valcourt"]);
    assert!(fouille_ok(&["pseudonym", "list", p]).contains("0 entries"));
    let bad = fouille(&["report", p, "-o", "x.pdf"]);
    assert!(!bad.status.success());
}
