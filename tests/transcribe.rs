//! Automatic transcription through the command line, with the real Whisper base model: the
//! transcript lands in a document with its recording and time marks where the phrases are
//! spoken, it is one undo step, an existing text is replaced only when asked (its codings
//! follow), and a bad model or a file that is not audio changes nothing.

use std::path::Path;

use fouille::model::timestamps::find_marks;
use fouille::store::{Project, documents};

use crate::support::project::{fouille, fouille_json, fouille_ok, s};
use crate::support::speech::{model_dir, recording, utterance_onsets};

fn new_project(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("t.fouille");
    fouille_ok(&["new", s(&p)]);
    p
}

fn document_text(project: &Path, name: &str) -> (fouille::model::DocumentInfo, String) {
    let project = Project::open(project).unwrap();
    let doc = documents::find(project.conn(), name).unwrap();
    let text = documents::text(project.conn(), &doc.guid).unwrap();
    (doc, text)
}

#[test]
fn a_recording_becomes_a_transcript_with_marks_where_the_phrases_are_spoken() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path());
    let audio = recording("long");
    let model = s(model_dir());
    let out = fouille_json(&["transcribe", s(&p), s(&audio), "--model", model, "--json"]);
    assert_eq!(out[0]["name"], "long", "{out}");
    assert_eq!(out[0]["created"], true, "{out}");
    let duration_ms = out[0]["duration_ms"].as_u64().unwrap();
    assert!(duration_ms.abs_diff(119_058) < 50, "{out}");

    let (doc, text) = document_text(&p, "long");
    assert_eq!(doc.media_path.as_deref(), Some(s(&audio)));
    assert_eq!(format!("{:?}", doc.kind), "Transcript");
    let marks = find_marks(&text);
    assert!(marks.len() >= 16, "{text}");
    assert!(
        marks.windows(2).all(|w| w[0].time_ms <= w[1].time_ms),
        "{text}"
    );
    assert!(marks.iter().all(|m| m.time_ms < duration_ms), "{text}");

    // Each utterance (after 3.5 s of silence) starts a paragraph whose mark seeks to within
    // a second of where it is spoken, and no paragraph starts anywhere else.
    let onsets = utterance_onsets(&audio, 3000);
    assert_eq!(onsets.len(), 16, "one per utterance: {onsets:?}");
    let paragraph_marks: Vec<u64> = text
        .split("\n\n")
        .map(|para| {
            find_marks(para)
                .first()
                .expect("a mark opens each paragraph")
                .time_ms
        })
        .collect();
    let near = |a: u64, b: u64| a.abs_diff(b) <= 1000;
    for onset in &onsets {
        assert!(
            paragraph_marks.iter().any(|&m| near(m, *onset)),
            "no paragraph mark within 1 s of {onset} ms: {paragraph_marks:?}\n{text}"
        );
    }
    for mark in &paragraph_marks {
        assert!(
            onsets.iter().any(|&o| near(*mark, o)),
            "{mark} ms: {onsets:?}"
        );
    }
    // Nothing invented in the silences, no phrase repeated in a loop.
    let sentences: Vec<&str> = text.split(['.', '\n']).filter(|s| s.len() > 20).collect();
    for (i, a) in sentences.iter().enumerate() {
        assert!(
            sentences[i + 1..].iter().filter(|b| *b == a).count() < 2,
            "{a}"
        );
    }

    // One undo step removes the document.
    fouille_ok(&["undo", s(&p)]);
    let listed = fouille_json(&["documents", s(&p), "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");
}

#[test]
fn replacing_a_transcript_is_asked_for_and_keeps_its_codings() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path());
    let audio = recording("entretien");
    let model = s(model_dir());
    fouille_ok(&["transcribe", s(&p), s(&audio), "--model", model]);
    let (doc, text) = document_text(&p, "entretien");
    let first = text.lines().next().unwrap();
    let end = first.chars().count().to_string();
    fouille_ok(&["code", "add", s(&p), "Accueil"]);
    fouille_ok(&[
        "code",
        "apply",
        s(&p),
        "--document",
        "entretien",
        "--start",
        "0",
        "--end",
        &end,
        "--code",
        "Accueil",
    ]);
    let before = std::fs::read(&p).unwrap();

    // Without --replace, a document with text is refused before any recognition.
    let refused = fouille(&["transcribe", s(&p), s(&audio), "--document", "entretien"]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("entretien") && err.contains("--replace"),
        "{err}"
    );
    assert_eq!(std::fs::read(&p).unwrap(), before, "nothing written");

    fouille_ok(&[
        "transcribe",
        s(&p),
        s(&audio),
        "--document",
        "entretien",
        "--replace",
        "--model",
        model,
    ]);
    let (again, new_text) = document_text(&p, "entretien");
    assert_eq!(again.guid, doc.guid);
    assert_eq!(
        new_text, text,
        "the same recording gives the same transcript"
    );
    let excerpts = fouille_json(&["excerpts", s(&p), "--code", "Accueil", "--json"]);
    assert_eq!(excerpts.as_array().unwrap().len(), 1, "{excerpts}");
    assert_eq!(excerpts[0]["text"], first);
}

