//! The project store: lock, migrations, undo/redo, invariants, search.

use crate::support::project::{fouille_err, s, sample_project};
use fouille::model::{AttributeScope, AttributeType, CodeKind, CodingId, MemoTarget};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::{
    Project, StoreError, attributes, codes, codings, documents, memos, respondents, search,
};

const TEXT: &str =
    "Nadia : Le cœur du métier 😅, c’est l’accueil.\nEnquêtrice : Et la résilience ?\n";

fn project_with_doc(
    dir: &std::path::Path,
) -> (Project, fouille::model::DocumentId, fouille::model::CodeId) {
    let mut p = Project::create(&dir.join("p.fouille"), "Test", Some("Claire")).unwrap();
    let (doc, code) = p
        .action("setup", |tx| {
            let doc = documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: "entretien".into(),
                    kind: fouille::model::DocumentKind::Interview,
                    text: TEXT.into(),
                    origin: "test".into(),
                    media_path: None,
                    respondent_guid: None,
                },
            )?;
            let code = codes::insert(tx, NewCode::new("Accueil", CodeKind::Theme, None))?;
            Ok((doc, code))
        })
        .unwrap();
    (p, doc, code)
}

#[test]
fn excerpt_text_is_exactly_the_coded_chars() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, doc, code) = project_with_doc(dir.path());
    // "cœur du métier 😅" starts at char 11.
    let start = TEXT.chars().position(|c| c == 'c').unwrap();
    let end = start + "cœur du métier 😅".chars().count();
    p.action("code", |tx| codings::apply(tx, &doc, &code, start, end))
        .unwrap();
    let ex = fouille::store::excerpts::excerpts(p.conn(), &Default::default()).unwrap();
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].text, "cœur du métier 😅");
    assert_eq!(ex[0].coder_name, "Claire");
}

#[test]
fn bad_ranges_and_folder_codes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, doc, code) = project_with_doc(dir.path());
    let len = TEXT.chars().count();
    assert!(
        p.action("x", |tx| codings::apply(tx, &doc, &code, 5, len + 1))
            .is_err()
    );
    assert!(
        p.action("x", |tx| codings::apply(tx, &doc, &code, 5, 5))
            .is_err()
    );
    let folder = p
        .action("f", |tx| {
            codes::insert(tx, NewCode::new("Dossier", CodeKind::Folder, None))
        })
        .unwrap();
    assert!(
        p.action("x", |tx| codings::apply(tx, &doc, &folder, 0, 3))
            .is_err()
    );
    assert_eq!(codings::list(p.conn()).unwrap().len(), 0);
}

#[test]
fn second_open_is_refused_with_the_holder_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.fouille");
    let p = Project::create(&path, "Test", Some("Claire")).unwrap();
    match Project::open(&path) {
        Err(StoreError::Locked { holder, .. }) => {
            assert!(
                holder.contains(&std::process::id().to_string()),
                "holder: {holder}"
            );
        }
        other => panic!("expected a lock error, got {other:?}"),
    }
    drop(p);
    Project::open(&path).expect("opens once closed");
}

#[test]
fn lock_holds_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.fouille");
    let _p = Project::create(&path, "Test", Some("Claire")).unwrap();
    let err = fouille_err(&["documents", s(&path)]);
    assert!(
        err.contains("already open") && err.contains(&std::process::id().to_string()),
        "{err}"
    );
}

#[test]
fn stale_lock_of_a_dead_local_process_is_taken_over_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.fouille");
    drop(Project::create(&path, "Test", None).unwrap());
    let host = fouille::store::lock::host_name();
    let stale =
        format!(r#"{{"pid":999999999,"host":"{host}","user":"x","since":"2025-01-01T00:00:00Z"}}"#);
    std::fs::write(fouille::store::lock::lock_path(&path), &stale).unwrap();
    let p = Project::open(&path).unwrap();
    assert_eq!(
        p.opened.taken_over_lock.as_ref().map(|h| h.pid),
        Some(999_999_999)
    );
    drop(p);
    // Left by another machine: refused unless the user takes it over.
    let other = r#"{"pid":1,"host":"autre-machine","user":"x","since":"2025-01-01T00:00:00Z"}"#;
    std::fs::write(fouille::store::lock::lock_path(&path), other).unwrap();
    assert!(matches!(
        Project::open(&path),
        Err(StoreError::StaleLock { .. })
    ));
    let opts = fouille::store::OpenOptions {
        stale: fouille::store::StalePolicy::TakeOverAny,
        coder: None,
    };
    assert!(Project::open_with(&path, &opts).is_ok());
}

