//! Nothing lost when the disk, the file or the input misbehaves: a full disk, a merge
//! during an import, an unclosed quote in a survey, a journal deleted after a crash,
//! flipped bytes, a read-only project, a file cut short, and hostile names and archives.
//! Each test first builds the faulty situation for real (a small tmpfs, a second process,
//! bytes changed in the file) and then checks what the user is told and what is kept.

use crate::support::archive::zip_of;
use crate::support::project::{
    FOUILLE, fouille, fouille_err, fouille_json, fouille_ok, s, sample_project,
};
use fouille::model::CodingId;
use fouille::store::{Project, StoreError, codes, documents};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a shell script in a mount namespace of its own (so that it may mount a small tmpfs
/// without touching the machine's mounts): as root with `unshare -m`, otherwise in a user
/// namespace with `unshare -rm`. Returns the script's stdout.
fn in_mount_namespace(script: &str) -> String {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let flags = if root { "-m" } else { "-rm" };
    let out = Command::new("unshare")
        .args([flags, "sh", "-c", script])
        .output()
        .expect("unshare (util-linux) runs the disk-full test in a mount namespace");
    assert!(
        out.status.success(),
        "the disk-full script failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of `key=` in a script's output.
fn field<'a>(output: &'a str, key: &str) -> &'a str {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in:\n{output}"))
}

#[test]
fn a_full_disk_is_refused_or_reported_and_the_file_alone_stays_whole() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&disk).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Premier entretien, à l’accueil.\n".repeat(50),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Second entretien : le cœur du métier.\n".repeat(50),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("gros.txt"),
        "Un très long entretien. ".repeat(200_000),
    )
    .unwrap();
    let script = format!(
        r#"
        F={FOUILLE}; D={disk}; O={out}; T={tmp}
        mount -t tmpfs -o size=24m tmpfs "$D"
        $F new "$D/p.fouille" --coder Claire >/dev/null
        $F import "$D/p.fouille" "$T/a.txt" "$T/b.txt" >/dev/null
        $F code add "$D/p.fouille" "Thème A" >/dev/null
        dd if=/dev/zero of="$D/remplissage" bs=64k count=280 2>/dev/null
        $F import "$D/p.fouille" "$T/gros.txt" >/dev/null 2>"$O/import.err"; echo "import=$?"
        dd if=/dev/zero of="$D/remplissage2" bs=4k 2>/dev/null || true
        $F code add "$D/p.fouille" "Thème B" >/dev/null 2>"$O/code.err"; echo "code=$?"
        cp "$D/p.fouille" "$O/copie.fouille"
        "#,
        disk = disk.display(),
        out = out.display(),
        tmp = dir.path().display()
    );
    let output = in_mount_namespace(&script);
    // A large import onto a nearly full disk is refused before it writes anything.
    assert_ne!(field(&output, "import"), "0", "{output}");
    let import_err = std::fs::read_to_string(out.join("import.err")).unwrap();
    assert!(
        import_err.contains("not enough free disk space"),
        "{import_err}"
    );
    assert!(import_err.contains("nothing was changed"), "{import_err}");
    // A small action on a full disk fails, and says the disk is full: never "done".
    assert_ne!(field(&output, "code"), "0", "{output}");
    let code_err = std::fs::read_to_string(out.join("code.err")).unwrap();
    assert!(
        code_err.contains("full") || code_err.contains("free"),
        "{code_err}"
    );
    // The project file copied alone (as users copy it) is complete: every action that
    // succeeded is in it, nothing else, and it passes every check.
    let copy = Project::open(&out.join("copie.fouille")).unwrap();
    assert_eq!(documents::list(copy.conn()).unwrap().len(), 2);
    let names: Vec<String> = codes::list(copy.conn())
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(names.contains(&"Thème A".to_string()), "{names:?}");
    assert!(!names.contains(&"Thème B".to_string()), "{names:?}");
    assert_eq!(
        fouille::store::check::check(copy.conn()).unwrap(),
        Vec::<String>::new()
    );
}

/// A survey table of `rows` respondents with three open answers each.
fn survey_csv(path: &Path, rows: usize) {
    let mut csv = String::from("id,age,q1,q2,q3\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "R{i},{},\"réponse libre {i}, assez longue pour peser\",\"deuxième {i}\",\"troisième {i}\"\n",
            20 + i % 50
        ));
    }
    std::fs::write(path, csv).unwrap();
}

