//! Automatic transcription in the app: « Transcrire automatiquement » on a document with a
//! recording, the question before replacing its text, the job on its own thread with its
//! progress window, written as one undoable action; « Annuler » writes nothing. Runs the
//! real Whisper base model on a short French recording.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use fouille::store::documents;
use fouille::ui::FouilleApp;
use fouille::ui::command::{Command, Work};

use crate::support::speech::{model_dir, recording};
use crate::support::ui::{harness, sample};

/// The longest a transcription of the short recording may take (the base model does it in
/// a few seconds; a loaded machine in debug builds is given much more).
const PATIENCE: Duration = Duration::from_secs(300);

/// The sample project open on its first document, with `chiffres.wav` attached to it and
/// the test model chosen; returns the document's GUID and its text.
fn with_recording() -> (
    crate::support::ui::Sample,
    Harness<'static, FouilleApp>,
    fouille::model::DocumentId,
    String,
) {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.state_mut().set_speech_model(model_dir());
    let doc = h.state().nav().document.clone().unwrap();
    h.state_mut().run_command(Command::Work(Work::AttachMedia {
        document: doc.clone(),
        path: recording("chiffres").display().to_string(),
    }));
    h.run();
    let text = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    assert!(!text.is_empty());
    (sample, h, doc, text)
}

/// Frames until no transcription is queued or running (at most [`PATIENCE`]).
fn wait_for_jobs(h: &mut Harness<'static, FouilleApp>) {
    let started = Instant::now();
    while h.state().transcriptions_busy() {
        assert!(
            started.elapsed() < PATIENCE,
            "the transcription never ended"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    h.run();
}

// Click, confirm replacing the text, wait: the document holds the recognised speech with
// time marks, in one undo step.
#[test]
fn transcribe_automatically_replaces_the_text_in_one_undo_step() {
    let (_sample, mut h, doc, before) = with_recording();
    h.get_by_label("Transcrire automatiquement").click();
    h.run();
    h.get_by_label("Remplacer le texte ?");
    h.get_by_label("Remplacer").click();
    h.run();
    assert!(h.state().transcriptions_busy());
    // The progress window is shown, with its cancel button.
    h.get_by_label("Transcriptions automatiques");
    wait_for_jobs(&mut h);
    let text = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    assert_ne!(text, before, "{:?}", h.state().message());
    assert!(text.starts_with("[00:00:0"), "{text}");
    assert_eq!(
        h.state().cache().undo_label.as_deref(),
        Some("action.transcribe")
    );
    // The document view shows the new text.
    assert_eq!(h.state().document_view().char_count(), text.chars().count());
    h.state_mut().run_command(Command::Work(Work::Undo));
    let undone = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    assert_eq!(undone, before);
}

// « Annuler » while the job runs: nothing is written, the window goes.
#[test]
fn cancelling_a_transcription_writes_nothing() {
    let (_sample, mut h, doc, before) = with_recording();
    let undo_before = h.state().cache().undo_label.clone();
    h.get_by_label("Transcrire automatiquement").click();
    h.run();
    h.get_by_label("Remplacer").click();
    h.run();
    assert!(h.state().transcriptions_busy());
    h.get_by_label("Annuler").click();
    h.run();
    assert!(!h.state().transcriptions_busy());
    assert!(h.query_by_label("Transcriptions automatiques").is_none());
    // The thread stops at its next window; whatever it ends with is not written.
    for _ in 0..20 {
        h.step();
        std::thread::sleep(Duration::from_millis(100));
    }
    let text = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
    assert_eq!(text, before);
    assert_eq!(h.state().cache().undo_label, undo_before);
}
