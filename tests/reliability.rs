//! Reliability: crash safety under SIGKILL, backups, migrations of old files, hostile
//! inputs.

use crate::support::project::{data, fouille_err, fouille_json, fouille_ok, s, sample_project};
use fouille::store::{Project, backup};

#[test]
fn crash_test_with_20_kills_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let report = fouille_json(&[
        "crash-test",
        "--kills",
        "20",
        "--seed",
        "11",
        "--dir",
        s(dir.path()),
        "--json",
    ]);
    assert_eq!(report["kills"], 20);
    assert_eq!(report["losses"], 0, "{report}");
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    assert!(
        report["codings_checked"].as_u64().unwrap() > 0,
        "the child committed codings: {report}"
    );
}

#[test]
fn copies_of_the_file_made_while_it_is_worked_on_open_whole() {
    // The project file alone, copied at random moments while a child codes at a person's
    // pace (what users do to share or back it up), holds every committed coding.
    let dir = tempfile::tempdir().unwrap();
    let report = fouille_json(&[
        "crash-test",
        "--copies",
        "30",
        "--seed",
        "7",
        "--dir",
        s(dir.path()),
        "--json",
    ]);
    // Copies made at rest open whole; a copy that met a write half-way may be torn, as any
    // database file, and must then be refused or flagged by `check`, never open with a
    // committed coding missing.
    assert_eq!(report["copies"], 30, "{report}");
    assert_eq!(report["failures"], 0, "{report}");
    assert!(report["at_rest"].as_u64().unwrap() > 0, "{report}");
    assert!(report["codings_checked"].as_u64().unwrap() > 0, "{report}");
}

#[test]
fn backup_list_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_project(dir.path());
    let ps = s(&p);
    let before = fouille_json(&["excerpts", ps, "--json"])
        .as_array()
        .unwrap()
        .len();
    let made = fouille_json(&["backup", ps, "--reason", "avant nettoyage", "--json"]);
    let backup_path = made["backup"].as_str().unwrap().to_string();
    assert!(backup_path.contains("avant-nettoyage"), "{backup_path}");
    fouille_ok(&["code", "delete", ps, "Controverses"]);
    assert!(
        fouille_json(&["excerpts", ps, "--json"])
            .as_array()
            .unwrap()
            .len()
            < before
    );
    let list = fouille_json(&["backups", ps, "--json"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|b| b["path"] == backup_path.as_str())
    );
    fouille_ok(&["restore", ps, &backup_path]);
    assert_eq!(
        fouille_json(&["excerpts", ps, "--json"])
            .as_array()
            .unwrap()
            .len(),
        before
    );
    assert!(fouille_ok(&["check", ps]).contains("ok"));
    // The state before the restore was kept too.
    let list = backup::list(&p).unwrap();
    assert!(
        list.iter().any(|b| b.reason == "before-restore"),
        "{list:?}"
    );
    // Rotation keeps the newest ones.
    let project = Project::open(&p).unwrap();
    for _ in 0..(backup::KEEP_BACKUPS + 3) {
        project.backup("rotation").unwrap();
    }
    let kept = backup::list(&p).unwrap();
    assert_eq!(kept.len(), backup::KEEP_BACKUPS, "{kept:?}");
    assert!(kept.iter().all(|b| b.reason == "rotation"), "{kept:?}");
}

#[test]
fn a_restore_refuses_an_open_project_and_a_damaged_backup() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_project(dir.path());
    let project = Project::open(&p).unwrap();
    let b = project.backup("x").unwrap();
    assert!(backup::restore(&p, &b).is_err(), "the project is open here");
    drop(project);
    let junk = dir.path().join("junk.fouille");
    std::fs::write(&junk, b"nope").unwrap();
    assert!(backup::restore(&p, &junk).is_err());
    assert!(fouille_ok(&["check", s(&p)]).contains("ok"));
}

/// Every earlier schema version is kept as a fixture in tests/data/schema/ and must open
/// (migrating if needed) without loss.
#[test]
fn every_schema_fixture_opens_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(data("schema")).unwrap() {
        let src = entry.unwrap().path();
        let copy = dir.path().join(src.file_name().unwrap());
        std::fs::copy(&src, &copy).unwrap();
        let p = Project::open(&copy).unwrap();
        assert!(
            fouille::store::check::check(p.conn()).unwrap().is_empty(),
            "{}",
            src.display()
        );
        let ex = fouille::store::excerpts::excerpts(p.conn(), &Default::default()).unwrap();
        assert_eq!(ex.len(), 1, "{}", src.display());
        assert_eq!(ex[0].text, "Nadia : J’");
        assert_eq!(ex[0].memo, "mémo v1");
        assert_eq!(ex[0].respondent_name.as_deref(), Some("Nadia Benali"));
        assert_eq!(fouille::store::codes::list(p.conn()).unwrap().len(), 27);
        seen += 1;
    }
    assert!(seen >= 1);
}

#[test]
fn oversized_files_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    let big = dir.path().join("énorme.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(fouille::import::MAX_FILE_BYTES + 1).unwrap(); // sparse: no disk used
    let err = fouille_err(&["import", s(&p), s(&big)]);
    assert!(err.contains("énorme.txt") && err.contains("MB"), "{err}");
    assert_eq!(
        fouille_json(&["documents", s(&p), "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn nul_bytes_and_invalid_utf8_get_clear_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    let bin = dir.path().join("binaire.txt");
    std::fs::write(&bin, b"abc\0\0\0def\0").unwrap();
    let err = fouille_err(&["import", s(&p), s(&bin)]);
    assert!(
        err.contains("binaire.txt") && err.contains("binary"),
        "{err}"
    );
    let latin = dir.path().join("latin.txt");
    std::fs::write(&latin, b"caf\xe9 cr\xe8me \x9c uvre").unwrap();
    let out = fouille_ok(&["import", s(&p), s(&latin)]);
    assert!(out.contains("Windows-1252"), "{out}");
    let hits = fouille_json(&["search", s(&p), "creme", "--json"]);
    assert_eq!(hits["passages"][0]["matched"], "crème");
}

/// A panic while a project is open leaves a crash report beside it, without interview text.
#[test]
fn a_panic_writes_a_crash_report_beside_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("enquête.fouille");
    std::fs::write(&project, b"").unwrap();
    fouille::crash_report::install();
    fouille::crash_report::set_current_project(Some(&project));
    let result = std::panic::catch_unwind(|| panic!("panne simulée"));
    fouille::crash_report::set_current_project(None);
    assert!(result.is_err());
    let reports = fouille::crash_report::reports_for(&project);
    assert_eq!(reports.len(), 1, "{reports:?}");
    let text = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(
        text.contains("panne simulée") && text.contains("Backtrace"),
        "{text}"
    );
    let long = "x".repeat(1000);
    assert!(
        fouille::crash_report::report_text(&long, "here", "").len() < 600,
        "messages are cut"
    );
}
