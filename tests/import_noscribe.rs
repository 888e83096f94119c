//! Transcripts made elsewhere keep their speakers, time marks and recording: noScribe's
//! HTML (segments as `ts_<start>_<end>_<speaker>` anchors, the recording in a meta tag) and
//! WebVTT with voice tags.

use std::path::Path;

use fouille::model::timestamps::find_marks;
use fouille::store::{Project, documents};

use crate::support::project::{data, fouille_err, fouille_ok, s};
use crate::support::speech::recording;

/// The document named `name`, its text and its speaker labels.
fn read_back(project: &Path, name: &str) -> (fouille::model::DocumentInfo, String, Vec<String>) {
    let project = Project::open(project).unwrap();
    let doc = documents::find(project.conn(), name).unwrap();
    let text = documents::text(project.conn(), &doc.guid).unwrap();
    let speakers = project.settings().unwrap()[&documents::speakers_key(&doc.guid)]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    (doc, text, speakers)
}

#[test]
fn a_noscribe_transcript_keeps_turns_speakers_marks_and_finds_its_recording() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    // noScribe named the recording by its path on the Windows machine that transcribed
    // it; here it lies beside the transcript.
    let html = dir.path().join("entretien.html");
    std::fs::copy(data("noscribe/entretien.html"), &html).unwrap();
    std::fs::copy(recording("entretien"), dir.path().join("entretien.wav")).unwrap();
    fouille_ok(&["import", s(&p), s(&html)]);

    let (doc, text, speakers) = read_back(&p, "entretien");
    assert_eq!(format!("{:?}", doc.kind), "Transcript");
    assert_eq!(
        text,
        "[00:00:00] S00 : Dans notre service, l'accueil des nouveaux agents se fait souvent dans l'urgence.\n\n\
         [00:00:05.020] S01 : On leur montre le logiciel, on leur donne les clés, et puis on espère que tout ira bien. (.)\n\n\
         [00:00:12.400] S00 : Personne n'a vraiment le temps de les accompagner & de les former."
    );
    assert_eq!(speakers, ["S00", "S01"]);
    let media = doc
        .media_path
        .expect("the recording beside the transcript is attached");
    assert!(
        media.ends_with("entretien.wav") && Path::new(&media).is_file(),
        "{media}"
    );
    let marks: Vec<u64> = find_marks(&text).iter().map(|m| m.time_ms).collect();
    assert_eq!(marks, [0, 5_020, 12_400]);
}

#[test]
fn a_noscribe_transcript_whose_recording_is_elsewhere_imports_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    fouille_ok(&["import", s(&p), s(&data("noscribe/entretien.html"))]);
    let (doc, text, _) = read_back(&p, "entretien");
    assert_eq!(doc.media_path, None);
    assert!(
        text.starts_with("[00:00:00] S00 : Dans notre service"),
        "{text}"
    );

    // An HTML page that is not a noScribe transcript is refused, naming the file.
    let page = dir.path().join("page.html");
    std::fs::write(&page, "<html><body><p>Compte rendu</p></body></html>").unwrap();
    let err = fouille_err(&["import", s(&p), s(&page)]);
    assert!(
        err.contains("page.html") && err.contains("noScribe"),
        "{err}"
    );
}

#[test]
fn webvtt_voices_become_the_document_s_speakers() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    let vtt = dir.path().join("reunion.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v S01>Bonjour à tous.</v>\n\n\
         00:00:04.500 --> 00:00:07.000\n<v S02>Merci, on commence ?</v>\n\n\
         00:00:09.000 --> 00:00:11.000\n<v S01>Oui.</v>\n",
    )
    .unwrap();
    fouille_ok(&["import", s(&p), s(&vtt)]);
    let (_, text, speakers) = read_back(&p, "reunion");
    assert_eq!(speakers, ["S01", "S02"]);
    assert!(
        text.starts_with("[00:00:01] S01 : Bonjour à tous."),
        "{text}"
    );
    assert_eq!(find_marks(&text).first().unwrap().time_ms, 1_000);
}