#[test]
fn a_bad_model_or_a_file_that_is_not_audio_gets_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path());
    let audio = recording("chiffres");
    let before = std::fs::read(&p).unwrap();
    let fails = |args: &[&str], wanted: &[&str]| {
        let out = fouille(args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
        for w in wanted {
            assert!(err.contains(w), "{args:?}: {err:?} lacks {w:?}");
        }
        assert_eq!(
            std::fs::read(&p).unwrap(),
            before,
            "{args:?} wrote to the project"
        );
    };

    let missing = dir.path().join("pas-de-modele");
    fails(
        &["transcribe", s(&p), s(&audio), "--model", s(&missing)],
        &["pas-de-modele"],
    );

    let corrupt = dir.path().join("corrompu");
    std::fs::create_dir(&corrupt).unwrap();
    for f in ["config.json", "tokenizer.json", "vocabulary.txt"] {
        let from = model_dir().join(f);
        if from.exists() {
            std::fs::copy(from, corrupt.join(f)).unwrap();
        }
    }
    fails(
        &["transcribe", s(&p), s(&audio), "--model", s(&corrupt)],
        &["model.bin"],
    );
    std::fs::write(corrupt.join("model.bin"), vec![7u8; 4096]).unwrap();
    fails(
        &["transcribe", s(&p), s(&audio), "--model", s(&corrupt)],
        &["model.bin"],
    );

    let text = dir.path().join("notes.wav");
    std::fs::write(&text, "ceci n'est pas un enregistrement\n").unwrap();
    fails(
        &["transcribe", s(&p), s(&text), "--model", s(model_dir())],
        &["notes.wav"],
    );
    let listed = fouille_json(&["documents", s(&p), "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[test]
fn turns_are_labelled_by_paragraph_with_codings_kept_and_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let p = new_project(dir.path());
    let file = dir.path().join("entretien.txt");
    std::fs::write(
        &file,
        "[00:00:00] Vous travaillez ici depuis longtemps ?\n\n[00:00:04] Quinze ans, à l'accueil.\n\n[00:00:09] Et ça a changé ?\n",
    )
    .unwrap();
    fouille_ok(&["import", s(&p), s(&file)]);
    let (_, text) = document_text(&p, "entretien");
    let start = text.find("Quinze").unwrap();
    let (start, end) = (
        text[..start].chars().count(),
        text[..start].chars().count() + 9,
    );
    fouille_ok(&["code", "add", s(&p), "Ancienneté"]);
    fouille_ok(&[
        "code",
        "apply",
        s(&p),
        "--document",
        "entretien",
        "--start",
        &start.to_string(),
        "--end",
        &end.to_string(),
        "--code",
        "Ancienneté",
    ]);
    let args = [
        "label-turns",
        s(&p),
        "--document",
        "entretien",
        "--speakers",
        "Enquêtrice,Agent",
        "--json",
    ];
    let out = fouille_json(&args);
    assert_eq!(out["labels_added"], 3, "{out}");
    let (_, labelled) = document_text(&p, "entretien");
    assert_eq!(
        labelled,
        "[00:00:00] Enquêtrice : Vous travaillez ici depuis longtemps ?\n\n[00:00:04] Agent : Quinze ans, à l'accueil.\n\n[00:00:09] Enquêtrice : Et ça a changé ?\n"
    );
    let excerpts = fouille_json(&["excerpts", s(&p), "--code", "Ancienneté", "--json"]);
    assert_eq!(excerpts[0]["text"], "Quinze an", "{excerpts}");
    assert_eq!(
        fouille_json(&args)["labels_added"],
        0,
        "a second run adds nothing"
    );
    fouille_ok(&["undo", s(&p)]);
    assert_eq!(document_text(&p, "entretien").1, text);
}
