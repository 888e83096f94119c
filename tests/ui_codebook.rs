//! The codebook and the language switch driven through the UI.

use egui::{Key, Modifiers, Role};
use egui_kittest::kittest::Queryable;
use fouille::app::edit::Edit;
use fouille::model::CodeKind;

use crate::support::ui::{code_guid, harness, sample};

// Switching language changes every label, template codes get English names, and French
// comes back.
#[test]
fn switch_language_and_back() {
    let sample = sample();
    let mut h = harness(&sample.path);
    assert!(h.query_by_label("Grille de codes").is_some());
    assert!(h.query_by_label("Repli stratégique").is_some());
    h.get_by_label("EN").click();
    h.run();
    assert!(h.query_by_label("Codebook").is_some());
    assert!(h.query_by_label("Grille de codes").is_none());
    assert!(
        h.query_by_label("Strategic retreat").is_some(),
        "template codes show their English name"
    );
    assert!(h.query_by_label("Coding").is_some());
    h.get_by_label("FR").click();
    h.run();
    assert!(h.query_by_label("Grille de codes").is_some());
    assert!(h.query_by_label("Codage").is_some());
    assert_eq!(h.state().state().language, fouille::i18n::Language::Fr);
}

// Add a code, rename it, merge it into another; each is one undo step.
#[test]
fn add_rename_merge_codes() {
    let sample = sample();
    let mut h = harness(&sample.path);

    // Add: the ➕ button, a name, Enter.
    h.get_by_label("➕").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Nom")
        .type_text("Accès aux droits");
    h.run();
    h.get_by_label("Ajouter").click();
    h.run();
    let added = code_guid(h.state(), "Accès aux droits");
    let entry = h.state().cache().code(&added).unwrap();
    assert_eq!(
        (entry.code.kind, entry.code.parent_guid.clone()),
        (CodeKind::Theme, None)
    );

    // Give it a coding, so the merge has something to move.
    let doc = h.state().nav().document.clone().unwrap();
    h.state_mut()
        .run_command(fouille::ui::command::Command::Edit(Edit::ApplyCode {
            document: doc,
            code: added.clone(),
            start: 10,
            end: 30,
            memo: None,
        }));
    h.run();
    assert_eq!(h.state().cache().code(&added).unwrap().count, 1);

    // Rename: right-click → edit → new name → save.
    h.get_by_role_and_label(Role::Button, "Accès aux droits")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "Accès aux droits")
        .click_secondary();
    h.run();
    h.get_by_label("Modifier (nom, couleur, description)…")
        .click();
    h.run();
    let field = h.get_by_role_and_label(Role::TextInput, "Nom");
    field.focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Nom")
        .type_text("Droits sociaux");
    h.run();
    h.get_by_label("Enregistrer").click();
    h.run();
    assert_eq!(
        h.state().cache().code(&added).unwrap().code.name,
        "Droits sociaux"
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "Droits sociaux")
            .is_some()
    );

    // Merge into « Numérique »: its coding moves there and the code goes.
    let target = code_guid(h.state(), "Numérique");
    let target_before = h.state().cache().code(&target).unwrap().count;
    h.get_by_role_and_label(Role::Button, "Droits sociaux")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "Droits sociaux")
        .click_secondary();
    h.run();
    h.get_by_label("Fusionner dans…").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Tapez une partie du nom d'un code…")
        .type_text("numeri");
    h.run();
    h.get_by_label("Thèmes › Numérique").click();
    h.run();
    assert!(h.state().cache().code(&added).is_none());
    assert_eq!(
        h.state().cache().code(&target).unwrap().count,
        target_before + 1
    );

    // Undo the merge: the code and its coding come back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().cache().code(&added).unwrap().count, 1);
    assert_eq!(
        h.state().cache().code(&target).unwrap().count,
        target_before
    );
}

#[test]
fn delete_code_shows_codings_and_undoes() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let code = code_guid(h.state(), "Télétravail");
    let count = h.state().cache().code(&code).unwrap().count;
    assert!(count > 0);
    h.get_by_role_and_label(Role::Button, "Télétravail")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "Télétravail")
        .click_secondary();
    h.run();
    h.get_by_label("Supprimer…").click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!("{count} codage(s) seront supprimés"))
            .is_some()
    );
    h.get_by_label("Supprimer").click();
    h.run();
    assert!(h.state().cache().code(&code).is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().cache().code(&code).unwrap().count, count);
}

// A controversy is added with its two poles, in one step.
#[test]
fn add_controversy_with_its_poles() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.state_mut()
        .run_command(fouille::ui::command::Command::Edit(Edit::AddControversy {
            parent: None,
            name: "Le numérique".into(),
            pole_a: "Émancipation".into(),
            pole_b: "Exclusion".into(),
        }));
    h.run();
    let controversy = code_guid(h.state(), "Le numérique");
    let children = h
        .state()
        .cache()
        .code(&controversy)
        .unwrap()
        .children
        .clone();
    assert_eq!(children.len(), 2);
    assert!(h.query_by_label("Émancipation").is_some() && h.query_by_label("Exclusion").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state()
            .cache()
            .codes
            .iter()
            .all(|e| e.code.name != "Le numérique" && e.code.name != "Émancipation")
    );
}
