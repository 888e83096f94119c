//! The refusals of the core reach a French interface in French: each kind of error a user
//! can meet, triggered through the application layer, the store or the command line, is
//! worded from the catalogue with the names it concerns, and no English sentence is left in
//! it.

use fouille::app::AppError;
use fouille::app::edit::{self, Edit};
use fouille::i18n::{I18n, Language, errors};
use fouille::model::{
    AttributeScope, AttributeType, BadValue, CodeId, CodeKind, DocumentId, DocumentKind,
};
use fouille::store::documents::NewDocument;
use fouille::store::{Project, Rule, StoreError, attributes, codes, documents, respondents};
use std::path::Path;

use crate::support::archive::zip_of;
use crate::support::project::{fouille_err, s};

/// Words an English sentence would hardly do without, and a French one never uses.
const ENGLISH: &[&str] = &[
    " the ",
    " is ",
    " not ",
    " needs ",
    " already ",
    " cannot ",
    "found",
    " must ",
    " was ",
    " has ",
    " choose",
    " outside",
    " empty",
    " names ",
    " several ",
];

/// Asserts that `message` is French: it contains every piece of `wanted` and none of the
/// English words.
fn assert_french(message: &str, wanted: &[&str]) {
    let padded = format!(" {} ", message.to_lowercase());
    for word in ENGLISH {
        assert!(!padded.contains(word), "English {word:?} in: {message}");
    }
    for piece in wanted {
        assert!(message.contains(piece), "{piece:?} missing from: {message}");
    }
}

/// The French wording of an edit's refusal.
fn refused(project: &mut Project, change: Edit) -> String {
    let error = edit::apply(project, change).expect_err("the edit should be refused");
    errors::app(&I18n::new(Language::Fr), &error)
}

/// The French wording of a store refusal.
fn store_fr(error: StoreError) -> String {
    errors::store(&I18n::new(Language::Fr), &error)
}

fn add_code(name: &str, kind: CodeKind, parent: Option<&CodeId>) -> Edit {
    Edit::AddCode {
        parent: parent.cloned(),
        name: name.into(),
        kind,
        color: None,
        description: String::new(),
    }
}

fn code_guid(project: &Project, name: &str) -> CodeId {
    codes::list(project.conn())
        .unwrap()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap()
        .guid
}

/// A project with one 74-character interview and a theme « Confiance » holding « Doute ».
fn project(path: &Path) -> (Project, DocumentId) {
    let mut project = Project::create(path, "Erreurs", Some("Claire")).unwrap();
    let doc = project
        .action("action.import", |tx| {
            documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: "Entretien Agnès".into(),
                    kind: DocumentKind::Interview,
                    text: "L'accueil ferme à midi, et c'est dur.".repeat(2),
                    origin: String::new(),
                    media_path: None,
                    respondent_guid: None,
                },
            )
        })
        .unwrap();
    edit::apply(&mut project, add_code("Confiance", CodeKind::Theme, None)).unwrap();
    let confiance = code_guid(&project, "Confiance");
    edit::apply(
        &mut project,
        add_code("Doute", CodeKind::Theme, Some(&confiance)),
    )
    .unwrap();
    (project, doc)
}