#[test]
fn not_a_project_and_newer_version_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.fouille");
    std::fs::write(&text, "ceci n'est pas une base").unwrap();
    let err = Project::open(&text).unwrap_err().to_string();
    assert!(err.contains("not a Fouille project"), "{err}");
    let path = dir.path().join("p.fouille");
    drop(Project::create(&path, "Test", None).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = Project::open(&path).unwrap_err().to_string();
    assert!(err.contains("newer version"), "{err}");
    let empty_db = dir.path().join("other.fouille");
    rusqlite::Connection::open(&empty_db)
        .unwrap()
        .execute_batch("CREATE TABLE t(x);")
        .unwrap();
    assert!(
        Project::open(&empty_db)
            .unwrap_err()
            .to_string()
            .contains("not a Fouille project")
    );
}

#[test]
fn undo_and_redo_cover_codings_codebook_attributes_and_memos() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, doc, code) = project_with_doc(dir.path());
    let coding = p
        .action("code", |tx| codings::apply(tx, &doc, &code, 0, 5))
        .unwrap();
    p.action("memo", |tx| {
        memos::set(tx, &MemoTarget::Coding(coding.clone()), "à revoir")
    })
    .unwrap();
    let resp = p
        .action("resp", |tx| respondents::ensure(tx, "Nadia"))
        .unwrap();
    p.action("attr", |tx| {
        let a = attributes::define(
            tx,
            "âge",
            AttributeType::Integer,
            AttributeScope::Respondent,
            None,
        )?;
        attributes::set_value(tx, &a.guid, &resp, Some("42"))
    })
    .unwrap();
    p.action("delete code", |tx| codes::delete(tx, &code))
        .unwrap();
    assert_eq!(codings::list(p.conn()).unwrap().len(), 0);
    assert_eq!(p.undo().unwrap().as_deref(), Some("delete code"));
    assert_eq!(
        codings::list(p.conn()).unwrap().len(),
        1,
        "deleting a code is undoable with its codings"
    );
    assert_eq!(p.undo().unwrap().as_deref(), Some("attr"));
    assert!(
        attributes::values_of(p.conn(), AttributeScope::Respondent, &resp)
            .unwrap()
            .is_empty()
    );
    assert_eq!(p.redo().unwrap().as_deref(), Some("attr"));
    assert_eq!(
        attributes::values_of(p.conn(), AttributeScope::Respondent, &resp).unwrap()["âge"],
        "42"
    );
    p.undo().unwrap();
    p.undo().unwrap(); // resp
    p.undo().unwrap(); // memo
    assert!(memos::list(p.conn()).unwrap().is_empty());
    p.undo().unwrap(); // code
    assert!(codings::list(p.conn()).unwrap().is_empty());
    // A new action clears the redo stack.
    p.action("code again", |tx| codings::apply(tx, &doc, &code, 1, 4))
        .unwrap();
    assert_eq!(p.redo_label().unwrap(), None);
    assert!(fouille::store::check::check(p.conn()).unwrap().is_empty());
}

#[test]
fn a_failed_action_leaves_nothing_and_no_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, doc, code) = project_with_doc(dir.path());
    let before = p.undo_label().unwrap();
    let r = p.action("two codings, one bad", |tx| {
        codings::apply(tx, &doc, &code, 0, 3)?;
        codings::apply(tx, &doc, &code, 3, 10_000)
    });
    assert!(r.is_err());
    assert!(codings::list(p.conn()).unwrap().is_empty());
    assert_eq!(p.undo_label().unwrap(), before);
}

#[test]
fn actions_after_a_bulk_action_are_undoable_even_when_it_failed() {
    // Bulk actions turn the undo-capture triggers off while they run: they must be back
    // afterwards, whether the bulk action succeeded or not.
    let dir = tempfile::tempdir().unwrap();
    let (mut p, doc, code) = project_with_doc(dir.path());
    p.bulk_action(|tx| codings::apply(tx, &doc, &code, 0, 5).map(|_| ()))
        .unwrap();
    assert_eq!(codings::list(p.conn()).unwrap().len(), 1);
    let failed = p.bulk_action(|tx| {
        codings::apply(tx, &doc, &code, 6, 10)?;
        codings::apply(tx, &doc, &code, 3, 10_000).map(|_| ())
    });
    assert!(failed.is_err());
    assert_eq!(
        codings::list(p.conn()).unwrap().len(),
        1,
        "the failed bulk action left nothing"
    );
    p.action("one more", |tx| codings::apply(tx, &doc, &code, 11, 15))
        .unwrap();
    assert_eq!(codings::list(p.conn()).unwrap().len(), 2);
    assert_eq!(p.undo().unwrap().as_deref(), Some("one more"));
    assert_eq!(
        codings::list(p.conn()).unwrap().len(),
        1,
        "the action was recorded: undo removed its coding"
    );
}

