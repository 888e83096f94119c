//! REFI-QDA export and import: schema validation, the sample's round trip and merges by
//! GUID. Files from other tools and hostile files: `refi_qda_import.rs`.

use fouille::export::qdpx::{ExportOptions, export_qdc, export_qdpx};
use fouille::import::qdpx::{RefiImportOptions, new_project_from};
use fouille::model::{AttributeScope, CodeId, CodeKind, CodingId, DocumentId, RespondentId};
use fouille::store::excerpts::{ExcerptFilter, excerpts};
use fouille::store::{Project, attributes, coders, codes, codings, documents, memos, respondents};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use crate::support::project::embedded_sample;
use crate::support::refi::{import_into, validate};

fn read_entry(qdpx: &Path, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(qdpx).unwrap()).unwrap();
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

/// Everything a round trip must keep, as comparable values.
#[derive(Debug, PartialEq)]
struct Snapshot {
    documents: BTreeSet<(DocumentId, String, String, String, Option<RespondentId>)>,
    codes: BTreeSet<(CodeId, Option<CodeId>, String, CodeKind, String, String)>,
    respondents: BTreeSet<(RespondentId, String, String, String)>,
    attributes: BTreeSet<(String, String, String, String)>,
    values: Vec<BTreeMap<String, BTreeMap<String, String>>>,
    codings: BTreeSet<(CodingId, DocumentId, CodeId, usize, usize, String, i64, i64)>,
    excerpts: BTreeSet<(CodingId, String, String, String)>,
    memos: BTreeSet<(String, String, String, String, String, i64, i64)>,
}

fn snapshot(project: &Project) -> Snapshot {
    let conn = project.conn();
    Snapshot {
        documents: documents::list(conn)
            .unwrap()
            .into_iter()
            .map(|d| {
                (
                    d.guid,
                    d.name,
                    d.kind.as_str().to_string(),
                    d.content_hash,
                    d.respondent_guid,
                )
            })
            .collect(),
        codes: codes::list(conn)
            .unwrap()
            .into_iter()
            .map(|c| {
                (
                    c.guid,
                    c.parent_guid,
                    c.name,
                    c.kind,
                    c.color,
                    c.description,
                )
            })
            .collect(),
        respondents: respondents::list(conn)
            .unwrap()
            .into_iter()
            .map(|r| (r.guid, r.name, r.pseudonym, r.consent.as_str().to_string()))
            .collect(),
        attributes: attributes::list(conn, None)
            .unwrap()
            .into_iter()
            .map(|a| {
                (
                    a.guid,
                    a.name,
                    a.value_type.as_str().to_string(),
                    a.scope.as_str().to_string(),
                )
            })
            .collect(),
        values: vec![
            attributes::values(conn, AttributeScope::Respondent).unwrap(),
            attributes::values(conn, AttributeScope::Document).unwrap(),
        ],
        codings: codings::list(conn)
            .unwrap()
            .into_iter()
            .map(|c| {
                (
                    c.guid,
                    c.document_guid,
                    c.code_guid,
                    c.start_char,
                    c.end_char,
                    c.created_by.into_string(),
                    c.created_at,
                    c.modified_at,
                )
            })
            .collect(),
        excerpts: excerpts(conn, &ExcerptFilter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.coding.guid, e.text, e.coder_name, e.code_path))
            .collect(),
        memos: memos::list(conn)
            .unwrap()
            .into_iter()
            .map(|m| {
                (
                    m.guid.into_string(),
                    m.target.kind_str().to_string(),
                    m.target.guid().to_string(),
                    m.text,
                    m.created_by.into_string(),
                    m.created_at,
                    m.modified_at,
                )
            })
            .collect(),
    }
}

// ---- export ----

