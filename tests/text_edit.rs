//! Changing a coded document's text in the store (edit, re-import) keeps its codings, as
//! one undoable step; and the CLI commands around transcripts.

use fouille::import::subtitles;
use fouille::media::transcript::{self, TranscriptFormat};
use fouille::model::text::slice_chars;
use fouille::store::text_edit::set_text_with_rebase;
use fouille::store::{Project, check, codings, documents};
use std::collections::BTreeMap;

use crate::support::project::{embedded_sample, fouille_in_process};
use fouille::model::{CodingId, DocumentId};

const DOC: &str = "06-budget-participatif";

/// Live codings of the document: GUID → (start, end, text).
fn coded(project: &Project, guid: &DocumentId) -> BTreeMap<CodingId, (usize, usize, String)> {
    let text = documents::text(project.conn(), guid).unwrap();
    codings::for_document(project.conn(), guid)
        .unwrap()
        .into_iter()
        .map(|c| {
            let t = slice_chars(&text, c.start_char, c.end_char)
                .unwrap()
                .to_string();
            (c.guid, (c.start_char, c.end_char, t))
        })
        .collect()
}

/// Char ranges of the lines of `text` (without their `\n`).
fn line_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let len = line.chars().count();
        out.push((start, start + len));
        start += len + 1;
    }
    out
}

fn touches(range: (usize, usize), (s, e): (usize, usize)) -> bool {
    s < range.1 && e > range.0
}

/// An edited version of the transcript's lines: line `deleted` removed, a word changed
/// in line `typo`, a new line inserted before line `inserted_before`. Returns the new
/// lines and the old char ranges the edits touched.
fn edit_lines(
    text: &str,
    deleted: usize,
    typo: usize,
    inserted_before: usize,
) -> (Vec<String>, Vec<(usize, usize)>) {
    let ranges = line_ranges(text);
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let (ts, _) = ranges[typo];
    let at = lines[typo].find(" : ").expect("a speaker") + 3;
    let word_start = ts + lines[typo][..at].chars().count();
    lines[typo].replace_range(at..at, "euh, ");
    let mut touched = vec![(word_start, word_start), ranges[deleted]];
    let new_line = "[00:30:00] Enquêteur : Une question ajoutée après coup.".to_string();
    // Insert before deleting so indices hold (inserted_before < deleted is not assumed).
    let mut out = Vec::new();
    for (i, l) in lines.into_iter().enumerate() {
        if i == inserted_before {
            out.push(new_line.clone());
        }
        if i != deleted {
            out.push(l);
        }
    }
    touched.push((ranges[inserted_before].0, ranges[inserted_before].0));
    (out, touched)
}

fn untouched_by(edits: &[(usize, usize)], (s, e): (usize, usize)) -> bool {
    edits.iter().all(|&(a, b)| {
        if a == b {
            !(s < a && a < e)
        } else {
            !touches((a, b), (s, e))
        }
    })
}

#[test]
fn editing_keeps_codings_and_undoes_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = embedded_sample(dir.path());
    let mut project = Project::open(&path).unwrap();
    let doc = documents::find(project.conn(), DOC).unwrap();
    let old_text = documents::text(project.conn(), &doc.guid).unwrap();
    let before = coded(&project, &doc.guid);
    assert!(before.len() > 10);
    // Delete the line holding the first coding (whole), if that coding fits in one line.
    let ranges = line_ranges(&old_text);
    let (first_start, first_end, _) = before.values().min_by_key(|v| v.0).unwrap().clone();
    let deleted = ranges
        .iter()
        .position(|&(s, e)| s <= first_start && first_end <= e)
        .expect("a coding within a line");
    let typo = ranges.len() - 3;
    let (lines, edits) = edit_lines(&old_text, deleted, typo, ranges.len() / 2);
    let new_text = lines.join("\n");
    let report = project
        .action("Edit text", |tx| {
            set_text_with_rebase(tx, &doc.guid, &new_text)
        })
        .unwrap();
    assert!(report.text_changed);
    let after = coded(&project, &doc.guid);
    let mut kept_exactly = 0;
    for (guid, (s, e, text)) in &before {
        if untouched_by(&edits, (*s, *e)) {
            let (_, _, new) = after
                .get(guid)
                .unwrap_or_else(|| panic!("coding {guid} « {text} » lost"));
            assert_eq!(new, text);
            kept_exactly += 1;
        }
        if ranges[deleted].0 <= *s && *e <= ranges[deleted].1 {
            assert!(
                !after.contains_key(guid),
                "coding in the deleted line is gone"
            );
            assert!(
                report
                    .removed
                    .iter()
                    .any(|r| &r.guid == guid && &r.old_text == text)
            );
        }
    }
    assert!(
        kept_exactly >= before.len() - 4,
        "{kept_exactly} of {}",
        before.len()
    );
    assert_eq!(
        report.kept.len() + report.shifted.len() + report.adjusted.len() + report.removed.len(),
        before.len()
    );
    assert!(!report.removed.is_empty());
    assert!(check::check(project.conn()).unwrap().is_empty());
    assert_eq!(
        documents::text(project.conn(), &doc.guid).unwrap(),
        new_text
    );
    // One undo brings back the text and every coding where it was.
    assert_eq!(project.undo().unwrap().as_deref(), Some("Edit text"));
    assert_eq!(
        documents::text(project.conn(), &doc.guid).unwrap(),
        old_text
    );
    assert_eq!(coded(&project, &doc.guid), before);
    assert!(check::check(project.conn()).unwrap().is_empty());
}