#[test]
fn codebook_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, _) = project(&dir.path().join("e.fouille"));
    let confiance = code_guid(&project, "Confiance");
    let doute = code_guid(&project, "Doute");

    let said = refused(&mut project, add_code("  ", CodeKind::Theme, None));
    assert_french(&said, &["Un code doit avoir un nom"]);

    let said = refused(&mut project, add_code("Confiance", CodeKind::Theme, None));
    assert_french(&said, &["« Confiance »", "existe déjà"]);

    let said = refused(&mut project, add_code("a/b", CodeKind::Theme, None));
    assert_french(&said, &["« a/b »", "ne peut pas contenir"]);

    let said = refused(
        &mut project,
        Edit::AddCode {
            parent: None,
            name: "Vert".into(),
            kind: CodeKind::Theme,
            color: Some("vert pomme".into()),
            description: String::new(),
        },
    );
    assert_french(&said, &["« vert pomme »", "n'est pas une couleur"]);

    let said = refused(
        &mut project,
        Edit::MoveCode {
            guid: confiance.clone(),
            parent: Some(doute.clone()),
            position: None,
        },
    );
    assert_french(&said, &["« Confiance »", "à l'intérieur de lui-même"]);

    let said = refused(
        &mut project,
        Edit::MergeCode {
            from: confiance.clone(),
            into: confiance.clone(),
        },
    );
    assert_french(&said, &["fusionner un code avec lui-même"]);

    let said = refused(
        &mut project,
        Edit::MergeCode {
            from: confiance.clone(),
            into: doute.clone(),
        },
    );
    assert_french(&said, &["sous-codes"]);

    let said = refused(&mut project, add_code("Pôle seul", CodeKind::Pole, None));
    assert_french(&said, &["« Pôle seul »", "sous une controverse"]);

    edit::apply(
        &mut project,
        Edit::AddControversy {
            parent: None,
            name: "Horaires".into(),
            pole_a: "Ouvrir tard".into(),
            pole_b: "Fermer tôt".into(),
        },
    )
    .unwrap();
    let pole = code_guid(&project, "Ouvrir tard");
    let said = refused(&mut project, add_code("Nuit", CodeKind::Theme, Some(&pole)));
    assert_french(&said, &["Un pôle ne peut pas contenir d'autres codes"]);
    let controversy = code_guid(&project, "Horaires");
    let said = refused(
        &mut project,
        add_code("Troisième", CodeKind::Pole, Some(&controversy)),
    );
    assert_french(&said, &["« Horaires »", "a déjà ses deux pôles"]);
}

#[test]
fn coding_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, doc) = project(&dir.path().join("e.fouille"));
    let doute = code_guid(&project, "Doute");
    let apply = |start, end| Edit::ApplyCode {
        document: doc.clone(),
        code: doute.clone(),
        start,
        end,
        memo: None,
    };

    let said = refused(&mut project, apply(5, 500));
    assert_french(
        &said,
        &["L'extrait 5..500", "dépasse de son document", "0..74"],
    );
    let said = refused(&mut project, apply(7, 7));
    assert_french(&said, &["L'extrait 7..7 est vide"]);

    edit::apply(&mut project, add_code("Classeur", CodeKind::Folder, None)).unwrap();
    let folder = code_guid(&project, "Classeur");
    let said = refused(
        &mut project,
        Edit::ApplyCode {
            document: doc.clone(),
            code: folder,
            start: 0,
            end: 5,
            memo: None,
        },
    );
    assert_french(&said, &["« Classeur » est un dossier"]);

    let said = refused(
        &mut project,
        Edit::ApplyCode {
            document: doc.clone(),
            code: CodeId::new("pas-un-code"),
            start: 0,
            end: 5,
            memo: None,
        },
    );
    assert_french(&said, &["Introuvable : code « pas-un-code »"]);

    edit::apply(&mut project, Edit::DeleteDocument(doc.clone())).unwrap();
    let said = refused(&mut project, apply(0, 5));
    assert_french(&said, &["Le document « Entretien Agnès » a été supprimé"]);
}

#[test]
fn team_and_lookup_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.fouille");
    let (mut project, doc) = project(&path);
    let doute = code_guid(&project, "Doute");
    let claire = fouille::store::coders::find(project.conn(), "Claire")
        .unwrap()
        .guid;

    let error =
        fouille::team::accept::accept_version(&mut project, &doc, &doute, 0, 10, &claire, &claire)
            .expect_err("one coder twice");
    assert_french(&store_fr(error), &["Choisissez deux codeurs différents"]);

    let error =
        fouille::store::coders::find(project.conn(), "Personne").expect_err("an unknown coder");
    assert_french(&store_fr(error), &["Introuvable : codeur « Personne »"]);

    // Two codes named « Doute », under two themes: the bare name is ambiguous.
    edit::apply(&mut project, add_code("Méfiance", CodeKind::Theme, None)).unwrap();
    let mefiance = code_guid(&project, "Méfiance");
    edit::apply(
        &mut project,
        add_code("Doute", CodeKind::Theme, Some(&mefiance)),
    )
    .unwrap();
    let error = codes::resolve(project.conn(), "Doute").expect_err("two codes named Doute");
    assert_french(
        &store_fr(error),
        &[
            "« Doute » désigne plusieurs codes",
            "Confiance/Doute",
            "Méfiance/Doute",
        ],
    );

    let error = Project::create(&path, "Encore", Some("Claire")).expect_err("file exists");
    assert_french(&store_fr(error), &[path.to_str().unwrap(), "existe déjà"]);
}