#[test]
fn exported_project_and_codebook_validate_and_are_stable() {
    // Every project.qde validates against Project.xsd, every .qdc against Codebook.xsd;
    // GUIDs are stable across exports.
    let dir = tempfile::tempdir().unwrap();
    let project = Project::open(&embedded_sample(dir.path())).unwrap();
    let qdpx = dir.path().join("sample.qdpx");
    let summary = export_qdpx(
        project.conn(),
        &qdpx,
        &ExportOptions {
            include_withdrawn: true,
        },
    )
    .unwrap();
    assert_eq!(summary.sources, 102);
    assert_eq!(summary.codings, 295);
    assert_eq!(summary.codes, 46);
    let qde = dir.path().join("project.qde");
    std::fs::write(&qde, read_entry(&qdpx, "project.qde")).unwrap();
    validate(&qde, "Project.xsd");
    let qdc = dir.path().join("codebook.qdc");
    assert_eq!(export_qdc(project.conn(), &qdc).unwrap(), 46);
    validate(&qdc, "Codebook.xsd");

    // Sources are UTF-8 without BOM, named by our GUIDs, and hold the stored text.
    let docs = documents::list(project.conn()).unwrap();
    assert_eq!(docs.len(), summary.sources);
    for doc in docs {
        let bytes = read_entry(&qdpx, &format!("sources/{}.txt", doc.guid));
        assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            documents::text(project.conn(), &doc.guid).unwrap()
        );
    }
    // A second export writes the same document, byte for byte.
    let again = dir.path().join("again.qdpx");
    export_qdpx(
        project.conn(),
        &again,
        &ExportOptions {
            include_withdrawn: true,
        },
    )
    .unwrap();
    assert_eq!(
        read_entry(&qdpx, "project.qde"),
        read_entry(&again, "project.qde")
    );
    // Every coding GUID of the project is in the file as a Coding guid.
    let xml = String::from_utf8(read_entry(&qdpx, "project.qde")).unwrap();
    for c in codings::list(project.conn()).unwrap() {
        assert!(
            xml.contains(&format!(
                "<Coding guid=\"{}\" creatingUser=\"{}\"",
                c.guid, c.created_by
            )),
            "{}",
            c.guid
        );
    }
    assert!(xml.contains("name=\"fouille:kind=pole\""));
}

#[test]
fn withdrawn_consent_is_left_out_by_default() {
    // A respondent who withdrew consent must not leave the machine in an exchange file.
    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::open(&embedded_sample(dir.path())).unwrap();
    let r = respondents::list(project.conn())
        .unwrap()
        .into_iter()
        .find(|r| r.name == "Nadia Benali")
        .unwrap();
    project
        .action("withdraw", |tx| {
            respondents::update(
                tx,
                &r.guid,
                &r.name,
                &r.pseudonym,
                fouille::model::Consent::Withdrawn,
            )
        })
        .unwrap();
    let qdpx = dir.path().join("out.qdpx");
    let summary = export_qdpx(project.conn(), &qdpx, &ExportOptions::default()).unwrap();
    assert!(summary.withdrawn_documents_left_out >= 1);
    let xml = String::from_utf8(read_entry(&qdpx, "project.qde")).unwrap();
    assert!(!xml.contains("Nadia Benali"));
    assert!(!xml.contains("01-ccas-accueil"));
    let qde = dir.path().join("project.qde");
    std::fs::write(&qde, xml).unwrap();
    validate(&qde, "Project.xsd");
}

// ---- round trip ----

#[test]
fn sample_round_trips_through_qdpx() {
    // Sample → QDPX → new project gives the same documents, codes (with kinds),
    // respondents, attributes, codings (same text, same coder), memos and GUIDs.
    let dir = tempfile::tempdir().unwrap();
    let original = Project::open(&embedded_sample(dir.path())).unwrap();
    let qdpx = dir.path().join("sample.qdpx");
    export_qdpx(
        original.conn(),
        &qdpx,
        &ExportOptions {
            include_withdrawn: true,
        },
    )
    .unwrap();
    let copy_path = dir.path().join("copy.fouille");
    let report = new_project_from(
        &copy_path,
        &qdpx,
        None,
        Some("Relecteur"),
        &RefiImportOptions::default(),
    )
    .unwrap();
    assert!(report.new_project);
    assert_eq!(report.mid_word_cuts, 0);
    assert!(report.not_imported.is_empty(), "{:?}", report.not_imported);
    assert_eq!(report.added.codings, 295);
    let copy = Project::open(&copy_path).unwrap();
    assert_eq!(copy.name().unwrap(), original.name().unwrap());
    let (a, b) = (snapshot(&original), snapshot(&copy));
    assert_eq!(a.documents, b.documents);
    assert_eq!(a.codes, b.codes);
    assert_eq!(a.respondents, b.respondents);
    assert_eq!(a.attributes, b.attributes);
    assert_eq!(a.values, b.values);
    assert_eq!(a.codings, b.codings);
    assert_eq!(a.excerpts, b.excerpts);
    assert_eq!(a.memos, b.memos);
    let original_coders = coders::list(original.conn()).unwrap();
    assert!(original_coders.len() >= 2, "{original_coders:?}");
    for coder in original_coders {
        assert_eq!(coders::get(copy.conn(), &coder.guid).unwrap(), coder);
    }
    assert!(
        fouille::store::check::check(copy.conn())
            .unwrap()
            .is_empty()
    );

    // The codebook alone, through QDC, keeps GUIDs, tree, kinds, colours, descriptions.
    let qdc = dir.path().join("codebook.qdc");
    export_qdc(original.conn(), &qdc).unwrap();
    let from_qdc = dir.path().join("from-qdc.fouille");
    new_project_from(&from_qdc, &qdc, None, None, &RefiImportOptions::default()).unwrap();
    assert_eq!(snapshot(&Project::open(&from_qdc).unwrap()).codes, a.codes);
}

