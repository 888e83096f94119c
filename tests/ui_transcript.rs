//! The transcript editor (issue 7): typing, time marks, speaker labels, saving as one
//! undoable action that carries the codings, clicked and typed through the real app.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use fouille::store::documents;
use fouille::ui::command::Command;

use crate::ui_support::{harness, sample};

// issue 7: type, Ctrl+T, Ctrl+1, save, check the store; Ctrl+Z brings the old text back.
#[test]
fn transcript_editor_types_marks_speakers_saves_and_undoes() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let doc = h.state().nav().document.clone().unwrap();
    let original = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    h.get_by_label("Éditer la transcription").click();
    h.run();
    let editor = h.state().transcript().expect("the editor is open").clone();
    assert_eq!(editor.document, doc);
    assert_eq!(editor.text, original);
    // The speakers are guessed from the interview's « Name : » lines.
    let first_speaker = editor.speakers[0].clone();
    assert!(!first_speaker.is_empty());
    assert!(original.contains(&format!("{first_speaker} :")));

    h.event(egui::Event::Text("Bonjour ".into()));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::T);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run();
    let text = h.state().transcript().unwrap().text.clone();
    // No audio: the mark is 00:00:00; the cursor moved after each insertion.
    let typed = format!("Bonjour \n[00:00:00] {first_speaker} : ");
    let typed_at_start = format!("Bonjour [00:00:00] {first_speaker} : ");
    assert!(
        text.contains(&typed) || text.contains(&typed_at_start),
        "{}",
        &text[..200]
    );
    assert_eq!(
        text.chars().count(),
        original.chars().count() + typed.chars().count()
            - usize::from(text.contains(&typed_at_start))
    );
    assert!(h.state().transcript().unwrap().dirty());
    // Still in the editor: Ctrl+1 did not switch screens.
    assert_eq!(h.state().state().screen, fouille::ui::state::Screen::Coding);

    let codings_before = h.state().cache().document_codings.get(&doc).copied();
    h.get_by_label("Enregistrer").click();
    h.run();
    let stored = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    assert!(stored == text, "{:?}", h.state().message());
    assert!(!h.state().transcript().unwrap().dirty());
    // Nothing was deleted: every coding is still there (moved along).
    assert_eq!(
        h.state().cache().document_codings.get(&doc).copied(),
        codings_before
    );
    let report = h.state().transcript().unwrap().report.clone().unwrap();
    assert!(report.removed.is_empty());
    assert!(report.shifted.len() + report.kept.len() > 0);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let back = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    assert_eq!(back, original);
    assert_eq!(h.state().transcript().unwrap().text, original);

    // Closing the editor shows the document view again.
    h.state_mut().run_command(Command::CloseTranscriptEditor);
    h.run();
    assert!(h.state().transcript().is_none());
    assert!(h.query_by_label("Éditer la transcription").is_some());
}