#[test]
fn attribute_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, _) = project(&dir.path().join("e.fouille"));
    let define = |name: &str, value_type| Edit::DefineAttribute {
        name: name.into(),
        value_type,
        scope: AttributeScope::Respondent,
    };
    let said = refused(&mut project, define(" ", AttributeType::Text));
    assert_french(&said, &["Un attribut doit avoir un nom"]);
    edit::apply(&mut project, define("Âge", AttributeType::Integer)).unwrap();
    let said = refused(&mut project, define("Âge", AttributeType::Date));
    assert_french(&said, &["« Âge »", "existe déjà", "« nombre entier »"]);

    let said = refused(&mut project, Edit::AddRespondent("".into()));
    assert_french(&said, &["Un enquêté doit avoir un nom"]);
    edit::apply(&mut project, Edit::AddRespondent("Léa".into())).unwrap();
    let lea = respondents::list(project.conn()).unwrap()[0]
        .guid
        .to_string();
    let age = attributes::list(project.conn(), None)
        .unwrap()
        .into_iter()
        .find(|a| a.name == "Âge")
        .unwrap()
        .guid;
    let said = refused(
        &mut project,
        Edit::SetAttributeValue {
            attribute: age,
            owner: lea,
            value: Some("vingt ans".into()),
        },
    );
    assert_french(
        &said,
        &["Âge : « vingt ans » ne convient pas au type « nombre entier »"],
    );
}

#[test]
fn survey_and_other_rules_read_in_french() {
    // A survey cell that does not fit its column's type: the import checks the types
    // before writing, so the rule is worded here from the error itself.
    let survey = StoreError::Rule(Rule::SurveyValue {
        file: "enquête.csv".into(),
        line: 12,
        attribute: "Date d'entretien".into(),
        problem: BadValue {
            raw: "hier".into(),
            expected: AttributeType::Date,
        },
    });
    assert_french(
        &store_fr(survey),
        &[
            "enquête.csv, ligne 12",
            "Date d'entretien",
            "« hier » n'est pas une date",
        ],
    );
    let import = AppError::Import(fouille::import::files::ImportError::Store(
        StoreError::Rule(Rule::TooFewCoders),
    ));
    assert_french(
        &errors::app(&I18n::new(Language::Fr), &import),
        &["deux codeurs au moins"],
    );
    // A table or a report that meets a store refusal words it the same way.
    let analysis = AppError::Analysis(fouille::analysis::AnalysisError::Store(StoreError::Rule(
        Rule::TextNotUtf8 {
            document: "Entretien".into(),
        },
    )));
    assert_french(
        &errors::app(&I18n::new(Language::Fr), &analysis),
        &["Document « Entretien »", "UTF-8 valide"],
    );
    for rule in [
        Rule::ControversyHoldsPolesOnly,
        Rule::PseudonymEmpty,
        Rule::PseudonymItself {
            original: "Agnès".into(),
        },
        Rule::AmbiguousDocument {
            name: "Entretien".into(),
        },
        Rule::MergeTextGone {
            hash: "ab12".into(),
        },
        Rule::TextNotUtf8 {
            document: "Entretien".into(),
        },
        Rule::PisteOutsideOrientation {
            name: "Piste".into(),
        },
        Rule::EmptyName(fouille::store::Named::Coder),
        Rule::EmptyName(fouille::store::Named::Document),
    ] {
        let said = store_fr(StoreError::Rule(rule.clone()));
        assert_french(&said, &[]);
        assert_ne!(said, rule.to_string(), "not translated: {said}");
    }
}

/// The French wording of an import's refusal, through the application layer.
fn import_refused(project: &mut Project, file: &Path) -> String {
    let request = fouille::app::import::ImportRequest {
        files: vec![file.to_path_buf()],
        ..Default::default()
    };
    let error = fouille::app::import::import_files(project, &request)
        .expect_err("the file should be refused");
    errors::app(&I18n::new(Language::Fr), &error)
}

