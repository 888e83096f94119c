//! A merge into a new project starts from a copy of the largest input and writes only the
//! differences (for speed and memory). The result must be the one a merge into an empty
//! project gives: texts, search index, provenance, no undo history, a project of its own,
//! whatever the order of the inputs.

use fouille::store::documents;
use fouille::team::fingerprint::file_fingerprint;
use fouille::team::merge::{MergeOptions, merge_files};
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::path::Path;

use crate::support::team::{T0, assert_same, at, distribute, import, open_as, single_doc_project};

/// Documents whose indexed words match `word`, read from the search index itself (a stale
/// entry of a replaced text would show here).
fn indexed(conn: &Connection, word: &str) -> BTreeSet<String> {
    let mut stmt = conn
        .prepare(
            "SELECT d.guid FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid WHERE doc_fts MATCH ?1",
        )
        .unwrap();
    stmt.query_map([word], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn one(guid: &fouille::model::DocumentId) -> BTreeSet<String> {
    BTreeSet::from([guid.to_string()])
}

fn source_of(conn: &Connection, guid: &fouille::model::DocumentId) -> String {
    conn.query_row(
        "SELECT source_project FROM documents WHERE guid = ?1",
        [guid],
        |r| r.get(0),
    )
    .unwrap()
}

fn merged(out: &Path, inputs: &[&Path]) -> Connection {
    let inputs: Vec<_> = inputs.iter().map(|p| p.to_path_buf()).collect();
    merge_files(
        out,
        &inputs,
        &MergeOptions {
            now_ms: T0 + 1000,
            ..MergeOptions::default()
        },
    )
    .unwrap();
    let conn = Connection::open(out).unwrap();
    assert_eq!(
        fouille::store::check::check(&conn).unwrap(),
        Vec::<String>::new()
    );
    conn
}

// A merge copied from the largest input indexes edited, new and folded texts exactly, in
// either order, and leaves the inputs as they were
#[test]
fn merge_from_a_copy_keeps_texts_index_and_provenance_exact() {
    let dir = tempfile::tempdir().unwrap();
    let start = dir.path().join("start.fouille");
    let (mut p, d1, _code) = single_doc_project(&start, "alpha alpha le premier entretien\n");
    let d2 = import(&mut p, T0 + 1, "d2", "bravo le second entretien\n");
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);

    // A grows (a long interview only it holds) and records an undoable action: A is the
    // largest input, the one the merge starts from.
    let mut claire = open_as(&a, "Claire");
    let long = "charlie dit des choses ".repeat(4000);
    let d3 = import(&mut claire, T0 + 10, "d3", &long);
    claire
        .action("Renommer", |tx| {
            documents::rename(tx, &d2, "d2 (renommé)")?;
            Ok(())
        })
        .unwrap();
    // B edits D1's text (later: it wins), imports a new interview and imports D2's text a
    // second time (folded into one document by the merge).
    let mut yann = open_as(&b, "Yann");
    at(&mut yann, T0 + 20, |tx| {
        documents::replace_text(tx, &d1, "delta remplace le premier entretien\n")
    })
    .unwrap();
    let d4 = import(&mut yann, T0 + 21, "d4", "echo un entretien neuf\n");
    let d5 = import(&mut yann, T0 + 22, "d5", "bravo le second entretien\n");
    drop(yann);
    let (a_before, b_before) = (file_fingerprint(&a).unwrap(), file_fingerprint(&b).unwrap());

    // A stays open (its last changes may sit in its WAL) while it is merged.
    let ab = dir.path().join("ab.fouille");
    let ba = dir.path().join("ba.fouille");
    let conn = merged(&ab, &[&a, &b]);
    drop(merged(&ba, &[&b, &a]));
    drop(claire);
    assert_same(
        &file_fingerprint(&ab).unwrap(),
        &file_fingerprint(&ba).unwrap(),
        "merge(a, b) vs merge(b, a)",
    );
    assert_same(
        &file_fingerprint(&a).unwrap(),
        &a_before,
        "input a untouched",
    );
    assert_same(
        &file_fingerprint(&b).unwrap(),
        &b_before,
        "input b untouched",
    );

    assert_eq!(
        indexed(&conn, "alpha"),
        BTreeSet::new(),
        "replaced text unindexed"
    );
    assert_eq!(indexed(&conn, "delta"), one(&d1));
    assert_eq!(indexed(&conn, "charlie"), one(&d3));
    assert_eq!(indexed(&conn, "echo"), one(&d4));
    let kept = d2.clone().min(d5.clone());
    assert_eq!(
        indexed(&conn, "bravo"),
        one(&kept),
        "one of the two imports"
    );
    assert_eq!(
        documents::text(&conn, &d1).unwrap(),
        "delta remplace le premier entretien\n"
    );
    assert_eq!(documents::text(&conn, &d3).unwrap(), long);
    assert_eq!(source_of(&conn, &d3), "a.fouille");
    assert_eq!(source_of(&conn, &d4), "b.fouille");
    assert_eq!(source_of(&conn, &d1), "b.fouille");

    // A project of its own: a new GUID, no undo history from the copied input.
    let guid = |c: &Connection| -> String {
        c.query_row("SELECT guid FROM project", [], |r| r.get(0))
            .unwrap()
    };
    let a_conn = Connection::open(&a).unwrap();
    assert_ne!(guid(&conn), guid(&a_conn));
    let history: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM history) + (SELECT count(*) FROM history_steps)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(history, 0);
    let a_history: i64 = a_conn
        .query_row("SELECT count(*) FROM history_steps", [], |r| r.get(0))
        .unwrap();
    assert!(
        a_history > 0,
        "the test needs an input with an undo history"
    );
    let coders: BTreeSet<String> = conn
        .prepare("SELECT name FROM coders")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        coders,
        BTreeSet::from(["Claire".into(), "Lead".into(), "Yann".into()])
    );
}
