//! REFI-QDA import of files that reproduce what real tools write (tests/data/refi/, made by
//! `make_fixtures.py` there), and of hostile files.

use fouille::export::qdpx::{ExportOptions, export_qdpx};
use fouille::import::qdpx::{
    RefiImportOptions, RefiKind, import_prepared, new_project_from, prepare_bytes,
};
use fouille::model::{AttributeScope, CodeKind, CodingId, MemoId, MemoTarget};
use fouille::store::excerpts::{ExcerptFilter, excerpts};
use fouille::store::{Project, attributes, coders, codes, documents, memos, respondents};
use std::collections::{BTreeMap, BTreeSet};

use crate::support::archive::zip_of;
use crate::support::project::embedded_sample;
use crate::support::refi::{import_into, refi_data, row_count, zip_fixture};

// ---- files from other tools ----

fn excerpts_by_code(project: &Project) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let mut out: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for e in excerpts(project.conn(), &ExcerptFilter::default()).unwrap() {
        out.entry(e.code_path)
            .or_default()
            .insert((e.text, e.coder_name));
    }
    out
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn utf16_positions_with_crlf_as_two_land_on_the_intended_words() {
    // Positions in UTF-16 units with CRLF counted as two over a text with emoji (one file
    // with a UTF-8 BOM not counted); Project.qde with a capital P, Sources/ with a capital
    // S, a stray 0-byte .root, GUIDs in braces and upper case, #RGB colours, an empty
    // <Sets/>, a date without zone.
    let dir = tempfile::tempdir().unwrap();
    let qdpx = zip_fixture("nvivo_utf16_crlf", dir.path());
    let path = dir.path().join("nvivo.fouille");
    let report = new_project_from(&path, &qdpx, None, None, &RefiImportOptions::default()).unwrap();
    assert_eq!(report.mid_word_cuts, 0, "{report}");
    assert_eq!(report.sources.len(), 2);
    for s in &report.sources {
        assert!(
            s.scheme
                .starts_with("UTF-16 units, line breaks as 2, BOM not counted"),
            "{report}"
        );
        assert_eq!(s.basis, "detected");
        assert_eq!(s.ends_on_word_boundaries, s.selections * 2);
        assert!(s.ends_on_word_boundaries_if_standard < s.selections * 2);
    }
    let project = Project::open(&path).unwrap();
    assert_eq!(project.name().unwrap(), "Projet NVivo");
    let got = excerpts_by_code(&project);
    assert_eq!(
        got["Travail/Métier"],
        set(&[
            ("le cœur du métier", "Ana Lopes"),
            ("la tournée 🚛 commence", "Ana Lopes")
        ])
    );
    assert_eq!(
        got["Travail/Relation aux usagers"],
        set(&[
            ("l'accueil 👍🏽 des usagers", "Ana Lopes"),
            ("Merci beaucoup", "Marc Petit")
        ])
    );
    assert_eq!(
        got["Fatigue"],
        set(&[
            ("vraiment épuisées", "Marc Petit"),
            ("ça fait du bien", "Marc Petit")
        ])
    );
    // Braces and case gone; colours normalised; the non-codable parent is a folder.
    let codes = codes::list(project.conn()).unwrap();
    let by_name = |n: &str| codes.iter().find(|c| c.name == n).unwrap().clone();
    assert_eq!(
        by_name("Travail").guid,
        "c0de0000-0000-4000-8000-000000000000"
    );
    assert_eq!(by_name("Travail").kind, CodeKind::Folder);
    assert_eq!(by_name("Travail").color, "#3366cc");
    assert_eq!(by_name("Métier").color, "#ff0000");
    assert_eq!(by_name("Fatigue").color, "#aabbcc");
    assert_eq!(by_name("Métier").description, "Ce qui fait le métier");
    assert_eq!(
        coders::find(project.conn(), "Ana Lopes").unwrap().guid,
        "a1b2c3d4-0000-4000-8000-00000000000a"
    );
    // The case, its typed values and its source.
    let nadia = respondents::find(project.conn(), "Nadia").unwrap();
    let values =
        attributes::values_of(project.conn(), AttributeScope::Respondent, &nadia.guid).unwrap();
    assert_eq!(values.get("Âge").map(String::as_str), Some("42"));
    assert_eq!(
        values.get("Date d'entretien").map(String::as_str),
        Some("2024-10-01")
    );
    assert_eq!(values.get("Titulaire").map(String::as_str), Some("true"));
    let doc = documents::find(project.conn(), "Entretien Nadia").unwrap();
    assert_eq!(doc.respondent_guid.as_ref(), Some(&nadia.guid));
    // The note on a selection is a memo on its coding.
    let memo = memos::get(
        project.conn(),
        &MemoId::new("4e07e000-0000-4000-8000-000000000001"),
    )
    .unwrap();
    assert_eq!(
        memo.target,
        MemoTarget::Coding(CodingId::new("c0d1a600-0000-4000-8000-000000000002"))
    );
    assert_eq!(memo.text, "Revoir la fatigue en fin de semaine.");
    assert!(
        report.remarks.iter().any(|r| r.contains("Project.qde")),
        "{report}"
    );
    // The stored texts are normalised (no BOM, no CR).
    assert!(
        fouille::store::check::check(project.conn())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn qualcoder_like_paths_sets_flat_names_and_unsupported_sources() {
    // <name>.qde; relative://, absolute://, scheme-less and inline texts; a .docx source
    // with its plain-text twin; a BOM counted as a position; codes flattened into
    // Parent::Child (rebuilt on request); variables as sets « attribute: value »; pictures,
    // PDF regions, audio selections, graphs, other sets and vendor extensions reported.
    let dir = tempfile::tempdir().unwrap();
    let qdpx = zip_fixture("qualcoder_variants", dir.path());

    // Without --rebuild-tree the flat names stay, and the report suggests the option.
    let flat_path = dir.path().join("flat.fouille");
    let report =
        new_project_from(&flat_path, &qdpx, None, None, &RefiImportOptions::default()).unwrap();
    assert!(
        report.remarks.iter().any(|r| r.contains("--rebuild-tree")),
        "{report}"
    );
    assert!(codes::resolve(Project::open(&flat_path).unwrap().conn(), "Santé::Coût").is_ok());

    let path = dir.path().join("qc.fouille");
    let report = new_project_from(
        &path,
        &qdpx,
        None,
        None,
        &RefiImportOptions {
            rebuild_tree: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.mid_word_cuts, 0, "{report}");
    let project = Project::open(&path).unwrap();
    let got = excerpts_by_code(&project);
    assert_eq!(
        got["Santé/Accès aux soins"],
        set(&[
            ("L'accès aux soins", "ana"),
            ("la salle d'attente est pleine", "ana"),
            ("on manque de médecins", "ana"),
        ])
    );
    assert_eq!(
        got["Santé/Coût"],
        set(&[("le coût des consultations", "ana")])
    );
    assert_eq!(
        got["Travail de nuit∕jour"],
        set(&[("travaille de nuit", "ana")])
    );
    assert_eq!(
        got["Santé"],
        set(&[
            ("je soigne les gens", "ana"),
            ("les horaires d'ouverture", "ana")
        ])
    );
    let marc = report
        .sources
        .iter()
        .find(|s| s.name == "Entretien Marc")
        .unwrap();
    assert_eq!(marc.scheme, "code points, line breaks as 1, BOM counted");
    let lea = report
        .sources
        .iter()
        .find(|s| s.name == "Entretien Léa")
        .unwrap();
    assert!(
        lea.text_from.ends_with("000000000004.txt"),
        "{}",
        lea.text_from
    );
    let obs = report
        .sources
        .iter()
        .find(|s| s.name == "Observations")
        .unwrap();
    assert_eq!(obs.text_from, "sources/observations.txt");
    // The real « Santé » code (with its description) became the parent.
    let sante = codes::resolve(project.conn(), "Santé").unwrap();
    assert_eq!(sante.description, "Tout ce qui touche à la santé");
    assert_eq!(sante.kind, CodeKind::Theme);
    assert_eq!(
        codes::resolve(project.conn(), "Santé/Coût").unwrap().color,
        "#ff8800"
    );
    // Sets « genre: … » became a document attribute.
    let values = attributes::values(project.conn(), AttributeScope::Document).unwrap();
    let genre = |doc: &str| {
        let d = documents::find(project.conn(), doc).unwrap();
        values
            .get(d.guid.as_str())
            .and_then(|v| v.get("genre"))
            .cloned()
    };
    assert_eq!(genre("Entretien Ana").as_deref(), Some("femme"));
    assert_eq!(genre("Entretien Léa").as_deref(), Some("femme"));
    assert_eq!(genre("Entretien Marc").as_deref(), Some("homme"));
    assert_eq!(documents::list(project.conn()).unwrap().len(), 5);
    // Nothing dropped silently.
    let listed: Vec<String> = report
        .not_imported
        .iter()
        .map(|n| format!("{} {}", n.what, n.name))
        .collect();
    for expected in [
        "picture Photo de la salle",
        "PDF source Rapport ARS",
        "audio Enregistrement Ana",
        "graph Carte des codes",
        "set Codes importants",
        "extension elements ",
    ] {
        assert!(
            listed.iter().any(|l| l == expected),
            "{expected} not in {listed:?}"
        );
    }
    assert!(
        report.remarks.iter().any(|r| r.contains("« / »")),
        "{report}"
    );
    assert!(
        report.remarks.iter().any(|r| r.contains("colours")),
        "{report}"
    );
    assert!(
        report
            .remarks
            .iter()
            .any(|r| r.contains("GUIDs were missing or not UUIDs")),
        "{report}"
    );
}

#[test]
fn codebook_with_namespace_variant_and_kind_markers() {
    // A .qdc in the namespace variant urn:QDA-XML:codebook:1:0, kinds from a description
    // marker (a controversy's children become poles), flat names rebuilt, an empty <Sets/>;
    // then merged into an existing project by GUID.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cb.fouille");
    let report = new_project_from(
        &path,
        &refi_data("codebook_variant.qdc"),
        None,
        None,
        &RefiImportOptions {
            rebuild_tree: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.added.codes, 6, "{report}");
    let mut project = Project::open(&path).unwrap();
    let participation = codes::resolve(project.conn(), "Participation").unwrap();
    assert_eq!(participation.kind, CodeKind::Controversy);
    assert_eq!(participation.description, "La participation citoyenne");
    assert_eq!(participation.color, "#cc0000");
    assert_eq!(
        codes::resolve(project.conn(), "Participation/Victime collatérale")
            .unwrap()
            .kind,
        CodeKind::Pole
    );
    assert_eq!(
        codes::resolve(project.conn(), "Participation/Repli stratégique")
            .unwrap()
            .kind,
        CodeKind::Pole
    );
    assert_eq!(
        codes::resolve(project.conn(), "Territoires").unwrap().kind,
        CodeKind::Folder
    );
    assert_eq!(
        codes::resolve(project.conn(), "Territoires/Rural")
            .unwrap()
            .guid,
        "aa000000-0000-4000-8000-000000000004"
    );
    // Importing it again merges: everything kept, even a code renamed here since (a
    // codebook has no dates, so it never counts as newer).
    let guid = participation.guid.clone();
    project
        .action("rename", |tx| {
            codes::rename(tx, &guid, "Participation citoyenne")
        })
        .unwrap();
    let report = import_into(&mut project, &refi_data("codebook_variant.qdc"), true).unwrap();
    assert_eq!(report.added, Default::default(), "{report}");
    assert_eq!(report.updated, Default::default(), "{report}");
    assert_eq!(report.kept.codes, 6);
    assert_eq!(
        codes::get(project.conn(), &guid).unwrap().name,
        "Participation citoyenne"
    );
}

// ---- hostile files ----

fn assert_refused(bytes: Vec<u8>, kind: RefiKind, expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::open(&embedded_sample(dir.path())).unwrap();
    let tables = [
        "documents",
        "codes",
        "codings",
        "memos",
        "respondents",
        "coders",
        "history_steps",
    ];
    let before: Vec<i64> = tables.iter().map(|t| row_count(&project, t)).collect();
    let name = if kind == RefiKind::Project {
        "hostile.qdpx"
    } else {
        "hostile.qdc"
    };
    let file = dir.path().join(name);
    std::fs::write(&file, &bytes).unwrap();
    let err = import_into(&mut project, &file, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains(expected), "expected « {expected} » in: {err}");
    assert!(err.contains(name), "the message names the file: {err}");
    let after: Vec<i64> = tables.iter().map(|t| row_count(&project, t)).collect();
    assert_eq!(before, after, "the project changed");
    // `new --from` creates nothing either.
    let target = dir.path().join("new.fouille");
    assert!(new_project_from(&target, &file, None, None, &RefiImportOptions::default()).is_err());
    assert!(!target.exists());
    assert!(!dir.path().join("new.fouille.partial").exists());
    // The bytes alone give the same refusal.
    assert!(prepare_bytes(&bytes, kind, &file, &RefiImportOptions::default()).is_err());
}

const MINIMAL: &str =
    r#"<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>"#;

#[test]
fn zip_slip_entry_is_refused() {
    let bytes = zip_of(&[
        ("project.qde", MINIMAL.as_bytes()),
        ("../evil.txt", b"pwned"),
    ]);
    assert_refused(
        bytes,
        RefiKind::Project,
        "unsafe path in archive: « ../evil.txt »",
    );
}

#[test]
fn zip_bomb_is_refused() {
    // 64 MiB of spaces inside the project document compress about 1000:1.
    let mut xml =
        String::from(r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>"#);
    xml.push_str(&" ".repeat(64 * 1024 * 1024));
    xml.push_str("</Description></Project>");
    let bytes = zip_of(&[("project.qde", xml.as_bytes())]);
    assert!(bytes.len() < 1024 * 1024);
    assert_refused(bytes, RefiKind::Project, "possible zip bomb");
}

#[test]
fn billion_laughs_is_refused() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE Project [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"><Description>&lol3;</Description></Project>"#;
    assert_refused(
        zip_of(&[("project.qde", xml.as_bytes())]),
        RefiKind::Project,
        "billion laughs",
    );
    assert_refused(
        xml.replace("Project", "CodeBook").into_bytes(),
        RefiKind::Codebook,
        "billion laughs",
    );
}

#[test]
fn truncated_zip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::open(&embedded_sample(dir.path())).unwrap();
    let qdpx = dir.path().join("full.qdpx");
    export_qdpx(project.conn(), &qdpx, &ExportOptions::default()).unwrap();
    let mut bytes = std::fs::read(&qdpx).unwrap();
    bytes.truncate(bytes.len() / 2);
    assert_refused(
        bytes,
        RefiKind::Project,
        "not a readable QDPX project: not a valid zip archive",
    );
}

#[test]
fn wrong_namespace_and_wrong_root_are_refused() {
    let xml = MINIMAL.replace("urn:QDA-XML:project:1.0", "http://example.com/not-refi");
    assert_refused(
        zip_of(&[("project.qde", xml.as_bytes())]),
        RefiKind::Project,
        "namespace « http://example.com/not-refi »",
    );
    let xml = r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>"#;
    assert_refused(
        zip_of(&[("project.qde", xml.as_bytes())]),
        RefiKind::Project,
        "not <Project>",
    );
    assert_refused(
        b"<html><body>not a codebook</body></html>".to_vec(),
        RefiKind::Codebook,
        "not <CodeBook>",
    );
    assert_refused(
        b"<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>".to_vec(),
        RefiKind::Codebook,
        "truncated",
    );
    assert_refused(
        zip_of(&[("readme.txt", b"hello")]),
        RefiKind::Project,
        "no project document (.qde)",
    );
}

#[test]
fn prepared_import_writes_nothing_until_applied() {
    // Reading and planning never touch the project; applying is one transaction.
    let dir = tempfile::tempdir().unwrap();
    let qdpx = zip_fixture("nvivo_utf16_crlf", dir.path());
    let mut project = Project::create(&dir.path().join("p.fouille"), "p", None).unwrap();
    let prepared = prepare_bytes(
        &std::fs::read(&qdpx).unwrap(),
        RefiKind::Project,
        &qdpx,
        &RefiImportOptions::default(),
    )
    .unwrap();
    assert_eq!(row_count(&project, "documents"), 0);
    let report = import_prepared(&mut project, prepared).unwrap();
    assert_eq!(report.added.documents, 2);
    assert_eq!(row_count(&project, "history_steps"), 1);
}

#[test]
fn texts_outside_the_archive_are_read_only_from_the_folder_the_user_names() {
    // A project received from someone else must not pull a file of the user's disk into
    // the project: `relative://` and `absolute://` sources are read only from the folder
    // given with --allow-external-sources, and only text documents even there.
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("partage");
    std::fs::create_dir(&shared).unwrap();
    std::fs::write(shared.join("dehors.txt"), "Texte posé à côté du projet.\n").unwrap();
    std::fs::write(shared.join("secret"), "ne pas lire").unwrap();
    let secret_dir = dir.path().join("secretdir");
    std::fs::create_dir(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("secret.txt"), "mot de passe").unwrap();
    let xml = format!(
        r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Tool">
  <Sources>
    <TextSource guid="5b1c0000-0000-4000-8000-0000000000a1" name="Dehors" plainTextPath="relative://dehors.txt"/>
    <TextSource guid="5b1c0000-0000-4000-8000-0000000000a2" name="Secret" plainTextPath="absolute://{}"/>
    <TextSource guid="5b1c0000-0000-4000-8000-0000000000a3" name="Voisin" plainTextPath="relative://../secretdir/secret.txt"/>
    <TextSource guid="5b1c0000-0000-4000-8000-0000000000a4" name="Absolu" plainTextPath="absolute://{}"/>
  </Sources>
</Project>"#,
        shared.join("secret").display(),
        secret_dir.join("secret.txt").display()
    );
    let qdpx = shared.join("p.qdpx");
    std::fs::write(&qdpx, zip_of(&[("project.qde", xml.as_bytes())])).unwrap();
    let read_texts = |path: &std::path::Path| -> Vec<String> {
        let project = Project::open(path).unwrap();
        documents::list(project.conn())
            .unwrap()
            .iter()
            .map(|d| documents::text(project.conn(), &d.guid).unwrap())
            .collect()
    };

    // Without the option nothing outside the archive is read, and each source says why.
    let path = dir.path().join("p.fouille");
    let report = new_project_from(&path, &qdpx, None, None, &RefiImportOptions::default()).unwrap();
    assert!(read_texts(&path).is_empty());
    for name in ["Dehors", "Voisin", "Absolu"] {
        let entry = report.not_imported.iter().find(|n| n.name == name);
        assert!(
            entry.is_some_and(|n| n.reason.contains("--allow-external-sources")),
            "{name}: {report}"
        );
    }
    let everything: String = format!("{report}");
    assert!(!everything.contains("mot de passe"));

    // With the sources' own folder allowed: the text document there is read (and said),
    // a file of another kind there is not, and nothing outside that folder is.
    let options = RefiImportOptions {
        allow_external_sources: Some(shared.clone()),
        ..Default::default()
    };
    let path = dir.path().join("q.fouille");
    let report = new_project_from(&path, &qdpx, None, None, &options).unwrap();
    assert_eq!(
        read_texts(&path),
        vec!["Texte posé à côté du projet.\n".to_string()]
    );
    assert!(
        report
            .remarks
            .iter()
            .any(|r| r.contains("read from outside the archive")),
        "{report}"
    );
    for name in ["Secret", "Voisin", "Absolu"] {
        assert!(
            report.not_imported.iter().any(|n| n.name == name),
            "{name}: {report}"
        );
    }
}

#[test]
fn selections_reaching_outside_the_text_are_reported_not_clamped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let xml = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Tool">
  <CodeBook><Codes><Code guid="5b1c0000-0000-4000-8000-00000000c0de" name="Thème" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="5b1c0000-0000-4000-8000-0000000000b1" name="Court" plainTextPath="internal://court.txt">
      <PlainTextSelection guid="5b1c0000-0000-4000-8000-0000000000e1" startPosition="3" endPosition="90">
        <Coding guid="5b1c0000-0000-4000-8000-0000000000f1"><CodeRef targetGUID="5b1c0000-0000-4000-8000-00000000c0de"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5b1c0000-0000-4000-8000-0000000000e2" startPosition="0" endPosition="5">
        <Coding guid="5b1c0000-0000-4000-8000-0000000000f2"><CodeRef targetGUID="5b1c0000-0000-4000-8000-00000000c0de"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"#;
    let qdpx = dir.path().join("p.qdpx");
    std::fs::write(
        &qdpx,
        zip_of(&[
            ("project.qde", xml.as_bytes()),
            ("sources/court.txt", "Un texte bref.".as_bytes()),
        ]),
    )
    .unwrap();
    let path = dir.path().join("p.fouille");
    let report = new_project_from(&path, &qdpx, None, None, &RefiImportOptions::default()).unwrap();
    let remark = report
        .remarks
        .iter()
        .find(|r| r.contains("reaching outside its text"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(remark.contains("« Court »"), "{remark}");
    assert!(
        remark.contains("5b1c0000-0000-4000-8000-0000000000e1 at 3–90 → 3–14"),
        "{remark}"
    );
    assert!(!remark.contains("0000000000e2"), "{remark}");
}

#[test]
fn project_document_in_any_encoding_or_order_reads_the_same() {
    // The project document is read as a stream out of the archive when it is plain UTF-8
    // with its sections in order, else whole. Both ways must give the same project.
    let dir = tempfile::tempdir().unwrap();
    let source = Project::open(&embedded_sample(dir.path())).unwrap();
    let qdpx = dir.path().join("sample.qdpx");
    export_qdpx(source.conn(), &qdpx, &ExportOptions::default()).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&qdpx).unwrap()).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        entries.push((entry.name().unwrap().to_string(), bytes));
    }
    let qde = entries
        .iter()
        .position(|(n, _)| n == "project.qde")
        .unwrap();
    let xml = String::from_utf8(entries[qde].1.clone()).unwrap();
    // The same document with its users moved after its sources (out of REFI-QDA's order).
    let users_start = xml.find("<Users>").unwrap();
    let users_end = xml.find("</Users>").unwrap() + "</Users>".len();
    let users = &xml[users_start..users_end];
    let shuffled =
        xml.replacen(users, "", 1)
            .replacen("</Sources>", &format!("</Sources>{users}"), 1);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let variants: [(&str, Vec<u8>); 4] = [
        ("plain", xml.clone().into_bytes()),
        (
            "utf8-bom",
            [&[0xEF, 0xBB, 0xBF][..], xml.as_bytes()].concat(),
        ),
        ("utf16", utf16),
        ("shuffled", shuffled.into_bytes()),
    ];
    let mut seen = Vec::new();
    for (name, qde_bytes) in variants {
        let mut variant = entries.clone();
        variant[qde].1 = qde_bytes;
        let refs: Vec<(&str, &[u8])> = variant
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let file = dir.path().join(format!("{name}.qdpx"));
        std::fs::write(&file, zip_of(&refs)).unwrap();
        let target = dir.path().join(format!("{name}.fouille"));
        new_project_from(&target, &file, None, None, &RefiImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let project = Project::open(&target).unwrap();
        let got = (
            excerpts_by_code(&project),
            row_count(&project, "coders"),
            row_count(&project, "respondents"),
        );
        assert!(!got.0.is_empty(), "{name}");
        seen.push((name, got));
    }
    for (name, got) in &seen[1..] {
        assert_eq!(got, &seen[0].1, "{name} reads differently from plain UTF-8");
    }
}