#[test]
fn files_an_import_refuses_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, _) = project(&dir.path().join("e.fouille"));
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let cases: Vec<(std::path::PathBuf, &[&str])> = vec![
        (
            file("notes.xyz", b"du texte"),
            &["type de fichier non pris en charge", "« .xyz »"],
        ),
        (
            file("binaire.txt", b"ab\0\0\0\x01\x02cd\0"),
            &["ce fichier semble binaire"],
        ),
        (
            file("coupe.txt", b"\xFF\xFEa\0b"),
            &["UTF-16", "nombre impair d'octets"],
        ),
        (
            file("faux.docx", &zip_of(&[("autre.xml", b"<a/>")])),
            &["pas un document Word", "word/document.xml"],
        ),
        (
            file("faux.odt", &zip_of(&[("mimetype", b"x")])),
            &["pas un texte OpenDocument", "content.xml"],
        ),
        (
            file("page.html", b"<html><body><p>Bonjour</p></body></html>"),
            &["aucun segment noScribe"],
        ),
        (file("vide.srt", b"juste du texte\n"), &["aucun sous-titre"]),
        (
            file(
                "mal.srt",
                b"1\n00:00:01,000 --> 00:00:02,000\nBonjour\n\n2\n00:00:03 --> 4\nSuite\n",
            ),
            &["ligne 6", "ligne d'horodatage mal formée"],
        ),
        (dir.path().to_path_buf(), &["ce n'est pas un fichier"]),
    ];
    for (path, wanted) in cases {
        let said = import_refused(&mut project, &path);
        assert_french(&said, wanted);
        assert!(said.contains(path.to_str().unwrap()), "{said}");
    }
    // A REFI-QDA codebook whose root is another element.
    let qdc = file("grille.qdc", b"<?xml version=\"1.0\"?><Projet/>");
    let said = import_refused(&mut project, &qdc);
    assert_french(
        &said,
        &["l'élément racine est <Projet>", "grille de codes REFI-QDA"],
    );
    // Nothing was imported: the project still has its one document.
    assert_eq!(documents::list(project.conn()).unwrap().len(), 1);
}

#[test]
fn survey_files_refused_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, _) = project(&dir.path().join("e.fouille"));
    let columns = |answers: &[&str]| fouille::import::survey_import::SurveyColumns {
        id_column: "id".into(),
        answer_columns: answers.iter().map(|a| a.to_string()).collect(),
        attribute_columns: Vec::new(),
    };
    let refused = |project: &mut Project, name: &str, bytes: &[u8], answers: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let error = fouille::import::survey_import::import_survey(
            project,
            &path,
            &columns(answers),
            Default::default(),
            &mut |_| {},
        )
        .expect_err("the survey should be refused");
        errors::import(&I18n::new(Language::Fr), &error)
    };
    let said = refused(&mut project, "vide.csv", b"", &["q1"]);
    assert_french(&said, &["le fichier est vide"]);
    let said = refused(&mut project, "double.csv", b"id,q1,q1\n1,a,b\n", &["q1"]);
    assert_french(&said, &["nom de colonne en double « q1 »"]);
    let said = refused(&mut project, "manque.csv", b"id,q1\n1,a\n", &["q9"]);
    assert_french(
        &said,
        &["pas de colonne « q9 »", "colonnes : « id », « q1 »"],
    );
    let said = refused(&mut project, "aucune.csv", b"id,q1\n1,a\n", &[]);
    assert_french(&said, &["au moins une colonne de réponses"]);
    let said = refused(&mut project, "large.csv", b"id,q1\n1,a,b\n", &["q1"]);
    assert_french(
        &said,
        &["la colonne 3 n'a pas de nom", "la ligne 2 y a une valeur"],
    );
    let said = refused(&mut project, "court.csv", b"id,q1,q2\n1,a\n", &["q1"]);
    assert_french(&said, &["ligne 2 : 2 cellules", "l'en-tête a 3 colonnes"]);
    let said = refused(&mut project, "ids.csv", b"id,q1\n1,a\n1,b\n", &["q1"]);
    assert_french(
        &said,
        &["ligne 3", "l'identifiant « 1 » figure déjà ligne 2"],
    );
    let said = refused(&mut project, "guillemet.csv", b"id,q1\n1,\"a\n", &["q1"]);
    assert_french(&said, &["ligne 2", "un guillemet ouvre ici une cellule"]);
}

