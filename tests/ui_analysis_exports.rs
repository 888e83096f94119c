//! The Analysis screen in the user's language, and its exports for other tools: every
//! table visited in French shows no English word; an export goes to the project's folder
//! (then the one last used), and offers to open the file or show its folder.

use std::path::PathBuf;

use egui_kittest::kittest::{By, NodeT, Queryable};
use fouille::analysis::{Lang, TableKind};
use fouille::i18n::I18n;
use fouille::ui::files::open_command;

use crate::support::ui::{harness, sample};

/// Words of English that a French screen must not show (as whole words, any case). French
/// words spelled the same (code, document, orientation, total, date…) are not listed.
const ENGLISH: &[&str] = &[
    "controversy",
    "controversies",
    "pole",
    "poles",
    "folder",
    "theme",
    "themes",
    "count",
    "counts",
    "respondent",
    "respondents",
    "excerpt",
    "excerpts",
    "coder",
    "coders",
    "kind",
    "frequency",
    "frequencies",
    "matrix",
    "none",
    "presence",
    "percent",
    "row",
    "column",
    "with",
    "the",
    "and",
    "of",
    "per",
    "quote",
    "quotes",
    "word",
    "words",
    "characters",
    "evidence",
    "supporting",
    "value",
    "filter",
    "all",
    "by",
    "memo",
    "pseudonym",
    "start",
    "end",
    "export",
    "report",
    "chart",
    "show",
    "label",
];

/// Every string the screen gives to assistive technology (labels and values).
fn visible_strings(h: &egui_kittest::Harness<'_, fouille::ui::FouilleApp>) -> Vec<String> {
    h.query_all(By::new())
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

fn english_words(strings: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for s in strings {
        for word in s.split(|c: char| !c.is_alphanumeric()) {
            if ENGLISH.contains(&word.to_lowercase().as_str()) {
                found.push(format!("{word} (in « {s} »)"));
            }
        }
    }
    found
}

// Switched to English then back to French, every table of the screen is computed again in
// the language shown, and no English word is left on the French screen.
#[test]
fn french_analysis_screen_shows_no_english() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.get_by_label("EN").click();
    h.run();
    h.get_by_label("Analysis").click();
    h.run();
    let tables = &h.state().analysis().tables;
    assert_eq!(tables[0].columns[1], "Kind");
    assert!(
        tables[0]
            .rows
            .iter()
            .any(|r| r[1].display() == "controversy")
    );

    h.get_by_label("FR").click();
    h.run();
    assert_eq!(h.state().analysis().tables[0].columns[1], "Type");
    let kinds: Vec<&str> = h.state().analysis().tables[0]
        .rows
        .iter()
        .map(|r| r[1].display())
        .map(|k| Box::leak(k.into_boxed_str()) as &str)
        .collect();
    assert!(
        kinds.contains(&"controverse") && kinds.contains(&"pôle"),
        "{kinds:?}"
    );

    let fr = I18n::new(Lang::Fr);
    let mut visited = 0;
    for kind in TableKind::ALL {
        let key = format!("analysis.kind.{}", kind.as_str().replace('-', "_"));
        h.get_all_by_label(fr.t(&key)).next().unwrap().click();
        h.run();
        if kind == TableKind::Crosstab {
            // Without an attribute, the cross-tab asks for one, in French.
            let asked = fr.t("analysis.crosstab_needs_by");
            assert_eq!(h.state().analysis().error.as_deref(), Some(asked));
            assert!(h.query_by_label(asked).is_some());
            h.get_by_label("Par attribut :").click();
            h.run();
            h.get_by_label("territory").click();
            h.run();
        }
        let analysis = h.state().analysis();
        assert_eq!(analysis.kind, kind);
        assert!(analysis.error.is_none(), "{kind:?}: {:?}", analysis.error);
        assert!(
            analysis.tables.iter().any(|t| !t.rows.is_empty()),
            "{kind:?}"
        );
        let strings = visible_strings(&h);
        assert!(strings.len() > 50, "{kind:?}: {} strings", strings.len());
        let english = english_words(&strings);
        assert!(english.is_empty(), "{kind:?}: {english:#?}");
        visited += 1;
    }
    assert_eq!(visited, TableKind::ALL.len());
}

// An export from the screen lands in the project's folder and offers « Ouvrir » and
// « Afficher dans le dossier » (recorded, not started); the corpus is pseudonymised when
// asked; the folder last used is remembered for the project, also once it is opened again.
#[test]
fn exports_go_to_the_project_folder_and_offer_to_open() {
    let sample = sample();
    let dir = sample.path.parent().unwrap().to_path_buf();
    let mut h = harness(&sample.path);
    h.get_by_label("Analyse").click();
    h.run();
    h.get_by_label("Tableau des extraits").click();
    h.run();
    assert_eq!(h.state().analysis().kind, TableKind::Quotes);
    let rows = h.state().analysis().tables[0].rows.len();
    assert!(rows > 100, "{rows} excerpts");
    assert!(h.query_by_label("Ouvrir").is_none());

    let path = PathBuf::from(&h.state().analysis().export_path);
    assert_eq!(path.parent(), Some(dir.as_path()));
    h.get_by_label("Exporter les tableaux").click();
    h.run();
    let (_, sheets) = crate::table_exports::read_xlsx(&std::fs::read(&path).unwrap());
    assert!(sheets[0].cells.contains_key(&format!("A{}", rows + 2)));

    h.get_by_label("Ouvrir").click();
    h.run();
    h.get_by_label("Afficher dans le dossier").click();
    h.run();
    let os = std::env::consts::OS;
    assert_eq!(
        h.state().launched(),
        vec![
            open_command(&path, false, os),
            open_command(&path, true, os)
        ]
    );

    h.get_by_label("Pseudonymiser").click();
    h.run();
    h.get_by_label("Exporter le corpus").click();
    h.run();
    let corpus_path = PathBuf::from(&h.state().analysis().corpus_path);
    assert_eq!(corpus_path.parent(), Some(dir.as_path()));
    let corpus = std::fs::read_to_string(&corpus_path).unwrap();
    assert!(corpus.starts_with("**** *resp_"), "{}", &corpus[..80]);
    assert!(!corpus.contains("Nadia Benali") && corpus.contains("*resp_répondante_a"));
    let name = corpus_path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(
        h.query_by_label(&format!("Fichier écrit : {name}"))
            .is_some()
    );

    let elsewhere = dir.join("exports");
    std::fs::create_dir(&elsewhere).unwrap();
    let moved = elsewhere.join("extraits.xlsx");
    h.state_mut().analysis_mut().export_path = moved.display().to_string();
    h.get_by_label("Exporter les tableaux").click();
    h.run();
    assert!(moved.exists());
    assert_eq!(h.state().state().export_folders[&sample.path], elsewhere);
    // The settings as saved between sessions, read back by the next session.
    let saved = serde_json::to_string(h.state().state()).unwrap();
    drop(h);
    let mut h = harness(&sample.path);
    *h.state_mut().state_mut() = serde_json::from_str(&saved).unwrap();
    h.get_by_label("Analyse").click();
    h.run();
    let analysis = h.state().analysis();
    for typed in [
        &analysis.export_path,
        &analysis.report_path,
        &analysis.corpus_path,
    ] {
        assert_eq!(
            PathBuf::from(typed).parent(),
            Some(elsewhere.as_path()),
            "{typed}"
        );
    }
}