#[test]
fn same_text_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = embedded_sample(dir.path());
    let mut project = Project::open(&path).unwrap();
    let doc = documents::find(project.conn(), DOC).unwrap();
    let text = documents::text(project.conn(), &doc.guid).unwrap();
    let report = project
        .action("Edit text", |tx| {
            set_text_with_rebase(tx, &doc.guid, &text.replace('\n', "\r\n"))
        })
        .unwrap();
    assert!(!report.text_changed);
    assert_eq!(report.changed_count(), 0);
    // An action that changed nothing leaves no undo step.
    assert_ne!(project.undo_label().unwrap().as_deref(), Some("Edit text"));
}

#[test]
fn reimport_of_an_edited_srt_keeps_codings_on_unchanged_passages() {
    // Export the transcript as SubRip, correct it as a transcriber would (a cue deleted, a
    // word added, a cue added), re-import it with the CLI.
    let dir = tempfile::tempdir().unwrap();
    let path = embedded_sample(dir.path());
    let project = Project::open(&path).unwrap();
    let doc = documents::find(project.conn(), DOC).unwrap();
    let old_text = documents::text(project.conn(), &doc.guid).unwrap();
    let before = coded(&project, &doc.guid);
    drop(project);
    // The export reads back to the same text.
    let srt = transcript::export(&old_text, TranscriptFormat::Srt, None);
    assert_eq!(subtitles::srt_to_text(&srt).unwrap(), old_text);
    let ranges = line_ranges(&old_text);
    let (lines, edits) = edit_lines(&old_text, 10, 40, 60);
    let edited_srt = transcript::export(&lines.join("\n"), TranscriptFormat::Srt, None);
    let file = dir.path().join("corrige.srt");
    std::fs::write(&file, edited_srt).unwrap();
    fouille_in_process(&[
        "reimport",
        path.to_str().unwrap(),
        "--document",
        DOC,
        file.to_str().unwrap(),
    ])
    .unwrap();
    let project = Project::open(&path).unwrap();
    let after = coded(&project, &doc.guid);
    let mut checked = 0;
    for (guid, (s, e, text)) in &before {
        if untouched_by(&edits, (*s, *e)) {
            assert_eq!(
                &after.get(guid).unwrap().2,
                text,
                "coding on an unchanged passage"
            );
            checked += 1;
        } else if ranges[10].0 <= *s && *e <= ranges[10].1 {
            assert!(!after.contains_key(guid));
        }
    }
    assert!(checked > 20, "{checked}");
    assert_eq!(
        project.undo_label().unwrap().as_deref(),
        Some("action.edit_text")
    );
    assert!(check::check(project.conn()).unwrap().is_empty());
}

