//! The coding screen driven like a user: open the sample, select text with the mouse, code
//! it by clicking a code, see the excerpt in retrieval, undo and redo.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::support::ui::{code_guid, drag, find_in_open_document, harness, sample};

fn my_codings(
    app: &fouille::ui::FouilleApp,
    code: &fouille::model::CodeId,
) -> Vec<fouille::store::excerpts::Excerpt> {
    let filter = fouille::store::excerpts::ExcerptFilter {
        codes: vec![code.clone()],
        ..Default::default()
    };
    fouille::store::excerpts::excerpts(app.project().unwrap().conn(), &filter)
        .unwrap()
        .into_iter()
        .filter(|e| e.coder_name == "Testeur")
        .collect()
}

// Select → code → retrieval → undo → redo, through the real UI and the store.
#[test]
fn select_code_retrieve_undo_redo() {
    let sample = sample();
    let mut h = harness(&sample.path);
    assert_eq!(
        h.state().cache().project_name,
        "Réflexes publics — échantillon"
    );
    // The first interview is open on start.
    let open = h.state().nav().document.clone().unwrap();
    assert_eq!(
        h.state().cache().document(&open).unwrap().name,
        "01-ccas-accueil"
    );

    let phrase = "Les gens viennent pour une aide alimentaire";
    let (start, end) = find_in_open_document(h.state(), phrase);
    let from = h
        .state()
        .document_view()
        .char_screen_pos(start)
        .expect("the phrase is on screen");
    let to = h
        .state()
        .document_view()
        .char_screen_pos(end)
        .expect("its end is on screen");
    drag(&mut h, from, to);
    assert_eq!(
        h.state().document_view().selected_range(),
        Some((start, end))
    );
    assert_eq!(
        h.state().document_view().selected_text().as_deref(),
        Some(phrase)
    );

    let code = code_guid(h.state(), "Repli stratégique");
    let before = h.state().cache().code(&code).unwrap().count;
    h.get_by_label("Repli stratégique").click();
    h.run();

    // Coded once, by the test coder, on exactly the selected chars.
    let mine = my_codings(h.state(), &code);
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].coding.start_char, mine[0].coding.end_char),
        (start, end)
    );
    assert_eq!(mine[0].text, phrase);
    assert_eq!(h.state().cache().code(&code).unwrap().count, before + 1);
    // The status line says which controversy and side the pole is.
    let message = h.state().message().unwrap().text.clone();
    assert!(
        message.contains("La participation citoyenne") && message.contains("côté 2 sur 2"),
        "{message}"
    );
    // Retrieval shows the new excerpt (in the state and on screen).
    assert_eq!(h.state().nav().selected_codes, vec![code.clone()]);
    assert!(
        h.state()
            .retrieval_results()
            .iter()
            .any(|e| e.text == phrase && e.coder_name == "Testeur")
    );
    assert!(h.query_by_label_contains(phrase).is_some());

    // Ctrl+Z undoes the coding…
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(my_codings(h.state(), &code).is_empty());
    assert_eq!(h.state().cache().code(&code).unwrap().count, before);
    assert!(
        !h.state()
            .retrieval_results()
            .iter()
            .any(|e| e.text == phrase)
    );
    // … and Ctrl+Shift+Z brings it back.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(my_codings(h.state(), &code).len(), 1);
    assert!(
        h.state()
            .retrieval_results()
            .iter()
            .any(|e| e.text == phrase && e.coder_name == "Testeur")
    );
}

// Keyboard selection, the quick-code popup, and number keys for recent codes.
#[test]
fn keyboard_selection_quick_code_and_number_keys() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let phrase = "Les gens viennent";
    let (start, end) = find_in_open_document(h.state(), phrase);
    // Click puts the caret; Shift+→ extends one char at a time, Ctrl+Shift+→ a word.
    let pos = h.state().document_view().char_screen_pos(start).unwrap();
    drag(&mut h, pos, pos);
    assert_eq!(h.state().document_view().selected_range(), None);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().document_view().selected_range(),
        Some((start, start + 1))
    );
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::SHIFT | Modifiers::COMMAND, Key::ArrowRight);
        h.run();
    }
    assert_eq!(
        h.state().document_view().selected_text().as_deref(),
        Some(phrase)
    );
    assert_eq!(
        h.state().document_view().selected_range(),
        Some((start, end))
    );

    // Ctrl+K, type part of a name (no accents needed), Enter.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    assert!(h.state().quick_code_open());
    // The popup's field has the keyboard focus: typing goes there.
    h.event(egui::Event::Text("ultraperso".into()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(!h.state().quick_code_open());
    let code = code_guid(h.state(), "Ultrapersonnalisation");
    assert_eq!(my_codings(h.state(), &code).len(), 1);
    assert_eq!(h.state().nav().recent_codes.first(), Some(&code));

    // Select another phrase and press 1: the most recent code.
    let other = "Moi je dis souvent que je suis un peu l’aiguillage";
    let (s2, e2) = find_in_open_document(h.state(), other);
    let a = h.state().document_view().char_screen_pos(s2).unwrap();
    let b = h.state().document_view().char_screen_pos(e2).unwrap();
    drag(&mut h, a, b);
    h.key_press(Key::Num1);
    h.run();
    let mine = my_codings(h.state(), &code);
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().any(|e| e.text == other));
}

// The right-click menu removes a coding; in-vivo makes a code from the selection.
#[test]
fn in_vivo_and_remove_from_the_context_menu() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let phrase = "un peu l’aiguillage";
    let (start, end) = find_in_open_document(h.state(), phrase);
    let a = h.state().document_view().char_screen_pos(start).unwrap();
    let b = h.state().document_view().char_screen_pos(end).unwrap();
    drag(&mut h, a, b);
    h.key_press_modifiers(Modifiers::COMMAND, Key::I);
    h.run();
    let code = code_guid(h.state(), phrase);
    let mine = my_codings(h.state(), &code);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].text, phrase);
    // One undo step removes both the code and its coding.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state()
            .cache()
            .codes
            .iter()
            .all(|e| e.code.name != phrase)
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    let code = code_guid(h.state(), phrase);

    // Right-click on the coded text → the coding's submenu → remove.
    let inside = h
        .state()
        .document_view()
        .char_screen_pos(start + 3)
        .unwrap();
    h.hover_at(inside);
    h.run();
    h.event(egui::Event::PointerButton {
        pos: inside,
        button: egui::PointerButton::Secondary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(egui::Event::PointerButton {
        pos: inside,
        button: egui::PointerButton::Secondary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    h.get_by_label_contains(&format!("{phrase}  ·  Testeur"))
        .hover();
    h.run();
    h.get_by_label("Retirer ce codage").click();
    h.run();
    assert!(my_codings(h.state(), &code).is_empty());
    assert!(h.state().message().unwrap().text.contains("Codage retiré"));
}
