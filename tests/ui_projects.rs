//! Projects from the GUI: the first start builds the sample in the data folder, a typed
//! path creates or opens a project, a bad file gives a plain error and no panic.

use egui::Role;
use egui_kittest::kittest::Queryable;
use fouille::ui::FouilleApp;
use fouille::ui::command::{Prompt, Session};
use fouille::ui::panels::status::Level;

use crate::support::ui::{harness, sample};

// On first start the coded sample is built into the data folder and opened.
#[test]
fn first_start_builds_and_opens_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fouille").join("exemple.fouille");
    let app = FouilleApp::new_for_test_first_start(&path);
    assert!(path.exists(), "the sample was built where asked");
    assert_eq!(app.project().unwrap().path(), path);
    assert_eq!(app.cache().documents.len(), 102);
    assert_eq!(
        app.cache()
            .document(app.nav().document.as_ref().unwrap())
            .unwrap()
            .name,
        "01-ccas-accueil"
    );
    assert_eq!(app.state().recent_projects, vec![path.clone()]);
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("Projet d'exemple ouvert")
    );
}

// A new project from a typed path (with the Réflexes publics codebook), then back to the
// sample through the recent projects; a file that is not a project gives a plain error and
// the previous project comes back.
#[test]
fn new_project_typed_path_recent_and_bad_file() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let dir = tempfile::tempdir().unwrap();
    let new_path = dir.path().join("terrain-2026");

    h.state_mut()
        .run_command(fouille::ui::command::Command::Ask(Prompt::NewProject));
    h.run();
    let field = h.get_by_role_and_label(Role::TextInput, "Chemin du fichier (.fouille)");
    field.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Chemin du fichier (.fouille)")
        .type_text(new_path.to_str().unwrap());
    h.run();
    h.get_by_label("Créer").click();
    h.run();
    let created = new_path.with_extension("fouille");
    assert_eq!(h.state().project().unwrap().path(), created);
    assert_eq!(h.state().cache().project_name, "terrain-2026");
    assert!(
        h.state()
            .cache()
            .codes
            .iter()
            .any(|e| e.code.name == "Le pilotage"),
        "template loaded"
    );
    assert!(h.state().cache().documents.is_empty());
    assert_eq!(
        h.state().state().recent_projects[..2],
        [created.clone(), sample.path.clone()]
    );

    // Back to the sample from File › Recent projects.
    h.get_by_label("Fichier").click();
    h.run();
    h.get_by_label("Projets récents").hover();
    h.run();
    h.get_by_label("exemple.fouille").click();
    h.run();
    assert_eq!(h.state().project().unwrap().path(), sample.path);

    // A text file is not a project: a message in plain words, the sample stays open.
    let bad = dir.path().join("notes.fouille");
    std::fs::write(&bad, "juste des notes").unwrap();
    h.state_mut()
        .run_command(fouille::ui::command::Command::Session(Session::Open(bad)));
    h.run();
    let message = h.state().message().unwrap().clone();
    assert_eq!(message.level, Level::Error);
    assert!(
        message.text.starts_with("Impossible d'ouvrir le projet")
            && message.text.contains("n'est pas un projet Fouille"),
        "{}",
        message.text
    );
    assert_eq!(h.state().project().unwrap().path(), sample.path);
    assert!(h.query_by_label("Grille de codes").is_some());
}

/// A file dropped on the window, as eframe hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

// Dropping a text file imports it (and opens it); dropping a project opens it.
#[test]
fn dropped_files_import_documents_and_open_projects() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let dir = tempfile::tempdir().unwrap();
    let note = dir.path().join("note-terrain.txt");
    std::fs::write(
        &note,
        "Visite du 3 avril : l’accueil était fermé 😅.\r\nDeuxième ligne.",
    )
    .unwrap();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(note)));
    h.run();
    let open = h.state().nav().document.clone().unwrap();
    let doc = h.state().cache().document(&open).unwrap().clone();
    assert_eq!(doc.name, "note-terrain");
    assert_eq!(
        h.state().document_view().char_count(),
        "Visite du 3 avril : l’accueil était fermé 😅.\nDeuxième ligne."
            .chars()
            .count()
    );
    assert!(
        h.state()
            .message()
            .unwrap()
            .text
            .contains("1 document(s) importé(s)")
    );

    let other = dir.path().join("autre.fouille");
    fouille::store::Project::create(&other, "Autre", Some("Testeur")).unwrap();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(other.clone())));
    h.run();
    assert_eq!(h.state().project().unwrap().path(), other);
}

// A project left open on another machine is taken over only when the user says so.
#[test]
fn stale_lock_from_another_machine_asks_before_taking_over() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("equipe.fouille");
    drop(fouille::store::Project::create(&other, "Équipe", Some("Yann")).unwrap());
    let holder =
        r#"{"pid":4242,"host":"portable-de-yann","user":"yann","since":"2026-01-01T10:00:00Z"}"#;
    std::fs::write(fouille::store::lock::lock_path(&other), holder).unwrap();

    h.state_mut()
        .run_command(fouille::ui::command::Command::Session(Session::Open(
            other.clone(),
        )));
    h.run();
    assert!(h.query_by_label("Projet resté ouvert").is_some());
    assert!(h.query_by_label_contains("portable-de-yann").is_some());
    // The sample came back meanwhile; taking over opens the other project.
    assert_eq!(h.state().project().unwrap().path(), sample.path);
    h.get_by_label("Reprendre le projet").click();
    h.run();
    assert_eq!(h.state().project().unwrap().path(), other);
    assert!(
        h.state()
            .message()
            .unwrap()
            .text
            .contains("portable-de-yann"),
        "the take-over is told"
    );
}
