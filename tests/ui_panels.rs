//! Memos, search, the documents filters, the respondents table, the coder toggle, the
//! help window and moving a code by dragging.

use egui::{Key, Modifiers, Role};
use egui_kittest::kittest::Queryable;
use fouille::app::edit::Edit;
use fouille::model::MemoTarget;
use fouille::ui::command::Command;
use fouille::ui::command::Navigation;

use crate::support::ui::{code_guid, drag, harness, sample};

// A memo on the open document (Ctrl+M), listed in the memos panel; undoable.
#[test]
fn memo_on_document_and_memo_panel() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let doc = h.state().nav().document.clone().unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    assert!(h.state().dialog_open());
    h.event(egui::Event::Text("Entretien riche sur l’accueil".into()));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(!h.state().dialog_open());
    let memo = h
        .state()
        .cache()
        .memos
        .iter()
        .find(|m| m.target == MemoTarget::Document(doc.clone()))
        .unwrap()
        .clone();
    assert_eq!(memo.text, "Entretien riche sur l’accueil");
    h.get_by_label("Mémos").click();
    h.run();
    assert!(
        h.query_by_label_contains("Entretien riche sur l’accueil")
            .is_some()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().cache().memos.iter().all(|m| m.guid != memo.guid));
}

// Full-text search ignores accents and case; a hit opens its document there.
#[test]
fn search_without_accents_and_jump() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.event(egui::Event::Text("DEMATERIALISATION".into()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let hits = h.state().search_hits().to_vec();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|hit| hit.line.matched.to_lowercase() == "dématérialisation"),
        "{hits:?}"
    );
    let first = hits[0].clone();
    h.state_mut().run_command(Command::Go(Navigation::JumpTo {
        document: first.document_guid.clone(),
        start: first.line.span.start,
        end: first.line.span.end,
    }));
    h.run();
    assert_eq!(
        h.state().nav().document.as_ref(),
        Some(&first.document_guid)
    );
    assert_eq!(
        h.state().document_view().selected_text().as_deref(),
        Some(first.line.matched.as_str())
    );
}

// The documents list filters by name, by coded or not, and by attribute.
#[test]
fn documents_filters() {
    let sample = sample();
    let mut h = harness(&sample.path);
    assert!(h.query_by_label("04-maison-habitants").is_some());
    h.get_by_label("Non codés").click();
    h.run();
    assert!(
        h.query_by_label("01-ccas-accueil").is_none(),
        "every interview of the sample is coded"
    );
    // The sample's survey answers are not coded: shown, they are listed.
    h.get_by_label("Montrer les réponses au questionnaire")
        .click();
    h.run();
    assert!(h.query_by_label("R001 · q1_difficultes").is_some());
    h.get_by_label("Montrer les réponses au questionnaire")
        .click();
    h.run();
    h.get_by_label("Tous").click();
    h.run();
    // Respondents tab: picking a respondent shows their documents only.
    h.state_mut().run_command(Command::Go(Navigation::LeftTab(
        fouille::ui::state::LeftTab::Respondents,
    )));
    h.run();
    h.get_by_label("Karim Haddad (Répondant D)").click();
    h.run();
    assert!(h.query_by_label("04-maison-habitants").is_some());
    assert!(h.query_by_label("01-ccas-accueil").is_none());
}

// The respondents table edits a pseudonym; a wrong date is refused in plain words.
#[test]
fn respondents_table_edits() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.state_mut().run_command(Command::Go(Navigation::Screen(
        fouille::ui::state::Screen::Respondents,
    )));
    h.run();
    let field = h.get_by_label("Pseudonyme — Nadia Benali");
    field.focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(egui::Event::Text("Répondante Z".into()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let nadia = h
        .state()
        .cache()
        .respondents
        .iter()
        .find(|r| r.name == "Nadia Benali")
        .unwrap()
        .clone();
    assert_eq!(nadia.pseudonym, "Répondante Z");

    h.get_by_label("interview_date — Nadia Benali").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(egui::Event::Text("demain".into()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let message = h.state().message().unwrap().text.clone();
    assert!(
        message.contains("demain") && message.contains("date"),
        "{message}"
    );
    assert_eq!(
        h.state().cache().respondent_values[nadia.guid.as_str()]["interview_date"],
        "2025-03-04"
    );
}

// "only my codings" hides the other coders' highlights.
#[test]
fn only_my_codings_toggle() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let all = h.state().document_view().coding_count();
    assert!(all > 0);
    h.get_by_label("Seulement mes codages").click();
    h.run();
    assert_eq!(
        h.state().document_view().coding_count(),
        0,
        "the test coder has coded nothing yet"
    );
    h.get_by_label("Seulement mes codages").click();
    h.run();
    assert_eq!(h.state().document_view().coding_count(), all);
}

#[test]
fn help_window_lists_shortcuts() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.key_press(Key::F1);
    h.run();
    assert!(h.query_by_label("Raccourcis clavier").is_some());
    assert!(
        h.query_by_label("Coder la sélection en tapant le nom d'un code")
            .is_some()
    );
    h.get_by_label("Fermer").click();
    h.run();
    assert!(!h.state().dialog_open());
}

// Dragging a code onto another moves it under it (undoable).
#[test]
fn drag_a_code_onto_another() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let moved = code_guid(h.state(), "Repli sur soi");
    let target = code_guid(h.state(), "Le pilotage");
    // "Crise sanitaire" dropped onto "Numérique" (the middle of the row) goes under it.
    let theme = code_guid(h.state(), "Crise sanitaire");
    let folder = code_guid(h.state(), "Numérique");
    h.get_by_role_and_label(Role::Button, "Crise sanitaire")
        .scroll_to_me();
    h.run();
    let from = h
        .get_by_role_and_label(Role::Button, "Crise sanitaire")
        .rect()
        .center();
    let to = h
        .get_by_role_and_label(Role::Button, "Numérique")
        .rect()
        .center();
    drag(&mut h, from, to);
    assert_eq!(
        h.state()
            .cache()
            .code(&theme)
            .unwrap()
            .code
            .parent_guid
            .as_ref(),
        Some(&folder)
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_ne!(
        h.state()
            .cache()
            .code(&theme)
            .unwrap()
            .code
            .parent_guid
            .as_ref(),
        Some(&folder)
    );
    // A pole dropped onto another controversy is refused in plain words, in French.
    h.state_mut().run_command(Command::Edit(Edit::MoveCode {
        guid: moved.clone(),
        parent: Some(target),
        position: None,
    }));
    h.run();
    assert!(
        h.state()
            .message()
            .unwrap()
            .text
            .contains("a déjà ses deux pôles"),
        "{}",
        h.state().message().unwrap().text
    );
}
