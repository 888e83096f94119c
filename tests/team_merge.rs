//! Merging copies of a project: a team scenario on real interviews, edited transcripts, an
//! interview imported twice, merging into an open project, and failures that leave
//! everything unchanged. The merge laws are proved in `team_merge_laws`.

use fouille::model::{CodeKind, CodingId, MemoTarget};
use fouille::store::codes::NewCode;
use fouille::store::{Project, codes, codings, documents, memos};
use fouille::team::fingerprint::file_fingerprint;
use fouille::team::merge::{MergeOptions, merge_files, merge_into};
use fouille::team::report::Entity;
use fouille::team::snapshot::open_read_only;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use crate::support::team::{
    T0, apply, assert_same, at, distribute, import, open_as, single_doc_project,
};

fn char_range(text: &str, quote: &str) -> (usize, usize) {
    let byte = text
        .find(quote)
        .unwrap_or_else(|| panic!("« {quote} » not in text"));
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

// An edited transcript keeps both coders' codings, rebased, and lists the rest
#[test]
fn edited_transcript_rebases_codings_and_lists_what_cannot_be_placed() {
    let original = "Enquêteur : Bonjour, merci 🙂.\nAgnès : Euh, on a réorganisé le service en 2021, c’est ça.\nAgnès : Les équipes ont été coupées en deux.\nAgnès : Depuis, l’accueil ferme à midi.\n";
    let edited = "Enquêteur : Bonjour, merci 🙂 de me recevoir.\nAgnès : On a réorganisé le service en 2021, c’est ça.\nAgnès : Les équipes ont été divisées en deux.\nAgnès : Depuis, l’accueil ferme à midi.\n";
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let (p, doc, code) = single_doc_project(&base, original);
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);

    let mut yann = open_as(&b, "Yann");
    let quotes = [
        "réorganisé le service en 2021",
        "Les équipes ont été coupées en deux.",
        "Euh, on a",
        "l’accueil ferme à midi",
    ];
    let mut guids = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        let (s, e) = char_range(original, q);
        guids.push(apply(&mut yann, T0 + 100 + i as i64, &doc, &code, s, e - s));
    }
    drop(yann);
    let mut claire = open_as(&a, "Claire");
    at(&mut claire, T0 + 200, |tx| {
        documents::replace_text(tx, &doc, edited)
    })
    .unwrap();
    let (s, e) = char_range(edited, "de me recevoir");
    let claire_coding = apply(&mut claire, T0 + 201, &doc, &code, s, e - s);
    drop(claire);

    let out = dir.path().join("merged.fouille");
    let report = merge_files(
        &out,
        &[a.clone(), b.clone()],
        &MergeOptions {
            now_ms: T0 + 1000,
            ..MergeOptions::default()
        },
    )
    .unwrap();
    let project = Project::open(&out).unwrap();
    assert_eq!(documents::text(project.conn(), &doc).unwrap(), edited);
    let coded: BTreeMap<CodingId, String> =
        fouille::store::excerpts::excerpts(project.conn(), &Default::default())
            .unwrap()
            .into_iter()
            .map(|x| (x.coding.guid, x.text))
            .collect();
    assert_eq!(coded[&guids[0]], "réorganisé le service en 2021"); // moved, same text
    assert_eq!(coded[&guids[1]], "Les équipes ont été divisées en deux."); // text changed inside
    assert!(
        !coded.contains_key(&guids[2]),
        "the start of « Euh, on a » was deleted: not placed"
    );
    assert_eq!(coded[&guids[3]], "l’accueil ferme à midi");
    assert_eq!(coded[&claire_coding], "de me recevoir");
    assert_eq!(
        fouille::store::check::check(project.conn()).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(report.rebased.len(), 1);
    let r = &report.rebased[0];
    assert_eq!((r.exact, r.adjusted, r.unplaced), (2, 1, 1));
    let dropped: Vec<_> = report
        .dropped
        .iter()
        .filter(|d| d.entity == Entity::Coding)
        .collect();
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].guid, guids[2].as_str());
    assert!(dropped[0].what.contains("Euh, on a"), "{}", dropped[0].what);
}

#[test]
fn interview_imported_twice_becomes_one_document_with_both_codings() {
    let text = "Nadia : On a tout dématérialisé, mais les gens reviennent au guichet.\nNadia : Moi je suis l’aiguillage.\n";
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let mut p = Project::create(&base, "Base", Some("Lead")).unwrap();
    let code = at(&mut p, T0, |tx| {
        codes::insert(tx, NewCode::new("Accueil", CodeKind::Theme, None))
    })
    .unwrap();
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);
    let mut claire = open_as(&a, "Claire");
    let da = import(&mut claire, T0 + 10, "nadia", text);
    let ca = apply(&mut claire, T0 + 11, &da, &code, 8, 20);
    drop(claire);
    let mut yann = open_as(&b, "Yann");
    let db = import(&mut yann, T0 + 20, "Nadia (CCAS)", text);
    let cb = apply(&mut yann, T0 + 21, &db, &code, 72, 17);
    at(&mut yann, T0 + 22, |tx| {
        memos::add(
            tx,
            &MemoTarget::Document(db.clone()),
            "Transcription relue.",
            None,
        )
    })
    .unwrap();
    drop(yann);

    let out = dir.path().join("merged.fouille");
    let report = merge_files(&out, &[a, b], &MergeOptions::pure()).unwrap();
    let project = Project::open(&out).unwrap();
    let docs = documents::list(project.conn()).unwrap();
    assert_eq!(docs.len(), 1);
    let kept = da.clone().min(db.clone());
    assert_eq!(docs[0].guid, kept);
    let on_it: HashSet<CodingId> = codings::for_document(project.conn(), &kept)
        .unwrap()
        .into_iter()
        .map(|c| c.guid)
        .collect();
    assert_eq!(on_it, HashSet::from([ca, cb]));
    assert_eq!(
        memos::for_target(project.conn(), &MemoTarget::Document(kept.clone()))
            .unwrap()
            .len(),
        1
    );
    let unified: Vec<_> = report
        .unified
        .iter()
        .filter(|u| u.entity == Entity::Document)
        .collect();
    assert_eq!(unified.len(), 1);
    assert_eq!(unified[0].kept_guid, kept.as_str());
    assert_eq!(unified[0].merged_guids, vec![da.max(db).into_string()]);
}