#[test]
fn search_is_accent_and_ligature_insensitive_and_follows_undo() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, _doc, _code) = project_with_doc(dir.path());
    for q in [
        "coeur",
        "CŒUR",
        "resilience",
        "Résilience",
        "metier accueil",
    ] {
        let hits = search::search(p.conn(), q, 10).unwrap();
        assert!(!hits.is_empty(), "no hit for {q}");
    }
    let hit = &search::search(p.conn(), "coeur", 10).unwrap()[0];
    assert_eq!(hit.matched, "cœur");
    let text = documents::text(p.conn(), &hit.document_guid).unwrap();
    assert_eq!(
        fouille::model::text::slice_chars(&text, hit.start_char, hit.end_char),
        Some("cœur")
    );
    p.undo().unwrap(); // the setup action: the document goes
    assert!(search::search(p.conn(), "coeur", 10).unwrap().is_empty());
    assert!(fouille::store::check::check(p.conn()).unwrap().is_empty());
}

#[test]
fn codebook_kinds_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("p.fouille"), "T", None).unwrap();
    p.action("t", |tx| {
        fouille::templates::load(tx, &fouille::templates::reflexes_publics())
    })
    .unwrap();
    let all = codes::list(p.conn()).unwrap();
    assert_eq!(
        all.iter()
            .filter(|c| c.kind == CodeKind::Controversy)
            .count(),
        6
    );
    assert_eq!(all.iter().filter(|c| c.kind == CodeKind::Pole).count(), 12);
    assert_eq!(
        all.iter()
            .filter(|c| c.kind == CodeKind::Orientation)
            .count(),
        7
    );
    let contro = codes::resolve(p.conn(), "Controverses/Le pilotage").unwrap();
    let third = p.action("x", |tx| {
        codes::insert(
            tx,
            NewCode::new("Troisième voie", CodeKind::Pole, Some(&contro.guid)),
        )
    });
    assert!(third.is_err(), "a controversy has exactly two poles");
    let orient = codes::resolve(p.conn(), "Prendre soin des rituels").unwrap();
    p.action("piste", |tx| {
        codes::insert(
            tx,
            NewCode::new(
                "Accueillir les nouveaux",
                CodeKind::Piste,
                Some(&orient.guid),
            ),
        )
    })
    .unwrap();
    assert!(
        p.action("x", |tx| codes::insert(
            tx,
            NewCode::new("Piste perdue", CodeKind::Piste, None)
        ))
        .is_err()
    );
    // Loading the template twice adds nothing.
    let added = p
        .action("t2", |tx| {
            fouille::templates::load(tx, &fouille::templates::reflexes_publics())
        })
        .unwrap();
    assert_eq!(added, 0);
    assert_eq!(
        fouille::templates::english_name("Repli stratégique").as_deref(),
        Some("Strategic retreat")
    );
    assert!(fouille::store::check::check(p.conn()).unwrap().is_empty());
}

#[test]
fn the_sample_project_passes_check_and_is_richly_coded() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_project(dir.path());
    let p = Project::open(&path).unwrap();
    assert!(fouille::store::check::check(p.conn()).unwrap().is_empty());
    let integrity: String = p
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let all = codings::list(p.conn()).unwrap();
    assert!(all.len() >= 150, "{} codings", all.len());
    let coders: std::collections::BTreeSet<_> = all.iter().map(|c| c.created_by.clone()).collect();
    assert_eq!(coders.len(), 2);
    let docs = documents::list(p.conn()).unwrap();
    assert!(
        docs.iter()
            .filter(|d| d.kind != fouille::model::DocumentKind::SurveyAnswer)
            .count()
            >= 12
    );
    for d in docs
        .iter()
        .filter(|d| d.kind != fouille::model::DocumentKind::SurveyAnswer)
    {
        let words = documents::text(p.conn(), &d.guid)
            .unwrap()
            .split_whitespace()
            .count();
        assert!(words >= 2000, "{} has {words} words", d.name);
    }
    // Every excerpt is the exact slice of its document, read on two cores (half the texts
    // on a reader of their own) or, inside a transaction, on the project's connection only.
    let quotes = |list: Vec<fouille::store::excerpts::Excerpt>| -> Vec<(CodingId, String)> {
        list.into_iter().map(|e| (e.coding.guid, e.text)).collect()
    };
    p.conn().execute_batch("BEGIN").unwrap();
    let on_one = quotes(fouille::store::excerpts::excerpts(p.conn(), &Default::default()).unwrap());
    p.conn().execute_batch("ROLLBACK").unwrap();
    let on_two = quotes(fouille::store::excerpts::excerpts(p.conn(), &Default::default()).unwrap());
    assert!(on_two.len() > 100);
    assert_eq!(on_one, on_two);
    for e in fouille::store::excerpts::excerpts(p.conn(), &Default::default()).unwrap() {
        let text = documents::text(p.conn(), &e.coding.document_guid).unwrap();
        assert_eq!(
            fouille::model::text::slice_chars(&text, e.coding.start_char, e.coding.end_char),
            Some(e.text.as_str())
        );
    }
}
