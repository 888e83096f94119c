//! Projects from the GUI (issue 3): the first start builds the sample in the data folder,
//! a typed path creates or opens a project, a bad file gives a plain error and no panic.

use egui::Role;
use egui_kittest::kittest::Queryable;
use fouille::ui::FouilleApp;
use fouille::ui::panels::status::Level;

use crate::ui_support::{harness, sample};

// issue 3: on first start the coded sample is built into the data folder and opened.
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
            .document(app.nav().document.as_deref().unwrap())
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

// issue 3: a new project from a typed path (with the Réflexes publics codebook), then back
// to the sample through the recent projects; a file that is not a project gives a plain
// error and the previous project comes back.
#[test]
fn new_project_typed_path_recent_and_bad_file() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let dir = tempfile::tempdir().unwrap();
    let new_path = dir.path().join("terrain-2026");

    h.state_mut()
        .run_command(fouille::ui::command::Command::AskNewProject);
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
        .run_command(fouille::ui::command::Command::OpenProject(bad));
    h.run();
    let message = h.state().message().unwrap().clone();
    assert_eq!(message.level, Level::Error);
    assert!(
        message.text.starts_with("Impossible d'ouvrir le projet")
            && message.text.contains("not a Fouille project"),
        "{}",
        message.text
    );
    assert_eq!(h.state().project().unwrap().path(), sample.path);
    assert!(h.query_by_label("Grille de codes").is_some());
}
