//! The fast paths of QDPX export and import leave the same project as before.

use fouille::export::qdpx::{ExportOptions, export_qdpx};
use fouille::import::qdpx::{RefiImportOptions, new_project_from};
use fouille::store::{Project, documents};

use crate::support::project::embedded_sample;

#[test]
fn a_project_built_from_qdpx_is_complete_and_back_in_wal_mode() {
    // The new project is written with the rollback journal in memory and documents in one
    // statement each; the file must end up as a normal project: WAL journal, documents in
    // corpus order with their provenance, nothing left beside it.
    let dir = tempfile::tempdir().unwrap();
    let original = Project::open(&embedded_sample(dir.path())).unwrap();
    let qdpx = dir.path().join("échange.qdpx");
    export_qdpx(
        original.conn(),
        &qdpx,
        &ExportOptions {
            include_withdrawn: true,
        },
    )
    .unwrap();
    let path = dir.path().join("copie.fouille");
    new_project_from(&path, &qdpx, None, None, &RefiImportOptions::default()).unwrap();

    // Read the file as it is on disk (opening a Project would set WAL again).
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        let mode: String = raw
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let orders: Vec<i64> = raw
            .prepare("SELECT sort_order FROM documents ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<i64> = (1..=orders.len() as i64).collect();
        assert_eq!(orders, expected);
        let sources: Vec<String> = raw
            .prepare("SELECT DISTINCT source_project || '|' || origin FROM documents")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(sources, vec!["échange.qdpx|échange.qdpx".to_string()]);
    }
    for suffix in ["-wal", "-journal", ".partial"] {
        let mut beside = path.as_os_str().to_os_string();
        beside.push(suffix);
        assert!(!std::path::Path::new(&beside).exists(), "{suffix}");
    }

    let copy = Project::open(&path).unwrap();
    let names = |p: &Project| -> Vec<(String, usize)> {
        documents::list(p.conn())
            .unwrap()
            .into_iter()
            .map(|d| (d.name, d.char_len))
            .collect()
    };
    assert_eq!(names(&copy), names(&original));
    assert!(
        fouille::store::check::check(copy.conn())
            .unwrap()
            .is_empty()
    );
}