#[test]
fn merge_by_guid_keeps_the_newer_version() {
    // Importing into an existing project merges by GUID: newer in the file → updated, else
    // kept; the report says which.
    let dir = tempfile::tempdir().unwrap();
    let path_a = embedded_sample(dir.path());
    let mut a = Project::open(&path_a).unwrap();
    let qdpx = dir.path().join("a.qdpx");
    export_qdpx(
        a.conn(),
        &qdpx,
        &ExportOptions {
            include_withdrawn: true,
        },
    )
    .unwrap();

    // Importing our own export changes nothing.
    let before = snapshot(&a);
    let report = import_into(&mut a, &qdpx, false).unwrap();
    assert_eq!(report.added, Default::default(), "{report}");
    assert_eq!(report.updated, Default::default(), "{report}");
    assert_eq!(report.kept.codings, 295);
    assert_eq!(snapshot(&a), before);

    // A colleague's copy: two codes renamed, one coding added, then exported.
    let path_b = dir.path().join("b.fouille");
    new_project_from(
        &path_b,
        &qdpx,
        None,
        Some("Collègue"),
        &RefiImportOptions::default(),
    )
    .unwrap();
    let mut b = Project::open(&path_b).unwrap();
    let themes: Vec<_> = codes::list(b.conn())
        .unwrap()
        .into_iter()
        .filter(|c| c.kind == CodeKind::Theme)
        .collect();
    let (x, y) = (themes[0].clone(), themes[1].clone());
    std::thread::sleep(std::time::Duration::from_millis(5));
    let doc = documents::list(b.conn())
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let new_coding = b
        .action("edit", |tx| {
            codes::rename(tx, &x.guid, "Renommé par la collègue")?;
            codes::rename(tx, &y.guid, "Aussi renommé")?;
            codings::apply(tx, &doc.guid, &x.guid, 0, 5)
        })
        .unwrap();
    let qdpx_b = dir.path().join("b.qdpx");
    export_qdpx(
        b.conn(),
        &qdpx_b,
        &ExportOptions {
            include_withdrawn: true,
        },
    )
    .unwrap();

    // Meanwhile, here, y is renamed later than the colleague did.
    std::thread::sleep(std::time::Duration::from_millis(5));
    a.action("rename", |tx| codes::rename(tx, &y.guid, "Nom d'ici"))
        .unwrap();
    let report = import_into(&mut a, &qdpx_b, false).unwrap();
    assert_eq!(report.added.codings, 1, "{report}");
    assert_eq!(report.updated.codes, 1, "{report}");
    assert_eq!(
        codes::get(a.conn(), &x.guid).unwrap().name,
        "Renommé par la collègue"
    );
    assert_eq!(codes::get(a.conn(), &y.guid).unwrap().name, "Nom d'ici");
    let added = codings::get(a.conn(), &new_coding).unwrap();
    assert_eq!(
        coders::get(a.conn(), &added.created_by).unwrap().name,
        "Collègue"
    );
    // The import was one undo step.
    assert_eq!(a.undo().unwrap().as_deref(), Some("action.import_refi"));
    assert_eq!(codes::get(a.conn(), &x.guid).unwrap().name, x.name);
    assert!(
        codings::list(a.conn())
            .unwrap()
            .iter()
            .all(|c| c.guid != new_coding)
    );
}
