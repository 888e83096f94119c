//! The team folder from the Team screen: join a folder where another member has published,
//! get their work, see them listed with what they brought, synchronise, leave.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

use crate::support::project::{fouille_ok, s};
use crate::support::ui::harness;

#[test]
fn joining_a_team_folder_from_the_team_screen_brings_the_others_work() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Nextcloud équipe");
    std::fs::create_dir_all(&folder).unwrap();
    // Claire, on her machine, has a document and a code, and has published them.
    let claire = dir.path().join("claire.fouille");
    fouille_ok(&["new", s(&claire), "--coder", "Claire"]);
    let text = dir.path().join("entretien.txt");
    std::fs::write(
        &text,
        "Le guichet unique a changé notre façon de travailler.",
    )
    .unwrap();
    fouille_ok(&["import", s(&claire), s(&text)]);
    fouille_ok(&["code", "add", s(&claire), "Guichet unique"]);
    fouille_ok(&[
        "code",
        "apply",
        s(&claire),
        "--document",
        "entretien",
        "--start",
        "3",
        "--end",
        "17",
        "--code",
        "Guichet unique",
        "--coder",
        "Claire",
    ]);
    fouille_ok(&["team", "join", s(&claire), s(&folder)]);
    // Yann opens his own, empty project in the app and joins the folder.
    let yann = dir.path().join("yann.fouille");
    fouille_ok(&["new", s(&yann), "--coder", "Yann"]);
    let mut h = harness(&yann);
    h.get_by_label("Équipe").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Dossier :")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Dossier :")
        .type_text(s(&folder));
    h.run();
    assert_eq!(h.state().team().folder.folder_input, s(&folder));
    h.get_by_label("Rejoindre").click();
    h.run();
    h.run();
    let said = format!("{:?}", h.state().message());
    let cache = h.state().cache();
    assert!(
        cache.codes.iter().any(|c| c.code.name == "Guichet unique"),
        "Claire's code came: {said}"
    );
    assert_eq!(cache.documents.len(), 1, "Claire's document came");
    // Claire is listed with what her file brought; Yann's own file is in the folder.
    let status = h
        .state()
        .team()
        .folder
        .status
        .clone()
        .expect("the folder is read");
    let claire_row = status
        .members
        .iter()
        .find(|m| m.name == "Claire")
        .expect("Claire listed");
    assert_eq!(
        claire_row.last_gather.as_ref().map(|g| g.brought.codings),
        Some(1)
    );
    assert!(
        h.query_by_label_contains("1 codage(s), 1 code(s)")
            .is_some(),
        "what Claire brought is shown"
    );
    let files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    // The app's coder in tests is « Testeur »: their copy is published beside Claire's.
    assert!(files.iter().any(|f| f.starts_with("testeur-")), "{files:?}");
    // Synchronise again (nothing new), then leave: the join form comes back.
    h.get_by_label("Synchroniser").click();
    h.run();
    h.get_by_label("Quitter le dossier").click();
    h.run();
    h.get_by_label("Rejoindre");
    assert!(h.state().team().folder.membership.is_none());
}
