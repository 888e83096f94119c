//! REFI-QDA export and import from the File menu, through the real app.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use fouille::app::edit::Edit;
use fouille::ui::command::Command;
use fouille::ui::command::Session;

use crate::support::ui::{harness, sample};

// File ▸ Export QDPX writes a real .qdpx (a zip with project.qde naming the codes); File ▸
// Import QDC into a new empty project brings the whole codebook in.
#[test]
fn export_qdpx_then_import_qdc_from_the_file_menu() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.get_by_label("Fichier").click();
    h.run();
    h.get_by_label_contains("Exporter QDPX / QDC").click();
    h.run();
    assert!(h.state().dialog_open());
    let expected = sample.path.with_extension("qdpx");
    let field = h.get_by_role_and_label(
        Role::TextInput,
        "Fichier à écrire (.qdpx : projet, .qdc : grille de codes)",
    );
    assert_eq!(field.value().as_deref(), Some(expected.to_str().unwrap()));
    h.get_by_label("Exporter").click();
    h.run();
    assert!(!h.state().dialog_open());
    let file = std::fs::File::open(&expected).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    let first_code = h.state().cache().codes[0].code.name.clone();
    assert!(qde.contains(&first_code));
    let n_codes = h.state().cache().codes.len();

    // A codebook file written by the core, imported into an empty project by the menu.
    let qdc = sample.path.with_extension("qdc");
    fouille::export::qdpx::export_qdc(h.state().project().unwrap().conn(), &qdc).unwrap();
    let empty = sample.path.with_file_name("vide.fouille");
    h.state_mut().run_command(Command::Session(Session::New {
        path: empty.clone(),
        with_template: false,
    }));
    h.run();
    assert_eq!(h.state().project().unwrap().path(), empty.as_path());
    assert!(h.state().cache().codes.is_empty());
    h.get_by_label("Fichier").click();
    h.run();
    h.get_by_label_contains("Importer QDPX / QDC").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Fichier à importer (.qdpx ou .qdc)")
        .click();
    h.run();
    h.event(egui::Event::Text(qdc.display().to_string()));
    h.run();
    h.get_by_label("Importer").click();
    h.run();
    assert_eq!(h.state().cache().codes.len(), n_codes);
    assert!(
        h.state()
            .cache()
            .codes
            .iter()
            .any(|c| c.code.name == first_code)
    );
}

// Backups: one made from the dialog, then a change, then the backup restored (with a
// confirmation): the project is reopened without the change.
#[test]
fn backup_then_restore_from_the_file_menu() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.get_by_label("Fichier").click();
    h.run();
    h.get_by_label_contains("Sauvegardes").click();
    h.run();
    h.get_by_label("Faire une sauvegarde maintenant").click();
    h.run();
    let backups = fouille::store::backup::list(&sample.path).unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, "manual");
    h.state_mut().run_command(Command::Edit(Edit::AddCode {
        parent: None,
        name: "Code à oublier".into(),
        kind: fouille::model::CodeKind::Theme,
        color: None,
        description: String::new(),
    }));
    assert!(
        h.state()
            .cache()
            .codes
            .iter()
            .any(|c| c.code.name == "Code à oublier")
    );
    h.get_by_label("Fichier").click();
    h.run();
    h.get_by_label_contains("Sauvegardes").click();
    h.run();
    h.get_by_label("Restaurer n° 1").click();
    h.run();
    h.get_by_label("Restaurer").click();
    h.run();
    assert_eq!(h.state().project().unwrap().path(), sample.path.as_path());
    assert!(
        h.state()
            .cache()
            .codes
            .iter()
            .all(|c| c.code.name != "Code à oublier")
    );
    // The state before the restore was kept too.
    let after = fouille::store::backup::list(&sample.path).unwrap();
    assert!(after.iter().any(|b| b.reason == "before-restore"));
}

// File ▸ Merge… brings a colleague's copy in (on the worker) and shows the report.
#[test]
fn merge_a_colleagues_copy_from_the_file_menu() {
    let sample = sample();
    let other = sample.path.with_file_name("collegue.fouille");
    std::fs::copy(&sample.path, &other).unwrap();
    {
        let mut colleague = harness(&other);
        colleague
            .state_mut()
            .run_command(Command::Edit(Edit::AddCode {
                parent: None,
                name: "Code de la collègue".into(),
                kind: fouille::model::CodeKind::Theme,
                color: None,
                description: String::new(),
            }));
        assert!(
            colleague
                .state()
                .cache()
                .codes
                .iter()
                .any(|c| c.code.name == "Code de la collègue")
        );
    }
    let mut h = harness(&sample.path);
    h.get_by_label("Fichier").click();
    h.run();
    h.get_by_label_contains("Fusionner le travail").click();
    h.run();
    h.get_by_role_and_label(
        Role::MultilineTextInput,
        "Fichiers à fusionner (un par ligne)",
    )
    .click();
    h.run();
    h.event(egui::Event::Text(other.display().to_string()));
    h.run();
    h.get_by_label("Fusionner").click();
    h.run();
    assert!(
        h.state()
            .cache()
            .codes
            .iter()
            .any(|c| c.code.name == "Code de la collègue")
    );
    // The report window is open.
    assert!(h.state().dialog_open());
    assert!(h.query_by_label("Rapport de fusion").is_some());
    // A backup was made before the merge.
    assert!(
        !fouille::store::backup::list(&sample.path)
            .unwrap()
            .is_empty()
    );
}
