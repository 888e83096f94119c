//! The transcript editor: typing, time marks, speaker labels, saving as one undoable action
//! that carries the codings, clicked and typed through the real app.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use fouille::store::documents;
use fouille::ui::command::Command;
use fouille::ui::command::{Navigation, Work};

use crate::support::project::data;
use crate::support::ui::{harness, sample};

// Type, Ctrl+T, Ctrl+1, save, check the store; Ctrl+Z brings the old text back.
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
    h.state_mut()
        .run_command(Command::Go(Navigation::CloseTranscript));
    h.run();
    assert!(h.state().transcript().is_none());
    assert!(h.query_by_label("Éditer la transcription").is_some());
}

// A recording attached by typed path is stored, decoded (worker) and played above the
// editor; Ctrl+T writes the player's position.
#[test]
fn transcript_editor_attaches_audio_and_marks_its_position() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let doc = h.state().nav().document.clone().unwrap();
    h.get_by_label("Éditer la transcription").click();
    h.run();
    assert!(h.state().transcript_audio().is_none());
    let audio = data("audio/sine-1500ms.ogg").display().to_string();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Enregistrement :")
        .click();
    h.run();
    h.event(egui::Event::Text(audio.clone()));
    h.run();
    h.get_by_label("Associer").click();
    h.run();
    let info = documents::list(h.state().project().unwrap().conn())
        .unwrap()
        .into_iter()
        .find(|d| d.guid == doc)
        .unwrap();
    assert_eq!(info.media_path.as_deref(), Some(audio.as_str()));
    let player = &h.state().transcript_audio().expect("decoded").player;
    let duration = player.duration_ms();
    assert!((1400..=1600).contains(&duration), "{duration}");
    player.seek_ms(1_200);
    // Back in the text (at its end), Ctrl+T writes the position: 1.2 s → [00:00:01].
    h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Transcription")
        .click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::T);
    h.run();
    let text = &h.state().transcript().unwrap().text;
    assert!(
        text.contains("[00:00:01] "),
        "no mark at the audio position"
    );
    // The attachment is one undoable action, apart from the text.
    h.state_mut()
        .run_command(Command::Work(Work::SaveTranscript));
    h.state_mut().run_command(Command::Work(Work::Undo));
    h.state_mut().run_command(Command::Work(Work::Undo));
    let info = documents::list(h.state().project().unwrap().conn())
        .unwrap()
        .into_iter()
        .find(|d| d.guid == doc)
        .unwrap();
    assert_eq!(info.media_path, None);
}

// In the document view, clicking a `[hh:mm:ss]` mark seeks the recording there.
#[test]
fn clicking_a_time_mark_in_the_document_seeks_the_player() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let audio = data("audio/sine-1500ms.ogg").display().to_string();
    let doc = h.state().nav().document.clone().unwrap();
    h.get_by_label("Éditer la transcription").click();
    h.run();
    h.state_mut().run_command(Command::Work(Work::AttachMedia {
        document: doc.clone(),
        path: audio,
    }));
    h.run();
    // A mark where the cursor is (the end of the text).
    h.event(egui::Event::Text("\n[00:00:01] Fin".into()));
    h.run();
    h.get_by_label("Fermer l'éditeur").click();
    h.run();
    assert!(h.state().transcript().is_none());
    let text = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    assert!(text.ends_with("\n[00:00:01] Fin"));
    assert_eq!(
        h.state().transcript_audio().unwrap().player.position_ms(),
        0
    );
    let mark = text.chars().count() - "[00:00:01] Fin".chars().count();
    h.state_mut()
        .document_view_mut()
        .select_and_reveal(mark, mark);
    h.run();
    // Click inside the mark (its 4th char).
    let pos = h
        .state()
        .document_view()
        .char_screen_pos(mark + 4)
        .expect("visible");
    h.hover_at(pos + egui::vec2(2.0, 0.0));
    h.step();
    h.event(egui::Event::PointerButton {
        pos: pos + egui::vec2(2.0, 0.0),
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.event(egui::Event::PointerButton {
        pos: pos + egui::vec2(2.0, 0.0),
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    assert_eq!(
        h.state().transcript_audio().unwrap().player.position_ms(),
        1_000
    );
}