#[test]
fn merges_tables_and_foreign_files_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, _) = project(&dir.path().join("e.fouille"));
    let fr = I18n::new(Language::Fr);

    let options = fouille::team::merge::MergeOptions::default();
    let error = fouille::team::merge::merge_into(&mut project, &[], &options)
        .expect_err("nothing to merge");
    assert_french(&errors::team(&fr, &error), &["Rien à fusionner"]);
    let many = vec![fouille::team::snapshot::Snapshot::default(); 65];
    let error =
        fouille::team::merge::merge_snapshots(&many, &options).expect_err("too many inputs");
    assert_french(&errors::team(&fr, &error), &["64 projets à la fois"]);
    // An input older than this build reads is refused the same way (no such file can be
    // made by this build: the error is worded as it comes).
    let older = fouille::team::TeamError::OlderSchema {
        path: "vieux.fouille".into(),
        version: 0,
    };
    assert_french(
        &errors::team(&fr, &older),
        &[
            "vieux.fouille",
            "version plus ancienne de Fouille (schéma 0)",
        ],
    );

    let table = |kind, filter| fouille::app::report::TableRequest {
        kind,
        filter,
        options: Default::default(),
        lang: fouille::model::Lang::Fr,
        pseudonymise: false,
    };
    let error = fouille::app::report::compute_table(
        &project,
        &table(fouille::analysis::TableKind::Crosstab, Default::default()),
    )
    .expect_err("a cross-tab needs an attribute");
    assert_french(
        &errors::app(&fr, &error),
        &["Le tableau croisé demande un attribut"],
    );
    let filter = fouille::analysis::AnalysisFilter {
        attributes: vec![("Région".into(), "Bretagne".into())],
        ..Default::default()
    };
    let error = fouille::app::report::compute_table(
        &project,
        &table(fouille::analysis::TableKind::Frequencies, filter),
    )
    .expect_err("no such attribute");
    assert_french(&errors::app(&fr, &error), &["Attribut inconnu « Région »"]);

    let no_codes = Project::create(&dir.path().join("sans-codes.fouille"), "Vide", None).unwrap();
    let error = fouille::export::qdpx::export_qdc(no_codes.conn(), &dir.path().join("g.qdc"))
        .expect_err("a codebook needs a code");
    assert_french(
        &errors::refi_export(&fr, &error),
        &["La grille de codes est vide"],
    );

    // Files that are not projects, opened as projects.
    let text = dir.path().join("notes.fouille");
    std::fs::write(&text, "Ceci est un texte, pas une base.").unwrap();
    let empty = dir.path().join("vide.fouille");
    std::fs::write(&empty, "").unwrap();
    let bare = dir.path().join("nue.fouille");
    rusqlite::Connection::open(&bare)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    for (path, why) in [
        (&text, "ce n'est pas une base de données SQLite"),
        (&empty, "le fichier est vide"),
        (&bare, "une base SQLite sans les tables de Fouille"),
        (&dir.path().to_path_buf(), "ce n'est pas un fichier"),
    ] {
        let error = Project::open(path).expect_err("not a project");
        assert_french(&store_fr(error), &["n'est pas un projet Fouille", why]);
    }
}

#[test]
fn the_command_line_reads_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.fouille");
    drop(project(&path));
    let notes = dir.path().join("notes.xyz");
    std::fs::write(&notes, "du texte").unwrap();
    let said = fouille_err(&["--lang", "fr", "import", s(&path), s(&notes)]);
    assert!(said.starts_with("erreur : "), "{said}");
    assert_french(&said, &["type de fichier non pris en charge « .xyz »"]);
    let said = fouille_err(&["--lang", "fr", "table", s(&path), "crosstab"]);
    assert_french(&said, &["Le tableau croisé demande un attribut"]);
    let said = fouille_err(&["--lang", "fr", "documents", s(&notes)]);
    assert_french(
        &said,
        &[
            "n'est pas un projet Fouille",
            "pas une base de données SQLite",
        ],
    );
    // In English, the same refusal keeps its English words.
    let said = fouille_err(&["--lang", "en", "import", s(&path), s(&notes)]);
    assert!(said.starts_with("error: "), "{said}");
    assert!(said.contains("unsupported file type"), "{said}");
}
