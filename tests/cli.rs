//! The commands that create a project, import, code, list, search and check it, as a user
//! types them.

use crate::support::project::{data, fouille, fouille_err, fouille_json, fouille_ok, s};

#[test]
fn a_full_session_from_new_to_excerpts() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("enquete.fouille");
    let p = s(&p);
    let out = fouille_ok(&[
        "new",
        p,
        "--template",
        "reflexes-publics",
        "--name",
        "Enquête",
        "--coder",
        "Claire",
    ]);
    assert!(out.contains("Réflexes publics"), "{out}");
    assert!(
        !fouille(&["new", p]).status.success(),
        "creating over an existing project fails"
    );

    // Import every document format at once.
    let files = [
        "crlf_bom_emoji.txt",
        "utf16le_bom.txt",
        "interview.docx",
        "interview.odt",
        "sample.srt",
        "sample.vtt",
    ];
    let paths: Vec<String> = files
        .iter()
        .map(|f| data(&format!("import/{f}")).display().to_string())
        .collect();
    let mut args = vec!["import", p];
    args.extend(paths.iter().map(String::as_str));
    args.extend([
        "--respondent",
        "Nadia Benali",
        "--attr",
        "role=Agent d'accueil",
        "--json",
    ]);
    let outcomes = fouille_json(&args);
    let outcomes = outcomes.as_array().unwrap();
    let imported = outcomes
        .iter()
        .filter(|o| o["status"] == "imported")
        .count();
    let duplicates = outcomes
        .iter()
        .filter(|o| o["status"] == "duplicate")
        .count();
    // interview.docx and interview.odt hold the same text: the second is a duplicate.
    assert_eq!((imported, duplicates), (5, 1), "{outcomes:?}");

    // Importing the same file again is detected, not duplicated.
    let again = fouille_ok(&["import", p, &paths[0]]);
    assert!(again.contains("skipped"), "{again}");

    let docs = fouille_json(&["documents", p, "--json"]);
    assert_eq!(docs.as_array().unwrap().len(), 5);
    assert!(
        docs.as_array()
            .unwrap()
            .iter()
            .all(|d| d["respondent"] == "Nadia Benali")
    );
    let srt = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "sample")
        .unwrap();
    assert_eq!(srt["kind"], "transcript");

    let resp = fouille_json(&["respondents", p, "--json"]);
    assert_eq!(resp[0]["attributes"]["role"], "Agent d'accueil");

    // Code an excerpt with accents and emoji, by char offsets.
    let text = {
        let project = fouille::store::Project::open(std::path::Path::new(p)).unwrap();
        let d = fouille::store::documents::find(project.conn(), "crlf_bom_emoji").unwrap();
        fouille::store::documents::text(project.conn(), &d.guid).unwrap()
    };
    let wanted = text
        .lines()
        .find(|l| l.contains('😅'))
        .expect("a line with an emoji");
    let line_start = text
        .find(wanted)
        .map(|b| text[..b].chars().count())
        .unwrap();
    let start = line_start;
    let end = line_start + wanted.chars().count();
    let coding = fouille_json(&[
        "code",
        "apply",
        p,
        "--document",
        "crlf_bom_emoji",
        "--start",
        &start.to_string(),
        "--end",
        &end.to_string(),
        "--code",
        "Controverses/La participation citoyenne/Victime collatérale",
        "--coder",
        "Yann",
        "--memo",
        "à creuser",
        "--json",
    ]);
    assert!(coding["guid"].as_str().unwrap().len() == 36);
    let ex = fouille_json(&[
        "excerpts",
        p,
        "--code",
        "La participation citoyenne",
        "--json",
    ]);
    assert_eq!(ex.as_array().unwrap().len(), 1);
    assert_eq!(ex[0]["text"], wanted);
    assert_eq!(ex[0]["coder"], "Yann");
    assert_eq!(ex[0]["memo"], "à creuser");
    assert_eq!(ex[0]["respondent"], "Nadia Benali");
    // Filters.
    assert_eq!(
        fouille_json(&["excerpts", p, "--coder", "Claire", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        fouille_json(&["excerpts", p, "--attr", "role=Agent d'accueil", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        fouille_json(&["excerpts", p, "--attr", "role=DRH", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        fouille_json(&["excerpts", p, "--respondent", "Nadia Benali", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Codebook edits.
    let theme = fouille_ok(&[
        "code",
        "add",
        p,
        "Crise sanitaire",
        "--color",
        "#abc",
        "--description",
        "Covid",
    ]);
    assert_eq!(theme.trim().len(), 36);
    fouille_ok(&["code", "add", p, "Numérique", "--kind", "theme"]);
    fouille_ok(&[
        "code",
        "add",
        p,
        "Accueil des nouveaux",
        "--parent",
        "Orientations/Prendre soin des rituels",
        "--kind",
        "piste",
    ]);
    let err = fouille_err(&[
        "code",
        "add",
        p,
        "Troisième",
        "--parent",
        "Le pilotage",
        "--kind",
        "pole",
    ]);
    assert!(err.contains("two poles"), "{err}");
    fouille_ok(&["code", "rename", p, "Numérique", "Numérique et données"]);
    fouille_ok(&[
        "code",
        "move",
        p,
        "Numérique et données",
        "--parent",
        "Crise sanitaire",
    ]);
    fouille_ok(&[
        "code",
        "merge",
        p,
        "Crise sanitaire/Numérique et données",
        "Crise sanitaire",
    ]);
    let book = fouille_json(&["codebook", p, "--json"]);
    let paths: Vec<&str> = book
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"Orientations/Prendre soin des rituels/Accueil des nouveaux"));
    assert!(paths.contains(&"Crise sanitaire"));
    assert!(!paths.iter().any(|p| p.contains("Numérique")));
    let crise = book
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "Crise sanitaire")
        .unwrap();
    assert_eq!(crise["color"], "#aabbcc");

    // Delete a code with its codings, then undo.
    fouille_ok(&[
        "code",
        "delete",
        p,
        "Controverses/La participation citoyenne/Victime collatérale",
    ]);
    assert_eq!(
        fouille_json(&["excerpts", p, "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert!(fouille_ok(&["undo", p]).contains("Delete a code"));
    assert_eq!(
        fouille_json(&["excerpts", p, "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    fouille_ok(&["redo", p]);
    fouille_ok(&["undo", p]);
    let guid = coding["guid"].as_str().unwrap();
    fouille_ok(&["code", "remove", p, guid]);
    assert_eq!(
        fouille_json(&["excerpts", p, "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Search, accent-insensitive, with context.
    let hits = fouille_json(&["search", p, "COEUR", "--json"]);
    assert!(
        hits["passages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["matched"] == "cœur"),
        "{hits}"
    );
    let text_hits = fouille_ok(&["search", p, "coeur"]);
    assert!(text_hits.contains("[cœur]"), "{text_hits}");

    assert!(fouille_ok(&["check", p]).contains("ok"));
    fouille_ok(&["code", "template", p]);
}

#[test]
fn survey_import_from_a_cp1252_csv() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.fouille");
    let p = s(&p);
    fouille_ok(&["new", p]);
    let csv = data("import/cp1252_survey.csv");
    let header = fouille::import::survey::read_survey(&std::fs::read(&csv).unwrap()).unwrap();
    let id = header.headers[0].clone();
    let answers = header.headers.last().unwrap().clone();
    let attrs = header.headers[1].clone();
    let out = fouille_json(&[
        "import-survey",
        p,
        s(&csv),
        "--id-column",
        &id,
        "--answer-columns",
        &answers,
        "--attribute-columns",
        &attrs,
        "--json",
    ]);
    assert_eq!(
        out["respondents"].as_u64().unwrap() as usize,
        header.rows.len()
    );
    assert!(
        out["detected"].as_str().unwrap().contains("Windows-1252"),
        "{out}"
    );
    // One answer column: one document per respondent, each a survey answer.
    let docs = fouille_json(&["documents", p, "--json"]);
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), header.rows.len());
    assert!(
        docs.iter().all(|d| d["kind"] == "survey_answer"),
        "{docs:?}"
    );
    // The same file twice is refused with a message naming the file.
    let err = fouille_err(&[
        "import-survey",
        p,
        s(&csv),
        "--id-column",
        &id,
        "--answer-columns",
        &answers,
    ]);
    assert!(
        err.contains("cp1252_survey.csv") && err.contains("already imported"),
        "{err}"
    );
    let err = fouille_err(&[
        "import-survey",
        p,
        s(&csv),
        "--id-column",
        "nope",
        "--answer-columns",
        &answers,
    ]);
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn a_failed_import_leaves_the_project_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.fouille");
    let p = s(&p);
    fouille_ok(&["new", p]);
    let bad = dir.path().join("abîmé.docx");
    std::fs::write(&bad, b"PK\x03\x04 pas vraiment un docx").unwrap();
    let good = data("import/crlf_bom_emoji.txt");
    let before = std::fs::read(p).unwrap();
    let err = fouille_err(&["import", p, s(&good), s(&bad)]);
    assert!(
        err.contains("abîmé.docx"),
        "the error names the file: {err}"
    );
    assert_eq!(
        fouille_json(&["documents", p, "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let unsupported = dir.path().join("photo.png");
    std::fs::write(&unsupported, [0x89, b'P', b'N', b'G']).unwrap();
    let err = fouille_err(&["import", p, s(&unsupported)]);
    assert!(
        err.contains("photo.png") && err.contains("unsupported"),
        "{err}"
    );
    let missing = fouille_err(&["import", p, "/nulle/part.txt"]);
    assert!(missing.contains("/nulle/part.txt"), "{missing}");
    assert_eq!(
        fouille_json(&["documents", p, "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert!(
        std::fs::read(p).unwrap() == before,
        "the refused imports changed the project file"
    );
    assert!(fouille_ok(&["check", p]).contains("ok"));
}

#[test]
fn sample_command_builds_a_checked_project() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("exemple.fouille");
    let stats = fouille_json(&["sample", s(&p), "--json"]);
    assert!(stats["codings"].as_u64().unwrap() >= 150);
    assert!(stats["interviews"].as_u64().unwrap() >= 12);
    assert!(fouille_ok(&["check", s(&p)]).contains("ok"));
    let err = fouille_err(&["sample", s(&p)]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn errors_go_to_stderr_with_a_nonzero_exit() {
    let out = fouille(&["documents", "/nulle/part.fouille"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error:"));
}