// Merging into an open project = writing a new merged project; twice adds nothing
#[test]
fn merge_into_an_open_project_matches_a_new_merge_and_backs_up() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let (p, doc, code) = single_doc_project(
        &base,
        "Agnès : Les équipes ont été coupées en deux, puis réunies.\n",
    );
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);
    let mut yann = open_as(&b, "Yann");
    apply(&mut yann, T0 + 10, &doc, &code, 8, 10);
    at(&mut yann, T0 + 11, |tx| {
        codes::rename(tx, &code, "Organisation")
    })
    .unwrap();
    drop(yann);
    let mut claire = open_as(&a, "Claire");
    apply(&mut claire, T0 + 20, &doc, &code, 20, 9);
    drop(claire);

    let fresh = dir.path().join("fresh.fouille");
    merge_files(&fresh, &[a.clone(), b.clone()], &MergeOptions::pure()).unwrap();
    let mut target = open_as(&a, "Claire");
    let report = merge_into(&mut target, &[b.clone()], &MergeOptions::pure()).unwrap();
    let backup = PathBuf::from(report.backup.clone().unwrap());
    assert!(backup.exists());
    assert_eq!(
        target.undo_label().unwrap(),
        None,
        "the merge is undone by the backup, not by undo"
    );
    target
        .action("renommer", |tx| codes::rename(tx, &code, "Autre nom"))
        .unwrap();
    assert_eq!(target.undo().unwrap().as_deref(), Some("renommer"));
    assert_eq!(report.inputs[0].label, "");
    assert_eq!(report.inputs[0].only_here.codings, 1);
    assert_eq!(report.inputs[1].only_here.codings, 1);
    drop(target);
    assert_same(
        &file_fingerprint(&a).unwrap(),
        &file_fingerprint(&fresh).unwrap(),
        "merge into vs new merge",
    );
    let mut target = open_as(&a, "Claire");
    merge_into(&mut target, &[b.clone()], &MergeOptions::pure()).unwrap();
    drop(target);
    assert_same(
        &file_fingerprint(&a).unwrap(),
        &file_fingerprint(&fresh).unwrap(),
        "merging B twice",
    );
    // The rows Claire made here keep no provenance; Yann's say where they came from.
    let conn = open_read_only(&a).unwrap();
    let sources: BTreeMap<fouille::model::CoderId, String> = codings::list(&conn)
        .unwrap()
        .into_iter()
        .map(|c| (c.created_by, c.source_project))
        .collect();
    let coder = |n: &str| fouille::store::coders::find(&conn, n).unwrap().guid;
    assert_eq!(sources[&coder("Claire")], "");
    assert_eq!(sources[&coder("Yann")], "b.fouille");
}

#[test]
fn failed_merges_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let (p, doc, code) = single_doc_project(&base, "Agnès : Depuis, l’accueil ferme à midi.\n");
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);
    let mut yann = open_as(&b, "Yann");
    let yann_coding = apply(&mut yann, T0 + 10, &doc, &code, 8, 10);
    drop(yann);

    // A new merge whose input is not a project: no file is written.
    let not_a_project = dir.path().join("notes.fouille");
    std::fs::write(&not_a_project, "pas un projet").unwrap();
    let out = dir.path().join("merged.fouille");
    assert!(merge_files(&out, &[a.clone(), not_a_project], &MergeOptions::default()).is_err());
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(left.iter().all(|n| !n.starts_with("merged")), "{left:?}");
    // An existing output is never overwritten.
    assert!(merge_files(&a, &[b.clone(), base.clone()], &MergeOptions::default()).is_err());

    // A merge into a project that fails half-way (a trigger refuses one row) changes nothing.
    let mut target = open_as(&a, "Claire");
    let before = fouille::team::fingerprint::project_fingerprint(target.conn()).unwrap();
    target
        .conn()
        .execute_batch(&format!(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON codings WHEN NEW.guid = '{yann_coding}' BEGIN SELECT RAISE(ABORT, 'refused'); END;"
        ))
        .unwrap();
    let before_with_trigger =
        fouille::team::fingerprint::project_fingerprint(target.conn()).unwrap();
    let err = merge_into(&mut target, &[b.clone()], &MergeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("refused"), "{err}");
    assert_eq!(
        fouille::team::fingerprint::project_fingerprint(target.conn()).unwrap(),
        before_with_trigger
    );
    // Undo still records actions on this connection after the failed merge.
    target
        .action("renommer", |tx| codes::rename(tx, &code, "Accueil"))
        .unwrap();
    assert_eq!(target.undo().unwrap().as_deref(), Some("renommer"));
    drop(target);
    assert_same(
        &file_fingerprint(&a).unwrap(),
        &before,
        "after a failed merge",
    );
}