#[test]
fn a_merge_waits_for_an_import_under_way_and_reads_its_result() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.fouille");
    let b = dir.path().join("b.fouille");
    let merged = dir.path().join("fusion.fouille");
    fouille_ok(&["new", s(&a)]);
    fouille_ok(&["new", s(&b)]);
    let csv = dir.path().join("enquete.csv");
    survey_csv(&csv, 8_000);
    let mut import = Command::new(FOUILLE)
        .args([
            "import-survey",
            s(&a),
            s(&csv),
            "--id-column",
            "id",
            "--answer-columns",
            "q1,q2,q3",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The import is under way once its lock file says so.
    let started = std::time::Instant::now();
    while fouille::store::lock::live_holder(&a).is_none_or(|h| h.busy.is_none()) {
        assert!(started.elapsed().as_secs() < 30, "the import never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let merge = fouille(&["merge", s(&merged), s(&a), s(&b), "--json"]);
    let imported = import.wait().unwrap();
    assert!(imported.success());
    let stderr = String::from_utf8_lossy(&merge.stderr);
    assert!(merge.status.success(), "{stderr}");
    assert!(
        stderr.contains("waiting for"),
        "the merge did not wait: {stderr}"
    );
    let count = |p: &Path| {
        documents::list(Project::open(p).unwrap().conn())
            .unwrap()
            .len()
    };
    assert_eq!(count(&a), 24_000);
    assert_eq!(
        count(&merged),
        24_000,
        "the merge read A from before its import"
    );
}

#[test]
fn an_unclosed_quote_in_a_survey_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    let mut csv = String::from("id,age,texte\n");
    for i in 1..=100 {
        if i == 10 {
            csv.push_str("S010,40,\"Il a dit : cest fini\n");
        } else {
            csv.push_str(&format!("S{i:03},40,réponse {i}\n"));
        }
    }
    let file = dir.path().join("enquete.csv");
    std::fs::write(&file, csv).unwrap();
    let args = [
        "import-survey",
        s(&p),
        s(&file),
        "--id-column",
        "id",
        "--answer-columns",
        "texte",
    ];
    let err = fouille_err(&args);
    assert!(
        err.contains("line 11: a quote opens a cell here and is never closed"),
        "{err}"
    );
    assert_eq!(
        fouille_json(&["respondents", s(&p), "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Leniently, the other 99 rows come in and the faulty one is listed.
    let mut lenient = args.to_vec();
    lenient.extend(["--lenient", "--json"]);
    let outcome = fouille_json(&lenient);
    assert_eq!(outcome["respondents"], 99, "{outcome}");
    assert_eq!(outcome["skipped_count"], 1, "{outcome}");
    assert_eq!(outcome["skipped"][0]["line"], 11, "{outcome}");
    let ids: Vec<String> = fouille_json(&["respondents", s(&p), "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"S011".to_string()) && !ids.contains(&"S010".to_string()));
}

/// Starts a crash child on `project` and kills it with SIGKILL once it has logged
/// `codings` committed codings; returns the logged lines.
fn kill_child_after(project: &Path, log: &Path, codings: usize) -> Vec<String> {
    let mut child = Command::new(FOUILLE)
        .args(["crash-child", s(project), "--log", s(log), "--seed", "5"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.lines().filter(|l| l.starts_with("add ")).count() >= codings {
            break;
        }
        assert!(started.elapsed().as_secs() < 60, "the child coded nothing");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// A project with the Réflexes publics codebook and one interview, for crash children.
fn crash_project(dir: &Path) -> PathBuf {
    let path = dir.join("crash.fouille");
    fouille_ok(&["new", s(&path), "--template", "reflexes-publics"]);
    let text = dir.join("entretien.txt");
    std::fs::write(
        &text,
        "Le cœur du métier, c’est l’accueil des usagers. ".repeat(40),
    )
    .unwrap();
    fouille_ok(&["import", s(&path), s(&text)]);
    path
}

fn journal(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

#[test]
fn a_journal_deleted_after_a_crash_loses_nothing_written_and_says_what_went_missing() {
    let dir = tempfile::tempdir().unwrap();
    // Each action is written into the project file itself: after a SIGKILL, deleting the
    // journal loses nothing.
    let path = crash_project(dir.path());
    let log = dir.path().join("log");
    let lines = kill_child_after(&path, &log, 20);
    let _ = std::fs::remove_file(journal(&path));
    let project = Project::open(&path).unwrap();
    // At most the action the kill interrupted while it was being written into the file
    // (committed, not yet logged by the child) is missing, and then the opener is told.
    assert!(
        project.opened.lost_actions.is_none_or(|n| n == 1),
        "{:?}",
        project.opened
    );
    for line in &lines {
        if let Some(guid) = line.strip_prefix("add ") {
            assert!(
                fouille::store::codings::deleted_state(project.conn(), &CodingId::new(guid))
                    .unwrap()
                    .is_some(),
                "coding {guid} lost"
            );
        }
    }
    drop(project);

    // A reader in another connection holds the last actions in the journal (they cannot be
    // written into the file under it); the child is killed; the journal is deleted: the
    // next opener is told how many actions went missing.
    // Read-only: a writable connection would copy the journal into the file when it closes.
    let reader =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM codings;")
        .unwrap();
    std::fs::remove_file(&log).unwrap();
    let held_back = kill_child_after(&path, &log, 5);
    drop(reader);
    std::fs::remove_file(journal(&path)).unwrap();
    let project = Project::open(&path).unwrap();
    let missing = held_back
        .iter()
        .filter_map(|l| l.strip_prefix("add "))
        .filter(|g| {
            fouille::store::codings::deleted_state(project.conn(), &CodingId::new(*g))
                .unwrap()
                .is_none()
        })
        .count();
    assert!(
        missing >= 5,
        "the codings held in the deleted journal are gone: {missing}"
    );
    let lost = project
        .opened
        .lost_actions
        .expect("the lost actions are reported");
    assert!(lost >= 1, "{lost}");
    let warnings = project.opened.warnings(&path).join("\n");
    assert!(
        warnings.contains("journal file") && warnings.contains("deleted or replaced"),
        "{warnings}"
    );
}

#[test]
fn a_journal_from_elsewhere_is_set_aside_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let path = crash_project(dir.path());
    let other = dir.path().join("autre.fouille");
    fouille_ok(&["new", s(&other), "--template", "reflexes-publics"]);
    // A journal with committed frames, left by the other project's process.
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))
        .unwrap();
    // (A first write after the log was emptied may go straight into the file.)
    for name in ["autre", "autre encore"] {
        conn.execute_batch(&format!(
            "BEGIN; UPDATE project SET name = '{name}'; COMMIT;"
        ))
        .unwrap();
    }
    std::fs::copy(journal(&other), journal(&path)).unwrap();
    drop(conn);
    let project = Project::open(&path).unwrap();
    let kept = project
        .opened
        .journal_set_aside
        .clone()
        .expect("the foreign journal is set aside");
    assert!(kept.exists());
    assert_eq!(project.name().unwrap(), "crash");
    assert!(
        fouille::store::check::check(project.conn())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn flipped_bytes_are_detected_at_open_and_check_names_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_project(dir.path());
    fouille_ok(&["backup", s(&p)]);
    let mut bytes = std::fs::read(&p).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 100] {
        *b ^= 0x5a;
    }
    std::fs::write(&p, bytes).unwrap();
    match Project::open(&p) {
        Err(StoreError::Damaged { last_backup, .. }) => assert!(last_backup.is_some()),
        other => panic!("a damaged file opened: {:?}", other.map(|_| ())),
    }
    let err = fouille_err(&["excerpts", s(&p)]);
    assert!(err.contains("this project file is damaged"), "{err}");
    assert!(err.contains("fouille restore"), "{err}");
    let report = fouille_err(&["check", s(&p)]);
    assert!(report.contains("fail their checksum"), "{report}");
    assert!(
        report.contains("document « ") && report.contains("excerpts"),
        "check names the damaged document and its excerpts: {report}"
    );
}

#[test]
fn a_file_cut_short_is_damage_with_the_way_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_project(dir.path());
    fouille_ok(&["backup", s(&p)]);
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 3]).unwrap();
    let err = fouille_err(&["documents", s(&p)]);
    assert!(
        err.contains("damaged") && err.contains("cut short"),
        "{err}"
    );
    assert!(err.contains("the last backup is from"), "{err}");
    let backup = fouille_json(&["backups", s(&p), "--json"])[0]["path"]
        .as_str()
        .unwrap()
        .to_string();
    fouille_ok(&["restore", s(&p), &backup]);
    assert_eq!(
        fouille_json(&["documents", s(&p), "--json"])
            .as_array()
            .unwrap()
            .len(),
        102
    );
}

/// Runs `fouille` as an unprivileged user when this process is root (root writes even
/// read-only files, so the test would prove nothing).
fn fouille_as_user(args: &[&str]) -> std::process::Output {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", FOUILLE]);
        c
    } else {
        Command::new(FOUILLE)
    };
    command.args(args).output().expect("run fouille as a user")
}

#[cfg(unix)]
#[test]
fn a_read_only_project_reads_and_refuses_edits_plainly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("projet");
    std::fs::create_dir(&folder).unwrap();
    let p = sample_project(&folder);
    let mode = |path: &Path, m: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(m)).unwrap()
    };
    mode(dir.path(), 0o755);
    mode(&folder, 0o777);
    mode(&p, 0o444);
    let listed = fouille_as_user(&["documents", s(&p), "--json"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 102);
    let edit = fouille_as_user(&["code", "add", s(&p), "Nouveau"]);
    let said = String::from_utf8_lossy(&edit.stderr);
    assert!(!edit.status.success());
    assert!(
        said.contains("is read-only") && said.matches("error").count() == 1,
        "{said}"
    );
    let table = fouille_as_user(&["table", s(&p), "frequencies"]);
    assert!(
        table.status.success(),
        "{}",
        String::from_utf8_lossy(&table.stderr)
    );
    // Nothing was left beside it, and once writable again it opens as before.
    for suffix in ["-wal", "-shm"] {
        assert!(
            !PathBuf::from(format!("{}{suffix}", p.display())).exists(),
            "{suffix}"
        );
    }
    mode(&p, 0o644);
    fouille_ok(&["code", "add", s(&p), "Nouveau"]);
    // A read-only folder still reads.
    mode(&p, 0o666);
    mode(&folder, 0o555);
    let listed = fouille_as_user(&["documents", s(&p)]);
    mode(&folder, 0o755);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
}

#[test]
fn names_with_control_characters_are_stored_visible() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    let hostile = dir.path().join("entretien\u{1b}[2J\nfaux.txt");
    std::fs::write(&hostile, "Un texte.").unwrap();
    fouille_ok(&["import", s(&p), s(&hostile)]);
    let listed = fouille_ok(&["documents", s(&p)]);
    assert!(!listed.contains('\u{1b}'), "{listed:?}");
    assert!(listed.contains("entretien␛[2J␊faux"), "{listed}");
}

#[test]
fn a_docx_without_a_body_or_with_a_link_inside_is_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    let write_zip = |name: &str, build: &dyn Fn(&mut zip::ZipWriter<std::fs::File>)| -> PathBuf {
        let path = dir.path().join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        build(&mut zip);
        zip.finish().unwrap();
        path
    };
    let options = zip::write::SimpleFileOptions::default();
    let not_word = write_zip("pas-word.docx", &|z| {
        z.start_file("word/document.xml", options).unwrap();
        z.write_all(b"<?xml version=\"1.0\"?><racine><texte>bonjour</texte></racine>")
            .unwrap();
    });
    let err = fouille_err(&["import", s(&p), s(&not_word)]);
    assert!(err.contains("no document body"), "{err}");
    let link = write_zip("lien.docx", &|z| {
        z.add_symlink("word/document.xml", "/etc/passwd", options)
            .unwrap();
    });
    let err = fouille_err(&["import", s(&p), s(&link)]);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        fouille_json(&["documents", s(&p), "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_qdpx_with_one_guid_for_a_code_and_a_source_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let guid = "5b1c0000-0000-4000-8000-00000000abcd";
    let xml = format!(
        r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Tool">
  <CodeBook><Codes><Code guid="{guid}" name="Thème" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{guid}" name="Entretien" plainTextPath="internal://e.txt"/></Sources>
</Project>"#
    );
    let qdpx = dir.path().join("p.qdpx");
    std::fs::write(
        &qdpx,
        zip_of(&[("project.qde", xml.as_bytes()), ("sources/e.txt", b"texte")]),
    )
    .unwrap();
    let err = fouille_err(&["new", s(&dir.path().join("n.fouille")), "--from", s(&qdpx)]);
    assert!(
        err.contains(&format!(
            "GUID {guid} names both a code and a source « Entretien »"
        )),
        "{err}"
    );
}

#[test]
fn a_project_left_open_on_another_machine_is_taken_over_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.fouille");
    fouille_ok(&["new", s(&p)]);
    let lock = dir.path().join("p.fouille.lock");
    std::fs::write(
        &lock,
        r#"{"pid":4242,"host":"portable-de-yann","user":"yann","since":"2026-12-01T09:00:00Z"}"#,
    )
    .unwrap();
    let err = fouille_err(&["documents", s(&p)]);
    assert!(
        err.contains("portable-de-yann") && err.contains("--take-over"),
        "{err}"
    );
    fouille_ok(&["documents", s(&p), "--take-over"]);
}

#[test]
fn a_project_made_from_another_tool_exports_only_the_coders_who_worked() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_project(dir.path());
    let first = dir.path().join("premier.qdpx");
    fouille_ok(&["export", s(&sample), "--format", "qdpx", "-o", s(&first)]);
    let copy = dir.path().join("copie.fouille");
    fouille_ok(&[
        "new",
        s(&copy),
        "--from",
        s(&first),
        "--coder",
        "Personne Encore",
    ]);
    let second = dir.path().join("second.qdpx");
    fouille_ok(&["export", s(&copy), "--format", "qdpx", "-o", s(&second)]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&second).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut xml).unwrap();
    assert!(
        !xml.contains("Personne Encore"),
        "a coder who coded nothing is exported"
    );
    assert!(xml.contains("Claire Morel") && xml.contains("Yann Le Gall"));
}
