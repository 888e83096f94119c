//! One core for both faces: the command line and the app do each user action through the
//! same function of the application layer, and the layers keep their rules (no SQL outside
//! the store, no database connection in the UI).

use crate::support::project::*;
use egui_kittest::kittest::Queryable;
use fouille::store::{Project, codes, documents};
use std::path::{Path, PathBuf};

/// A file dropped on the window, as eframe hands it to egui.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_qdpx_dropped_on_the_window_is_imported() {
    // Before, the rule "a .qdpx goes to the REFI-QDA importer" lived in the command line
    // only, and a drop said "unsupported file type".
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_project(dir.path());
    let qdpx = dir.path().join("collègue.qdpx");
    fouille_ok(&["export", s(&sample), "--format", "qdpx", "-o", s(&qdpx)]);
    let empty = dir.path().join("vide.fouille");
    drop(Project::create(&empty, "Vide", Some("Claire")).unwrap());
    let mut h = crate::support::ui::harness(&empty);
    assert!(h.state().cache().codes.is_empty());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(qdpx)));
    for _ in 0..200 {
        h.run();
        if !h.state().cache().codes.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let project = h.state().project().unwrap();
    assert_eq!(codes::list(project.conn()).unwrap().len(), 46);
    // The interviews of the respondent who withdrew consent stay out of an export.
    assert_eq!(documents::list(project.conn()).unwrap().len(), 101);
    assert!(h.query_by_label_contains("unsupported").is_none());
}

#[test]
fn in_vivo_is_the_same_action_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_project(dir.path());
    let text = fouille_json(&["documents", s(&p), "--json"]);
    let first = &text.as_array().unwrap()[0];
    let name = first["name"].as_str().unwrap();
    let said = fouille_ok(&[
        "code",
        "in-vivo",
        s(&p),
        "--document",
        name,
        "--start",
        "0",
        "--end",
        "12",
    ]);
    assert!(said.contains("In-vivo code"), "{said}");
    let project = Project::open(&p).unwrap();
    let doc = documents::find(project.conn(), name).unwrap();
    let words = documents::text(project.conn(), &doc.guid)
        .unwrap()
        .chars()
        .take(12)
        .collect::<String>();
    let expected = fouille::app::edit::in_vivo_name(&words);
    assert!(
        codes::list(project.conn())
            .unwrap()
            .iter()
            .any(|c| c.name == expected && c.parent_guid.is_none())
    );
    assert_eq!(
        project.undo_label().unwrap().as_deref(),
        Some("action.in_vivo")
    );
}

#[test]
fn undo_labels_read_in_each_face_s_language() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    fouille_ok(&["code", "add", s(&p), "Écoute"]);
    let french = fouille_ok(&["undo", s(&p), "--lang", "fr"]);
    assert!(french.contains("Ajouter un code"), "{french}");
    fouille_ok(&["redo", s(&p)]);
    let english = fouille_ok(&["undo", s(&p), "--lang", "en"]);
    assert!(english.contains("Add a code"), "{english}");
    // Errors of the core, in French when asked.
    let err = fouille_err(&[
        "documents",
        s(&dir.path().join("absent.fouille")),
        "--lang",
        "fr",
    ]);
    assert!(!err.contains("No such file"), "{err}");
}

/// Every `.rs` file under `src/` (by path relative to the crate).
fn sources() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

#[test]
fn sql_lives_in_the_store_and_the_ui_holds_no_connection() {
    let sql = regex_lite_sql();
    let mut outside = Vec::new();
    for (path, text) in sources() {
        if path.starts_with("src/store/") {
            continue;
        }
        if text
            .lines()
            .any(|line| sql.iter().any(|k| line.contains(k)))
        {
            outside.push(path.clone());
        }
        if path.starts_with("src/ui/") && text.contains("rusqlite") {
            outside.push(format!("{path} (rusqlite in the UI)"));
        }
    }
    outside.sort();
    assert!(outside.is_empty(), "SQL outside src/store: {outside:#?}");
}

/// The statements' openings as they appear in Rust string literals.
fn regex_lite_sql() -> Vec<String> {
    [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "PRAGMA", "BEGIN", "DROP", "WITH",
    ]
    .iter()
    .map(|k| format!("\"{k} "))
    .collect()
}