#[test]
fn cli_attaches_media_and_exports_subtitles() {
    let dir = tempfile::tempdir().unwrap();
    let path = embedded_sample(dir.path());
    let p = path.to_str().unwrap();
    // 2 s of silence at 8 kHz, 16-bit mono.
    let wav = dir.path().join("entretien.wav");
    let frames = 16_000u32;
    let mut b = Vec::new();
    for (tag, v) in [(b"RIFF", 36 + frames * 2), (b"WAVE", 0)] {
        b.extend_from_slice(tag);
        if v > 0 {
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    b.extend_from_slice(b"fmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    for v in [1u16, 1] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes());
    for v in [2u16, 16] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(frames * 2).to_le_bytes());
    b.resize(b.len() + frames as usize * 2, 0);
    std::fs::write(&wav, b).unwrap();
    fouille_in_process(&["attach-media", p, "--document", DOC, wav.to_str().unwrap()]).unwrap();
    let project = Project::open(&path).unwrap();
    let doc = documents::find(project.conn(), DOC).unwrap();
    let canonical = std::fs::canonicalize(&wav).unwrap();
    assert_eq!(doc.media_path.as_deref(), Some(canonical.to_str().unwrap()));
    assert_eq!(
        project.undo_label().unwrap().as_deref(),
        Some("action.attach_media")
    );
    let text = documents::text(project.conn(), &doc.guid).unwrap();
    drop(project);
    // Not audio: refused, nothing attached.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "bonjour").unwrap();
    assert!(
        fouille_in_process(&[
            "attach-media",
            p,
            "--document",
            DOC,
            notes.to_str().unwrap()
        ])
        .is_err()
    );
    for (format, parse) in [
        ("srt", subtitles::parse_srt as fn(&str) -> _),
        ("vtt", subtitles::parse_vtt),
    ] {
        let out = dir.path().join(format!("t.{format}"));
        fouille_in_process(&[
            "transcript",
            p,
            "--document",
            DOC,
            "--export",
            format,
            "-o",
            out.to_str().unwrap(),
        ])
        .unwrap();
        let written = std::fs::read_to_string(&out).unwrap();
        let cues = parse(&written).unwrap();
        let marks = fouille::model::timestamps::find_marks(&text);
        // One cue per line; a mark ending a line (a cue followed by a silence) ends it.
        assert_eq!(cues.len(), text.lines().count());
        assert_eq!(cues[0].start_ms, marks[0].time_ms);
        assert_eq!(cues[0].end_ms, marks[1].time_ms);
        assert_eq!(cues.last().unwrap().end_ms, marks.last().unwrap().time_ms);
        let reread = if format == "srt" {
            subtitles::srt_to_text(&written)
        } else {
            subtitles::vtt_to_text(&written)
        };
        assert_eq!(reread.unwrap(), text);
    }
    let txt = dir.path().join("t.txt");
    fouille_in_process(&[
        "transcript",
        p,
        "--document",
        DOC,
        "--export",
        "txt",
        "-o",
        txt.to_str().unwrap(),
    ])
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(&txt).unwrap().trim_end(),
        text.trim_end()
    );
    // A document without time marks cannot be exported as subtitles.
    assert!(
        fouille_in_process(&[
            "transcript",
            p,
            "--document",
            "01-ccas-accueil",
            "--export",
            "srt"
        ])
        .is_err()
    );
}

#[test]
fn cli_edit_text_reports_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let path = embedded_sample(dir.path());
    let p = path.to_str().unwrap();
    let project = Project::open(&path).unwrap();
    let doc = documents::find(project.conn(), "01-ccas-accueil").unwrap();
    let text = documents::text(project.conn(), &doc.guid).unwrap();
    let before = coded(&project, &doc.guid);
    assert!(!before.is_empty(), "the interview is coded");
    drop(project);
    let file = dir.path().join("corrige.txt");
    std::fs::write(&file, format!("Entretien relu le 2 avril.\n{text}")).unwrap();
    fouille_in_process(&[
        "edit-text",
        p,
        "--document",
        "01-ccas-accueil",
        "--from",
        file.to_str().unwrap(),
    ])
    .unwrap();
    let project = Project::open(&path).unwrap();
    let after = coded(&project, &doc.guid);
    assert_eq!(before.len(), after.len());
    for (guid, (s, e, t)) in &before {
        let (ns, ne, nt) = &after[guid];
        assert_eq!(nt, t);
        assert_eq!((*ns, *ne), (s + 27, e + 27), "shifted by the added line");
    }
    drop(project);
    fouille_in_process(&["undo", p]).unwrap();
    let project = Project::open(&path).unwrap();
    assert_eq!(coded(&project, &doc.guid), before);
}
